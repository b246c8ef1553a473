// The payment models' rules, each against figures worked by hand from the seeds' words (issue 17).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { divideHalfUp, runRate, signedRatio } from './arithmetic';
import { computePayments } from './index';
import { loadPaymentParameters, PaymentParametersError, type PaymentParameters } from './parameters';
import { shareAt } from './contractFee';
import type { BudgetInput, CapitationInput, PaymentInputs } from './types';

const FILE = new URL('../../../policies/payments/jiaxing-2020.yaml', import.meta.url);
const text = readFileSync(FILE, 'utf8');
const params = loadPaymentParameters(text, 'jiaxing-2020.yaml');
const months = <T extends object>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, ...f(i) }));
const ratio = (numerator: number, denominator: number) => ({ numerator, denominator });

function inputs(over: Partial<PaymentInputs> = {}): PaymentInputs {
  return { year: 2026, quarter: null, start: '2026-01-01', end: '2026-12-31', asOf: '2026-12-31', complete_months: 12, capitation: [], budget: [], contract_fee: [], work_equivalent: [], ...over };
}
const town = (insured: number, packageFen: number, referralFen: number, n = 12): CapitationInput => ({
  town_code: '330421101', town_name: '大云镇', institution_id: 'c', institution_name: '大云镇卫生院', county_code: '330421', insured,
  months: months(n, () => ({ package_fen: packageFen, referral_fen: referralFen })), control: { hypertension: ratio(5, 10), diabetes: ratio(1, 4) },
});
const withParams = (f: (p: PaymentParameters) => void) => {
  const p = structuredClone(params);
  f(p);
  return p;
};

describe('arithmetic', () => {
  it('rounds half up, and a signed amount away from zero', () => {
    expect(divideHalfUp(5n, 2n)).toBe(3);
    expect(divideHalfUp(7n, 3n)).toBe(2);
    expect(signedRatio(-1005, 5000)).toBe(-503);
    expect(signedRatio(1005, 5000)).toBe(503);
    expect(runRate(1100, 11)).toBe(1200);
    expect(runRate(100, 0)).toBeNull();
    // more recovered than spent in the complete months: a net below nothing, projected as such
    expect(runRate(-1100, 11)).toBe(-1200);
    expect(runRate(-5, 2)).toBe(-30);
  });
});

describe('capitation with balance retention (seed 001)', () => {
  it('splits the per-head fund 40/60 and keeps the whole balance at year end', () => {
    // 100 insured × 160 yuan = 16,000 yuan; package 60 % = 9,600; referral 40 % = 6,400
    const r = computePayments(withParams((p) => { p.capitation.per_head.fen = 16000; }), inputs({ capitation: [town(100, 70000, 30000)] })).capitation[0];
    expect([r.fund_fen, r.package_fen, r.referral_pool_fen]).toEqual([1600000, 960000, 640000]);
    expect([r.package_cost_fen, r.referral_cost_fen, r.balance_fen]).toEqual([840000, 360000, 120000]);
    expect(r.year_end).toEqual({ basis: 'actual', package_cost_fen: 840000, balance_fen: 120000, retained_fen: 120000, overrun_centre_fen: 0, overrun_fund_fen: 0 });
    expect(r.months[5]).toMatchObject({ package_cumulative_fen: 420000, package_pro_rata_fen: 480000 });
  });
  it('gives a recovery back to the pool its claim drew on', () => {
    const t = town(100, 70000, 30000);
    t.months[0] = { ...t.months[0], package_recovered_fen: 2000, referral_recovered_fen: 500 };
    const r = computePayments(withParams((p) => { p.capitation.per_head.fen = 16000; }), inputs({ capitation: [t] })).capitation[0];
    expect([r.package_cost_fen, r.referral_cost_fen, r.package_recovered_fen, r.referral_recovered_fen]).toEqual([838000, 359500, 2000, 500]);
    expect(r.year_end).toMatchObject({ package_cost_fen: 838000, balance_fen: 122000, retained_fen: 122000 });
    expect(r.months[0]).toMatchObject({ package_cumulative_fen: 68000, referral_cumulative_fen: 29500 });
  });
  it('shares an overrun between the centre and the fund as the parameters say', () => {
    const p = withParams((x) => { x.capitation.per_head.fen = 10000; x.capitation.overrun_borne_by_centre.bp = 3000; });
    // package 100 × 100 yuan × 60 % = 6,000 yuan; cost 12 × 555.55 = 6,666.60 → overrun 666.60: centre 30 % = 199.98
    const r = computePayments(p, inputs({ capitation: [town(100, 55555, 0)] })).capitation[0];
    expect(r.year_end).toMatchObject({ balance_fen: -66660, retained_fen: 0, overrun_centre_fen: 19998, overrun_fund_fen: 46662 });
  });
  it('projects a running year at the run rate of its complete months', () => {
    // 6 months of data, 5 complete: the year's package cost = 5 × 1,000 × 12 ÷ 5 = 12,000 yuan
    const r = computePayments(withParams((p) => { p.capitation.per_head.fen = 16000; }), inputs({ complete_months: 5, capitation: [town(100, 100000, 0, 6)] })).capitation[0];
    expect(r.package_cost_fen).toBe(600000);
    expect(r.year_end).toMatchObject({ basis: 'projected', package_cost_fen: 1200000, balance_fen: 960000 - 1200000, overrun_centre_fen: 120000 });
    expect(computePayments(params, inputs({ complete_months: 0, capitation: [town(100, 1, 0, 1)] })).capitation[0].year_end).toBeNull();
  });
});

