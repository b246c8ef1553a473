// Issue 14 in Chromium, the doctor's and the patient's prescription screens: the doctor writes a long
// prescription (长处方) for a registered patient of the team from the chart — the policy's longest supply
// and the stable-reason rule refused by the server at their fields, the packs the server computes shown —
// and submits it for review (提交审方); a pharmacist returns it (through the API) with a reason; the
// doctor sees it 已退回 with the reason, revises and resubmits. The demo patient, on a phone, sees their
// approved prescription without sideways scrolling and asks for a renewal (续方申请), which reaches the
// team's queue.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp, expectNoOverflow } from './browser';

const PHONE = { width: 390, height: 844 };
const AMLODIPINE = 'D0001'; // 苯磺酸氨氯地平片 5 mg × 28
const RETURN_REASON = '用药天数请核对，稳定期患者本次先开 28 天';

/** No sideways scrolling: the document is no wider than the window; else the widest culprits. */

describeBrowser('doctor and patient prescription screens (browser)', () => {
  let b: BrowserApp;
  let doctor: Page;
  let patientId: string;
  let doctorCookie: string;
  let pharmacistCookie: string;

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object) => {
    const res = await b.t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    [doctorCookie, pharmacistCookie] = await Promise.all([b.t.login('doctor'), b.t.login('pharmacist')]);
    const me = (await api('GET', '/api/auth/me', doctorCookie)).body.user;
    // a patient of the doctor's team with hypertension confirmed (as test/api/prescriptions.test.ts finds one), not the demo patient
    const demo = await db.selectFrom('app_user').select('person_id').where('username', '=', 'patient').executeTakeFirstOrThrow();
    const row = await sql<{ id: string }>`
      select p.id from person p join contract c on c.person_id = p.id join registration r on r.person_id = p.id
      where c.team_id = ${me.scope.id} and c.status = 'active' and c.start_date <= '2026-06-15' and c.end_date >= '2026-07-20'
        and r.disease_code = 'hypertension' and r.effective_to is null and p.insurance_type = 'resident' and p.id <> ${demo.person_id}
      order by p.id limit 1`.execute(db);
    patientId = row.rows[0]!.id;
    doctor = await (await b.newContext()).newPage();
    await signIn(doctor, 'doctor');
  });
  afterAll(() => b?.close());

  it('writes a long prescription from the chart: the max-days and stable-reason refusals at their fields, the server’s packs, submitted', { timeout: 180_000 }, async () => {
    await doctor.goto(`/follow-ups/patients/${patientId}`);
    await doctor.getByTestId('chart-header').waitFor();
    await doctor.getByTestId('rx-prescribe').click();
    const drawer = doctor.getByTestId('rx-form-drawer');
    await drawer.getByTestId('rx-form').waitFor();
    // the policy's longest supply is shown (Jiaxing: 84 days, 12 weeks)
    await expect.poll(async () => drawer.getByTestId('rx-max-days').getAttribute('data-max')).toBe('84');

    const line = drawer.getByTestId('rx-line').first();
    await line.getByTestId('rx-drug').click();
    await doctor.keyboard.type('氨氯地平');
    await doctor.locator('.ant-select-item-option', { hasText: '苯磺酸氨氯地平片' }).first().click();
    await line.getByTestId('rx-dose').fill('1.5');
    await line.getByTestId('rx-days').fill('90');
    await drawer.getByTestId('rx-place-pharmacy').click();
    await drawer.getByTestId('rx-pharmacy').click();
    // a pharmacy's option (the drug list's dropdown may still be closing: pick by what a pharmacy is called)
    await doctor.locator('.ant-select-item-option', { hasText: '药房' }).first().click();

    // 90 days: beyond the policy's 84, refused at the line's days with the policy's number
    await doctor.getByTestId('rx-submit').click();
    await expectText(line.locator('.ant-form-item-explain-error'), /最长 84 天/);
    await shot(doctor, 'rx-doctor-max-days');

    // 56 days without a reason: the long-prescription rule at the stable reason
    await line.getByTestId('rx-days').fill('56');
    await drawer.getByTestId('rx-long-tag').waitFor();
    await doctor.getByTestId('rx-submit').click();
    const reasonItem = drawer.locator('.ant-form-item').filter({ has: doctor.getByTestId('rx-stable-reason') });
    await expectText(reasonItem.locator('.ant-form-item-explain-error'), /稳定的理由/);
    await shot(doctor, 'rx-doctor-stable-reason');

    // with the reason, saved as a draft: 1.5 tablets × 56 days = 84 tablets = 3 packs of 28, as the server counts them
    await drawer.getByTestId('rx-stable-reason').fill('血压控制稳定三个月以上，无不良反应');
    await doctor.getByTestId('rx-save-draft').click();
    await expect.poll(async () => line.getByTestId('rx-line-packs').getAttribute('data-source')).toBe('server');
    expect(await line.getByTestId('rx-line-packs').getAttribute('data-packs')).toBe('3');
    await expectText(drawer.getByTestId('rx-status'), '草稿');
    await shot(doctor, 'rx-doctor-draft');

    await doctor.getByTestId('rx-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await doctor.getByTestId('tab-prescriptions').click();
    const row = doctor.getByTestId('rx-row').first();
    await expectText(row.getByTestId('rx-status'), '待审方');
    await expectText(row.getByTestId('rx-remaining'), '3 盒');
    await shot(doctor, 'rx-doctor-chart-list');
  });

  it('shows a returned prescription with the pharmacist’s reason; the doctor revises and resubmits it', { timeout: 180_000 }, async () => {
    const list = (await api('GET', `/api/people/${patientId}/prescriptions`, doctorCookie)).body.items as Array<{ id: string; status: string }>;
    const submitted = list.find((p) => p.status === 'submitted')!;
    const back = await api('POST', `/api/prescriptions/${submitted.id}/return`, pharmacistCookie, { reason: RETURN_REASON });
    expect(back.status, JSON.stringify(back.body)).toBe(200);

    await doctor.reload();
    await doctor.getByTestId('tab-prescriptions').click();
    const row = doctor.locator(`[data-testid="rx-row"][data-id="${submitted.id}"]`);
    await expectText(row.getByTestId('rx-status'), '已退回');
    await row.click();
    const detail = doctor.getByTestId('rx-detail-drawer');
    await expectText(detail.getByTestId('rx-review-note'), RETURN_REASON);
    await expect.poll(async () => detail.getByTestId('rx-history-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['write', 'submit', 'start_review', 'return']);
    await shot(doctor, 'rx-doctor-returned');

    await detail.getByTestId('rx-revise').click();
    const drawer = doctor.getByTestId('rx-form-drawer');
    await expectText(drawer.getByTestId('rx-form-review-note'), RETURN_REASON);
    const line = drawer.getByTestId('rx-line').first();
    expect(await line.getByTestId('rx-days').inputValue()).toBe('56');
    await line.getByTestId('rx-dose').fill('1');
    await line.getByTestId('rx-days').fill('28');
    await shot(doctor, 'rx-doctor-revise');
    await doctor.getByTestId('rx-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expectText(row.getByTestId('rx-status'), '待审方');
    await expectText(row.getByTestId('rx-remaining'), '1 盒');
    const view = (await api('GET', `/api/prescriptions/${submitted.id}`, doctorCookie)).body;
    expect(view).toMatchObject({ status: 'submitted', lines: [expect.objectContaining({ daysSupply: 28, quantity: 1, dose: 1 })] });
    expect(view.history.map((h: { action: string }) => h.action)).toEqual(['write', 'submit', 'start_review', 'return', 'resubmit']);
  });

  it('the demo patient on a phone: my prescriptions fit the screen, a renewal request is sent and reaches the team', { timeout: 180_000 }, async () => {
    // an approved prescription for the demo patient (registered for hypertension, contracted with the doctor's team)
    const patientCookie = await b.t.login('patient');
    const me = (await api('GET', '/api/people/me', patientCookie)).body;
    const written = await api('POST', '/api/prescriptions', doctorCookie, {
      personId: me.id, origin: 'new', fillPlace: 'own', submit: true, lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 28 }],
    });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    const approved = await api('POST', `/api/prescriptions/${written.body.id}/approve`, pharmacistCookie, { overrideReason: '已与医生核对既往用药' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    const page = await (await b.newContext()).newPage();
    await page.setViewportSize(PHONE);
    await signIn(page, 'patient');
    await page.getByTestId('menu-toggle').click();
    await page.locator('.app-drawer [data-testid="menu-my-prescriptions"]').click();
    const card = page.locator(`[data-testid="my-rx-card"][data-id="${written.body.id}"]`);
    await expectText(card.getByTestId('rx-status'), '已通过');
    await expectText(card.getByTestId('my-rx-remaining'), '1 盒');
    await expectText(card.getByTestId('my-rx-place'), /本机构/);
    await expectNoOverflow(page, 'patient /my-prescriptions at 390');
    await shot(page, 'rx-patient-phone-list');

    await card.getByTestId('my-rx-open').click();
    await page.getByTestId('rx-detail').waitFor();
    await expectNoOverflow(page, 'patient prescription detail at 390');
    await shot(page, 'rx-patient-phone-detail');
    await page.keyboard.press('Escape');
    await page.getByTestId('rx-detail-drawer').waitFor({ state: 'hidden' });

    await card.getByTestId('my-rx-renew').click();
    await page.getByTestId('my-rx-renew-note').fill('药快吃完了，想续开一个月');
    await shot(page, 'rx-patient-phone-renew');
    await page.getByTestId('my-rx-renew-send').click();
    const request = page.getByTestId('my-renewal-request').first();
    await expect.poll(async () => request.getAttribute('data-status')).toBe('open');
    await expectText(request, /药快吃完了/);
    await expectNoOverflow(page, 'patient /my-prescriptions with a request at 390');
    await shot(page, 'rx-patient-phone-requested');

    await page.setViewportSize({ width: 1440, height: 900 });
    await expectNoOverflow(page, 'patient /my-prescriptions at 1440');
    await shot(page, 'rx-patient-desktop');

    // the team's queue has it; 续方 opens the write form as a renewal with the prescription's lines
    await doctor.goto('/renewal-requests');
    const queued = doctor.getByTestId('renewal-row').filter({ hasText: me.name });
    await expectText(queued, /药快吃完了/);
    await queued.getByTestId('renewal-renew').click();
    const drawer = doctor.getByTestId('rx-form-drawer');
    await expect.poll(async () => drawer.getByTestId('rx-line').count()).toBe(1);
    await shot(doctor, 'rx-doctor-renewal-form');
    await doctor.getByTestId('rx-submit').click();
    // the renewal's checks: the last supply was approved but nothing dispensed; the follow-up window decides
    await expect
      .poll(async () => ((await drawer.isVisible()) ? ((await drawer.getByTestId('rx-form-alert').count()) ? 'refused' : 'open') : 'done'), { timeout: 20_000 })
      .not.toBe('open');
    await shot(doctor, 'rx-doctor-renewal-result');
    // accepted (a follow-up within the window, nothing dispensed yet): the patient's request is answered by the renewal
    const mine = (await api('GET', '/api/me/renewal-requests', patientCookie)).body.items as Array<{ prescriptionId: string; status: string; renewalId: string | null }>;
    const answered = mine.find((r) => r.prescriptionId === written.body.id)!;
    if (!(await drawer.isVisible())) expect(answered).toMatchObject({ status: 'renewed', renewalId: expect.any(String) });
  });

  it('a renewal the rules refuse names the rule and its dates at the form; a request is declined with a reason', { timeout: 120_000 }, async () => {
    // the demo city queues renewal requests; without a follow-up in the last 90 days (复诊核验) the renewal is refused
    const queued = async () => (await api('GET', '/api/team/renewal-requests', doctorCookie)).body.items as Array<{ id: string; personId: string }>;
    let queue = await queued();
    if (!queue.length) {
      // the demo city queues a request for about one patient in thirty: when the dice gave the team none, a
      // patient of the team with a dispensed prescription asks, as the app would have let them
      await sql`insert into renewal_request (person_id, prescription_id, team_id, note, requested_at)
        select p.person_id, p.id, p.team_id, '药快吃完了，申请续方', now() from prescription p join app_user u on u.team_id = p.team_id and u.username = 'doctor'
        where p.status in ('dispensed', 'partly_dispensed') and not exists (select 1 from renewal_request r where r.person_id = p.person_id and r.prescription_id = p.id)
        order by p.written_on desc limit 1`.execute(b.t.database.db);
      queue = await queued();
    }
    const request = queue[0];
    expect(request, 'the demo city queues renewal requests for the doctor’s team').toBeTruthy();
    await sql`delete from followup_state where person_id = ${request!.personId}`.execute(b.t.database.db);
    await sql`delete from followup_visit where person_id = ${request!.personId}`.execute(b.t.database.db);
    await doctor.goto('/renewal-requests');
    const row = doctor.locator(`[data-testid="renewal-row"][data-id="${request!.id}"]`);
    await row.getByTestId('renewal-renew').click();
    const drawer = doctor.getByTestId('rx-form-drawer');
    await expect.poll(async () => drawer.getByTestId('rx-line').count()).toBeGreaterThan(0);
    await doctor.getByTestId('rx-submit').click();
    // the follow-up rule above the form, with the window's dates (an early refill would stand at its drug)
    // the window's first day: 90 days before 2026-06-15
    await expectText(drawer.getByTestId('rx-form-alert'), /复诊核验.*没有随访记录.*2026-03-17/);
    await expect.poll(() => drawer.isVisible()).toBe(true);
    await shot(doctor, 'rx-doctor-renewal-refused');
    await drawer.locator('.drawer-footer button').first().click(); // 取消
    await drawer.waitFor({ state: 'hidden' });

    // 拒绝 with a reason: the request leaves the queue
    await row.getByTestId('renewal-decline').click();
    await doctor.getByTestId('renewal-decline-reason').fill('上次配药尚未用完，请按时复诊后再申请');
    await doctor.getByTestId('renewal-decline-confirm').click();
    await row.waitFor({ state: 'detached' });
    const after = (await api('GET', '/api/team/renewal-requests', doctorCookie)).body.items as Array<{ id: string }>;
    expect(after.map((r) => r.id)).not.toContain(request!.id);
  });

  it('开方 from the patient’s row in the team’s list, in English too', { timeout: 120_000 }, async () => {
    const person = (await api('GET', `/api/people/${patientId}`, doctorCookie)).body;
    await doctor.goto(`/contracts?q=${encodeURIComponent(person.name)}`);
    const row = doctor.locator(`[data-testid="team-patient-row"][data-person-id="${patientId}"]`);
    await row.getByTestId('action-more').click();
    await doctor.locator('.ant-dropdown:visible [data-testid="action-prescribe"]').click();
    const drawer = doctor.getByTestId('rx-form-drawer');
    await drawer.getByTestId('rx-form').waitFor();
    await expectText(drawer.locator('.ant-drawer-title'), `开方 · ${person.name}`);
    await drawer.locator('.drawer-footer button').first().click();
    await drawer.waitFor({ state: 'hidden' });

    const english = await (await b.newContext({ lang: 'en-US' })).newPage();
    await signIn(english, 'doctor');
    await english.goto(`/follow-ups/patients/${patientId}`);
    await english.getByTestId('tab-prescriptions').click();
    // whatever its state, in English words
    await expectText(english.getByTestId('rx-row').first().getByTestId('rx-status'), /^[A-Za-z][A-Za-z ]+$/);
    await english.getByTestId('rx-prescribe').click();
    await english.getByTestId('rx-form').waitFor();
    await shot(english, 'rx-doctor-form-en');
  });
});
