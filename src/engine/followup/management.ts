// Standardised management (规范管理) status for a patient-year, and the due state used by worklists.
//
// Reading of the spec: the national specification asks for "每年至少4次面对面随访" — at least four
// FACE-TO-FACE follow-ups a year. Clinic (门诊) and home (家庭访视) visits are face-to-face. Phone (电话) and
// online visits are follow-ups too (the spec names 电话追踪 as a follow-up form, and insurance pays online
// chronic follow-ups) so they are counted in `followUps`, but not in `faceToFaceFollowUps`, which is the
// count the standard is judged on. A region that accepts video follow-ups as face-to-face can pass
// `faceToFaceModes`. Several records on the same day for the same disease are one follow-up.
// "Standardised" = ≥ 4 face-to-face follow-ups in the calendar year AND the annual health check done;
// whether the last visit was controlled is reported beside it (it feeds the control rate, not the standard).
import { addDays, ageOn, compareDates, daysBetween, isIsoDate, type IsoDate } from '../calendar';
import { isControlled, type Disease } from './classify';
import type { Readings } from './readings';
import { routineNextVisit } from './schedule';

export type VisitMode = 'clinic' | 'home' | 'phone' | 'online';
export const DEFAULT_FACE_TO_FACE: readonly VisitMode[] = ['clinic', 'home'];
export const REQUIRED_FACE_TO_FACE = 4;

export interface ManagementVisit {
  date: IsoDate;
  mode: VisitMode;
  diseases: Disease[];
  readings: Readings;
}

export interface ManagementInput {
  disease: Disease;
  year: number; // calendar year (1 Jan – 31 Dec), as the annual assessment counts it
  birthDate: IsoDate;
  visits: ManagementVisit[];
  annualCheckDates: IsoDate[]; // dates of 年度健康体检 records
  asOf?: IsoDate; // "so far": ignore anything after this date (defaults to the whole year)
  faceToFaceModes?: readonly VisitMode[];
}

export interface ManagementStatus {
  disease: Disease;
  year: number;
  followUps: number; // distinct visit days, any mode
  faceToFaceFollowUps: number; // distinct visit days in a face-to-face mode — the qualifying count
  required: number;
  lastVisitDate: IsoDate | null;
  /** Control at the latest visit in the year that recorded this disease's reading; null if none did. */
  lastControlled: boolean | null;
  lastControlledDate: IsoDate | null;
  annualCheckDone: boolean;
  standardised: boolean;
}

export function managementStatus(input: ManagementInput): ManagementStatus {
  const from = `${String(input.year).padStart(4, '0')}-01-01`;
  let to = `${String(input.year).padStart(4, '0')}-12-31`;
  if (input.asOf !== undefined && compareDates(input.asOf, to) < 0) to = input.asOf;
  const inYear = (d: IsoDate) => compareDates(d, from) >= 0 && compareDates(d, to) <= 0;
  const f2f = new Set(input.faceToFaceModes ?? DEFAULT_FACE_TO_FACE);

  const visits = input.visits
    .filter((v) => v.diseases.includes(input.disease) && inYear(v.date))
    .sort((a, b) => compareDates(a.date, b.date));
  const allDays = new Set(visits.map((v) => v.date));
  const f2fDays = new Set(visits.filter((v) => f2f.has(v.mode)).map((v) => v.date));

  let lastControlled: boolean | null = null;
  let lastControlledDate: IsoDate | null = null;
  for (const v of visits) {
    const c = isControlled(input.disease, v.readings, ageOn(input.birthDate, v.date));
    if (c !== null) { lastControlled = c; lastControlledDate = v.date; } // sorted ascending: latest wins
  }
  const annualCheckDone = input.annualCheckDates.some(inYear);
  return {
    disease: input.disease,
    year: input.year,
    followUps: allDays.size,
    faceToFaceFollowUps: f2fDays.size,
    required: REQUIRED_FACE_TO_FACE,
    lastVisitDate: visits.length ? visits[visits.length - 1].date : null,
    lastControlled,
    lastControlledDate,
    annualCheckDone,
    standardised: f2fDays.size >= REQUIRED_FACE_TO_FACE && annualCheckDone,
  };
}

export type DueStateName = 'due_this_week' | 'overdue' | 'not_due';

export interface DueState {
  state: DueStateName;
  dueDate: IsoDate;
  daysOverdue: number; // > 0 only when overdue
  daysUntilDue: number; // negative when overdue
}

/**
 * Due state on `today`. "This week" is the rolling 7 days starting today (today … today+6), the same
 * window the reminder job uses, so a worklist never shows "not due" for someone just reminded.
 * Due on `nextVisitDate`; when none was set (or it is stale), the routine interval after the last visit (schedule.ts).
 * Overdue means the due date has passed (today > due); due today is "due this week", not overdue.
 */
export function dueState(lastVisit: IsoDate | null, nextVisitDate: IsoDate | null, today: IsoDate, windowDays = 7): DueState {
  if (!isIsoDate(today)) throw new RangeError(`today must be 'YYYY-MM-DD', got ${String(today)}`);
  // A next date on or before the last visit is stale (the patient came after it, e.g. a visit recorded
  // without a next date): fall back to the routine interval from that visit.
  const stale = nextVisitDate !== null && lastVisit !== null && compareDates(nextVisitDate, lastVisit) <= 0;
  const dueDate = nextVisitDate !== null && !stale ? nextVisitDate : lastVisit !== null ? routineNextVisit(lastVisit) : null;
  if (dueDate === null) throw new RangeError('dueState needs a next visit date or a last visit (pass the registration date for a patient never seen)');
  const daysUntilDue = daysBetween(today, dueDate);
  if (daysUntilDue < 0) return { state: 'overdue', dueDate, daysOverdue: -daysUntilDue, daysUntilDue };
  const state: DueStateName = compareDates(dueDate, addDays(today, windowDays - 1)) <= 0 ? 'due_this_week' : 'not_due';
  return { state, dueDate, daysOverdue: 0, daysUntilDue };
}

/** Calendar quarter (1–4) of a date. */
export function quarterOf(d: IsoDate): number {
  if (!isIsoDate(d)) throw new RangeError(`not a date: ${String(d)}`);
  return Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1;
}

/** For the worklist's "not seen this quarter": no visit in today's calendar quarter. */
export function seenThisQuarter(lastVisit: IsoDate | null, today: IsoDate): boolean {
  return lastVisit !== null && lastVisit.slice(0, 4) === today.slice(0, 4) && quarterOf(lastVisit) === quarterOf(today)
    && compareDates(lastVisit, today) <= 0;
}
