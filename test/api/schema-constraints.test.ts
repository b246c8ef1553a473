// The database itself refuses bad rows, whatever path writes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addDays, shanghaiDate } from '../../src/engine/calendar';
import { checkDigit, residentIdProblem } from '../../src/engine/identity/residentId';
import { loadDrugs } from '../../src/modules/reference/service';
import { testDatabase, type TestDatabase } from '../helpers/database';

// a second valid woman's number born the same day (sequence 004), for the refusal cases
const OTHER_ID = '11010519491231004' + checkDigit('11010519491231004');
/** A woman's number with a correct check digit, born on `date` ('YYYY-MM-DD'). */
const womanBorn = (date: string, address = '330402') => {
  const body = `${address}${date.replaceAll('-', '')}004`;
  return body + checkDigit(body);
};

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(() => t.drop());

const goodPerson = {
  name: '测试',
  sex: 'female' as const,
  birth_date: '1949-12-31',
  id_number: '11010519491231002X',
  region_code: '330402001',
  insurance_type: 'resident' as const,
  insured_since: '2015-01-01',
};

describe('schema constraints', () => {
  it('accepts a valid person', async () => {
    const town = await t.db.selectFrom('region').select('code').where('level', '=', 'town').limit(1).executeTakeFirstOrThrow();
    await t.db.insertInto('person').values({ ...goodPerson, region_code: town.code }).execute();
  });

  it('accepts the base row the refusals below change one field of', async () => {
    const town = await t.db.selectFrom('region').select('code').where('level', '=', 'town').limit(1).executeTakeFirstOrThrow();
    await t.db.transaction().execute(async (trx) => {
      await trx.insertInto('person').values({ ...goodPerson, id_number: OTHER_ID, region_code: town.code }).execute();
      await trx.deleteFrom('person').where('id_number', '=', OTHER_ID).execute();
    });
  });

  it.each([
    ['a wrong check digit', { id_number: OTHER_ID.slice(0, 17) + (OTHER_ID[17] === '0' ? '1' : '0') }],
    ['a birth date that disagrees with the ID number', { birth_date: '1950-01-01' }],
    ['a sex that disagrees with the ID number', { sex: 'male' as const }],
    ['an unknown insurance type', { insurance_type: 'private' as never }],
    ['insurance before birth', { insured_since: '1940-01-01' }],
    ['a malformed phone', { phone: '12345' }],
  ])('refuses %s', async (_label, change) => {
    const town = await t.db.selectFrom('region').select('code').where('level', '=', 'town').limit(1).executeTakeFirstOrThrow();
    await expect(t.db.insertInto('person').values({ ...goodPerson, id_number: OTHER_ID, ...change, region_code: town.code }).execute()).rejects.toThrow();
  });

  it.each([
    ['an address code outside the GB/T 2260 provinces', { id_number: womanBorn('1949-12-31', '990105') }],
    ['a Taiwan-like code that is not a province (70)', { id_number: womanBorn('1949-12-31', '700105') }],
    ['a birth year before 1900', { id_number: womanBorn('1899-12-31'), birth_date: '1899-12-31', insured_since: '1950-01-01' }],
  ])('refuses %s, as the engine does', async (_label, change) => {
    expect(residentIdProblem(change.id_number)).not.toBeNull();
    const town = await t.db.selectFrom('region').select('code').where('level', '=', 'town').limit(1).executeTakeFirstOrThrow();
    await expect(t.db.insertInto('person').values({ ...goodPerson, ...change, region_code: town.code }).execute()).rejects.toMatchObject({ constraint: 'person_id_number_check' });
  });

  it('refuses a birth date after today in Asia/Shanghai, on insert and on update, and accepts one of yesterday', async () => {
    const today = shanghaiDate(new Date());
    const future = addDays(today, 2);
    expect(residentIdProblem(womanBorn(future), today)).toBe('future_birth');
    const town = await t.db.selectFrom('region').select('code').where('level', '=', 'town').limit(1).executeTakeFirstOrThrow();
    const row = (birth: string) => ({ ...goodPerson, id_number: womanBorn(birth), birth_date: birth, insured_since: birth, region_code: town.code });
    await expect(t.db.insertInto('person').values(row(future)).execute()).rejects.toMatchObject({ code: '23514', constraint: 'person_birth_not_future' });
    const yesterday = addDays(today, -1);
    const { id } = await t.db.insertInto('person').values(row(yesterday)).returning('id').executeTakeFirstOrThrow();
    await expect(
      t.db.updateTable('person').set({ birth_date: future, id_number: womanBorn(future), insured_since: future }).where('id', '=', id).execute(),
    ).rejects.toMatchObject({ constraint: 'person_birth_not_future' });
    await t.db.deleteFrom('person').where('id', '=', id).execute();
  });

  it('agrees with the engine on which numbers are valid', async () => {
    // numbers around real ones: every province prefix and some that are not, good and bad check digits
    const ids: string[] = [];
    for (let p = 0; p < 100; p++)
      for (const birth of ['19000101', '19491231', '20240229']) {
        const body = `${String(p).padStart(2, '0')}0402${birth}${String(p * 7 % 1000).padStart(3, '0')}`;
        ids.push(body + checkDigit(body), body + (checkDigit(body) === '0' ? '1' : '0'));
      }
    ids.push('11010519491231002X', '1101051949123100', '11010519491231002Y', '110105189912310021');
    const rows = await sql<{ id: string; ok: boolean }>`select id, is_valid_resident_id(id) as ok from unnest(${ids}::text[]) as id`.execute(t.db);
    for (const r of rows.rows) expect(r.ok, r.id).toBe(residentIdProblem(r.id) === null);
  });

  it('holds general-outpatient drugs (no disease) and self-paid ones (no list), and refuses a malformed list id', async () => {
    const shipped = loadDrugs();
    const stored = await t.db.selectFrom('drug').select(['code', 'diseases', 'lists']).orderBy('code').execute();
    expect(stored).toEqual(shipped.map((d) => ({ code: d.code, diseases: d.diseases, lists: d.lists })));
    expect(stored.some((d) => d.diseases.length === 0 && d.lists.includes('nrdl'))).toBe(true);
    expect(stored.some((d) => d.lists.length === 0)).toBe(true);
    const base = { generic_name_zh: '测试药', generic_name_en: 'Test', form: '片', strength: '1mg', pack_size: 10, unit: '片', atc: 'N02BE01', diseases: [], vbp: false, price_fen: 100, daily_units: 1 };
    for (const lists of [['Chronic Common'], [''], ['nrdl', ''], ['nrdl,chronic-common']])
      await expect(t.db.insertInto('drug').values({ ...base, code: 'T0001', lists }).execute(), JSON.stringify(lists)).rejects.toMatchObject({ constraint: 'drug_lists_check' });
    await expect(t.db.insertInto('drug').values({ ...base, code: 'T0002', lists: sql<string[]>`array['nrdl', null]` }).execute()).rejects.toMatchObject({ constraint: 'drug_lists_check' });
    await t.db.transaction().execute(async (trx) => {
      await trx.insertInto('drug').values({ ...base, code: 'T0003', lists: ['nrdl', 'chronic-common'] }).execute();
      await trx.insertInto('drug').values({ ...base, code: 'T0004', lists: [] }).execute();
      await trx.deleteFrom('drug').where('code', 'in', ['T0003', 'T0004']).execute();
    });
  });

  it('refuses an institution whose kind does not fit its level', async () => {
    const county = await t.db.selectFrom('region').select('code').where('code', '=', '330402').executeTakeFirstOrThrow();
    await expect(
      t.db.insertInto('institution').values({ code: 'X-1', name: '错误医院', level: 'grassroots', kind: 'hospital', county_code: county.code, region_code: county.code }).execute(),
    ).rejects.toThrow();
  });

  it('refuses a user whose scope does not fit the role', async () => {
    await expect(
      t.db.insertInto('app_user').values({ username: 'bad-reviewer', display_name: 'x', password_hash: 'x', role: 'insurance_reviewer', region_code: '3304' }).execute(),
    ).rejects.toThrow(); // a reviewer's scope is a county (6 digits), not a city
  });
});
