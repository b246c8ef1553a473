// The seed-003/004 regions, each shipped policy file against the rule it expresses, worked by hand in fen:
// Hangzhou's disease grades and long prescriptions, Qingdao's 门诊大病 categories and chosen institution,
// Shenzhen Luohu's prices by level, Shanghai Changning's long, external and extended prescriptions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../policy/load';
import type { Policy } from '../policy/schema';
import type { Claim, ClaimLine, PersonYearState } from './claim';
import { priceAt } from './pricing';
import { settle, type Settlement } from './settle';

const shipped = (id: string) => loadPolicy(readFileSync(new URL(`../../../policies/${id}.yaml`, import.meta.url), 'utf8'), `${id}.yaml`);
const hangzhou = shipped('hangzhou-2018');
const qingdao = shipped('qingdao-2018');
const luohu = shipped('shenzhen-luohu-2018');
const changning = shipped('shanghai-changning-2018');
const jiaxing = shipped('jiaxing-2021');

const claim = (lines: ClaimLine[], more: Partial<Claim> = {}): Claim => ({
  claimId: 'c', serviceDate: '2018-10-15', insuranceType: 'resident', institutionLevel: 'grassroots', scope: 'two_disease', lines, ...more,
});
const split = (s: Settlement, i = 0) => {
  const l = s.lines[i];
  return { benefit: l.benefit, reason: l.reason, pool: l.pool, fund: l.fundPay, deductible: l.deductible, copay: l.copay, over: l.overLimit, remaining: l.fundRemaining };
};
const one = (policy: Policy, line: ClaimLine, more: Partial<Claim> = {}, state: PersonYearState | null = null) => split(settle(policy, state, claim([line], more)));

describe('the new policy files', () => {
  it('load with their ids and GB/T 2260 region codes', () => {
    expect([hangzhou, qingdao, luohu, changning].map((p) => [p.id, p.region.code])).toEqual([
      ['hangzhou-2018', '3301'],
      ['qingdao-2018', '3702'],
      ['shenzhen-luohu-2018', '440303'],
      ['shanghai-changning-2018', '310105'],
    ]);
  });
});

