// Engine throughput on one core: `npx tsx bench/engine.ts [claims]`.
// Prints claims settled per second for the counter API (settle: objects in, new state out) and for
// the column kernel the batch uses (settleColumns: typed arrays, no object per claim).
import { INSTITUTION_LEVELS, INSURANCE_TYPES } from '../src/engine/policy/schema';
import { compilePolicy, OUT_FUND, OUT_WIDTH, settle, settleColumns, type Claim, type ClaimColumns, type PersonYearState } from '../src/engine/settlement/index';
import { readPolicy } from '../src/core/policyFiles';

const N = Number(process.argv[2] ?? 1_000_000);
const PEOPLE = Math.max(1, Math.floor(N / 10));
const policy = compilePolicy(readPolicy('jiaxing-2021'));

// Deterministic data (mulberry32), dates ascending so that each person's state moves forward.
let seed = 20211001;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const cols: ClaimColumns = { count: N, persons: PEOPLE, person: new Int32Array(N), date: new Int32Array(N), type: new Uint8Array(N), level: new Uint8Array(N), scope: new Uint8Array(N), amount: new Float64Array(N) };
const claims: Claim[] = new Array(N);
const personOf = new Int32Array(N);
for (let i = 0; i < N; i++) {
  const date = new Date(Date.UTC(2021, 0, 1 + Math.floor((i / N) * 365))).toISOString().slice(0, 10);
  const p = Math.floor(rand() * PEOPLE);
  const t = rand() < 0.7 ? 0 : 1;
  const l = Math.floor(rand() * 4);
  const s = rand() < 0.9 ? 0 : 1;
  const amount = Math.floor(rand() * 40_000) + 500;
  personOf[i] = p;
  claims[i] = { claimId: `c${i}`, serviceDate: date, insuranceType: INSURANCE_TYPES[t], institutionLevel: INSTITUTION_LEVELS[l], scope: s ? 'general' : 'two_disease', amountFen: amount };
  cols.person[i] = p;
  cols.date[i] = Number(date.replaceAll('-', ''));
  cols.type[i] = t;
  cols.level[i] = l;
  cols.scope[i] = s;
  cols.amount[i] = amount;
}

function runSettle(): number {
  const states: Array<PersonYearState | undefined> = new Array(PEOPLE);
  let fund = 0;
  for (let i = 0; i < N; i++) {
    const r = settle(policy, states[personOf[i]], claims[i]);
    states[personOf[i]] = r.newState;
    fund += r.totals.fundPay;
  }
  return fund;
}
function runColumns(): number {
  const r = settleColumns(policy, cols);
  let fund = 0;
  for (let i = 0; i < N; i++) fund += r.out[i * OUT_WIDTH + OUT_FUND];
  return fund;
}

// Best of 3 after a warm-up. CPU time (user + system) is printed beside wall time: on a shared machine
// the wall clock also counts other processes' turns on the core.
function time(name: string, fn: () => number): void {
  fn(); // warm up: let the JIT see the hot path
  let wall = Infinity;
  let cpu = Infinity;
  let check = 0;
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    check = fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  const rate = (s: number) => Math.round(N / s).toLocaleString('en-US').padStart(10);
  console.log(`${name.padEnd(34)} ${rate(wall)} claims/s wall (${wall.toFixed(3)} s), ${rate(cpu)} claims/s CPU (${cpu.toFixed(3)} s); fund ${check / 100} yuan`);
}

console.log(`policy jiaxing-2021, ${N.toLocaleString('en-US')} claims, ${PEOPLE.toLocaleString('en-US')} people, node ${process.version}, one core`);
time('settle() — counter API, new state', runSettle);
time('settleColumns() — batch kernel', runColumns);
