import { describe, expect, it } from 'vitest';
import { applyRatio, formatYuan, parseYuan } from './money';

describe('money', () => {
  it('rounds half up to the fen', () => {
    expect(applyRatio(1, 5000)).toBe(1); // 0.5 fen → 1
    expect(applyRatio(1, 4999)).toBe(0);
    expect(applyRatio(12345, 6000)).toBe(7407); // 7407.0
    expect(applyRatio(12345, 5300)).toBe(6543); // 6542.85 → 6543
    expect(applyRatio(999, 8300)).toBe(829); // 829.17
  });
  it('refuses fractional fen and negative ratios', () => {
    expect(() => applyRatio(1.5, 5000)).toThrow(RangeError);
    expect(() => applyRatio(100, -1)).toThrow(RangeError);
  });
  it('parses yuan exactly', () => {
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan('1800')).toBe(180000);
    expect(parseYuan('12.34')).toBe(1234);
    expect(() => parseYuan('1.234')).toThrow(RangeError);
    expect(() => parseYuan('-1')).toThrow(RangeError);
    expect(() => parseYuan('abc')).toThrow(RangeError);
  });
  it('formats fen as yuan', () => {
    expect(formatYuan(1230)).toBe('12.30');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(-150)).toBe('-1.50');
  });
});