describe('Hangzhou (seed 003): 16 chronic diseases in three grades, long prescriptions, pharmacy dispensing', () => {
  it('a grade-3 disease at the grassroots is not managed there: general outpatient, grade_level_not_permitted', () => {
    // resident general outpatient (local): deductible 300.00, then 50 %: 500.00 → 300.00 deductible, 200.00 × 50 % = 100.00
    expect(one(hangzhou, { amountFen: 50000, disease: 'schizophrenia' })).toEqual({
      benefit: 'general', reason: 'grade_level_not_permitted', pool: 'resident.general', fund: 10000, deductible: 30000, copay: 10000, over: 0, remaining: 90000,
    });
  });

  it('the same grade-3 line at a secondary or tertiary hospital: the chronic benefit (55 %, 50 %), no deductible', () => {
    expect(one(hangzhou, { amountFen: 50000, disease: 'schizophrenia' }, { institutionLevel: 'secondary' })).toEqual({
      benefit: 'two_disease', reason: 'two_disease', pool: 'resident.chronic', fund: 27500, deductible: 0, copay: 22500, over: 0, remaining: 200000 - 27500,
    });
    expect(one(hangzhou, { amountFen: 50001, disease: 'epilepsy' }, { institutionLevel: 'tertiary' })).toMatchObject({ benefit: 'two_disease', fund: 25001 }); // 25000.5 → 25001
  });

  it('grade 1 (hypertension, diabetes) is managed at every level, the grassroots at 60 %', () => {
    expect(one(hangzhou, { amountFen: 12345, disease: 'hypertension' })).toMatchObject({ benefit: 'two_disease', fund: 7407, copay: 4938 }); // 7407.0
    expect(one(hangzhou, { amountFen: 10000, disease: 'diabetes' }, { insuranceType: 'employee' })).toMatchObject({ benefit: 'two_disease', pool: 'employee.chronic', fund: 8000, remaining: 292000 });
  });

  it('pharmacy dispensing (处方调剂) is covered for grade 1; a grade-2 disease at a pharmacy has no benefit that takes it', () => {
    expect(one(hangzhou, { amountFen: 12345, disease: 'hypertension' }, { institutionLevel: 'pharmacy' })).toEqual({
      benefit: 'two_disease', reason: 'two_disease', pool: 'resident.chronic', fund: 7407, deductible: 0, copay: 4938, over: 0, remaining: 200000 - 7407,
    });
    // grade 2 is not dispensed at a pharmacy, and general outpatient does not cover pharmacies: all self-paid
    expect(one(hangzhou, { amountFen: 10000, disease: 'coronary_heart_disease' }, { institutionLevel: 'pharmacy' })).toMatchObject({
      benefit: 'none', reason: 'refused_level_not_covered', fund: 0, copay: 10000, remaining: 100000,
    });
  });

  it('a supply over 84 days leaves the benefit (supply_too_long); 84 days stays', () => {
    const s = settle(hangzhou, null, claim([
      { lineId: 'a', amountFen: 10000, disease: 'hypertension', daysSupply: 84 },
      { lineId: 'b', amountFen: 40000, disease: 'hypertension', daysSupply: 85 },
    ]));
    expect(split(s, 0)).toMatchObject({ benefit: 'two_disease', reason: 'two_disease', fund: 6000, copay: 4000 });
    // general outpatient: 300.00 deductible, then 100.00 × 50 %
    expect(split(s, 1)).toMatchObject({ benefit: 'general', reason: 'supply_too_long', fund: 5000, deductible: 30000, copay: 5000 });
    expect(s.totals).toMatchObject({ fundPay: 11000, deductible: 30000, copay: 9000 });
  });

  it('a disease outside the 16 goes to general outpatient', () => {
    expect(one(hangzhou, { amountFen: 10000, disease: 'bronchitis' }, { insuranceType: 'employee', institutionLevel: 'secondary' })).toMatchObject({
      benefit: 'general', reason: 'disease_not_covered', deductible: 10000, fund: 0, remaining: 400000,
    });
  });
});

