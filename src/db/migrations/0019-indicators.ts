// Indicators (issue 16, docs/indicators.md): a person's death date, and each known patient's state at the
// end of every month — the row every rate is counted from.
//
// A death is recorded by an approved revocation filing for death (the filing carries the date; without one
// the filing's effective date stands) or by the roster import; "alive at the end" reads person.death_date.
//
// indicator_month holds one row per patient (anyone with a two-disease diagnosis, registration or claim) per
// month, computed by src/engine/indicators/patientMonth.ts from the raw records and rewritten in the same
// transaction that records a visit, a check, a contract, a registration or a death; a claim adds to it in
// the counter's transaction. A period's indicators read the rows of its last month only: the cumulative
// claim columns (q_ quarter to date, y_ year to date) make a quarter one row per patient, not three.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person add column death_date date;
    alter table person add check (death_date is null or death_date >= birth_date);
    alter table registration_filing add column death_date date;
    alter table registration_filing add check (death_date is null or revocation_reason = 'death');

    create table indicator_month (
      person_id uuid not null references person(id),
      month date not null check (extract(day from month) = 1),
      version text not null,
      county_code text not null,
      insurance_type text not null check (insurance_type in ('resident', 'employee')),
      -- the team of the contract in force at the month's end, and the team's institution
      team_id uuid,
      institution_id uuid,
      alive boolean not null,
      diagnosed boolean not null,
      registered boolean not null,
      annual_check boolean not null,
      ht_diagnosed boolean not null,
      dm_diagnosed boolean not null,
      ht_registered boolean not null,
      dm_registered boolean not null,
      ht_owed smallint not null,
      dm_owed smallint not null,
      ht_face_to_face smallint not null,
      dm_face_to_face smallint not null,
      -- null: not in the control rate's base (not registered at the end, or dead)
      ht_control text check (ht_control in ('controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up')),
      dm_control text check (dm_control in ('controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up')),
      q_grassroots integer not null default 0,
      q_hospital integer not null default 0,
      q_pharmacy integer not null default 0,
      q_amount_fen bigint not null default 0,
      q_fund_pay_fen bigint not null default 0,
      y_grassroots integer not null default 0,
      y_hospital integer not null default 0,
      y_pharmacy integer not null default 0,
      y_amount_fen bigint not null default 0,
      y_fund_pay_fen bigint not null default 0,
      -- filings first submitted, approved, returned; prescriptions dispensed and of them delivered
      q_filed smallint not null default 0,
      q_confirmed smallint not null default 0,
      q_returned smallint not null default 0,
      q_dispensed smallint not null default 0,
      q_delivered smallint not null default 0,
      y_filed smallint not null default 0,
      y_confirmed smallint not null default 0,
      y_returned smallint not null default 0,
      y_dispensed smallint not null default 0,
      y_delivered smallint not null default 0,
      registered_year_before boolean not null default false,
      primary key (person_id, month),
      check (team_id is null = (institution_id is null))
    );
    create index indicator_month_month on indicator_month (month, county_code);
    -- a few hundred (county, institution, team) groups, not the product of their columns' counts: a hash aggregate
    create statistics indicator_month_scope (ndistinct) on county_code, institution_id, team_id from indicator_month;

    -- The months whose rows were written for every patient: a record changed later rewrites its patient's rows
    -- of these months; a month not yet here is written for everyone when first asked for (or on its first day).
    create table indicator_built_month (
      month date primary key check (extract(day from month) = 1),
      version text not null,
      patients integer not null,
      built_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table indicator_built_month, indicator_month;
    alter table registration_filing drop column death_date;
    alter table person drop column death_date;
  `.execute(db);
}
