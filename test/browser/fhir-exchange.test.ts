// The administrators' FHIR 数据交换 screen in Chromium at 1440×900. As the system administrator: a Synthea
// bundle (../shared/data/synthea-r4) picked through the file input matches nobody (no resident ID, and the id
// map is the CLI's); a small bundle whose Patient carries a demo person's resident ID and one blood-pressure
// panel imports 1 reading, and again changes nothing; a broken bundle shows the OperationOutcome's issues and
// writes nothing. Then a county's bulk export runs to completion, its file list matches the manifest the API
// answers, a file downloads with the session, and the export is deleted with its files. The server's data dir
// is a temporary one, so no export lands in the repository. An institution's administrator sees the import
// only; the screen in English.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { type BrowserApp, describeBrowser, expectNoOverflow, expectText, shot, signIn, startBrowserApp } from './browser';

const SYNTHEA = 'Giuseppe_Cremin_9a76b57c-b454-47e4-ad4c-e09805a5b864.json'; // under POST /fhir's 1 MiB body limit
const SYNTHEA_FILE = new URL(`../../../shared/data/synthea-r4/${SYNTHEA}`, import.meta.url).pathname;
const RESIDENT_ID = 'urn:oid:2.16.156.10011.1.3';
const LOINC = 'http://loinc.org';

const bloodPressure = (id: string, systolic: number, diastolic: number) => ({
  fullUrl: `urn:uuid:${id}`,
  resource: {
    resourceType: 'Observation', id, status: 'final', subject: { reference: 'urn:uuid:web-p1' }, effectiveDateTime: '2026-06-01',
    code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }] },
    component: [
      { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: systolic, unit: 'mm[Hg]' } },
      { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: diastolic, unit: 'mm[Hg]' } },
    ],
  },
  request: { method: 'POST', url: 'Observation' },
});

/** A demo person by resident ID, under another name than the roster's; one blood-pressure panel, and one beyond the form's limits (reported, not stored). */
const bpBundle = (idNumber: string) => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    { fullUrl: 'urn:uuid:web-p1', resource: { resourceType: 'Patient', id: 'web-p1', name: [{ family: '测', given: ['试'] }], identifier: [{ system: RESIDENT_ID, value: idNumber }] }, request: { method: 'POST', url: 'Patient' } },
    bloodPressure('web-bp1', 142, 88),
    bloodPressure('web-bp2', 300, 88),
  ],
});

/** Faults that refuse a bundle: an entry without a resource, an Observation whose subject is no Patient of the bundle. */
const BROKEN = {
  resourceType: 'Bundle',
  type: 'batch',
  entry: [
    { request: { method: 'POST', url: 'Patient' } },
    { fullUrl: 'urn:uuid:o', resource: { resourceType: 'Observation', id: 'lost', status: 'final', subject: { reference: 'Patient/nobody' }, code: { coding: [{ system: LOINC, code: '8867-4' }] }, valueQuantity: { value: 70, unit: '/min' } }, request: { method: 'POST', url: 'Observation' } },
  ],
};

const asFile = (name: string, content: string | object) => ({ name, mimeType: 'application/fhir+json', buffer: Buffer.from(typeof content === 'string' ? content : JSON.stringify(content), 'utf8') });

