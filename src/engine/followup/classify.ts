// Classification of a follow-up visit and the next visit date, following the national basic public health
// service specification (国家基本公共卫生服务规范（第三版）, 高血压 / 2型糖尿病患者健康管理服务规范). The visit is
// classified per disease (the national forms are one per disease), each on that disease's own readings, and
// then combined: worst wins, earliest next date wins.
import { ageOn, compareDates, isIsoDate, type IsoDate } from '../calendar';
import { validateReadings, type ReadingError, type Readings } from './readings';
import { recheckVisit, routineNextVisit } from './schedule';
import { signsForForm, type UrgentSign, urgentSignZh } from './urgentSigns';

export type { Disease } from './disease';
import type { Disease } from './disease';
/** 控制满意 / 控制不满意 / 不良反应 / 并发症 — in increasing severity (the form allows one choice). */
export type Classification = 'satisfactory' | 'unsatisfactory' | 'adverse_reaction' | 'complication';
export type Action = 'routine' | 'adjust_recheck' | 'refer_and_check' | 'urgent_referral';

export const CLASSIFICATION_SEVERITY: Record<Classification, number> = {
  satisfactory: 0, unsatisfactory: 1, adverse_reaction: 2, complication: 3,
};
export const ACTION_SEVERITY: Record<Action, number> = {
  routine: 0, adjust_recheck: 1, refer_and_check: 2, urgent_referral: 3,
};
export const CLASSIFICATION_ZH: Record<Classification, string> = {
  satisfactory: '控制满意', unsatisfactory: '控制不满意', adverse_reaction: '不良反应', complication: '并发症',
};

export type ReasonCode =
  | 'BP_CONTROLLED' | 'BP_UNCONTROLLED' | 'GLUCOSE_CONTROLLED' | 'GLUCOSE_UNCONTROLLED'
  | 'ADVERSE_REACTION' | 'ADVERSE_REACTION_HARD_TO_CONTROL' | 'COMPLICATION_NEW_OR_WORSE'
  | 'UNSATISFACTORY_FIRST' | 'UNSATISFACTORY_TWICE' | 'BP_CRITICAL' | 'GLUCOSE_HIGH_CRITICAL' | 'GLUCOSE_LOW_CRITICAL' | 'URGENT_SIGNS';
// (Visits stored before the signs were listed may carry 'DANGER_SIGNS', the one checkbox they had.)

/** The latest earlier visit that covered a disease, as the two-in-a-row rule needs it. */
export interface PreviousVisit {
  visitDate: IsoDate;
  readings: Readings;
  /** The doctor's override of that visit's classification, if any: what the doctor decided counts. */
  override?: Classification | null;
}

export interface VisitInput {
  visitDate: IsoDate;
  birthDate: IsoDate;
  diseases: Disease[]; // which national forms this visit fills in (at least one)
  readings: Readings;
  adverseReaction?: 'none' | 'present' | 'hard_to_control';
  /** Only a NEW complication or a WORSENED existing one matters; a stable known complication does not. */
  complication?: 'none' | 'new_or_worse';
  /** The danger signs the doctor found (urgentSigns.ts, the spec's lists): any one → urgent referral. */
  urgentSigns?: readonly UrgentSign[];
  /**
   * The previous visit per disease (null/absent = none). A bare classification is still accepted (it
   * counts as a failure of control only when 控制不满意); a PreviousVisit is judged on its readings.
   */
  previous?: Partial<Record<Disease, PreviousVisit | Classification | null>>;
}

export interface DiseaseResult {
  disease: Disease;
  classification: Classification;
  action: Action;
  nextVisitDate: IsoDate;
  reasons: string[];
  codes: ReasonCode[];
}

export interface Override {
  reason: string;
  classification?: { from: Classification; to: Classification };
  nextVisitDate?: { from: IsoDate; to: IsoDate };
}

export interface ClassifyResult {
  visitDate: IsoDate;
  age: number;
  classification: Classification;
  action: Action;
  nextVisitDate: IsoDate;
  reasons: string[]; // zh-CN, one per code, same order as `codes`
  codes: ReasonCode[];
  perDisease: DiseaseResult[];
  override: Override | null;
}

export class InvalidVisitError extends Error {
  constructor(readonly errors: ReadingError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'InvalidVisitError';
  }
}

