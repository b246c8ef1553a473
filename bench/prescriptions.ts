// Issue 14's speed, on PostgreSQL, at the demo size loaded:
// (1) the pharmacist's review queue (GET /api/prescriptions/review-queue) and a patient's prescription
//     history (GET /api/people/:id/prescriptions) through the real HTTP stack (app.inject), p50 / p95 over
//     many calls, each beside the bare SQL of the same query and the limit (< 100 ms);
// (2) dispense-and-settle (POST /api/prescriptions/:id/dispenses, a spawned server, concurrent clients)
//     beside a bare SQL transaction of the same writes (lock prescription and lines, take stock, claim,
//     claim line, claim event, accumulator upsert, dispense, dispense line, line and prescription
//     updates, prescription event, stock movement, audit row), the ratio printed.
// It writes approved prescriptions and stock of its own for (2): run it on a database made for it.
//   DATABASE_URL=postgres://…/manbing_rx npx manbing demo --patients 100000 --seed 1
//   DATABASE_URL=postgres://…/manbing_rx npx tsx bench/prescriptions.ts [seconds] [clients] [calls]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { connectPostgres } from '../src/db/connect';
import { DEMO_PASSWORD } from '../src/modules/demo/load';
import { buildApp } from '../src/server/app';
import { PolicyBook } from '../src/core/policyBook';

const config = loadConfig();
const url = config.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a database loaded with `manbing demo`');
const SECONDS = Number(process.argv[2] ?? 20);
const CLIENTS = Number(process.argv[3] ?? 16);
const CALLS = Number(process.argv[4] ?? 200);
const LIMIT_MS = 100;
const PORT = 3998;
const base = `http://127.0.0.1:${PORT}`;
const pool = new pg.Pool({ connectionString: url, max: Math.max(CLIENTS, 4) });

