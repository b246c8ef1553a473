// The chart shows what hospitals sent (FHIR import, docs/fhir.md "On the chart"): two Synthea development bundles
// (../shared/data/synthea-r4) imported with an id map onto two hypertension patients of the demo doctor's team
// who have follow-up visits and no diabetes — then the chart lists the imported readings (as many as the import
// stored, the latest 50 when there are more, latest first, in the stored integer form), the outside medication
// (mapped to the catalogue or kept as text) and the imported diabetes diagnosis with source 'import', while the
// follow-up series, visits and management status are what they were before the import.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleActor } from '../../src/core/audit';
import { shanghaiDate } from '../../src/engine/calendar';
import { importFhir, parseIdMap, type PatientReport } from '../../src/modules/fhir/import';
import { readFhirInputs } from '../../src/modules/fhir/files';
import { testApp, type TestApp } from '../helpers/app';

const DIR = new URL('../../../shared/data/synthea-r4/', import.meta.url).pathname;
const SYNTHEA = 'https://github.com/synthetichealth/synthea';
// 61 readings (more than the chart shows) and 48 (fewer); both with hypertension and type 2 diabetes and medications
const FILES = ['Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json', 'Emery_Purdy_298c62e6-b204-4a14-8e21-73d5be0ce22e.json'];

type Coding = { system?: string; code: string };
type Resource = {
  resourceType: string; id: string; identifier?: Array<{ system?: string; value: string }>; code?: { coding?: Coding[] }; effectiveDateTime?: string;
  component?: Array<{ code: { coding: Coding[] }; valueQuantity: { value: number } }>;
};
const bundleOf = (file: string) => (JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as { entry: Array<{ resource: Resource }> }).entry.map((e) => e.resource);

interface Chart {
  conditions: Array<{ code: string; source: string }>;
  series: unknown; visits: unknown[]; management: unknown; nextVisit: unknown; riskFlags: string[];
  importedReadings: Array<{ kind: string; date: string; value: number; value2: number | null; sourceSystem: string }>;
  outsideMedications: Array<{ text: string; drugCode: string | null; drugName: string | null; status: string; authoredOn: string | null; sourceSystem: string }>;
}

let t: TestApp;
let doctor: string;
const people: Array<{ id: string; id_number: string }> = [];
const before = new Map<string, Chart>();
const reports = new Map<string, PatientReport>();

const chartOf = async (personId: string, cookie = doctor) => {
  const res = await t.app.inject({ url: `/api/people/${personId}/chart`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Chart;
};

beforeAll(async () => {
  t = await testApp();
  doctor = await t.login('doctor');
  const team = (await t.ctx.db.selectFrom('app_user').select('team_id').where('username', '=', 'doctor').executeTakeFirstOrThrow()).team_id!;
  // contracted with the doctor's team, followed up, hypertensive and not diabetic: the bundles' diabetes is news to them
  const rows = await t.ctx.db.selectFrom('person as p').select(['p.id', 'p.id_number'])
    .where((eb) => eb.exists(eb.selectFrom('contract as c').select('c.id').whereRef('c.person_id', '=', 'p.id').where('c.team_id', '=', team).where('c.status', '=', 'active')))
    .where((eb) => eb.exists(eb.selectFrom('followup_visit as v').select('v.id').whereRef('v.person_id', '=', 'p.id')))
    .where((eb) => eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'p.id').where('pc.disease_code', '=', 'hypertension')))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'p.id').where('pc.disease_code', '=', 'diabetes'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('imported_reading as r').select('r.person_id').whereRef('r.person_id', '=', 'p.id'))))
    .orderBy('p.id').limit(FILES.length).execute();
  expect(rows).toHaveLength(FILES.length);
  people.push(...rows);
  for (const p of people) before.set(p.id, await chartOf(p.id));

  const idMap = parseIdMap(['system,value,id_number', ...FILES.map((f, i) => `${SYNTHEA},${bundleOf(f).find((r) => r.resourceType === 'Patient')!.identifier!.find((x) => x.system === SYNTHEA)!.value},${people[i].id_number}`)].join('\n'));
  if ('problems' in idMap) throw new Error(idMap.problems.join('; '));
  for (const [i, file] of FILES.entries()) {
    const report = await importFhir(t.ctx, consoleActor('tester'), { source: `${DIR}${file}`, bundles: readFhirInputs(`${DIR}${file}`), idMap: idMap.map });
    expect(report.totals.refusedBundles).toBe(0);
    reports.set(people[i].id, report.bundles[0].patients[0]);
  }
});
afterAll(() => t.close());

