// Issue 4 in Chromium, as the doctor, the reviewer and the patient: the doctor signs a diagnosed,
// unsigned resident and files a registration (a server-side rule's error shown at its field,
// then corrected); the reviewer returns it with a reason; the doctor sees the reason, fixes and
// resubmits; the reviewer approves and the benefit applies; a medication change is approved in a
// batch after the reviewer has seen its before → after; a revocation ends the benefit from its
// effective date; the patient sees their contract.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newResident } from '../helpers/people';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

const NAME = '浏览器测甲';
const RETURN_REASON = '第三次血压测量日期与门诊记录不符，请核对后重新提交';

/**
 * Types a date into an antd DatePicker and commits it: Enter, or Tab where Enter would also submit
 * a form with a single field (the decision modal).
 */
async function pickDate(_page: Page, input: ReturnType<Page['locator']>, date: string, commit: 'Enter' | 'Tab' = 'Enter') {
  await input.click();
  await input.fill(date);
  await input.press(commit);
}

describeBrowser('contract and registration chain (browser)', () => {
  let b: BrowserApp;
  let doctor: Page;
  let reviewer: Page;
  let personId: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    const cookie = await b.t.login('doctor');
    const town = (await b.t.app.inject({ url: '/api/teams/mine', headers: { cookie } })).json().region.code as string;
    personId = (await newResident(b.t.database.db, { regionCode: town, diseases: ['hypertension'], name: NAME })).id;
    doctor = await (await b.newContext()).newPage();
    reviewer = await (await b.newContext()).newPage();
    await Promise.all([signIn(doctor, 'doctor'), signIn(reviewer, 'reviewer')]);
  });
  afterAll(() => b?.close());

  const row = (page: Page) => page.locator(`[data-testid="team-patient-row"][data-person-id="${personId}"]`);

  it('doctor signs the diagnosed resident from the to-sign list', async () => {
    await doctor.goto(`/contracts?list=unsigned&q=${encodeURIComponent(NAME)}`);
    await doctor.getByTestId('team-card').getByTestId('team-member').first().waitFor();
    await row(doctor).getByTestId('action-sign').click();
    const modal = doctor.getByTestId('sign-contract-modal');
    await modal.getByTestId('package-basic').waitFor();
    // basic is mandatory, the hypertension package is suggested by the diagnosis
    expect(await modal.getByTestId('package-basic').locator('input').isChecked()).toBe(true);
    expect(await modal.getByTestId('package-hypertension').locator('input').isChecked()).toBe(true);
    expect(await modal.getByTestId('signer-name').inputValue()).toBe(NAME);
    await shot(doctor, 'sign-modal');
    await doctor.getByTestId('contract-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => row(doctor).count()).toBe(0); // no longer to sign

    await doctor.goto(`/contracts?list=contracted&q=${encodeURIComponent(NAME)}`);
    await expectText(row(doctor).getByTestId('registration-tag'), /高血压\s*未登记/);
    expect(await row(doctor).innerText()).toContain('2026-06-15 ~ 2027-06-14');
  });

  it('doctor files a registration; a server rule shows at its field until it is met', async () => {
    await row(doctor).getByTestId('action-register').click();
    const drawer = doctor.getByTestId('filing-drawer');
    const card = drawer.getByTestId('disease-card-hypertension');
    await card.waitFor();
    await pickDate(doctor, card.getByTestId('diagnosed-on'), '2026-06-12');
    const readings: Array<[string, number, number]> = [
      ['2026-06-01', 152, 94],
      ['2026-06-05', 148, 92],
      ['2026-06-10', 132, 84], // not raised: only two raised days
    ];
    const rows = card.getByTestId('bp-reading-row');
    for (const [i, [date, sys, dia]] of readings.entries()) {
      await pickDate(doctor, rows.nth(i).getByTestId('reading-date'), date);
      await rows.nth(i).getByTestId('reading-systolic').fill(String(sys));
      await rows.nth(i).getByTestId('reading-diastolic').fill(String(dia));
    }
    const line = drawer.getByTestId('prescription-line').first();
    await line.getByTestId('rx-drug').click();
    await doctor.keyboard.type('氨氯地平');
    await doctor.locator('.ant-select-item-option', { hasText: '苯磺酸氨氯地平片' }).first().click();
    expect(await line.getByTestId('rx-dose').inputValue()).toBe('1片');
    await line.getByTestId('rx-dose').fill('5mg');

    await doctor.getByTestId('filing-submit').click();
    // the server's rule (three raised days) is shown with the readings it names
    await expectText(card.getByTestId('bp-readings').locator('.ant-form-item-explain-error'), /3/);
    await shot(doctor, 'filing-error');

    await rows.nth(2).getByTestId('reading-systolic').fill('150');
    await rows.nth(2).getByTestId('reading-diastolic').fill('96');
    await doctor.getByTestId('filing-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expectText(row(doctor).getByTestId('registration-tag'), /高血压\s*待审核/);
  });

  it('reviewer finds it in the queue and returns it with a reason', async () => {
    await reviewer.goto(`/review-queue?q=${encodeURIComponent(NAME)}`);
    const item = reviewer.locator(`[data-testid="queue-row"][data-person-name="${NAME}"]`);
    await item.getByTestId('queue-person-link').click();
    const detail = reviewer.getByTestId('filing-detail');
    await detail.waitFor();
    // the basis and the prescription as filed
    await expect.poll(() => detail.getByTestId('basis-readings').locator('tbody tr').count()).toBe(3);
    await expectText(detail.getByTestId('after-prescription').locator('tbody tr').first(), /苯磺酸氨氯地平片/);
    await shot(reviewer, 'review-detail');
    await reviewer.getByTestId('review-return').click();
    await reviewer.getByTestId('return-reason').fill(RETURN_REASON);
    await reviewer.getByTestId('decision-submit').click();
    await reviewer.getByTestId('review-drawer').waitFor({ state: 'hidden' });
    await expect.poll(() => item.count()).toBe(0);
  });

  it('doctor sees the reason, fixes the filing and resubmits it', async () => {
    await doctor.goto('/registrations?status=returned');
    const filingRow = doctor.locator('[data-testid="filing-row"]', { hasText: NAME });
    await expectText(filingRow.getByTestId('decision-reason'), RETURN_REASON);
    await filingRow.getByTestId('filing-fix').click();
    const drawer = doctor.getByTestId('filing-drawer');
    await expectText(drawer.getByTestId('returned-reason').locator('.ant-alert-description'), RETURN_REASON);
    // the filed content is there to correct: move the third reading to the clinic's date
    const third = drawer.getByTestId('bp-reading-row').nth(2);
    expect(await third.getByTestId('reading-systolic').inputValue()).toBe('150');
    await pickDate(doctor, third.getByTestId('reading-date'), '2026-06-09');
    await shot(doctor, 'filing-fix');
    await doctor.getByTestId('filing-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(() => filingRow.count()).toBe(0);
  });

  it('reviewer approves it from the day given, and the history is complete', async () => {
    await reviewer.goto(`/review-queue?q=${encodeURIComponent(NAME)}`);
    await reviewer.locator(`[data-testid="queue-row"][data-person-name="${NAME}"]`).getByTestId('queue-person-link').click();
    const detail = reviewer.getByTestId('filing-detail');
    await expectText(detail.getByTestId('basis-readings').locator('tbody tr').nth(2), /2026-06-09/);
    await reviewer.getByTestId('review-approve').click();
    expect(await reviewer.getByTestId('effective-date').inputValue()).toBe('2026-06-15');
    await reviewer.getByTestId('decision-submit').click();
    await reviewer.getByTestId('review-drawer').waitFor({ state: 'hidden' });

    await reviewer.goto(`/review-queue?status=approved&q=${encodeURIComponent(NAME)}`);
    await reviewer.locator(`[data-testid="queue-row"][data-person-name="${NAME}"]`).getByTestId('queue-person-link').click();
    await expectText(reviewer.getByTestId('filing-effective-date'), /2026-06-15/);
    const events = reviewer.getByTestId('filing-event');
    await expect.poll(async () => (await events.evaluateAll((els) => els.map((e) => e.getAttribute('data-to'))))).toEqual([
      'submitted',
      'returned',
      'submitted',
      'approved',
    ]);
    await shot(reviewer, 'review-approved');
  });

  it('the benefit applies from the effective date, as the doctor sees it', async () => {
    await doctor.goto(`/contracts?list=contracted&q=${encodeURIComponent(NAME)}`);
    await expectText(row(doctor).getByTestId('registration-tag'), /高血压\s*已确认/);
    await row(doctor).getByTestId('action-history').click();
    const drawer = doctor.getByTestId('history-drawer');
    await drawer.getByTestId('contract-event').first().waitFor();
    await drawer.getByRole('tab', { name: '待遇资格' }).click();
    const benefit = drawer.locator('[data-testid="benefit"][data-disease="hypertension"]');
    await expect.poll(() => benefit.getAttribute('data-applies')).toBe('true');
    await expect.poll(() => drawer.getByTestId('eligibility-prescription').locator('tbody tr').count()).toBe(1);
    // the day before it was confirmed, it did not apply yet
    await pickDate(doctor, drawer.getByTestId('eligibility-date'), '2026-06-14');
    await expect.poll(() => benefit.getAttribute('data-applies')).toBe('false');
    await shot(doctor, 'history-eligibility');
  });

  it('doctor files a medication change; the reviewer sees before → after and approves it in a batch', async () => {
    await doctor.goto(`/contracts?list=contracted&q=${encodeURIComponent(NAME)}`);
    await row(doctor).getByTestId('action-change').click();
    const drawer = doctor.getByTestId('filing-drawer');
    await drawer.getByTestId('change-reason-medication_change').click();
    // the change starts from the prescription in force
    const line = drawer.getByTestId('prescription-line');
    await expect.poll(() => line.count()).toBe(1);
    expect(await line.getByTestId('rx-dose').inputValue()).toBe('5mg');
    await line.getByTestId('rx-days').fill('60');
    await doctor.getByTestId('filing-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expectText(row(doctor).getByTestId('registration-tag'), /高血压\s*待审核/);

    await reviewer.goto(`/review-queue?q=${encodeURIComponent(NAME)}`);
    const item = reviewer.locator(`[data-testid="queue-row"][data-person-name="${NAME}"]`);
    await expectText(item.getByTestId('filing-kind'), /变更登记.*用药调整/);
    await item.getByTestId('queue-person-link').click();
    const rx = reviewer.getByTestId('filing-detail').getByTestId('after-prescription');
    await expectText(rx.locator('tr.row-added'), /60 天/);
    await expectText(rx.locator('tr.row-struck'), /30 天/);
    await shot(reviewer, 'review-change');
    await reviewer.getByTestId('review-drawer').locator('.ant-drawer-close').click();
    await reviewer.getByTestId('review-drawer').waitFor({ state: 'hidden' });
    await item.locator('input[type="checkbox"]').check();
    await reviewer.getByTestId('batch-approve').click();
    await pickDate(reviewer, reviewer.getByTestId('effective-date'), '2026-06-20', 'Tab');
    await reviewer.getByTestId('decision-submit').click();
    await expect.poll(() => item.count()).toBe(0);
  });

  it('doctor files a revocation; the reviewer approves it from a later date', async () => {
    await doctor.goto(`/contracts?list=contracted&q=${encodeURIComponent(NAME)}`);
    await expectText(row(doctor).getByTestId('registration-tag'), /高血压\s*已确认/);
    await row(doctor).getByTestId('action-more').click();
    await doctor.locator('[data-testid="action-revoke"]:visible').click();
    const drawer = doctor.getByTestId('filing-drawer');
    await drawer.getByTestId('revocation-reason').click();
    await doctor.locator('.ant-select-item-option', { hasText: '迁出本统筹区' }).click();
    await doctor.getByTestId('filing-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    await reviewer.goto(`/review-queue?q=${encodeURIComponent(NAME)}`);
    await reviewer.locator(`[data-testid="queue-row"][data-person-name="${NAME}"]`).getByTestId('queue-person-link').click();
    await expectText(reviewer.getByTestId('filing-detail').getByTestId('filing-kind'), /撤销登记.*迁出本统筹区/);
    await reviewer.getByTestId('review-approve').click();
    await pickDate(reviewer, reviewer.getByTestId('effective-date'), '2026-07-01', 'Tab');
    await reviewer.getByTestId('decision-submit').click();
    await reviewer.getByTestId('review-drawer').waitFor({ state: 'hidden' });
  });

  it('the eligibility answer follows the change and the revocation by date', async () => {
    await doctor.goto(`/contracts?list=contracted&q=${encodeURIComponent(NAME)}`);
    await row(doctor).getByTestId('action-history').click();
    const history = doctor.getByTestId('history-drawer');
    await history.getByRole('tab', { name: '待遇资格' }).click();
    const benefit = history.locator('[data-testid="benefit"][data-disease="hypertension"]');
    const day = history.getByTestId('eligibility-date');
    await pickDate(doctor, day, '2026-06-25'); // after the change: the 60-day prescription
    await expect.poll(() => benefit.getAttribute('data-applies')).toBe('true');
    await expectText(history.getByTestId('eligibility-prescription').locator('tbody tr'), /60 天/);
    await pickDate(doctor, day, '2026-07-02'); // after the revocation
    await expect.poll(() => benefit.getAttribute('data-reason')).toBe('registration_ended');
    await shot(doctor, 'revoked-eligibility');
  });

  it('the patient sees their contract and registration status', async () => {
    const patient = await (await b.newContext()).newPage();
    await signIn(patient, 'patient');
    await patient.goto('/my-contract');
    await patient.getByTestId('eligibility-panel').getByTestId('benefit').first().waitFor();
    const contracts = (await b.t.app.inject({ url: '/api/people/me/contracts', headers: { cookie: await b.t.login('patient') } })).json() as Array<{ inForce: boolean; team: { name: string } }>;
    const current = contracts.find((c) => c.inForce);
    if (current) {
      await expectText(patient.getByTestId('my-contract-team'), current.team.name);
      // the whole team, not just the doctor: at least the "3" of 3+X
      await patient.getByTestId('my-team-member').nth(2).waitFor();
    } else await patient.getByTestId('my-contract-none').waitFor();
    await shot(patient, 'patient-contract');
  });
});