const count = async (sqlText: string) => Number((await pool.query<{ n: string }>(sqlText)).rows[0].n);
console.log(`database: ${await count('select count(distinct person_id) n from person_condition')} two-disease patients, ${await count('select count(*) n from prescription')} prescriptions, `
  + `${await count('select count(*) n from dispense')} dispenses, ${await count('select count(*) n from claim')} claims`);

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const fmt = (x: number) => x.toFixed(1).padStart(6);
async function timed(n: number, once: (i: number) => Promise<void>) {
  for (let i = 0; i < 5; i++) await once(i); // warm the caches and the plans
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await once(i);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

// ---- (1) reads -------------------------------------------------------------------------------------
{
  const connection = await connectPostgres(url);
  const app = await buildApp({ db: connection.db, config, now: () => new Date(), policies: PolicyBook.load() });
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    return `manbing_session=${res.cookies.find((c) => c.name === 'manbing_session')!.value}`;
  };
  const pharmacist = await login('pharmacist');
  const doctor = await login('doctor');
  const county = (await pool.query<{ c: string }>(`select i.county_code c from app_user u join institution i on i.id = u.institution_id where u.username = 'pharmacist'`)).rows[0].c;
  const teamId = (await pool.query<{ t: string }>(`select team_id t from app_user where username = 'doctor'`)).rows[0].t;
  // the doctor's patients with the longest histories: the history the chart shows
  const people = (await pool.query<{ person_id: string; n: string }>(`
    select p.person_id, count(*) n from prescription p where p.team_id = $1 group by 1 order by 2 desc, 1 limit 50`, [teamId])).rows;
  if (!people.length) throw new Error('the demo doctor’s team has no prescriptions: load the demo city with this version');

  const queueSql = `select p.id, p.person_id, p.prescription_no, p.origin, p.status, p.written_on, p.days_supply, p.submitted_at, p.findings, p.fill_place,
      pe.name as person_name, pe.id_number, i.name as institution_name, u.display_name as doctor_name, r.display_name as reviewer_name
    from prescription p join person pe on pe.id = p.person_id join institution i on i.id = p.institution_id
    left join app_user u on u.id = p.doctor_id left join app_user r on r.id = p.reviewed_by
    where p.county_code = $1 and p.status in ('submitted', 'under_review') order by p.submitted_at limit $2 offset $3`;
  const queueCountSql = `select count(*) from prescription where county_code = $1 and status in ('submitted', 'under_review')`;
  const historySql = `select p.id, p.prescription_no, p.origin, p.status, p.written_on, p.valid_until, p.days_supply, p.fill_place,
      i.name as institution_name, f.name as fill_institution_name, u.display_name as doctor_name
    from prescription p join institution i on i.id = p.institution_id join institution f on f.id = p.fill_institution_id left join app_user u on u.id = p.doctor_id
    where p.person_id = $1 order by p.written_on desc, p.created_at desc limit $2`;

  const queueTotal = await count(`select count(*) n from prescription where county_code = '${county}' and status in ('submitted', 'under_review')`);
  console.log(`\n(1) reads, ${CALLS} calls each after 5 warm-up calls; limit ${LIMIT_MS} ms (issue 14, at 500,000 patients)`);
  console.log(`review queue of county ${county}: ${queueTotal} waiting; histories of the ${people.length} longest of the demo doctor's patients (${people[0].n}–${people.at(-1)!.n} prescriptions)`);
  const row = (label: string, api: number[], bare: number[]) =>
    console.log(`${label.padEnd(44)} API p50 ${fmt(pct(api, 0.5))} ms p95 ${fmt(pct(api, 0.95))} ms | bare SQL p50 ${fmt(pct(bare, 0.5))} ms p95 ${fmt(pct(bare, 0.95))} ms | `
      + `limit ${LIMIT_MS} ms: p95/limit ${(pct(api, 0.95) / LIMIT_MS).toFixed(2)}, API/bare p50 ${(pct(api, 0.5) / pct(bare, 0.5)).toFixed(1)}`);
  const get = async (u: string, cookie: string) => {
    const res = await app.inject({ url: u, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${u}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  };
  for (const [label, offset] of [['review queue: first page (50)', 0], ['review queue: page 5 (offset 200)', 200]] as const) {
    const api = await timed(CALLS, () => get(`/api/prescriptions/review-queue?limit=50&offset=${offset}`, pharmacist));
    const bare = await timed(CALLS, async () => {
      await Promise.all([pool.query({ name: 'queue', text: queueSql, values: [county, 50, offset] }), pool.query({ name: 'queue-count', text: queueCountSql, values: [county] })]);
    });
    row(label, api, bare);
  }
  const api = await timed(CALLS, (i) => get(`/api/people/${people[i % people.length].person_id}/prescriptions?limit=50`, doctor));
  const bare = await timed(CALLS, async (i) => {
    await pool.query({ name: 'history', text: historySql, values: [people[i % people.length].person_id, 50] });
  });
  row("a patient's prescription history (50)", api, bare);
  await app.close();
  await connection.close();
}

// ---- (2) dispense and settle -----------------------------------------------------------------------
// approved prescriptions of one pack of the patient's continuous drug, at the demo doctor's centre, for
// registered and contracted patients of its county; the API and the bare SQL each get their own
const counter = (await pool.query<{ user_id: string; username: string; role: string; institution_id: string; county: string; code: string }>(`
  select u.id user_id, u.username, u.role, u.institution_id, i.county_code county, i.code from app_user u join institution i on i.id = u.institution_id
  where u.username = 'centre-pharmacist'`)).rows[0];
const doctorUser = (await pool.query<{ id: string; team_id: string }>(`select id, team_id from app_user where username = 'doctor'`)).rows[0];
const PER_SIDE = Math.max(CLIENTS * 40, SECONDS * 600);
const prepared = await pool.query<{ id: string; person_id: string; drug_code: string; side: string }>(`
  with eligible as (
    select distinct on (p.id) p.id, cp.drug_code
    from person p
    join registration r on r.person_id = p.id and r.effective_to is null
    join continuous_prescription cp on cp.person_id = p.id and cp.effective_to is null
    join contract c on c.person_id = p.id and c.status = 'active' and c.start_date <= current_date and c.end_date >= current_date
    where p.region_code like $2 || '%'
    order by p.id, cp.line_no limit 4000
  ), people as (select id, drug_code, row_number() over (order by id) n from eligible), slots as (select g, s from generate_series(1, $3::int) g, (values ('api'), ('bare')) v(s)),
  ins as (
    insert into prescription (person_id, prescription_no, origin, institution_id, county_code, team_id, doctor_id, written_on, valid_until, days_supply,
      fill_place, fill_institution_id, status, submitted_at, approved_at, reviewed_by, reviewed_at)
    select pe.id, 'BENCH-' || s || '-' || g, 'new', $1, $4, $5, $6, current_date, current_date + 29, 28, 'own', $1, 'approved', now(), now(), $7, now()
    from slots join people pe on pe.n = 1 + (g % (select count(*) from people))
    returning id, person_id, prescription_no
  )
  select ins.id, ins.person_id, pe.drug_code, split_part(ins.prescription_no, '-', 2) side from ins join people pe on pe.id = ins.person_id`,
[counter.institution_id, counter.county, PER_SIDE, counter.county, doctorUser.team_id, doctorUser.id, counter.user_id]);
await pool.query(`insert into prescription_line (prescription_id, line_no, person_id, drug_code, dose_milli, frequency, days_supply, quantity)
  select p.id, 1, p.person_id, x.drug_code, 1000, 'qd', 28, 1 from prescription p join jsonb_to_recordset($1::jsonb) x(id uuid, drug_code text) on x.id = p.id`,
[JSON.stringify(prepared.rows.map((r) => ({ id: r.id, drug_code: r.drug_code })))]);
// plenty of stock of every drug at the counter, in a batch of the bench's own
await pool.query(`insert into stock_batch (institution_id, drug_code, batch_no, expiry_date, received, on_hand)
  select $1, d.code, 'BENCH-1', current_date + 720, 10000000, 10000000 from drug d on conflict do nothing`, [counter.institution_id]);
const sides = { api: prepared.rows.filter((r) => r.side === 'api'), bare: prepared.rows.filter((r) => r.side === 'bare') };
console.log(`\n(2) dispense and settle at ${counter.username} (${counter.code}), ${CLIENTS} clients, ${SECONDS} s each; ${sides.api.length} prescriptions prepared per side for ${new Set(prepared.rows.map((r) => r.person_id)).size} patients`);

async function drive(label: string, work: typeof sides.api, once: (rx: (typeof sides.api)[number]) => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end && next < work.length) {
      const rx = work[next++];
      const started = performance.now();
      try {
        await once(rx);
        latencies.push(performance.now() - started);
      } catch (err) {
        if (errors++ < 3) console.error(label, (err as Error).message);
      }
    }
  }));
  const elapsed = Math.min(SECONDS, (performance.now() - (end - SECONDS * 1000)) / 1000);
  latencies.sort((a, b) => a - b);
  const rate = latencies.length / elapsed;
  console.log(`${label.padEnd(46)} ${rate.toFixed(0).padStart(6)}/s  p50 ${fmt(pct(latencies, 0.5))} ms  p99 ${fmt(pct(latencies, 0.99))} ms  (${latencies.length} done, errors ${errors})`);
  return rate;
}

// BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the server's node, to profile it
const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
const server = spawn(process.execPath, [...nodeFlags, 'bin/manbing.js', 'start', '--no-demo'], { env: { ...process.env, PORT: String(PORT), LOG_LEVEL: 'warn', MANBING_REMINDERS: 'off' }, stdio: ['ignore', 'ignore', 'inherit'] });
let api = 0;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (i > 120) throw new Error('server did not start');
    await sleep(500);
  }
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: counter.username, password: DEMO_PASSWORD }) });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0];
  api = await drive('API POST /api/prescriptions/:id/dispenses', sides.api, async (rx) => {
    const res = await fetch(`${base}/api/prescriptions/${rx.id}/dispenses`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ idempotencyKey: randomUUID() }) });
    const body = await res.text();
    if (res.status !== 201) throw new Error(`${res.status} ${body.slice(0, 300)}`);
  });
} finally {
  server.kill('SIGTERM');
}

const bare = await drive('bare SQL transaction (same writes)', sides.bare, async (rx) => {
  const db = await pool.connect();
  try {
    const q = (name: string, text: string, values: unknown[]) => db.query({ name, text, values });
    await db.query('begin');
    await q('lock-rx', `select status, valid_until from prescription where person_id = $1 and id = $2 for update`, [rx.person_id, rx.id]);
    await q('lock-lines', `select line_no, quantity, dispensed_quantity from prescription_line where person_id = $1 and prescription_id = $2 for update`, [rx.person_id, rx.id]);
    // the drug's unexpired batches locked, earliest expiry first; one pack taken from the first
    const batches = await q('lock-stock', `select batch_no, expiry_date, on_hand from stock_batch where institution_id = $1 and drug_code = $2 and on_hand > 0 and expiry_date >= current_date
      order by expiry_date, batch_no for update`, [counter.institution_id, rx.drug_code]);
    const batch = batches.rows[0] as { batch_no: string; expiry_date: string };
    const dispenseId = randomUUID();
    await q('take-stock', `update stock_batch set on_hand = on_hand - 1 where institution_id = $1 and drug_code = $2 and batch_no = $3`, [counter.institution_id, rx.drug_code, batch.batch_no]);
    await q('movement', `insert into stock_movement (institution_id, drug_code, batch_no, kind, quantity, user_id, person_id, dispense_id) values ($1, $2, $3, 'dispense', -1, $4, $5, $6)`,
      [counter.institution_id, rx.drug_code, batch.batch_no, counter.user_id, rx.person_id, dispenseId]);
    await q('acc-read', `select pools, version from benefit_accumulator where person_id = $1 and year = extract(year from current_date)::int`, [rx.person_id]);
    const claimId = randomUUID();
    await q('settle', `
      with acc as (
        insert into benefit_accumulator as a (person_id, year, pools, version, last_service_date, updated_at) values ($1, extract(year from current_date)::int, '{}', 1, current_date, now())
        on conflict (person_id, year) do update set pools = a.pools, version = a.version + 1, updated_at = excluded.updated_at returning a.version
      ), c as (
        insert into claim (id, person_id, institution_id, idempotency_key, request_hash, service_date, insurance_type, institution_level, policy_id,
          amount_fen, fund_pay_fen, deductible_fen, copay_fen, over_limit_fen, critical_illness_fen, settled_by, settled_at, settlement_no)
        select $2::uuid, $1::uuid, $3::uuid, $4, 'bench', current_date, 'resident', 'grassroots', 'jiaxing-2021', 420, 252, 0, 168, 0, 168, $5::uuid, now(), claim_settlement_no($3::uuid, current_date) from acc
        returning id
      ), lines as (
        insert into claim_line (claim_id, person_id, line_no, drug_code, quantity, unit_price_fen, amount_fen, days_supply, disease_code, scope, scope_reason, benefit, reason,
          ratio_bp, fund_pay_fen, deductible_fen, copay_fen, over_limit_fen, fund_remaining_fen, explanation)
        select c.id, $1::uuid, 1, $6, 1, 420, 420, 28, null, 'two_disease', 'registered_disease', 'two_disease', 'in_scope', 6000, 252, 0, 168, 0, 0, 'bench' from c
      ), event as (
        insert into claim_event (claim_id, person_id, user_id, from_status, to_status, at) select c.id, $1::uuid, $5::uuid, null, 'settled', now() from c
      )
      insert into person_audit (user_id, username, role, action, entity, entity_id, person_id, ip) select $5::uuid, $7, $8, 'create', 'claim', c.id::text, $1::uuid, '127.0.0.1' from c`,
    [rx.person_id, claimId, counter.institution_id, randomUUID(), counter.user_id, rx.drug_code, counter.username, counter.role]);
    await q('dispense', `insert into dispense (id, person_id, prescription_id, institution_id, claim_id, dispensed_by, dispensed_at) values ($1, $2, $3, $4, $5, $6, now())`,
      [dispenseId, rx.person_id, rx.id, counter.institution_id, claimId, counter.user_id]);
    await q('dispense-line', `insert into dispense_line (dispense_id, line_no, person_id, prescription_line_no, drug_code, batch_no, expiry_date, quantity) values ($1, 1, $2, 1, $3, $4, $5, 1)`,
      [dispenseId, rx.person_id, rx.drug_code, batch.batch_no, batch.expiry_date]);
    await q('line-update', `update prescription_line set dispensed_quantity = dispensed_quantity + 1 where person_id = $1 and prescription_id = $2 and line_no = 1`, [rx.person_id, rx.id]);
    await q('rx-update', `update prescription set status = 'dispensed' where person_id = $1 and id = $2`, [rx.person_id, rx.id]);
    await q('rx-event', `insert into prescription_event (person_id, prescription_id, at, user_id, action, from_status, to_status, detail) values ($1, $2, now(), $3, 'dispense_rest', 'approved', 'dispensed', $4)`,
      [rx.person_id, rx.id, counter.user_id, JSON.stringify({ dispenseId, claimId })]);
    await q('audit', `insert into person_audit (user_id, username, role, action, entity, entity_id, person_id, ip) values ($1, $2, $3, 'create', 'dispense', $4, $5, '127.0.0.1')`,
      [counter.user_id, counter.username, counter.role, dispenseId, rx.person_id]);
    await db.query('commit');
  } catch (err) {
    await db.query('rollback');
    throw err;
  } finally {
    db.release();
  }
});
console.log(`API / bare SQL: ${(api / bare).toFixed(2)}`);
await pool.end();
