// FHIR import (issue 18, docs/fhir.md): what hospitals' systems send, kept beside the programme's own records
// and never mistaken for them. An imported diagnosis is a health-record diagnosis whose source is `import`
// (with the system and resource it came from); imported readings and the outside medication list have tables
// of their own, so a reading from a hospital is on the chart but is not a follow-up visit the indicators
// count. Every imported row keeps its source system and resource id as its key: importing the same bundle
// again finds every row there and changes nothing. Each import is recorded with its report.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare c record;
    begin
      for c in select conname from pg_constraint
        where conrelid = 'person_condition'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%source%'
      loop
        execute format('alter table person_condition drop constraint %I', c.conname);
      end loop;
    end $$;
    alter table person_condition
      add column source_system text,
      add column source_id text,
      add constraint person_condition_source check (source in ('screening', 'follow_up', 'hospital', 'self_report', 'import')),
      add constraint person_condition_import_source check ((source = 'import') = (source_system is not null and source_id is not null));

    create table fhir_import (
      id uuid primary key default gen_random_uuid(),
      source text not null check (length(source) between 1 and 300),
      imported_by uuid references app_user(id),
      imported_by_name text not null,
      imported_at timestamptz not null,
      report jsonb not null
    );

    create table imported_reading (
      person_id uuid not null references person(id),
      source_system text not null check (length(source_system) between 1 and 300),
      source_id text not null check (length(source_id) between 1 and 300),
      kind text not null check (kind in ('blood_pressure', 'glucose', 'fasting_glucose', 'hba1c', 'weight', 'height', 'bmi', 'heart_rate')),
      reading_date date not null,
      -- as the chart keeps them: mmHg and beats a minute whole; glucose mmol/L, HbA1c %, kg, cm and BMI in tenths
      value integer not null,
      value2 integer check ((kind = 'blood_pressure') = (value2 is not null)),
      -- the import that brought it (fhir_import.id: no foreign key, the imports' records stay on the coordinator)
      import_id uuid not null,
      primary key (person_id, source_system, source_id)
    );
    create index imported_reading_chart on imported_reading (person_id, reading_date desc);

    create table outside_medication (
      person_id uuid not null references person(id),
      source_system text not null check (length(source_system) between 1 and 300),
      source_id text not null check (length(source_id) between 1 and 300),
      text text not null check (length(text) between 1 and 500),
      rxnorm text,
      atc text,
      drug_code text references drug(code),
      status text not null,
      authored_on date,
      -- the import that brought it (fhir_import.id: no foreign key, the imports' records stay on the coordinator)
      import_id uuid not null,
      primary key (person_id, source_system, source_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table outside_medication, imported_reading, fhir_import;
    delete from person_condition where source = 'import';
    alter table person_condition drop constraint person_condition_import_source, drop constraint person_condition_source,
      drop column source_system, drop column source_id,
      add check (source in ('screening', 'follow_up', 'hospital', 'self_report'));
  `.execute(db);
}
