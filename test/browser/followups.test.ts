// Health management in Chromium: the family doctor opens the follow-up worklist (five lists with
// counts, overdue days shown, CSV export), opens a patient's chart from it, records a visit — an
// impossible systolic is refused at its field, 150/95 is classified 控制不满意 with a recheck within
// two weeks — and sees it in the chart with the BP trend drawn; a danger sign ticked (胸闷) gives an urgent
// referral that names it; the doctor also reaches the demo patient's chart from person search and records
// a visit there, which the patient then sees as their next follow-up on their own page.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

const TODAY = '2026-06-15';
const TWO_WEEKS = '2026-06-29';

interface WorklistPage {
  total: number;
  items: Array<{ person: { id: string }; diseases: string[]; daysOverdue: number }>;
}

/** The form item (label, control, error) that holds the control with this test id. */
const formItem = (scope: Locator, testId: string) => scope.locator('.ant-form-item').filter({ has: scope.page().getByTestId(testId) });

/** Covers hypertension only, so that 150/95 alone decides the classification. */
async function hypertensionOnly(drawer: Locator) {
  const htn = drawer.getByTestId('visit-disease-hypertension'); // antd puts the test id on the <input>
  const dm = drawer.getByTestId('visit-disease-diabetes');
  if (!(await htn.isChecked())) await htn.check();
  if (await dm.isChecked()) await dm.uncheck();
}

async function recordBp(page: Page, systolic: number, diastolic: number) {
  const drawer = page.getByTestId('visit-drawer');
  await drawer.getByTestId('visit-systolic').fill(String(systolic));
  await drawer.getByTestId('visit-diastolic').fill(String(diastolic));
  await drawer.getByTestId('visit-heart-rate').fill('76');
  await page.getByTestId('visit-submit').click();
}

