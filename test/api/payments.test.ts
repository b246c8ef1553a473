// Provider payment (issue 17): a township's capitation and a team's contract fee recomputed by hand from the
// stored records with plain SQL written from docs/payments.md (not from the module's queries); the budget's
// projection read against its stated method; Luohu's saving from two years of demo claims; a run stored with its
// inputs and reproduced to the fen; access, bad input, the workbook and the CLI.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../helpers/app';
import { confirmFinding, countyReviewer, plantFinding, townshipClaim } from '../helpers/findings';
import { consoleActor } from '../../src/core/audit';
import { paymentsLines } from '../../src/modules/payments/console';
import type { PaymentReport } from '../../src/modules/payments/service';

let t: TestApp;
const cookies: Record<string, string> = {};
const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
const payments = async (who: string, query: string) => {
  const res = await get(who, `/api/payments?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PaymentReport;
};
const n = (v: unknown) => Number(v ?? 0);
/** round(a / b), half up, for non-negative integers (as the docs say every figure is rounded). */
const halfUp = (a: number, b: number) => Math.floor((2 * a + b) / (2 * b));

beforeAll(async () => {
  t = await testApp();
  for (const who of ['analyst', 'reviewer', 'doctor']) cookies[who] = await t.login(who);
});
afterAll(() => t.close());

/** The fund's payment of a claim as it stands: as settled plus every later adjustment's difference. */
const FUND_IN_FORCE = `c.fund_pay_fen + coalesce((select sum(a.fund_pay_fen) from claim_adjustment a where a.person_id = c.person_id and a.claim_id = c.id), 0)`;

describe('capitation with balance retention, by hand', () => {
  it('a township of 2026 Q1: insured, package, drawn, balance, year-end share', async () => {
    const r = await payments('analyst', 'year=2026&quarter=1');
    expect(r.period).toMatchObject({ start: '2026-01-01', end: '2026-03-31', as_of: '2026-03-31', complete_months: 3 });
    const p = r.parameters as unknown as { capitation: { per_head: { fen: number }; package_share: { bp: number }; overrun_borne_by_centre: { bp: number }; balance_retained: { bp: number }; counties: { codes: string[] } } };
    expect(r.results.capitation.length).toBeGreaterThan(3);
    expect(new Set(r.results.capitation.map((c) => c.county_code))).toEqual(new Set(p.capitation.counties.codes));
    // the township whose people claimed most
    const town = [...r.results.capitation].sort((a, b) => b.package_cost_fen - a.package_cost_fen)[0];
    const db = t.ctx.db;
    const insured = await sql<{ n: number }>`select count(*)::int as n from person
      where region_code like ${`${town.town_code}%`} and insurance_type = 'resident' and insured_since <= '2026-01-01' and (death_date is null or death_date >= '2026-01-01')`.execute(db);
    const cost = await sql<{ package: string; referral: string }>`
      select coalesce(sum(${sql.raw(FUND_IN_FORCE)}) filter (where i.level not in ('secondary', 'tertiary')), 0) as package,
             coalesce(sum(${sql.raw(FUND_IN_FORCE)}) filter (where i.level in ('secondary', 'tertiary')), 0) as referral
      from claim c join person p on p.id = c.person_id join institution i on i.id = c.institution_id
      where c.status = 'settled' and c.service_date between '2026-01-01' and '2026-03-31'
        and p.region_code like ${`${town.town_code}%`} and p.insurance_type = 'resident'`.execute(db);
    expect(town.insured).toBe(insured.rows[0].n);
    expect(town.package_cost_fen).toBe(n(cost.rows[0].package));
    expect(town.referral_cost_fen).toBe(n(cost.rows[0].referral));
    expect(town.package_cost_fen).toBeGreaterThan(0);
    const fund = p.capitation.per_head.fen * town.insured;
    const pkg = halfUp(fund * p.capitation.package_share.bp, 10000);
    expect([town.fund_fen, town.package_fen, town.referral_pool_fen]).toEqual([fund, pkg, fund - pkg]);
    expect(town.balance_fen).toBe(pkg - town.package_cost_fen);
    // Q1's three months are over: the year's end at their run rate, × 12 ÷ 3
    const yearCost = halfUp(town.package_cost_fen * 12, 3);
    const balance = pkg - yearCost;
    const centre = balance < 0 ? halfUp(-balance * p.capitation.overrun_borne_by_centre.bp, 10000) : 0;
    expect(town.year_end).toEqual({
      basis: 'projected', package_cost_fen: yearCost, balance_fen: balance,
      retained_fen: balance > 0 ? halfUp(balance * p.capitation.balance_retained.bp, 10000) : 0,
      overrun_centre_fen: centre, overrun_fund_fen: balance < 0 ? -balance - centre : 0,
    });
    // the months add up to the figure, and the control rate beside it is the centre's indicator
    expect(town.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(town.months.reduce((s, m) => s + m.package_fen, 0)).toBe(town.package_cost_fen);
    const ind = (await get('analyst', '/api/indicators?year=2026&quarter=1')).json() as { scopes: Array<{ level: string; code: string; indicators: { control: { hypertension: { numerator: number; denominator: number } } } }> };
    const centreScope = ind.scopes.find((s) => s.level === 'institution' && s.code === town.institution_id)!;
    expect(town.control.hypertension).toEqual({ numerator: centreScope.indicators.control.hypertension.numerator, denominator: centreScope.indicators.control.hypertension.denominator });
    // a re-settlement (补扣: the fund pays 1 yuan less of a one-line claim) is drawn as it now stands
    const { rows: [one] } = await sql<{ id: string; person_id: string; fund: string; deductible: string; copay: string; over: string; critical: string }>`
      select c.id, c.person_id, l.fund_pay_fen as fund, l.deductible_fen as deductible, l.copay_fen as copay, l.over_limit_fen as over, l.critical_illness_fen as critical
      from claim c join person p on p.id = c.person_id join claim_line l on l.person_id = c.person_id and l.claim_id = c.id
      where p.region_code like ${`${town.town_code}%`} and p.insurance_type = 'resident' and c.status = 'settled' and c.institution_level = 'grassroots'
        and c.service_date between '2026-01-01' and '2026-03-31' and l.fund_pay_fen >= 100
        and (select count(*) from claim_line k where k.person_id = c.person_id and k.claim_id = c.id) = 1
      limit 1`.execute(db);
    const admin = (await db.selectFrom('app_user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
    const line = { lineNo: 1, fundPayFen: n(one.fund) - 100, deductibleFen: n(one.deductible), copayFen: n(one.copay) + 100, overLimitFen: n(one.over), criticalIllnessFen: n(one.critical) };
    await db.insertInto('claim_adjustment').values({ person_id: one.person_id, claim_id: one.id, caused_by: one.id, cause: 'backdated', fund_pay_fen: -100, deductible_fen: 0, copay_fen: 100, over_limit_fen: 0, critical_illness_fen: 0, lines: JSON.stringify([line]), created_by: admin }).execute();
    const again = (await payments('analyst', 'year=2026&quarter=1')).results.capitation.find((c) => c.town_code === town.town_code)!;
    expect(again.package_cost_fen).toBe(town.package_cost_fen - 100);
    const recount = await sql<{ package: string }>`select coalesce(sum(${sql.raw(FUND_IN_FORCE)}), 0) as package
      from claim c join person p on p.id = c.person_id join institution i on i.id = c.institution_id
      where c.status = 'settled' and c.service_date between '2026-01-01' and '2026-03-31' and i.level not in ('secondary', 'tertiary')
        and p.region_code like ${`${town.town_code}%`} and p.insurance_type = 'resident'`.execute(db);
    expect(again.package_cost_fen).toBe(n(recount.rows[0].package));
  });
});

describe('the contract fee of a team, by hand', () => {
  it('resident-months at each month end, the six score lines, the curve and the fee', async () => {
    const r = await payments('analyst', 'year=2026&quarter=1');
    const fee = [...r.results.contract_fee].sort((a, b) => b.resident_months - a.resident_months)[0];
    const db = t.ctx.db;
    let months = 0;
    for (const at of ['2026-01-31', '2026-02-28', '2026-03-31']) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from contract c join person p on p.id = c.person_id
        where c.team_id = ${fee.team_id} and c.start_date <= ${at} and c.end_date >= ${at} and (c.terminated_on is null or c.terminated_on > ${at})
          and (p.death_date is null or p.death_date > ${at})`.execute(db);
      months += rows[0].n;
    }
    expect(fee.resident_months).toBe(months);
    const p = r.parameters as unknown as { contract_fee: { monthly: { fen: number }; items: Record<string, { weight: { bp: number }; target: { bp: number } }>; curve: { points: Array<[number, number]> } } };
    expect(fee.base_fen).toBe(months * p.contract_fee.monthly.fen);
    // the rates are the indicators' numbers for the team (and, for the ratio, the county's patients under no contract)
    const ind = (await get('analyst', '/api/indicators?year=2026&quarter=1')).json() as { scopes: Array<{ level: string; code: string; indicators: Record<string, any> }> };
    const i = ind.scopes.find((s) => s.level === 'team' && s.code === fee.team_id)!.indicators;
    const both = (a: { numerator: number; denominator: number }, b: { numerator: number; denominator: number }) => [a.numerator + b.numerator, a.denominator + b.denominator];
    const rates: Record<string, number[]> = {
      contracting: [i.contracting.numerator, i.contracting.denominator],
      registration: [i.registered.numerator, i.registered.denominator],
      standardised_management: both(i.standardised_management.hypertension, i.standardised_management.diabetes),
      control: both(i.control.hypertension, i.control.diabetes),
      grassroots_visits: [i.grassroots_visits.numerator, i.grassroots_visits.denominator],
    };
    const outside = await sql<{ g: string; h: string }>`select coalesce(sum(q_grassroots), 0) as g, coalesce(sum(q_hospital), 0) as h from indicator_month
      where month = '2026-03-01' and county_code = ${fee.county_code} and team_id is null`.execute(db);
    const [g, h] = [n(outside.rows[0].g), n(outside.rows[0].h)];
    rates.community_visit_ratio = [rates.grassroots_visits[0] * (g + h), rates.grassroots_visits[1] * g];
    let weighted = 0;
    for (const line of fee.lines) {
      const [num, den] = rates[line.item];
      const { weight, target } = p.contract_fee.items[line.item];
      const points = den ? Math.min(10000, halfUp(num * 10000 * 10000, den * target.bp)) : 0;
      expect(line.points, line.item).toBe(points);
      weighted += weight.bp * points;
    }
    const score = halfUp(weighted, 10000);
    expect(fee.score).toBe(score);
    const pts = p.contract_fee.curve.points.map(([s, bp]) => [s * 100, bp]);
    const k = pts.findIndex(([s]) => s >= score);
    const share = k <= 0 ? pts[Math.max(k, 0)][1] : pts[k - 1][1] + halfUp((pts[k][1] - pts[k - 1][1]) * (score - pts[k - 1][0]), pts[k][0] - pts[k - 1][0]);
    expect(fee.share_bp).toBe(share);
    expect(fee.fee_fen).toBe(halfUp(fee.base_fen * share, 10000));
    expect(fee.fee_fen).toBeGreaterThan(0);
  });
});

