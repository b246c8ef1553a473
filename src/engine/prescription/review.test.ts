import { describe, expect, it } from 'vitest';
import type { ContractFact } from '../eligibility';
import { blocking, onHandOn, REF_LONG_PRESCRIPTION, reviewFindings, type ReviewFacts, type ReviewLine } from './review';

const irbesartan = { code: 'D0008', classes: ['arb'], diseases: ['hypertension'], maxDailyUnits: 2 };
const valsartan = { code: 'D0009', classes: ['arb'], diseases: ['hypertension'], maxDailyUnits: 2 };
const irbHctz = { code: 'D0028', classes: ['arb', 'thiazide'], diseases: ['hypertension'], maxDailyUnits: 2 };
const amlodipine = { code: 'D0001', classes: ['ccb_dhp'], diseases: ['hypertension'], maxDailyUnits: 2 };
const hctz = { code: 'D0024', classes: ['thiazide'], diseases: ['hypertension'], maxDailyUnits: 4 };
const metformin = { code: 'D0033', classes: ['biguanide'], diseases: ['diabetes'], maxDailyUnits: 4 };
const methotrexate = { code: 'D0101', classes: ['methotrexate'], diseases: ['rheumatoid_arthritis'], maxDailyUnits: 1.4286 };
const amoxicillin = { code: 'D0106', classes: ['penicillin'], diseases: [], maxDailyUnits: 16 };
const glargine = { code: 'D0054', classes: ['insulin_basal'], diseases: ['diabetes'], maxDailyUnits: 0.3 };

const contract: ContractFact = { id: 'c1', teamId: 't1', teamName: '一团队', startDate: '2026-01-01', endDate: '2026-12-31', status: 'active', terminatedOn: null };
const line = (drug: ReviewLine['drug'], over: Partial<ReviewLine> = {}): ReviewLine => ({ drug, doseUnits: 1, frequency: 'qd', daysSupply: 60, ...over });
const facts = (over: Partial<ReviewFacts> = {}): ReviewFacts => ({
  date: '2026-06-30',
  lines: [line(amlodipine)],
  registrations: [{ disease: 'hypertension', effectiveFrom: '2026-01-10', effectiveTo: null }],
  contracts: [contract],
  dispensed: [],
  ...over,
});
const params = { maxDaysSupply: 60, onHandToleranceDays: 12 };
const codes = (f: ReviewFacts, p = params) => reviewFindings(f, p).map((x) => `${x.line}:${x.code}:${x.severity}`);

describe('a clean prescription', () => {
  it('has no findings', () => {
    expect(reviewFindings(facts({ lines: [line(amlodipine), line(irbesartan), line(hctz)] }), params)).toEqual([]);
  });
});

describe('over_max_days (the policy’s max_days_supply; 12 weeks nationally)', () => {
  it('passes at the maximum, blocks one day beyond it, with the reference', () => {
    expect(codes(facts({ lines: [line(amlodipine, { daysSupply: 60 })] }))).toEqual([]);
    const [f] = reviewFindings(facts({ lines: [line(amlodipine, { daysSupply: 61 })] }), params);
    expect(f).toEqual({ code: 'over_max_days', severity: 'block', line: 0, drugCode: 'D0001', evidence: { daysSupply: 61, maxDaysSupply: 60 }, reference: REF_LONG_PRESCRIPTION });
    expect(codes(facts({ lines: [line(amlodipine, { daysSupply: 84 })] }), { ...params, maxDaysSupply: 84 })).toEqual([]);
  });
});

