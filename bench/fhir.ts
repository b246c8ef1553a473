// FHIR's speed (issue 18): the city exported as NDJSON — its memory and its resources a second — beside the
// plain read of the same rows (the same batches of persons, every row of the exported tables written as JSON,
// no FHIR made of it); and the import of 10,000 patients' bundles (one file each, read as the CLI reads a
// directory) beside the bare inserts of the rows it stored, one transaction a bundle. It builds its own
// PostgreSQL database with the demo city of N patients, or reuses it:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/fhir.ts [patients=500000] [bundles=10000] [--reuse] [--area=330402]
// --area exports one county of the city instead of the whole city (the city's export writes some 30 GB).
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDemoCity } from './demoCity';
import { loadConfig } from '../src/config';
import { consoleActor } from '../src/core/audit';
import { PolicyBook } from '../src/core/policyBook';
import { DEMO_CITY } from '../src/modules/demo/load';
import { exportCounty } from '../src/modules/fhir/export';
import { readFhirInputs } from '../src/modules/fhir/files';
import { importFhir } from '../src/modules/fhir/import';
import { recordsOf } from '../src/modules/fhir/records';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const PATIENTS = Number(args[0] ?? 500000);
const BUNDLES = Number(args[1] ?? 10000);
const AS_OF = '2026-10-15';
const AREA = process.argv.find((a) => a.startsWith('--area='))?.slice('--area='.length) ?? DEMO_CITY;
const connection = await openDemoCity({ name: `manbing_bench_fhir_${PATIENTS}`, patients: PATIENTS, asOf: AS_OF, reuse: process.argv.includes('--reuse') });
const db = connection.db;
const ctx = { db, config: loadConfig(), now: () => new Date(`${AS_OF}T04:00:00Z`), policies: PolicyBook.load() };
const actor = consoleActor('bench');
const work = mkdtempSync(join(tmpdir(), 'manbing-bench-fhir-'));
const MiB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ——— export ———
const baseline = process.memoryUsage();
const heap: number[] = [];
let rss = 0;
const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 50);
let t = performance.now();
const report = await exportCounty(ctx, actor, { county: AREA, out: join(work, 'export'), batchSize: 500, onProgress: () => void heap.push(process.memoryUsage().heapUsed) });
const exportMs = performance.now() - t;
clearInterval(sampler);
const half = Math.floor(heap.length / 2);
const peak = (xs: number[]) => Math.max(...xs);

// the plain read: the same batches, every row of the tables the export reads, as JSON lines
const TABLES = ['person', 'person_condition', 'followup_visit', 'health_check', 'imported_reading', 'contract', 'prescription', 'outside_medication', 'dispense', 'referral', 'claim'];
// the line tables are keyed by their header: read through it, as the export does
const LINES = [['prescription_line', 'prescription', 'prescription_id'], ['dispense_line', 'dispense', 'dispense_id'], ['claim_line', 'claim', 'claim_id']] as const;
const plain = createWriteStream(join(work, 'plain.ndjson'));
let rows = 0;
t = performance.now();
for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
  const ids = (await db.selectFrom('person').select('id').where('region_code', 'like', `${AREA}%`).where('id', '>', after).orderBy('id').limit(500).execute()).map((r) => r.id);
  if (!ids.length) break;
  const list = sql`(${sql.join(ids.map((id) => sql`${id}::uuid`))})`;
  const results = await Promise.all([
    ...TABLES.map((table) => sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(table)} t where ${sql.ref(table === 'person' ? 'id' : 'person_id')} in ${list}`.execute(db)),
    ...LINES.map(([table, header, key]) => sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(header)} h join ${sql.table(table)} t on ${sql.ref(`t.${key}`)} = h.id and t.person_id = h.person_id where h.person_id in ${list}`.execute(db)),
  ]);
  for (const r of results) {
    for (const row of r.rows) {
      rows++;
      if (!plain.write(`${row.j}\n`)) await once(plain, 'drain');
    }
  }
  after = ids[ids.length - 1];
}
await new Promise((resolve) => plain.end(resolve));
const plainMs = performance.now() - t;

