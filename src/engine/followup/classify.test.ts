import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACTION_SEVERITY, CLASSIFICATION_SEVERITY, InvalidVisitError, applyOverride, classifyVisit, failedControl, type VisitInput,
} from './classify';
import { URGENT_SIGN_CODES, URGENT_SIGNS } from './urgentSigns';

const VISIT = '2025-06-15';
const AGE_50 = '1975-01-01';
const AGE_65 = '1960-06-15'; // 65th birthday on the visit day
const AGE_64 = '1960-06-16'; // turns 65 tomorrow

const htn = (systolic: number, diastolic: number, birthDate = AGE_50, extra: Partial<VisitInput> = {}) =>
  classifyVisit({ visitDate: VISIT, birthDate, diseases: ['hypertension'], readings: { systolic, diastolic }, ...extra });
const dm = (glucose: number, extra: Partial<VisitInput> = {}) =>
  classifyVisit({ visitDate: VISIT, birthDate: AGE_50, diseases: ['diabetes'], readings: { fastingGlucoseTenths: glucose }, ...extra });

describe('hypertension boundaries', () => {
  it('139/89 satisfactory, 140/90 unsatisfactory (under 65)', () => {
    expect(htn(139, 89)).toMatchObject({ classification: 'satisfactory', action: 'routine', nextVisitDate: '2025-09-15' });
    expect(htn(140, 89)).toMatchObject({ classification: 'unsatisfactory', action: 'adjust_recheck', nextVisitDate: '2025-06-29' });
    expect(htn(139, 90)).toMatchObject({ classification: 'unsatisfactory' });
    expect(htn(140, 90)).toMatchObject({ classification: 'unsatisfactory', action: 'adjust_recheck' });
  });
  it('149/89 satisfactory at 65, unsatisfactory at 64; 150/90 unsatisfactory at 65', () => {
    expect(htn(149, 89, AGE_65)).toMatchObject({ age: 65, classification: 'satisfactory', action: 'routine' });
    expect(htn(149, 89, AGE_64)).toMatchObject({ age: 64, classification: 'unsatisfactory', action: 'adjust_recheck' });
    expect(htn(150, 90, AGE_65)).toMatchObject({ classification: 'unsatisfactory' });
    expect(htn(150, 89, AGE_65)).toMatchObject({ classification: 'unsatisfactory' });
    expect(htn(149, 90, AGE_65)).toMatchObject({ classification: 'unsatisfactory' }); // diastolic target stays 90
  });
  it('179/109 is not urgent, 180 or 110 is', () => {
    expect(htn(179, 109).action).toBe('adjust_recheck');
    expect(htn(180, 109)).toMatchObject({ classification: 'unsatisfactory', action: 'urgent_referral', nextVisitDate: '2025-06-29' });
    expect(htn(179, 110).action).toBe('urgent_referral');
    expect(htn(180, 110).codes).toContain('BP_CRITICAL');
  });
  it('two unsatisfactory visits in a row → referral advice, check within 2 weeks', () => {
    const r = htn(150, 95, AGE_50, { previous: { hypertension: 'unsatisfactory' } });
    expect(r).toMatchObject({ classification: 'unsatisfactory', action: 'refer_and_check', nextVisitDate: '2025-06-29' });
    expect(r.codes).toContain('UNSATISFACTORY_TWICE');
    // previous unsatisfactory but controlled now → routine
    expect(htn(130, 80, AGE_50, { previous: { hypertension: 'unsatisfactory' } }).action).toBe('routine');
    // previous adverse reaction is not "unsatisfactory twice"
    expect(htn(150, 95, AGE_50, { previous: { hypertension: 'adverse_reaction' } }).action).toBe('adjust_recheck');
  });
  it('adverse reactions and complications', () => {
    expect(htn(130, 80, AGE_50, { adverseReaction: 'present' })).toMatchObject({ classification: 'adverse_reaction', action: 'adjust_recheck', nextVisitDate: '2025-06-29' });
    expect(htn(130, 80, AGE_50, { adverseReaction: 'hard_to_control' })).toMatchObject({ classification: 'adverse_reaction', action: 'refer_and_check' });
    expect(htn(130, 80, AGE_50, { complication: 'new_or_worse' })).toMatchObject({ classification: 'complication', action: 'refer_and_check' });
    expect(htn(130, 80, AGE_50, { adverseReaction: 'none', complication: 'none' }).action).toBe('routine');
  });
  it('explains in zh-CN with machine codes', () => {
    const r = htn(149, 89, AGE_64);
    expect(r.codes).toEqual(['BP_UNCONTROLLED', 'UNSATISFACTORY_FIRST']);
    expect(r.reasons[0]).toContain('140/90');
    expect(r.reasons).toHaveLength(r.codes.length);
  });
});

