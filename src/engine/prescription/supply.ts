// Quantities of a prescription line: how often a drug is taken, how many units a day, how many packs
// for a number of days, and how many days a number of packs covers. Pure arithmetic, no I/O.
//
// Doses are often fractions of a unit (half a tablet; 20 IU of a 300 IU insulin pen = 1/15 pen) and a
// weekly drug is taken a seventh of a time a day, so every quantity is an exact fraction of integers and
// the only rounding is the one each function names: packs round up (never hand over less than the days
// need), days covered round down (never promise a day the packs do not hold). Local rules, no seed: the
// seeds give the length of a supply (seed 001 "do not exceed 2 months") but not how it is counted.

/** An exact non-negative rational number n / d (d > 0, reduced). */
export interface Fraction {
  n: number;
  d: number;
}

export const FREQUENCIES = ['qd', 'bid', 'tid', 'qid', 'qn', 'qw'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * Administrations per day as a fraction: qd 1, bid 2, tid 3, qid 4, qn (每晚一次) 1, qw (每周一次) 1/7.
 */
export const PER_DAY: Readonly<Record<Frequency, Fraction>> = {
  qd: { n: 1, d: 1 },
  bid: { n: 2, d: 1 },
  tid: { n: 3, d: 1 },
  qid: { n: 4, d: 1 },
  qn: { n: 1, d: 1 },
  qw: { n: 1, d: 7 },
};

export function isFrequency(s: unknown): s is Frequency {
  return typeof s === 'string' && (FREQUENCIES as readonly string[]).includes(s);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function reduce(n: number, d: number): Fraction {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d <= 0 || n < 0) throw new RangeError(`not a non-negative fraction: ${n}/${d}`);
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

/** Largest denominator `fraction` looks for when it is given a decimal number. */
const MAX_DENOMINATOR = 10_000;

/**
 * The exact fraction a dose stands for. An integer or an explicit {n, d} is taken as is; a decimal is read
 * as the fraction with the smallest denominator (≤ 10,000) within 1e-9 of it, so `20 / 300` (0.0666…)
 * becomes 1/15 and 0.5 becomes 1/2. A decimal no such fraction matches is refused rather than rounded.
 */
export function fraction(x: number | Fraction): Fraction {
  if (typeof x !== 'number') return reduce(x.n, x.d);
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`not a non-negative quantity: ${x}`);
  if (Number.isInteger(x)) return { n: x, d: 1 };
  for (let d = 2; d <= MAX_DENOMINATOR; d++) {
    const n = Math.round(x * d);
    if (Math.abs(n / d - x) < 1e-9) return reduce(n, d);
  }
  throw new RangeError(`${x} is no fraction with a denominator up to ${MAX_DENOMINATOR}; give it as { n, d }`);
}

export const multiply = (a: Fraction, b: Fraction): Fraction => reduce(a.n * b.n, a.d * b.d);
/** −1, 0, 1 by cross-multiplication (exact). */
export const compareFractions = (a: Fraction, b: Fraction): number => Math.sign(a.n * b.d - b.n * a.d);
export const toNumber = (f: Fraction): number => f.n / f.d;

/** Units of the drug's `unit` taken a day: dose units per administration × administrations per day. */
export function dailyUnits(doseUnits: number | Fraction, frequency: Frequency): Fraction {
  const dose = fraction(doseUnits);
  if (dose.n === 0) throw new RangeError('a dose of zero units');
  return multiply(dose, PER_DAY[frequency]);
}

function positiveInt(x: number, what: string): void {
  if (!Number.isSafeInteger(x) || x <= 0) throw new RangeError(`${what} must be a positive whole number: ${x}`);
}

/** Packs to hand over for `days` of supply: ceil(daily units × days / pack size). */
export function packsFor(daily: Fraction, days: number, packSize: number): number {
  positiveInt(days, 'days');
  positiveInt(packSize, 'pack size');
  if (daily.n <= 0) throw new RangeError('daily units must be positive');
  // daily.n / daily.d × days / packSize, rounded up, in integers
  const num = daily.n * days;
  const den = daily.d * packSize;
  const rest = num % den;
  return (num - rest) / den + (rest > 0 ? 1 : 0);
}

/** Whole days that `packs` packs cover: floor(packs × pack size / daily units). */
export function daysCovered(packs: number, packSize: number, daily: Fraction): number {
  if (!Number.isSafeInteger(packs) || packs < 0) throw new RangeError(`packs must be a whole number ≥ 0: ${packs}`);
  positiveInt(packSize, 'pack size');
  if (daily.n <= 0) throw new RangeError('daily units must be positive');
  const num = packs * packSize * daily.d;
  return (num - (num % daily.n)) / daily.n;
}

/** One line's quantities: the packs for the days, and the whole days those packs actually cover (≥ days). */
export function lineSupply(line: { doseUnits: number | Fraction; frequency: Frequency; daysSupply: number }, packSize: number) {
  const daily = dailyUnits(line.doseUnits, line.frequency);
  const packs = packsFor(daily, line.daysSupply, packSize);
  return { dailyUnits: daily, packs, daysCovered: daysCovered(packs, packSize, daily) };
}
