// Province scale (issue 12): every patient-owned table can be distributed by person and co-located
// with `person` (docs/scale.md). A distributed table's primary and unique keys must hold the
// distribution column, and so must the foreign keys between such tables; this migration rewrites the
// keys that did not, without changing a row's id:
// - the lines of a filing's prescription and of a claim carry their person;
// - primary keys gain person_id. Tables a URL reaches by the row's own id (/api/contracts/:id,
//   /api/filings/:id, /api/settlements/:id) lead with id, so that lookup stays one index probe;
//   child rows lead with their parent's id as before; the rest lead with person_id;
// - foreign keys between patient-owned tables match on (person_id, id);
// - a settlement's idempotency key is unique per person at an institution;
// - an ID number is unique through person_id_number, a table keyed by the number itself (distributed
//   by it, not by person): the person's row keeps the number for display and prefix search;
// - app_user (a reference table, copied to every node) no longer has a foreign key into person;
// - the audit rows about a person move to person_audit, co-located with the person's record, so the
//   read or change and its audit row are written on one shard; audit_log keeps the rest (sign-ins,
//   searches, refusals without a person);
// - claim.pool_deltas goes: re-settling a year (resettle.ts) replaced it, nothing read it.
// The key rule is checked against the catalogue by src/db/tables.ts (test/api/schema-keys.test.ts).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table filing_prescription_line add column person_id uuid;
    update filing_prescription_line l set person_id = f.person_id from registration_filing f where f.id = l.filing_id;
    alter table filing_prescription_line alter column person_id set not null,
      add constraint filing_prescription_line_person_id_fkey foreign key (person_id) references person(id);
    alter table claim_line add column person_id uuid;
    update claim_line l set person_id = c.person_id from claim c where c.id = l.claim_id;
    alter table claim_line alter column person_id set not null,
      add constraint claim_line_person_id_fkey foreign key (person_id) references person(id);

    -- the foreign keys that name a row by its id alone go first, then the keys they point at
    alter table contract drop constraint contract_previous_contract_id_fkey;
    alter table contract_event drop constraint contract_event_contract_id_fkey;
    alter table registration_filing drop constraint registration_filing_contract_id_fkey;
    alter table filing_disease drop constraint filing_disease_filing_id_fkey;
    alter table filing_prescription_line drop constraint filing_prescription_line_filing_id_fkey;
    alter table filing_event drop constraint filing_event_filing_id_fkey;
    alter table registration drop constraint registration_confirmed_filing_id_fkey, drop constraint registration_ended_filing_id_fkey;
    alter table continuous_prescription drop constraint continuous_prescription_filing_id_fkey;
    alter table claim_line drop constraint claim_line_claim_id_fkey;
    alter table claim_event drop constraint claim_event_claim_id_fkey;
    alter table claim_adjustment drop constraint claim_adjustment_claim_id_fkey, drop constraint claim_adjustment_caused_by_fkey;
    alter table followup_state drop constraint followup_state_last_visit_id_fkey;

    alter table contract drop constraint contract_pkey, add primary key (id, person_id);
    alter table registration_filing drop constraint registration_filing_pkey, add primary key (id, person_id);
    alter table claim drop constraint claim_pkey, add primary key (id, person_id);
    alter table filing_disease drop constraint filing_disease_pkey, add primary key (filing_id, disease_code, person_id);
    alter table filing_prescription_line drop constraint filing_prescription_line_pkey, add primary key (filing_id, line_no, person_id);
    alter table claim_line drop constraint claim_line_pkey, add primary key (claim_id, line_no, person_id);
    alter table contract_event drop constraint contract_event_pkey, add primary key (person_id, id);
    alter table filing_event drop constraint filing_event_pkey, add primary key (person_id, id);
    alter table claim_event drop constraint claim_event_pkey, add primary key (person_id, id);
    alter table registration drop constraint registration_pkey, add primary key (person_id, id);
    alter table continuous_prescription drop constraint continuous_prescription_pkey, add primary key (person_id, id);
    alter table followup_visit drop constraint followup_visit_pkey, add primary key (person_id, id);
    alter table health_check drop constraint health_check_pkey, add primary key (person_id, id);
    alter table followup_reminder drop constraint followup_reminder_pkey, add primary key (person_id, id);

    alter table contract add constraint contract_previous_contract_id_fkey foreign key (person_id, previous_contract_id) references contract (person_id, id);
    alter table contract_event add constraint contract_event_contract_id_fkey foreign key (person_id, contract_id) references contract (person_id, id);
    alter table registration_filing add constraint registration_filing_contract_id_fkey foreign key (person_id, contract_id) references contract (person_id, id);
    alter table filing_disease add constraint filing_disease_filing_id_fkey foreign key (person_id, filing_id) references registration_filing (person_id, id);
    alter table filing_prescription_line add constraint filing_prescription_line_filing_id_fkey foreign key (person_id, filing_id) references registration_filing (person_id, id);
    alter table filing_event add constraint filing_event_filing_id_fkey foreign key (person_id, filing_id) references registration_filing (person_id, id);
    alter table registration add constraint registration_confirmed_filing_id_fkey foreign key (person_id, confirmed_filing_id) references registration_filing (person_id, id),
      add constraint registration_ended_filing_id_fkey foreign key (person_id, ended_filing_id) references registration_filing (person_id, id);
    alter table continuous_prescription add constraint continuous_prescription_filing_id_fkey foreign key (person_id, filing_id) references registration_filing (person_id, id);
    alter table claim_line add constraint claim_line_claim_id_fkey foreign key (person_id, claim_id) references claim (person_id, id);
    alter table claim_event add constraint claim_event_claim_id_fkey foreign key (person_id, claim_id) references claim (person_id, id);
    alter table claim_adjustment add constraint claim_adjustment_claim_id_fkey foreign key (person_id, claim_id) references claim (person_id, id),
      add constraint claim_adjustment_caused_by_fkey foreign key (person_id, caused_by) references claim (person_id, id);
    alter table followup_state add constraint followup_state_last_visit_id_fkey foreign key (person_id, last_visit_id) references followup_visit (person_id, id);

    -- the counter looks a key up by institution and key (a retry), then checks the person
    drop index claim_idempotency;
    create unique index claim_idempotency on claim (institution_id, idempotency_key, person_id);
    alter table claim drop column pool_deltas;

    create table person_id_number (
      id_number text collate "C" primary key,
      person_id uuid not null
    );
    insert into person_id_number (id_number, person_id) select id_number, id from person;
    alter table person drop constraint person_id_number_key;
    create index person_by_id_number on person (id_number);

    alter table app_user drop constraint app_user_person_id_fkey;

    create table person_audit (
      id bigint generated always as identity,
      at timestamptz not null default now(),
      person_id uuid not null,
      user_id uuid references app_user(id),
      username text,
      role text,
      action text not null,
      entity text not null,
      entity_id text,
      ip text,
      detail jsonb,
      primary key (person_id, id)
    );
    create index person_audit_at on person_audit (at);
    insert into person_audit (at, person_id, user_id, username, role, action, entity, entity_id, ip, detail)
      select at, person_id, user_id, username, role, action, entity, entity_id, ip, detail from audit_log where person_id is not null order by id;
    delete from audit_log where person_id is not null;
    alter table audit_log drop column person_id;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_log add column person_id uuid;
    create index audit_log_person on audit_log (person_id, at);
    insert into audit_log (at, person_id, user_id, username, role, action, entity, entity_id, ip, detail)
      select at, person_id, user_id, username, role, action, entity, entity_id, ip, detail from person_audit order by id;
    drop table person_audit;
    alter table app_user add constraint app_user_person_id_fkey foreign key (person_id) references person(id);
    drop index person_by_id_number;
    alter table person add constraint person_id_number_key unique (id_number);
    drop table person_id_number;
    alter table claim add column pool_deltas jsonb not null default '{}';
    drop index claim_idempotency;
    create unique index claim_idempotency on claim (institution_id, idempotency_key);

    alter table contract drop constraint contract_previous_contract_id_fkey;
    alter table contract_event drop constraint contract_event_contract_id_fkey;
    alter table registration_filing drop constraint registration_filing_contract_id_fkey;
    alter table filing_disease drop constraint filing_disease_filing_id_fkey;
    alter table filing_prescription_line drop constraint filing_prescription_line_filing_id_fkey;
    alter table filing_event drop constraint filing_event_filing_id_fkey;
    alter table registration drop constraint registration_confirmed_filing_id_fkey, drop constraint registration_ended_filing_id_fkey;
    alter table continuous_prescription drop constraint continuous_prescription_filing_id_fkey;
    alter table claim_line drop constraint claim_line_claim_id_fkey;
    alter table claim_event drop constraint claim_event_claim_id_fkey;
    alter table claim_adjustment drop constraint claim_adjustment_claim_id_fkey, drop constraint claim_adjustment_caused_by_fkey;
    alter table followup_state drop constraint followup_state_last_visit_id_fkey;

    alter table contract drop constraint contract_pkey, add primary key (id);
    alter table registration_filing drop constraint registration_filing_pkey, add primary key (id);
    alter table claim drop constraint claim_pkey, add primary key (id);
    alter table filing_disease drop constraint filing_disease_pkey, add primary key (filing_id, disease_code);
    alter table filing_prescription_line drop constraint filing_prescription_line_pkey, add primary key (filing_id, line_no);
    alter table claim_line drop constraint claim_line_pkey, add primary key (claim_id, line_no);
    alter table contract_event drop constraint contract_event_pkey, add primary key (id);
    alter table filing_event drop constraint filing_event_pkey, add primary key (id);
    alter table claim_event drop constraint claim_event_pkey, add primary key (id);
    alter table registration drop constraint registration_pkey, add primary key (id);
    alter table continuous_prescription drop constraint continuous_prescription_pkey, add primary key (id);
    alter table followup_visit drop constraint followup_visit_pkey, add primary key (id);
    alter table health_check drop constraint health_check_pkey, add primary key (id);
    alter table followup_reminder drop constraint followup_reminder_pkey, add primary key (id);

    alter table contract add constraint contract_previous_contract_id_fkey foreign key (previous_contract_id) references contract (id);
    alter table contract_event add constraint contract_event_contract_id_fkey foreign key (contract_id) references contract (id);
    alter table registration_filing add constraint registration_filing_contract_id_fkey foreign key (contract_id) references contract (id);
    alter table filing_disease add constraint filing_disease_filing_id_fkey foreign key (filing_id) references registration_filing (id);
    alter table filing_prescription_line add constraint filing_prescription_line_filing_id_fkey foreign key (filing_id) references registration_filing (id);
    alter table filing_event add constraint filing_event_filing_id_fkey foreign key (filing_id) references registration_filing (id);
    alter table registration add constraint registration_confirmed_filing_id_fkey foreign key (confirmed_filing_id) references registration_filing (id),
      add constraint registration_ended_filing_id_fkey foreign key (ended_filing_id) references registration_filing (id);
    alter table continuous_prescription add constraint continuous_prescription_filing_id_fkey foreign key (filing_id) references registration_filing (id);
    alter table claim_line add constraint claim_line_claim_id_fkey foreign key (claim_id) references claim (id);
    alter table claim_event add constraint claim_event_claim_id_fkey foreign key (claim_id) references claim (id);
    alter table claim_adjustment add constraint claim_adjustment_claim_id_fkey foreign key (claim_id) references claim (id),
      add constraint claim_adjustment_caused_by_fkey foreign key (caused_by) references claim (id);
    alter table followup_state add constraint followup_state_last_visit_id_fkey foreign key (last_visit_id) references followup_visit (id);

    alter table claim_line drop column person_id;
    alter table filing_prescription_line drop column person_id;
  `.execute(db);
}