describe('over_max_daily_dose (catalogue maxDailyUnits)', () => {
  it('passes at the maximum and blocks above it', () => {
    expect(codes(facts({ lines: [line(amlodipine, { doseUnits: 1, frequency: 'bid' })] }))).toEqual([]); // 2 a day = max
    const [f] = reviewFindings(facts({ lines: [line(amlodipine, { doseUnits: 1, frequency: 'tid' })] }), params);
    expect(f).toMatchObject({ code: 'over_max_daily_dose', severity: 'block', line: 0, evidence: { dailyUnits: 3, maxDailyUnits: 2, doseUnits: 1, frequency: 'tid' } });
    expect(codes(facts({ lines: [line(metformin, { doseUnits: 2, frequency: 'bid' })], registrations: [{ disease: 'diabetes', effectiveFrom: '2026-01-01', effectiveTo: null }] }))).toEqual([]);
    expect(codes(facts({ lines: [line(metformin, { doseUnits: 1.5, frequency: 'tid' })], registrations: [{ disease: 'diabetes', effectiveFrom: '2026-01-01', effectiveTo: null }] }))).toEqual(['0:over_max_daily_dose:block']);
  });

  it('compares weekly doses and pen fractions in ten-thousandths', () => {
    const ra = [{ disease: 'rheumatoid_arthritis', effectiveFrom: '2026-01-01', effectiveTo: null }];
    expect(codes(facts({ lines: [line(methotrexate, { doseUnits: 10, frequency: 'qw' })], registrations: ra }))).toEqual([]); // 25 mg a week
    expect(codes(facts({ lines: [line(methotrexate, { doseUnits: 11, frequency: 'qw' })], registrations: ra }))).toEqual(['0:over_max_daily_dose:block']);
    const dm = [{ disease: 'diabetes', effectiveFrom: '2026-01-01', effectiveTo: null }];
    expect(codes(facts({ lines: [line(glargine, { doseUnits: 90 / 300 })], registrations: dm }))).toEqual([]); // 90 IU
    expect(codes(facts({ lines: [line(glargine, { doseUnits: 92 / 300 })], registrations: dm }))).toEqual(['0:over_max_daily_dose:block']);
  });
});

describe('no_registered_disease', () => {
  it('passes a drug for a registered disease, blocks one for another registry disease, warns for one out of scope', () => {
    expect(codes(facts({ lines: [line(amlodipine)] }))).toEqual([]);
    const f = reviewFindings(facts({ lines: [line(metformin), line(amoxicillin, { daysSupply: 7 })] }), params);
    expect(f.map((x) => [x.line, x.code, x.severity])).toEqual([
      [0, 'no_registered_disease', 'block'],
      [1, 'no_registered_disease', 'warn'],
    ]);
    expect(f[0].evidence).toEqual({ drugDiseases: ['diabetes'], registeredDiseases: ['hypertension'] });
  });

  it('counts only registrations in force on the date', () => {
    const regs = [
      { disease: 'hypertension', effectiveFrom: '2026-01-01', effectiveTo: null },
      { disease: 'diabetes', effectiveFrom: '2026-07-01', effectiveTo: null }, // from tomorrow
    ];
    expect(codes(facts({ lines: [line(metformin)], registrations: regs }))).toEqual(['0:no_registered_disease:block']);
    expect(codes(facts({ date: '2026-07-01', lines: [line(metformin)], registrations: regs }))).toEqual([]);
  });
});

describe('not_contracted, not_registered, registration_expired', () => {
  it('blocks without a contract in force on the date, passes on its last day', () => {
    expect(codes(facts({ date: '2026-12-31' }))).toEqual([]);
    expect(codes(facts({ date: '2027-01-01', registrations: [{ disease: 'hypertension', effectiveFrom: '2026-01-10', effectiveTo: null }] }))).toEqual(['null:not_contracted:block']);
    expect(codes(facts({ contracts: [{ ...contract, status: 'terminated', terminatedOn: '2026-06-30' }] }))).toEqual(['null:not_contracted:block']);
    expect(codes(facts({ contracts: [{ ...contract, status: 'terminated', terminatedOn: '2026-07-01' }] }))).toEqual([]);
  });

  it('tells an ended registration from none at all; a registration ending tomorrow is still in force', () => {
    const ended = { disease: 'hypertension', effectiveFrom: '2025-01-01', effectiveTo: '2026-06-30' }; // first day not in force
    expect(codes(facts({ registrations: [{ ...ended, effectiveTo: '2026-07-01' }] }))).toEqual([]);
    const f = reviewFindings(facts({ registrations: [ended] }), params);
    expect(f.map((x) => `${x.line}:${x.code}:${x.severity}`)).toEqual(['null:registration_expired:block', '0:no_registered_disease:block']);
    expect(f[0].evidence).toEqual({ date: '2026-06-30', ended: [ended] });
    expect(codes(facts({ registrations: [] }))).toEqual(['null:not_registered:block', '0:no_registered_disease:block']);
    expect(codes(facts({ registrations: [{ disease: 'hypertension', effectiveFrom: '2026-07-01', effectiveTo: null }] }))[0]).toBe('null:not_registered:block');
  });
});

