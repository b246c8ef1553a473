// The chart's outside records in Chromium at 1440×900: a Synthea bundle with more readings than the chart shows
// (../shared/data/synthea-r4) imported onto a hypertension patient of the demo doctor's team; the doctor opens the
// chart and sees the section 外院数据（导入） with the latest 50 readings, every outside medication (those not
// mapped to the catalogue marked 未对照) and the imported diabetes tagged 导入 — without sideways scrolling; and
// the same section in English; the record downloaded as FHIR from the chart's header.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consoleActor } from '../../src/core/audit';
import { importFhir, parseIdMap, type PatientReport } from '../../src/modules/fhir/import';
import { readFhirInputs } from '../../src/modules/fhir/files';
import { type BrowserApp, describeBrowser, expectNoOverflow, expectText, shot, signIn, startBrowserApp } from './browser';

const FILE = new URL('../../../shared/data/synthea-r4/Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json', import.meta.url).pathname;
const SYNTHEA = 'https://github.com/synthetichealth/synthea';

describeBrowser('outside records on the chart (browser)', () => {
  let b: BrowserApp;
  let personId: string;
  let report: PatientReport;

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.ctx.db;
    const team = (await db.selectFrom('app_user').select('team_id').where('username', '=', 'doctor').executeTakeFirstOrThrow()).team_id!;
    const person = await db.selectFrom('person as p').select(['p.id', 'p.id_number'])
      .where((eb) => eb.exists(eb.selectFrom('contract as c').select('c.id').whereRef('c.person_id', '=', 'p.id').where('c.team_id', '=', team).where('c.status', '=', 'active')))
      .where((eb) => eb.exists(eb.selectFrom('followup_visit as v').select('v.id').whereRef('v.person_id', '=', 'p.id')))
      .where((eb) => eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'p.id').where('pc.disease_code', '=', 'hypertension')))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'p.id').where('pc.disease_code', '=', 'diabetes'))))
      .orderBy('p.id').limit(1).executeTakeFirstOrThrow();
    personId = person.id;
    const bundle = JSON.parse(readFileSync(FILE, 'utf8')) as { entry: Array<{ resource: { resourceType: string; identifier?: Array<{ system?: string; value: string }> } }> };
    const syntheaId = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource.identifier!.find((i) => i.system === SYNTHEA)!.value;
    const idMap = parseIdMap(`system,value,id_number\n${SYNTHEA},${syntheaId},${person.id_number}\n`);
    if ('problems' in idMap) throw new Error(idMap.problems.join('; '));
    report = (await importFhir(b.t.ctx, consoleActor('tester'), { source: FILE, bundles: readFhirInputs(FILE), idMap: idMap.map })).bundles[0].patients[0];
  });
  afterAll(() => b?.close());

  const openChart = async (page: Page) => {
    await signIn(page, 'doctor');
    await page.goto(`/follow-ups/patients/${personId}`);
    await page.getByTestId('chart-header').waitFor();
    const section = page.getByTestId('imported-section');
    await section.waitFor();
    return section;
  };

  it('doctor sees the latest 50 readings, the outside medication and the imported diagnosis tagged', async () => {
    expect(report.imported.readings).toBeGreaterThan(50);
    const page = await (await b.newContext()).newPage();
    const section = await openChart(page);
    await expectText(section.locator('.ant-card-head-title'), '外院数据（导入）');
    await expect.poll(() => section.getByTestId('imported-reading-row').count()).toBe(50);
    await expectText(section.getByTestId('imported-readings'), /仅显示最近 50 条/);
    await expect.poll(() => section.getByTestId('outside-medication-row').count()).toBe(report.imported.medications);
    // the ones not mapped to the catalogue show the hospital's text marked 未对照; the mapped ones the catalogue's name
    const unmappedRows = section.getByTestId('outside-medication-row').filter({ has: page.getByTestId('not-mapped') });
    const unmapped = await b.t.ctx.db.selectFrom('outside_medication').select((eb) => eb.fn.countAll<number>().as('n')).where('person_id', '=', personId).where('drug_code', 'is', null).executeTakeFirstOrThrow();
    expect(await unmappedRows.count()).toBe(Number(unmapped.n));
    await expectText(unmappedRows.first(), /未对照/);
    // a reading with its unit: blood pressure in mmHg, in the value column
    await expectText(section.getByTestId('imported-reading-row').filter({ hasText: '血压' }).first(), /\d{2,3}\/\d{2,3} mmHg/);
    const imported = page.locator('[data-testid="chart-condition"][data-source="import"]');
    await expectText(imported, /糖尿病.*导入/);
    expect(await imported.count()).toBe(1);
    await expectNoOverflow(page, 'chart with outside records');
    await shot(page, 'chart-imported-header');
    await section.scrollIntoViewIfNeeded();
    await shot(page, 'chart-imported');
  });

  it('downloads the record as FHIR: a Bundle with the imported readings, the ID number masked', async () => {
    const page = await (await b.newContext()).newPage();
    await openChart(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-fhir').click()]);
    const bundle = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { resourceType: string; entry: Array<{ resource: { resourceType: string; id: string; identifier?: Array<{ value: string }> } }> };
    expect(bundle.resourceType).toBe('Bundle');
    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    expect([patient.id, patient.identifier![0].value]).toEqual([personId, expect.stringMatching(/\*{8}/)]);
    const importedObservations = bundle.entry.filter((e) => e.resource.resourceType === 'Observation' && e.resource.id.startsWith('imp.'));
    expect(importedObservations).toHaveLength(report.imported.readings);
  });

  it('in English: Outside records (imported), not mapped', async () => {
    const page = await (await b.newContext({ lang: 'en-US' })).newPage();
    const section = await openChart(page);
    await expectText(section.locator('.ant-card-head-title'), 'Outside records (imported)');
    await expectText(section.getByTestId('not-mapped'), 'not mapped');
    await expectNoOverflow(page, 'chart with outside records, English');
    await section.scrollIntoViewIfNeeded();
    await shot(page, 'chart-imported-en');
  });
});