describe('the total budget and Luohu’s saving', () => {
  it('projects the year at the run rate of the complete months, as stated', async () => {
    const r = await payments('analyst', 'year=2026');
    // today is 2026-06-15: January to May are over
    expect(r.period).toMatchObject({ as_of: '2026-06-15', complete_months: 5 });
    for (const b of r.results.budget) {
      const five = b.months.slice(0, 5).reduce((s, m) => s + m.within_fen - m.recovered_fen, 0);
      expect(b.projection).toEqual({ method: 'run_rate', complete_months: 5 });
      expect(b.projected_fen).toBe(halfUp(five * 12, 5));
      expect(b.projected_balance_fen).toBe(b.budget_fen - b.projected_fen!);
    }
    // spending within the budget at one community's institutions (no pharmacy), lines of 30 days or fewer
    const b = [...r.results.budget].sort((x, y) => y.spent_fen - x.spent_fen)[0];
    const spent = await sql<{ within: string; long: string }>`
      select coalesce(sum(coalesce((adj.x ->> 'fundPayFen')::bigint, l.fund_pay_fen)) filter (where l.days_supply <= 30), 0) as within,
             coalesce(sum(coalesce((adj.x ->> 'fundPayFen')::bigint, l.fund_pay_fen)) filter (where l.days_supply > 30), 0) as long
      from claim c join claim_line l on l.person_id = c.person_id and l.claim_id = c.id join institution i on i.id = c.institution_id
      left join lateral (select x from claim_adjustment a, jsonb_array_elements(a.lines) x
                         where a.person_id = c.person_id and a.claim_id = c.id and (x ->> 'lineNo')::int = l.line_no order by a.seq desc limit 1) adj on true
      where c.status = 'settled' and c.service_date between '2026-01-01' and '2026-06-15' and i.medical_community_id = ${b.community_id} and i.level <> 'pharmacy'`.execute(t.ctx.db);
    const recovered = await sql<{ fen: string }>`select coalesce(sum(f.deduction_fen), 0) as fen from audit_finding f join institution i on i.id = f.institution_id
      where f.status = 'confirmed' and i.medical_community_id = ${b.community_id} and i.level <> 'pharmacy'
        and (f.decided_at at time zone 'Asia/Shanghai')::date between '2026-01-01' and '2026-06-15'`.execute(t.ctx.db);
    expect(b.recovered_fen).toBe(n(recovered.rows[0].fen));
    expect(b.spent_fen).toBe(n(spent.rows[0].within) - n(recovered.rows[0].fen));
    expect(b.long_rx_allowance_fen).toBe(n(spent.rows[0].long));
    expect(b.spent_fen + b.long_rx_allowance_fen).toBeGreaterThan(0);
  });

  it('a deduction the smart audit confirms comes off the budget and the township package in the month confirmed', async () => {
    const db = t.ctx.db;
    // a claim of a pilot township's resident at a grassroots member of a medical community, found by the audit
    const c = await townshipClaim(t, { counties: ['330421', '330424'], from: '2026-04-01', to: '2026-06-14' });
    expect(c, 'a claim in a pilot township').toBeDefined();
    const findingId = await plantFinding(t, c!);
    const before = await payments('analyst', 'year=2026');
    const deduction = Math.floor(c!.fund / 2);
    await confirmFinding(t, findingId, c!.county_code, deduction);
    const after = await payments('analyst', 'year=2026');
    expect(after.run.id).not.toBe(before.run.id);
    const budgetOf = (x: PaymentReport) => x.results.budget.find((b) => b.community_id === c!.community)!;
    const townOf = (x: PaymentReport) => x.results.capitation.find((k) => k.town_code === c!.town)!;
    expect(budgetOf(before).spent_fen - budgetOf(after).spent_fen).toBe(deduction);
    // confirmed today, in June, a month not yet over: the run-rate projection of January–May does not move
    expect(budgetOf(after).months[5].recovered_fen - budgetOf(before).months[5].recovered_fen).toBe(deduction);
    expect(budgetOf(after).projected_fen).toBe(budgetOf(before).projected_fen);
    // the recoveries as plain SQL says them: confirmed deductions at the community's institutions, by the day confirmed
    const recovered = await sql<{ fen: string }>`select coalesce(sum(f.deduction_fen), 0) as fen from audit_finding f join institution i on i.id = f.institution_id
      where f.status = 'confirmed' and i.medical_community_id = ${c!.community} and i.level <> 'pharmacy'
        and (f.decided_at at time zone 'Asia/Shanghai')::date between '2026-01-01' and '2026-06-15'`.execute(db);
    expect(budgetOf(after).recovered_fen).toBe(n(recovered.rows[0].fen));
    expect(budgetOf(after).recovered_fen).toBeGreaterThanOrEqual(deduction);
    expect(after.results.totals.budget_recovered_fen - before.results.totals.budget_recovered_fen).toBe(deduction);
    // the township's package gets it back
    expect(townOf(after).package_recovered_fen - townOf(before).package_recovered_fen).toBe(deduction);
    expect(townOf(after).balance_fen - townOf(before).balance_fen).toBe(deduction);
    // the recoveries behind both figures, listed (masked, audited); not for a doctor
    for (const [model, code] of [['budget', c!.community], ['capitation', c!.town]]) {
      const list = await get('analyst', `/api/payments/recoveries?year=2026&model=${model}&code=${code}`);
      expect(list.statusCode, list.body).toBe(200);
      const item = list.json().items.find((x: { id: string }) => x.id === findingId);
      expect(item).toMatchObject({ decided_on: '2026-06-15', deduction_fen: deduction, against: 'institution', rule: { code: 'early_refill' }, service_date: c!.service_date });
      expect(item.id_number).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(list.json().items.reduce((sum: number, x: { deduction_fen: number }) => sum + x.deduction_fen, 0))
        .toBe(model === 'budget' ? budgetOf(after).recovered_fen : townOf(after).package_recovered_fen + townOf(after).referral_recovered_fen);
    }
    const audited = await db.selectFrom('audit_log').select('entity').where('entity', '=', 'payments.recoveries').execute();
    expect(audited.length).toBeGreaterThanOrEqual(2);
    expect((await get('doctor', `/api/payments/recoveries?year=2026&model=budget&code=${c!.community}`)).statusCode).toBe(403);
    // reopened, the deduction is no longer recovered: the figures are as before
    const reopen = await t.app.inject({ method: 'POST', url: `/api/smart-audit/findings/${findingId}/reopen`, headers: { cookie: await countyReviewer(t, c!.county_code) }, payload: { reason: '复核后重新审核' } });
    expect(reopen.statusCode, reopen.body).toBe(200);
    const reopened = await payments('analyst', 'year=2026');
    expect(budgetOf(reopened).spent_fen).toBe(budgetOf(before).spent_fen);
    expect(townOf(reopened).package_cost_fen).toBe(townOf(before).package_cost_fen);
  });

  it('sums what each institution is owed: its teams’ fees and work equivalents, a pilot centre’s settlement', async () => {
    const r = await payments('analyst', 'year=2026');
    const centre = r.results.capitation.find((c) => c.year_end && r.results.contract_fee.some((f) => f.institution_id === c.institution_id))!;
    expect(centre, 'a pilot centre with teams').toBeDefined();
    for (const id of [centre.institution_id, r.results.contract_fee.find((f) => f.county_code !== centre.county_code)!.institution_id]) {
      const teams = r.results.contract_fee.filter((f) => f.institution_id === id);
      const fee = teams.reduce((s, f) => s + f.fee_fen, 0);
      const work = r.results.work_equivalent.filter((w) => w.institution_id === id).reduce((s, w) => s + w.value_fen, 0);
      const y = r.results.capitation.find((c) => c.institution_id === id)?.year_end ?? null;
      const p = r.results.providers.find((x) => x.institution_id === id)!;
      expect(p).toMatchObject({ teams: teams.length, contract_fee_fen: fee, work_equivalent_fen: work });
      expect(p.capitation).toEqual(y && { basis: y.basis, retained_fen: y.retained_fen, overrun_centre_fen: y.overrun_centre_fen });
      expect(p.total_fen).toBe(fee + work + (y ? y.retained_fen - y.overrun_centre_fen : 0));
    }
    expect(new Set(r.results.providers.map((p) => p.institution_id)).size).toBe(r.results.providers.length);
    const reviewer = await payments('reviewer', 'year=2026');
    expect(reviewer.results.providers.length).toBeGreaterThan(0);
    expect(reviewer.results.providers.every((p) => p.county_code === reviewer.county)).toBe(true);
  });

  it('compares the contracted insured’s cost this year with the same people’s last year × (1 + growth), from both years’ claims', async () => {
    const r = await payments('analyst', 'year=2026');
    const growth = (r.parameters as unknown as { budget: { luohu: { allowed_growth: { bp: number } } } }).budget.luohu.allowed_growth.bp;
    const b = [...r.results.budget].sort((x, y) => y.luohu.last_year_fen - x.luohu.last_year_fen)[0];
    const cohort = sql`select distinct c.person_id from contract c join family_doctor_team tm on tm.id = c.team_id join institution i on i.id = tm.institution_id
      join person p on p.id = c.person_id
      where i.medical_community_id = ${b.community_id} and c.start_date <= '2026-06-15' and c.end_date >= '2026-06-15'
        and (c.terminated_on is null or c.terminated_on > '2026-06-15') and (p.death_date is null or p.death_date > '2026-06-15')`;
    const { rows } = await sql<{ people: number; this_year: string; last_year: string }>`
      select (select count(*)::int from (${cohort}) k) as people,
        (select coalesce(sum(amount_fen), 0) from claim where status = 'settled' and service_date between '2026-01-01' and '2026-06-15' and person_id in (${cohort})) as this_year,
        (select coalesce(sum(amount_fen), 0) from claim where status = 'settled' and service_date between '2025-01-01' and '2025-06-15' and person_id in (${cohort})) as last_year`.execute(t.ctx.db);
    expect(b.luohu.contracted).toBe(rows[0].people);
    expect(b.luohu.this_year_fen).toBe(n(rows[0].this_year));
    expect(b.luohu.last_year_fen).toBe(n(rows[0].last_year));
    expect(b.luohu.last_year_fen).toBeGreaterThan(0);
    const allowed = halfUp(b.luohu.last_year_fen * (10000 + growth), 10000);
    expect(b.luohu).toMatchObject({ allowed_fen: allowed, saving_fen: allowed - b.luohu.this_year_fen, paid_fen: Math.max(0, allowed - b.luohu.this_year_fen) });
    // and the budget's basis is last year's spending within it
    expect(r.results.budget.some((x) => x.basis_fen > 0 && x.budget_fen > x.basis_fen)).toBe(true);
  });
});