describe('total budget, long prescriptions outside it, and Luohu’s saving (seeds 000, 003)', () => {
  const community = (lastWithin: number, within: number, long: number, luohu = { contracted: 50, this_year_fen: 1000000, last_year_fen: 1000000 }): BudgetInput => ({
    community_id: 'm', name: '嘉善医共体', county_code: '330421', last_year: { within_fen: lastWithin, long_rx_fen: 0 },
    months: months(6, () => ({ within_fen: within, long_rx_fen: long })), luohu,
  });
  it('budgets last year × (1 + growth) and projects spent × 12 ÷ complete months', () => {
    const r = computePayments(withParams((p) => { p.budget.growth.bp = 800; }), inputs({ complete_months: 5, budget: [community(1000000, 90000, 7000)] })).budget[0];
    expect(r.budget_fen).toBe(1080000);
    expect([r.spent_fen, r.long_rx_allowance_fen]).toEqual([540000, 42000]);
    expect(r.projected_fen).toBe(90000 * 12);
    expect(r.projected_balance_fen).toBe(1080000 - 1080000);
    expect(r.projection).toEqual({ method: 'run_rate', complete_months: 5 });
  });
  it('takes the smart audit’s recoveries off the spending, last year’s basis included', () => {
    const c = community(1000000, 90000, 7000);
    c.last_year.recovered_fen = 100000;
    c.months[1].recovered_fen = 5000;
    c.months[5].recovered_fen = 3000;
    const r = computePayments(withParams((p) => { p.budget.growth.bp = 800; }), inputs({ complete_months: 5, budget: [c] })).budget[0];
    // basis 10,000 − 1,000 = 9,000 yuan × 1.08; spent 6 × 900 − 50 − 30; the five complete months 4,500 − 50, × 12 ÷ 5
    expect([r.basis_fen, r.budget_fen]).toEqual([900000, 972000]);
    expect([r.spent_fen, r.recovered_fen, r.long_rx_allowance_fen]).toEqual([540000 - 8000, 8000, 42000]);
    expect(r.months[1]).toMatchObject({ recovered_fen: 5000, cumulative_fen: 175000 });
    expect(r.projected_fen).toBe((450000 - 5000) * 12 / 5);
  });
  it('pays the saving against last year’s cost × (1 + allowed growth), and nothing for an overrun', () => {
    const p = withParams((x) => { x.budget.luohu.allowed_growth.bp = 500; });
    const saved = computePayments(p, inputs({ budget: [community(0, 0, 0, { contracted: 9, this_year_fen: 1000000, last_year_fen: 1000000 })] })).budget[0].luohu;
    expect(saved).toMatchObject({ allowed_fen: 1050000, saving_fen: 50000, paid_fen: 50000 });
    const over = computePayments(p, inputs({ budget: [community(0, 0, 0, { contracted: 9, this_year_fen: 1200000, last_year_fen: 1000000 })] })).budget[0].luohu;
    expect(over).toMatchObject({ saving_fen: -150000, paid_fen: 0 });
  });
});