describeBrowser('FHIR data exchange (browser)', () => {
  let b: BrowserApp;
  let dataDir: string;
  let person: { id: string; id_number: string; name: string };
  let county: { code: string; name: string; persons: number };
  let admin: Page;

  beforeAll(async () => {
    b = await startBrowserApp();
    // the export's files go under the data dir: a temporary one, read by the server at each export
    dataDir = mkdtempSync(join(tmpdir(), 'manbing-fhir-web-'));
    b.t.ctx.config = { ...b.t.ctx.config, MANBING_DATA_DIR: dataDir };
    const db = b.t.ctx.db;
    person = await db.selectFrom('person').select(['id', 'id_number', 'name']).orderBy('id').limit(1).executeTakeFirstOrThrow();
    // the county with the fewest insured persons (but some), so the export is quick
    const smallest = (await sql<{ code: string; name: string; n: string }>`
      select r.code, r.name, count(*) as n from region r join person p on p.region_code like r.code || '%'
      where r.level = 'county' group by r.code, r.name order by count(*), r.code limit 1`.execute(db)).rows[0];
    county = { code: smallest.code, name: smallest.name, persons: Number(smallest.n) };
    admin = await (await b.newContext()).newPage();
    admin.on('pageerror', (e) => console.error('[pageerror]', e.message));
    await signIn(admin, 'admin');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const importFile = async (page: Page, file: ReturnType<typeof asFile>) => {
    const card = page.getByTestId('fhir-import-card');
    if (await card.getByTestId('fhir-import-another').count()) await card.getByTestId('fhir-import-another').click();
    await card.locator('input[type=file]').setInputFiles(file);
    return card;
  };

  it('imports a bundle through the file input: a Synthea bundle matches nobody, a resident ID 1 reading; a broken one shows its OperationOutcome', async () => {
    await admin.goto('/admin');
    await admin.getByTestId('admin-card-fhir').click();
    await admin.getByTestId('fhir-page').waitFor();
    await expectText(admin.locator('.ant-menu-item-selected'), 'FHIR 数据交换'); // the menu's entry under 系统管理
    await expectText(admin.getByTestId('fhir-matching'), /urn:oid:2\.16\.156\.10011\.1\.3.*manbing import fhir --id-map/);

    // a Synthea bundle: its Patient has no resident ID, so without the CLI's id map it matches nobody and nothing is written
    const synthea = JSON.parse(readFileSync(SYNTHEA_FILE, 'utf8')) as { entry: Array<{ resource: { resourceType: string } }> };
    let card = await importFile(admin, asFile(SYNTHEA, readFileSync(SYNTHEA_FILE, 'utf8')));
    await card.getByTestId('fhir-report').waitFor({ timeout: 60_000 });
    await expectText(card.getByTestId('fhir-total-unmatched').locator('.ant-statistic-content'), '1');
    await expectText(card.getByTestId('fhir-patient-row').first(), /未匹配名单/);
    await expectText(card.getByTestId('fhir-totals-imported'), /诊断 0\s*读数 0\s*用药 0/);
    const observations = synthea.entry.filter((e) => e.resource.resourceType === 'Observation').length;
    expect(await card.locator('[data-testid="fhir-read-type"][data-type="Observation"]').innerText()).toBe(`Observation ${observations}`);
    await expectNoOverflow(admin, 'Synthea report');
    await shot(admin, 'fhir-import-synthea');

    // a Patient with a demo person's resident ID and one blood-pressure panel: 1 reading imported
    card = await importFile(admin, asFile('bp.json', bpBundle(person.id_number)));
    await card.getByTestId('fhir-report').waitFor();
    await expectText(card.getByTestId('fhir-totals-imported'), /读数 1/);
    const row = card.getByTestId('fhir-patient-row');
    expect(await row.count()).toBe(1);
    await expectText(row, /web-p1/);
    await expectText(row, /身份证号/);
    await expectText(row.getByTestId('fhir-patient-imported'), /诊断 0\s*读数 1\s*用药 0/);
    expect(await row.locator('.mono').innerText()).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    // the roster's name stays, the difference is shown; the implausible panel is skipped with the server's reason
    await expectText(row.getByTestId('fhir-difference'), new RegExp(`姓名：名单 ${person.name}，来源 测试`));
    await expectText(row.getByTestId('fhir-skipped').locator('summary'), '未导入 1 条');
    await row.getByTestId('fhir-skipped').locator('summary').click();
    const stored = await b.t.ctx.db.selectFrom('imported_reading').select(['kind', 'value', 'value2']).where('person_id', '=', person.id).where('source_id', '=', 'web-bp1').execute();
    expect(stored).toHaveLength(1);
    await expectNoOverflow(admin, 'import report');
    await shot(admin, 'fhir-import');

    // the same bundle again: already there, nothing new
    card = await importFile(admin, asFile('bp.json', bpBundle(person.id_number)));
    await card.getByTestId('fhir-report').waitFor();
    await expectText(card.getByTestId('fhir-patient-unchanged'), /读数 1/);
    await expectText(card.getByTestId('fhir-totals-imported'), /读数 0/);

    // a broken bundle: refused with an issue per fault, naming the entry; nothing written
    card = await importFile(admin, asFile('broken.json', BROKEN));
    const refused = card.getByTestId('fhir-refused');
    await refused.waitFor();
    await expectText(refused, /Bundle 被拒绝，未写入任何数据/);
    await expect.poll(() => refused.getByTestId('fhir-issue').count()).toBe(2);
    await expectText(refused.getByTestId('fhir-issue').nth(0), /第 1 条（Bundle\.entry\[0\]）.*entry without a resource/);
    await expectText(refused.getByTestId('fhir-issue').nth(1), /第 2 条（Bundle\.entry\[1\]）.*refers to no Patient/);
    expect(await b.t.ctx.db.selectFrom('imported_reading').select('source_id').where('source_id', '=', 'lost').execute()).toEqual([]);
    await expectNoOverflow(admin, 'refused bundle');
    await shot(admin, 'fhir-import-refused');

    // a file that is not JSON: the server's refusal too
    card = await importFile(admin, asFile('notes.json', '{"resourceType": "Bundle",'));
    await expectText(card.getByTestId('fhir-issue'), /整个 Bundle.*not JSON/);
  }, 180_000);

  it('exports a county: running, then its files as the manifest lists them, downloaded with the session, then deleted', async () => {
    expect(county.persons).toBeGreaterThan(0);
    await admin.goto('/admin/fhir');
    const card = admin.getByTestId('fhir-export-card');
    await card.waitFor();
    await card.getByTestId('fhir-export-region').click();
    await admin.keyboard.type(county.code);
    await admin.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: `（${county.code}）` }).first().click();
    await card.getByTestId('fhir-export-start').click();
    const row = card.getByTestId('fhir-export-row').first();
    await row.waitFor();
    const id = (await row.getAttribute('data-id'))!;
    // while it runs (when the first answer comes before it ends): the persons written so far
    if ((await row.getAttribute('data-status')) === 'running') {
      await expectText(row.getByTestId('fhir-export-status'), '导出中');
      await shot(admin, 'fhir-export-running');
    }
    // running (persons written so far) until the poll sees it completed
    await expect.poll(async () => row.getAttribute('data-status'), { timeout: 240_000, interval: 500 }).toBe('completed');
    await expectText(row, new RegExp(county.name));
    const manifest = (await (await admin.request.get(`/fhir/$export-status/${id}`)).json()) as { output: Array<{ type: string; url: string; count: number }> };
    expect(manifest.output.length).toBeGreaterThan(0);
    const files = row.getByTestId('fhir-export-file');
    await expect.poll(() => files.count()).toBe(manifest.output.length);
    const shown = await files.evaluateAll((links) => links.map((a) => ({ type: a.getAttribute('data-type'), count: Number(a.getAttribute('data-count')), text: (a as HTMLElement).innerText.trim(), href: a.getAttribute('href') })));
    expect(shown.map((f) => [f.type, f.count])).toEqual(manifest.output.map((o) => [o.type, o.count]));
    for (const f of shown) expect(f.text).toBe(`${f.type}（${f.count.toLocaleString('zh-CN')} 条）`);
    expect(shown.map((f) => f.href)).toEqual(manifest.output.map((o) => new URL(o.url).pathname));
    const patients = manifest.output.find((o) => o.type === 'Patient')!;
    expect(patients.count).toBe(county.persons);
    const ndjson = await admin.request.get(shown.find((f) => f.type === 'Patient')!.href!);
    expect(ndjson.status()).toBe(200);
    expect((await ndjson.text()).split('\n').filter(Boolean)).toHaveLength(patients.count);
    expect(existsSync(join(dataDir, 'fhir-exports', id))).toBe(true);
    await expectNoOverflow(admin, 'export');
    await card.scrollIntoViewIfNeeded();
    await shot(admin, 'fhir-export');

    // delete, behind a confirmation: the record and the files go
    await row.getByTestId('fhir-export-delete').click();
    await admin.getByTestId('fhir-export-delete-ok').click();
    await expect.poll(() => card.locator(`[data-testid="fhir-export-row"][data-id="${id}"]`).count()).toBe(0);
    expect((await admin.request.get(`/fhir/$export-status/${id}`)).status()).toBe(404);
    expect(existsSync(join(dataDir, 'fhir-exports', id))).toBe(false);
  }, 300_000);

  it('an institution administrator imports for its own patients, and has no export', async () => {
    const db = b.t.ctx.db;
    const inst = await db.selectFrom('institution').select('id').where('level', '=', 'grassroots').orderBy('code').limit(1).executeTakeFirstOrThrow();
    await db.insertInto('app_user').values({ username: 'fhir-inst-admin', display_name: '机构管理员', role: 'institution_admin', institution_id: inst.id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true }).execute();
    const page = await (await b.newContext()).newPage();
    await signIn(page, 'fhir-inst-admin');
    await page.goto('/admin');
    await page.getByTestId('admin-card-fhir').click();
    await page.getByTestId('fhir-import-card').waitFor();
    await expectText(page.getByTestId('fhir-import-card'), /机构管理员只导入本机构患者的数据/);
    expect(await page.getByTestId('fhir-export-card').count()).toBe(0);
    await expectNoOverflow(page, 'institution administrator');
  });

  it('in English', async () => {
    const page = await (await b.newContext({ lang: 'en-US' })).newPage();
    await signIn(page, 'admin');
    await page.goto('/admin/fhir');
    await expectText(page.locator('.ant-menu-item-selected'), 'FHIR exchange');
    await expectText(page.getByTestId('fhir-import-card').locator('.ant-card-head-title'), 'Import');
    await expectText(page.getByTestId('fhir-export-card').locator('.ant-card-head-title'), 'Export');
    await expectText(page.getByTestId('fhir-export-card'), /No exports yet/);
    await expectNoOverflow(page, 'English');
    await shot(page, 'fhir-en');
  });
});
