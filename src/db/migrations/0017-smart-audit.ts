// Smart audit after the event (智能审核, issue 15): the rules as versioned data (synced from
// data/audit-rules.json at start; a changed rule gets a new version, old versions stay so a finding
// always names the text it was found under), each run of the audit over a service date, the findings
// with the reviewer's decision, and every step of a finding's history.
//
// Findings are the fund's own records about claims, kept on the coordinator ('local', src/db/tables.ts):
// they point at claims and prescriptions by id without foreign keys (a coordinator table cannot point
// into a distributed one, docs/scale.md). finding_key is deterministic (rule + subject), so a second run
// of a day inserts nothing new (`on conflict (finding_key) do nothing`).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_rule (
      code text not null check (code ~ '^[a-z][a-z_]{1,40}$'),
      version integer not null check (version > 0),
      title_zh text not null,
      title_en text not null,
      description_zh text not null,
      description_en text not null,
      subject text not null check (subject in ('claim', 'prescription', 'claim_or_prescription', 'doctor')),
      params jsonb not null default '{}',
      national_rule text,
      -- 医保医师记分: points per confirmed finding, for the doctors' assessment (seed 001)
      points integer not null default 0 check (points >= 0),
      active boolean not null default true,
      synced_at timestamptz not null default now(),
      primary key (code, version)
    );

    create table audit_run (
      id uuid primary key default gen_random_uuid(),
      service_date date not null,
      trigger text not null check (trigger in ('nightly', 'cli', 'api')),
      started_at timestamptz not null,
      finished_at timestamptz,
      rule_versions jsonb not null,
      claims_checked integer not null default 0 check (claims_checked >= 0),
      prescriptions_checked integer not null default 0 check (prescriptions_checked >= 0),
      findings_total integer not null default 0 check (findings_total >= 0),
      findings_new integer not null default 0 check (findings_new >= 0),
      started_by uuid references app_user(id)
    );
    create index audit_run_date on audit_run (service_date, started_at);

    create table audit_finding (
      id uuid primary key default gen_random_uuid(),
      finding_key text not null unique,
      rule_code text not null,
      rule_version integer not null,
      service_date date not null,
      county_code text not null references region(code),
      claim_id uuid,
      prescription_id uuid,
      person_id uuid,
      institution_id uuid not null references institution(id),
      doctor_id uuid references app_user(id),
      evidence jsonb not null,
      amount_fen integer not null check (amount_fen >= 0),
      status text not null default 'open' check (status in ('open', 'confirmed', 'dismissed')),
      deduction_fen integer,
      deduction_against text check (deduction_against in ('institution', 'doctor')),
      decision_reason text,
      decided_by uuid references app_user(id),
      decided_at timestamptz,
      run_id uuid not null references audit_run(id),
      found_at timestamptz not null,
      foreign key (rule_code, rule_version) references audit_rule (code, version),
      -- a finding is about one claim, one prescription, or (prescriber_outlier) one doctor on one day
      check (num_nonnulls(claim_id, prescription_id) <= 1),
      check (person_id is not null or (rule_code = 'prescriber_outlier' and doctor_id is not null)),
      check (status <> 'confirmed' or (deduction_fen is not null and deduction_fen >= 0 and deduction_against is not null)),
      check (status <> 'dismissed' or (decision_reason is not null and length(btrim(decision_reason)) > 0))
    );
    create index audit_finding_queue on audit_finding (county_code, status, service_date);
    create index audit_finding_institution on audit_finding (institution_id, service_date);
    create index audit_finding_doctor on audit_finding (doctor_id, service_date);
    create index audit_finding_claim on audit_finding (claim_id) where claim_id is not null;
    create index audit_finding_date on audit_finding (service_date, rule_code);

    create table audit_finding_event (
      id bigint generated always as identity primary key,
      finding_id uuid not null references audit_finding(id),
      at timestamptz not null,
      user_id uuid references app_user(id),
      action text not null check (action in ('found', 'confirmed', 'dismissed', 'reopened')),
      from_status text,
      to_status text not null,
      reason text,
      detail jsonb
    );
    create index audit_finding_event_finding on audit_finding_event (finding_id, id);

    -- the run's subjects: the day's approved prescriptions (claims have claim_date already)
    create index prescription_written_approved on prescription (written_on) where approved_at is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index prescription_written_approved; drop table audit_finding_event, audit_finding, audit_run, audit_rule`.execute(db);
}