describe('diabetes boundaries', () => {
  it('fasting glucose 6.9 satisfactory, 7.0 unsatisfactory', () => {
    expect(dm(69)).toMatchObject({ classification: 'satisfactory', action: 'routine', nextVisitDate: '2025-09-15' });
    expect(dm(70)).toMatchObject({ classification: 'unsatisfactory', action: 'adjust_recheck', nextVisitDate: '2025-06-29' });
  });
  it('16.7 and 3.9 urgent, 16.6 and 4.0 not', () => {
    expect(dm(167).action).toBe('urgent_referral');
    expect(dm(166).action).toBe('adjust_recheck');
    expect(dm(39)).toMatchObject({ classification: 'unsatisfactory', action: 'urgent_referral' });
    expect(dm(40)).toMatchObject({ classification: 'satisfactory', action: 'routine' });
  });
  it('BP ≥ 180/110 is urgent on a diabetes visit too', () => {
    const r = classifyVisit({ visitDate: VISIT, birthDate: AGE_50, diseases: ['diabetes'], readings: { fastingGlucoseTenths: 60, systolic: 182, diastolic: 100 } });
    expect(r.action).toBe('urgent_referral');
  });
});

describe('visits covering both diseases', () => {
  it('worst classification and action win, earliest next date', () => {
    const r = classifyVisit({
      visitDate: '2025-11-30', birthDate: AGE_50, diseases: ['hypertension', 'diabetes'],
      readings: { systolic: 130, diastolic: 80, fastingGlucoseTenths: 75 }, previous: { diabetes: 'unsatisfactory' },
    });
    expect(r.perDisease.map((p) => [p.disease, p.classification, p.nextVisitDate])).toEqual([
      ['hypertension', 'satisfactory', '2026-02-28'],
      ['diabetes', 'unsatisfactory', '2025-12-14'],
    ]);
    expect(r).toMatchObject({ classification: 'unsatisfactory', action: 'refer_and_check', nextVisitDate: '2025-12-14' });
    expect(r.reasons[0]).toMatch(/^高血压：/);
  });
  it('shows a visit-wide critical reason once', () => {
    const r = classifyVisit({ visitDate: VISIT, birthDate: AGE_50, diseases: ['hypertension', 'diabetes'], readings: { systolic: 185, diastolic: 100, fastingGlucoseTenths: 60 } });
    expect(r.codes.filter((c) => c === 'BP_CRITICAL')).toHaveLength(1);
    expect(r.action).toBe('urgent_referral');
  });
});

// Issue 10 items 8–10, against 国家基本公共卫生服务规范（第三版）.
const both = (systolic: number, diastolic: number, glucose: number, extra: Partial<VisitInput> = {}) => classifyVisit({
  visitDate: VISIT, birthDate: AGE_50, diseases: ['hypertension', 'diabetes'], readings: { systolic, diastolic, fastingGlucoseTenths: glucose }, ...extra,
});
const perDisease = (r: ReturnType<typeof classifyVisit>) => Object.fromEntries(r.perDisease.map((p) => [p.disease, [p.classification, p.action]]));