describe('Qingdao (seed 003): 门诊大病 in four categories at the chosen institution', () => {
  const employee = { insuranceType: 'employee', scope: 'specified_disease' } as const;

  it('uraemia at the chosen institution: the major-disease benefit, 90 %, no annual limit', () => {
    const s = settle(qingdao, null, claim([{ amountFen: 1_000_000, disease: 'uraemia' }], { ...employee, institutionLevel: 'tertiary', atChosenInstitution: true }));
    expect(split(s)).toEqual({ benefit: 'specified', reason: 'specified_disease', pool: 'employee.major', fund: 900_000, deductible: 0, copay: 100_000, over: 0, remaining: null });
    expect(s.lines[0].explanation).toContain('不设年度限额');
    // a year's dialysis far above any limit: still no over-limit part
    expect(one(qingdao, { amountFen: 50_000_000, disease: 'uraemia' }, { ...employee, institutionLevel: 'secondary' }, s.newState)).toMatchObject({ fund: 45_000_000, over: 0, remaining: null });
  });

  it('not at the chosen institution: outside the benefit — general outpatient at the community, refused where 门诊统筹 does not go', () => {
    // grassroots, not chosen: 门诊统筹 (local): deductible 200.00, then 60 %
    expect(one(qingdao, { amountFen: 50000, disease: 'uraemia' }, { ...employee, atChosenInstitution: false })).toEqual({
      benefit: 'general', reason: 'not_chosen_institution', pool: 'employee.general', fund: 18000, deductible: 20000, copay: 12000, over: 0, remaining: 82000,
    });
    // a tertiary hospital that is not the chosen one: 门诊统筹 covers the community only, so the claim is refused
    expect(one(qingdao, { amountFen: 1_000_000, disease: 'uraemia' }, { ...employee, institutionLevel: 'tertiary', atChosenInstitution: false })).toMatchObject({
      benefit: 'none', reason: 'refused_level_not_covered', fund: 0, copay: 1_000_000,
    });
  });

  it('the chronic category has a limit (3,000.00 a year): a claim reaching it is cut, the rest over the limit', () => {
    const s = settle(qingdao, null, claim([{ amountFen: 400_000, disease: 'copd' }], employee));
    // 4,000.00 × 90 % = 3,600.00 > 3,000.00: the fund's 3,000.00 covers 3,000.00 / 90 % = 3,333.33 of the cost
    expect(split(s)).toEqual({ benefit: 'specified', reason: 'specified_disease', pool: 'employee.chronic', fund: 300_000, deductible: 0, copay: 33_333, over: 66_667, remaining: 0 });
    expect(s.lines[0].explanation).toContain('已达年度最高支付限额3000元');
    const again = settle(qingdao, s.newState, claim([{ amountFen: 10_000, disease: 'copd' }], employee));
    expect(split(again)).toMatchObject({ fund: 0, copay: 0, over: 10_000, remaining: 0 });
    // hypertension is the two-disease benefit (same category, a pool of its own): its 3,000.00 is untouched
    const ht = settle(qingdao, again.newState, claim([{ amountFen: 10_000, disease: 'hypertension' }], { insuranceType: 'employee' }));
    expect(split(ht)).toEqual({ benefit: 'two_disease', reason: 'two_disease', pool: 'employee.chronic_two_disease', fund: 9_000, deductible: 0, copay: 1_000, over: 0, remaining: 291_000 });
  });

  it('hypertension and diabetes: the two-disease benefit, only at the chosen institution', () => {
    expect(one(qingdao, { amountFen: 10_000, disease: 'diabetes' }, { insuranceType: 'employee', institutionLevel: 'secondary' })).toMatchObject({ benefit: 'two_disease', fund: 8_500 });
    expect(one(qingdao, { amountFen: 50_000, disease: 'diabetes' }, { insuranceType: 'employee', atChosenInstitution: false })).toMatchObject({
      benefit: 'general', reason: 'not_chosen_institution', fund: 18_000, deductible: 20_000,
    });
    // they are not repeated in specified.chronic: a counter that marks them specified_disease finds no category
    expect(one(qingdao, { amountFen: 10_000, disease: 'hypertension' }, employee)).toMatchObject({ benefit: 'general', reason: 'disease_not_covered' });
  });

  it('haemophilia (rare): special drugs at a designated pharmacy, 90 %, no limit', () => {
    expect(one(qingdao, { amountFen: 2_000_000, disease: 'haemophilia' }, { ...employee, institutionLevel: 'pharmacy' })).toEqual({
      benefit: 'specified', reason: 'specified_disease', pool: 'employee.rare', fund: 1_800_000, deductible: 0, copay: 200_000, over: 0, remaining: null,
    });
  });

  it('high-cost category and residents: their own pools and ratios', () => {
    expect(one(qingdao, { amountFen: 10_001, disease: 'aplastic_anaemia' }, { ...employee, institutionLevel: 'secondary' })).toMatchObject({ pool: 'employee.high_cost', fund: 8_501, remaining: null }); // 8500.85 → 8501
    expect(one(qingdao, { amountFen: 100_000, disease: 'malignant_tumour' }, { scope: 'specified_disease', institutionLevel: 'tertiary' })).toMatchObject({ pool: 'resident.major', fund: 80_000, remaining: null });
  });

  it('a specified-disease claim without a disease (batch) goes to the first category, major', () => {
    const s = settle(qingdao, null, { claimId: 'b', serviceDate: '2018-10-15', insuranceType: 'employee', institutionLevel: 'tertiary', scope: 'specified_disease', amountFen: 100_000 });
    expect(split(s)).toMatchObject({ benefit: 'specified', pool: 'employee.major', fund: 90_000 });
  });

  it('门诊统筹 is at community institutions only', () => {
    expect(one(qingdao, { amountFen: 30_000 }, { insuranceType: 'resident', scope: 'general' })).toMatchObject({ benefit: 'general', reason: 'scope_general', deductible: 10_000, fund: 10_000, remaining: 40_000 });
    expect(one(qingdao, { amountFen: 30_000 }, { insuranceType: 'resident', scope: 'general', institutionLevel: 'secondary' })).toMatchObject({ benefit: 'none', reason: 'refused_level_not_covered' });
  });
});

