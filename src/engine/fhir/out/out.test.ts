// manbing's records written as FHIR R4 (issue 18's export): the states each record's status becomes, the
// readings' values back in their units, money exact in yuan, and the masked identifier. The whole export is
// validated against R4 and imported again by test/api/fhir-export.test.ts.
import { describe, expect, it } from 'vitest';
import { cny, explanationOfBenefitOf, serviceRequestOf } from './care';
import { medicationDispenseOf, medicationRequestOf } from './medications';
import { observationOf, readingsOfVisit } from './observations';
import { careTeamOf, patientOf } from './person';

const drug = { code: 'D0001', name: '苯磺酸氨氯地平片', atc: 'C08CA01', unit: '片' };
const line = (status: string) => medicationRequestOf({
  prescriptionId: 'rx', prescriptionNo: 'RX1', lineNo: 1, personId: 'p', status, writtenOn: '2026-06-01', validUntil: '2026-06-30',
  doctor: { practitionerId: null, name: '王医生' }, institutionId: 'i', drug, doseMilli: 500, frequency: 'bid', daysSupply: 28, quantity: 28,
});

describe('statuses', () => {
  it('a prescription is a draft while the pharmacist has it, active once approved, completed when dispensed', () => {
    expect(['draft', 'submitted', 'under_review', 'returned', 'approved', 'partly_dispensed', 'dispensed', 'expired', 'cancelled'].map((s) => line(s).status))
      .toEqual(['draft', 'draft', 'draft', 'draft', 'active', 'active', 'completed', 'stopped', 'cancelled']);
    expect(line('approved').dosageInstruction![0]).toMatchObject({ text: '每次0.5片，每日两次', timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 0.5 } }] });
    expect(line('approved').requester).toEqual({ display: '王医生' });
  });
  it('a dispensing brought back is stopped; a referral declined or expired revoked; a reversed settlement cancelled; an ended contract inactive', () => {
    const dispense = (status: 'dispensed' | 'returned') => medicationDispenseOf({ dispenseId: 'd', lineNo: 1, personId: 'p', prescriptionId: 'rx', prescriptionLineNo: 1, status, delivery: true, institutionId: 'i', dispensedAt: '2026-06-02T02:00:00.000Z', drug, batchNo: 'B1', quantity: 28, daysSupply: 28 });
    expect([dispense('dispensed').status, dispense('returned').status, dispense('dispensed').authorizingPrescription]).toEqual(['completed', 'stopped', [{ reference: 'MedicationRequest/rx.1' }]]);
    const referral = (status: string) => serviceRequestOf({ id: 'r', referralNo: 'R1', personId: 'p', direction: 'up', status, urgency: 'urgent', reason: '血压控制不满意', fromInstitutionId: 'a', toInstitutionId: 'b', requestedAt: '2026-06-01T00:00:00.000Z', appointmentDate: null, department: null, clinicalSummary: null });
    expect(['requested', 'accepted', 'attended', 'completed', 'declined', 'expired'].map((s) => referral(s).status)).toEqual(['active', 'active', 'active', 'completed', 'revoked', 'revoked']);
    expect(referral('requested').priority).toBe('urgent');
    const team = (status: 'active' | 'lapsed') => careTeamOf({ id: 'k', personId: 'p', teamName: '王医生团队', institutionId: 'i', startDate: '2025-07-01', endDate: '2026-06-30', status, members: [] });
    expect([team('active').status, team('lapsed').status]).toEqual(['active', 'inactive']);
  });
});

describe('values', () => {
  it('writes the chart’s integers back in their units: mmHg whole, the rest from tenths', () => {
    const readings = readingsOfVisit({ id: 'v', personId: 'p', date: '2026-06-01', origin: '随访', systolic: 142, diastolic: 88, heartRate: 72, weightTenthsKg: 704, heightTenthsCm: 1721, bmiTenths: 238, fastingGlucoseTenths: 61, hba1cTenths: 73 });
    const obs = readings.map(observationOf);
    expect(obs.map((o) => [o.id, o.code.coding![0].code, o.valueQuantity?.value ?? o.component!.map((c) => c.valueQuantity!.value)])).toEqual([
      ['v.bp', '85354-9', [142, 88]], ['v.hr', '8867-4', 72], ['v.wt', '29463-7', 70.4], ['v.ht', '8302-2', 172.1], ['v.bmi', '39156-5', 23.8], ['v.fglu', '1558-6', 6.1], ['v.a1c', '4548-4', 7.3],
    ]);
    // a visit without a glucose writes none
    expect(readingsOfVisit({ id: 'v', personId: 'p', date: '2026-06-01', origin: '随访', systolic: null, diastolic: null, heartRate: null, weightTenthsKg: null, heightTenthsCm: null, bmiTenths: null, fastingGlucoseTenths: null, hba1cTenths: null })).toEqual([]);
  });
  it('writes money exact in yuan and the patient’s share as the rest of the fund’s', () => {
    expect([cny(1), cny(10), cny(123456789), cny(7)]).toEqual([{ value: 0.01, currency: 'CNY' }, { value: 0.1, currency: 'CNY' }, { value: 1234567.89, currency: 'CNY' }, { value: 0.07, currency: 'CNY' }]);
    const eob = explanationOfBenefitOf({ id: 'c', settlementNo: 'S1', personId: 'p', institutionId: 'i', serviceDate: '2026-06-01', settledAt: '2026-06-01T02:00:00.000Z', status: 'reversed', amountFen: 4321, fundPayFen: 2593, deductibleFen: 0, copayFen: 1728, overLimitFen: 0, criticalIllnessFen: 0, lines: [] }, '南湖区医疗保障局');
    const total = (code: string) => eob.total!.find((t) => t.category.coding![0].code === code)!.amount.value;
    expect([eob.status, total('submitted'), total('benefit'), total('patient-pay'), eob.payment!.amount!.value]).toEqual(['cancelled', 43.21, 25.93, 17.28, 25.93]);
  });
  it('writes the resident ID as it is given (masked for a caller who sees it masked) and says so', () => {
    const person = { id: 'p', name: '王芳', sex: 'female' as const, birthDate: '1958-04-12', idNumber: '110101********048X', phone: null, regionName: '南湖街道', address: null, insuranceType: 'resident' as const, insuredSince: '2020-01-01', deathDate: null };
    const p = patientOf(person, true);
    expect(p.identifier![0]).toMatchObject({ system: 'urn:oid:2.16.156.10011.1.3', value: '110101********048X', type: { coding: [{ code: 'NNCHN' }], text: '居民身份证号（脱敏）' } });
    expect(patientOf(person, false).identifier![0].type!.text).toBe('居民身份证号');
  });
});
