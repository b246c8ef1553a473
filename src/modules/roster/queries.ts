// SQL of the imports: the catalogues a line is checked against, the rows already stored, and the
// bulk writes — each a few statements of arrays (unnest), whatever the number of lines.
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import { insertMany } from '../../db/bulk';
import type { ConditionSource, InsuranceType } from '../../db/schema';
import type { RegionLevel } from '../../engine/roster/roster';

/** Lines per statement: arrays of this many values are one short statement on both databases. */
export const CHUNK = 10_000;

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Imports of one kind run one at a time (the second waits for the first's commit): both look up which
 * ID numbers exist before they insert, and two inserting the same new number would fail the later one.
 */
export async function lockImports(trx: Database, kind: 'roster' | 'diagnoses'): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`manbing.import.${kind}`}))`.execute(trx);
}

export async function regionLevels(db: Database): Promise<Map<string, RegionLevel>> {
  const rows = await db.selectFrom('region').select(['code', 'level']).execute();
  return new Map(rows.map((r) => [r.code, r.level as RegionLevel]));
}

export async function diseaseCodes(db: Database): Promise<Set<string>> {
  return new Set((await db.selectFrom('disease').select('code').execute()).map((r) => r.code));
}

export async function institutionsByCode(db: Database): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('institution').select(['code', 'id']).execute()).map((r) => [r.code, r.id]));
}

/** ID number → person id, for the numbers already held (person_id_number is where a number is unique). */
export async function personIdsByNumber(db: Database, numbers: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(numbers)) {
    const { rows } = await sql<{ id_number: string; person_id: string }>`
      select id_number, person_id from person_id_number where id_number = any(${part}::text[])`.execute(db);
    for (const r of rows) found.set(r.id_number, r.person_id);
  }
  return found;
}

export interface StoredPerson {
  id: string;
  name: string;
  phone: string | null;
  region_code: string;
  insurance_type: InsuranceType;
  insured_since: string;
}

export async function peopleByIds(db: Database, ids: string[]): Promise<Map<string, StoredPerson>> {
  const found = new Map<string, StoredPerson>();
  for (const part of chunks(ids)) {
    const { rows } = await sql<StoredPerson>`
      select id, name, phone, region_code, insurance_type, to_char(insured_since, 'YYYY-MM-DD') as insured_since
      from person where id = any(${part}::uuid[])`.execute(db);
    for (const r of rows) found.set(r.id, r);
  }
  return found;
}

/** The roster's columns of persons already stored; sex and birth date are the ID number's and cannot change. */
export async function updatePeople(db: Database, rows: StoredPerson[]): Promise<void> {
  const col = <K extends keyof StoredPerson>(k: K) => rows.map((r) => r[k]);
  await sql`
    update person p set name = u.name, phone = u.phone, region_code = u.region_code, insurance_type = u.insurance_type, insured_since = u.insured_since
    from unnest(${col('id')}::uuid[], ${col('name')}::text[], ${col('phone')}::text[], ${col('region_code')}::text[],
                ${col('insurance_type')}::text[], ${col('insured_since')}::date[]) as u(id, name, phone, region_code, insurance_type, insured_since)
    where p.id = u.id`.execute(db);
}

export interface StoredCondition {
  person_id: string;
  disease_code: string;
  diagnosed_on: string;
  source: ConditionSource;
  institution_id: string | null;
}

/** Key of a condition: one per person and disease (person_condition's primary key). */
export const conditionKey = (c: { person_id: string; disease_code: string }) => `${c.person_id} ${c.disease_code}`;

export async function conditionsOf(db: Database, personIds: string[]): Promise<Map<string, StoredCondition>> {
  const found = new Map<string, StoredCondition>();
  for (const part of chunks([...new Set(personIds)])) {
    const { rows } = await sql<StoredCondition>`
      select person_id, disease_code, to_char(diagnosed_on, 'YYYY-MM-DD') as diagnosed_on, source, institution_id
      from person_condition where person_id = any(${part}::uuid[])`.execute(db);
    for (const r of rows) found.set(conditionKey(r), r);
  }
  return found;
}

const CONDITION_TYPES = { person_id: 'uuid', disease_code: 'text', diagnosed_on: 'date', source: 'text', institution_id: 'uuid' } as const;

export const insertConditions = (db: Database, rows: StoredCondition[]) => insertMany(db, 'person_condition', CONDITION_TYPES, rows);

export async function updateConditions(db: Database, rows: StoredCondition[]): Promise<void> {
  const col = <K extends keyof StoredCondition>(k: K) => rows.map((r) => r[k]);
  await sql`
    update person_condition c set diagnosed_on = u.diagnosed_on, source = u.source, institution_id = u.institution_id, recorded_at = now()
    from unnest(${col('person_id')}::uuid[], ${col('disease_code')}::text[], ${col('diagnosed_on')}::date[], ${col('source')}::text[], ${col('institution_id')}::uuid[])
      as u(person_id, disease_code, diagnosed_on, source, institution_id)
    where c.person_id = u.person_id and c.disease_code = u.disease_code`.execute(db);
}

/** An account the CLI acts as, with what requireAccess needs of it. */
export function accountByUsername(db: Database, username: string) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('institution as i', 'i.id', 'u.institution_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.institution_id', 'i.name as institution_name', 'i.county_code as institution_county'])
    .select((eb) => eb('u.disabled_at', 'is not', null).as('disabled'))
    .where('u.username', '=', username)
    .executeTakeFirst();
}

