// Two-way referral (双向转诊) through the API: a follow-up visit's urgent-referral advice becomes an
// up-referral in one step, the tertiary hospital's doctor sees it first in the queue, accepts with the
// four priorities (the wait counted), records the attendance and sends the discharged patient down to the
// team with the prescription to continue; the team turns it into an extended prescription in one step
// and must follow up within 2 weeks (flagged overdue after, cleared by the visit). The hospital reads the
// patient's chart only while a referral is in force. Declines need a reason, stale referrals expire with
// their history, illegal steps are 409 and bad input 400 naming the field.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReferralUpkeep } from '../../src/modules/referrals/service';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let doctor: string;
let specialist: string;
let countySpecialist: string;
let tertiaryId: string;
let countyHospitalId: string;
let centreId: string;
let teamId: string;
const people: string[] = [];

const post = (url: string, cookie: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
/** Moves the test clock; the sessions (12 hours) are kept alive across the move instead of signing in again (the sign-in rate limit). */
async function setClock(iso: string) {
  t.clock.now = new Date(iso);
  await t.database.db.updateTable('user_session').set({ expires_at: new Date(t.clock.now.getTime() + 12 * 3600_000) }).execute();
}
let countySpecialistName = '';
const AMLODIPINE = 'D0001';

function ok<T = any>(res: { statusCode: number; body: string; json(): unknown }, status = 200): T {
  expect(res.statusCode, res.body.slice(0, 400)).toBe(status);
  return res.json() as T;
}

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  [doctor, specialist] = await Promise.all([t.login('doctor'), t.login('specialist')]);
  teamId = (await get('/api/auth/me', doctor)).json().user.scope.id;
  const team = await db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id').select(['i.id', 'i.county_code']).where('t.id', '=', teamId).executeTakeFirstOrThrow();
  centreId = team.id;
  tertiaryId = (await db.selectFrom('app_user').select('institution_id').where('username', '=', 'specialist').executeTakeFirstOrThrow()).institution_id!;
  countyHospitalId = (await db.selectFrom('app_user').select('institution_id').where('username', '=', `specialist-${team.county_code}`).executeTakeFirstOrThrow()).institution_id!;
  countySpecialistName = `specialist-${team.county_code}`;
  countySpecialist = await t.login(countySpecialistName);
  // five patients of the doctor's team (the registered hypertension ones first), contracted through the test's weeks and with
  // no referral of the demo city's in the way
  const rows = await sql<{ id: string }>`
    select p.id from person p join contract c on c.person_id = p.id
    where c.team_id = ${teamId} and c.status = 'active' and c.start_date <= '2026-06-15' and c.end_date >= '2026-06-15'
      and not exists (select 1 from app_user u where u.person_id = p.id)
    order by exists (select 1 from registration r where r.person_id = p.id and r.disease_code = 'hypertension' and r.effective_to is null) desc, p.id
    limit 5`.execute(db);
  expect(rows.rows.length).toBe(5);
  people.push(...rows.rows.map((r) => r.id));
  await db.updateTable('contract').set({ end_date: '2026-12-31' }).where('person_id', 'in', people).where('team_id', '=', teamId).where('status', '=', 'active').execute();
  await db.deleteFrom('referral_event').where('person_id', 'in', people).execute();
  await db.deleteFrom('referral').where('person_id', 'in', people).execute();
  // the patients' supply on hand would not matter to an extension, but the review would read it: none
  await sql`update claim set status = 'reversed', reversed_at = now(), reversal_reason = 'test reset' where person_id = ${people[0]}`.execute(db);
});
afterAll(() => t.close());

