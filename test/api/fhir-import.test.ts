// FHIR import (issue 18): the ten Synthea development bundles (../shared/data/synthea-r4) imported with an id map
// onto ten insured persons of the demo roster — per patient, the diagnoses, readings and medications stored
// against the bundles' own counts (counted here from the JSON, not by the importer's code); a reimport changing
// nothing; the roster winning over the bundle's name, sex and birth date; a patient matching nobody skipped;
// broken bundles refused whole, over the API with an OperationOutcome.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';
import { consoleActor } from '../../src/core/audit';
import { importFhir, parseIdMap, type ImportReport } from '../../src/modules/fhir/import';
import { readFhirInputs } from '../../src/modules/fhir/files';

const DIR = new URL('../../../shared/data/synthea-r4/', import.meta.url).pathname;
const SYNTHEA = 'https://github.com/synthetichealth/synthea';
type Resource = { resourceType: string; id: string; code?: { coding?: Array<{ system: string; code: string }> }; component?: unknown[]; valueQuantity?: { value: number } };
const bundles = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort().map((f) => ({ file: f, json: JSON.parse(readFileSync(`${DIR}${f}`, 'utf8')) as { entry: Array<{ resource: Resource }> } }));

/** What each bundle holds that the chart keeps, counted from the JSON by the issue's codes. */
function expected(json: { entry: Array<{ resource: Resource }> }) {
  const resources = json.entry.map((e) => e.resource);
  const codes = (r: Resource) => (r.code?.coding ?? []).map((c) => c.code);
  const readings = resources.filter((r) => r.resourceType === 'Observation' && codes(r).some((c) => ['85354-9', '55284-4', '2339-0', '1558-6', '4548-4', '29463-7', '8302-2', '39156-5', '8867-4'].includes(c)));
  const twoDisease = resources.filter((r) => r.resourceType === 'Condition' && codes(r).some((c) => ['38341003', '59621000', '44054006'].includes(c)));
  return {
    patient: resources.find((r) => r.resourceType === 'Patient')!,
    readings: readings.length,
    diseases: new Set(twoDisease.flatMap((r) => codes(r).map((c) => (c === '44054006' ? 'diabetes' : 'hypertension')))),
    medications: resources.filter((r) => r.resourceType === 'MedicationRequest').length,
  };
}

let t: TestApp;
const people: Array<{ id: string; id_number: string; name: string }> = [];
let idMapCsv = '';
let first: ImportReport;

beforeAll(async () => {
  t = await testApp();
  // ten living insured persons without a diagnosis of either disease, so every two-disease Condition is news to them
  const rows = await t.ctx.db.selectFrom('person as p').select(['p.id', 'p.id_number', 'p.name'])
    .where('p.death_date', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('person_condition as c').select('c.person_id').whereRef('c.person_id', '=', 'p.id'))))
    .orderBy('p.id').limit(10).execute();
  people.push(...rows);
  // Synthea's own identifier of each patient (system https://github.com/synthetichealth/synthea) to a roster person
  const synthea = (b: (typeof bundles)[number]) => (expected(b.json).patient as unknown as { identifier: Array<{ system?: string; value: string }> }).identifier.find((i) => i.system === SYNTHEA)!.value;
  idMapCsv = ['system,value,id_number', ...bundles.map((b, i) => `${SYNTHEA},${synthea(b)},${people[i].id_number}`)].join('\n');
});
afterAll(() => t.close());

