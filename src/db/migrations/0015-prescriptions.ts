// Prescriptions to the patient's hand (issue 14): a family doctor's prescription (长处方 / 连续处方 /
// 续方 / 延伸处方) with its lines and the history of its states; the pharmacist's review (审方) with the
// findings of the pre-check; dispensing, each dispense bound to the claim it settled; home delivery
// (送药到家) by a third-party provider with its two-person recheck and the signed receipt; the patient's
// online renewal requests; and each institution's drug stock by batch.
//
// Patient rows are keyed with the person (docs/scale.md): prescription and dispense by (id, person_id),
// which bare-id URLs find through the primary key, children by (parent_id, no, person_id), the rest
// (person_id, id). Stock is the institution's, written with a dispense in one transaction: small
// (institutions × drugs × batches), it stays on the coordinator ('local').
import { type Kysely, sql } from 'kysely';

const PRESCRIPTION_STATUSES = `'draft', 'submitted', 'under_review', 'approved', 'returned', 'partly_dispensed', 'dispensed', 'expired', 'cancelled'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table delivery_provider (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[A-Z0-9-]{2,20}$'),
      name text not null check (length(btrim(name)) between 2 and 80),
      county_code text not null references region(code),
      phone text check (is_valid_phone(phone))
    );

    -- the delivery provider's staff (配送人员): a role of its own, scoped to their provider
    alter table app_user add column delivery_provider_id uuid references delivery_provider(id);
    do $$
    declare c record;
    begin
      for c in select conname from pg_constraint
        where conrelid = 'app_user'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%role%'
      loop
        execute format('alter table app_user drop constraint %I', c.conname);
      end loop;
    end $$;
    alter table app_user
      add constraint app_user_role check (role in ('family_doctor', 'pharmacist', 'insurance_reviewer', 'analyst',
        'institution_admin', 'system_admin', 'patient', 'delivery')),
      add constraint app_user_role_scope check (case role
        when 'family_doctor' then team_id is not null and practitioner_id is not null and institution_id is null and region_code is null and person_id is null
        when 'pharmacist' then institution_id is not null and team_id is null and region_code is null and person_id is null
        when 'institution_admin' then institution_id is not null and team_id is null and region_code is null and person_id is null
        when 'insurance_reviewer' then region_code is not null and length(region_code) = 6 and team_id is null and institution_id is null and person_id is null
        when 'analyst' then region_code is not null and length(region_code) = 4 and team_id is null and institution_id is null and person_id is null
        when 'patient' then person_id is not null and team_id is null and institution_id is null and region_code is null
        when 'delivery' then team_id is null and institution_id is null and region_code is null and person_id is null
        else team_id is null and institution_id is null and region_code is null and person_id is null end),
      add constraint app_user_delivery_provider check ((role = 'delivery') = (delivery_provider_id is not null));

    -- 处方编号: the writing institution's code, the date and one sequence (unique by construction, as 结算单号)
    create sequence prescription_no_seq as bigint;
    create function prescription_no(institution_id uuid, written_on date) returns text language sql volatile as $$
      select settlement_no_of((select i.code from institution i where i.id = $1), $2, nextval('prescription_no_seq'))
    $$;

    create table prescription (
      id uuid not null default gen_random_uuid(),
      person_id uuid not null references person(id),
      prescription_no text not null,
      origin text not null check (origin in ('new', 'continuous', 'renewal', 'extended')),
      institution_id uuid not null references institution(id),
      county_code text not null references region(code),
      team_id uuid references family_doctor_team(id),
      doctor_id uuid not null references app_user(id),
      written_on date not null,
      valid_until date not null check (valid_until >= written_on),
      days_supply integer not null check (days_supply between 1 and 366),
      -- a long prescription (more than 30 days) says why the patient is stable enough for it
      stable_reason text check (stable_reason is null or length(btrim(stable_reason)) between 2 and 500),
      renewal_of uuid,
      -- 延伸处方: the source prescription, at a (tertiary) institution
      source_prescription_no text check (source_prescription_no is null or length(btrim(source_prescription_no)) between 2 and 60),
      source_institution_id uuid references institution(id),
      fill_place text not null check (fill_place in ('own', 'pharmacy', 'delivery')),
      fill_institution_id uuid not null references institution(id),
      delivery_address text check (delivery_address is null or length(btrim(delivery_address)) between 4 and 200),
      status text not null default 'draft' check (status in (${sql.raw(PRESCRIPTION_STATUSES)})),
      findings jsonb not null default '[]',
      reviewed_by uuid references app_user(id),
      reviewed_at timestamptz,
      review_note text,
      override_reason text,
      created_at timestamptz not null default now(),
      submitted_at timestamptz,
      approved_at timestamptz,
      primary key (id, person_id),
      unique (person_id, id),
      foreign key (person_id, renewal_of) references prescription (person_id, id),
      check (days_supply <= 30 or stable_reason is not null),
      check ((origin = 'extended') = (source_prescription_no is not null and source_institution_id is not null)),
      check ((origin = 'renewal') = (renewal_of is not null)),
      check (fill_place <> 'delivery' or delivery_address is not null)
    );
    -- a patient's prescriptions, newest first (the chart, the pre-check's supply on hand)
    create index prescription_person on prescription (person_id, written_on desc);
    -- the review queue of a county (区域审方)
    create index prescription_review_queue on prescription (county_code, submitted_at) include (status)
      where status in ('submitted', 'under_review');
    -- a place's queue of prescriptions to fill (云处方: the place the patient picked)
    create index prescription_fill_queue on prescription (fill_institution_id, approved_at)
      where status in ('approved', 'partly_dispensed');

    create table prescription_line (
      prescription_id uuid not null,
      line_no integer not null check (line_no between 1 and 20),
      person_id uuid not null,
      drug_code text not null references drug(code),
      -- one administration in thousandths of the drug's unit (1 tablet = 1000, half a tablet = 500)
      dose_milli integer not null check (dose_milli between 1 and 1000000),
      frequency text not null check (frequency in ('qd', 'bid', 'tid', 'qid', 'qn', 'qw')),
      days_supply integer not null check (days_supply between 1 and 366),
      quantity integer not null check (quantity between 1 and 999),
      dispensed_quantity integer not null default 0 check (dispensed_quantity between 0 and quantity),
      primary key (prescription_id, line_no, person_id),
      foreign key (person_id, prescription_id) references prescription (person_id, id)
    );

    create table prescription_event (
      id bigint generated always as identity,
      person_id uuid not null,
      prescription_id uuid not null,
      at timestamptz not null default now(),
      user_id uuid references app_user(id),
      action text not null,
      from_status text,
      to_status text not null,
      reason text,
      detail jsonb,
      primary key (person_id, id),
      foreign key (person_id, prescription_id) references prescription (person_id, id)
    );
    create index prescription_event_of on prescription_event (person_id, prescription_id, at);

    -- the patient's online renewal request (线上续方), in their team's queue
    create table renewal_request (
      id uuid not null default gen_random_uuid(),
      person_id uuid not null references person(id),
      prescription_id uuid not null,
      team_id uuid not null references family_doctor_team(id),
      status text not null default 'open' check (status in ('open', 'renewed', 'declined')),
      note text check (note is null or length(note) <= 200),
      requested_at timestamptz not null default now(),
      handled_by uuid references app_user(id),
      handled_at timestamptz,
      decline_reason text,
      renewal_id uuid,
      primary key (person_id, id),
      foreign key (person_id, prescription_id) references prescription (person_id, id),
      foreign key (person_id, renewal_id) references prescription (person_id, id),
      check (status <> 'declined' or decline_reason is not null)
    );
    create index renewal_request_queue on renewal_request (team_id, requested_at) where status = 'open';
    create unique index renewal_request_one_open on renewal_request (person_id, prescription_id) where status = 'open';

    create table dispense (
      id uuid not null default gen_random_uuid(),
      person_id uuid not null references person(id),
      prescription_id uuid not null,
      institution_id uuid not null references institution(id),
      -- no dispense without its claim (the claim and the dispense are written in one transaction)
      claim_id uuid not null,
      status text not null default 'dispensed' check (status in ('dispensed', 'returned')),
      delivery boolean not null default false,
      dispensed_by uuid not null references app_user(id),
      dispensed_at timestamptz not null,
      returned_by uuid references app_user(id),
      returned_at timestamptz,
      return_reason text,
      primary key (id, person_id),
      unique (person_id, id),
      unique (person_id, claim_id),
      foreign key (person_id, prescription_id) references prescription (person_id, id),
      foreign key (person_id, claim_id) references claim (person_id, id),
      check ((status = 'returned') = (returned_at is not null and return_reason is not null))
    );
    create index dispense_prescription on dispense (person_id, prescription_id);
    create index dispense_institution_day on dispense (institution_id, dispensed_at);

    create table dispense_line (
      dispense_id uuid not null,
      line_no integer not null,
      person_id uuid not null,
      prescription_line_no integer not null,
      drug_code text not null references drug(code),
      batch_no text not null,
      expiry_date date not null,
      quantity integer not null check (quantity > 0),
      primary key (dispense_id, line_no, person_id),
      foreign key (person_id, dispense_id) references dispense (person_id, id)
    );

    -- 送药到家: the order to the delivery provider, its two-person recheck and the signed receipt's photo
    create table delivery_order (
      id uuid not null default gen_random_uuid(),
      person_id uuid not null references person(id),
      prescription_id uuid not null,
      dispense_id uuid not null,
      provider_id uuid not null references delivery_provider(id),
      institution_id uuid not null references institution(id),
      status text not null default 'ordered' check (status in ('ordered', 'rechecked', 'out_for_delivery', 'delivered', 'failed', 'returned')),
      address text not null,
      phone text,
      recheck1_by uuid references app_user(id),
      recheck1_at timestamptz,
      recheck2_by uuid references app_user(id),
      recheck2_at timestamptz,
      out_at timestamptz,
      out_by uuid references app_user(id),
      finished_at timestamptz,
      finished_by uuid references app_user(id),
      failure_reason text,
      proof_media_type text check (proof_media_type in ('image/jpeg', 'image/png')),
      proof_size_bytes integer check (proof_size_bytes > 0 and proof_size_bytes <= 5242880),
      proof bytea,
      created_by uuid not null references app_user(id),
      created_at timestamptz not null,
      primary key (id, person_id),
      unique (person_id, id),
      unique (person_id, dispense_id),
      foreign key (person_id, prescription_id) references prescription (person_id, id),
      foreign key (person_id, dispense_id) references dispense (person_id, id),
      -- the two rechecks are two different people
      check (recheck2_by is null or (recheck1_by is not null and recheck2_by <> recheck1_by)),
      check (status <> 'delivered' or proof is not null),
      check (status not in ('failed', 'returned') or failure_reason is not null)
    );
    create index delivery_order_queue on delivery_order (provider_id, status, created_at);
    create index delivery_order_prescription on delivery_order (person_id, prescription_id);

    create table delivery_event (
      id bigint generated always as identity,
      person_id uuid not null,
      order_id uuid not null,
      at timestamptz not null default now(),
      user_id uuid references app_user(id),
      from_status text,
      to_status text not null,
      reason text,
      primary key (person_id, id),
      foreign key (person_id, order_id) references delivery_order (person_id, id)
    );
    create index delivery_event_of on delivery_event (person_id, order_id, at);

    -- 备药: an institution's stock by batch; a dispense takes the earliest expiry first
    create table stock_batch (
      institution_id uuid not null references institution(id),
      drug_code text not null references drug(code),
      batch_no text not null check (batch_no ~ '^[A-Za-z0-9-]{1,30}$'),
      expiry_date date not null,
      received integer not null check (received >= 0),
      on_hand integer not null check (on_hand >= 0),
      received_at timestamptz not null default now(),
      primary key (institution_id, drug_code, batch_no)
    );
    create table stock_movement (
      id bigint generated always as identity primary key,
      institution_id uuid not null references institution(id),
      drug_code text not null references drug(code),
      batch_no text not null,
      kind text not null check (kind in ('receive', 'dispense', 'return', 'adjust')),
      quantity integer not null check (quantity <> 0),
      at timestamptz not null default now(),
      user_id uuid references app_user(id),
      -- the person and the dispense, without foreign keys: this table stays on the coordinator
      person_id uuid,
      dispense_id uuid,
      note text
    );
    create index stock_movement_drug on stock_movement (institution_id, drug_code, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table stock_movement, stock_batch, delivery_event, delivery_order, dispense_line, dispense, renewal_request,
      prescription_event, prescription_line, prescription;
    drop function prescription_no(uuid, date);
    drop sequence prescription_no_seq;
    delete from user_session where user_id in (select id from app_user where role = 'delivery');
    delete from app_user where role = 'delivery';
    alter table app_user drop constraint app_user_delivery_provider, drop constraint app_user_role_scope, drop constraint app_user_role;
    alter table app_user drop column delivery_provider_id,
      add constraint app_user_role check (role in ('family_doctor', 'pharmacist', 'insurance_reviewer', 'analyst', 'institution_admin', 'system_admin', 'patient')),
      add constraint app_user_role_scope check (case role
        when 'family_doctor' then team_id is not null and practitioner_id is not null and institution_id is null and region_code is null and person_id is null
        when 'pharmacist' then institution_id is not null and team_id is null and region_code is null and person_id is null
        when 'institution_admin' then institution_id is not null and team_id is null and region_code is null and person_id is null
        when 'insurance_reviewer' then region_code is not null and length(region_code) = 6 and team_id is null and institution_id is null and person_id is null
        when 'analyst' then region_code is not null and length(region_code) = 4 and team_id is null and institution_id is null and person_id is null
        when 'patient' then person_id is not null and team_id is null and institution_id is null and region_code is null
        else team_id is null and institution_id is null and region_code is null and person_id is null end);
    drop table delivery_provider;
  `.execute(db);
}