describe('each disease on its own readings (item 8)', () => {
  it('a glucose of 17.0 does not make the hypertension form 控制不满意', () => {
    const r = both(130, 80, 170);
    expect(perDisease(r)).toEqual({ hypertension: ['satisfactory', 'routine'], diabetes: ['unsatisfactory', 'urgent_referral'] });
    expect(r.perDisease[0]).toMatchObject({ nextVisitDate: '2025-09-15', codes: ['BP_CONTROLLED'] });
    expect(r).toMatchObject({ classification: 'unsatisfactory', action: 'urgent_referral', nextVisitDate: '2025-06-29' });
    expect(r.codes.filter((c) => c === 'GLUCOSE_HIGH_CRITICAL')).toHaveLength(1);
  });
  it('nor counts as the first of two hypertension failures in a row', () => {
    const first = both(130, 80, 170);
    const previous = { hypertension: { visitDate: first.visitDate, readings: { systolic: 130, diastolic: 80, fastingGlucoseTenths: 170 } } };
    const next = classifyVisit({ visitDate: '2025-06-29', birthDate: AGE_50, diseases: ['hypertension'], readings: { systolic: 150, diastolic: 95 }, previous });
    expect(next).toMatchObject({ action: 'adjust_recheck' });
    expect(next.codes).toContain('UNSATISFACTORY_FIRST');
  });
  it('BP ≥ 180/110 on the diabetes form is urgent (the diabetes spec lists it) without making glucose 控制不满意', () => {
    const r = both(185, 100, 60);
    expect(perDisease(r)).toEqual({ hypertension: ['unsatisfactory', 'urgent_referral'], diabetes: ['satisfactory', 'urgent_referral'] });
    const dmOnly = classifyVisit({ visitDate: VISIT, birthDate: AGE_50, diseases: ['diabetes'], readings: { fastingGlucoseTenths: 60, systolic: 182, diastolic: 100 } });
    expect(dmOnly).toMatchObject({ classification: 'satisfactory', action: 'urgent_referral', nextVisitDate: '2025-06-29' });
  });
  it('a critical glucose on a hypertension-only visit is still urgent, but the form stays classified on BP', () => {
    const r = classifyVisit({ visitDate: VISIT, birthDate: AGE_50, diseases: ['hypertension'], readings: { systolic: 130, diastolic: 80, fastingGlucoseTenths: 28 } });
    expect(r).toMatchObject({ classification: 'satisfactory', action: 'urgent_referral' });
    expect(r.codes).toContain('GLUCOSE_LOW_CRITICAL');
  });
});

describe('two in a row after 不良反应 or 并发症 (item 9)', () => {
  const at = (systolic: number, diastolic: number, override?: 'satisfactory' | 'unsatisfactory' | 'adverse_reaction') =>
    ({ visitDate: '2025-06-01', readings: { systolic, diastolic }, override });
  it('a previous visit classified 不良反应 whose BP was off target counts as a failure', () => {
    const prev = htn(150, 95, AGE_50, { adverseReaction: 'present' });
    expect(prev.classification).toBe('adverse_reaction');
    const r = htn(152, 96, AGE_50, { previous: { hypertension: at(150, 95) } });
    expect(r).toMatchObject({ classification: 'unsatisfactory', action: 'refer_and_check' });
    expect(r.codes).toContain('UNSATISFACTORY_TWICE');
  });
  it('one classified 并发症 with glucose off target counts for diabetes', () => {
    const previous = { diabetes: { visitDate: '2025-06-01', readings: { fastingGlucoseTenths: 82, systolic: 130, diastolic: 80 } } };
    expect(dm(75, { previous }).action).toBe('refer_and_check');
  });
  it('one whose readings were on target does not; the doctor’s override counts as decided', () => {
    expect(htn(150, 95, AGE_50, { previous: { hypertension: at(130, 80) } }).action).toBe('adjust_recheck');
    expect(htn(150, 95, AGE_50, { previous: { hypertension: at(150, 95, 'satisfactory') } }).action).toBe('adjust_recheck');
    expect(htn(150, 95, AGE_50, { previous: { hypertension: at(130, 80, 'unsatisfactory') } }).action).toBe('refer_and_check');
    expect(htn(150, 95, AGE_50, { previous: { hypertension: at(150, 95, 'adverse_reaction') } }).action).toBe('refer_and_check');
    // the age target at the previous visit: 145/85 was on target at 65
    const older = classifyVisit({ visitDate: VISIT, birthDate: AGE_65, diseases: ['hypertension'], readings: { systolic: 155, diastolic: 85 }, previous: { hypertension: { visitDate: VISIT, readings: { systolic: 145, diastolic: 85 } } } });
    expect(older.action).toBe('adjust_recheck');
  });
  it('hypoglycaemia at the previous visit was 控制不满意 too', () => {
    expect(failedControl('diabetes', { visitDate: '2025-06-01', readings: { fastingGlucoseTenths: 35 } }, AGE_50)).toBe(true);
    expect(failedControl('diabetes', { visitDate: '2025-06-01', readings: { fastingGlucoseTenths: 60 } }, AGE_50)).toBe(false);
    expect(failedControl('hypertension', null, AGE_50)).toBe(false);
  });
});

