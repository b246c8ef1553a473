// The database itself refuses bad rows, whatever path writes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDigit } from '../../src/engine/identity/residentId';
import { testDatabase, type TestDatabase } from '../helpers/database';

// a second valid woman's number born the same day (sequence 004), for the refusal cases
const OTHER_ID = '11010519491231004' + checkDigit('11010519491231004');

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
