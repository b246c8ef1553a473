import { describe, expect, it } from 'vitest';
import { shanghaiDate, addDays, addMonths, ageOn, compareDates, daysBetween, isIsoDate, monthEnd, addMonthsToMonth } from './calendar';

describe('dates', () => {
  it('adds calendar months clamped to the month end', () => {
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29'); // leap year
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-10-15', 3)).toBe('2026-01-15');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
  });
  it('adds days across month, year and DST-like boundaries', () => {
    expect(addDays('2025-12-25', 14)).toBe('2026-01-08');
    expect(addDays('2024-02-20', 14)).toBe('2024-03-05');
    expect(addDays('2025-03-25', 14)).toBe('2025-04-08'); // Europe/US DST switch irrelevant: UTC arithmetic
  });
  it('counts and compares days', () => {
    expect(daysBetween('2025-01-01', '2025-03-01')).toBe(59);
    expect(daysBetween('2025-03-01', '2025-01-01')).toBe(-59);
    expect(compareDates('2025-01-02', '2025-01-10')).toBe(-1);
    expect(compareDates('2025-01-10', '2025-01-10')).toBe(0);
  });
  it('validates dates', () => {
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-2-1')).toBe(false);
    expect(() => addDays('2025-13-01', 1)).toThrow(RangeError);
  });
  it('computes age in completed years', () => {
    expect(ageOn('1960-06-15', '2025-06-14')).toBe(64);
    expect(ageOn('1960-06-15', '2025-06-15')).toBe(65);
    expect(ageOn('1960-02-29', '2025-02-28')).toBe(64);
    expect(ageOn('1960-02-29', '2025-03-01')).toBe(65);
  });
  it('does month arithmetic', () => {
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(addMonthsToMonth('2025-01', -2)).toBe('2024-11');
  });
});

describe('shanghaiDate', () => {
  it('takes the date in Shanghai, not UTC', () => {
    expect(shanghaiDate(new Date('2026-11-22T16:30:00Z'))).toBe('2026-11-23'); // 00:30 in Shanghai
    expect(shanghaiDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
  });
});
