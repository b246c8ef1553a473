// When the next follow-up falls, stated once. The national specification (国家基本公共卫生服务规范（第三版）,
// 高血压 / 2型糖尿病患者健康管理服务规范) asks for at least four face-to-face follow-ups a year: a patient controlled
// satisfactorily is booked for the next routine visit within 3 months, and anyone not controlled, with an
// adverse reaction, a complication or a referral is seen (or the referral checked on) within 2 weeks.
// The classifier, the due state, the worklist and the reminder job all read these; the SQL ones take
// ROUTINE_INTERVAL_MONTHS as a parameter, so no query restates it.
import { addDays, addMonths, type IsoDate } from '../calendar';

export const ROUTINE_INTERVAL_MONTHS = 3;
export const RECHECK_INTERVAL_DAYS = 14;

/** The routine next visit: calendar months, clamped to the month's end (11-30 → 02-28), as PostgreSQL's `date + interval` does. */
export function routineNextVisit(from: IsoDate): IsoDate {
  return addMonths(from, ROUTINE_INTERVAL_MONTHS);
}

/** The recheck, or the check on a referral: 2 weeks. */
export function recheckVisit(from: IsoDate): IsoDate {
  return addDays(from, RECHECK_INTERVAL_DAYS);
}
