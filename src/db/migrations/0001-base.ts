// The base of the data model: regions, institutions, teams, insured persons and their
// health-record conditions, users with a role and a scope, sessions and the audit log.
// Constraints carry the rules so that a bad row cannot be written by any path.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- GB 11643: 17 digits, then a check digit over weights 2^(18-p) mod 11, mapped by '10X98765432'.
    create function is_valid_resident_id(id text) returns boolean
    language sql immutable strict as $$
      select id ~ '^[0-9]{17}[0-9X]$'
         and substr('10X98765432',
                    (select sum(substr(id, p, 1)::int * ((2 ^ (18 - p))::int % 11)) from generate_series(1, 17) p)::int % 11 + 1,
                    1) = substr(id, 18, 1)
    $$;

    create table region (
      code text primary key check (code ~ '^[0-9]{2}([0-9]{2}){0,2}([0-9]{3})?$'),
      name text not null check (length(name) between 1 and 50),
      name_en text,
      level text not null check (level in ('province', 'city', 'county', 'town')),
      parent_code text references region(code),
      check ((level = 'province') = (parent_code is null)),
      check (length(code) = case level when 'province' then 2 when 'city' then 4 when 'county' then 6 else 9 end),
      check (parent_code is null or starts_with(code, parent_code))
    );

    create table disease (
      code text primary key check (code ~ '^[a-z][a-z0-9_]*$'),
      name_zh text not null,
      name_en text not null,
      disease_group text not null check (disease_group in ('two_disease', 'chronic')),
      icd10 text[] not null check (cardinality(icd10) > 0)
    );

    create table drug (
      code text primary key,
      generic_name_zh text not null,
      generic_name_en text not null,
      form text not null,
      strength text not null,
      pack_size integer not null check (pack_size > 0),
      unit text not null,
      atc text not null check (atc ~ '^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$'),
      diseases text[] not null check (cardinality(diseases) > 0),
      vbp boolean not null,
      price_fen integer not null check (price_fen >= 0),
      daily_units numeric(8, 4) not null check (daily_units > 0)
    );

    create table medical_community (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      county_code text not null references region(code)
    );

    create table institution (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null check (length(name) between 2 and 100),
      level text not null check (level in ('grassroots', 'secondary', 'tertiary', 'pharmacy')),
      kind text not null check (kind in ('community_health_centre', 'township_health_centre', 'village_clinic', 'hospital', 'pharmacy')),
      county_code text not null references region(code),
      region_code text not null references region(code),
      medical_community_id uuid references medical_community(id),
      upper_institution_id uuid references institution(id),
      designated boolean not null default true,
      -- a kind belongs to exactly one level family: no "grassroots hospital" or "tertiary pharmacy"
      check (case kind when 'hospital' then level in ('secondary', 'tertiary')
                       when 'pharmacy' then level = 'pharmacy'
                       else level = 'grassroots' end),
      check (starts_with(region_code, county_code)),
      check (upper_institution_id is null or upper_institution_id <> id)
    );
    create index institution_county on institution (county_code, level);

    create table practitioner (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 50),
      profession text not null check (profession in ('doctor', 'nurse', 'public_health', 'pharmacist')),
      institution_id uuid not null references institution(id),
      license_no text not null unique
    );

    create table family_doctor_team (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      institution_id uuid not null references institution(id),
      leader_id uuid not null references practitioner(id)
    );
    create index team_institution on family_doctor_team (institution_id);

    create table team_member (
      team_id uuid not null references family_doctor_team(id) on delete cascade,
      practitioner_id uuid not null references practitioner(id),
      member_role text not null check (member_role in ('gp', 'nurse', 'public_health', 'specialist')),
      primary key (team_id, practitioner_id)
    );

    create table person (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 50),
      sex text not null check (sex in ('male', 'female')),
      birth_date date not null,
      id_number text collate "C" not null unique check (is_valid_resident_id(id_number)),
      phone text collate "C" check (phone ~ '^1[3-9][0-9]{9}$'),
      region_code text collate "C" not null references region(code),
      address text,
      insurance_type text not null check (insurance_type in ('resident', 'employee')),
      insured_since date not null,
      created_at timestamptz not null default now(),
      -- the ID number encodes the birth date and, in its 17th digit, the sex (odd = male)
      check (substr(id_number, 7, 8) = to_char(birth_date, 'YYYYMMDD')),
      check ((substr(id_number, 17, 1)::int % 2 = 1) = (sex = 'male')),
      check (insured_since >= birth_date)
    );
    -- searches are by prefix (name, ID number, phone, region code); the C collation lets LIKE 'x%' use the index
    create index person_name on person (name collate "C", id);
    create index person_phone on person (phone);
    create index person_region on person (region_code, id); -- covers a town's residents without heap reads

    -- A person's known chronic conditions, independent of any insurance registration.
    create table person_condition (
      person_id uuid not null references person(id),
      disease_code text not null references disease(code),
      diagnosed_on date not null,
      source text not null check (source in ('screening', 'follow_up', 'hospital', 'self_report')),
      institution_id uuid references institution(id),
      recorded_at timestamptz not null default now(),
      primary key (person_id, disease_code)
    );

    create table app_user (
      id uuid primary key default gen_random_uuid(),
      username text not null unique check (username ~ '^[a-z0-9_.-]{3,40}$'),
      display_name text not null,
      password_hash text not null,
      role text not null check (role in ('family_doctor', 'pharmacist', 'insurance_reviewer', 'analyst',
                                         'institution_admin', 'system_admin', 'patient')),
      practitioner_id uuid references practitioner(id),
      team_id uuid references family_doctor_team(id),
      institution_id uuid references institution(id),
      region_code text references region(code),
      person_id uuid references person(id),
      demo boolean not null default false,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      -- each role has exactly the scope it works in, and no other
      check (case role
        when 'family_doctor' then team_id is not null and practitioner_id is not null and institution_id is null and region_code is null and person_id is null
        when 'pharmacist' then institution_id is not null and team_id is null and region_code is null and person_id is null
        when 'institution_admin' then institution_id is not null and team_id is null and region_code is null and person_id is null
        when 'insurance_reviewer' then region_code is not null and length(region_code) = 6 and team_id is null and institution_id is null and person_id is null
        when 'analyst' then region_code is not null and length(region_code) = 4 and team_id is null and institution_id is null and person_id is null
        when 'patient' then person_id is not null and team_id is null and institution_id is null and region_code is null
        else team_id is null and institution_id is null and region_code is null and person_id is null end)
    );

    create table user_session (
      token_hash text primary key,
      user_id uuid not null references app_user(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text
    );
    create index user_session_user on user_session (user_id);

    -- Who read or changed what, when, from where. Append-only by convention and by grant in production.
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      user_id uuid references app_user(id),
      username text,
      role text,
      action text not null,
      entity text not null,
      entity_id text,
      person_id uuid,
      ip text,
      detail jsonb
    );
    create index audit_log_person on audit_log (person_id, at);
    create index audit_log_at on audit_log (at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table audit_log, user_session, app_user, person_condition, person, team_member, family_doctor_team,
      practitioner, institution, medical_community, drug, disease, region;
    drop function is_valid_resident_id(text);
  `.execute(db);
}
