import { describe, expect, it } from 'vitest';
import { monthlyState } from './monthlyState';

describe('monthlyState', () => {
  const reg = '2024-01-10';
  it('controlled / uncontrolled by the latest reading in the 3-month window', () => {
    const visits = [{ date: '2025-03-05', controlled: false }, { date: '2025-04-20', controlled: true }, { date: '2025-05-02', controlled: null }];
    expect(monthlyState('2025-05', reg, visits)).toEqual({ month: '2025-05', care: 'under_care', visit: 'controlled', inControlDenominator: true });
    expect(monthlyState('2025-03', reg, visits).visit).toBe('uncontrolled');
    expect(monthlyState('2025-07', reg, visits).visit).toBe('visited_no_reading'); // only 05-02 in May–Jul
    expect(monthlyState('2025-08', reg, visits).visit).toBe('missed_visit');
  });
  it('ignores visits after the month', () => {
    expect(monthlyState('2025-02', reg, [{ date: '2025-03-01', controlled: true }]).visit).toBe('missed_visit');
  });
  it('lost to follow-up after 12 months without contact', () => {
    const visits = [{ date: '2024-03-15', controlled: true }];
    expect(monthlyState('2025-02', reg, visits).care).toBe('under_care'); // Mar 2024 – Feb 2025
    expect(monthlyState('2025-03', reg, visits)).toMatchObject({ care: 'lost_to_follow_up', visit: 'missed_visit', inControlDenominator: false });
  });
  it('new registrations: under care, outside the control denominator for 3 months', () => {
    expect(monthlyState('2025-04', '2025-05-01', [])).toEqual({ month: '2025-04', care: 'not_registered', visit: null, inControlDenominator: false });
    expect(monthlyState('2025-05', '2025-05-01', [])).toMatchObject({ care: 'under_care', inControlDenominator: false });
    expect(monthlyState('2025-07', '2025-05-01', []).inControlDenominator).toBe(false);
    expect(monthlyState('2025-08', '2025-05-01', []).inControlDenominator).toBe(true);
  });
});