describe('up and down in one journey', () => {
  let upId: string;
  let downId: string;
  let visitId: string;

  it('makes a visit’s urgent-referral advice a referral in one step, with the summary and the current medication', async () => {
    await setClock('2026-06-15T02:00:00Z');
    const visit = ok(await post(`/api/people/${people[0]}/followups`, doctor, {
      diseases: ['hypertension'], mode: 'clinic', readings: { systolic: 186, diastolic: 112, heartRate: 88 }, urgentSigns: ['severe_headache_or_dizziness'],
    }), 201);
    expect(visit.action).toBe('urgent_referral');
    visitId = visit.id;
    const r = ok(await post('/api/referrals', doctor, { personId: people[0], toInstitutionId: tertiaryId, fromVisitId: visitId }), 201);
    expect(r).toMatchObject({
      direction: 'up', status: 'requested', urgency: 'urgent', reason: visit.referralAdvice, department: '心血管内科', followupVisitId: visitId,
      to: { institution: { id: tertiaryId, level: 'tertiary' }, team: null }, from: { team: { id: teamId } }, expiresOn: '2026-06-22',
      waiting: { hours: 0, days: 0, answered: false }, appointment: null, priorities: [],
    });
    expect(r.referralNo).toMatch(/^ZZ-.+-20260615-\d{6,}$/);
    expect(r.clinicalSummary).toContain('血压 186/112 mmHg');
    expect(r.person.idNumber).toMatch(/\*/);
    expect(Array.isArray(r.prescriptions)).toBe(true);
    expect(r.history).toEqual([expect.objectContaining({ action: 'request', from: null, to: 'requested' })]);
    upId = r.id;
    // the same advice twice is refused, and so is a second referral to the hospital while one is in force
    const again = await post('/api/referrals', doctor, { personId: people[0], toInstitutionId: tertiaryId, fromVisitId: visitId });
    expect([again.statusCode, again.json().code]).toEqual([409, 'referral_from_visit_used']);
    const open = await post('/api/referrals', doctor, { personId: people[0], toInstitutionId: tertiaryId, reason: '复查' });
    expect([open.statusCode, open.json().code]).toEqual([409, 'referral_open']);
    const audit = await t.database.db.selectFrom('person_audit').select('action').where('person_id', '=', people[0]).where('entity', '=', 'referral').execute();
    expect(audit.map((a) => a.action)).toContain('create');
  });

  it('lets the receiving hospital read the chart while the referral is in force, and no one else’s', async () => {
    ok(await get(`/api/people/${people[0]}/chart`, specialist));
    ok(await get(`/api/people/${people[0]}/prescriptions`, specialist));
    expect((await get(`/api/people/${people[1]}/chart`, specialist)).statusCode).toBe(403);
    // the county hospital receives nothing for this patient
    expect((await get(`/api/people/${people[0]}/chart`, countySpecialist)).statusCode).toBe(403);
  });

  it('queues urgent first with the waiting time, and accepts with an appointment and the four priorities', async () => {
    // a routine one asked earlier than the urgent one still comes after it
    await setClock('2026-06-16T08:00:00Z');
    const inbox = ok(await get('/api/referrals?box=in', specialist));
    const urgentAt = inbox.items.findIndex((i: { id: string }) => i.id === upId);
    expect(urgentAt).toBeGreaterThanOrEqual(0);
    expect(inbox.items.slice(0, urgentAt).every((i: { urgency: string }) => i.urgency === 'urgent')).toBe(true);
    expect(inbox.items[urgentAt].waiting).toEqual({ hours: 30, days: 1, answered: false });

    const noDate = await post(`/api/referrals/${upId}/accept`, specialist, { priorities: ['appointment'] });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json().errors[0]).toMatchObject({ field: 'body.appointmentDate', rule: 'appointment_required' });
    const past = await post(`/api/referrals/${upId}/accept`, specialist, { appointmentDate: '2026-06-10' });
    expect(past.json().errors[0]).toMatchObject({ field: 'body.appointmentDate', rule: 'not_before_today' });
    expect((await post(`/api/referrals/${upId}/accept`, countySpecialist, { appointmentDate: '2026-06-18' })).statusCode).toBe(403);

    const r = ok(await post(`/api/referrals/${upId}/accept`, specialist, { appointmentDate: '2026-06-18', priorities: ['appointment', 'bed', 'admission', 'examination'] }));
    expect(r).toMatchObject({ status: 'accepted', inForce: true, appointment: { date: '2026-06-18', department: '心血管内科' }, waiting: { hours: 30, days: 1, answered: true }, expiresOn: '2026-07-02' });
    expect([...r.priorities].sort()).toEqual(['admission', 'appointment', 'bed', 'examination']);
    // the wait stops at the answer
    await setClock('2026-06-18T02:00:00Z');
    expect(ok(await get(`/api/referrals/${upId}`, doctor)).waiting.hours).toBe(30);
    const declined = await post(`/api/referrals/${upId}/decline`, specialist, { reason: '号源已满' });
    expect([declined.statusCode, declined.json().code]).toEqual([409, 'referral_state']);
    const attended = ok(await post(`/api/referrals/${upId}/attend`, specialist));
    expect(attended.status).toBe('attended');
  });

  it('refers the discharged patient down to the contracted team, closing the up-referral', async () => {
    await setClock('2026-06-20T06:00:00Z');
    const body = { personId: people[0], upReferralId: upId, dischargeDate: '2026-06-20', dischargeSummary: '高血压3级，住院调整降压方案后血压稳定出院',
      continueLines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 28 }] };
    const noSource = await post('/api/referrals/down', specialist, body);
    expect(noSource.statusCode).toBe(400);
    expect(noSource.json().errors[0]).toMatchObject({ field: 'body.sourcePrescriptionNo', rule: 'required_with_continue_lines' });
    const future = await post('/api/referrals/down', specialist, { ...body, dischargeDate: '2026-06-21', sourcePrescriptionNo: 'JX1Y-2026-0620-0001' });
    expect(future.json().errors[0]).toMatchObject({ field: 'body.dischargeDate', rule: 'not_in_future' });
    const down = ok(await post('/api/referrals/down', specialist, { ...body, sourcePrescriptionNo: 'JX1Y-2026-0620-0001' }), 201);
    expect(down).toMatchObject({
      direction: 'down', status: 'requested', upReferralId: upId, to: { team: { id: teamId }, institution: null }, from: { institution: { id: tertiaryId } },
      discharge: { date: '2026-06-20', followUpDue: '2026-07-04', followedUp: null, overdue: false, sourcePrescriptionNo: 'JX1Y-2026-0620-0001',
        continueLines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 28, quantity: 1 }] },
    });
    downId = down.id;
    const up = ok(await get(`/api/referrals/${upId}`, specialist));
    expect(up.status).toBe('completed');
    expect(up.history.map((h: { action: string }) => h.action)).toEqual(['request', 'accept', 'attend', 'complete']);
    // the hospital still reads the record until the team has followed the patient up
    ok(await get(`/api/people/${people[0]}/chart`, specialist));
    const box = ok(await get('/api/referrals?box=down', doctor));
    expect(box.items.find((i: { id: string }) => i.id === downId)?.discharge).toMatchObject({ followUpDue: '2026-07-04', overdue: false });
  });

  it('turns the continued prescription into an extended prescription in one step, once', async () => {
    const res = ok(await post(`/api/referrals/${downId}/extend`, doctor, { fillPlace: 'own' }), 201);
    expect(res.referral.discharge.extendedPrescriptionId).toBe(res.prescriptionId);
    const rx = ok(await get(`/api/prescriptions/${res.prescriptionId}`, doctor));
    expect(rx).toMatchObject({ origin: 'extended', status: 'draft', source: { prescriptionNo: 'JX1Y-2026-0620-0001', institution: { id: tertiaryId } }, institution: { id: centreId } });
    expect(rx.lines).toEqual([expect.objectContaining({ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 28, quantity: 1 })]);
    const twice = await post(`/api/referrals/${downId}/extend`, doctor, { fillPlace: 'own' });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'already_extended']);
  });

  it('flags the down-referral overdue after 2 weeks without a visit, and clears it with the team’s visit', async () => {
    await setClock('2026-07-05T02:00:00Z');
    const overdue = ok(await get('/api/referrals?box=down&overdue=true', doctor));
    expect(overdue.items.find((i: { id: string }) => i.id === downId)?.discharge.overdue).toBe(true);
    expect(overdue.items.every((i: { discharge: { overdue: boolean } }) => i.discharge.overdue)).toBe(true);
    const early = await post(`/api/referrals/${downId}/complete`, doctor);
    expect([early.statusCode, early.json().code]).toEqual([409, 'not_followed_up']);
    const none = await post(`/api/referrals/${downId}/follow-up`, doctor);
    expect([none.statusCode, none.json().code]).toEqual([409, 'no_follow_up_visit']);

    const visit = ok(await post(`/api/people/${people[0]}/followups`, doctor, { diseases: ['hypertension'], mode: 'home', readings: { systolic: 134, diastolic: 84, heartRate: 72 } }), 201);
    const box = ok(await get('/api/referrals?box=down&status=attended', doctor));
    const item = box.items.find((i: { id: string }) => i.id === downId);
    expect(item).toMatchObject({ status: 'attended', inForce: false, discharge: { followedUp: { visitId: visit.id, on: '2026-07-05' }, overdue: false } });
    // followed up: the hospital's access ends with it
    expect((await get(`/api/people/${people[0]}/chart`, specialist)).statusCode).toBe(403);
    const done = ok(await post(`/api/referrals/${downId}/complete`, doctor, { note: '随访血压控制满意' }));
    expect(done.status).toBe('completed');
    expect(done.history.map((h: { action: string }) => h.action)).toEqual(['request', 'extend', 'follow_up', 'complete']);
    expect(done.history[2].detail).toMatchObject({ visitId: visit.id, automatic: true });
    expect((await get(`/api/referrals/${downId}`, specialist)).statusCode).toBe(200);
  });
});

