// Issue 10's settlement rules in the schema: a line records the drug lists and the extended-prescription
// flag it was settled with and may be a specified-disease line; a claim records whether it was at the
// patient's chosen institution; the accumulator knows its latest service date (a claim dated before it
// re-settles the year); one-stop confirmation moves into the policy files; and adjustments (补扣/补付) book what re-settling a person's year changed on a
// claim when an earlier claim was reversed or a back-dated one came in.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table claim_line drop constraint claim_line_scope_check;
    alter table claim_line add constraint claim_line_scope_check check (scope in ('two_disease', 'general', 'specified_disease'));
    -- null: not recorded (settled as if the drug were on every list)
    alter table claim_line add column drug_lists text[];
    alter table claim_line add column extended boolean not null default false;
    alter table claim_line add column critical_illness_fen bigint not null default 0 check (critical_illness_fen >= 0);
    alter table claim add column at_chosen_institution boolean not null default true;
    -- before this, a claim's critical-illness part was its two-disease lines' self-paid cost
    update claim_line l set critical_illness_fen = l.deductible_fen + l.copay_fen + l.over_limit_fen
      from claim c where c.id = l.claim_id and c.critical_illness_fen > 0 and l.benefit = 'two_disease';

    alter table benefit_accumulator add column last_service_date date;
    update benefit_accumulator a set last_service_date = (
      select max(c.service_date) from claim c where c.person_id = a.person_id and c.status = 'settled' and extract(year from c.service_date) = a.year);

    create table claim_adjustment (
      id uuid not null default gen_random_uuid(),
      -- booking order: the latest adjustment of a claim holds its split in force
      seq bigint generated always as identity,
      person_id uuid not null references person(id),
      -- the claim whose split changed, and the claim whose reversal (or late arrival) changed it
      claim_id uuid not null references claim(id),
      caused_by uuid not null references claim(id),
      cause text not null check (cause in ('reversal', 'backdated')),
      -- differences, new minus old: a negative fund difference is owed by the patient (补扣), a positive one paid back (补付)
      fund_pay_fen bigint not null,
      deductible_fen bigint not null,
      copay_fen bigint not null,
      over_limit_fen bigint not null,
      critical_illness_fen bigint not null,
      -- the claim's lines as they now stand: [{ lineNo, fundPayFen, deductibleFen, copayFen, overLimitFen, criticalIllnessFen }]
      lines jsonb not null check (jsonb_typeof(lines) = 'array'),
      created_by uuid not null references app_user(id),
      at timestamptz not null default now(),
      primary key (person_id, id),
      check (fund_pay_fen + deductible_fen + copay_fen + over_limit_fen = 0)
    );
    create index claim_adjustment_claim on claim_adjustment (claim_id);
    create index claim_adjustment_cause on claim_adjustment (caused_by);

    -- one-stop confirmation is the policy file's (registration.one_stop_levels), not a table nobody filled
    drop table one_stop_county;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table one_stop_county (county_code text primary key references region(code), since date not null);
    drop table claim_adjustment;
    alter table benefit_accumulator drop column last_service_date;
    alter table claim drop column at_chosen_institution;
    alter table claim_line drop column critical_illness_fen, drop column extended, drop column drug_lists;
    alter table claim_line drop constraint claim_line_scope_check;
    alter table claim_line add constraint claim_line_scope_check check (scope in ('two_disease', 'general'));
  `.execute(db);
}
