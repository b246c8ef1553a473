// The one place where an amount is split. Both the counter (settle) and the batch (settleColumns)
// call it, so they cannot disagree. It writes numbers into a caller-owned Float64Array instead of
// returning an object: the batch settles a million claims without allocating per claim.
import { applyRatio } from '../money';
import type { Route } from './compile';

export const OUT_DEDUCTIBLE = 0;
export const OUT_COPAY = 1;
export const OUT_OVER_LIMIT = 2;
export const OUT_FUND = 3;
/** Remaining fund limit of the route's shown pool after the claim; -1 when there is none. */
export const OUT_REMAINING = 4;
export const OUT_WIDTH = 5;

/**
 * Largest amount one claim may carry: 100 million yuan. Far above any outpatient claim, and low enough
 * that amount × basis points stays an exact integer in a double (1e10 × 1e4 < 2^53).
 */
export const MAX_AMOUNT_FEN = 10_000_000_000;

/**
 * Splits `amount` (fen) under `route` against a person's accumulators: `acc[base + 2·pool]` is the
 * fund already paid from the pool this year, `acc[base + 2·pool + 1]` the deductible already met.
 * Updates the accumulators and writes deductible, copay, over-limit, fund and remaining at `out[o..o+4]`.
 *
 * fund = min(roundHalfUp(eligible × ratio), remaining limit), eligible = amount − deductible still open;
 * copay = eligible − its ratio share; over-limit = the ratio share the limit cut off. They add up to amount.
 */
export function splitAmount(route: Route, acc: Float64Array, base: number, amount: number, out: Float64Array, o: number): void {
  if (route.pool < 0) {
    // Refused: the whole amount is the patient's; nothing accumulates.
    out[o] = 0;
    out[o + 1] = amount;
    out[o + 2] = 0;
    out[o + 3] = 0;
    out[o + 4] = route.shownPool < 0 ? -1 : Math.max(0, route.limitFen - acc[base + 2 * route.shownPool]);
    return;
  }
  const at = base + 2 * route.pool;
  let deductible = route.deductibleFen - acc[at + 1];
  if (deductible > amount) deductible = amount;
  else if (deductible < 0) deductible = 0;
  const eligible = amount - deductible;
  const share = applyRatio(eligible, route.ratioBp);
  let remaining = route.limitFen - acc[at];
  if (remaining < 0) remaining = 0; // a state carried over from a policy with a higher limit
  const fund = share < remaining ? share : remaining;
  acc[at] += fund;
  acc[at + 1] += deductible;
  out[o] = deductible;
  out[o + 1] = eligible - share;
  out[o + 2] = share - fund;
  out[o + 3] = fund;
  out[o + 4] = remaining - fund;
}

/** Which pre-written explanation fits: 1 = some deductible paid, 2 = the limit cut the fund's share. */
export function explanationFlags(out: Float64Array, o: number): number {
  return (out[o] > 0 ? 1 : 0) | (out[o + 2] > 0 ? 2 : 0);
}