console.log(`city of ${PATIENTS} patients; area ${AREA}: ${report.persons} persons on the roster`);
console.log(`export of ${AREA} as NDJSON: ${report.resources} resources in ${s(exportMs)} = ${Math.round(report.resources / (exportMs / 1000))} resources/s`);
for (const f of report.files) console.log(`  ${f.type.padEnd(22)} ${f.count}`);
console.log(`  memory: heap in use at most ${MiB(peak(heap.slice(0, half)))} over the first half of the batches, ${MiB(peak(heap.slice(half)))} over the second (before: ${MiB(baseline.heapUsed)}); peak RSS ${MiB(rss)}`);
console.log(`the plain read: ${rows} rows of the same tables, same batches, as JSON lines in ${s(plainMs)} = ${Math.round(rows / (plainMs / 1000))} rows/s  (ratio ${(exportMs / plainMs).toFixed(1)})`);

// ——— import ———
// 10,000 persons' records as transaction bundles, one file each, as a hospital's system would send them
const bundleDir = join(work, 'bundles');
mkdirSync(bundleDir);
const persons = (await sql<{ id: string }>`select id from person p where region_code like ${`${AREA}%`} and exists (select 1 from followup_visit v where v.person_id = p.id) order by id limit ${BUNDLES}`.execute(db)).rows.map((r) => r.id);
const IMPORTED = new Set(['Patient', 'Condition', 'Observation', 'MedicationRequest']);
let resources = 0;
for (let i = 0; i < persons.length; i += 500) {
  const batch = await recordsOf(db, persons.slice(i, i + 500), false);
  const byPerson = new Map<string, unknown[]>();
  for (const r of batch.resources) {
    if (!IMPORTED.has(r.resourceType)) continue;
    const personId = r.resourceType === 'Patient' ? r.id! : (r as { subject: { reference: string } }).subject.reference.slice('Patient/'.length);
    (byPerson.get(personId) ?? byPerson.set(personId, []).get(personId)!).push({ fullUrl: `urn:uuid:${r.id}`, resource: r, request: { method: 'POST', url: r.resourceType } });
    resources++;
  }
  for (const [personId, entry] of byPerson) writeFileSync(join(bundleDir, `${personId}.json`), JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }));
}
t = performance.now();
const imported = await importFhir(ctx, actor, { source: bundleDir, bundles: readFhirInputs(bundleDir), idMap: new Map() });
const importMs = performance.now() - t;
const totals = imported.totals;

// the bare inserts: the rows the import stored, taken out and put back with plain inserts, a transaction a person
const storedReadings = (await sql<Record<string, unknown>>`select * from imported_reading where import_id = ${imported.importId}`.execute(db)).rows;
const storedMedications = (await sql<Record<string, unknown>>`select * from outside_medication where import_id = ${imported.importId}`.execute(db)).rows;
await sql`delete from imported_reading where import_id = ${imported.importId}`.execute(db);
await sql`delete from outside_medication where import_id = ${imported.importId}`.execute(db);
const group = (xs: Array<Record<string, unknown>>) => xs.reduce((m, r) => m.set(r.person_id as string, [...(m.get(r.person_id as string) ?? []), r]), new Map<string, Array<Record<string, unknown>>>());
const [readingsOf, medicationsOf] = [group(storedReadings), group(storedMedications)];
t = performance.now();
for (const personId of persons) {
  await db.transaction().execute(async (trx) => {
    const r = readingsOf.get(personId);
    const m = medicationsOf.get(personId);
    if (r) await trx.insertInto('imported_reading').values(r as never).execute();
    if (m) await trx.insertInto('outside_medication').values(m as never).execute();
  });
}
const bareMs = performance.now() - t;
// leave the bench city as it was
await sql`delete from imported_reading where import_id = ${imported.importId}`.execute(db);
await sql`delete from outside_medication where import_id = ${imported.importId}`.execute(db);

console.log(`import of ${persons.length} bundles (${resources} resources) from a directory: ${s(importMs)} = ${Math.round(persons.length / (importMs / 1000))} bundles/s, ${Math.round(resources / (importMs / 1000))} resources/s`);
console.log(`  stored ${totals.imported.readings} readings and ${totals.imported.medications} medications; ${totals.unchanged.diagnoses} diagnoses already there; refused bundles ${totals.refusedBundles}, unmatched ${totals.unmatchedPatients}`);
console.log(`the bare inserts of the same rows, a transaction a bundle: ${s(bareMs)}  (ratio ${(importMs / bareMs).toFixed(1)})`);
rmSync(work, { recursive: true, force: true });
await connection.close();
