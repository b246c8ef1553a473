import { describe, expect, it } from 'vitest';
import { countersOf, indicatorsOf, addCounters, emptyCounters } from './counters';
import { firstMonth, owedFollowUps, patientMonth, type PatientFacts } from './patientMonth';

const base = (over: Partial<PatientFacts> = {}): PatientFacts => ({
  personId: 'p1', birthDate: '1960-05-01', countyCode: '330402', insuranceType: 'resident', deathDate: null,
  diagnoses: [{ disease: 'hypertension', diagnosedOn: '2020-03-01' }],
  contracts: [{ teamId: 't1', institutionId: 'i1', startDate: '2025-07-01', endDate: '2026-06-30', terminatedOn: null }],
  registrations: [{ disease: 'hypertension', effectiveFrom: '2024-02-10', effectiveTo: null, diagnosedOn: '2020-03-01' }],
  visits: [], healthChecks: [], claims: [], filingSteps: [], dispenses: [], ...over,
});
const visit = (date: string, systolic: number | null, mode: 'clinic' | 'home' | 'phone' = 'clinic', diastolic = 80) =>
  ({ date, mode, diseases: ['hypertension' as const], systolic, diastolic: systolic === null ? null : diastolic, fastingGlucoseTenths: null });

describe('a patient at the end of a month', () => {
  it('is known from the month of the first diagnosis, registration or claim', () => {
    expect(firstMonth(base())).toBe('2020-03');
    expect(patientMonth(base(), '2020-02')).toBeNull();
    expect(patientMonth(base({ diagnoses: [], registrations: [] }), '2026-03')).toBeNull();
  });

  it('belongs to the team of the contract in force on the last day, and to none after it ends or is terminated', () => {
    expect(patientMonth(base(), '2026-06')!.teamId).toBe('t1');
    expect(patientMonth(base(), '2026-07')!.teamId).toBeNull();
    const ended = base({ contracts: [{ teamId: 't1', institutionId: 'i1', startDate: '2025-07-01', endDate: '2026-06-30', terminatedOn: '2026-03-31' }] });
    expect(patientMonth(ended, '2026-03')!.teamId).toBeNull(); // terminatedOn is the first day no longer in force
    expect(patientMonth(ended, '2026-02')!.institutionId).toBe('i1');
  });

  it('is dead from the month of death on, and then out of the control rate', () => {
    const f = base({ deathDate: '2026-04-10', visits: [visit('2026-03-01', 130)] });
    expect(patientMonth(f, '2026-03')!).toMatchObject({ alive: true, hypertension: { control: 'controlled' } });
    expect(patientMonth(f, '2026-04')!).toMatchObject({ alive: false, hypertension: { control: null } });
    expect(countersOf(patientMonth(f, '2026-04')!, false)).toMatchObject({ diagnosed: 0, contracted: 0 });
  });

  it('owes one face-to-face follow-up per whole quarter registered from its first day', () => {
    const reg = (from: string, to: string | null = null) => [{ effectiveFrom: from, effectiveTo: to }];
    expect(owedFollowUps(reg('2024-02-10'), '2026-09-30')).toBe(3);
    expect(owedFollowUps(reg('2024-02-10'), '2026-08-31')).toBe(2); // Q3 not yet whole
    expect(owedFollowUps(reg('2026-01-02'), '2026-06-30')).toBe(1); // Q1 not from its first day
    expect(owedFollowUps(reg('2026-04-01'), '2026-06-30')).toBe(1);
    expect(owedFollowUps(reg('2024-01-01', '2026-06-30'), '2026-06-30')).toBe(1); // ended on Q2's last day: not in force on it
  });

  it('counts distinct face-to-face days; phone and online follow-ups do not count', () => {
    const f = base({ visits: [visit('2026-01-10', 130), visit('2026-01-10', 128, 'home'), visit('2026-04-03', 150, 'phone'), visit('2026-05-03', 150, 'home')] });
    const m = patientMonth(f, '2026-06')!;
    expect(m.hypertension).toMatchObject({ owed: 2, faceToFace: 2 });
    expect(countersOf(m, false)).toMatchObject({ ht_sm_denominator: 1, ht_sm_numerator: 1 });
    // the whole year asks for the annual health check as well
    expect(countersOf(patientMonth(f, '2026-12')!, true)).toMatchObject({ ht_sm_denominator: 1, ht_sm_numerator: 0 });
  });

  it('is judged on the latest reading of the 3 months ending at the end, at the target for the age that day', () => {
    // 65 on 2025-05-01: 145/85 is at target (< 150/90) from then on
    const f = base({ visits: [visit('2026-04-20', 160), visit('2026-05-15', 145, 'phone', 85)] });
    expect(patientMonth(f, '2026-06')!.hypertension.control).toBe('controlled');
    const young = base({ birthDate: '1970-05-01', visits: [visit('2026-04-20', 130), visit('2026-05-15', 145, 'phone', 85)] });
    expect(patientMonth(young, '2026-06')!.hypertension.control).toBe('uncontrolled');
    // the window is the days after end − 3 months (2026-06-30 − 3 months = 2026-03-30) up to the end
    expect(patientMonth(base({ visits: [visit('2026-03-30', 130)] }), '2026-06')!.hypertension.control).toBe('missed_visit');
    expect(patientMonth(base({ visits: [visit('2026-03-31', 130)] }), '2026-06')!.hypertension.control).toBe('controlled');
  });

  it('takes an annual check’s reading too, and a visit without a reading is a visit', () => {
    const check = { date: '2026-06-01', systolic: 128, diastolic: 78, fastingGlucoseTenths: null };
    expect(patientMonth(base({ visits: [visit('2026-05-01', 170)], healthChecks: [check] }), '2026-06')!.hypertension.control).toBe('controlled');
    // on one day the visit's reading wins over the check's
    expect(patientMonth(base({ visits: [visit('2026-06-01', 170)], healthChecks: [check] }), '2026-06')!.hypertension.control).toBe('uncontrolled');
    const noReading = { ...visit('2026-05-01', null), diseases: ['hypertension' as const] };
    expect(patientMonth(base({ visits: [noReading] }), '2026-06')!.hypertension.control).toBe('visited_no_reading');
  });

  it('sets aside the newly registered and the lost to follow-up', () => {
    expect(patientMonth(base({ registrations: [{ disease: 'hypertension', effectiveFrom: '2026-04-01', effectiveTo: null, diagnosedOn: '2020-03-01' }] }), '2026-06')!.hypertension.control).toBe('registered_last_3_months');
    // registered years ago, last seen 13 months ago
    expect(patientMonth(base({ visits: [visit('2025-05-20', 130)] }), '2026-06')!.hypertension.control).toBe('lost_to_follow_up');
    // a change registration does not reset the registration date
    const changed = base({ registrations: [
      { disease: 'hypertension', effectiveFrom: '2024-02-10', effectiveTo: '2026-05-01', diagnosedOn: '2020-03-01' },
      { disease: 'hypertension', effectiveFrom: '2026-05-01', effectiveTo: null, diagnosedOn: '2020-03-01' },
    ], visits: [visit('2026-02-01', 130)] });
    expect(patientMonth(changed, '2026-06')!.hypertension.control).toBe('missed_visit');
  });

  it('counts the period’s filings and the prescriptions dispensed, delivered ones apart, once each', () => {
    const f = base({
      filingSteps: [{ date: '2025-12-30', step: 'filed' }, { date: '2026-01-04', step: 'returned' }, { date: '2026-01-20', step: 'confirmed' }],
      dispenses: [{ date: '2026-02-01', prescriptionId: 'rx1', delivered: false }, { date: '2026-02-20', prescriptionId: 'rx1', delivered: true }, { date: '2026-04-02', prescriptionId: 'rx2', delivered: false }],
    });
    expect(patientMonth(f, '2026-03')!.quarter).toMatchObject({ filed: 0, returned: 1, confirmed: 1, dispensed: 1, delivered: 1 });
    expect(patientMonth(f, '2026-06')!.year).toMatchObject({ filed: 0, returned: 1, confirmed: 1, dispensed: 2, delivered: 1 });
    expect(patientMonth(f, '2025-12')!.year.filed).toBe(1);
    expect(patientMonth(f, '2026-06')!.registeredYearBefore).toBe(true);
    expect(patientMonth(base(), '2025-01')!.registeredYearBefore).toBe(false); // registered 2024-02-10
  });

  it('adds claims to the quarter and the year to date, pharmacies apart from the visits’ denominator', () => {
    const f = base({ claims: [
      { serviceDate: '2026-02-10', level: 'grassroots', amountFen: 1000, fundPayFen: 600 },
      { serviceDate: '2026-04-10', level: 'secondary', amountFen: 2000, fundPayFen: 1000 },
      { serviceDate: '2026-05-10', level: 'pharmacy', amountFen: 500, fundPayFen: 265 },
    ] });
    const m = patientMonth(f, '2026-05')!;
    expect(m.quarter).toMatchObject({ grassroots: 0, hospital: 1, pharmacy: 1, amountFen: 2500, fundPayFen: 1265 });
    expect(m.year).toMatchObject({ grassroots: 1, hospital: 1, pharmacy: 1, amountFen: 3500, fundPayFen: 1865 });
    const i = indicatorsOf(addCounters(emptyCounters(), countersOf(m, false)));
    expect(i.grassroots_visits).toEqual({ numerator: 0, denominator: 1, pharmacy_claims: 1 });
    expect(i.fund_spending).toEqual({ amount_fen: 2500, fund_pay_fen: 1265, self_pay_fen: 1235, patients: 1 });
  });
});
