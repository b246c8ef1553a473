// Health management: standardised follow-up visits (随访) for hypertension and type-2 diabetes as the
// national forms record them, the annual health check (年度健康体检), each patient's follow-up state
// (what the worklists and the reminder job read), and the reminders sent — never twice for one due date.
// Plausibility limits are the engine's (src/engine/followup/readings.ts), repeated here as CHECKs.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table followup_visit (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      visit_date date not null,
      diseases text[] not null check (cardinality(diseases) between 1 and 2 and diseases <@ array['hypertension', 'diabetes']::text[]),
      mode text not null check (mode in ('clinic', 'home', 'phone', 'online')),
      symptoms text[] not null default '{}',
      systolic smallint check (systolic between 60 and 260),
      diastolic smallint check (diastolic between 30 and 160),
      heart_rate smallint check (heart_rate between 30 and 220),
      weight_tenths_kg integer check (weight_tenths_kg between 200 and 3000),
      height_tenths_cm integer check (height_tenths_cm between 1000 and 2500),
      bmi_tenths integer check (bmi_tenths between 30 and 1500),
      fasting_glucose_tenths integer check (fasting_glucose_tenths between 10 and 333),
      hba1c_tenths integer check (hba1c_tenths between 30 and 200),
      -- lifestyle, as the forms ask it
      smoking_per_day smallint check (smoking_per_day between 0 and 100),
      drinking_ml_per_day smallint check (drinking_ml_per_day between 0 and 3000),
      exercise_per_week smallint check (exercise_per_week between 0 and 21),
      exercise_minutes smallint check (exercise_minutes between 0 and 600),
      salt_intake text check (salt_intake in ('light', 'moderate', 'heavy')),
      staple_food_g_per_day smallint check (staple_food_g_per_day between 0 and 2000),
      mental_state text check (mental_state in ('good', 'fair', 'poor')),
      adherence text check (adherence in ('regular', 'intermittent', 'none')),
      drugs jsonb not null default '[]' check (jsonb_typeof(drugs) = 'array'),
      adverse_reaction text not null default 'none' check (adverse_reaction in ('none', 'present', 'hard_to_control')),
      adverse_reaction_note text check (length(adverse_reaction_note) <= 200),
      complication text not null default 'none' check (complication in ('none', 'new_or_worse')),
      danger_signs boolean not null default false,
      -- what the rules computed (engine/followup/classify.ts), per disease and for the visit
      classification text not null check (classification in ('satisfactory', 'unsatisfactory', 'adverse_reaction', 'complication')),
      action text not null check (action in ('routine', 'adjust_recheck', 'refer_and_check', 'urgent_referral')),
      next_visit_date date not null,
      per_disease jsonb not null check (jsonb_typeof(per_disease) = 'array'),
      reasons jsonb not null check (jsonb_typeof(reasons) = 'array'),
      -- the doctor's override, with the reason it needs
      override_classification text check (override_classification in ('satisfactory', 'unsatisfactory', 'adverse_reaction', 'complication')),
      override_next_visit_date date,
      override_reason text check (length(btrim(override_reason)) between 1 and 200),
      -- what counts: the override when there is one
      final_classification text generated always as (coalesce(override_classification, classification)) stored,
      final_next_visit_date date generated always as (coalesce(override_next_visit_date, next_visit_date)) stored,
      referral_advice text check (length(referral_advice) <= 200),
      note text check (length(note) <= 1000),
      recorded_by uuid not null references app_user(id),
      team_id uuid references family_doctor_team(id),
      created_at timestamptz not null default now(),
      check ((systolic is null) = (diastolic is null)),
      check (diastolic < systolic),
      check (not ('hypertension' = any(diseases)) or systolic is not null),
      check (not ('diabetes' = any(diseases)) or fasting_glucose_tenths is not null),
      check (next_visit_date > visit_date),
      check (override_next_visit_date > visit_date),
      check ((override_reason is null) = (override_classification is null and override_next_visit_date is null)),
      check (action = 'routine' or referral_advice is not null or action = 'adjust_recheck')
    );
    create index followup_visit_person on followup_visit (person_id, visit_date desc, created_at desc);

    create table health_check (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      check_date date not null,
      systolic smallint check (systolic between 60 and 260),
      diastolic smallint check (diastolic between 30 and 160),
      heart_rate smallint check (heart_rate between 30 and 220),
      weight_tenths_kg integer check (weight_tenths_kg between 200 and 3000),
      height_tenths_cm integer check (height_tenths_cm between 1000 and 2500),
      bmi_tenths integer check (bmi_tenths between 30 and 1500),
      waist_tenths_cm integer check (waist_tenths_cm between 300 and 2000),
      fasting_glucose_tenths integer check (fasting_glucose_tenths between 10 and 333),
      hba1c_tenths integer check (hba1c_tenths between 30 and 200),
      total_cholesterol_tenths integer check (total_cholesterol_tenths between 5 and 300),
      ldl_tenths integer check (ldl_tenths between 2 and 200),
      creatinine_umol integer check (creatinine_umol between 10 and 2000),
      ecg text check (ecg in ('normal', 'abnormal', 'not_done')),
      fundus text check (fundus in ('normal', 'abnormal', 'not_done')),
      findings text check (length(findings) <= 1000),
      recorded_by uuid not null references app_user(id),
      team_id uuid references family_doctor_team(id),
      created_at timestamptz not null default now(),
      check ((systolic is null) = (diastolic is null)),
      check (diastolic < systolic)
    );
    create index health_check_person on health_check (person_id, check_date);

    -- One row per patient seen: the latest visit's outcome and the date the next one is due.
    -- Kept in the visit's transaction, so the worklists and the reminder job read one row per patient.
    create table followup_state (
      person_id uuid primary key references person(id),
      last_visit_id uuid not null references followup_visit(id),
      last_visit_date date not null,
      next_visit_date date not null,
      due_date date not null,
      last_classification text not null check (last_classification in ('satisfactory', 'unsatisfactory', 'adverse_reaction', 'complication')),
      last_action text not null check (last_action in ('routine', 'adjust_recheck', 'refer_and_check', 'urgent_referral')),
      last_controlled boolean,
      check (due_date > last_visit_date)
    );
    create index followup_state_due on followup_state (due_date);

    create table followup_reminder (
      id bigint generated always as identity primary key,
      person_id uuid not null references person(id),
      kind text not null check (kind in ('due_soon', 'overdue')),
      due_date date not null,
      channel text not null check (channel ~ '^[a-z_]{1,30}$'),
      status text not null default 'sent' check (status in ('sent', 'failed')),
      message text not null check (length(message) between 1 and 500),
      created_at timestamptz not null default now(),
      -- never twice for one person, due date and kind
      unique (person_id, due_date, kind)
    );
    create index followup_reminder_person on followup_reminder (person_id, created_at);

    -- Daily jobs that ran, so the in-process scheduler runs each once a day across restarts.
    create table job_run (
      job text not null check (job ~ '^[a-z_]{1,40}$'),
      run_date date not null,
      started_at timestamptz not null default now(),
      result jsonb,
      primary key (job, run_date)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job_run, followup_reminder, followup_state, health_check, followup_visit;`.execute(db);
}
