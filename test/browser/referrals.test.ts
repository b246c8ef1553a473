// Two-way referral (双向转诊) in Chromium, both directions: the family doctor turns a follow-up visit's
// urgent-referral advice into an up-referral in one step from the chart (the visit's id and urgency sent,
// the patient's prescriptions attached); the city hospital's doctor (医院医生) finds it in 转入患者 with how
// long it has waited, urgent ones first, accepts it with an appointment and priorities (四优先), marks the
// patient attended and, after discharge, refers them down with a drug to continue; the doctor finds the
// patient in 下转待随访 with the 2-week due date and turns the continue line into an extended prescription
// (延伸处方) in one step; with the clock moved past the due date and no visit since the discharge, the
// down-referral is flagged overdue in red. Each new screen at 1440 × 900 without sideways scrolling.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { type BrowserApp, describeBrowser, expectNoOverflow, expectText, shot, signIn, startBrowserApp } from './browser';

const TODAY = '2026-06-15';
/** The visit that advised the referral, before the discharge (a visit on or after it counts as the follow-up). */
const VISIT_DATE = '2026-06-10';
const DUE = '2026-06-29'; // discharge (today) + 14 days
const AMLODIPINE = 'D0001'; // 苯磺酸氨氯地平片 5 mg × 28
const SOURCE_NO = 'JXDY-2026-0615-0042';

interface ReferralJson {
  id: string;
  direction: 'up' | 'down';
  status: string;
  urgency: string;
  followupVisitId: string | null;
  upReferralId: string | null;
  priorities: string[];
  appointment: { date: string; department: string } | null;
  discharge: { followUpDue: string; overdue: boolean; extendedPrescriptionId: string | null; continueLines: Array<{ drugCode: string }> } | null;
  prescriptions?: unknown[];
}

