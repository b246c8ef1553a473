// The prescription rules of the smart audit: the pre-check's dose rule and the renewal's follow-up
// verification (复诊核验, DOMAIN.md 3.5), replayed on the prescription's own date.
import { describe, expect, it } from 'vitest';
import type { AuditDrug, AuditPrescription, PersonAuditFacts } from '../types';
import { auditPrescriptions } from './prescriptions';

const DRUGS = new Map<string, AuditDrug>([['D0001', { code: 'D0001', classes: ['ccb_dhp'], diseases: ['hypertension'], maxDailyUnits: 2, packSize: 28 }]]);
const POLICY = { maxDaysSupply: 84, earlyRefillBp: 8000, onHandToleranceDays: 17, followUpWindowDays: 90 };
const D = '2026-06-14';
const rx = (over: Partial<AuditPrescription> = {}): AuditPrescription => ({
  id: 'rx1', writtenOn: D, origin: 'new', institutionId: 'centre', doctorId: 'doc', dispensedFundPayFen: { D0001: 252 },
  lines: [{ lineNo: 1, drugCode: 'D0001', doseMilli: 1000, frequency: 'qd', daysSupply: 28 }], ...over,
});
const facts = (prescriptions: AuditPrescription[], followUpVisits: string[] = []): PersonAuditFacts => ({ personId: 'p1', claims: [], registrations: [], contracts: [], prescriptions, followUpVisits });
const audit = (f: PersonAuditFacts) => auditPrescriptions(f, { from: D, to: D }, DRUGS, () => POLICY);

describe('dose_over_max on a prescription', () => {
  it('two tablets a day is the maximum; two and a half is over, with its dispensed fund payment at stake', () => {
    expect(audit(facts([rx({ lines: [{ lineNo: 1, drugCode: 'D0001', doseMilli: 1000, frequency: 'bid', daysSupply: 28 }] })]))).toEqual([]);
    const over = audit(facts([rx({ lines: [{ lineNo: 1, drugCode: 'D0001', doseMilli: 2500, frequency: 'qd', daysSupply: 28 }] })]));
    expect(over).toMatchObject([{ rule: 'dose_over_max', prescriptionId: 'rx1', claimId: null, amountFen: 252, evidence: { lines: [{ drugCode: 'D0001', dailyUnits: 2.5, maxDailyUnits: 2 }] } }]);
  });
});

describe('no_followup_before_renewal (follow_up_window 90 days)', () => {
  it('a renewal with a visit 90 days before passes; 91 days before does not; a new prescription needs none', () => {
    expect(audit(facts([rx({ origin: 'renewal' })], ['2026-03-16']))).toEqual([]);
    const late = audit(facts([rx({ origin: 'renewal' })], ['2026-03-15']));
    expect(late).toMatchObject([{ rule: 'no_followup_before_renewal', evidence: { windowStart: '2026-03-16', lastVisit: '2026-03-15' }, amountFen: 252 }]);
    expect(audit(facts([rx()], []))).toEqual([]);
  });
  it('a visit after the renewal does not count', () => {
    expect(audit(facts([rx({ origin: 'renewal' })], ['2026-06-20']))).toMatchObject([{ rule: 'no_followup_before_renewal', evidence: { lastVisit: null } }]);
  });
});
