// Real-time settlement: claims with their lines as settled, the per-person per-year accumulators
// they draw on (locked row by row so two counters never push a fund past its limit), and the
// history of every claim (settled, reversed).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table benefit_accumulator (
      person_id uuid not null references person(id),
      year integer not null check (year between 2000 and 2100),
      -- PersonYearState.pools of the engine: { "<insurance type>.<pool>": { fundPaid, deductibleMet } } in fen
      pools jsonb not null default '{}',
      updated_at timestamptz not null default now(),
      primary key (person_id, year)
    );

    create table claim (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      institution_id uuid not null references institution(id),
      idempotency_key text not null check (length(idempotency_key) between 8 and 100),
      request_hash text not null,
      service_date date not null,
      insurance_type text not null check (insurance_type in ('resident', 'employee')),
      institution_level text not null check (institution_level in ('grassroots', 'secondary', 'tertiary', 'pharmacy')),
      policy_id text not null,
      status text not null default 'settled' check (status in ('settled', 'reversed')),
      amount_fen bigint not null check (amount_fen >= 0),
      fund_pay_fen bigint not null check (fund_pay_fen >= 0),
      deductible_fen bigint not null check (deductible_fen >= 0),
      copay_fen bigint not null check (copay_fen >= 0),
      over_limit_fen bigint not null check (over_limit_fen >= 0),
      critical_illness_fen bigint not null check (critical_illness_fen >= 0),
      -- what the claim added to each pool, so a reversal gives back exactly that
      pool_deltas jsonb not null,
      settled_by uuid not null references app_user(id),
      settled_at timestamptz not null default now(),
      reversed_by uuid references app_user(id),
      reversed_at timestamptz,
      reversal_reason text,
      check (amount_fen = fund_pay_fen + deductible_fen + copay_fen + over_limit_fen),
      check ((status = 'reversed') = (reversed_at is not null and reversal_reason is not null))
    );
    create unique index claim_idempotency on claim (institution_id, idempotency_key);
    create index claim_person on claim (person_id, service_date);
    create index claim_date on claim (service_date);

    create table claim_line (
      claim_id uuid not null references claim(id),
      line_no integer not null check (line_no > 0),
      drug_code text not null references drug(code),
      quantity integer not null check (quantity > 0),
      unit_price_fen integer not null check (unit_price_fen >= 0),
      amount_fen bigint not null check (amount_fen = quantity::bigint * unit_price_fen),
      days_supply integer not null check (days_supply > 0),
      disease_code text references disease(code),
      scope text not null check (scope in ('two_disease', 'general')),
      scope_reason text not null,
      benefit text not null,
      reason text not null,
      ratio_bp integer not null,
      fund_pay_fen bigint not null,
      deductible_fen bigint not null,
      copay_fen bigint not null,
      over_limit_fen bigint not null,
      fund_remaining_fen bigint,
      explanation text not null,
      primary key (claim_id, line_no),
      check (amount_fen = fund_pay_fen + deductible_fen + copay_fen + over_limit_fen)
    );

    create table claim_event (
      id bigint generated always as identity primary key,
      claim_id uuid not null references claim(id),
      person_id uuid not null references person(id),
      at timestamptz not null default now(),
      user_id uuid references app_user(id),
      from_status text,
      to_status text not null,
      reason text
    );
    create index claim_event_claim on claim_event (claim_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table claim_event, claim_line, claim, benefit_accumulator`.execute(db);
}
