// Resident ID numbers and the drug catalogue (issue 10, items 4 and 12).
//
// ID numbers: the database refuses what the engine (src/engine/identity/residentId.ts) refuses.
// is_valid_resident_id now also requires a GB/T 2260 province as the address code's first two digits
// and a birth year from 1900; the person row's constraint is re-added so every stored number is checked
// again. A birth date after today cannot be a CHECK (a check must be immutable, and "today" is not), so a
// BEFORE INSERT / UPDATE trigger refuses it, with today taken in Asia/Shanghai (the engine's calendar)
// whatever the session's TimeZone. The trigger raises a check_violation naming person_birth_not_future,
// so callers see it as they see any other constraint.
//
// Drugs: the catalogue holds general-outpatient drugs too (no disease of the registry: diseases = '{}'),
// and each drug names the drug lists it is on (lists: 'chronic-common', 'nrdl', 'tertiary'; see
// data/drugs.json). Existing rows are all two-disease drugs, on the chronic-disease list and the national
// list; the reference sync rewrites every row at start-up anyway.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- GB 11643: 17 digits then a check digit over weights 2^(18-p) mod 11, mapped by '10X98765432';
    -- the address code starts with a province of GB/T 2260 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65,
    -- 71, 81, 82); the birth year is 1900 or later (the birth date itself is checked against birth_date).
    create or replace function is_valid_resident_id(id text) returns boolean
    language sql immutable strict as $$
      select id ~ '^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])[0-9]{4}(19|[2-9][0-9])[0-9]{9}[0-9X]$'
         and substr('10X98765432',
                    (select sum(substr(id, p, 1)::int * ((2 ^ (18 - p))::int % 11)) from generate_series(1, 17) p)::int % 11 + 1,
                    1) = substr(id, 18, 1)
    $$;
    alter table person drop constraint person_id_number_check;
    alter table person add constraint person_id_number_check check (is_valid_resident_id(id_number));

    create function person_birth_not_future() returns trigger language plpgsql as $$
    begin
      raise exception 'birth date % is after today (%, Asia/Shanghai)', new.birth_date, (now() at time zone 'Asia/Shanghai')::date
        using errcode = 'check_violation', constraint = 'person_birth_not_future', table = 'person', column = 'birth_date';
    end $$;
    -- the WHEN clause keeps the ordinary row cheap: the function runs only to refuse
    create trigger person_birth_not_future before insert or update of birth_date on person
      for each row when (new.birth_date > (now() at time zone 'Asia/Shanghai')::date)
      execute function person_birth_not_future();

    alter table drug drop constraint drug_diseases_check;
    alter table drug add constraint drug_diseases_check check (array_position(diseases, null) is null);
    alter table drug add column lists text[] not null default '{chronic-common,nrdl}';
    alter table drug alter column lists drop default;
    -- list ids are lower-case words joined by hyphens; a drug may be on no list (self-paid)
    create function is_valid_drug_list_ids(lists text[]) returns boolean
    language sql immutable strict as $$
      select coalesce(bool_and(l is not null and l ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'), true) from unnest(lists) l
    $$;
    alter table drug add constraint drug_lists_check check (is_valid_drug_list_ids(lists));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table drug drop constraint drug_lists_check;
    alter table drug drop column lists;
    drop function is_valid_drug_list_ids(text[]);
    alter table drug drop constraint drug_diseases_check;
    -- not valid: general-outpatient drugs (no disease) may be stored by now and are kept
    alter table drug add constraint drug_diseases_check check (cardinality(diseases) > 0) not valid;

    drop trigger person_birth_not_future on person;
    drop function person_birth_not_future();
    create or replace function is_valid_resident_id(id text) returns boolean
    language sql immutable strict as $$
      select id ~ '^[0-9]{17}[0-9X]$'
         and substr('10X98765432',
                    (select sum(substr(id, p, 1)::int * ((2 ^ (18 - p))::int % 11)) from generate_series(1, 17) p)::int % 11 + 1,
                    1) = substr(id, 18, 1)
    $$;
    alter table person drop constraint person_id_number_check;
    alter table person add constraint person_id_number_check check (is_valid_resident_id(id_number));
  `.execute(db);
}
