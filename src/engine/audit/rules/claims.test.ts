// The claim rules of the smart audit (seed 002 line 29: 使用医保智能审核平台…增强事中、事后审核; seed 001
// line 21: 医保医师考核扣分), each on its own boundary: what trips it, and the normal behaviour next to it
// that must not — a refill at 80 %, both diseases with one drug each, a prescription filled in parts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../params';
import type { AuditClaim, AuditClaimLine, AuditDrug, PersonAuditFacts } from '../types';
import { auditClaims, packsAtMaximum } from './claims';

const drug = (code: string, classes: string[], diseases: string[], maxDailyUnits = 2, packSize = 28): AuditDrug => ({ code, classes, diseases, maxDailyUnits, packSize });
const DRUGS = new Map([
  ['D0001', drug('D0001', ['ccb_dhp'], ['hypertension'])],
  ['D0008', drug('D0008', ['arb'], ['hypertension'])],
  ['D0010', drug('D0010', ['arb'], ['hypertension'])],
  ['D0028', drug('D0028', ['arb', 'thiazide'], ['hypertension'])],
  ['D0024', drug('D0024', ['thiazide'], ['hypertension'], 4, 100)],
  ['D0033', drug('D0033', ['biguanide'], ['diabetes'], 4, 60)],
]);
const POLICY = { maxDaysSupply: 84, earlyRefillBp: 8000, onHandToleranceDays: 17, followUpWindowDays: 90 };
const CENTRE = 'centre';
const PHARMACY = 'pharmacy';
const D = '2026-06-14';

let n = 0;
const line = (drugCode: string, days = 28, over: Partial<AuditClaimLine> = {}): AuditClaimLine => ({ lineNo: 1, drugCode, quantity: 1, daysSupply: days, scope: 'two_disease', fundPayFen: 100, ...over });
const claim = (serviceDate: string, lines: AuditClaimLine[], over: Partial<AuditClaim> = {}): AuditClaim => ({
  id: `c${++n}`, serviceDate, settledAt: `${serviceDate}T02:00:00.000Z`, institutionId: CENTRE, prescriptionId: null, doctorId: null,
  lines: lines.map((l, i) => ({ ...l, lineNo: i + 1 })), ...over,
});
const person = (claims: AuditClaim[], over: Partial<PersonAuditFacts> = {}): PersonAuditFacts => ({
  personId: 'p1', claims, prescriptions: [], followUpVisits: [],
  registrations: [{ disease: 'hypertension', effectiveFrom: '2026-01-01', effectiveTo: null }],
  contracts: [{ id: 'k1', teamId: 't1', teamName: '', startDate: '2026-01-01', endDate: '2026-12-31', status: 'active', terminatedOn: null }],
  ...over,
});
const audit = (facts: PersonAuditFacts) => auditClaims(facts, { from: D, to: D }, DRUGS, () => POLICY, DEFAULT_RULE_PARAMS);
const rules = (facts: PersonAuditFacts) => audit(facts).map((f) => f.rule).sort();

describe('a normal purchase', () => {
  it('trips nothing: one drug for each of two registered diseases, refilled at 80 % of the last supply', () => {
    const both = person([claim('2026-04-27', [line('D0001', 60)]), claim(D, [line('D0001', 28), line('D0033', 30, { quantity: 2 })])], {
      registrations: [{ disease: 'hypertension', effectiveFrom: '2026-01-01', effectiveTo: null }, { disease: 'diabetes', effectiveFrom: '2026-01-01', effectiveTo: null }],
    });
    expect(rules(both)).toEqual([]); // 2026-04-27 + ceil(60 × 80 %) = 2026-06-14: the first day allowed
  });
});

describe('early_refill and overlapping_supply (policy early_refill 80 %, on_hand_tolerance 17 days)', () => {
  it('a refill the day before 80 % of the supply is early, at the same place', () => {
    const f = audit(person([claim('2026-04-28', [line('D0001', 60)]), claim(D, [line('D0001', 60)])]));
    expect(f.map((x) => x.rule)).toEqual(['early_refill']);
    expect(f[0].evidence).toMatchObject({ drugs: [{ drugCode: 'D0001', earliest: '2026-06-15', daysUsed: 47 }] });
    expect(f[0].amountFen).toBe(100);
  });
  it('the last supply bought elsewhere with more than the tolerance left is an overlap across places, not also early', () => {
    expect(rules(person([claim('2026-06-04', [line('D0001', 60)], { institutionId: PHARMACY }), claim(D, [line('D0001', 28)])]))).toEqual(['overlapping_supply']);
    // 17 days left is within the tolerance: then only the early refill (43 of 60 days used < 80 %)
    expect(rules(person([claim('2026-05-01', [line('D0001', 60)], { institutionId: PHARMACY }), claim(D, [line('D0001', 28)])]))).toEqual(['early_refill']);
  });
  it('the parts of one prescription filled at two places are one supply', () => {
    const centre = claim('2026-06-10', [line('D0001', 56)], { prescriptionId: 'rx1' });
    expect(rules(person([centre, claim(D, [line('D0001', 56)], { institutionId: PHARMACY, prescriptionId: 'rx1' })]))).toEqual([]);
  });
  it('a reversed claim is not history (the caller passes settled claims only), and a claim outside the range is not judged', () => {
    const facts = person([claim('2026-06-10', [line('D0001', 56)]), claim('2026-06-13', [line('D0001', 56)])]);
    expect(audit(facts)).toEqual([]);
  });
});