describe('Shenzhen Luohu (seed 003): the 社康中心 charges less — priceAt', () => {
  it('drugs at the grassroots: 70 % of the catalogue (zero mark-up) price, half up to the fen', () => {
    expect(priceAt(luohu, 'grassroots', 'drugs', 3000)).toBe(2100);
    expect(priceAt(luohu, 'grassroots', 'drugs', 1234)).toBe(864); // 863.8
    expect(priceAt(luohu, 'grassroots', 'drugs', 1235)).toBe(865); // 864.5 → 865
    expect(priceAt(luohu, 'grassroots', 'drugs', 15)).toBe(11); // 10.5 → 11
    expect(priceAt(luohu, 'grassroots', 'drugs', 1)).toBe(1); // 0.7 → 1
    expect(priceAt(luohu, 'grassroots', 'drugs', 0)).toBe(0);
  });

  it('services at the grassroots: 80 % of the tertiary fee', () => {
    expect(priceAt(luohu, 'grassroots', 'services', 2500)).toBe(2000);
    expect(priceAt(luohu, 'grassroots', 'services', 1001)).toBe(801); // 800.8
    expect(priceAt(luohu, 'grassroots', 'services', 1234)).toBe(987); // 987.2
  });

  it('a level without a pricing entry, or a policy without pricing, charges the catalogue price', () => {
    for (const level of ['secondary', 'tertiary', 'pharmacy'] as const) {
      expect(priceAt(luohu, level, 'drugs', 1235)).toBe(1235);
      expect(priceAt(luohu, level, 'services', 1235)).toBe(1235);
    }
    expect(priceAt(jiaxing, 'grassroots', 'drugs', 1235)).toBe(1235);
  });

  it('refuses what is not a price in fen, or an unknown level or kind', () => {
    expect(() => priceAt(luohu, 'grassroots', 'drugs', -1)).toThrow(RangeError);
    expect(() => priceAt(luohu, 'grassroots', 'drugs', 12.5)).toThrow(RangeError);
    expect(() => priceAt(jiaxing, 'grassroots', 'drugs', 12.5)).toThrow(RangeError);
    expect(() => priceAt(luohu, 'clinic' as never, 'drugs', 100)).toThrow(/institution level/);
    expect(() => priceAt(luohu, 'grassroots', 'devices' as never, 100)).toThrow(/price kind/);
  });

  it('the lower price, then the benefit: a drug and a consultation at the 社康中心 against a tertiary hospital', () => {
    const visit = (level: 'grassroots' | 'tertiary') =>
      settle(luohu, null, claim([
        { lineId: 'drug', amountFen: priceAt(luohu, level, 'drugs', 3000), disease: 'hypertension' },
        { lineId: 'consultation', amountFen: priceAt(luohu, level, 'services', 2500), scope: 'general' },
      ], { insuranceType: 'employee', institutionLevel: level }));
    const g = visit('grassroots');
    // drug 21.00 × 90 % = 18.90; consultation 20.00 × 70 % = 14.00 (general outpatient, no deductible)
    expect(g.lines.map((l) => [l.amount, l.benefit, l.fundPay, l.copay])).toEqual([[2100, 'two_disease', 1890, 210], [2000, 'general', 1400, 600]]);
    const t = visit('tertiary');
    // drug 30.00 × 70 % = 21.00; consultation 25.00 × 50 % = 12.50
    expect(t.lines.map((l) => [l.amount, l.benefit, l.fundPay, l.copay])).toEqual([[3000, 'two_disease', 2100, 900], [2500, 'general', 1250, 1250]]);
    expect(g.totals.copay).toBe(810);
    expect(t.totals.copay).toBe(2150);
  });
});