describe('urgent-referral signs (item 10)', () => {
  it('any one sign → urgent referral within 2 weeks, the sign named; the classification stays on the readings', () => {
    const r = htn(130, 80, AGE_50, { urgentSigns: ['chest_tightness'] });
    expect(r).toMatchObject({ classification: 'satisfactory', action: 'urgent_referral', nextVisitDate: '2025-06-29' });
    expect(r.codes).toEqual(['BP_CONTROLLED', 'URGENT_SIGNS']);
    expect(r.reasons[1]).toBe('存在危急情况：胸闷，处理后紧急转诊');
    expect(dm(60, { urgentSigns: ['ketone_breath', 'deep_rapid_breathing'] }).reasons[1]).toBe('存在危急情况：呼气有烂苹果样丙酮味、深大呼吸，处理后紧急转诊');
  });
  it('every listed sign on its own form is urgent', () => {
    for (const code of URGENT_SIGN_CODES) {
      const d = URGENT_SIGNS[code].diseases[0];
      const r = d === 'hypertension' ? htn(120, 80, AGE_50, { urgentSigns: [code] }) : dm(60, { urgentSigns: [code] });
      expect(r.action, code).toBe('urgent_referral');
      expect(r.reasons.at(-1)).toContain(URGENT_SIGNS[code].zh);
    }
  });
  it('with both forms, a sign raises the form whose list names it; the reason is shown once, naming all', () => {
    const r = both(130, 80, 60, { urgentSigns: ['ketone_breath'] });
    expect(perDisease(r)).toEqual({ hypertension: ['satisfactory', 'routine'], diabetes: ['satisfactory', 'urgent_referral'] });
    const two = both(130, 80, 60, { urgentSigns: ['chest_tightness', 'ketone_breath'] });
    expect(perDisease(two)).toEqual({ hypertension: ['satisfactory', 'urgent_referral'], diabetes: ['satisfactory', 'urgent_referral'] });
    expect(two.codes.filter((c) => c === 'URGENT_SIGNS')).toHaveLength(1);
    expect(two.reasons.find((x) => x.startsWith('存在危急情况'))).toBe('存在危急情况：胸闷、呼气有烂苹果样丙酮味，处理后紧急转诊');
  });
  it('a sign no form of the visit lists is not ignored', () => {
    expect(htn(130, 80, AGE_50, { urgentSigns: ['fever_over_39'] }).action).toBe('urgent_referral');
  });
});

describe('next visit dates', () => {
  it('3 months = calendar months clamped to month end; 2 weeks = 14 days', () => {
    const base = { birthDate: AGE_50, diseases: ['hypertension' as const] };
    expect(classifyVisit({ ...base, visitDate: '2025-11-30', readings: { systolic: 120, diastolic: 80 } }).nextVisitDate).toBe('2026-02-28');
    expect(classifyVisit({ ...base, visitDate: '2025-12-25', readings: { systolic: 150, diastolic: 80 } }).nextVisitDate).toBe('2026-01-08');
  });
});

function errorsOf(fn: () => unknown) {
  try { fn(); } catch (e) { if (e instanceof InvalidVisitError) return e.errors; throw e; }
  throw new Error('expected InvalidVisitError');
}

