// Provider payment (issue 17, docs/payments.md): every payment run kept with what it read — the parameters as
// they stood, the inputs summed from the stored records, the rules' version — and what it gave, so a figure can
// be explained and recomputed years later. A run is known by the hash of those three: the same inputs are one
// run, asked for again; a changed record makes a new one beside it.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table payment_run (
      id uuid primary key default gen_random_uuid(),
      year integer not null check (year between 2000 and 2100),
      quarter smallint check (quarter between 1 and 4),
      as_of date not null,
      version text not null,
      parameters_id text not null,
      parameters jsonb not null,
      inputs jsonb not null,
      results jsonb not null,
      inputs_hash text not null unique check (inputs_hash ~ '^[0-9a-f]{64}$'),
      created_by uuid references app_user(id),
      created_by_name text not null,
      -- the application's clock, so a run's time and its state day come from one clock
      created_at timestamptz not null
    );
    create index payment_run_period on payment_run (year, quarter, created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table payment_run`.execute(db);
}
