// The agency's queue counts its filings by county, status and age, often with a disease: carrying the
// id (and kind) in the queue index lets that count run on indexes alone, without visiting the table.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index filing_queue;
    create index filing_queue on registration_filing (county_code, status, submitted_at) include (id, kind);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index filing_queue;
    create index filing_queue on registration_filing (county_code, status, submitted_at);
  `.execute(db);
}
