// A version on each person's accumulator row, so a settlement can write in one statement that
// succeeds only if nobody changed the row since it was read (optimistic concurrency); the counter
// falls back to locking the row when it loses that race.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table benefit_accumulator add column version integer not null default 0 check (version >= 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table benefit_accumulator drop column version`.execute(db);
}
