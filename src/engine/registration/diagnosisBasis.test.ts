import { describe, expect, it } from 'vitest';
import { basisProblems } from './diagnosisBasis';

const rules = (...args: Parameters<typeof basisProblems>) => basisProblems(...args).map((p) => `${p.path}:${p.rule}`);
const bp = (days: Array<[string, number, number]>) => ({ type: 'bp_readings' as const, readings: days.map(([date, systolic, diastolic]) => ({ date, systolic, diastolic })) });

describe('diagnosis basis', () => {
  it('needs raised BP on three different days for hypertension', () => {
    expect(rules('hypertension', bp([['2026-01-01', 150, 92], ['2026-01-08', 145, 88], ['2026-01-15', 138, 90]]), '2026-01-15', '2026-02-01')).toEqual([]);
    expect(rules('hypertension', bp([['2026-01-01', 150, 92], ['2026-01-01', 145, 95], ['2026-01-15', 139, 89]]), '2026-01-15', '2026-02-01')).toEqual(['basis.readings:three_raised_days']);
  });
  it('refuses impossible readings and readings after the diagnosis', () => {
    const r = rules('hypertension', bp([['2026-01-01', 300, 92], ['2026-01-08', 145, 150], ['2026-01-20', 150, 95]]), '2026-01-15', '2026-02-01');
    expect(r).toContain('basis.readings.0.systolic:max');
    expect(r).toContain('basis.readings.1.diastolic:diastolic_below_systolic');
    expect(r).toContain('basis.readings.2.date:before_diagnosis');
  });
  it('takes fasting glucose 7.0 or HbA1c 6.5 for diabetes, not 6.9 / 6.4', () => {
    const g = (f: number | null, a: number | null) => rules('diabetes', { type: 'glucose', date: '2026-01-01', fastingGlucoseTenths: f, hba1cTenths: a }, '2026-01-02', '2026-02-01');
    expect(g(70, null)).toEqual([]);
    expect(g(null, 65)).toEqual([]);
    expect(g(69, 64)).toEqual(['basis:diagnostic_threshold']);
  });
  it('accepts a hospital diagnosis for any disease but not a future one', () => {
    expect(rules('copd', { type: 'hospital_diagnosis', institutionName: '嘉兴市第一医院', date: '2025-12-01' }, '2025-12-01', '2026-02-01')).toEqual([]);
    expect(rules('diabetes', { type: 'hospital_diagnosis', institutionName: 'x', date: '2026-03-01' }, '2026-03-01', '2026-02-01')).toEqual(['diagnosedOn:not_in_future']);
    expect(rules('diabetes', bp([['2026-01-01', 150, 95]]), '2026-01-01', '2026-02-01')).toContain('basis.type:basis_fits_disease');
  });
});