const run = (source: string, idMap = parseIdMap(idMapCsv)) => {
  if ('problems' in idMap) throw new Error(idMap.problems.join('; '));
  return importFhir(t.ctx, consoleActor('tester'), { source, bundles: readFhirInputs(source), idMap: idMap.map });
};
const stored = async (personId: string) => ({
  readings: (await t.ctx.db.selectFrom('imported_reading').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', personId).executeTakeFirstOrThrow()).n,
  medications: (await t.ctx.db.selectFrom('outside_medication').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', personId).executeTakeFirstOrThrow()).n,
  diseases: (await t.ctx.db.selectFrom('person_condition').select(['disease_code', 'source', 'source_system']).where('person_id', '=', personId).execute()),
});

describe('the ten development bundles, with an id map', () => {
  it('stores each patient’s diagnoses, readings and medications as the bundle holds them', async () => {
    first = await run(DIR);
    expect(first.bundles).toHaveLength(10);
    expect(first.totals).toMatchObject({ refusedBundles: 0, unmatchedPatients: 0 });
    for (const [i, b] of bundles.entries()) {
      const want = expected(b.json);
      const got = await stored(people[i].id);
      const report = first.bundles.find((x) => x.source === b.file)!.patients[0];
      expect(report.matchedBy, b.file).toBe('id_map');
      // a reading failing the plausibility limits is reported, not stored: the two together are the bundle's own
      expect(Number(got.readings) + report.skipped.filter((s) => s.resourceType === 'Observation').length, b.file).toBe(want.readings);
      expect(Number(got.readings), b.file).toBe(report.imported.readings);
      expect(Number(got.medications), b.file).toBe(want.medications);
      expect(new Set(got.diseases.map((d) => d.disease_code)), b.file).toEqual(want.diseases);
      expect(got.diseases.every((d) => d.source === 'import' && d.source_system === SYNTHEA)).toBe(true);
    }
    // Encounters, Claims, ExplanationOfBenefits, Immunizations… counted and not imported
    expect(first.totals.notImported).toMatchObject({ Encounter: expect.any(Number), Claim: expect.any(Number), ExplanationOfBenefit: expect.any(Number) });
    expect(first.totals.read.Patient).toBe(10);
  });

  it('keeps the roster’s name, sex and birth date and reports where the bundle differs', () => {
    const r = first.bundles[0].patients[0];
    expect(r.differences.map((d) => d.field)).toContain('name');
    expect(r.differences.find((d) => d.field === 'name')).toEqual({ field: 'name', roster: people[0].name, source: expect.stringMatching(/[A-Za-z]/) });
    expect(r.idNumber).toMatch(/\*{4,}/);
  });

  it('maps the catalogue’s drugs and keeps the rest as text', async () => {
    const meds = await t.ctx.db.selectFrom('outside_medication').select(['text', 'drug_code', 'rxnorm']).where('person_id', 'in', people.map((p) => p.id)).execute();
    expect(meds.find((m) => m.rxnorm === '316049')?.drug_code).toBe('D0024'); // hydrochlorothiazide 25 mg
    expect(meds.find((m) => m.rxnorm === '860975')?.drug_code).toBe('D0034'); // metformin extended release
    expect(meds.find((m) => m.rxnorm === '313782')?.drug_code).toBeNull(); // acetaminophen: kept as text
    expect(first.bundles.flatMap((b) => b.patients.flatMap((p) => p.unmapped))).toContain('Acetaminophen 325 MG Oral Tablet');
  });

  it('imported again, changes nothing', async () => {
    const before = await Promise.all(people.map((p) => stored(p.id)));
    const again = await run(DIR);
    expect(again.totals.imported).toEqual({ diagnoses: 0, readings: 0, medications: 0 });
    expect(again.totals.unchanged.readings).toBe(first.totals.imported.readings + first.totals.unchanged.readings);
    expect(await Promise.all(people.map((p) => stored(p.id)))).toEqual(before);
  });

  it('skips a patient that matches nobody, and writes nothing for them', async () => {
    const report = await run(`${DIR}${bundles[0].file}`, parseIdMap('system,value,id_number\n'));
    expect(report.totals.unmatchedPatients).toBe(1);
    expect(report.bundles[0].patients[0]).toMatchObject({ idNumber: null, imported: { diagnoses: 0, readings: 0, medications: 0 } });
  });

  it('refuses an id map whose rows are not system, value and a valid resident ID', () => {
    expect(parseIdMap('system,value\n')).toEqual({ problems: ['line 1: the columns are system, value, id_number'] });
    expect(parseIdMap(`system,value,id_number\n${SYNTHEA},x,110101195804120481\n`)).toEqual({ problems: ['line 2: id_number 110101195804120481 is not a valid resident ID number (GB 11643)'] });
  });
});

describe('POST /fhir', () => {
  const post = (cookie: string, payload: string | object, type = 'application/fhir+json') =>
    t.app.inject({ method: 'POST', url: '/fhir', headers: { cookie, 'content-type': type }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  const person = () => people[9];
  const patientEntry = () => ({ fullUrl: 'urn:uuid:p', resource: { resourceType: 'Patient', id: 'api-p', identifier: [{ system: 'urn:oid:2.16.156.10011.1.3', value: person().id_number }] }, request: { method: 'POST', url: 'Patient' } });
  const reading = (id: string, subject = 'urn:uuid:p') => ({ fullUrl: `urn:uuid:${id}`, resource: {
    resourceType: 'Observation', id, status: 'final', subject: { reference: subject }, effectiveDateTime: '2026-06-01', code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 138, unit: 'mm[Hg]' } }, { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 86, unit: 'mm[Hg]' } }],
  }, request: { method: 'POST', url: 'Observation' } });

  it('imports a batch matched by the resident ID identifier, for an administrator only', async () => {
    const admin = await t.login('admin');
    const res = await post(admin, { resourceType: 'Bundle', type: 'batch', entry: [patientEntry(), reading('api-o1')] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().bundles[0].patients[0]).toMatchObject({ matchedBy: 'resident_id', imported: { readings: 1 } });
    expect((await post(await t.login('doctor'), { resourceType: 'Bundle', type: 'batch', entry: [] })).statusCode).toBe(403);
  });

  it('imports an institution administrator’s bundle for its own patients only, and names no other', async () => {
    // the administrator of a centre whose team holds a contract in force with one person; another person it never served
    const today = '2026-06-15';
    const served = await t.ctx.db.selectFrom('contract as c').innerJoin('family_doctor_team as f', 'f.id', 'c.team_id').innerJoin('person as p', 'p.id', 'c.person_id')
      .select(['p.id', 'p.id_number', 'f.institution_id']).where('c.status', '=', 'active').where('c.start_date', '<=', today).where('c.end_date', '>=', today).orderBy('c.id').executeTakeFirstOrThrow();
    const stranger = await t.ctx.db.selectFrom('person as p').select(['p.id', 'p.id_number'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('claim as c').select('c.id').whereRef('c.person_id', '=', 'p.id').where('c.institution_id', '=', served.institution_id))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('contract as c').innerJoin('family_doctor_team as f', 'f.id', 'c.team_id').select('c.id').whereRef('c.person_id', '=', 'p.id').where('f.institution_id', '=', served.institution_id))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('referral as r').select('r.id').whereRef('r.person_id', '=', 'p.id').where((w) => w.or([w('r.from_institution_id', '=', served.institution_id), w('r.to_institution_id', '=', served.institution_id)])))))
      .orderBy('p.id').executeTakeFirstOrThrow();
    const { hashPassword } = await import('../../src/modules/auth/service');
    await t.ctx.db.insertInto('app_user').values({ username: 'centre-admin', display_name: '中心管理员', role: 'institution_admin', institution_id: served.institution_id, password_hash: await hashPassword('manbing-demo'), demo: true }).execute();
    const patient = (id: string, idNumber: string) => ({ fullUrl: `urn:uuid:${id}`, resource: { resourceType: 'Patient', id, identifier: [{ system: 'urn:oid:2.16.156.10011.1.3', value: idNumber }] }, request: { method: 'POST', url: 'Patient' } });
    const bp = (id: string, subject: string) => ({ ...reading(id, subject), fullUrl: `urn:uuid:${id}` });
    const res = await post(await t.login('centre-admin'), { resourceType: 'Bundle', type: 'batch', entry: [patient('own', served.id_number), bp('own-o', 'urn:uuid:own'), patient('other', stranger.id_number), bp('other-o', 'urn:uuid:other')] });
    expect(res.statusCode, res.body).toBe(200);
    const [own, other] = res.json().bundles[0].patients;
    expect(own).toMatchObject({ sourceId: 'own', imported: { readings: 1 } });
    expect(other).toEqual(expect.objectContaining({ sourceId: 'other', idNumber: null, outsideScope: true, imported: { diagnoses: 0, readings: 0, medications: 0 } }));
    expect(res.json().totals).toMatchObject({ outsideScopePatients: 1, unmatchedPatients: 0 });
    const readings = async (personId: string) => (await t.ctx.db.selectFrom('imported_reading').select('source_id').where('person_id', '=', personId).execute()).map((r) => r.source_id);
    expect(await readings(served.id)).toContain('own-o');
    expect(await readings(stranger.id)).not.toContain('other-o');
  });

  it('refuses what is not JSON, not a bundle, of a wrong resourceType or referring to nothing — with an OperationOutcome, writing nothing', async () => {
    const admin = await t.login('admin');
    const before = await stored(person().id);
    for (const [payload, text] of [
      ['{"resourceType": "Bundle", ', 'not JSON'],
      [{ resourceType: 'Patient' }, 'resourceType must be Bundle'],
      [{ resourceType: 'Bundle', type: 'batch', entry: [patientEntry(), { ...reading('api-o2'), request: { method: 'POST', url: 'Condition' } }] }, 'the request is for Condition'],
      [{ resourceType: 'Bundle', type: 'batch', entry: [patientEntry(), reading('api-o3'), reading('api-o4', 'urn:uuid:nobody')] }, 'refers to no Patient'],
    ] as const) {
      const res = await post(admin, payload as string | object);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/fhir+json');
      expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [expect.objectContaining({ severity: 'error', diagnostics: expect.stringContaining(text) })] });
    }
    // the good reading of the last bundle was not written either
    expect(await stored(person().id)).toEqual(before);
  });
});