describe('a run is kept with its inputs and reproduced to the fen', () => {
  it('the same inputs are the same run; a change makes a new one; each recomputes to what it gave', async () => {
    const first = await payments('analyst', 'year=2026&quarter=2');
    const again = await payments('analyst', 'year=2026&quarter=2');
    expect(again.run.id).toBe(first.run.id);
    expect(again.run.reused).toBe(true);
    expect(again.results).toEqual(first.results);
    // a follow-up visit changes the team's work equivalents: a new run beside the old
    const { rows } = await sql<{ person_id: string }>`select c.person_id from contract c join app_user u on u.team_id = c.team_id and u.username = 'doctor'
      join registration r on r.person_id = c.person_id and r.disease_code = 'hypertension' and r.effective_to is null
      join person p on p.id = c.person_id and p.death_date is null
      where c.status = 'active' and c.start_date <= '2026-06-15' and c.end_date >= '2026-06-15' limit 1`.execute(t.ctx.db);
    const visit = await t.app.inject({ method: 'POST', url: `/api/people/${rows[0].person_id}/followups`, headers: { cookie: cookies.doctor }, payload: { diseases: ['hypertension'], mode: 'home', readings: { systolic: 130, diastolic: 82, heartRate: 70 } } });
    expect(visit.statusCode, visit.body).toBe(201);
    const after = await payments('analyst', 'year=2026&quarter=2');
    expect(after.run.id).not.toBe(first.run.id);
    const team = (x: PaymentReport) => x.results.work_equivalent.find((w) => w.lines.some((l) => l.service === 'follow_up_home'))!;
    const doctorTeam = (await t.ctx.db.selectFrom('app_user').select('team_id').where('username', '=', 'doctor').executeTakeFirstOrThrow()).team_id!;
    const before = first.results.work_equivalent.find((w) => w.team_id === doctorTeam)!;
    const now = after.results.work_equivalent.find((w) => w.team_id === doctorTeam)!;
    expect(now.equivalents_milli - before.equivalents_milli).toBe(1500);
    expect(team(after)).toBeDefined();
    // the old run, read back, recomputes from its stored inputs to its own fen
    const stored = await get('analyst', `/api/payments/runs/${first.run.id}`);
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json().verification).toEqual({ same: true, hashSame: true, differences: [] });
    expect(stored.json().results).toEqual(first.results);
    const runs = (await get('analyst', '/api/payments/runs?year=2026')).json() as Array<{ id: string }>;
    expect(runs.map((x) => x.id)).toEqual(expect.arrayContaining([first.run.id, after.run.id]));
    // a run kept from rules 2026.1 (before the recoveries: none in its inputs or results) is reproduced to its fen
    const strip = (v: unknown): unknown => Array.isArray(v) ? v.map(strip)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !k.includes('recovered') && k !== 'providers').map(([k, x]) => [k, strip(x)])) : v;
    const kept = await t.ctx.db.selectFrom('payment_run').selectAll().where('id', '=', first.run.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(kept.results)).toContain('recovered_fen');
    const old = await t.ctx.db.insertInto('payment_run').values({
      ...kept, id: undefined, version: '2026.1', inputs_hash: createHash('sha256').update(`2026.1:${kept.inputs_hash}`).digest('hex'),
      parameters: JSON.stringify(kept.parameters), inputs: JSON.stringify(strip(kept.inputs)), results: JSON.stringify(strip(kept.results)),
    }).returning('id').executeTakeFirstOrThrow();
    expect((await get('analyst', `/api/payments/runs/${old.id}`)).json().verification).toEqual({ same: true, hashSame: true, differences: [] });
    // a stored figure altered afterwards no longer matches what its inputs give
    await sql`update payment_run set results = jsonb_set(results, '{contract_fee,0,fee_fen}', to_jsonb((results #>> '{contract_fee,0,fee_fen}')::bigint + 1)) where id = ${first.run.id}`.execute(t.ctx.db);
    expect((await get('analyst', `/api/payments/runs/${first.run.id}`)).json().verification).toMatchObject({ same: false, differences: ['contract_fee'] });
  });
});

