// settle(policy, personYearState, claim) → lines with the split, totals and the new state.
// Pure and immutable-in/new-out: the caller stores `newState` (e.g. in its accumulator rows).
import type { BenefitKind, Policy } from '../policy/schema';
import { emptyState, yearOf, type Claim, type ClaimLine, type PersonYearState, type PoolUse } from './claim';
import { compilePolicy, levelIndex, routeIndex, typeIndex, type CompiledPolicy, type Reason, type Route } from './compile';
import { explanationFlags, MAX_AMOUNT_FEN, splitAmount, OUT_WIDTH } from './kernel';

export interface SettledLine {
  index: number;
  lineId?: string;
  amount: number;
  benefit: BenefitKind | 'none';
  reason: Reason;
  /** Key of the pool drawn on (as in PersonYearState.pools); null when refused. */
  pool: string | null;
  ratioBp: number;
  fundPay: number;
  deductible: number;
  copay: number;
  overLimit: number;
  /** Remaining fund limit of the line's benefit (its pool) after the claim; null when there is none. */
  fundRemaining: number | null;
  /** Part of the self-paid cost that goes on to critical-illness insurance (大病保险). */
  criticalIllness: number;
  explanation: string;
}

export interface SettlementTotals {
  amount: number;
  fundPay: number;
  deductible: number;
  copay: number;
  overLimit: number;
  criticalIllness: number;
}

export interface Settlement {
  claimId: string;
  year: number;
  lines: SettledLine[];
  totals: SettlementTotals;
  newState: PersonYearState;
}

const EMPTY_POOLS: Readonly<Record<string, PoolUse>> = Object.freeze({});

// Scratch buffers, reused: settle is synchronous, so one call never sees another's numbers.
let accScratch = new Float64Array(16);
const outScratch = new Float64Array(OUT_WIDTH);

export function settle(policy: Policy | CompiledPolicy, state: PersonYearState | null | undefined, claim: Claim): Settlement {
  const c = 'table' in policy ? policy : compilePolicy(policy);
  const year = yearOf(claim.serviceDate);
  if (state && state.year > year) throw new RangeError(`claim ${claim.claimId} is dated ${year} but the state given is for ${state.year}; pass that year's state`);
  const prior = state && state.year === year ? state.pools : EMPTY_POOLS;
  const t = typeIndex(claim.insuranceType);
  const l = levelIndex(claim.institutionLevel);
  if (t < 0) throw new RangeError(`unknown insurance type "${claim.insuranceType}"`);
  if (l < 0) throw new RangeError(`unknown institution level "${claim.institutionLevel}"`);
  const scope = scopeCause(claim.scope);

  const pools = c.pools;
  if (accScratch.length < pools.length * 2) accScratch = new Float64Array(pools.length * 2);
  const acc = accScratch;
  if (claim.lines === undefined) return settleOne(c, state, prior, year, claim, c.table[routeIndex(t, l, scope)], acc);
  for (let k = 0; k < pools.length; k++) {
    const use = prior[pools[k].key];
    acc[2 * k] = use ? use.fundPaid : 0;
    acc[2 * k + 1] = use ? use.deductibleMet : 0;
  }
  const lines = settleLines(c, t, l, scope, claim, acc);

  const totals: SettlementTotals = { amount: 0, fundPay: 0, deductible: 0, copay: 0, overLimit: 0, criticalIllness: 0 };
  let touched = false;
  for (const x of lines) {
    totals.amount += x.amount;
    totals.fundPay += x.fundPay;
    totals.deductible += x.deductible;
    totals.copay += x.copay;
    totals.overLimit += x.overLimit;
    totals.criticalIllness += x.criticalIllness;
    if (x.fundPay > 0 || x.deductible > 0) touched = true;
  }
  let nextPools = prior;
  if (touched) {
    const copy: Record<string, PoolUse> = { ...prior };
    for (let k = 0; k < pools.length; k++) {
      const use = prior[pools[k].key];
      if (use ? use.fundPaid !== acc[2 * k] || use.deductibleMet !== acc[2 * k + 1] : acc[2 * k] !== 0 || acc[2 * k + 1] !== 0)
        copy[pools[k].key] = { fundPaid: acc[2 * k], deductibleMet: acc[2 * k + 1] };
    }
    nextPools = copy;
  }
  const newState = nextPools === prior && state && state.year === year ? state : nextPools === EMPTY_POOLS ? emptyState(year) : { year, pools: nextPools };
  return { claimId: claim.claimId, year, lines, totals, newState };
}

