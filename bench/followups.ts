// Latency of the team's follow-up worklists and a patient's chart (issue 6: < 100 ms with 500,000
// patients and ~3 million follow-ups) through the real HTTP stack (app.inject), on DATABASE_URL.
//   DATABASE_URL=postgres://…/manbing_bench npx manbing demo --patients 500000
//   DATABASE_URL=postgres://…/manbing_bench npx tsx bench/followups.ts [--pad-to 3000000]
// The demo's history covers about a year (≈1.85 million visits at 500,000 patients); --pad-to first
// copies visits one year further back until the table holds that many rows. Older visits change no
// follow-up state (the worklists read followup_state), but they grow the table, its indexes and the
// charts' visit lists — what the figure is about.
import { sql } from 'kysely';
import { loadConfig } from '../src/config';
import { connectPostgres } from '../src/db/connect';
import { DEMO_PASSWORD } from '../src/modules/demo/load';
import { buildApp } from '../src/server/app';
import { PolicyBook } from '../src/core/policyBook';

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('Set DATABASE_URL to a database loaded with `manbing demo --patients 500000`');
const connection = await connectPostgres(config.DATABASE_URL);
const db = connection.db;
// the demo's history runs up to the day it was built: the bench asks on that day
const asOf = (await db.selectFrom('followup_visit').select((eb) => eb.fn.max('visit_date').as('d')).executeTakeFirstOrThrow()).d as string | null;
if (!asOf) throw new Error('No follow-up visits: load the demo city with this version first');
const clock = new Date(`${asOf}T02:00:00Z`);
const padTo = process.argv.includes('--pad-to') ? Number(process.argv[process.argv.indexOf('--pad-to') + 1]) : 0;
if (padTo) {
  const columns = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_name = 'followup_visit' and column_name not in ('id', 'visit_date', 'next_visit_date') and is_generated = 'NEVER' order by ordinal_position`.execute(db);
  const list = sql.join(columns.rows.map((c) => sql.ref(c.name)));
  for (let shift = 365; ; shift += 365) {
    const missing = padTo - Number((await sql<{ n: number }>`select count(*)::int as n from followup_visit`.execute(db)).rows[0].n);
    if (missing <= 0) break;
    await sql`insert into followup_visit (visit_date, next_visit_date, ${list})
      select visit_date - ${shift}::int, next_visit_date - ${shift}::int, ${list} from followup_visit where visit_date > ${asOf}::date - 365 limit ${missing}`.execute(db);
  }
  await sql`analyze followup_visit`.execute(db);
}
const app = await buildApp({ db, config, now: () => clock, policies: PolicyBook.load() });
const login = async (username: string) => {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return `manbing_session=${res.cookies.find((c) => c.name === 'manbing_session')!.value}`;
};
const count = async (table: 'person_condition' | 'followup_visit' | 'followup_reminder') =>
  Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0].n);
const patients = Number((await sql<{ n: number }>`select count(distinct person_id)::int as n from person_condition`.execute(db)).rows[0].n);
console.log(`database: ${patients} two-disease patients, ${await count('followup_visit')} follow-up visits; as of ${asOf}`);

const doctor = await login('doctor');
const team = await app.inject({ url: '/api/teams/mine', headers: { cookie: doctor } });
console.log(`team: ${team.json().name}, ${team.json().contractedPatients} contracted patients`);
// patients for the chart: the team's patients with the most visits, and a random one
const me = team.json().id as string;
const charted = await sql<{ person_id: string; n: number }>`
  select c.person_id, (select count(*)::int from followup_visit v where v.person_id = c.person_id) as n
  from contract c where c.team_id = ${me} and c.status = 'active' order by n desc, c.person_id limit 20`.execute(db);

const cases: Array<[string, string]> = [
  ['worklist: due this week', '/api/team/worklist?list=due_this_week&limit=50'],
  ['worklist: overdue', '/api/team/worklist?list=overdue&limit=50'],
  ['worklist: not seen this quarter', '/api/team/worklist?list=not_seen_this_quarter&limit=50'],
  ['worklist: uncontrolled', '/api/team/worklist?list=uncontrolled&limit=50'],
  ['worklist: referral pending', '/api/team/worklist?list=referral_pending&limit=50'],
  ['worklist: overdue, page 3', '/api/team/worklist?list=overdue&limit=50&offset=100'],
  ['worklist.csv: overdue', '/api/team/worklist.csv?list=overdue'],
  ...charted.rows.slice(0, 1).map((r): [string, string] => [`chart: patient with ${r.n} visits`, `/api/people/${r.person_id}/chart`]),
];
const RUNS = 40;
const report = (label: string, times: number[], extra: string) => {
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`${label.padEnd(40)} p50 ${p(0.5).padStart(6)} ms  p95 ${p(0.95).padStart(6)} ms  ${extra}`);
};
for (const [label, url] of cases) {
  const times: number[] = [];
  let extra = '';
  for (let i = 0; i < RUNS + 5; i++) {
    const started = performance.now();
    const res = await app.inject({ url, headers: { cookie: doctor } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    if (i >= 5) times.push(performance.now() - started); // the first few warm the caches
    if (url.includes('.csv')) extra = `(${res.body.split('\r\n').length - 2} rows)`;
    else if (url.includes('worklist')) extra = `(${res.json().total} rows match)`;
    else extra = `(${res.json().visits.length} visits)`;
  }
  report(label, times, extra);
}
// the chart across different patients (cold-ish: each patient once per round)
{
  const times: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const r of charted.rows) {
      const started = performance.now();
      const res = await app.inject({ url: `/api/people/${r.person_id}/chart`, headers: { cookie: doctor } });
      if (res.statusCode !== 200) throw new Error(`chart: ${res.statusCode} ${res.body}`);
      times.push(performance.now() - started);
    }
  report(`chart: ${charted.rows.length} patients × 3`, times, '');
}
// the daily reminder job over the whole city (run on a copy of the day: it writes reminders)
if (process.argv.includes('--reminders')) {
  const { runReminders } = await import('../src/modules/followups/reminders');
  const started = performance.now();
  const r = await runReminders({ db, now: () => clock }, asOf);
  console.log(`reminder job: ${r.created} reminders created in ${((performance.now() - started) / 1000).toFixed(1)} s; a second run: ${(await runReminders({ db, now: () => clock }, asOf)).created}`);
}
await app.close();
await connection.close();