describeBrowser('follow-up worklist, visit form and chart (browser)', () => {
  let b: BrowserApp;
  let doctor: Page;
  let cookie: string;
  let personId: string;
  let nextDate: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    cookie = await b.t.login('doctor');
    doctor = await (await b.newContext()).newPage();
    await signIn(doctor, 'doctor');
  });
  afterAll(() => b?.close());

  const worklist = async (list: string, limit = 200) =>
    (await b.t.app.inject({ url: `/api/team/worklist?list=${list}&limit=${limit}`, headers: { cookie } })).json() as WorklistPage;

  it('doctor opens the worklist: five lists with counts, the overdue most overdue first, CSV export', async () => {
    const overdue = await worklist('overdue');
    expect(overdue.total).toBeGreaterThan(0);
    await doctor.goto('/follow-ups');
    for (const list of ['due_this_week', 'overdue', 'referral_pending', 'uncontrolled', 'not_seen_this_quarter'])
      await doctor.getByTestId(`worklist-tab-${list}`).waitFor();
    const total = (await worklist('due_this_week', 1)).total;
    await expectText(doctor.getByTestId('worklist-count-due_this_week'), String(total));
    await expectText(doctor.getByTestId('worklist-count-overdue'), String(overdue.total));

    await doctor.getByTestId('worklist-tab-overdue').click();
    await expect.poll(() => doctor.url()).toContain('list=overdue');
    const rows = doctor.getByTestId('worklist-row');
    // the overdue list replaces the first one: wait for its rows, not the ones it replaces
    await expect.poll(() => rows.count()).toBe(Math.min(20, overdue.total));
    const days = (await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-days-overdue'))))) as number[];
    expect(days.length).toBe(Math.min(20, overdue.total));
    expect(days.every((d) => d > 0)).toBe(true);
    expect(days).toEqual([...days].sort((x, y) => y - x)); // most overdue first
    await expectText(rows.first().getByTestId('days-overdue'), `逾期 ${days[0]} 天`);
    await shot(doctor, 'followup-worklist');

    const exportLink = doctor.getByTestId('worklist-export');
    expect(await exportLink.getAttribute('href')).toBe('/api/team/worklist.csv?list=overdue');
    const [download] = await Promise.all([doctor.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toBe('worklist-overdue.csv');
  });

  it('a click on a patient opens their chart with the BP trend', async () => {
    const row = doctor.locator('[data-testid="worklist-row"][data-diseases~="hypertension"]').first();
    personId = (await row.getAttribute('data-person-id'))!;
    await row.getByTestId('worklist-patient').click();
    await expect.poll(() => doctor.url()).toContain(`/follow-ups/patients/${personId}`);
    await doctor.getByTestId('chart-header').waitFor();
    await doctor.getByTestId('management-card').waitFor();
    // an overdue patient is flagged as such
    await doctor.locator('[data-testid="risk-flag"][data-flag="overdue"]').waitFor();
  });

  it('records a visit: systolic 300 is refused at its field; 150/95 is 控制不满意 with a recheck within 2 weeks', async () => {
    await doctor.getByTestId('chart-record-visit').click();
    const drawer = doctor.getByTestId('visit-drawer');
    await drawer.getByTestId('visit-form').waitFor();
    await hypertensionOnly(drawer);
    expect(await drawer.getByTestId('visit-date').inputValue()).toBe(TODAY);
    await drawer.getByTestId('visit-weight').fill('68.5');
    await drawer.getByTestId('visit-height').fill('165');
    await expectText(drawer.getByTestId('visit-bmi'), /25\.2/);

    await recordBp(doctor, 300, 95);
    await expectText(formItem(drawer, 'visit-systolic').locator('.ant-form-item-explain-error'), /260/);
    expect(await formItem(drawer, 'visit-diastolic').locator('.ant-form-item-explain-error').count()).toBe(0);
    await shot(doctor, 'followup-field-error');

    await recordBp(doctor, 150, 95);
    const result = drawer.getByTestId('visit-result');
    await result.waitFor();
    expect(await result.getAttribute('data-classification')).toBe('unsatisfactory');
    await expectText(result.getByTestId('classification'), '控制不满意');
    nextDate = (await result.getAttribute('data-next-date'))!;
    expect(nextDate > TODAY && nextDate <= TWO_WEEKS).toBe(true);
    await expectText(result.getByTestId('next-visit-date'), nextDate);
    await shot(doctor, 'followup-result');
    await doctor.getByTestId('visit-done').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('the chart shows the new visit, the next date and the trend canvas', async () => {
    const first = doctor.getByTestId('visit-row').first();
    await expect.poll(() => first.getAttribute('data-visit-date')).toBe(TODAY);
    await expectText(first.getByTestId('visit-bp'), '150/95');
    await expectText(doctor.getByTestId('chart-next-date'), nextDate);
    await expect.poll(() => doctor.getByTestId('bp-chart').locator('canvas').count()).toBeGreaterThan(0);
    expect(Number(await doctor.getByTestId('bp-chart').getAttribute('data-points'))).toBeGreaterThan(0);
    // the visit is no longer overdue
    expect(await doctor.locator('[data-testid="risk-flag"][data-flag="overdue"]').count()).toBe(0);
    await shot(doctor, 'followup-chart');
  });

  it('records the annual health check from the chart', async () => {
    const before = (await b.t.app.inject({ url: `/api/people/${personId}/chart`, headers: { cookie } })).json().healthChecks.length as number;
    await doctor.getByTestId('chart-health-check').click();
    const drawer = doctor.getByTestId('check-drawer');
    await drawer.getByTestId('check-systolic').fill('138');
    await drawer.getByTestId('check-diastolic').fill('84');
    await doctor.getByTestId('check-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await doctor.getByTestId('tab-checks').click();
    await expect.poll(() => doctor.getByTestId('check-row').count()).toBe(before + 1);
    await expectText(doctor.getByTestId('check-row').first(), /2026-06-15\s+138\/84/);
    await expect.poll(() => doctor.locator('[data-testid="management"][data-disease="hypertension"]').innerText()).toMatch(/已完成/);
  });

  it('a danger sign ticked on the form → urgent referral, the sign named in the result and the chart', async () => {
    await doctor.getByTestId('chart-record-visit').click();
    const drawer = doctor.getByTestId('visit-drawer');
    await drawer.getByTestId('visit-form').waitFor();
    await hypertensionOnly(drawer);
    // the hypertension form lists the hypertension signs, not the diabetes-only ones
    await drawer.getByTestId('visit-urgent-sign-chest_tightness').waitFor();
    expect(await drawer.getByTestId('visit-urgent-sign-ketone_breath').count()).toBe(0);
    await drawer.getByTestId('visit-urgent-sign-chest_tightness').check();
    await recordBp(doctor, 130, 80);
    const result = drawer.getByTestId('visit-result');
    await result.waitFor();
    expect(await result.getByTestId('followup-action').first().getAttribute('data-action')).toBe('urgent_referral');
    await expectText(result.getByTestId('followup-action').first(), '紧急转诊');
    await expectText(result.locator('[data-code="URGENT_SIGNS"]'), /胸闷/);
    expect(await result.getAttribute('data-next-date')).toBe(TWO_WEEKS);
    await shot(doctor, 'followup-urgent-sign');
    await doctor.getByTestId('visit-done').click();
    await drawer.waitFor({ state: 'hidden' });
    // the visit's whole form, opened from the chart, names the sign too
    await doctor.getByTestId('tab-visits').click();
    await doctor.getByTestId('visit-row').first().click();
    await expectText(doctor.getByTestId('visit-detail').first(), /危急情况\s*胸闷/);
  });

  it("the doctor reaches the demo patient's chart from person search; the patient sees the next visit", async () => {
    const demo = await b.t.database.db
      .selectFrom('app_user as u')
      .innerJoin('person as p', 'p.id', 'u.person_id')
      .select(['p.id', 'p.name'])
      .where('u.username', '=', 'patient')
      .executeTakeFirstOrThrow();
    await doctor.goto(`/people?q=${encodeURIComponent(demo.name)}&person=${demo.id}`);
    await doctor.getByTestId('patient-card-chart').click();
    await expect.poll(() => doctor.url()).toContain(`/follow-ups/patients/${demo.id}`);
    await doctor.getByTestId('chart-record-visit').click();
    const drawer = doctor.getByTestId('visit-drawer');
    await drawer.getByTestId('visit-form').waitFor();
    await hypertensionOnly(drawer);
    await recordBp(doctor, 150, 95);
    const result = drawer.getByTestId('visit-result');
    await result.waitFor();
    const due = (await result.getAttribute('data-next-date'))!;
    expect(due > TODAY && due <= TWO_WEEKS).toBe(true);
    await doctor.getByTestId('visit-done').click();

    const patient = await (await b.newContext()).newPage();
    await signIn(patient, 'patient');
    await patient.goto('/me');
    await expectText(patient.getByTestId('my-next-date'), due);
    await expect.poll(() => patient.getByTestId('my-visit-row').first().getAttribute('data-visit-date')).toBe(TODAY);
    await expect.poll(() => patient.getByTestId('bp-chart').locator('canvas').count()).toBeGreaterThan(0);
    await shot(patient, 'followup-patient');
  });
});