/** The spec's targets: < 140/90, or < 150/90 from age 65 (the looser systolic target only). */
export function isBpControlled(systolic: number, diastolic: number, age: number): boolean {
  return systolic < (age >= 65 ? 150 : 140) && diastolic < 90;
}

/** Fasting glucose < 7.0 mmol/L (tenths: < 70). */
export function isGlucoseControlled(fastingGlucoseTenths: number): boolean {
  return fastingGlucoseTenths < 70;
}

/** Controlled for one disease, or null when its reading was not taken. Shared with management and reports. */
export function isControlled(disease: Disease, r: Readings, age: number): boolean | null {
  if (disease === 'hypertension') {
    return r.systolic == null || r.diastolic == null ? null : isBpControlled(r.systolic, r.diastolic, age);
  }
  return r.fastingGlucoseTenths == null ? null : isGlucoseControlled(r.fastingGlucoseTenths);
}

/**
 * Not controlled on this disease's own readings: above target, or — diabetes — hypoglycaemic (≤ 3.9 mmol/L
 * is "< 7.0" but not satisfactory control). Null when the reading was not taken.
 */
export function unsatisfactoryOnReadings(disease: Disease, r: Readings, age: number): boolean | null {
  const c = isControlled(disease, r, age);
  if (c === null) return null;
  return !c || (disease === 'diabetes' && r.fastingGlucoseTenths! <= 39);
}

/**
 * Was this disease not controlled at the previous visit — the first of "连续两次出现控制不满意"? Judged per
 * disease on that visit's own readings, so a visit classified 不良反应 or 并发症 whose BP (or glucose) was off
 * target still counts, and a glucose of 17.0 never counts against hypertension. The doctor's override
 * counts as decided: to 控制不满意 it is a failure, to 控制满意 it is not; to 不良反应 / 并发症 the readings decide.
 */
export function failedControl(disease: Disease, previous: PreviousVisit | Classification | null | undefined, birthDate: IsoDate): boolean {
  if (previous == null) return false;
  if (typeof previous === 'string') return previous === 'unsatisfactory';
  if (previous.override === 'unsatisfactory') return true;
  if (previous.override === 'satisfactory') return false;
  return unsatisfactoryOnReadings(disease, previous.readings, ageOn(birthDate, previous.visitDate)) === true;
}

/** Readings plausible AND the reading each covered disease is judged by is present. */
export function validateVisit(input: Pick<VisitInput, 'diseases' | 'readings'>): ReadingError[] {
  const errors = validateReadings(input.readings);
  const r = input.readings;
  if (input.diseases.includes('hypertension') && r.systolic == null && r.diastolic == null) {
    errors.push({ field: 'systolic', rule: 'required', message: '高血压随访须记录血压' });
  }
  if (input.diseases.includes('diabetes') && r.fastingGlucoseTenths == null) {
    errors.push({ field: 'fastingGlucoseTenths', rule: 'required', message: '糖尿病随访须记录空腹血糖' });
  }
  return errors;
}

const TEXT: Record<ReasonCode, string> = {
  BP_CONTROLLED: '血压达标',
  BP_UNCONTROLLED: '血压未达标',
  GLUCOSE_CONTROLLED: '空腹血糖 < 7.0 mmol/L，达标',
  GLUCOSE_UNCONTROLLED: '空腹血糖 ≥ 7.0 mmol/L，未达标',
  ADVERSE_REACTION: '出现药物不良反应，调整治疗，2周内随访',
  ADVERSE_REACTION_HARD_TO_CONTROL: '药物不良反应难以控制，建议转诊，2周内随访转诊情况',
  COMPLICATION_NEW_OR_WORSE: '出现新的并发症或原有并发症加重，建议转诊，2周内随访转诊情况',
  UNSATISFACTORY_FIRST: '首次控制不满意，调整治疗，2周内随访',
  UNSATISFACTORY_TWICE: '连续两次控制不满意，建议转诊，2周内随访转诊情况',
  BP_CRITICAL: '收缩压 ≥ 180 mmHg 和/或舒张压 ≥ 110 mmHg，处理后紧急转诊',
  GLUCOSE_HIGH_CRITICAL: '血糖 ≥ 16.7 mmol/L，处理后紧急转诊',
  GLUCOSE_LOW_CRITICAL: '血糖 ≤ 3.9 mmol/L（低血糖），处理后紧急转诊',
  URGENT_SIGNS: '存在危急情况，处理后紧急转诊', // with the signs named: see urgentText
};

