import { describe, expect, it } from 'vitest';
import { LOW_STOCK_DAYS, patientDays, stockRate, STOCK_RATE_TARGET_BP } from './stock';

describe('grassroots stock rate (seed 002 item 13: ≥ 70 % of the upper institution’s chronic drugs)', () => {
  it('is the share of the upper institution’s drugs stocked here, half up to the basis point, with the missing ones named', () => {
    const upper = ['D0001', 'D0008', 'D0040', 'D0050', 'D0060', 'D0070'];
    const r = stockRate(upper, ['D0001', 'D0008', 'D0040', 'D0050', 'D0060', 'D9999']); // D9999: not the upper's, not counted
    expect(r.rateBp).toBe(8333); // 5 / 6 = 83.333 %
    expect(r.missing).toEqual(['D0070']);
    expect(r.meetsTarget).toBe(true);
    // 2 / 3 = 66.667 %: rounds half up to 6667, under the target
    expect(stockRate(['A', 'B', 'C'], ['A', 'B']).rateBp).toBe(6667);
    expect(stockRate(['A', 'B', 'C'], ['A', 'B']).meetsTarget).toBe(false);
  });

  it('meets the target at exactly 70 % and not just under it', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `D${i}`);
    expect(stockRate(ten, ten.slice(0, 7))).toMatchObject({ rateBp: STOCK_RATE_TARGET_BP, meetsTarget: true });
    expect(stockRate(ten, ten.slice(0, 6))).toMatchObject({ rateBp: 6000, meetsTarget: false });
  });

  it('has no rate when the upper institution stocks none of the list', () => {
    expect(stockRate([], ['D0001'])).toMatchObject({ rateBp: null, meetsTarget: null, missing: [] });
  });
});

describe('patient-days of stock', () => {
  it('divides the units on hand by the patients’ daily use, rounding down', () => {
    // 3 boxes of 28 tablets for 2 patients on one tablet a day and one on half a tablet: 84 / 2.5 = 33.6 days
    expect(patientDays(84, { n: 5, d: 2 })).toBe(33);
    expect(patientDays(84, { n: 5, d: 2 })! >= LOW_STOCK_DAYS).toBe(true);
    expect(patientDays(29, { n: 1, d: 1 })).toBe(29);
    // one weekly tablet: 4 tablets last 28 days
    expect(patientDays(4, { n: 1, d: 7 })).toBe(28);
  });
  it('is null for a drug nobody takes', () => {
    expect(patientDays(100, { n: 0, d: 1 })).toBeNull();
  });
});
