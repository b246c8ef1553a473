// Administration (issue 13): an institution's address and phone and a family-doctor team's service
// phone — what a patient sees to reach their team — and a user that can be disabled and must choose
// a new password after a reset (its sessions end then too; see modules/admin).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- a landline with its area code (0573-82345678) or a mobile number
    create function is_valid_phone(phone text) returns boolean language sql immutable strict as $$
      select phone ~ '^(0[0-9]{2,3}-[0-9]{7,8}|1[3-9][0-9]{9})$'
    $$;
    alter table institution add column address text check (length(btrim(address)) between 2 and 200),
      add column phone text check (is_valid_phone(phone));
    alter table family_doctor_team add column phone text check (is_valid_phone(phone));
    alter table app_user add column disabled_at timestamptz,
      add column must_change_password boolean not null default false,
      add column password_changed_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table app_user drop column password_changed_at, drop column must_change_password, drop column disabled_at;
    alter table family_doctor_team drop column phone;
    alter table institution drop column phone, drop column address;
    drop function is_valid_phone(text);
  `.execute(db);
}
