// The one place where an amount is split. Both the counter (settle) and the batch (settleColumns)
// call it, so they cannot disagree. It writes numbers into a caller-owned Float64Array instead of
// returning an object: the batch settles a million claims without allocating per claim.
import { applyRatio } from '../money';
import type { Route } from './compile';

export const OUT_DEDUCTIBLE = 0;
export const OUT_COPAY = 1;
export const OUT_OVER_LIMIT = 2;
export const OUT_FUND = 3;
/** Remaining fund limit of the route's shown pool after the claim; -1 when there is none, Infinity when it has no limit. */
export const OUT_REMAINING = 4;
/** Cost passed on to critical-illness insurance (大病保险). */
export const OUT_CRITICAL_ILLNESS = 5;
export const OUT_WIDTH = 6;

/**
 * Largest amount one claim may carry: 100 million yuan. Far above any outpatient claim, and low enough
 * that amount × basis points stays an exact integer in a double (1e10 × 1e4 < 2^53).
 */
export const MAX_AMOUNT_FEN = 10_000_000_000;

/** What the fund may still pay on `route` this year: its pool's limit and, within a shared pool, its own cap. */
export function remainingOf(route: Route, acc: Float64Array, base: number): number {
  const pool = route.pool >= 0 ? route.pool : route.shownPool;
  if (pool < 0) return -1;
  let remaining = route.limitFen - acc[base + 2 * pool];
  if (route.capPool >= 0) {
    const cap = route.capLimitFen - acc[base + 2 * route.capPool];
    if (cap < remaining) remaining = cap;
  }
  return remaining < 0 ? 0 : remaining; // a state carried over from a policy with a higher limit
}

/**
 * Splits `amount` (fen) under `route` against a person's accumulators: `acc[base + 2·pool]` is the
 * fund already paid from the pool this year, `acc[base + 2·pool + 1]` the deductible already met.
 * Updates the accumulators and writes deductible, copay, over-limit, fund, remaining and the
 * critical-illness part at `out[o..o+5]`.
 *
 * Seed 002 item 11: "最高支限额以下的医疗费用…报销比例为60%…，最高支限额以上的医疗费用个人自付" — the
 * limit splits the cost. With E the amount after the open deductible, r the ratio and R the fund's
 * remaining limit: raw = halfUp(E·r); if raw ≤ R the fund pays raw and the patient E − raw. Otherwise
 * the fund pays R, the cost that share covers is covered = min(E, halfUp(R / r)), of which the patient
 * pays covered − R, and the cost beyond it, E − covered, is over the limit and wholly self-paid.
 */
export function splitAmount(route: Route, acc: Float64Array, base: number, amount: number, out: Float64Array, o: number): void {
  if (route.pool < 0) {
    // Refused: the whole amount is the patient's; nothing accumulates.
    out[o] = 0;
    out[o + 1] = amount;
    out[o + 2] = 0;
    out[o + 3] = 0;
    out[o + 4] = remainingOf(route, acc, base);
    out[o + 5] = 0;
    return;
  }
  const at = base + 2 * route.pool;
  let deductible = route.deductibleFen - acc[at + 1];
  if (deductible > amount) deductible = amount;
  else if (deductible < 0) deductible = 0;
  const eligible = amount - deductible;
  const raw = applyRatio(eligible, route.ratioBp);
  const remaining = remainingOf(route, acc, base);
  let fund = raw;
  let copay = eligible - raw;
  let over = 0;
  if (raw > remaining) {
    // raw > remaining ≥ 0 implies a ratio above 0
    const r = route.ratioBp;
    let covered = Math.floor((remaining * 20000 + r) / (2 * r));
    if (covered > eligible) covered = eligible;
    fund = remaining;
    copay = covered - remaining;
    over = eligible - covered;
  }
  acc[at] += fund;
  acc[at + 1] += deductible;
  if (route.capPool >= 0) acc[base + 2 * route.capPool] += fund;
  const ci = route.ciPool >= 0 ? deductible + copay + over : 0;
  if (ci > 0) acc[base + 2 * route.ciPool] += ci;
  out[o] = deductible;
  out[o + 1] = copay;
  out[o + 2] = over;
  out[o + 3] = fund;
  out[o + 4] = remaining - fund;
  out[o + 5] = ci;
}

/** Which pre-written explanation fits: 1 = some deductible paid, 2 = the limit cut the fund's share. */
export function explanationFlags(out: Float64Array, o: number): number {
  return (out[o] > 0 ? 1 : 0) | (out[o + 2] > 0 ? 2 : 0);
}