describe('the trend through the year', () => {
  it('gives each quarter begun its own run, the same as asking for the quarter', async () => {
    const res = await get('analyst', '/api/payments/quarters?year=2026');
    expect(res.statusCode, res.body).toBe(200);
    const trend = res.json() as { quarters: Array<{ quarter: number; run: { id: string; as_of: string }; totals: Record<string, number>; teams: Array<{ team_id: string; score: number; fee_fen: number; value_fen: number }> }> };
    // 2026-06-15: the first two quarters have begun, the second is taken at today
    expect(trend.quarters.map((x) => [x.quarter, x.run.as_of])).toEqual([[1, '2026-03-31'], [2, '2026-06-15']]);
    for (const x of trend.quarters) {
      const run = await payments('analyst', `year=2026&quarter=${x.quarter}`);
      expect(run.run.id).toBe(x.run.id);
      expect(x.totals.contract_fee_fen).toBe(run.results.totals.contract_fee_fen);
      const team = run.results.contract_fee[0];
      expect(x.teams.find((t) => t.team_id === team.team_id)).toMatchObject({ score: team.score, fee_fen: team.fee_fen, value_fen: run.results.work_equivalent.find((w) => w.team_id === team.team_id)!.value_fen });
    }
    // a reviewer's trend is their county's
    const mine = (await get('reviewer', '/api/payments/quarters?year=2026')).json() as typeof trend;
    const theirs = await payments('reviewer', 'year=2026&quarter=1');
    expect(mine.quarters[0].teams.map((t) => t.team_id)).toEqual(theirs.results.contract_fee.map((f) => f.team_id));
    expect((await get('doctor', '/api/payments/quarters?year=2026')).statusCode).toBe(403);
    expect((await get('analyst', '/api/payments/quarters?year=2027')).statusCode).toBe(400);
  });
});

