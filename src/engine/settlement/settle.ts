// settle(policy, personYearState, claim) → lines with the split, totals and the new state.
// Pure and immutable-in/new-out: the caller stores `newState` (e.g. in its accumulator rows).
import type { BenefitKind, Policy } from '../policy/schema';
import { emptyState, SCOPES, yearOf, type Claim, type ClaimLine, type PersonYearState, type PoolUse, type Scope } from './claim';
import { CAUSE_NOT_ON_GENERAL_LIST, CAUSE_SPECIFIED, compilePolicy, levelIndex, routeAt, typeIndex, type CompiledPolicy, type Reason, type Route } from './compile';
import { explanationFlags, MAX_AMOUNT_FEN, OUT_WIDTH, remainingOf, splitAmount } from './kernel';

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
  /** Remaining fund limit of the line's benefit (its pool) after the claim; null when there is none or it has no limit. */
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
  scopeIndex(claim.scope);

  const pools = c.pools;
  if (accScratch.length < pools.length * 2) accScratch = new Float64Array(pools.length * 2);
  const acc = accScratch;
  if (claim.lines === undefined) return settleOne(c, state, prior, year, claim, routeAt(c, t, l, claimCause(c, t, l, claim)), acc);
  for (let k = 0; k < pools.length; k++) load(c, prior, acc, k);
  const lines = settleLines(c, t, l, claim, acc);
  const totals: SettlementTotals = { amount: 0, fundPay: 0, deductible: 0, copay: 0, overLimit: 0, criticalIllness: 0 };
  for (const x of lines) {
    totals.amount += x.amount;
    totals.fundPay += x.fundPay;
    totals.deductible += x.deductible;
    totals.copay += x.copay;
    totals.overLimit += x.overLimit;
    totals.criticalIllness += x.criticalIllness;
  }
  let moved: Record<string, PoolUse> | null = null;
  for (let k = 0; k < pools.length; k++) moved = store(c, prior, acc, k, moved);
  return { claimId: claim.claimId, year, lines, totals, newState: moved ? { year, pools: moved } : unchanged(state, year) };
}

/** The common case (one amount, one route): only the route's accumulators are read and written — the batch-size hot path. */
function settleOne(c: CompiledPolicy, state: PersonYearState | null | undefined, prior: Readonly<Record<string, PoolUse>>, year: number, claim: Claim, route: Route, acc: Float64Array): Settlement {
  const amount = claim.amountFen!;
  checkFen(amount, claim.claimId);
  const main = route.pool >= 0 ? route.pool : route.shownPool;
  load(c, prior, acc, main);
  load(c, prior, acc, route.capPool);
  load(c, prior, acc, route.ciPool);
  const out = outScratch;
  splitAmount(route, acc, 0, amount, out, 0);
  const x = line(route, 0, undefined, amount, out[0], out[1], out[2], out[3], out[4], out[5], explanationFlags(out, 0));
  const totals: SettlementTotals = { amount, fundPay: x.fundPay, deductible: x.deductible, copay: x.copay, overLimit: x.overLimit, criticalIllness: x.criticalIllness };
  // a refused route moves no accumulator (its pool, cap and critical-illness pool are all -1)
  let moved = store(c, prior, acc, route.pool, null);
  moved = store(c, prior, acc, route.capPool, moved);
  moved = store(c, prior, acc, route.ciPool, moved);
  const newState = moved ? { year, pools: moved } : unchanged(state, year);
  return { claimId: claim.claimId, year, lines: [x], totals, newState };
}

function load(c: CompiledPolicy, prior: Readonly<Record<string, PoolUse>>, acc: Float64Array, k: number): void {
  if (k < 0) return;
  const use = prior[c.pools[k].key];
  acc[2 * k] = use ? use.fundPaid : 0;
  acc[2 * k + 1] = use ? use.deductibleMet : 0;
}

/** Writes accumulator k into a copy of the prior pools when it moved; the copy is made on the first move. */
function store(c: CompiledPolicy, prior: Readonly<Record<string, PoolUse>>, acc: Float64Array, k: number, pools: Record<string, PoolUse> | null): Record<string, PoolUse> | null {
  if (k < 0) return pools;
  const key = c.pools[k].key;
  const use = prior[key];
  if (use ? use.fundPaid === acc[2 * k] && use.deductibleMet === acc[2 * k + 1] : acc[2 * k] === 0 && acc[2 * k + 1] === 0) return pools;
  pools ??= { ...prior };
  pools[key] = { fundPaid: acc[2 * k], deductibleMet: acc[2 * k + 1] };
  return pools;
}

/** The state when the claim moved no pool: the one given, or an empty one for a new year. */
function unchanged(state: PersonYearState | null | undefined, year: number): PersonYearState {
  return state && state.year === year ? state : emptyState(year);
}

function scopeIndex(scope: string): number {
  const i = SCOPES.indexOf(scope as Scope);
  if (i < 0) throw new RangeError(`unknown scope "${scope}"`);
  return i;
}

function checkFen(amount: number, claimId: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_AMOUNT_FEN) throw new RangeError(`claim ${claimId}: amount must be an integer number of fen from 0 to ${MAX_AMOUNT_FEN}, got ${amount}`);
}