describe('duplicate_therapy (shared class)', () => {
  it('blocks two lines of one class on the later line, combos included; different classes pass', () => {
    const f = reviewFindings(facts({ lines: [line(irbesartan), line(amlodipine), line(valsartan)] }), params);
    expect(f).toEqual([{ code: 'duplicate_therapy', severity: 'block', line: 2, drugCode: 'D0009', evidence: { classes: ['arb'], withLine: 0, withDrugCode: 'D0008' }, reference: expect.stringContaining('处方审核规范') }]);
    expect(codes(facts({ lines: [line(hctz), line(irbHctz)] }))).toEqual(['1:duplicate_therapy:block']); // HCTZ twice: alone and in the combination
    expect(reviewFindings(facts({ lines: [line(irbesartan), line(irbHctz)] }), params)[0].evidence).toMatchObject({ classes: ['arb'] });
  });

  it('warns for a drug of the class still on hand beyond the tolerance, from any place', () => {
    const held = (daysCovered: number) => [{ drugCode: 'D0010', classes: ['arb'], dispensedOn: '2026-06-01', daysCovered, place: '某连锁药店' }];
    // 2026-06-01 + 41 days runs out on 2026-07-12: 12 days left on 2026-06-30 = tolerance → passes
    expect(codes(facts({ lines: [line(irbesartan)], dispensed: held(41) }))).toEqual([]);
    const f = reviewFindings(facts({ lines: [line(irbesartan)], dispensed: held(42) }), params);
    expect(f.map((x) => `${x.line}:${x.code}:${x.severity}`)).toEqual(['0:duplicate_therapy:warn']);
    expect(f[0].evidence).toMatchObject({ classes: ['arb'], onHand: { drugCode: 'D0010', daysLeft: 13, coveredUntil: '2026-07-12', dispenses: [{ place: '某连锁药店' }] } });
  });
});

describe('overlapping_supply (same drug on hand beyond the tolerance)', () => {
  it('passes at the tolerance and blocks one day beyond it', () => {
    const d = (daysCovered: number) => [{ drugCode: 'D0001', classes: ['ccb_dhp'], dispensedOn: '2026-05-01', daysCovered, place: '社区卫生服务中心' }];
    // 2026-05-01 + 72 = 2026-07-12: 12 days left
    expect(codes(facts({ dispensed: d(72) }))).toEqual([]);
    const [f] = reviewFindings(facts({ dispensed: d(73) }), params);
    expect(f).toMatchObject({ code: 'overlapping_supply', severity: 'block', line: 0, drugCode: 'D0001', evidence: { toleranceDays: 12, onHand: { daysLeft: 13 } } });
    expect(codes(facts({ dispensed: d(73) }), { ...params, onHandToleranceDays: 13 })).toEqual([]);
  });

  it('carries supplies from several places over, and ignores dispenses after the date', () => {
    const dispensed = [
      { drugCode: 'D0001', classes: ['ccb_dhp'], dispensedOn: '2026-06-01', daysCovered: 28, place: 'A 社区' }, // to 06-29
      { drugCode: 'D0001', classes: ['ccb_dhp'], dispensedOn: '2026-06-10', daysCovered: 14, place: 'B 药店' }, // taken after: to 07-13
      { drugCode: 'D0001', classes: ['ccb_dhp'], dispensedOn: '2026-07-01', daysCovered: 60, place: 'C' }, // after the date
    ];
    const held = onHandOn(dispensed, '2026-06-30');
    expect(held).toEqual([{ drugCode: 'D0001', classes: ['ccb_dhp'], daysLeft: 13, coveredUntil: '2026-07-12', dispenses: [expect.objectContaining({ place: 'A 社区' }), expect.objectContaining({ place: 'B 药店' })] }]);
    expect(codes(facts({ dispensed }))).toEqual(['0:overlapping_supply:block']);
    expect(onHandOn(dispensed.slice(0, 1), '2026-06-29')).toHaveLength(0); // runs out: nothing on hand
  });
});

describe('order and blocking()', () => {
  it('lists patient findings first, then lines in order; blocking keeps the blocks', () => {
    const f = reviewFindings(
      facts({ contracts: [], lines: [line(amoxicillin, { daysSupply: 7 }), line(irbesartan, { daysSupply: 90 }), line(valsartan)] }),
      params,
    );
    expect(f.map((x) => `${x.line}:${x.code}`)).toEqual(['null:not_contracted', '0:no_registered_disease', '1:over_max_days', '2:duplicate_therapy']);
    expect(blocking(f).map((x) => x.code)).toEqual(['not_contracted', 'over_max_days', 'duplicate_therapy']);
    expect(blocking([])).toEqual([]);
  });
});
