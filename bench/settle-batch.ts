// End-to-end batch settlement: `npx tsx bench/settle-batch.ts [claims] [policy]`.
// Writes a deterministic claims CSV (default 1,000,000 claims, 100,000 people, one year) to a temp
// dir, then times `manbing settle-batch` as a fresh process — start-up, parsing, settling, writing.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 1_000_000);
const POLICY = process.argv[3] ?? 'jiaxing-2021';
const PEOPLE = Math.max(1, Math.floor(N / 10));
const dir = mkdtempSync(join(tmpdir(), 'manbing-bench-'));
const input = join(dir, 'claims.csv');
const output = join(dir, 'results.csv');

let seed = 20211001; // mulberry32: the same file every run
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const LEVELS = ['grassroots', 'grassroots', 'grassroots', 'secondary', 'tertiary', 'pharmacy', 'pharmacy'];
// One year from the policy's start (2021-09-01), so that limits also reset on 1 January.
const DATES = Array.from({ length: 365 }, (_, d) => new Date(Date.UTC(2021, 8, 1 + d)).toISOString().slice(0, 10));

const t0 = Date.now();
const fd = openSync(input, 'w');
writeSync(fd, 'claim_id,person_id,insurance_type,service_date,institution_level,scope,amount\n');
for (let start = 0; start < N; start += 50_000) {
  let text = '';
  for (let i = start; i < Math.min(N, start + 50_000); i++) {
    const person = Math.floor(rand() * PEOPLE);
    const type = person % 10 < 7 ? 'resident' : 'employee'; // a person keeps one insurance type
    const level = LEVELS[Math.floor(rand() * LEVELS.length)];
    const scope = rand() < 0.9 ? 'two_disease' : 'general';
    const fen = 500 + Math.floor(rand() * 40_000);
    // Dates in random order: the batch must sort each person's claims itself.
    text += `C${String(i).padStart(8, '0')},P${person},${type},${DATES[Math.floor(rand() * 365)]},${level},${scope},${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}\n`;
  }
  writeSync(fd, text);
}
closeSync(fd);
const mb = (statSync(input).size / 1e6).toFixed(1);
console.log(`generated ${N.toLocaleString('en-US')} claims of ${PEOPLE.toLocaleString('en-US')} people (${mb} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${input}`);

const cli = fileURLToPath(new URL('../bin/manbing.js', import.meta.url));
const started = process.hrtime.bigint();
const run = spawnSync(process.execPath, [cli, 'settle-batch', '--policy', POLICY, '--in', input, '--out', output], { encoding: 'utf8' });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (run.status !== 0) {
  console.error(run.stdout, run.stderr);
  process.exit(1);
}
const rows = readFileSync(output, 'utf8').split('\n').length - 2;
process.stdout.write(run.stdout);
console.log(`settle-batch end to end (new process, ${POLICY}): ${N.toLocaleString('en-US')} claims in ${seconds.toFixed(2)} s = ${Math.round(N / seconds).toLocaleString('en-US')} claims/s; ${rows.toLocaleString('en-US')} result rows`);
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