describe('abnormal_frequency (3 fills of one drug in 30 days)', () => {
  it('the third fill in the window trips it, and the drug is then not also early', () => {
    const facts = person([claim('2026-05-16', [line('D0001', 7)]), claim('2026-06-01', [line('D0001', 7)]), claim(D, [line('D0001', 7)])]);
    expect(rules(facts)).toEqual(['abnormal_frequency']);
    expect(audit(facts)[0].evidence).toMatchObject({ drugs: [{ fills: ['2026-05-16', '2026-06-01', D] }] });
  });
  it('a fill 30 days back is outside the window', () => {
    expect(rules(person([claim('2026-05-15', [line('D0001', 7)]), claim('2026-06-01', [line('D0001', 7)]), claim(D, [line('D0001', 7)])]))).toEqual([]);
  });
});

describe('duplicate_therapy, over_max_days, dose_over_max', () => {
  it('two drugs of one class in one purchase (a combination shares its components’ classes); the later line is flagged', () => {
    const f = audit(person([claim(D, [line('D0008', 28, { fundPayFen: 300 }), line('D0028', 28, { fundPayFen: 700 })])]));
    expect(f.map((x) => x.rule)).toEqual(['duplicate_therapy']);
    expect(f[0]).toMatchObject({ amountFen: 700, evidence: { lines: [{ drugCode: 'D0028', withDrugCode: 'D0008', classes: ['arb'] }] } });
    expect(rules(person([claim(D, [line('D0001'), line('D0024')])]))).toEqual([]);
  });
  it('over the policy’s longest supply in the benefit; 84 days is allowed, 85 is not; a general-outpatient line is not judged', () => {
    expect(rules(person([claim(D, [line('D0001', 84, { quantity: 3 })])]))).toEqual([]);
    expect(rules(person([claim(D, [line('D0001', 85, { quantity: 4 })])]))).toEqual(['over_max_days']);
    expect(rules(person([claim(D, [line('D0001', 85, { quantity: 4, scope: 'general' })])]))).toEqual([]);
  });
  it('more packs than the maximum daily dose needs, for a claim without a prescription only', () => {
    expect(packsAtMaximum(DRUGS.get('D0001')!, 28)).toBe(2);
    expect(rules(person([claim(D, [line('D0001', 28, { quantity: 2 })])]))).toEqual([]);
    expect(rules(person([claim(D, [line('D0001', 28, { quantity: 3 })])]))).toEqual(['dose_over_max']);
    expect(rules(person([claim(D, [line('D0001', 28, { quantity: 3 })], { prescriptionId: 'rx9' })]))).toEqual([]);
  });
});

describe('the benefit’s scope on the service date (seed 002 items 8–10)', () => {
  it('a drug for no registered disease', () => {
    expect(rules(person([claim(D, [line('D0033', 30)])]))).toEqual(['drug_not_for_registered_disease']);
  });
  it('no registration in force (ended the day before: effective_to is exclusive) — and then not also the drug rule', () => {
    const ended = person([claim(D, [line('D0033', 30)])], { registrations: [{ disease: 'hypertension', effectiveFrom: '2026-01-01', effectiveTo: D }] });
    expect(rules(ended)).toEqual(['not_registered_on_service_date']);
    const lastDay = person([claim(D, [line('D0001')])], { registrations: [{ disease: 'hypertension', effectiveFrom: '2026-01-01', effectiveTo: '2026-06-15' }] });
    expect(rules(lastDay)).toEqual([]);
  });
  it('no contract in force: terminated the day of the claim', () => {
    const contracts = [{ id: 'k1', teamId: 't1', teamName: '', startDate: '2026-01-01', endDate: '2026-12-31', status: 'terminated' as const, terminatedOn: D }];
    expect(rules(person([claim(D, [line('D0001')])], { contracts }))).toEqual(['not_contracted_on_service_date']);
    expect(rules(person([claim(D, [line('D0001', 28, { scope: 'general' })])], { contracts }))).toEqual([]);
  });
});

describe('split_claims (one purchase split into several claims on one day)', () => {
  it('two claims at one place on one day: one finding on the earlier, the whole group’s fund payment; the parts are not each other’s early refill', () => {
    const a = claim(D, [line('D0001', 28, { fundPayFen: 250 })], { settledAt: `${D}T01:00:00.000Z` });
    const b = claim(D, [line('D0001', 28, { fundPayFen: 250 })], { settledAt: `${D}T02:00:00.000Z` });
    const f = audit(person([b, a]));
    expect(f.map((x) => [x.rule, x.claimId])).toEqual([['split_claims', a.id]]);
    expect(f[0].amountFen).toBe(500);
  });
  it('two claims on one day at two places are no split', () => {
    expect(rules(person([claim(D, [line('D0001', 28)]), claim(D, [line('D0024', 28)], { institutionId: PHARMACY })]))).toEqual([]);
  });
});