describe('who sees what, and bad input', () => {
  it('the reviewer sees their county only; a doctor is refused', async () => {
    const r = await payments('reviewer', 'year=2026&quarter=1');
    const county = (await t.ctx.db.selectFrom('app_user').select('region_code').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).region_code!;
    expect(r.county).toBe(county);
    for (const rows of [r.results.budget, r.results.contract_fee, r.results.work_equivalent]) {
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((x) => x.county_code === county)).toBe(true);
    }
    expect(r.results.totals.contract_fee_fen).toBe(r.results.contract_fee.reduce((s, f) => s + f.fee_fen, 0));
    expect((await get('doctor', '/api/payments?year=2026')).statusCode).toBe(403);
  });

  it('names the field and the rule of a bad query', async () => {
    for (const [query, field] of [['year=2026&quarter=5', 'quarter'], ['year=2027', 'year'], ['year=2026&county=330400', 'county'], ['year=abc', 'year']] as const) {
      const res = await get('analyst', `/api/payments?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.json().errors ?? []), query).toContain(field);
    }
  });
});

describe('what made a figure', () => {
  it('lists a township’s claims and a team’s contracted residents, masked and audited', async () => {
    const r = await payments('analyst', 'year=2026&quarter=1');
    const town = [...r.results.capitation].sort((a, b) => b.package_cost_fen - a.package_cost_fen)[0];
    const res = await get('analyst', `/api/payments/claims?year=2026&quarter=1&model=capitation&code=${town.town_code}&pool=package&pageSize=200`);
    expect(res.statusCode, res.body).toBe(200);
    const claims = res.json() as { total: number; items: Array<{ fund_fen: number; id_number: string; name: string }> };
    expect(claims.items.reduce((s, c) => s + c.fund_fen, 0)).toBe(town.package_cost_fen);
    expect(claims.items[0].id_number).toMatch(/\*{4,}/);
    // one month's claims (February: its last day is the 28th) are that month's figure
    const feb = (await get('analyst', `/api/payments/claims?year=2026&quarter=1&model=capitation&code=${town.town_code}&pool=package&month=2026-02&pageSize=200`)).json() as { items: Array<{ fund_fen: number; service_date: string }> };
    expect(feb.items.reduce((s, c) => s + c.fund_fen, 0)).toBe(town.months[1].package_fen);
    expect(feb.items.every((c) => c.service_date.startsWith('2026-02'))).toBe(true);
    const fee = r.results.contract_fee.find((f) => f.resident_months > 0)!;
    const people = (await get('analyst', `/api/payments/contracted?year=2026&quarter=1&team=${fee.team_id}&pageSize=200`)).json() as { at: string; total: number };
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from contract c join person p on p.id = c.person_id where c.team_id = ${fee.team_id}
      and c.start_date <= '2026-03-31' and c.end_date >= '2026-03-31' and (c.terminated_on is null or c.terminated_on > '2026-03-31') and (p.death_date is null or p.death_date > '2026-03-31')`.execute(t.ctx.db);
    expect(people).toMatchObject({ at: '2026-03-31', total: rows[0].n });
    const audited = await t.ctx.db.selectFrom('audit_log').select('entity').where('entity', 'in', ['payments.claims', 'payments.contracted']).execute();
    expect(new Set(audited.map((a) => a.entity))).toEqual(new Set(['payments.claims', 'payments.contracted']));
  });
});

describe('the workbook and the CLI', () => {
  it('exports the run as .xlsx with Chinese headers and the parameters’ sources', async () => {
    const r = await payments('analyst', 'year=2026&quarter=1');
    const res = await get('analyst', '/api/payments/export?year=2026&quarter=1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['机构汇总', '按人头打包付费', '医共体总额预算', '签约服务费', '标化工作当量', '逐月支出', '计算依据']);
    const cap = book.getWorksheet('按人头打包付费')!;
    expect(cap.getRow(2).getCell(3).value).toBe('参保人数');
    expect(cap.getRow(3).getCell(3).value).toBe(r.results.capitation[0].insured);
    expect(cap.getRow(3).getCell(8).value).toBe(r.results.capitation[0].package_cost_fen / 100);
    const owed = book.getWorksheet('机构汇总')!;
    expect(owed.getRow(2).getCell(8).value).toBe('合计应付');
    expect(owed.getRow(3).getCell(8).value).toBe(r.results.providers[0].total_fen / 100);
    const basis = book.getWorksheet('计算依据')!;
    expect(basis.getRow(3).getCell(2).value).toBe(r.run.id);
    expect(JSON.stringify(basis.getSheetValues())).toContain('种子 001');
  });

  it('prints the same run as JSON, verifies it, and refuses bad options with exit code 2', async () => {
    const api = await payments('analyst', 'year=2026&quarter=1');
    const cli = await paymentsLines(t.ctx.db, consoleActor('tester'), { year: '2026', quarter: '1', json: true }, t.ctx.now());
    expect(cli.exitCode).toBe(0);
    const printed = JSON.parse(cli.lines[0]) as PaymentReport;
    expect(printed.run.id).toBe(api.run.id);
    expect(printed.results).toEqual(api.results);
    const table = await paymentsLines(t.ctx.db, consoleActor('tester'), { year: '2026', quarter: '1' }, t.ctx.now());
    expect(table.lines.join('\n')).toContain(api.results.capitation[0].town_name);
    expect((await paymentsLines(t.ctx.db, consoleActor('tester'), { verify: api.run.id }, t.ctx.now())).lines[0]).toContain('the same fen');
    expect((await paymentsLines(t.ctx.db, consoleActor('tester'), { year: '2026', quarter: '7' }, t.ctx.now())).exitCode).toBe(2);
    expect((await paymentsLines(t.ctx.db, consoleActor('tester'), { year: '2031' }, t.ctx.now())).exitCode).toBe(2);
  });
});
