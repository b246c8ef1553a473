// Issue 10's settlement rules, each against the seed's words: line order, drug lists, critical-illness
// linkage, specified-disease benefits, disease grades, the chosen institution and extended prescriptions.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadPolicy } from '../policy/load';
import { PolicySchema } from '../policy/schema';
import type { Claim, ClaimLine } from './claim';
import { settle } from './settle';

const raw = () => parseYaml(readFileSync(new URL('../../../policies/jiaxing-2021.yaml', import.meta.url), 'utf8'));
const jiaxing = loadPolicy(readFileSync(new URL('../../../policies/jiaxing-2021.yaml', import.meta.url), 'utf8'), 'jiaxing-2021.yaml');
const local = 'test';

const counter = (lines: ClaimLine[], more: Partial<Claim> = {}): Claim => ({
  claimId: 'k', serviceDate: '2021-11-02', insuranceType: 'employee', institutionLevel: 'grassroots', scope: 'two_disease', lines, ...more,
});
const parts = (c: Claim, state = null) => settle(jiaxing, state, c).lines.map((l) => ({ id: l.lineId, benefit: l.benefit, reason: l.reason, fund: l.fundPay, deductible: l.deductible, copay: l.copay, over: l.overLimit }));

describe('line order does not matter (item 3)', () => {
  it('[general 1.00, chronic 1.00] with 0.50 of deductible left settles the same either way', () => {
    const state = { year: 2021, pools: { 'employee.outpatient': { fundPaid: 0, deductibleMet: 99950 } } } as never;
    const g = { lineId: 'g', amountFen: 100, scope: 'general' } as const;
    const k = { lineId: 'k', amountFen: 100, disease: 'hypertension' } as const;
    const a = settle(jiaxing, state, counter([g, k]));
    const b = settle(jiaxing, state, counter([k, g]));
    expect(a.totals).toEqual(b.totals);
    // the two-disease benefit is settled first and meets the open deductible: 0.50 × 83 % = 0.42 (half up), then 1.00 × 70 %
    expect(a.totals.fundPay).toBe(42 + 70);
    expect(new Map(a.lines.map((l) => [l.lineId, l.fundPay]))).toEqual(new Map(b.lines.map((l) => [l.lineId, l.fundPay])));
  });

  it('any permutation of the same lines gives the same split, line by line', () => {
    const line = fc.record({
      amountFen: fc.integer({ min: 0, max: 300_000 }),
      scope: fc.constantFrom('two_disease', 'general', undefined),
      disease: fc.constantFrom('hypertension', 'diabetes', 'gout', undefined),
      daysSupply: fc.constantFrom(30, 84, 90, undefined),
      lists: fc.constantFrom(['chronic-common', 'nrdl'], ['nrdl'], [], undefined),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 7 }), fc.constantFrom('resident', 'employee'), fc.integer({ min: 0, max: 600_000 }), fc.infiniteStream(fc.nat()), (ls, type, used, picks) => {
        const lines = ls.map((l, i) => Object.fromEntries(Object.entries({ ...l, lineId: `L${i}` }).filter(([, v]) => v !== undefined)) as unknown as ClaimLine);
        const shuffled = [...lines];
        const it = picks[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = it.next().value! % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const state = { year: 2021, pools: { [`${type}.${type === 'employee' ? 'outpatient' : 'chronic'}`]: { fundPaid: used, deductibleMet: 0 } } } as never;
        const a = settle(jiaxing, state, counter(lines, { insuranceType: type as never }));
        const b = settle(jiaxing, state, counter(shuffled, { insuranceType: type as never }));
        expect(b.totals).toEqual(a.totals);
        expect(b.newState).toEqual(a.newState);
        const byId = (s: typeof a) => new Map(s.lines.map(({ index: _, ...l }) => [l.lineId, l]));
        expect(byId(b)).toEqual(byId(a));
      }),
    );
  });
});

describe('drugs off the chronic list settle under general outpatient (item 4)', () => {
  it('a drug on the national list only: general outpatient, with the reason', () => {
    expect(parts(counter([{ lineId: 'x', amountFen: 10000, disease: 'hypertension', lists: ['nrdl'] }]), null)).toEqual([
      { id: 'x', benefit: 'general', reason: 'drug_not_listed', fund: 0, deductible: 10000, copay: 0, over: 0 },
    ]);
    const s = settle(jiaxing, null, counter([{ amountFen: 10000, lists: ['nrdl'] }], { insuranceType: 'resident' }));
    expect(s.lines[0]).toMatchObject({ benefit: 'general', reason: 'drug_not_listed', deductible: 10000 });
    expect(s.lines[0].explanation).toContain('不在“两病”保障用药范围');
  });

  it('on the chronic list: the two-disease benefit', () => {
    expect(parts(counter([{ lineId: 'x', amountFen: 10000, disease: 'hypertension', lists: ['chronic-common', 'nrdl'] }]))[0]).toMatchObject({ benefit: 'two_disease' });
  });

  it('on no list the scheme pays for: self-paid, named', () => {
    const s = settle(jiaxing, null, counter([{ amountFen: 5000, lists: [] }]));
    expect(s.lines[0]).toMatchObject({ benefit: 'none', reason: 'refused_not_listed', copay: 5000, fundPay: 0 });
    expect(s.lines[0].explanation).toContain('全部自费');
  });
});

