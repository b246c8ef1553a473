// FHIR bulk export jobs (issue 18, docs/fhir.md): a county's export asked for over HTTP as FHIR Bulk Data does
// (kick-off, status, files) runs in the server and writes its NDJSON files under the data directory; the job's
// row says who asked, how far it is and, once done, what it wrote.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table fhir_export (
      id uuid primary key default gen_random_uuid(),
      county_code text not null references region(code),
      requested_by uuid references app_user(id),
      requested_by_name text not null,
      requested_at timestamptz not null,
      status text not null default 'running' check (status in ('running', 'completed', 'failed')),
      persons_done integer not null default 0,
      finished_at timestamptz,
      report jsonb,
      error text,
      check ((status = 'running') = (finished_at is null))
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table fhir_export`.execute(db);
}
