// Drug stock figures (备药). Seed 002 item 13: within a medical community, of the common chronic
// drugs its upper-level institution stocks, a grassroots institution stocks at least 70 % (基层医疗
// 机构慢病常用药品配备率). Patient-days of stock: what is on hand divided by the daily use of the
// patients who take the drug, the measure of Simple.org's drug-stock report, warned under 30 days.

import type { Fraction } from '../prescription/supply';

/** Seed 002 item 13: the grassroots stock rate's target, in basis points. */
export const STOCK_RATE_TARGET_BP = 7000;
/** Local parameter: fewer patient-days of stock than this is a warning (Simple.org's report flags a month). */
export const LOW_STOCK_DAYS = 30;

export interface StockRate {
  /** Drugs the upper institution stocks (the denominator). */
  upper: string[];
  /** Of those, the ones this institution stocks too. */
  stocked: string[];
  /** The ones it does not. */
  missing: string[];
  /** stocked ÷ upper in basis points, half up; null when the upper institution stocks none. */
  rateBp: number | null;
  meetsTarget: boolean | null;
}

/** The stock rate of an institution against its upper institution, over the drugs of one list. */
export function stockRate(upperStocked: Iterable<string>, ownStocked: Iterable<string>): StockRate {
  const upper = [...new Set(upperStocked)].sort();
  const own = new Set(ownStocked);
  const stocked = upper.filter((d) => own.has(d));
  const missing = upper.filter((d) => !own.has(d));
  const rateBp = upper.length === 0 ? null : Math.floor((stocked.length * 20000 + upper.length) / (2 * upper.length));
  return { upper, stocked, missing, rateBp, meetsTarget: rateBp === null ? null : rateBp >= STOCK_RATE_TARGET_BP };
}

/**
 * Patient-days of stock: units on hand ÷ the daily units of the patients who take the drug (an exact
 * fraction n/d: half tablets, weekly doses), rounded down — a part-day of stock is not a day; null
 * when nobody takes it.
 */
export function patientDays(unitsOnHand: number, dailyUse: Fraction): number | null {
  if (!Number.isInteger(unitsOnHand) || unitsOnHand < 0) throw new RangeError(`units on hand must be a non-negative integer, got ${unitsOnHand}`);
  if (dailyUse.n <= 0) return null;
  return Math.floor((unitsOnHand * dailyUse.d) / dailyUse.n);
}