describe('invalid input', () => {
  it('refuses impossible or missing readings with the field list', () => {
    expect(() => htn(300, 90)).toThrow(InvalidVisitError);
    expect(errorsOf(() => htn(120, 130))).toEqual([expect.objectContaining({ field: 'diastolic', rule: 'diastolic_below_systolic' })]);
    expect(errorsOf(() => dm(0))).toEqual([expect.objectContaining({ field: 'fastingGlucoseTenths', rule: 'min' })]);
    expect(errorsOf(() => htn(300, 90))).toEqual([expect.objectContaining({ field: 'systolic', rule: 'max' })]);
    expect(() => classifyVisit({ visitDate: VISIT, birthDate: AGE_50, diseases: ['diabetes'], readings: { systolic: 120, diastolic: 80 } })).toThrow(/空腹血糖/);
    expect(() => classifyVisit({ visitDate: VISIT, birthDate: AGE_50, diseases: [], readings: {} })).toThrow(RangeError);
    expect(() => classifyVisit({ visitDate: VISIT, birthDate: '2026-01-01', diseases: ['diabetes'], readings: { fastingGlucoseTenths: 60 } })).toThrow(RangeError);
  });
});

describe('doctor override', () => {
  const base = htn(150, 95);
  it('requires a reason and records the original', () => {
    expect(() => applyOverride(base, { classification: 'satisfactory', reason: '  ' })).toThrow(/reason/);
    expect(() => applyOverride(base, { reason: 'no change' })).toThrow(RangeError);
    expect(() => applyOverride(base, { nextVisitDate: '2025-06-15', reason: 'x' })).toThrow(RangeError);
    const o = applyOverride(base, { classification: 'satisfactory', nextVisitDate: '2025-07-15', reason: '白大衣效应，家庭自测血压达标' });
    expect(o).toMatchObject({
      classification: 'satisfactory', nextVisitDate: '2025-07-15', action: 'adjust_recheck',
      override: { reason: '白大衣效应，家庭自测血压达标', classification: { from: 'unsatisfactory', to: 'satisfactory' }, nextVisitDate: { from: '2025-06-29', to: '2025-07-15' } },
    });
    expect(base.override).toBeNull(); // not mutated
    const again = applyOverride(o, { nextVisitDate: '2025-08-01', reason: '患者外出' });
    expect(again.override).toMatchObject({ classification: { from: 'unsatisfactory' }, nextVisitDate: { from: '2025-06-29', to: '2025-08-01' } });
  });
});

describe('property: classification never gets better as BP rises', () => {
  it('holds for any age, diseases, previous result and flags', () => {
    const input = fc.record({
      s: fc.integer({ min: 61, max: 260 }),
      d: fc.integer({ min: 30, max: 159 }),
      ds: fc.integer({ min: 0, max: 40 }),
      dd: fc.integer({ min: 0, max: 40 }),
      birthYear: fc.integer({ min: 1925, max: 2000 }),
      both: fc.boolean(),
      glucose: fc.integer({ min: 10, max: 333 }),
      previous: fc.constantFrom(null, 'satisfactory', 'unsatisfactory', 'adverse_reaction', 'complication' as const),
      adverse: fc.constantFrom('none', 'present', 'hard_to_control' as const),
      complication: fc.constantFrom('none', 'new_or_worse' as const),
    }).filter(({ s, d, ds, dd }) => d < s && Math.min(s + ds, 260) > Math.min(d + dd, 159));
    fc.assert(fc.property(input, (x) => {
      const run = (s: number, d: number) => classifyVisit({
        visitDate: VISIT, birthDate: `${x.birthYear}-03-01`,
        diseases: x.both ? ['hypertension', 'diabetes'] : ['hypertension'],
        readings: { systolic: s, diastolic: d, fastingGlucoseTenths: x.both ? x.glucose : null },
        previous: { hypertension: x.previous, diabetes: x.previous },
        adverseReaction: x.adverse, complication: x.complication,
      });
      const lo = run(x.s, x.d);
      const hi = run(Math.min(x.s + x.ds, 260), Math.min(x.d + x.dd, 159));
      return CLASSIFICATION_SEVERITY[hi.classification] >= CLASSIFICATION_SEVERITY[lo.classification]
        && ACTION_SEVERITY[hi.action] >= ACTION_SEVERITY[lo.action]
        && hi.nextVisitDate <= lo.nextVisitDate;
    }), { numRuns: 2000 });
  });
});
