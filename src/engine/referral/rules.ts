// The numbers and small rules of two-way referral (双向转诊). Pure: today and now are the caller's.
//
// - The down-referral's follow-up: the team sees a patient discharged to it within 2 weeks. The national
//   basic public health service specification has the team check on a referred patient within 2 weeks
//   ("2周内随访转诊情况", src/engine/followup/schedule.ts RECHECK_INTERVAL_DAYS); seed 003 (Luohu): "出院则必须
//   下转到社康团队" — the discharge goes down to the community team, which follows it.
// - Expiry: the seeds set no deadline for a hospital's answer. A requested up-referral unanswered in 7 days,
//   or an accepted one not attended 14 days after its appointment, has stopped being a referral the patient
//   can use: the first is the ordinary week a hospital's booking window (预约挂号) is open, the second the
//   same 2 weeks the team waits before it checks on the referral. Both are parameters, not code.
// - Urgency: a follow-up visit's `urgent_referral` (the specification's urgent-referral signs) is urgent;
//   `refer_and_check` (uncontrolled twice, hard-to-control reaction, a new complication) is routine.
import { addDays, daysBetween, type IsoDate } from '../calendar';

export interface ReferralParams {
  /** A requested up-referral not answered within this many days after the request expires. */
  answerWithinDays: number;
  /** An accepted up-referral not attended within this many days after its appointment expires. */
  attendWithinDaysAfterAppointment: number;
  /** A down-referral is followed up within this many days of discharge. */
  followUpWithinDays: number;
}

export const REFERRAL_PARAMS: ReferralParams = { answerWithinDays: 7, attendWithinDaysAfterAppointment: 14, followUpWithinDays: 14 };

export type Urgency = 'urgent' | 'routine';

/** A visit's action as a referral's urgency; null when the visit advised no referral. */
export function urgencyOfVisitAction(action: string): Urgency | null {
  if (action === 'urgent_referral') return 'urgent';
  if (action === 'refer_and_check') return 'routine';
  return null;
}

/** The day a requested up-referral expires if unanswered. */
export function answerExpiry(requestedOn: IsoDate, p: ReferralParams = REFERRAL_PARAMS): IsoDate {
  return addDays(requestedOn, p.answerWithinDays);
}

/** The day an accepted up-referral expires if the patient has not come. */
export function attendExpiry(appointmentDate: IsoDate, p: ReferralParams = REFERRAL_PARAMS): IsoDate {
  return addDays(appointmentDate, p.attendWithinDaysAfterAppointment);
}

/** Expired on `today`: the expiry day has passed (the expiry day itself still counts). */
export const isExpired = (expiresOn: IsoDate | null, today: IsoDate) => expiresOn !== null && today > expiresOn;

/** A down-referral's follow-up due date: discharge + 14 days. */
export function followUpDue(dischargeDate: IsoDate, p: ReferralParams = REFERRAL_PARAMS): IsoDate {
  return addDays(dischargeDate, p.followUpWithinDays);
}

/** Overdue: not followed up and the due date has passed. */
export function followUpOverdue(due: IsoDate, followedUpOn: IsoDate | null, today: IsoDate): boolean {
  return followedUpOn === null && today > due;
}

/** Days left to the due date (negative: days overdue). */
export const daysToDue = (due: IsoDate, today: IsoDate) => daysBetween(today, due);

export interface Waiting {
  /** Whole hours from the request to the answer (acceptance or decline), or to now while unanswered. */
  hours: number;
  /** Whole days of the same. */
  days: number;
  answered: boolean;
}

/** How long a referral waited for the receiving side's answer. */
export function waitingTime(requestedAt: Date, answeredAt: Date | null, now: Date): Waiting {
  const until = answeredAt ?? now;
  const ms = Math.max(0, until.getTime() - requestedAt.getTime());
  const hours = Math.floor(ms / 3_600_000);
  return { hours, days: Math.floor(hours / 24), answered: answeredAt !== null };
}

/** The incoming queue's order: urgent first, then the longest waiting. */
export function queueOrder(a: { urgency: Urgency; requestedAt: Date }, b: { urgency: Urgency; requestedAt: Date }): number {
  if (a.urgency !== b.urgency) return a.urgency === 'urgent' ? -1 : 1;
  return a.requestedAt.getTime() - b.requestedAt.getTime();
}

/** The department a disease is usually referred to, when the doctor names none. */
export function departmentFor(diseases: readonly string[]): string {
  if (diseases.includes('hypertension')) return '心血管内科';
  if (diseases.includes('diabetes')) return '内分泌科';
  return '全科医学科';
}

export interface VisitFacts {
  visitDate: IsoDate;
  diseases: readonly string[];
  systolic: number | null;
  diastolic: number | null;
  fastingGlucoseTenths: number | null;
  hba1cTenths: number | null;
  classification: string;
  urgentSigns: readonly string[];
  reasons: ReadonlyArray<{ text: string }>;
}

const CLASSIFICATION_ZH: Record<string, string> = { satisfactory: '控制满意', unsatisfactory: '控制不满意', adverse_reaction: '药物不良反应', complication: '并发症' };
const tenths = (n: number) => (n / 10).toFixed(1);

/** The clinical summary a referral from a visit starts with: the visit's readings, class and reasons, in Chinese (the receiving doctor's language). */
export function clinicalSummaryOf(v: VisitFacts): string {
  const parts = [`${v.visitDate} 随访`];
  if (v.systolic !== null && v.diastolic !== null) parts.push(`血压 ${v.systolic}/${v.diastolic} mmHg`);
  if (v.fastingGlucoseTenths !== null) parts.push(`空腹血糖 ${tenths(v.fastingGlucoseTenths)} mmol/L`);
  if (v.hba1cTenths !== null) parts.push(`糖化血红蛋白 ${tenths(v.hba1cTenths)}%`);
  parts.push(`分类：${CLASSIFICATION_ZH[v.classification] ?? v.classification}`);
  if (v.urgentSigns.length) parts.push(`紧急转诊征象 ${v.urgentSigns.length} 项`);
  const reasons = v.reasons.map((r) => r.text).filter(Boolean);
  return `${parts.join('；')}。${reasons.length ? `${reasons.join('；')}。` : ''}`;
}