const urgentText = (signs: readonly string[]) => `存在危急情况：${signs.map(urgentSignZh).join('、')}，处理后紧急转诊`;

const VISIT_WIDE: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'ADVERSE_REACTION', 'ADVERSE_REACTION_HARD_TO_CONTROL', 'COMPLICATION_NEW_OR_WORSE',
  'BP_CRITICAL', 'GLUCOSE_HIGH_CRITICAL', 'GLUCOSE_LOW_CRITICAL', 'URGENT_SIGNS',
]);

function worst<T extends string>(a: T, b: T, severity: Record<T, number>): T {
  return severity[b] > severity[a] ? b : a;
}

function classifyDisease(disease: Disease, input: VisitInput, age: number): DiseaseResult {
  const r = input.readings;
  const codes: ReasonCode[] = [];
  let classification: Classification = 'satisfactory';
  let action: Action = 'routine';

  const reasons: string[] = [];
  const note = (code: ReasonCode, text = TEXT[code]) => { codes.push(code); reasons.push(text); };
  const raise = (c: Classification, a: Action, code: ReasonCode) => {
    classification = worst(classification, c, CLASSIFICATION_SEVERITY);
    action = worst(action, a, ACTION_SEVERITY);
    note(code);
  };

  // This form is classified on its own reading only (BP for hypertension, fasting glucose for diabetes).
  const controlled = isControlled(disease, r, age)!; // presence checked by validateVisit
  if (disease === 'hypertension') {
    const target = `${age >= 65 ? 150 : 140}/90`;
    const bp = `血压 ${r.systolic}/${r.diastolic} mmHg`;
    if (controlled) note('BP_CONTROLLED', `${bp} 低于 ${target}（${age} 岁），达标`);
    else note('BP_UNCONTROLLED', `${bp} 未低于 ${target}（${age} 岁），未达标`);
  } else note(controlled ? 'GLUCOSE_CONTROLLED' : 'GLUCOSE_UNCONTROLLED');
  if (!controlled) {
    // A first unsatisfactory result → adjust and recheck; the second in a row → referral.
    const twice = failedControl(disease, input.previous?.[disease], input.birthDate);
    classification = 'unsatisfactory';
    action = twice ? 'refer_and_check' : 'adjust_recheck';
    note(twice ? 'UNSATISFACTORY_TWICE' : 'UNSATISFACTORY_FIRST');
  }

  if (input.adverseReaction === 'present') raise('adverse_reaction', 'adjust_recheck', 'ADVERSE_REACTION');
  if (input.adverseReaction === 'hard_to_control') raise('adverse_reaction', 'refer_and_check', 'ADVERSE_REACTION_HARD_TO_CONTROL');
  if (input.complication === 'new_or_worse') raise('complication', 'refer_and_check', 'COMPLICATION_NEW_OR_WORSE');

  // 危急情况 → 处理后紧急转诊 (the spec's 随访评估: SBP ≥ 180 and/or DBP ≥ 110 mmHg on both forms, glucose
  // ≥ 16.7 or ≤ 3.9 mmol/L on the diabetes form, and the listed signs). A critical value of this form's own
  // reading is 控制不满意 too (a hypoglycaemic patient is not satisfactorily controlled); anything else — the
  // other disease's reading, a sign — sets the action only, so one form's classification never comes from
  // the other's readings. A glucose on a hypertension-only visit is still checked (2.8 is no less dangerous);
  // when the diabetes form is on the visit too, the glucose is that form's.
  const urgent = (code: ReasonCode, own: boolean, text?: string) => {
    if (own) classification = worst(classification, 'unsatisfactory', CLASSIFICATION_SEVERITY);
    action = worst(action, 'urgent_referral', ACTION_SEVERITY);
    note(code, text);
  };
  if ((r.systolic ?? 0) >= 180 || (r.diastolic ?? 0) >= 110) urgent('BP_CRITICAL', disease === 'hypertension');
  if (disease === 'diabetes' || !input.diseases.includes('diabetes')) {
    if (r.fastingGlucoseTenths != null && r.fastingGlucoseTenths >= 167) urgent('GLUCOSE_HIGH_CRITICAL', disease === 'diabetes');
    if (r.fastingGlucoseTenths != null && r.fastingGlucoseTenths <= 39) urgent('GLUCOSE_LOW_CRITICAL', disease === 'diabetes');
  }
  const signs = [...new Set(input.urgentSigns ?? [])];
  // the reason names every sign of the visit (it is shown once for the visit)
  if (signsForForm(disease, signs, input.diseases).length) urgent('URGENT_SIGNS', false, urgentText(signs));

  const nextVisitDate = action === 'routine' ? routineNextVisit(input.visitDate) : recheckVisit(input.visitDate);
  return { disease, classification, action, nextVisitDate, codes, reasons };
}