describe('the chart after a FHIR import', () => {
  it('had nothing imported before, and every condition says where it came from', () => {
    for (const p of people) {
      const c = before.get(p.id)!;
      expect(c.importedReadings).toEqual([]);
      expect(c.outsideMedications).toEqual([]);
      expect(c.conditions.find((x) => x.code === 'hypertension')?.source).toEqual(expect.any(String));
      expect(c.conditions.some((x) => x.source === 'import')).toBe(false);
    }
  });

  it('lists the imported readings: as many as the import stored, the latest 50 at most, latest first, in the stored form', async () => {
    const counts: number[] = [];
    for (const p of people) {
      const c = await chartOf(p.id);
      const stored = reports.get(p.id)!.imported.readings;
      counts.push(stored);
      expect(c.importedReadings, p.id).toHaveLength(Math.min(50, stored));
      const dates = c.importedReadings.map((r) => r.date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(c.importedReadings.every((r) => r.sourceSystem === SYNTHEA && (r.kind === 'blood_pressure') === (r.value2 !== null))).toBe(true);
      // the ones left out are older than every one shown
      const all = await t.ctx.db.selectFrom('imported_reading').select('reading_date').where('person_id', '=', p.id).orderBy('reading_date', 'desc').execute();
      expect(all).toHaveLength(stored);
      if (stored > 50) expect(all[50].reading_date <= dates[49]).toBe(true);
    }
    expect(counts[0]).toBeGreaterThan(50); // the cap is exercised
    expect(counts[1]).toBeLessThan(50);
  });

  it('shows the latest blood pressure as the bundle has it: systolic and diastolic mmHg, whole', async () => {
    const bundle = bundleOf(FILES[1]);
    const bp = bundle.filter((r) => r.resourceType === 'Observation' && r.code?.coding?.some((x) => x.code === '55284-4' || x.code === '85354-9'))
      .sort((a, b) => b.effectiveDateTime!.localeCompare(a.effectiveDateTime!))[0];
    const part = (code: string) => Math.round(bp.component!.find((x) => x.code.coding.some((y) => y.code === code))!.valueQuantity.value);
    const shown = (await chartOf(people[1].id)).importedReadings.find((r) => r.kind === 'blood_pressure')!;
    expect(shown).toEqual({ kind: 'blood_pressure', date: shanghaiDate(new Date(bp.effectiveDateTime!)), value: part('8480-6'), value2: part('8462-4'), sourceSystem: SYNTHEA });
  });

  it('lists the outside medication: the catalogue’s name where mapped, the text alone where not', async () => {
    for (const p of people) {
      const meds = (await chartOf(p.id)).outsideMedications;
      const report = reports.get(p.id)!;
      expect(meds, p.id).toHaveLength(report.imported.medications);
      expect(meds.length).toBeGreaterThan(0);
      expect(meds.every((m) => m.sourceSystem === SYNTHEA && m.text.length > 0 && m.status.length > 0)).toBe(true);
      expect(meds.every((m) => (m.drugCode === null) === (m.drugName === null))).toBe(true);
      expect(new Set(meds.filter((m) => m.drugCode === null).map((m) => m.text))).toEqual(new Set(report.unmapped));
    }
    const all = [...people].map((p) => p.id);
    const meds = (await Promise.all(all.map((id) => chartOf(id)))).flatMap((c) => c.outsideMedications);
    const drug = await t.ctx.db.selectFrom('drug').select('generic_name_zh').where('code', '=', 'D0034').executeTakeFirstOrThrow();
    expect(meds.find((m) => m.drugCode === 'D0034')?.drugName).toBe(drug.generic_name_zh); // metformin extended release
  });

  it('marks the imported diagnosis as imported and leaves the programme’s own as it was', async () => {
    for (const p of people) {
      const c = await chartOf(p.id);
      expect(c.conditions.find((x) => x.code === 'diabetes')?.source, p.id).toBe('import');
      expect(c.conditions.find((x) => x.code === 'hypertension')?.source).toBe(before.get(p.id)!.conditions.find((x) => x.code === 'hypertension')!.source);
    }
  });

  it('keeps the follow-ups as they were: the series, visits, management status and next visit unchanged', async () => {
    for (const p of people) {
      const was = before.get(p.id)!;
      const c = await chartOf(p.id);
      expect(c.series, p.id).toEqual(was.series);
      expect(c.visits).toEqual(was.visits);
      expect(c.nextVisit).toEqual(was.nextVisit);
      // the imported diabetes is a diagnosis now, so management gains that disease; hypertension's status is the same
      const htn = (m: unknown) => (m as Array<{ disease: string }>).find((x) => x.disease === 'hypertension');
      expect(htn(c.management)).toEqual(htn(was.management));
      expect((c.management as Array<{ disease: string; followUps: number }>).find((x) => x.disease === 'diabetes')).toMatchObject({ followUps: 0 });
    }
  });

  it('is still the treating team’s to read, and each read is audited', async () => {
    const other = await t.ctx.db.selectFrom('app_user as u').innerJoin('family_doctor_team as ft', 'ft.id', 'u.team_id').innerJoin('institution as i', 'i.id', 'ft.institution_id')
      .select('u.username').where('u.role', '=', 'family_doctor')
      .where('i.region_code', '!=', (await t.app.inject({ url: '/api/teams/mine', headers: { cookie: doctor } })).json().region.code)
      .limit(1).executeTakeFirstOrThrow();
    const res = await t.app.inject({ url: `/api/people/${people[0].id}/chart`, headers: { cookie: await t.login(other.username) } });
    expect(res.statusCode).toBe(403);
    const reads = async () => (await t.ctx.db.selectFrom('person_audit').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', people[0].id).where('entity', '=', 'followup_chart').where('action', '=', 'read').executeTakeFirstOrThrow()).n;
    const n = Number(await reads());
    await chartOf(people[0].id);
    expect(Number(await reads())).toBe(n + 1);
  });
});
