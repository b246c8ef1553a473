// Latency of the doctor's team list and the reviewer's queue (issue 4: < 100 ms at 500,000 patients)
// through the real HTTP stack (app.inject), on the database DATABASE_URL names.
//   DATABASE_URL=postgres://…/manbing_bench npx manbing demo --patients 500000
//   DATABASE_URL=postgres://…/manbing_bench npx tsx bench/lists.ts
import { loadConfig } from '../src/config';
import { connectPostgres } from '../src/db/connect';
import { DEMO_PASSWORD } from '../src/modules/demo/load';
import { buildApp } from '../src/server/app';
import { PolicyBook } from '../src/core/policyBook';

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('Set DATABASE_URL to a database loaded with `manbing demo --patients 500000`');
const connection = await connectPostgres(config.DATABASE_URL);
const app = await buildApp({ db: connection.db, config, now: () => new Date(), policies: PolicyBook.load() });
const login = async (username: string) => {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  return `manbing_session=${res.cookies.find((c) => c.name === 'manbing_session')!.value}`;
};
const persons = await connection.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
const patients = await connection.db.selectFrom('person_condition').select((eb) => eb.fn.count<number>('person_id').distinct().as('n')).executeTakeFirstOrThrow();
console.log(`database: ${patients.n} two-disease patients, ${persons.n} residents`);

const doctor = await login('doctor');
const reviewer = await login('reviewer');
const cases: Array<[string, string, string]> = [
  ['team list: contracted', doctor, '/api/team/patients?list=contracted&limit=50'],
  ['team list: contracted, hypertension, confirmed', doctor, '/api/team/patients?list=contracted&disease=hypertension&registration=confirmed&limit=50'],
  ['team list: unsigned', doctor, '/api/team/patients?list=unsigned&limit=50'],
  ['team list: expiring', doctor, '/api/team/patients?list=expiring&limit=50'],
  ['team list: page 10', doctor, '/api/team/patients?list=contracted&limit=50&offset=450'],
  ['review queue: submitted', reviewer, '/api/filings?limit=50'],
  ['review queue: older than 7 days, diabetes', reviewer, '/api/filings?minAgeDays=7&disease=diabetes&limit=50'],
  ['review queue: returned', reviewer, '/api/filings?status=returned&limit=50'],
];
const RUNS = 40;
for (const [label, cookie, url] of cases) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS + 5; i++) {
    const started = performance.now();
    const res = await app.inject({ url, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    if (i >= 5) times.push(performance.now() - started); // the first few warm the caches
    total = res.json().total;
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`${label.padEnd(48)} p50 ${p(0.5).padStart(6)} ms  p95 ${p(0.95).padStart(6)} ms  (${total} rows match)`);
}
await app.close();
await connection.close();