/** Classify a visit. Throws InvalidVisitError (with the field list) on implausible or missing readings. */
export function classifyVisit(input: VisitInput): ClassifyResult {
  if (!isIsoDate(input.visitDate) || !isIsoDate(input.birthDate)) {
    throw new RangeError(`visitDate and birthDate must be 'YYYY-MM-DD'`);
  }
  const diseases = [...new Set(input.diseases)];
  if (diseases.length === 0) throw new RangeError('a visit covers at least one disease');
  const errors = validateVisit({ diseases, readings: input.readings });
  if (errors.length) throw new InvalidVisitError(errors);

  const age = ageOn(input.birthDate, input.visitDate);
  const perDisease = diseases.map((d) => classifyDisease(d, input, age));
  const first = perDisease[0];
  let { classification, action, nextVisitDate } = first;
  for (const p of perDisease.slice(1)) {
    classification = worst(classification, p.classification, CLASSIFICATION_SEVERITY);
    action = worst(action, p.action, ACTION_SEVERITY);
    if (compareDates(p.nextVisitDate, nextVisitDate) < 0) nextVisitDate = p.nextVisitDate;
  }
  // With both forms, disease-specific reasons get a disease prefix; reasons that come from the visit as a
  // whole (critical values, adverse reaction, complication, urgent signs) are shown once, unprefixed.
  const label: Record<Disease, string> = { hypertension: '高血压', diabetes: '糖尿病' };
  const codes: ReasonCode[] = [];
  const reasons: string[] = [];
  for (const p of perDisease) {
    p.codes.forEach((c, i) => {
      const visitWide = VISIT_WIDE.has(c);
      if (visitWide && codes.includes(c)) return;
      codes.push(c);
      reasons.push(perDisease.length > 1 && !visitWide ? `${label[p.disease]}：${p.reasons[i]}` : p.reasons[i]);
    });
  }
  return { visitDate: input.visitDate, age, classification, action, nextVisitDate, reasons, codes, perDisease, override: null };
}

/**
 * The doctor's override of the classification and/or next date. A non-empty reason is required and the
 * original values are kept in `override`, so reports can tell rule results from clinical judgement.
 * The action is left as the rules computed it (it records what the rules advised).
 */
export function applyOverride(
  result: ClassifyResult,
  change: { classification?: Classification; nextVisitDate?: IsoDate; reason: string },
): ClassifyResult {
  const reason = (change.reason ?? '').trim();
  if (!reason) throw new RangeError('an override needs a reason');
  if (change.classification === undefined && change.nextVisitDate === undefined) {
    throw new RangeError('an override changes the classification or the next visit date');
  }
  if (change.classification !== undefined && !(change.classification in CLASSIFICATION_SEVERITY)) {
    throw new RangeError(`unknown classification ${String(change.classification)}`);
  }
  if (change.nextVisitDate !== undefined && (!isIsoDate(change.nextVisitDate) || compareDates(change.nextVisitDate, result.visitDate) <= 0)) {
    throw new RangeError(`next visit date must be a date after the visit (${result.visitDate})`);
  }
  // Re-overriding keeps the rule's original value as `from`.
  const orig = result.override;
  const override: Override = { reason };
  if (change.classification !== undefined) {
    override.classification = { from: orig?.classification?.from ?? result.classification, to: change.classification };
  } else if (orig?.classification) override.classification = orig.classification;
  if (change.nextVisitDate !== undefined) {
    override.nextVisitDate = { from: orig?.nextVisitDate?.from ?? result.nextVisitDate, to: change.nextVisitDate };
  } else if (orig?.nextVisitDate) override.nextVisitDate = orig.nextVisitDate;
  return {
    ...result,
    classification: change.classification ?? result.classification,
    nextVisitDate: change.nextVisitDate ?? result.nextVisitDate,
    override,
  };
}
