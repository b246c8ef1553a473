// The indicators (issue 16): every number of every county and team recomputed from the raw tables by the
// plain SQL of bench/indicatorsRaw.ts; a visit, a registration and a death moving the numbers at once;
// who may see what; the patients behind a number; the CLI's JSON the same as the API's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../helpers/app';
import { rawCounters } from '../../bench/indicatorsRaw';
import { addCounters, emptyCounters, indicatorsOf, type Counters } from '../../src/engine/indicators/counters';
import { indicatorsLines } from '../../src/modules/indicators/console';
import { consoleActor } from '../../src/core/audit';
import { counterPatient } from '../helpers/people';

let t: TestApp;
const cookies: Record<string, string> = {};
const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
const post = async (who: string, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie: cookies[who] }, payload });
type Report = { period: { start: string; end: string }; scopes: Array<{ level: string; code: string; parent?: string; name: string; indicators: ReturnType<typeof indicatorsOf> & { activity: Record<string, number> } }> };
const report = async (who: string, query: string) => {
  const res = await get(who, `/api/indicators?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Report;
};
const county = (r: Report, code: string) => r.scopes.find((s) => s.level === 'county' && s.code === code)!.indicators;
const ROW_COUNTED = ['contracting', 'registered', 'standardised_management', 'control', 'grassroots_visits', 'fund_spending', 'diagnosed', 'activity', 'delivered_share'] as const;

beforeAll(async () => {
  t = await testApp();
  for (const who of ['analyst', 'reviewer', 'doctor', 'pharmacist']) cookies[who] = await t.login(who);
});
afterAll(() => t.close());

describe('the indicators agree with the plain SQL over the raw tables', () => {
  for (const [query, start, end, fullYear] of [
    ['year=2026&quarter=1', '2026-01-01', '2026-03-31', false],
    ['year=2025', '2025-01-01', '2025-12-31', true],
    ['year=2026&quarter=2', '2026-04-01', '2026-06-30', false],
  ] as const) {
    it(`${query}: every county and team, number by number`, async () => {
      const r = await report('analyst', query);
      expect(r.period).toMatchObject({ start, end });
      const raw = await rawCounters(t.ctx.db, { start, end, fullYear });
      const byCounty = new Map<string, Counters>();
      for (const [key, c] of raw) {
        const [countyCode, team] = key.split('|');
        addCounters(byCounty.get(countyCode) ?? byCounty.set(countyCode, emptyCounters()).get(countyCode)!, c);
        if (team) {
          const scope = r.scopes.find((s) => s.level === 'team' && s.code === team)!;
          // a team whose patients live in one county: its scope is exactly this group
          if (![...raw.keys()].some((k) => k !== key && k.endsWith(`|${team}`))) for (const k of ROW_COUNTED) expect(scope.indicators[k], `${team} ${k}`).toEqual(indicatorsOf(c)[k]);
        }
      }
      let checked = 0;
      for (const [code, c] of byCounty) {
        const expected = indicatorsOf(c);
        for (const k of ROW_COUNTED) expect(county(r, code)[k], `${code} ${k}`).toEqual(expected[k]);
        checked++;
      }
      expect(checked).toBeGreaterThan(3);
      const city = r.scopes.find((s) => s.level === 'city')!;
      expect(city.indicators.contracting.denominator).toBe([...byCounty.values()].reduce((s, c) => s + c.diagnosed, 0));
      expect(city.indicators.contracting.denominator).toBeGreaterThan(1000);
    });
  }
});

describe('the demo city tells the truth about the product (docs/demo.md)', () => {
  it('varies by county around the targets, controls about half, loses some, buys some elsewhere', async () => {
    const r = await report('analyst', 'year=2026&quarter=2');
    const rate = (x: { numerator: number; denominator: number }) => x.numerator / x.denominator;
    const counties = r.scopes.filter((s) => s.level === 'county').map((s) => rate(s.indicators.contracting));
    expect(Math.max(...counties)).toBeGreaterThan(0.8);
    expect(Math.min(...counties)).toBeLessThan(0.75);
    const city = r.scopes.find((s) => s.level === 'city')!.indicators;
    for (const d of ['hypertension', 'diabetes'] as const) {
      expect(rate(city.control[d])).toBeGreaterThan(0.35);
      expect(rate(city.control[d])).toBeLessThan(0.75);
      expect(city.control[d].groups.uncontrolled).toBeGreaterThan(city.control[d].denominator / 10);
    }
    const ht = city.control.hypertension;
    const lost = ht.excluded.lost_to_follow_up / (ht.denominator + ht.excluded.lost_to_follow_up + ht.excluded.registered_last_3_months);
    expect(lost).toBeGreaterThan(0.02);
    expect(lost).toBeLessThan(0.2);
    const v = city.grassroots_visits;
    expect(v.denominator).toBeGreaterThan(v.numerator); // some at hospitals
    expect(v.pharmacy_claims / (v.denominator + v.pharmacy_claims)).toBeGreaterThan(0.04);
    expect(v.pharmacy_claims / (v.denominator + v.pharmacy_claims)).toBeLessThan(0.15);
    const { rows: years } = await sql<{ y: number }>`select distinct extract(year from min(effective_from))::int as y from registration group by person_id`.execute(t.ctx.db);
    expect(years.length).toBeGreaterThanOrEqual(5);
    const { rows: [dead] } = await sql<{ n: number }>`select count(*)::int as n from person p where p.death_date is not null
      and exists (select 1 from registration_filing f where f.person_id = p.id and f.kind = 'revocation' and f.revocation_reason = 'death' and f.status = 'approved')`.execute(t.ctx.db);
    expect(dead.n).toBeGreaterThan(0);
  });
});

describe('a change is counted at once', () => {
  it('a visit, a registration and a death move the numbers they touch', async () => {
    const q = 'year=2026&quarter=2';
    // the demo doctor's registered hypertension patient who has missed a visit this quarter
    const { rows: [missed] } = await sql<{ person_id: string; county_code: string }>`
      select m.person_id, m.county_code from indicator_month m join app_user u on u.team_id = m.team_id and u.username = 'doctor'
      where m.month = '2026-06-01' and m.ht_control = 'missed_visit' and m.alive limit 1`.execute(t.ctx.db);
    expect(missed).toBeDefined();
    const before = county(await report('analyst', q), missed.county_code);
    const visit = await post('doctor', `/api/people/${missed.person_id}/followups`, { diseases: ['hypertension'], mode: 'clinic', readings: { systolic: 128, diastolic: 80, heartRate: 70 } });
    expect(visit.statusCode, visit.body).toBe(201);
    const afterVisit = county(await report('analyst', q), missed.county_code);
    expect(afterVisit.control.hypertension.numerator).toBe(before.control.hypertension.numerator + 1);
    expect(afterVisit.control.hypertension.groups.missed_visit).toBe(before.control.hypertension.groups.missed_visit - 1);

    // a filing awaiting review in the reviewer's county, of someone not registered yet
    const { rows: [filing] } = await sql<{ id: string; county_code: string }>`
      select f.id, f.county_code from registration_filing f join app_user u on u.region_code = f.county_code and u.username = 'reviewer'
      where f.status = 'submitted' and f.kind = 'initial' and not exists (select 1 from registration r where r.person_id = f.person_id) limit 1`.execute(t.ctx.db);
    const beforeApproval = county(await report('analyst', q), filing.county_code);
    const approve = await post('reviewer', `/api/filings/${filing.id}/approve`, {});
    expect(approve.statusCode, approve.body).toBe(200);
    const afterApproval = county(await report('analyst', q), filing.county_code);
    expect(afterApproval.registered.numerator).toBe(beforeApproval.registered.numerator + 1);
    expect(afterApproval.registered.denominator).toBe(beforeApproval.registered.denominator);
    expect(afterApproval.activity.registered_patients).toBe(beforeApproval.activity.registered_patients + 1);
    expect(afterApproval.activity.confirmed).toBe(beforeApproval.activity.confirmed + 1);

    // the patient just seen dies: a revocation for death, approved
    const revoke = await post('doctor', '/api/filings', { personId: missed.person_id, kind: 'revocation', revocationReason: 'death', deathDate: '2026-06-14' });
    expect(revoke.statusCode, revoke.body).toBe(201);
    const beforeDeath = county(await report('analyst', q), missed.county_code);
    expect((await post('reviewer', `/api/filings/${revoke.json().id}/approve`, {})).statusCode).toBe(200);
    const afterDeath = county(await report('analyst', q), missed.county_code);
    expect(afterDeath.contracting.denominator).toBe(beforeDeath.contracting.denominator - 1);
    expect(afterDeath.control.hypertension.numerator).toBe(beforeDeath.control.hypertension.numerator - 1);
    expect((await t.ctx.db.selectFrom('person').select('death_date').where('id', '=', missed.person_id).executeTakeFirstOrThrow()).death_date).toBe('2026-06-14');
  });
});

describe('a claim is counted in the counter’s own statement', () => {
  it('a sale at the pharmacy adds a pharmacy claim and its fen; its reversal takes them back', async () => {
    const person = await counterPatient(t.ctx.db);
    const drug = await t.ctx.db.selectFrom('drug').select(['code', 'price_fen']).where('generic_name_zh', '=', '苯磺酸氨氯地平片').executeTakeFirstOrThrow();
    const countyCode = (await t.ctx.db.selectFrom('person').select('region_code').where('id', '=', person.id).executeTakeFirstOrThrow()).region_code.slice(0, 6);
    const q = 'year=2026&quarter=2';
    const before = county(await report('analyst', q), countyCode);
    const sale = await post('pharmacist', '/api/settlements', { personId: person.id, lines: [{ drugCode: drug.code, quantity: 2 }], idempotencyKey: 'indicators-sale-0001' });
    expect(sale.statusCode, sale.body).toBe(201);
    const after = county(await report('analyst', q), countyCode);
    expect(after.grassroots_visits.pharmacy_claims).toBe(before.grassroots_visits.pharmacy_claims + 1);
    expect(after.grassroots_visits.denominator).toBe(before.grassroots_visits.denominator);
    expect(after.fund_spending.amount_fen).toBe(before.fund_spending.amount_fen + 2 * drug.price_fen);
    expect(after.fund_spending.fund_pay_fen).toBe(before.fund_spending.fund_pay_fen + sale.json().totals.fundPayFen);
    const year = county(await report('analyst', 'year=2026'), countyCode);
    expect(year.fund_spending.amount_fen).toBeGreaterThanOrEqual(after.fund_spending.amount_fen);
    const reversed = await post('pharmacist', `/api/settlements/${sale.json().id}/reverse`, { reason: '录入错误，冲正' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(county(await report('analyst', q), countyCode).fund_spending).toEqual(before.fund_spending);
  });
});

describe('the cohort view', () => {
  it('follows the patients registered in a quarter to the end of the quarter after next', async () => {
    const res = await get('analyst', '/api/indicators/cohort?year=2025&quarter=4');
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.observedAt).toBe('2026-06-30');
    const { rows: [{ n }] } = await sql<{ n: number }>`select count(*)::int as n from (select person_id from registration where disease_code = 'hypertension'
      group by person_id having min(effective_from) between '2025-10-01' and '2025-12-31') r`.execute(t.ctx.db);
    const total = c.counties.reduce((s: number, k: { hypertension: Record<string, number> }) => s + Object.values(k.hypertension).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(n);
    expect(total).toBeGreaterThan(0);
    expect(c.counties.every((k: { hypertension: Record<string, number> }) => k.hypertension.registered_last_3_months === 0)).toBe(true);
    expect((await get('analyst', '/api/indicators/cohort?year=2026&quarter=1')).json().errors[0]).toMatchObject({ field: 'query.quarter', rule: 'cohort_observed' });
  });
});

describe('who sees what', () => {
  it('gives the reviewer their own county and below, and the analyst the city', async () => {
    const mine = await report('reviewer', 'year=2026&quarter=1');
    const counties = mine.scopes.filter((s) => s.level === 'county');
    expect(counties.map((c) => c.code)).toEqual(['330402']);
    expect(mine.scopes.some((s) => s.level === 'city')).toBe(false);
    expect(mine.scopes.filter((s) => s.level === 'institution').length).toBeGreaterThan(1);
    expect((await get('reviewer', '/api/indicators?year=2026&quarter=1&county=330411')).statusCode).toBe(403);
    expect((await get('doctor', '/api/indicators?year=2026&quarter=1')).statusCode).toBe(403);
    const city = await report('analyst', 'year=2026&quarter=1');
    expect(city.scopes[0]).toMatchObject({ level: 'city', code: '3304', name: '嘉兴市' });
    // the teams add up to their institution
    const institution = city.scopes.find((s) => s.level === 'institution')!;
    const teams = city.scopes.filter((s) => s.level === 'team' && s.parent === institution.code);
    expect(teams.reduce((n, s) => n + s.indicators.contracting.numerator, 0)).toBe(institution.indicators.contracting.numerator);
  });

  it('refuses bad periods naming the field', async () => {
    const bad = await get('analyst', '/api/indicators?year=2026&quarter=5');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'query.quarter' });
    const future = await get('analyst', '/api/indicators?year=2027');
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0]).toMatchObject({ field: 'query.year', rule: 'not_in_future' });
    expect((await get('analyst', '/api/indicators?year=2026&county=3304')).statusCode).toBe(400);
  });

  it('lists the patients behind a number, masked for the analyst, audited', async () => {
    const r = await report('analyst', 'year=2026&quarter=1');
    const c = county(r, '330402');
    const url = (group: string) => `/api/indicators/patients?year=2026&quarter=1&level=county&code=330402&indicator=control.hypertension&group=${group}&pageSize=200`;
    const uncontrolled = (await get('analyst', url('uncontrolled'))).json();
    expect(uncontrolled.total).toBe(c.control.hypertension.groups.uncontrolled);
    const notMet = (await get('analyst', url('not_met'))).json();
    expect(notMet.total).toBe(c.control.hypertension.denominator - c.control.hypertension.numerator);
    const first = notMet.items[0];
    expect(first.name).toMatch(/\*/);
    expect(first.idNumber).toMatch(/\*/);
    const seen = await t.ctx.db.selectFrom('person_audit').select('action').where('person_id', '=', first.personId).where('entity', '=', 'person').execute();
    expect(seen.length).toBeGreaterThan(0);
    const reviewer = (await get('reviewer', url('uncontrolled'))).json();
    expect(reviewer.items[0]?.name ?? '').not.toMatch(/\*/);
    expect((await get('reviewer', url('uncontrolled').replace('330402', '330411'))).statusCode).toBe(403);
    expect((await get('analyst', '/api/indicators/patients?year=2026&quarter=1&level=county&code=330402&indicator=contracting&group=uncontrolled')).statusCode).toBe(400);
  });

  it('prints the same object from the CLI as the API answers', async () => {
    const api = (await get('analyst', '/api/indicators?year=2026&quarter=1&county=330402')).json();
    const cli = await indicatorsLines(t.ctx.db, consoleActor('tester'), { year: '2026', quarter: '1', county: '330402', json: true }, t.clock.now);
    expect(cli.exitCode).toBe(0);
    expect(JSON.parse(cli.lines[0])).toEqual(api);
    expect((await indicatorsLines(t.ctx.db, consoleActor('tester'), { year: '2026', quarter: '7' }, t.clock.now)).exitCode).toBe(2);
    const table = await indicatorsLines(t.ctx.db, consoleActor('tester'), { year: '2026', quarter: '1' }, t.clock.now);
    expect(table.lines.join('\n')).toContain('南湖区');
  });
});
