// Calendar dates are 'YYYY-MM-DD' strings (Asia/Shanghai calendar days). All arithmetic goes through
// UTC midnight so no local timezone or DST can shift a day; the engine never reads the clock.

export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = ISO.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(s: IsoDate): [number, number, number] {
  if (!isIsoDate(s)) throw new RangeError(`not a calendar date 'YYYY-MM-DD': ${String(s)}`);
  return [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function toUtc(s: IsoDate): number {
  const [y, m, d] = parts(s);
  return Date.UTC(y, m - 1, d);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(s: IsoDate, n: number): IsoDate {
  return fromUtc(toUtc(s) + n * DAY_MS);
}

/** Calendar months, clamped to the month end: 2025-11-30 + 3 → 2026-02-28 (never spills into March). */
export function addMonths(s: IsoDate, n: number): IsoDate {
  const [y, m, d] = parts(s);
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12);
  const nm = idx - ny * 12 + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

/** b − a in whole days (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** −1, 0, 1. Validates both sides, so it is safe to sort user input with it. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  const d = toUtc(a) - toUtc(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/**
 * Age in completed years (周岁) on `on`. The birthday is reached when (month, day) ≥ birth (month, day),
 * so someone born on 29 Feb becomes a year older on 1 Mar in common years.
 */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(on);
  if (compareDates(on, birthDate) < 0) throw new RangeError(`date ${on} is before birth date ${birthDate}`);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** 'YYYY-MM' of a date. */
export function monthOf(s: IsoDate): string {
  parts(s);
  return s.slice(0, 7);
}

/** 'YYYY-MM' shifted by n months. */
export function addMonthsToMonth(month: string, n: number): string {
  return addMonths(`${month}-01`, n).slice(0, 7);
}

/** Last day of a 'YYYY-MM' month. */
export function monthEnd(month: string): IsoDate {
  const [y, m] = parts(`${month}-01`);
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

// China Standard Time is UTC+8 all year (no daylight saving since 1991), so plain arithmetic is exact
// and far cheaper than Intl on every request.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The calendar date in Asia/Shanghai at an instant. The engine never reads a clock: callers pass this in. */
export function shanghaiDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
