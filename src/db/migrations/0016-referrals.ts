// Two-way referral (双向转诊): a family doctor's up-referral (上转) to a secondary or tertiary hospital,
// the hospital's answer (accepted with the appointment and the "four priorities" 四优先, or declined
// with a reason), the patient's attendance, and the down-referral (下转) after discharge back to the
// patient's team with the prescription to continue and the 2-week follow-up it owes. Every step is kept
// in referral_event.
//
// A new role, `specialist` (医院医生): a doctor of a secondary or tertiary hospital, scoped to it.
// Patient rows are keyed with the person (docs/scale.md): referral by (id, person_id), which the bare-id
// URL finds through the primary key; its history by (person_id, id).
import { type Kysely, sql } from 'kysely';

const STATUSES = `'requested', 'accepted', 'declined', 'attended', 'completed', 'expired'`;

const roleChecks = (withSpecialist: boolean) => sql.raw(`
  add constraint app_user_role check (role in ('family_doctor', 'pharmacist', 'insurance_reviewer', 'analyst',
    'institution_admin', 'system_admin', 'patient', 'delivery'${withSpecialist ? `, 'specialist'` : ''})),
  add constraint app_user_role_scope check (case role
    when 'family_doctor' then team_id is not null and practitioner_id is not null and institution_id is null and region_code is null and person_id is null
    when 'pharmacist' then institution_id is not null and team_id is null and region_code is null and person_id is null
    when 'institution_admin' then institution_id is not null and team_id is null and region_code is null and person_id is null
    ${withSpecialist ? `when 'specialist' then institution_id is not null and team_id is null and region_code is null and person_id is null` : ''}
    when 'insurance_reviewer' then region_code is not null and length(region_code) = 6 and team_id is null and institution_id is null and person_id is null
    when 'analyst' then region_code is not null and length(region_code) = 4 and team_id is null and institution_id is null and person_id is null
    when 'patient' then person_id is not null and team_id is null and institution_id is null and region_code is null
    when 'delivery' then team_id is null and institution_id is null and region_code is null and person_id is null
    else team_id is null and institution_id is null and region_code is null and person_id is null end)`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table app_user drop constraint app_user_role, drop constraint app_user_role_scope, ${roleChecks(true)}`.execute(db);
  await sql`
    -- 转诊单号: 'ZZ-' and the sending institution's code, the date and one sequence
    create sequence referral_no_seq as bigint;
    create function referral_no(institution_id uuid, on_date date) returns text language sql volatile as $$
      select 'ZZ-' || settlement_no_of((select i.code from institution i where i.id = $1), $2, nextval('referral_no_seq'))
    $$;

    create table referral (
      id uuid not null default gen_random_uuid(),
      person_id uuid not null references person(id),
      referral_no text not null,
      direction text not null check (direction in ('up', 'down')),
      status text not null default 'requested' check (status in (${sql.raw(STATUSES)})),
      urgency text not null check (urgency in ('urgent', 'routine')),
      reason text not null check (length(btrim(reason)) between 2 and 500),
      from_institution_id uuid not null references institution(id),
      from_team_id uuid references family_doctor_team(id),
      from_user_id uuid not null references app_user(id),
      to_institution_id uuid references institution(id),
      to_team_id uuid references family_doctor_team(id),
      department text check (department is null or length(btrim(department)) between 2 and 40),
      requested_date date,
      appointment_date date,
      appointment_department text check (appointment_department is null or length(btrim(appointment_department)) between 2 and 40),
      -- 四优先 given on acceptance
      priorities text[] not null default '{}' check (priorities <@ array['appointment', 'examination', 'admission', 'bed']),
      clinical_summary text check (clinical_summary is null or length(clinical_summary) <= 2000),
      -- the patient's current prescriptions when referred (a snapshot: they change afterwards)
      prescriptions jsonb not null default '[]',
      followup_visit_id uuid,
      up_referral_id uuid,
      discharge_date date,
      discharge_summary text check (discharge_summary is null or length(btrim(discharge_summary)) between 2 and 2000),
      source_prescription_no text check (source_prescription_no is null or length(btrim(source_prescription_no)) between 2 and 60),
      continue_lines jsonb not null default '[]',
      follow_up_due date,
      followed_up_visit_id uuid,
      followed_up_on date,
      extended_prescription_id uuid,
      county_code text not null references region(code),
      requested_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references app_user(id),
      declined_at timestamptz,
      declined_by uuid references app_user(id),
      decline_reason text,
      attended_at timestamptz,
      completed_at timestamptz,
      expires_on date,
      primary key (id, person_id),
      unique (person_id, id),
      foreign key (person_id, followup_visit_id) references followup_visit (person_id, id),
      foreign key (person_id, followed_up_visit_id) references followup_visit (person_id, id),
      foreign key (person_id, up_referral_id) references referral (person_id, id),
      foreign key (person_id, extended_prescription_id) references prescription (person_id, id),
      check (case direction
        when 'up' then to_institution_id is not null and to_team_id is null and discharge_date is null
        else to_team_id is not null and discharge_date is not null and discharge_summary is not null and follow_up_due is not null end),
      check (status <> 'declined' or decline_reason is not null),
      check (direction = 'down' or status not in ('accepted', 'attended', 'completed') or appointment_date is not null),
      check (jsonb_array_length(continue_lines) = 0 or source_prescription_no is not null)
    );
    -- the hospital's incoming queue (urgent first, then the longest waiting)
    create index referral_in_queue on referral (to_institution_id, status, requested_at) where direction = 'up';
    -- the team's up-referrals and the team's down-referrals to follow up
    create index referral_out on referral (from_team_id, requested_at desc) where direction = 'up';
    create index referral_down on referral (to_team_id, follow_up_due) where direction = 'down';
    create index referral_sent_down on referral (from_institution_id, requested_at desc) where direction = 'down';
    create index referral_person on referral (person_id, requested_at desc);
    -- the daily expiry job's candidates
    create index referral_expiry on referral (expires_on) where status in ('requested', 'accepted');
    -- one up-referral in force to a hospital at a time; one referral from a visit
    create unique index referral_one_open on referral (person_id, to_institution_id) where direction = 'up' and status in ('requested', 'accepted', 'attended');
    create unique index referral_from_visit on referral (person_id, followup_visit_id) where followup_visit_id is not null;

    create table referral_event (
      id bigint generated always as identity,
      person_id uuid not null,
      referral_id uuid not null,
      at timestamptz not null,
      user_id uuid references app_user(id),
      action text not null,
      from_status text,
      to_status text not null,
      reason text,
      detail jsonb,
      primary key (person_id, id),
      foreign key (person_id, referral_id) references referral (person_id, id)
    );
    create index referral_event_of on referral_event (person_id, referral_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table referral_event, referral;
    drop function referral_no(uuid, date);
    drop sequence referral_no_seq;
    delete from user_session where user_id in (select id from app_user where role = 'specialist');
    delete from app_user where role = 'specialist';
  `.execute(db);
  await sql`alter table app_user drop constraint app_user_role, drop constraint app_user_role_scope, ${roleChecks(false)}`.execute(db);
}
