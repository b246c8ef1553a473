// Per-patient, per-disease, per-month indicator state, defined once so every report counts the same way.
// Modelled on Simple.org's hypertension indicators:
// - care: 'under_care' when the patient had a contact (a visit, or registration) in the 12 calendar months
//   ending with the month; otherwise 'lost_to_follow_up'. Not yet registered by month end: 'not_registered'.
// - visit (over the 3 calendar months ending with the month, because the routine interval is 3 months and a
//   one-month window would call nearly every well-managed patient "missed"):
//   'controlled' / 'uncontrolled' by the LATEST visit in the window that recorded the reading;
//   'visited_no_reading' when visits in the window recorded none; 'missed_visit' when there was no visit.
// - inControlDenominator: registered before the window began (Simple excludes patients registered in the
//   last 3 months from control rates — they have had no time to be brought under control) and under care.
import { addMonthsToMonth, compareDates, monthEnd, monthOf, type IsoDate } from '../calendar';
import { ROUTINE_INTERVAL_MONTHS } from './schedule';

export type CareState = 'under_care' | 'lost_to_follow_up' | 'not_registered';
export type MonthVisitState = 'controlled' | 'uncontrolled' | 'visited_no_reading' | 'missed_visit';

/** One visit reduced to what the indicators need; `controlled` from classify's `isControlled` (null = no reading). */
export interface IndicatorVisit {
  date: IsoDate;
  controlled: boolean | null;
}

export interface MonthlyState {
  month: string; // 'YYYY-MM'
  care: CareState;
  visit: MonthVisitState | null; // null when not registered by month end
  inControlDenominator: boolean;
}

export const LOST_TO_FOLLOW_UP_MONTHS = 12;
export const VISIT_WINDOW_MONTHS = ROUTINE_INTERVAL_MONTHS;

export function monthlyState(month: string, registrationDate: IsoDate, visits: IndicatorVisit[]): MonthlyState {
  const end = monthEnd(month); // also validates `month`
  if (compareDates(registrationDate, end) > 0) {
    return { month, care: 'not_registered', visit: null, inControlDenominator: false };
  }
  const sinceMonth = (n: number) => addMonthsToMonth(month, -(n - 1)); // first month of an n-month window
  const within = (d: IsoDate, n: number) => monthOf(d) >= sinceMonth(n) && compareDates(d, end) <= 0;

  const upToEnd = visits.filter((v) => compareDates(v.date, end) <= 0);
  const contact = within(registrationDate, LOST_TO_FOLLOW_UP_MONTHS) || upToEnd.some((v) => within(v.date, LOST_TO_FOLLOW_UP_MONTHS));
  const care: CareState = contact ? 'under_care' : 'lost_to_follow_up';

  const recent = upToEnd
    .filter((v) => within(v.date, VISIT_WINDOW_MONTHS))
    .sort((a, b) => compareDates(a.date, b.date));
  const withReading = recent.filter((v) => v.controlled !== null);
  let visit: MonthVisitState;
  if (withReading.length) visit = withReading[withReading.length - 1].controlled ? 'controlled' : 'uncontrolled';
  else visit = recent.length ? 'visited_no_reading' : 'missed_visit';

  const registeredBeforeWindow = monthOf(registrationDate) < sinceMonth(VISIT_WINDOW_MONTHS);
  return { month, care, visit, inControlDenominator: care === 'under_care' && registeredBeforeWindow };
}
