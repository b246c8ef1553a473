import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../../db/connect';
import { insertMany } from '../../db/bulk';
import type { DB } from '../../db/schema';

/** What a search text means: an ID number, a phone number, the start of either, or a name prefix. */
export type PersonQuery =
  | { kind: 'all' }
  | { kind: 'id_number'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'digits'; value: string }
  | { kind: 'name'; value: string }
  /** A name and the last digits of the ID or phone number: "张三 1234" (how a counter finds the person in front of it, and a doctor a patient among namesakes). */
  | { kind: 'name_digits'; name: string; digits: string };

export function parsePersonQuery(text: string | undefined): PersonQuery {
  const q = (text ?? '').trim();
  if (!q) return { kind: 'all' };
  if (/^\d{17}[\dXx]$/.test(q)) return { kind: 'id_number', value: q.toUpperCase() };
  if (/^1[3-9]\d{9}$/.test(q)) return { kind: 'phone', value: q };
  if (/^\d+$/.test(q)) return { kind: 'digits', value: q };
  // "张三 1234", "张三1234", "张三 567X": a name, then at least four trailing characters of the ID or phone number
  const both = /^(\D*[^\d\s])\s*(\d{4,}[Xx]?|\d{3}[Xx])$/.exec(q);
  if (both) return { kind: 'name_digits', name: both[1].trim(), digits: both[2].toUpperCase() };
  return { kind: 'name', value: q };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

type PersonEb = ExpressionBuilder<DB, 'person'>;

function matches(eb: PersonEb, query: PersonQuery) {
  switch (query.kind) {
    case 'all':
      return eb.lit(true);
    case 'id_number':
      return eb('person.id_number', '=', query.value);
    case 'phone':
      return eb('person.phone', '=', query.value);
    case 'digits':
      return eb.or([eb('person.id_number', 'like', `${escapeLike(query.value)}%`), eb('person.phone', 'like', `${escapeLike(query.value)}%`)]);
    case 'name':
      return eb(sql`person.name collate "C"`, 'like', `${escapeLike(query.value)}%`);
    case 'name_digits':
      return eb.and([
        eb(sql`person.name collate "C"`, 'like', `${escapeLike(query.name)}%`),
        eb.or([eb('person.id_number', 'like', `%${escapeLike(query.digits)}`), eb('person.phone', 'like', `%${escapeLike(query.digits)}`)]),
      ]);
  }
}

/** People in scope: regionPrefix '' is everyone, a code is everyone living under it, null is nobody but `personId`. */
export interface PersonScope {
  regionPrefix: string | null;
  personId: string | null;
}

function inScope(eb: PersonEb, scope: PersonScope) {
  if (scope.regionPrefix === '') return eb.lit(true);
  const parts = [];
  if (scope.regionPrefix) parts.push(eb('person.region_code', 'like', `${scope.regionPrefix}%`));
  if (scope.personId) parts.push(eb('person.id', '=', scope.personId));
  return parts.length ? eb.or(parts) : eb.lit(false);
}

/** inScope's rule for a row already read. */
export const personInScope = (scope: PersonScope, person: { id: string; region_code: string }) =>
  scope.regionPrefix === '' || (scope.regionPrefix !== null && person.region_code.startsWith(scope.regionPrefix)) || scope.personId === person.id;

const COUNT_CAP = 1000;

export async function searchPeople(db: Database, scope: PersonScope, query: PersonQuery, limit: number, offset: number) {
  const base = db.selectFrom('person').where((eb) => eb.and([inScope(eb, scope), matches(eb, query)]));
  const [rows, count] = await Promise.all([
    base
      .innerJoin('region', 'region.code', 'person.region_code')
      .select(personColumns)
      .orderBy(sql`person.name collate "C"`)
      .orderBy('person.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    // counting a whole city is slow and nobody pages that far: stop at the cap
    db
      .selectFrom(base.select(sql.lit(1).as('one')).limit(COUNT_CAP + 1).as('hits'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n), totalCapped: Number(count.n) > COUNT_CAP };
}

const personColumns = [
  'person.id', 'person.name', 'person.sex', 'person.birth_date', 'person.id_number', 'person.phone',
  'person.insurance_type', 'person.region_code', 'region.name as region_name', 'person.address', 'person.insured_since',
] as const;

export function findPerson(db: Database, scope: PersonScope, id: string) {
  return db
    .selectFrom('person')
    .innerJoin('region', 'region.code', 'person.region_code')
    .select(personColumns)
    .where('person.id', '=', id)
    .where((eb) => inScope(eb, scope))
    .executeTakeFirst();
}

export function personExists(db: Database, id: string) {
  return db.selectFrom('person').select('id').where('id', '=', id).executeTakeFirst();
}

/** Health-record conditions of many people at once, for list pages. */
export function conditionsOf(db: Database, personIds: string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('person_condition')
    .innerJoin('disease', 'disease.code', 'person_condition.disease_code')
    .select(['person_condition.person_id', 'disease.code', 'disease.name_zh', 'disease.name_en', 'person_condition.diagnosed_on'])
    .where('person_condition.person_id', 'in', personIds)
    .orderBy('person_condition.diagnosed_on')
    .execute();
}

/** The current contract (with its team) of many people at once. */
export function activeContractsOf(db: Database, personIds: string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('contract as c')
    .innerJoin('family_doctor_team as t', 't.id', 'c.team_id')
    .select(['c.person_id', 'c.team_id', 't.name as team_name', 'c.end_date'])
    .where('c.person_id', 'in', personIds)
    .where('c.status', '=', 'active')
    .execute();
}

/** Confirmed registrations and open filings per disease, for status tags. */
export function registrationStatesOf(db: Database, personIds: string[]) {
  if (personIds.length === 0) return Promise.resolve([[], []] as const);
  return Promise.all([
    db.selectFrom('registration').select(['person_id', 'disease_code']).where('person_id', 'in', personIds).where('effective_to', 'is', null).execute(),
    db
      .selectFrom('filing_disease as d')
      .innerJoin('registration_filing as f', (j) => j.onRef('f.person_id', '=', 'd.person_id').onRef('f.id', '=', 'd.filing_id'))
      .select(['d.person_id', 'd.disease_code', 'f.status'])
      .where('d.person_id', 'in', personIds)
      .where('d.open', '=', true)
      .where('d.action', '=', 'add')
      .execute(),
  ]);
}

export interface NewPerson {
  id: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  id_number: string;
  phone: string | null;
  region_code: string;
  address: string | null;
  insurance_type: 'resident' | 'employee';
  insured_since: string;
  /** Known dead (the demo's history; an import records it otherwise). */
  death_date?: string | null;
}

/**
 * New insured persons. The ID number is claimed in person_id_number first — the one place it is
 * unique across persons once person is sharded by id (docs/scale.md) — so a number already held
 * fails there and no person row is written. Call it inside a transaction.
 */
export async function insertPeople(db: Database, people: NewPerson[]): Promise<void> {
  await insertMany(db, 'person_id_number', { id_number: 'text', person_id: 'uuid' }, people.map((p) => ({ id_number: p.id_number, person_id: p.id })));
  await insertMany(db, 'person', {
    id: 'uuid', name: 'text', sex: 'text', birth_date: 'date', id_number: 'text', phone: 'text', region_code: 'text',
    address: 'text', insurance_type: 'text', insured_since: 'date', death_date: 'date',
  }, people);
}
