// Family-doctor contracts (家庭医生签约), registration filings (认定登记 / 变更登记) with their review,
// the confirmed registrations and continuous prescriptions they produce, and every transition kept.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table service_package (
      code text primary key,
      name_zh text not null,
      name_en text not null,
      kind text not null check (kind in ('basic', 'chronic')),
      diseases text[] not null default '{}',
      items jsonb not null,
      annual_fee_fen integer not null check (annual_fee_fen >= 0)
    );

    create table contract (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      team_id uuid not null references family_doctor_team(id),
      doctor_id uuid not null references practitioner(id),
      start_date date not null,
      end_date date not null,
      packages text[] not null check (cardinality(packages) > 0),
      consent_signer text not null check (consent_signer in ('self', 'guardian', 'proxy')),
      consent_signer_name text not null check (length(consent_signer_name) between 1 and 50),
      consent_signed_at timestamptz not null,
      consent_form_name text,
      consent_form bytea,
      -- active: the person's current contract; renewed: followed by its renewal;
      -- lapsed: ended without renewal and replaced later; terminated: ended early (解约) with a reason
      status text not null default 'active' check (status in ('active', 'renewed', 'lapsed', 'terminated')),
      previous_contract_id uuid references contract(id),
      terminated_on date, -- the first day the contract no longer holds
      termination_reason text,
      created_at timestamptz not null default now(),
      check (end_date > start_date),
      check ((status = 'terminated') = (terminated_on is not null and termination_reason is not null)),
      check (terminated_on is null or terminated_on between start_date and end_date),
      check ((consent_form is null) = (consent_form_name is null))
    );
    -- one current contract per person; the included columns answer "contracted with whom, until when" from the index
    create unique index contract_one_active on contract (person_id) include (end_date, team_id) where status = 'active';
    -- a team's list reads only this index (index-only scan)
    create index contract_team on contract (team_id, status, end_date) include (person_id, start_date, id);
    create index contract_person on contract (person_id, start_date);

    create table contract_event (
      id bigint generated always as identity primary key,
      contract_id uuid not null references contract(id),
      person_id uuid not null references person(id),
      at timestamptz not null default now(),
      user_id uuid references app_user(id),
      action text not null check (action in ('sign', 'renew', 'terminate', 'lapse')),
      from_status text,
      to_status text not null,
      reason text
    );
    create index contract_event_contract on contract_event (contract_id, id);

    -- A filing the family doctor submits and the agency reviews.
    create table registration_filing (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      contract_id uuid not null references contract(id),
      team_id uuid not null references family_doctor_team(id),
      county_code text not null references region(code),
      kind text not null check (kind in ('initial', 'change', 'revocation')),
      change_reason text check (change_reason in ('recovery', 'progression', 'new_disease', 'medication_change')),
      revocation_reason text check (revocation_reason in ('death', 'moved_out', 'insurance_ended', 'other')),
      note text,
      status text not null default 'submitted' check (status in ('submitted', 'returned', 'approved', 'withdrawn')),
      filed_by uuid not null references app_user(id),
      submitted_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by uuid references app_user(id),
      decision_reason text,
      effective_date date,
      confirmation text check (confirmation in ('agency', 'one_stop')),
      check ((kind = 'change') = (change_reason is not null)),
      check ((kind = 'revocation') = (revocation_reason is not null)),
      check ((status = 'approved') = (effective_date is not null and decided_at is not null and confirmation is not null)),
      check (status <> 'returned' or decision_reason is not null)
    );
    create index filing_queue on registration_filing (county_code, status, submitted_at);
    create index filing_person on registration_filing (person_id, submitted_at);
    create index filing_team on registration_filing (team_id, status);

    -- The diseases a filing adds, changes or removes, with their diagnosis basis.
    create table filing_disease (
      filing_id uuid not null references registration_filing(id),
      person_id uuid not null references person(id),
      disease_code text not null references disease(code),
      action text not null check (action in ('add', 'keep', 'remove')),
      diagnosed_on date,
      basis jsonb,
      -- an open filing holds its diseases: a second open filing for one disease is impossible
      open boolean not null default true,
      primary key (filing_id, disease_code),
      -- an added disease needs its diagnosis; 'keep' rows without a basis hold a disease during a medication change
      check (action <> 'add' or (diagnosed_on is not null and basis is not null))
    );
    create unique index filing_disease_one_open on filing_disease (person_id, disease_code) where open;

    create table filing_prescription_line (
      filing_id uuid not null references registration_filing(id),
      line_no integer not null check (line_no > 0),
      drug_code text not null references drug(code),
      dose text not null check (length(dose) between 1 and 40),
      frequency text not null check (frequency in ('qd', 'bid', 'tid', 'qid', 'qn', 'qw')),
      days_supply integer not null check (days_supply between 1 and 90),
      dispensing text not null check (dispensing in ('own', 'external')),
      pharmacy_id uuid references institution(id),
      primary key (filing_id, line_no),
      check ((dispensing = 'external') = (pharmacy_id is not null))
    );

    create table filing_event (
      id bigint generated always as identity primary key,
      filing_id uuid not null references registration_filing(id),
      person_id uuid not null references person(id),
      at timestamptz not null default now(),
      user_id uuid references app_user(id),
      from_status text,
      to_status text not null,
      reason text,
      detail jsonb
    );
    create index filing_event_filing on filing_event (filing_id, id);

    -- Confirmed registrations, one row per disease per period: benefits follow these.
    -- effective_to is the first day no longer in force (exclusive), null while open.
    create table registration (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      disease_code text not null references disease(code),
      effective_from date not null,
      effective_to date,
      diagnosed_on date not null,
      confirmed_filing_id uuid not null references registration_filing(id),
      ended_filing_id uuid references registration_filing(id),
      check (effective_to is null or effective_to >= effective_from)
    );
    create unique index registration_one_open on registration (person_id, disease_code) where effective_to is null;
    create index registration_person on registration (person_id, effective_from);

    -- The continuous prescription (连续处方) in force, versioned by the filings that set it.
    create table continuous_prescription (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      filing_id uuid not null references registration_filing(id),
      line_no integer not null,
      drug_code text not null references drug(code),
      dose text not null,
      frequency text not null,
      days_supply integer not null,
      dispensing text not null,
      pharmacy_id uuid references institution(id),
      effective_from date not null,
      effective_to date,
      check (effective_to is null or effective_to >= effective_from)
    );
    create index continuous_prescription_person on continuous_prescription (person_id, effective_from);

    -- Where an agency lets designated grassroots institutions confirm registrations themselves
    -- (Zhenjiang's one-stop identification), the county is listed here.
    create table one_stop_county (
      county_code text primary key references region(code),
      since date not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table one_stop_county, continuous_prescription, registration, filing_event, filing_prescription_line,
      filing_disease, registration_filing, contract_event, contract, service_package;
  `.execute(db);
}