describeBrowser('two-way referral, up and down (browser)', () => {
  let b: BrowserApp;
  let doctor: Page;
  let specialist: Page;
  let doctorCookie: string;
  let personId: string;
  let personName: string;
  let hospital: { id: string; name: string };
  let visitId: string;
  let upId: string;

  const api = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) => {
    const res = await b.t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const referralsOf = async () => (await api('GET', `/api/people/${personId}/referrals`, doctorCookie)).body.items as ReferralJson[];

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    doctorCookie = await b.t.login('doctor');
    const me = (await api('GET', '/api/auth/me', doctorCookie)).body.user;
    // a registered hypertension patient of the doctor's team with no referral in force and no visit since VISIT_DATE
    // (a team visit on or after the discharge would count as the down-referral's follow-up), not the demo patient
    const row = await sql<{ id: string; name: string }>`
      select p.id, p.name from person p join contract c on c.person_id = p.id join registration r on r.person_id = p.id
      where c.team_id = ${me.scope.id} and c.status = 'active' and c.start_date <= ${TODAY} and c.end_date >= '2026-07-31'
        and r.disease_code = 'hypertension' and r.effective_to is null
        and not exists (select 1 from app_user u where u.person_id = p.id)
        and not exists (select 1 from referral x where x.person_id = p.id and x.status in ('requested', 'accepted', 'attended'))
        and not exists (select 1 from followup_visit v where v.person_id = p.id and v.visit_date >= ${VISIT_DATE})
      order by exists (select 1 from referral x where x.person_id = p.id), p.id limit 1`.execute(db);
    expect(row.rows[0], 'a patient of the team to refer').toBeTruthy();
    personId = row.rows[0]!.id;
    personName = row.rows[0]!.name;
    hospital = await db.selectFrom('institution').select(['id', 'name']).where('level', '=', 'tertiary').orderBy('id').executeTakeFirstOrThrow();
    // the demo city's hospital doctor at the city hospital; made here if this database has none
    const known = await db.selectFrom('app_user').select('institution_id').where('username', '=', 'specialist').executeTakeFirst();
    if (!known) {
      await db
        .insertInto('app_user')
        .values({ username: 'specialist', display_name: '医院医生', role: 'specialist', institution_id: hospital.id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true })
        .execute();
    } else {
      hospital = await db.selectFrom('institution').select(['id', 'name']).where('id', '=', known.institution_id!).executeTakeFirstOrThrow();
    }
    // the visit: 胸闷 (an urgent-referral sign of the specification) with the doctor's advice
    const visit = await api('POST', `/api/people/${personId}/followups`, doctorCookie, {
      visitDate: VISIT_DATE,
      diseases: ['hypertension'],
      mode: 'clinic',
      readings: { systolic: 178, diastolic: 108, heartRate: 92 },
      urgentSigns: ['chest_tightness'],
      referralAdvice: '血压明显升高伴胸闷，建议上级医院心血管内科就诊',
    });
    expect(visit.status, JSON.stringify(visit.body)).toBe(201);
    expect(visit.body.action).toBe('urgent_referral');
    visitId = visit.body.id;

    doctor = await (await b.newContext()).newPage();
    specialist = await (await b.newContext()).newPage();
    await Promise.all([signIn(doctor, 'doctor'), signIn(specialist, 'specialist')]);
  });
  afterAll(() => b?.close());

  it('the doctor turns the visit’s referral advice into an up-referral in one step from the chart', { timeout: 180_000 }, async () => {
    await doctor.goto(`/follow-ups/patients/${personId}`);
    const visitRow = doctor.locator(`[data-testid="visit-row"][data-visit-id="${visitId}"]`);
    await visitRow.click(); // opens the visit's detail, with 转为转诊 for a visit that advised a referral
    await doctor.getByTestId('visit-refer').click();
    const drawer = doctor.getByTestId('referral-form-drawer');
    await drawer.getByTestId('referral-form').waitFor();
    await expectText(drawer.getByTestId('referral-from-visit'), new RegExp(VISIT_DATE));
    // the rules' urgent referral and the advice are there already; the prescriptions in force go with it
    await expectText(drawer.locator('.ant-radio-button-wrapper-checked'), '紧急');
    expect(await drawer.getByTestId('referral-reason').inputValue()).toContain('胸闷');
    await expect.poll(() => drawer.getByTestId('referral-attached').count()).toBeGreaterThan(0);
    await drawer.getByTestId('referral-institution').click();
    await doctor.keyboard.type(hospital.name.slice(0, 4));
    await doctor.locator('.ant-select-item-option', { hasText: hospital.name }).first().click();
    await expectNoOverflow(doctor, 'the up-referral form at 1440');
    await shot(doctor, 'referral-doctor-form');
    await doctor.getByTestId('referral-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    const [up] = await referralsOf();
    expect(up).toMatchObject({ direction: 'up', status: 'requested', urgency: 'urgent', followupVisitId: visitId });
    upId = up!.id;
    const full = (await api('GET', `/api/referrals/${upId}`, doctorCookie)).body as ReferralJson;
    expect(full.prescriptions?.length, 'the current medication is attached').toBeGreaterThan(0);

    // 转出: the referral with its state; it waited a day and five hours (its request moved back in time)
    await sql`update referral set requested_at = requested_at - interval '29 hours' where id = ${upId} and person_id = ${personId}`.execute(b.t.database.db);
    await doctor.goto('/referrals');
    const row = doctor.locator(`[data-testid="referral-row"][data-id="${upId}"]`);
    await expectText(row.getByTestId('referral-state'), '待接收');
    await expectText(row.getByTestId('referral-waiting'), '等待 1 天 5 小时');
    await expectNoOverflow(doctor, 'doctor /referrals at 1440');
    await shot(doctor, 'referral-doctor-out');
  });

  it('the hospital doctor sees it waiting, urgent first, accepts with priorities and marks the patient attended', { timeout: 180_000 }, async () => {
    await expect.poll(() => new URL(specialist.url()).pathname).toBe('/referrals/incoming'); // the role's home
    await specialist.reload();
    const rows = specialist.getByTestId('referral-row');
    await rows.first().waitFor();
    const order = await rows.evaluateAll((els) => els.filter((e) => e.getAttribute('data-status') === 'requested').map((e) => e.getAttribute('data-urgency')));
    expect(order.indexOf('routine') === -1 || order.lastIndexOf('urgent') < order.indexOf('routine'), `urgent first: ${order.join(',')}`).toBe(true);
    const row = specialist.locator(`[data-testid="referral-row"][data-id="${upId}"]`);
    await expectText(row.getByTestId('referral-waiting'), '等待 1 天 5 小时');
    await expectText(row.getByTestId('referral-urgency'), '紧急');
    await expectNoOverflow(specialist, 'specialist /referrals/incoming at 1440');
    await shot(specialist, 'referral-specialist-incoming');

    // the referral itself: summary, the medication attached, its history; Back closes it
    await row.getByTestId('referral-patient').click();
    const detail = specialist.getByTestId('referral-detail-drawer');
    await detail.getByTestId('referral-detail').waitFor();
    await expect.poll(() => detail.getByTestId('referral-attached-line').count()).toBeGreaterThan(0);
    await expect.poll(() => detail.getByTestId('referral-history-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-to')))).toEqual(['requested']);
    await expectNoOverflow(specialist, 'the referral detail at 1440');
    await shot(specialist, 'referral-specialist-detail');
    await specialist.goBack();
    await detail.waitFor({ state: 'hidden' });

    await row.getByTestId('referral-accept').click();
    await specialist.getByTestId('referral-priority-examination').click();
    await specialist.getByTestId('referral-priority-bed').click();
    await shot(specialist, 'referral-specialist-accept');
    await specialist.getByTestId('referral-accept-confirm').click();
    await expectText(row.getByTestId('referral-state'), '已接收');
    await expect.poll(() => row.getByTestId('referral-priorities').getAttribute('data-priorities')).toBe('appointment examination bed');
    const accepted = (await api('GET', `/api/referrals/${upId}`, doctorCookie)).body as ReferralJson;
    expect(accepted).toMatchObject({ status: 'accepted', appointment: { date: TODAY }, priorities: ['appointment', 'examination', 'bed'] });

    await row.getByTestId('referral-attend').click();
    await expectText(row.getByTestId('referral-state'), '已就诊');

    // while the referral is in force the hospital doctor reads the patient's chart (referred_here), without the team's actions
    await row.getByTestId('referral-chart').click();
    await specialist.getByTestId('chart-page').waitFor();
    await expectText(specialist.getByTestId('chart-back'), '返回转入患者');
    expect(await specialist.getByTestId('chart-record-visit').count()).toBe(0);
    await expectNoOverflow(specialist, 'the referred patient’s chart at 1440');
    await shot(specialist, 'referral-specialist-chart');
    await specialist.getByTestId('chart-back').click();
    await row.waitFor();
  });

  it('after discharge the hospital doctor refers the patient down with a drug to continue', { timeout: 180_000 }, async () => {
    const row = specialist.locator(`[data-testid="referral-row"][data-id="${upId}"]`);
    await row.getByTestId('referral-refer-down').click();
    const drawer = specialist.getByTestId('down-referral-drawer');
    await drawer.getByTestId('down-referral-form').waitFor();
    await expectText(drawer.getByTestId('down-referral-patient'), new RegExp(personName));
    await drawer.getByTestId('down-referral-summary').fill('高血压急症入院，静脉降压后血压稳定于 135/85 mmHg，胸闷缓解，准予出院，社区继续随访。');
    const line = drawer.getByTestId('down-referral-line').first();
    await line.getByTestId('down-referral-drug').click();
    await specialist.keyboard.type('氨氯地平');
    await specialist.locator('.ant-select-item-option', { hasText: '苯磺酸氨氯地平片' }).first().click();
    await expectText(line.getByTestId('down-referral-drug'), /苯磺酸氨氯地平片/); // chosen, not a neighbour of the list as it filtered
    await drawer.getByTestId('down-referral-source-no').fill(SOURCE_NO);
    await expectNoOverflow(specialist, 'the down-referral form at 1440');
    await shot(specialist, 'referral-specialist-down');
    await specialist.getByTestId('down-referral-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    const down = (await referralsOf()).find((r) => r.direction === 'down' && r.upReferralId === upId);
    expect(down).toMatchObject({ status: 'requested', discharge: { followUpDue: DUE, overdue: false, extendedPrescriptionId: null, continueLines: [{ drugCode: AMLODIPINE }] } });
    await specialist.getByTestId('referrals-tab-down').click();
    await specialist.locator(`[data-testid="referral-row"][data-id="${down!.id}"]`).waitFor();
    await expectNoOverflow(specialist, 'specialist 已下转 at 1440');
    await shot(specialist, 'referral-specialist-sent-down');
  });

  it('the doctor sees it in 下转待随访, makes the extended prescription in one step; past the due date it is overdue', { timeout: 180_000 }, async () => {
    const down = (await referralsOf()).find((r) => r.direction === 'down' && r.upReferralId === upId)!;
    await doctor.goto('/referrals?tab=down');
    const row = doctor.locator(`[data-testid="referral-row"][data-id="${down.id}"]`);
    await expect.poll(() => row.getByTestId('referral-due').getAttribute('data-state')).toBe('open');
    expect(await row.getByTestId('referral-due').getAttribute('data-due')).toBe(DUE);
    await expectText(row.getByTestId('referral-due'), /还有 14 天/);

    await row.getByTestId('referral-extend').click();
    // the new prescription opens: an extension of the hospital's, with the line to continue
    const rx = doctor.getByTestId('rx-detail-drawer');
    await expectText(rx.getByTestId('rx-origin'), '延伸处方');
    await expect.poll(() => rx.getByTestId('rx-detail-line').count()).toBe(1);
    await shot(doctor, 'referral-doctor-extended');
    await doctor.keyboard.press('Escape');
    await rx.waitFor({ state: 'hidden' });
    await row.getByTestId('referral-extended').waitFor();
    expect(await row.getByTestId('referral-extend').count()).toBe(0);
    const extended = (await api('GET', `/api/referrals/${down.id}`, doctorCookie)).body as ReferralJson;
    const prescription = (await api('GET', `/api/prescriptions/${extended.discharge!.extendedPrescriptionId}`, doctorCookie)).body;
    expect(prescription).toMatchObject({ origin: 'extended', person: { id: personId }, lines: [expect.objectContaining({ drugCode: AMLODIPINE })] });
    expect(prescription.source?.prescriptionNo).toBe(SOURCE_NO);
    await expectNoOverflow(doctor, 'doctor 下转待随访 at 1440');
    await shot(doctor, 'referral-doctor-down');

    // a day past the due date with no visit since the discharge: overdue, in red (sessions end with the day: sign in again)
    b.t.clock.now = new Date('2026-06-30T02:00:00Z');
    await doctor.clock.setSystemTime(b.t.clock.now);
    await signIn(doctor, 'doctor');
    await doctor.goto('/referrals?tab=down');
    await expect.poll(() => row.getAttribute('data-overdue')).toBe('true');
    await expectText(row.getByTestId('referral-overdue'), '已逾期 1 天');
    await expect.poll(() => doctor.getByTestId('referrals-down-count').getAttribute('data-overdue')).not.toBe('0');
    await expectNoOverflow(doctor, 'doctor 下转待随访 overdue at 1440');
    await shot(doctor, 'referral-doctor-overdue');

    // 登记随访 takes the doctor to the patient's chart
    await row.getByTestId('referral-record-followup').click();
    await expect.poll(() => new URL(doctor.url()).pathname).toBe(`/follow-ups/patients/${personId}`);
    await doctor.getByTestId('chart-header').waitFor();
  });
});