describe('contract fee by the "五率一比" score (seed 003)', () => {
  const rates = {
    contracting: ratio(90, 100), registration: ratio(60, 80), standardised_management: ratio(35, 70), control: ratio(30, 60), grassroots_visits: ratio(80, 100),
    community_visit: { contracted: ratio(80, 100), not_contracted: ratio(50, 100) },
  };
  it('scores each item against its target, weights them and pays on the curve', () => {
    const team = { team_id: 't', name: '团队', institution_id: 'i', institution_name: '中心', county_code: '330421', resident_months: 1200, rates };
    const r = computePayments(params, inputs({ contract_fee: [team] })).contract_fee[0];
    // points: contracting 90/80 → 100; registration 75 %/85 % → 88.24; standardised 50/70 → 71.43; control 50/60 → 83.33;
    // grassroots 80/70 → 100; ratio 1.6/1.24 → 100. Weighted: 20 + 13.24 + 14.29 + 16.67 + 15 + 10 = 89.19 (rounded once: 89.19)
    expect(r.lines.map((l) => l.points)).toEqual([10000, 8824, 7143, 8333, 10000, 10000]);
    expect(r.lines[5].value_bp).toBe(16000);
    expect(r.score).toBe(8919);
    // curve 60 → 60 %, 90 → 100 %: 60 % + 29.19 / 30 × 40 % = 98.92 %
    expect(r.share_bp).toBe(9892);
    expect(r.base_fen).toBe(1200 * 1000);
    expect(r.fee_fen).toBe(1187040);
  });
  it('gives an item without a denominator no points', () => {
    const team = { team_id: 't', name: '团队', institution_id: 'i', institution_name: '中心', county_code: '330421', resident_months: 0, rates: { ...rates, control: ratio(0, 0), community_visit: { contracted: ratio(1, 2), not_contracted: ratio(0, 0) } } };
    const r = computePayments(params, inputs({ contract_fee: [team] })).contract_fee[0];
    expect(r.lines[3]).toMatchObject({ value_bp: null, points: 0 });
    expect(r.lines[5]).toMatchObject({ value_bp: null, points: 0 });
  });
  it('reads the curve linearly between its points and flat beyond them', () => {
    expect(shareAt(params.contract_fee.curve, 0)).toBe(0);
    expect(shareAt(params.contract_fee.curve, 3000)).toBe(3000);
    expect(shareAt(params.contract_fee.curve, 7500)).toBe(8000);
    expect(shareAt(params.contract_fee.curve, 9500)).toBe(10000);
  });
});

describe('standardised work equivalents (seeds 000, 002)', () => {
  it('values each service and sums them per team', () => {
    const w = { team_id: 't', name: '团队', institution_id: 'i', institution_name: '中心', county_code: '330421', services: { follow_up_clinic: 10, follow_up_home: 2, follow_up_phone: 5, continuous_prescription: 7, integrated_visit: 3 } };
    const r = computePayments(params, inputs({ work_equivalent: [w] })).work_equivalent[0];
    // 10 × 1 + 2 × 1.5 + 5 × 0.3 + 0 + 7 × 0.3 + 3 × 1.2 = 20.2 equivalents × 18 yuan = 363.60 yuan
    expect(r.equivalents_milli).toBe(20200);
    expect(r.value_fen).toBe(36360);
  });
});

describe('what each institution is owed', () => {
  it('adds its teams’ fees and work equivalents and a pilot centre’s year-end settlement', () => {
    const rates = { contracting: ratio(8, 10), registration: ratio(0, 0), standardised_management: ratio(0, 0), control: ratio(0, 0), grassroots_visits: ratio(0, 0), community_visit: { contracted: ratio(0, 0), not_contracted: ratio(0, 0) } };
    const team = (id: string, institution: string) => ({ team_id: id, name: id, institution_id: institution, institution_name: institution, county_code: '330421', resident_months: 100, rates });
    const work = (id: string, institution: string, n: number) => ({ team_id: id, name: id, institution_id: institution, institution_name: institution, county_code: '330421', services: { follow_up_clinic: n } });
    const centre = { ...town(100, 70000, 0), institution_id: 'c', institution_name: 'c' };
    const r = computePayments(withParams((p) => { p.capitation.per_head.fen = 16000; }), inputs({
      capitation: [centre], contract_fee: [team('t1', 'c'), team('t2', 'c'), team('t3', 'v')], work_equivalent: [work('t1', 'c', 10), work('t3', 'v', 5)],
    }));
    const fee = (id: string) => r.contract_fee.find((f) => f.team_id === id)!.fee_fen;
    const c = r.providers.find((p) => p.institution_id === 'c')!;
    // the centre keeps 9,600 − 8,400 = 1,200 yuan of its package; 10 clinic follow-ups × 18 yuan
    expect(c).toMatchObject({ teams: 2, contract_fee_fen: fee('t1') + fee('t2'), work_equivalent_fen: 18000, capitation: { basis: 'actual', retained_fen: 120000, overrun_centre_fen: 0 } });
    expect(c.total_fen).toBe(fee('t1') + fee('t2') + 18000 + 120000);
    expect(r.providers.find((p) => p.institution_id === 'v')).toMatchObject({ teams: 1, work_equivalent_fen: 9000, capitation: null, total_fen: fee('t3') + 9000 });
  });
});

describe('the parameters file', () => {
  it('refuses shares that do not add up, weights that do not add up, a number without a source, and a wrong id', () => {
    const bad = (from: string, to: string) => {
      expect(text).toContain(from);
      return () => loadPaymentParameters(text.replace(from, to), 'jiaxing-2020.yaml');
    };
    expect(bad('bp: 4000\n', 'bp: 4500\n')).toThrow(/referral and package shares add up/);
    expect(bad('weight: { bp: 2000, local: the seed names', 'weight: { bp: 2500, local: the seed names')).toThrow(/weights add up/);
    expect(bad('    yuan: 180\n    local:', '    yuan: 180\n    localx:')).toThrow(PaymentParametersError);
    expect(() => loadPaymentParameters(text, 'other.yaml')).toThrow(/must equal the file name/);
  });
});
