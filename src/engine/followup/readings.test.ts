import { describe, expect, it } from 'vitest';
import { bmiTenths, formatTenths, parseTenths, validateReadings } from './readings';

const rules = (r: Parameters<typeof validateReadings>[0]) => validateReadings(r).map((e) => `${e.field}:${e.rule}`);

describe('readings plausibility', () => {
  it('accepts a normal set and the inclusive limits', () => {
    expect(validateReadings({ systolic: 138, diastolic: 86, heartRate: 72, weightTenthsKg: 652, heightTenthsCm: 1705, fastingGlucoseTenths: 69, hba1cTenths: 65 })).toEqual([]);
    expect(validateReadings({ systolic: 260, diastolic: 159, heartRate: 220, weightTenthsKg: 3000, heightTenthsCm: 2500, fastingGlucoseTenths: 333, hba1cTenths: 200 })).toEqual([]);
    expect(validateReadings({ systolic: 60, diastolic: 30, heartRate: 30, weightTenthsKg: 200, heightTenthsCm: 1000, fastingGlucoseTenths: 10, hba1cTenths: 30 })).toEqual([]);
    expect(validateReadings({})).toEqual([]);
  });
  it('refuses impossible readings with field-named errors', () => {
    const [e] = validateReadings({ systolic: 300, diastolic: 90 });
    expect(e).toMatchObject({ field: 'systolic', rule: 'max' });
    expect(e.message).toContain('收缩压');
    expect(e.message).toContain('300');
    expect(rules({ systolic: 120, diastolic: 130 })).toEqual(['diastolic:diastolic_below_systolic']);
    expect(rules({ systolic: 120, diastolic: 120 })).toEqual(['diastolic:diastolic_below_systolic']);
    expect(rules({ fastingGlucoseTenths: 0 })).toEqual(['fastingGlucoseTenths:min']);
    expect(rules({ fastingGlucoseTenths: 334 })).toEqual(['fastingGlucoseTenths:max']);
    expect(rules({ fastingGlucoseTenths: 6.9 })).toEqual(['fastingGlucoseTenths:integer']); // mmol/L passed by mistake
    expect(rules({ systolic: 59, diastolic: 29 })).toEqual(['systolic:min', 'diastolic:min']);
    expect(rules({ heartRate: 221, hba1cTenths: 29, weightTenthsKg: 199, heightTenthsCm: 2501 }))
      .toEqual(['heartRate:max', 'weightTenthsKg:min', 'heightTenthsCm:max', 'hba1cTenths:min']);
    expect(rules({ systolic: 130 })).toEqual(['diastolic:paired']);
  });
});

describe('tenths and BMI', () => {
  it('parses and formats tenths exactly', () => {
    expect(parseTenths('7.0')).toBe(70);
    expect(parseTenths('7')).toBe(70);
    expect(parseTenths('16.7')).toBe(167);
    expect(() => parseTenths('6.95')).toThrow(RangeError);
    expect(formatTenths(39)).toBe('3.9');
  });
  it('computes BMI to one decimal, half up', () => {
    expect(bmiTenths(700, 1750)).toBe(229); // 70 / 1.75² = 22.857
    expect(bmiTenths(800, 1600)).toBe(313); // 31.25 → 31.3
    expect(formatTenths(bmiTenths(652, 1705))).toBe('22.4'); // 22.428
    expect(() => bmiTenths(0, 1700)).toThrow(RangeError);
  });
});