/** The common case (one amount, one route, one pool) without loops or intermediate arrays: the counter's hot path. */
function settleOne(c: CompiledPolicy, state: PersonYearState | null | undefined, prior: Readonly<Record<string, PoolUse>>, year: number, claim: Claim, route: Route, acc: Float64Array): Settlement {
  const amount = claim.amountFen!;
  checkFen(amount, claim.claimId);
  const k = route.pool >= 0 ? route.pool : route.shownPool;
  const key = k < 0 ? '' : c.pools[k].key;
  const use = k < 0 ? undefined : prior[key];
  if (k >= 0) {
    acc[2 * k] = use ? use.fundPaid : 0;
    acc[2 * k + 1] = use ? use.deductibleMet : 0;
  }
  const out = outScratch;
  splitAmount(route, acc, 0, amount, out, 0);
  const x = line(route, 0, undefined, amount, out[0], out[1], out[2], out[3], out[4], explanationFlags(out, 0));
  const totals: SettlementTotals = { amount, fundPay: x.fundPay, deductible: x.deductible, copay: x.copay, overLimit: x.overLimit, criticalIllness: x.criticalIllness };
  let newState: PersonYearState;
  if (x.fundPay > 0 || x.deductible > 0) {
    const pools: Record<string, PoolUse> = {};
    for (const other in prior) pools[other] = prior[other];
    pools[key] = { fundPaid: acc[2 * k], deductibleMet: acc[2 * k + 1] };
    newState = { year, pools };
  } else newState = state && state.year === year ? state : emptyState(year);
  return { claimId: claim.claimId, year, lines: [x], totals, newState };
}

function scopeCause(scope: string): number {
  if (scope === 'two_disease') return 0;
  if (scope === 'general') return 1;
  throw new RangeError(`unknown scope "${scope}"`);
}

function checkFen(amount: number, claimId: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_AMOUNT_FEN) throw new RangeError(`claim ${claimId}: amount must be an integer number of fen from 0 to ${MAX_AMOUNT_FEN}, got ${amount}`);
}

function line(route: Route, index: number, lineId: string | undefined, amount: number, deductible: number, copay: number, overLimit: number, fundPay: number, remaining: number, flags: number): SettledLine {
  return {
    index,
    lineId,
    amount,
    benefit: route.benefit,
    reason: route.reason,
    pool: route.poolKey,
    ratioBp: route.ratioBp,
    fundPay,
    deductible,
    copay,
    overLimit,
    fundRemaining: remaining < 0 ? null : remaining,
    criticalIllness: route.criticalIllness ? deductible + copay + overLimit : 0,
    explanation: route.explanations[flags],
  };
}

/** Which cause sends a counter line away from the two-disease benefit (0 = none). */
function lineCause(c: CompiledPolicy, t: number, claimScope: number, x: ClaimLine): number {
  const scope = x.scope === undefined ? claimScope : scopeCause(x.scope);
  if (scope !== 0) return scope;
  const scheme = c.schemes[t];
  if (!scheme) return 0; // refused anyway, for want of a scheme
  if (x.disease !== undefined && !scheme.diseases.has(x.disease)) return 2;
  if (x.daysSupply !== undefined && x.daysSupply > scheme.maxDaysSupply) return 3;
  return 0;
}

/**
 * Several lines: lines that take the same route are settled together as one amount (the formula is
 * per claim, so rounding happens once per benefit), then each figure is shared out over the lines.
 */
function settleLines(c: CompiledPolicy, t: number, l: number, scope: number, claim: Claim, acc: Float64Array): SettledLine[] {
  const src = claim.lines!;
  const routes = src.map((x) => {
    checkFen(x.amountFen, claim.claimId);
    return c.table[routeIndex(t, l, lineCause(c, t, scope, x))];
  });
  const result: SettledLine[] = new Array(src.length);
  const out = new Float64Array(OUT_WIDTH);
  for (const route of new Set(routes)) {
    const idx = routes.flatMap((r, i) => (r === route ? [i] : []));
    const amounts = idx.map((i) => src[i].amountFen);
    const total = amounts.reduce((a, b) => a + b, 0);
    checkFen(total, claim.claimId);
    splitAmount(route, acc, 0, total, out, 0);
    const flags = explanationFlags(out, 0);
    // The deductible is met by the first lines, in order; the ratio share and the fund go pro rata.
    let open = out[0];
    const deductibles = amounts.map((a) => {
      const d = Math.min(a, open);
      open -= d;
      return d;
    });
    const eligible = amounts.map((a, k) => a - deductibles[k]);
    const shares = shareOut(out[2] + out[3], eligible);
    const funds = shareOut(out[3], shares);
    idx.forEach((i, k) => {
      result[i] = line(route, i, src[i].lineId, amounts[k], deductibles[k], eligible[k] - shares[k], shares[k] - funds[k], funds[k], -1, flags);
    });
  }
  // Remaining limits are reported as they stand after the whole claim.
  for (const x of result) {
    const route = routes[x.index];
    const pool = route.pool >= 0 ? route.pool : route.shownPool;
    x.fundRemaining = pool < 0 ? null : Math.max(0, route.limitFen - acc[2 * pool]);
  }
  return result;
}

/** Shares `total` over `weights` in proportion (largest remainder, ties to the earlier line); never more than a weight when total ≤ Σweights. */
export function shareOut(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const T = BigInt(total);
  const S = BigInt(sum);
  const parts = weights.map((w) => Number((T * BigInt(w)) / S));
  const rest = weights.map((w, i) => ({ i, r: (T * BigInt(w)) % S }));
  let left = total - parts.reduce((a, b) => a + b, 0);
  rest.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; left > 0; k++, left--) parts[rest[k].i] += 1;
  return parts;
}