describe('critical-illness linkage (item 5)', () => {
  it('in-scope self-paid and over-limit cost accumulate in a pool of their own; general outpatient does not', () => {
    const resident = { insuranceType: 'resident' as const };
    const a = settle(jiaxing, null, counter([{ amountFen: 400000, disease: 'diabetes' }], resident));
    // 4,000 × 60 % = 2,400 > 1,800: fund 1,800 covers 3,000; copay 1,200; over 1,000 → 2,200 to 大病保险
    expect(a.totals).toMatchObject({ fundPay: 180000, copay: 120000, overLimit: 100000, criticalIllness: 220000 });
    const b = settle(jiaxing, a.newState, counter([{ amountFen: 50000, scope: 'general' }], resident));
    expect(b.totals.criticalIllness).toBe(0);
    expect(b.newState.pools['resident.critical_illness']).toEqual({ fundPaid: 220000, deductibleMet: 0 });
  });
});

/** Jiaxing with extra benefits, for rules the shipped Jiaxing file does not declare. */
function jiaxingWith(extra: Record<string, unknown>) {
  const r = raw();
  const two = { ...r.schemes.resident.benefits.two_disease, ...(extra.two_disease as object) };
  return PolicySchema.parse({ ...r, schemes: { resident: { ...r.schemes.resident, benefits: { ...r.schemes.resident.benefits, two_disease: two, ...(extra.specified ? { specified: extra.specified } : {}) } } } });
}
const resident = (lines: ClaimLine[], more: Partial<Claim> = {}) => counter(lines, { insuranceType: 'resident', ...more });

describe('specified-disease benefits (规定病, item 12)', () => {
  const policy = jiaxingWith({
    specified: {
      uraemia: { name: '规定病（尿毒症透析）', pool: 'specified_uraemia', deductible: { yuan: 0, local }, annual_limit: { yuan: null, local }, ratios: { tertiary: { bp: 8500, local } }, diseases: ['uraemia'], max_days_supply: { days: 30, local }, drug_list: 'nrdl' },
    },
  });
  it('pays from its own pool at its own ratio, with no limit', () => {
    const s = settle(policy, null, resident([{ amountFen: 10_000_000, scope: 'specified_disease', disease: 'uraemia' }], { institutionLevel: 'tertiary' }));
    expect(s.lines[0]).toMatchObject({ benefit: 'specified', reason: 'specified_disease', fundPay: 8_500_000, overLimit: 0, fundRemaining: null, pool: 'resident.specified_uraemia' });
    expect(s.lines[0].explanation).toContain('不设年度限额');
  });
  it('at a level it does not cover, or for another disease, general outpatient takes it', () => {
    expect(settle(policy, null, resident([{ amountFen: 100000, scope: 'specified_disease', disease: 'uraemia' }])).lines[0]).toMatchObject({ benefit: 'general', reason: 'level_not_covered' });
    expect(settle(policy, null, resident([{ amountFen: 100000, scope: 'specified_disease', disease: 'gout' }], { institutionLevel: 'tertiary' })).lines[0]).toMatchObject({ benefit: 'general', reason: 'disease_not_covered' });
  });
});

describe('disease grades, the chosen institution and extended prescriptions', () => {
  it('a grade managed only at secondary and tertiary levels: at the grassroots the line goes to general outpatient (Hangzhou, seed 003)', () => {
    const policy = jiaxingWith({ two_disease: { grades: { grade_3: { levels: ['secondary', 'tertiary'], diseases: ['schizophrenia'], local } } } });
    expect(settle(policy, null, resident([{ amountFen: 10000, disease: 'schizophrenia' }])).lines[0]).toMatchObject({ benefit: 'general', reason: 'grade_level_not_permitted' });
    expect(settle(policy, null, resident([{ amountFen: 10000, disease: 'schizophrenia' }], { institutionLevel: 'secondary' })).lines[0]).toMatchObject({ benefit: 'two_disease' });
    expect(settle(policy, null, resident([{ amountFen: 10000, disease: 'hypertension' }])).lines[0]).toMatchObject({ benefit: 'two_disease' }); // in no grade
  });
  it('a benefit paid only at the chosen institution: elsewhere it is general outpatient (Qingdao, seed 003)', () => {
    const policy = jiaxingWith({ two_disease: { chosen_institution_only: true } });
    expect(settle(policy, null, resident([{ amountFen: 10000 }], { atChosenInstitution: false })).lines[0]).toMatchObject({ reason: 'not_chosen_institution' });
    expect(settle(policy, null, resident([{ amountFen: 10000 }], { atChosenInstitution: true })).lines[0]).toMatchObject({ benefit: 'two_disease' });
  });
  it("an extended prescription of a tertiary hospital's drug at the community (Changning, seeds 003–004)", () => {
    const policy = jiaxingWith({ two_disease: { extended_prescription: { drug_list: 'tertiary', levels: ['grassroots'], local } } });
    const line = { amountFen: 10000, disease: 'hypertension', lists: ['tertiary', 'nrdl'] };
    expect(settle(policy, null, resident([{ ...line, extended: true }])).lines[0]).toMatchObject({ benefit: 'two_disease' });
    expect(settle(policy, null, resident([line])).lines[0]).toMatchObject({ benefit: 'general', reason: 'drug_not_listed' });
    expect(settle(policy, null, resident([{ ...line, extended: true }], { institutionLevel: 'secondary' })).lines[0]).toMatchObject({ reason: 'drug_not_listed' });
  });
});
