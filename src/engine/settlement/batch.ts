// Settles many people's claims at once, column-wise: typed arrays in, typed arrays out, no object per
// claim. Each person's claims are taken in order of service date, input order breaking ties; people
// start with nothing used and their pools reset when a claim falls in a later calendar year.
import { INSTITUTION_LEVELS, type Policy } from '../policy/schema';
import { SCOPES, type Claim } from './claim';
import { CAUSE_SPECIFIED, compilePolicy, levelIndex, typeIndex, type CompiledPolicy, type Route } from './compile';
import { MAX_AMOUNT_FEN, splitAmount, OUT_WIDTH } from './kernel';

export interface ClaimColumns {
  count: number;
  /** Number of distinct people; `person` holds indexes 0..persons-1. */
  persons: number;
  person: Int32Array;
  /** Service date as the integer YYYYMMDD. */
  date: Int32Array;
  /** Index into INSURANCE_TYPES, INSTITUTION_LEVELS and SCOPES. */
  type: Uint8Array;
  level: Uint8Array;
  scope: Uint8Array;
  /** Fen. */
  amount: Float64Array;
}

export interface ColumnResults {
  /** Route taken by each claim: `routes[route[i]]` says benefit, reason and explanation. */
  route: Uint8Array;
  routes: Route[];
  /** OUT_WIDTH numbers per claim, in input order: deductible, copay, over-limit, fund, remaining, critical illness (see kernel.ts). */
  out: Float64Array;
}

export function settleColumns(policy: Policy | CompiledPolicy, cols: ClaimColumns): ColumnResults {
  const c = 'table' in policy ? policy : compilePolicy(policy);
  const n = cols.count;
  const stride = c.pools.length * 2;
  const acc = new Float64Array(cols.persons * stride);
  const yearOfPerson = new Int32Array(cols.persons);
  const route = new Uint8Array(n);
  const out = new Float64Array(n * OUT_WIDTH);
  const order = orderByDate(cols.date, n);
  const { person, date, type, level, scope, amount } = cols;
  const table = c.table;
  // scope → cause: two-disease, general, and a specified-disease claim to the scheme's first such benefit
  const causeOf = [0, 1, CAUSE_SPECIFIED];
  const levels = INSTITUTION_LEVELS.length;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const p = person[i];
    if (!(amount[i] >= 0 && amount[i] <= MAX_AMOUNT_FEN && Number.isInteger(amount[i]))) throw new RangeError(`claim ${i}: amount must be an integer number of fen from 0 to ${MAX_AMOUNT_FEN}`);
    const year = (date[i] / 10000) | 0;
    const base = p * stride;
    // Claims come in date order, so a person's year only moves forward: a new year starts empty.
    if (yearOfPerson[p] !== year) {
      acc.fill(0, base, base + stride);
      yearOfPerson[p] = year;
    }
    const r = table[(type[i] * levels + level[i]) * c.causeCount + causeOf[scope[i]]];
    route[i] = r.index;
    splitAmount(r, acc, base, amount[i], out, i * OUT_WIDTH);
  }
  return { route, routes: c.routes, out };
}

/** Indexes 0..n-1 ordered by date, stable. Dates span few distinct values, so a counting sort does it in O(n). */
export function orderByDate(date: Int32Array, n: number): Int32Array {
  const order = new Int32Array(n);
  if (n === 0) return order;
  let min = date[0];
  let max = date[0];
  for (let i = 1; i < n; i++) {
    const d = date[i];
    if (d < min) min = d;
    else if (d > max) max = d;
  }
  const span = max - min + 1;
  if (span > 1 << 24) {
    // Dates centuries apart: fall back to a comparison sort (stable in modern engines).
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => date[a] - date[b]);
    order.set(idx);
    return order;
  }
  const start = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) start[date[i] - min + 1]++;
  for (let d = 1; d <= span; d++) start[d] += start[d - 1];
  for (let i = 0; i < n; i++) order[start[date[i] - min]++] = i;
  return order;
}

export interface PersonClaim extends Claim {
  personId: string;
}

/** Convenience for tests and small callers: single-amount claims of many people → per-claim results in input order. */
export function settleClaims(policy: Policy | CompiledPolicy, claims: PersonClaim[]) {
  const c = 'table' in policy ? policy : compilePolicy(policy);
  const n = claims.length;
  const people = new Map<string, number>();
  const cols: ClaimColumns = { count: n, persons: 0, person: new Int32Array(n), date: new Int32Array(n), type: new Uint8Array(n), level: new Uint8Array(n), scope: new Uint8Array(n), amount: new Float64Array(n) };
  claims.forEach((x, i) => {
    if (x.amountFen === undefined) throw new RangeError(`claim ${x.claimId}: settleClaims takes single-amount claims`);
    let p = people.get(x.personId);
    if (p === undefined) people.set(x.personId, (p = people.size));
    cols.person[i] = p;
    cols.date[i] = Number(x.serviceDate.replaceAll('-', ''));
    const t = typeIndex(x.insuranceType);
    const l = levelIndex(x.institutionLevel);
    const s = SCOPES.indexOf(x.scope);
    if (t < 0 || l < 0 || s < 0) throw new RangeError(`claim ${x.claimId}: unknown insurance type, level or scope`);
    cols.type[i] = t;
    cols.level[i] = l;
    cols.scope[i] = s;
    cols.amount[i] = x.amountFen;
  });
  cols.persons = people.size;
  const res = settleColumns(c, cols);
  return claims.map((x, i) => {
    const o = i * OUT_WIDTH;
    const r = res.routes[res.route[i]];
    return {
      claimId: x.claimId,
      benefit: r.benefit,
      reason: r.reason,
      deductible: res.out[o],
      copay: res.out[o + 1],
      overLimit: res.out[o + 2],
      fundPay: res.out[o + 3],
      fundRemaining: res.out[o + 4] < 0 || !Number.isFinite(res.out[o + 4]) ? null : res.out[o + 4],
      criticalIllness: res.out[o + 5],
    };
  });
}
