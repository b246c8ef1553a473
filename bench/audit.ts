// Issue 15's speed: the nightly smart audit over a day of a city's claims (limit: under a minute for
// a 500,000-patient city's day, tens of thousands of claims) and a re-audit of a range (limit: a year
// in under 10 minutes), each beside the bare SQL read of the same inputs (the same statements the run
// reads with, src/modules/smartAudit/queries.ts, without the rules or the writes) and the ratio.
// It builds its own PostgreSQL database — migrated, the demo city of N patients loaded — or reuses it:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/audit.ts [patients=20000] [rangeDays=30] [--reuse]
// The demo settles about 17 claims a day per 1,000 patients (8,700 a day at 500,000), so a range of
// days stands in for a bigger city's day: the figures are also given per 10,000 claims.
import { sql } from 'kysely';
import { loadConfig } from '../src/config';
import { connectPostgres } from '../src/db/connect';
import { migrateToLatest } from '../src/db/migrate';
import { PolicyBook } from '../src/core/policyBook';
import { addDays } from '../src/engine/calendar';
import { loadDemoCity } from '../src/modules/demo/load';
import { syncReferenceData } from '../src/modules/reference/sync';
import { auditDate, auditRange } from '../src/modules/smartAudit/service';
import { batchFacts, subjectPersons } from '../src/modules/smartAudit/queries';

const config = loadConfig();
const url = config.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server (the bench creates its own database on it)');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const PATIENTS = Number(args[0] ?? 20000);
const RANGE_DAYS = Number(args[1] ?? 30);
const AS_OF = '2026-06-15';
const NAME = `manbing_bench_audit_${PATIENTS}`;
const DAY_LIMIT_S = 60;
const YEAR_LIMIT_S = 600;

const withDb = (name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

const admin = await connectPostgres(url, 1);
const exists = (await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${NAME}`.execute(admin.db)).rows[0].n > 0;
if (!exists || !process.argv.includes('--reuse')) {
  await sql.raw(`drop database if exists ${NAME} with (force)`).execute(admin.db);
  await sql.raw(`create database ${NAME}`).execute(admin.db);
}
await admin.close();
const connection = await connectPostgres(withDb(NAME), 4);
const db = connection.db;
if (!exists || !process.argv.includes('--reuse')) {
  const started = performance.now();
  await migrateToLatest(db);
  await syncReferenceData(db);
  await loadDemoCity(db, { patients: PATIENTS, seed: 1, asOf: AS_OF });
  console.log(`demo city of ${PATIENTS} patients loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
// each measurement starts from no findings
const reset = () => sql`truncate audit_finding_event, audit_finding, audit_run`.execute(db);
const ctx = { db, now: () => new Date(`${AS_OF}T20:00:00+08:00`), policies: PolicyBook.load() };
const claimsOn = async (from: string, to: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from claim where service_date between ${from}::date and ${to}::date and status = 'settled'`.execute(db)).rows[0].n;

/** The run's reads alone, over the same persons and windows (what the rules cost on top is the rest). */
async function bareRead(from: string, to: string) {
  const started = performance.now();
  const persons = await subjectPersons(db, from, to);
  for (let i = 0; i < persons.length; i += 2000)
    await batchFacts(db, persons.slice(i, i + 2000), { from, to, lookFrom: addDays(from, -180), visitsFrom: addDays(from, -366) });
  return (performance.now() - started) / 1000;
}
const row = (label: string, s: number, bare: number, claims: number, limit: string) =>
  console.log(`${label.padEnd(34)} ${s.toFixed(2).padStart(8)} s   bare read ${bare.toFixed(2).padStart(7)} s   ×${(s / bare).toFixed(1).padStart(5)}   ${(s / Math.max(1, claims) * 10000).toFixed(2).padStart(7)} s per 10,000 claims   ${limit}`);

const day = addDays(AS_OF, -1);
console.log(`\n${PATIENTS} patients, ${await claimsOn('2000-01-01', AS_OF)} claims in all; limits: a day of a 500,000-patient city < ${DAY_LIMIT_S} s, a year < ${YEAR_LIMIT_S} s`);

// (1) the nightly run: its 30-day window audited already (as the nightly job leaves it), then the day
await reset();
await auditRange(ctx, { from: addDays(day, -29), to: addDays(day, -1), trigger: 'cli' });
const dayClaims = await claimsOn(day, day);
let started = performance.now();
const nightly = await auditDate(ctx, { date: day, trigger: 'nightly' });
const nightlyS = (performance.now() - started) / 1000;
const nightlyBare = await bareRead(day, day);
row(`nightly day ${day} (${dayClaims} claims)`, nightlyS, nightlyBare, dayClaims, `findings ${nightly.run.findingsTotal}`);
started = performance.now();
const again = await auditDate(ctx, { date: day, trigger: 'nightly' });
row('the same day again', (performance.now() - started) / 1000, nightlyBare, dayClaims, `new ${again.run.findingsNew}`);

// (2) a re-audit of a range, from no findings (one transaction, a run row per day)
await reset();
const from = addDays(day, -(RANGE_DAYS - 1));
const rangeClaims = await claimsOn(from, day);
started = performance.now();
const runs = await auditRange(ctx, { from, to: day, trigger: 'cli' });
const rangeS = (performance.now() - started) / 1000;
const rangeBare = await bareRead(from, day);
row(`re-audit ${RANGE_DAYS} days (${rangeClaims} claims)`, rangeS, rangeBare, rangeClaims, `findings ${runs.reduce((s, r) => s + r.findingsTotal, 0)}`);

// extrapolated to the sizes by claims (the work is per claim and per person batch)
const perClaim = rangeS / Math.max(1, rangeClaims);
const cityDay = 30000;
const cityYear = Math.round((8700 * 365));
console.log(`\nextrapolated: a day of ${cityDay} claims ≈ ${(perClaim * cityDay).toFixed(0)} s (limit ${DAY_LIMIT_S} s); a year of a 500,000-patient city (≈ ${cityYear} claims) ≈ ${(perClaim * cityYear).toFixed(0)} s (limit ${YEAR_LIMIT_S} s)`);
await connection.close();
