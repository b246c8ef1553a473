import { describe, expect, it } from 'vitest';
import { decideEligibility, type EligibilityFacts } from './eligibility';

const contract = { id: 'c1', teamId: 't1', teamName: '团队', startDate: '2026-01-10', endDate: '2027-01-09', status: 'active' as const, terminatedOn: null };
const base: EligibilityFacts = {
  insuredSince: '2015-01-01',
  contracts: [contract],
  registrations: [{ disease: 'hypertension', effectiveFrom: '2026-02-01', effectiveTo: null }],
  openFilings: [],
};
const reason = (facts: EligibilityFacts, date: string, disease = 'hypertension') =>
  decideEligibility(facts, date, ['hypertension', 'diabetes']).benefits.find((b) => b.disease === disease)!.reason;

describe('eligibility for the two-disease benefit', () => {
  it('applies only between the confirmation date and its end, within the contract', () => {
    expect(reason(base, '2026-01-31')).toBe('registration_not_yet_effective');
    expect(reason(base, '2026-02-01')).toBe('eligible');
    expect(reason(base, '2027-01-09')).toBe('eligible');
    expect(reason(base, '2027-01-10')).toBe('no_contract');
    expect(reason(base, '2026-05-01', 'diabetes')).toBe('not_registered');
  });
  it('ends the day a registration ends or a contract is terminated', () => {
    const ended = { ...base, registrations: [{ ...base.registrations[0], effectiveTo: '2026-06-01' }] };
    expect(reason(ended, '2026-05-31')).toBe('eligible');
    expect(reason(ended, '2026-06-01')).toBe('registration_ended');
    const terminated = { ...base, contracts: [{ ...contract, status: 'terminated' as const, terminatedOn: '2026-03-15' }] };
    expect(reason(terminated, '2026-03-14')).toBe('eligible');
    expect(reason(terminated, '2026-03-15')).toBe('no_contract');
  });
  it('tells pending from returned filings, and uninsured first', () => {
    const pending = { ...base, registrations: [], openFilings: [{ disease: 'hypertension', status: 'submitted' as const }] };
    expect(reason(pending, '2026-05-01')).toBe('registration_pending');
    expect(reason({ ...pending, openFilings: [{ disease: 'hypertension', status: 'returned' as const }] }, '2026-05-01')).toBe('registration_returned');
    expect(reason({ ...base, insuredSince: '2026-06-01' }, '2026-05-01')).toBe('not_insured');
  });
  it('finds the renewal in force after the first contract ends', () => {
    const renewed = { ...base, contracts: [{ ...contract, status: 'renewed' as const }, { ...contract, id: 'c2', startDate: '2027-01-10', endDate: '2028-01-09' }] };
    expect(decideEligibility(renewed, '2027-03-01', ['hypertension']).contract?.id).toBe('c2');
    expect(reason(renewed, '2027-03-01')).toBe('eligible');
  });
});
