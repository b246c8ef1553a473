// Random sampling of the claims the smart audit did not flag (抽样复核, issue 15; openIMIS's claim review
// sampling is the model): a reviewer draws a seeded sample of their county's settled, unflagged claims in
// a period, marks each correct or in error, and the sample's error is extrapolated to the claims not
// sampled as a proposed deduction, fixed when the sample is closed (docs/smart-audit.md).
//
// Both tables are the fund's records about claims, on the coordinator ('local', src/db/tables.ts) like
// audit_finding: a sampled claim names its claim and person by id without a foreign key (a coordinator
// table cannot point into a distributed one, docs/scale.md).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_sample (
      id uuid primary key default gen_random_uuid(),
      county_code text not null references region(code),
      period_from date not null,
      period_to date not null,
      -- what the reviewer asked for: a rate in basis points or a number of claims
      rate_bp integer check (rate_bp between 1 and 10000),
      size integer check (size between 1 and 2000),
      seed integer not null check (seed >= 0),
      -- the population as it was at the draw: unflagged settled claims, and the fund's payment for them
      population_claims integer not null check (population_claims > 0),
      population_amount_fen bigint not null check (population_amount_fen >= 0),
      created_by uuid not null references app_user(id),
      created_at timestamptz not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      closed_at timestamptz,
      closed_by uuid references app_user(id),
      proposed_deduction_fen bigint check (proposed_deduction_fen >= 0),
      check (period_to >= period_from),
      check (num_nonnulls(rate_bp, size) = 1),
      check ((status = 'closed') = (closed_at is not null and closed_by is not null and proposed_deduction_fen is not null))
    );
    create index audit_sample_county on audit_sample (county_code, created_at desc);

    create table audit_sample_claim (
      sample_id uuid not null references audit_sample(id),
      claim_id uuid not null,
      person_id uuid not null,
      institution_id uuid not null references institution(id),
      -- the claim's cost and the fund's payment for it (with re-settling's adjustments) at the draw
      amount_fen bigint not null check (amount_fen >= 0),
      fund_pay_fen bigint not null check (fund_pay_fen >= 0),
      -- the order of the draw (smallest key first)
      draw_rank integer not null check (draw_rank > 0),
      result text not null default 'pending' check (result in ('pending', 'correct', 'error')),
      error_amount_fen bigint,
      note text check (note is null or length(btrim(note)) between 1 and 500),
      reviewed_by uuid references app_user(id),
      reviewed_at timestamptz,
      primary key (sample_id, claim_id),
      unique (sample_id, draw_rank),
      check ((result = 'error') = (error_amount_fen is not null)),
      check (error_amount_fen is null or error_amount_fen between 1 and fund_pay_fen),
      check ((result = 'pending') = (reviewed_at is null))
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_sample_claim, audit_sample`.execute(db);
}