describe('declines, expiry and refusals', () => {
  it('needs a reason to decline, and the sending team sees it', async () => {
    await setClock('2026-07-06T02:00:00Z');
    const r = ok(await post('/api/referrals', doctor, { personId: people[1], toInstitutionId: countyHospitalId, reason: '血压控制不满意，建议专科调整用药', requestedDate: '2026-07-08' }), 201);
    expect(r).toMatchObject({ urgency: 'routine', requestedDate: '2026-07-08', followupVisitId: null });
    const bare = await post(`/api/referrals/${r.id}/decline`, countySpecialist, {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].field).toBe('body.reason');
    expect((await post(`/api/referrals/${r.id}/decline`, specialist, { reason: '号源已满' })).statusCode).toBe(403);
    ok(await post(`/api/referrals/${r.id}/decline`, countySpecialist, { reason: '号源已满，请转市第一医院' }));
    const out = ok(await get('/api/referrals?box=out&status=declined', doctor));
    expect(out.items.find((i: { id: string }) => i.id === r.id)).toMatchObject({ status: 'declined', inForce: false, declineReason: '号源已满，请转市第一医院' });
    // declined: the hospital's access ends, and a new referral to it is possible
    expect((await get(`/api/people/${people[1]}/chart`, countySpecialist)).statusCode).toBe(403);
  });

  it('expires a referral unanswered for 7 days, and an accepted one not attended 14 days after its appointment', async () => {
    await setClock('2026-07-06T02:00:00Z');
    const stale = ok(await post('/api/referrals', doctor, { personId: people[2], toInstitutionId: tertiaryId, reason: '糖尿病合并肾病评估', urgency: 'routine' }), 201);
    const kept = ok(await post('/api/referrals', doctor, { personId: people[3], toInstitutionId: tertiaryId, reason: '冠心病评估' }), 201);
    ok(await post(`/api/referrals/${kept.id}/accept`, specialist, { appointmentDate: '2026-07-07', priorities: ['examination'] }));
    await setClock('2026-07-13T02:00:00Z'); // day 7: still in time
    expect(ok(await get(`/api/referrals/${stale.id}`, doctor)).status).toBe('requested');
    await setClock('2026-07-14T02:00:00Z');
    const inbox = ok(await get('/api/referrals?box=in', specialist));
    expect(inbox.items.some((i: { id: string }) => i.id === stale.id)).toBe(false);
    const expired = ok(await get(`/api/referrals/${stale.id}`, doctor));
    expect(expired).toMatchObject({ status: 'expired', inForce: false, expiresOn: null });
    expect(expired.history.at(-1)).toMatchObject({ action: 'expire', from: 'requested', to: 'expired', by: null });
    expect((await get(`/api/people/${people[2]}/chart`, specialist)).statusCode).toBe(403);

    await setClock('2026-07-22T02:00:00Z'); // appointment 07-07 + 14 = 07-21 passed
    const result = await runReferralUpkeep(t.ctx);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(ok(await get(`/api/referrals/${kept.id}`, doctor)).status).toBe('expired');
    const run = await t.database.db.selectFrom('job_run').select('result').where('job', '=', 'referrals').where('run_date', '=', '2026-07-22').executeTakeFirstOrThrow();
    expect(run.result).toMatchObject({ date: '2026-07-22' });
  });

  it('refuses illegal steps with 409 and the state named, and a grassroots target with 400', async () => {
    await setClock('2026-07-22T02:00:00Z');
    const r = ok(await post('/api/referrals', doctor, { personId: people[4], toInstitutionId: tertiaryId, reason: '血糖控制不满意' }), 201);
    for (const action of ['attend', 'complete']) {
      const res = await post(`/api/referrals/${r.id}/${action}`, specialist);
      expect([res.statusCode, res.json().code], action).toEqual([409, 'referral_state']);
    }
    const extend = await post(`/api/referrals/${r.id}/extend`, doctor, { fillPlace: 'own' });
    expect([extend.statusCode, extend.json().code]).toEqual([403, 'forbidden']); // an up-referral is the hospital's to answer
    const grassroots = await post('/api/referrals', doctor, { personId: people[4], toInstitutionId: centreId, reason: '血糖控制不满意' });
    expect(grassroots.statusCode).toBe(400);
    expect(grassroots.json().errors[0]).toMatchObject({ field: 'body.toInstitutionId', rule: 'referral_hospital' });
    const noReason = await post('/api/referrals', doctor, { personId: people[4], toInstitutionId: countyHospitalId });
    expect(noReason.json().errors[0]).toMatchObject({ field: 'body.reason', rule: 'reason_required' });
    const unknown = await post('/api/referrals', doctor, { personId: people[4], toInstitutionId: tertiaryId, reason: '复查', vip: true });
    expect(unknown.statusCode).toBe(400);
    const badPriority = await post(`/api/referrals/${r.id}/accept`, specialist, { appointmentDate: '2026-07-23', priorities: ['vip'] });
    expect(badPriority.statusCode).toBe(400);
    expect(badPriority.json().errors[0].field).toBe('body.priorities.0');
    const missing = await post('/api/referrals', doctor, { personId: people[4] });
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('body.toInstitutionId');
  });

  it('keeps each box to its role and scope', async () => {
    expect((await get('/api/referrals?box=in', doctor)).statusCode).toBe(403);
    expect((await get('/api/referrals?box=out', specialist)).statusCode).toBe(403);
    const outside = await t.login('doctor-002');
    const mine = ok(await get('/api/referrals?box=out', doctor));
    const theirs = ok(await get('/api/referrals?box=out', outside));
    expect(theirs.items.some((i: { id: string }) => mine.items.some((m: { id: string }) => m.id === i.id))).toBe(false);
    expect((await get(`/api/referrals/${mine.items[0].id}`, outside)).statusCode).toBe(403);
    const destinations = ok(await get('/api/referrals/destinations', doctor));
    expect(destinations.items[0]).toMatchObject({ id: tertiaryId, level: 'tertiary' });
    expect(destinations.items.every((d: { level: string }) => d.level === 'secondary' || d.level === 'tertiary')).toBe(true);
    const chart = ok(await get(`/api/people/${people[0]}/referrals`, doctor));
    expect(chart.items.map((i: { direction: string }) => i.direction).sort()).toEqual(['down', 'up']);
  });
});

