// Settlement API throughput on PostgreSQL: 32 concurrent clients settling for different people
// for 30 s (issue 5: aim ≥ 1,500/s, p99 ≤ 30 ms), beside a bare SQL transaction doing the same
// writes (lock the accumulator, insert the claim and its lines) driven the same way.
//   DATABASE_URL=postgres://…/manbing_bench npx manbing demo --patients 20000   (any size)
//   DATABASE_URL=postgres://…/manbing_bench npx tsx bench/settle-api.ts [seconds] [clients]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a database loaded with `manbing demo`');
const SECONDS = Number(process.argv[2] ?? 30);
const CLIENTS = Number(process.argv[3] ?? 32);
const PORT = 3999;
const base = `http://127.0.0.1:${PORT}`;

const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
// people the demo pharmacist may settle for: its county, contracted, with a confirmed registration
const { rows: people } = await pool.query<{ id: string; drug: string }>(`
  select distinct on (p.id) p.id, cp.drug_code as drug
  from person p
  join registration r on r.person_id = p.id and r.effective_to is null
  join continuous_prescription cp on cp.person_id = p.id and cp.effective_to is null
  join contract c on c.person_id = p.id and c.status = 'active' and c.end_date >= current_date
  where p.region_code like (select i.county_code from app_user u join institution i on i.id = u.institution_id where u.username = 'pharmacist') || '%'
  limit ${CLIENTS * 20}`);
if (people.length < CLIENTS) throw new Error(`only ${people.length} eligible people in the pharmacist's county; load a bigger demo city`);

// BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the server's node, to profile it
const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
const server = spawn(process.execPath, [...nodeFlags, 'bin/manbing.js', 'start', '--no-demo'], { env: { ...process.env, PORT: String(PORT), LOG_LEVEL: 'warn', MANBING_REMINDERS: 'off' }, stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {}
  if (i > 120) throw new Error('server did not start');
  await sleep(500);
}
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'pharmacist', password: 'manbing-demo' }) });
const cookie = String(login.headers.get('set-cookie')).split(';')[0];

async function drive(label: string, once: (client: number, n: number) => Promise<void>) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = 0; performance.now() < end; n++) {
        const started = performance.now();
        try {
          await once(client, n);
          latencies.push(performance.now() - started);
        } catch (err) {
          if (errors++ < 3) console.error(label, (err as Error).message);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  const rate = latencies.length / SECONDS;
  console.log(`${label.padEnd(34)} ${rate.toFixed(0).padStart(6)}/s  p50 ${q(0.5).padStart(6)} ms  p99 ${q(0.99).padStart(6)} ms  errors ${errors}`);
  return rate;
}

// each client settles for its own people in turn, one pack of their prescribed drug
const api = await drive(`API POST /api/settlements (${CLIENTS} clients)`, async (client, n) => {
  const person = people[(client + n * CLIENTS) % people.length];
  const res = await fetch(`${base}/api/settlements`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ personId: person.id, lines: [{ drugCode: person.drug, quantity: 1, daysSupply: 28 }], idempotencyKey: randomUUID() }),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`${res.status} ${body.slice(0, 200)}`);
});
server.kill('SIGTERM');

const institution = (await pool.query<{ id: string; user_id: string }>(`select u.institution_id as id, u.id as user_id from app_user u where username = 'pharmacist'`)).rows[0];
const bare = await drive('bare SQL transaction (same writes)', async (client, n) => {
  const person = people[(client + n * CLIENTS) % people.length];
  const db = await pool.connect();
  try {
    await db.query('begin');
    await db.query(`insert into benefit_accumulator (person_id, year) values ($1, 2026) on conflict do nothing`, [person.id]);
    await db.query(`select pools from benefit_accumulator where person_id = $1 and year = 2026 for update`, [person.id]);
    const id = randomUUID();
    await db.query(
      `insert into claim (id, person_id, institution_id, idempotency_key, request_hash, service_date, insurance_type, institution_level, policy_id,
        amount_fen, fund_pay_fen, deductible_fen, copay_fen, over_limit_fen, critical_illness_fen, settled_by, settlement_no)
       values ($1, $2, $3, $4, 'bench', current_date, 'resident', 'pharmacy', 'jiaxing-2021', 420, 223, 0, 197, 0, 197, $5, claim_settlement_no($3, current_date))`,
      [id, person.id, institution.id, randomUUID(), institution.user_id],
    );
    await db.query(
      `insert into claim_line (claim_id, person_id, line_no, drug_code, quantity, unit_price_fen, amount_fen, days_supply, disease_code, scope, scope_reason, benefit, reason,
        ratio_bp, fund_pay_fen, deductible_fen, copay_fen, over_limit_fen, fund_remaining_fen, explanation)
       values ($1, $2, 1, $3, 1, 420, 420, 28, null, 'two_disease', 'registered_disease', 'two_disease', 'in_scope', 5300, 223, 0, 197, 0, 0, 'bench')`,
      [id, person.id, person.drug],
    );
    await db.query(`update benefit_accumulator set pools = '{}' where person_id = $1 and year = 2026`, [person.id]);
    await db.query('commit');
  } finally {
    db.release();
  }
});
console.log(`API / bare SQL: ${(api / bare).toFixed(2)}`);
await pool.end();
