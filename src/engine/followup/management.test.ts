import { describe, expect, it } from 'vitest';
import { dueState, managementStatus, quarterOf, seenThisQuarter, type ManagementVisit } from './management';

const v = (date: string, mode: ManagementVisit['mode'], systolic?: number, diseases: ManagementVisit['diseases'] = ['hypertension']): ManagementVisit =>
  ({ date, mode, diseases, readings: systolic === undefined ? {} : { systolic, diastolic: 80 } });

const base = { disease: 'hypertension' as const, year: 2025, birthDate: '1970-01-01' };

describe('managementStatus', () => {
  it('counts face-to-face follow-ups in the year and requires the annual check', () => {
    const visits = [
      v('2024-12-20', 'clinic', 130), // previous year
      v('2025-02-10', 'clinic', 150),
      v('2025-05-12', 'home', 132),
      v('2025-05-12', 'clinic', 134), // same day: one follow-up
      v('2025-08-01', 'phone'),
      v('2025-09-03', 'online', 128),
      v('2025-11-20', 'clinic', 138),
      v('2025-12-05', 'phone'), // no reading: lastControlled comes from 11-20
      v('2025-12-10', 'clinic', 120, ['diabetes']), // other disease
    ];
    const s = managementStatus({ ...base, visits, annualCheckDates: ['2025-04-01'] });
    expect(s).toMatchObject({
      followUps: 6, faceToFaceFollowUps: 3, required: 4, lastVisitDate: '2025-12-05',
      lastControlled: true, lastControlledDate: '2025-11-20', annualCheckDone: true, standardised: false,
    });
    const withOnline = managementStatus({ ...base, visits, annualCheckDates: ['2025-04-01'], faceToFaceModes: ['clinic', 'home', 'online'] });
    expect(withOnline).toMatchObject({ faceToFaceFollowUps: 4, standardised: true });
    expect(managementStatus({ ...base, visits, annualCheckDates: ['2024-04-01'], faceToFaceModes: ['clinic', 'home', 'online'] }))
      .toMatchObject({ annualCheckDone: false, standardised: false });
  });
  it('counts "so far" up to asOf, and uses the age target at each visit', () => {
    const visits = [v('2025-01-05', 'clinic', 145), v('2025-04-05', 'clinic', 145), v('2025-07-05', 'clinic', 145), v('2025-10-05', 'home', 145)];
    const s = managementStatus({ ...base, birthDate: '1960-07-01', visits, annualCheckDates: ['2025-03-01'], asOf: '2025-09-30' });
    expect(s).toMatchObject({ faceToFaceFollowUps: 3, lastVisitDate: '2025-07-05', lastControlled: true, standardised: false }); // 65 by July
    const full = managementStatus({ ...base, birthDate: '1960-07-01', visits, annualCheckDates: ['2025-03-01'] });
    expect(full).toMatchObject({ faceToFaceFollowUps: 4, standardised: true });
    expect(managementStatus({ ...base, visits: [], annualCheckDates: [] })).toMatchObject({ followUps: 0, lastVisitDate: null, lastControlled: null, standardised: false });
  });
});

describe('dueState', () => {
  it('due this week = today … today+6; overdue after the due date', () => {
    expect(dueState('2025-03-01', '2025-06-01', '2025-06-01')).toEqual({ state: 'due_this_week', dueDate: '2025-06-01', daysOverdue: 0, daysUntilDue: 0 });
    expect(dueState('2025-03-01', '2025-06-07', '2025-06-01').state).toBe('due_this_week');
    expect(dueState('2025-03-01', '2025-06-08', '2025-06-01')).toMatchObject({ state: 'not_due', daysUntilDue: 7 });
    expect(dueState('2025-03-01', '2025-06-01', '2025-06-11')).toMatchObject({ state: 'overdue', daysOverdue: 10 });
  });
  it('falls back to 3 months after the last visit when no date or a stale one', () => {
    expect(dueState('2025-11-30', null, '2026-03-01')).toMatchObject({ state: 'overdue', dueDate: '2026-02-28', daysOverdue: 1 });
    expect(dueState('2025-11-30', '2025-11-01', '2026-02-25')).toMatchObject({ state: 'due_this_week', dueDate: '2026-02-28' });
    expect(() => dueState(null, null, '2026-01-01')).toThrow(RangeError);
  });
});

describe('quarters', () => {
  it('knows whether the patient was seen this quarter', () => {
    expect(quarterOf('2025-03-31')).toBe(1);
    expect(quarterOf('2025-04-01')).toBe(2);
    expect(seenThisQuarter('2025-04-01', '2025-06-30')).toBe(true);
    expect(seenThisQuarter('2025-03-31', '2025-04-01')).toBe(false);
    expect(seenThisQuarter('2024-05-01', '2025-05-01')).toBe(false);
    expect(seenThisQuarter(null, '2025-05-01')).toBe(false);
  });
});