function line(route: Route, index: number, lineId: string | undefined, amount: number, deductible: number, copay: number, overLimit: number, fundPay: number, remaining: number, criticalIllness: number, flags: number): SettledLine {
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
    fundRemaining: remaining < 0 || !Number.isFinite(remaining) ? null : remaining,
    criticalIllness,
    explanation: route.explanations[flags],
  };
}

const NO_LINE: ClaimLine = { amountFen: 0 };
/** A single-amount claim's cause: its scope alone, as a line with nothing else to say. */
function claimCause(c: CompiledPolicy, t: number, l: number, claim: Claim): number {
  if (claim.scope === 'general') return 1;
  if (claim.scope === 'two_disease' && claim.atChosenInstitution !== false) return 0;
  return lineCause(c, t, l, claim, NO_LINE);
}

/**
 * Which cause sends a line where (CAUSES in compile.ts): 0 keeps it in the two-disease benefit, a
 * specified-disease benefit is CAUSE_SPECIFIED + its index, the others go to general outpatient —
 * unless the drug is not on the general benefit's list either, and the patient pays it all.
 */
export function lineCause(c: CompiledPolicy, t: number, l: number, claim: Claim, x: ClaimLine): number {
  const scheme = c.schemes[t];
  if (!scheme) return 0; // refused anyway, for want of a scheme
  const lists = x.lists;
  const general = (cause: number) => (lists !== undefined && scheme.generalDrugList !== null && !lists.includes(scheme.generalDrugList) ? CAUSE_NOT_ON_GENERAL_LIST : cause);
  const atChosen = claim.atChosenInstitution !== false;
  const scope = x.scope ?? claim.scope;
  if (scope === 'general') return general(1);
  if (scope === 'specified_disease') {
    const k = scheme.specified.findIndex((b) => x.disease === undefined || b.diseases.has(x.disease));
    if (k < 0) return general(2);
    const b = scheme.specified[k];
    if (x.daysSupply !== undefined && x.daysSupply > b.maxDaysSupply) return general(3);
    if (lists !== undefined && !lists.includes(b.drugList)) return general(4);
    if (b.chosenOnly && !atChosen) return general(6);
    return CAUSE_SPECIFIED + k;
  }
  if (x.disease !== undefined && !scheme.diseases.has(x.disease)) return general(2);
  if (x.daysSupply !== undefined && x.daysSupply > scheme.maxDaysSupply) return general(3);
  if (lists !== undefined && !lists.includes(scheme.drugList)) {
    const ext = scheme.extended;
    if (!(x.extended && ext && ext.levels.has(l) && lists.includes(ext.drugList))) return general(4);
  }
  if (x.disease !== undefined) {
    const levels = scheme.gradeLevels.get(x.disease);
    if (levels && !levels.has(l)) return general(5);
  }
  if (scheme.chosenOnly && !atChosen) return general(6);
  return 0;
}

/**
 * Several lines: lines that take the same route are settled together as one amount (the formula is
 * per claim, so rounding happens once per benefit), then each figure is shared out over the lines.
 * Routes are settled in a fixed order (the policy's route order: the two-disease benefit first) and
 * lines within a route by amount, so the order the lines were entered in changes nothing.
 */
function settleLines(c: CompiledPolicy, t: number, l: number, claim: Claim, acc: Float64Array): SettledLine[] {
  const src = claim.lines!;
  const routes = src.map((x) => {
    checkFen(x.amountFen, claim.claimId);
    return routeAt(c, t, l, lineCause(c, t, l, claim, x));
  });
  const result: SettledLine[] = new Array(src.length);
  const out = new Float64Array(OUT_WIDTH);
  const ordered = [...new Set(routes)].sort((a, b) => a.index - b.index);
  for (const route of ordered) {
    const idx = routes.flatMap((r, i) => (r === route ? [i] : []));
    idx.sort((a, b) => src[b].amountFen - src[a].amountFen || compareIds(src[a].lineId, src[b].lineId) || a - b);
    const amounts = idx.map((i) => src[i].amountFen);
    const total = amounts.reduce((a, b) => a + b, 0);
    checkFen(total, claim.claimId);
    splitAmount(route, acc, 0, total, out, 0);
    const flags = explanationFlags(out, 0);
    // The deductible is met by the largest lines first; cost covered and the fund's part go pro rata.
    let open = out[0];
    const deductibles = amounts.map((a) => {
      const d = Math.min(a, open);
      open -= d;
      return d;
    });
    const eligible = amounts.map((a, k) => a - deductibles[k]);
    const covered = shareOut(out[1] + out[3], eligible);
    const funds = shareOut(out[3], covered);
    idx.forEach((i, k) => {
      const copay = covered[k] - funds[k];
      const overLimit = eligible[k] - covered[k];
      const ci = route.ciPool >= 0 ? deductibles[k] + copay + overLimit : 0;
      result[i] = line(route, i, src[i].lineId, amounts[k], deductibles[k], copay, overLimit, funds[k], -1, ci, flags);
    });
  }
  // Remaining limits are reported as they stand after the whole claim.
  for (const x of result) {
    const r = remainingOf(routes[x.index], acc, 0);
    x.fundRemaining = r < 0 || !Number.isFinite(r) ? null : r;
  }
  return result;
}

const compareIds = (a: string | undefined, b: string | undefined) => (a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : 1);

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