describe('Shanghai Changning (seeds 003, 004): long prescriptions, external dispensing, extended prescriptions', () => {
  it('1–2 months: 60 days stays in the benefit, 61 days goes to general outpatient', () => {
    expect(one(changning, { amountFen: 10000, disease: 'hypertension', daysSupply: 60 })).toEqual({
      benefit: 'two_disease', reason: 'two_disease', pool: 'resident.chronic', fund: 7000, deductible: 0, copay: 3000, over: 0, remaining: 193000,
    });
    // general outpatient (local): 300.00 deductible first, so 100.00 is all deductible
    expect(one(changning, { amountFen: 10000, disease: 'hypertension', daysSupply: 61 })).toEqual({
      benefit: 'general', reason: 'supply_too_long', pool: 'resident.general', fund: 0, deductible: 10000, copay: 0, over: 0, remaining: 150000,
    });
  });

  it('external dispensing (处方外配) at a designated pharmacy is covered as at the community', () => {
    expect(one(changning, { amountFen: 10001, disease: 'diabetes', daysSupply: 56 }, { institutionLevel: 'pharmacy' })).toMatchObject({ benefit: 'two_disease', fund: 7001, copay: 3000 }); // 7000.7 → 7001
  });

  it("an extended prescription of a tertiary hospital's drug at the community stays in the benefit", () => {
    const line = { amountFen: 20000, disease: 'coronary_heart_disease', lists: ['tertiary', 'nrdl'] };
    expect(one(changning, { ...line, extended: true })).toMatchObject({ benefit: 'two_disease', reason: 'two_disease', fund: 14000, copay: 6000 });
    // without the extended flag the drug is off the chronic list: general outpatient (300.00 deductible, then 60 %: nothing left)
    expect(one(changning, line)).toMatchObject({ benefit: 'general', reason: 'drug_not_listed', deductible: 20000, fund: 0 });
    // extended prescriptions are for the community only
    expect(one(changning, { ...line, extended: true }, { institutionLevel: 'secondary' })).toMatchObject({ benefit: 'general', reason: 'drug_not_listed' });
    // a drug on the chronic list needs no flag
    expect(one(changning, { amountFen: 20000, disease: 'hypertension', lists: ['chronic-common', 'nrdl'] })).toMatchObject({ benefit: 'two_disease', fund: 14000 });
  });

  it('employees: one outpatient pool and deductible for both benefits, with no annual limit', () => {
    const employee = { insuranceType: 'employee' } as const;
    const a = settle(changning, null, claim([{ amountFen: 200_000, disease: 'hypertension', daysSupply: 60 }], employee));
    // deductible 1,500.00, then 500.00 × 80 %
    expect(split(a)).toEqual({ benefit: 'two_disease', reason: 'two_disease', pool: 'employee.outpatient', fund: 40_000, deductible: 150_000, copay: 10_000, over: 0, remaining: null });
    expect(a.lines[0].explanation).toContain('不设年度限额');
    const b = settle(changning, a.newState, claim([{ amountFen: 10_000 }], { ...employee, scope: 'general' }));
    // the shared deductible is met: 100.00 × 70 %
    expect(split(b)).toEqual({ benefit: 'general', reason: 'scope_general', pool: 'employee.outpatient', fund: 7_000, deductible: 0, copay: 3_000, over: 0, remaining: null });
    expect(b.newState.pools).toEqual({
      'employee.outpatient': { fundPaid: 47_000, deductibleMet: 150_000 },
      'employee.outpatient.general': { fundPaid: 7_000, deductibleMet: 0 },
    });
  });
});