describe('the hospital doctor’s account (role specialist)', () => {
  it('is created by the administrator at a secondary or tertiary hospital only, and sees the city from a tertiary one', async () => {
    const admin = await t.login('admin');
    const bad = await post('/api/admin/users', admin, { username: 'li.zhuren', displayName: '李主任', role: 'specialist', institutionId: centreId });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'body.institutionId', rule: 'referral_hospital' });
    const created = ok(await post('/api/admin/users', admin, { username: 'li.zhuren', displayName: '李主任', role: 'specialist', institutionId: tertiaryId }), 201);
    expect(created.user).toMatchObject({ role: 'specialist', institution: { id: tertiaryId }, team: null });
    expect((await get('/api/auth/me', countySpecialist)).json().user.scope).toMatchObject({ kind: 'institution', id: countyHospitalId });
    // a tertiary hospital serves the city, a county hospital its county: a discharge from another county is the first's only
    const countyCode = (await t.database.db.selectFrom('institution').select('county_code').where('id', '=', countyHospitalId).executeTakeFirstOrThrow()).county_code;
    const elsewhere = (await t.database.db.selectFrom('person').select('id').where('region_code', 'not like', `${countyCode}%`).where('region_code', 'like', `${countyCode.slice(0, 4)}%`).limit(1).executeTakeFirstOrThrow()).id;
    const body = { personId: elsewhere, dischargeDate: '2026-07-22', dischargeSummary: '病情稳定出院' };
    expect((await post('/api/referrals/down', countySpecialist, body)).statusCode).toBe(403);
    expect([201, 409]).toContain((await post('/api/referrals/down', specialist, body)).statusCode);
  });
});

