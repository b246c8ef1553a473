// Follow-up visits through the API: the rules' classification and next date at their boundaries,
// impossible readings and overrides refused with field + rule, the chart, the team's worklists and the
// reminder job across a simulated month (no reminder twice), and scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReminders } from '../../src/modules/followups/reminders';
import { testApp, type TestApp } from '../helpers/app';
import { newResident } from '../helpers/people';

let t: TestApp;
let doctor: string;
let town: string;
beforeAll(async () => {
  t = await testApp();
  doctor = await t.login('doctor');
  town = (await call(doctor, 'GET', '/api/teams/mine')).json().region.code;
});
afterAll(() => t.close());

const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

/** Moves the clock to 10:00 in Shanghai on that day and signs in again (sessions last hours). */
async function setToday(date: string) {
  t.clock.now = new Date(`${date}T02:00:00Z`);
  doctor = await t.login('doctor');
}

/** A resident of the doctor's town with the diseases, contracted with the doctor's team today. */
async function patient(diseases: string[], birthDate = '1970-03-01') {
  const p = await newResident(t.database.db, { regionCode: town, diseases, birthDate, name: '随访测试' });
  const pkg = diseases.length === 2 ? 'two_disease' : diseases[0];
  const res = await call(doctor, 'POST', '/api/contracts', { personId: p.id, packages: ['basic', pkg], consent: { signer: 'self', signerName: p.name, signedAt: '2026-06-15T09:00:00+08:00' } });
  expect(res.statusCode, res.body).toBe(201);
  return p.id;
}

const htnVisit = (systolic: number, diastolic: number, extra: object = {}) => ({ diseases: ['hypertension'], mode: 'clinic', readings: { systolic, diastolic, heartRate: 72 }, ...extra });
const dmVisit = (glucose: number, extra: object = {}) => ({ diseases: ['diabetes'], mode: 'clinic', readings: { fastingGlucoseTenths: glucose }, ...extra });
const record = (personId: string, body: object) => call(doctor, 'POST', `/api/people/${personId}/followups`, body);

async function worklist(list: string) {
  const items: Array<{ person: { id: string }; dueDate: string; daysOverdue: number; dueState: string; lastAction: string | null }> = [];
  for (let offset = 0; ; offset += 200) {
    const res = await call(doctor, 'GET', `/api/team/worklist?list=${list}&limit=200&offset=${offset}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}
const find = async (list: string, id: string) => (await worklist(list)).find((i) => i.person.id === id);

describe('recording a visit: the rules at their boundaries', () => {
  beforeAll(() => setToday('2026-06-15'));

  it('139/89 satisfactory → 3 months; 140/90 unsatisfactory → 2 weeks', async () => {
    const a = await record(await patient(['hypertension']), htnVisit(139, 89));
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ visitDate: '2026-06-15', classification: 'satisfactory', action: 'routine', nextVisitDate: '2026-09-15', override: null });
    const b = (await record(await patient(['hypertension']), htnVisit(140, 90))).json();
    expect(b).toMatchObject({ classification: 'unsatisfactory', action: 'adjust_recheck', nextVisitDate: '2026-06-29' });
    expect(b.rules.reasons.map((r: { code: string }) => r.code)).toEqual(['BP_UNCONTROLLED', 'UNSATISFACTORY_FIRST']);
  });

  it('149/89 is satisfactory at 65 and not at 64', async () => {
    const at65 = (await record(await patient(['hypertension'], '1961-06-15'), htnVisit(149, 89))).json();
    expect(at65).toMatchObject({ classification: 'satisfactory', nextVisitDate: '2026-09-15' });
    const at64 = (await record(await patient(['hypertension'], '1961-06-16'), htnVisit(149, 89))).json();
    expect(at64).toMatchObject({ classification: 'unsatisfactory', action: 'adjust_recheck' });
  });

  it('180/110 → urgent referral with referral advice', async () => {
    const r = (await record(await patient(['hypertension']), htnVisit(180, 110))).json();
    expect(r).toMatchObject({ classification: 'unsatisfactory', action: 'urgent_referral', nextVisitDate: '2026-06-29' });
    expect(r.referralAdvice).toBeTruthy();
  });

  it('fasting glucose 6.9 satisfactory, 7.0 not', async () => {
    expect((await record(await patient(['diabetes']), dmVisit(69))).json()).toMatchObject({ classification: 'satisfactory', nextVisitDate: '2026-09-15' });
    expect((await record(await patient(['diabetes']), dmVisit(70))).json()).toMatchObject({ classification: 'unsatisfactory', nextVisitDate: '2026-06-29' });
  });

  it('two unsatisfactory visits in a row → referral and check within 2 weeks', async () => {
    const id = await patient(['hypertension']);
    expect((await record(id, htnVisit(150, 95, { visitDate: '2026-06-01' }))).json().action).toBe('adjust_recheck');
    const second = (await record(id, htnVisit(152, 96))).json();
    expect(second).toMatchObject({ action: 'refer_and_check', nextVisitDate: '2026-06-29' });
    expect(second.rules.reasons.map((r: { code: string }) => r.code)).toContain('UNSATISFACTORY_TWICE');
    const list = (await call(doctor, 'GET', `/api/people/${id}/followups`)).json();
    expect(list.map((v: { visitDate: string }) => v.visitDate)).toEqual(['2026-06-15', '2026-06-01']);
  });
});

// Issue 10 items 8–10 (国家基本公共卫生服务规范（第三版）): each disease on its own readings, two in a row after
// 不良反应, and the urgent-referral signs one by one.
describe('the rules per disease, and the urgent signs', () => {
  beforeAll(() => setToday('2026-06-15'));
  const codes = (v: { rules: { reasons: Array<{ code: string }> } }) => v.rules.reasons.map((r) => r.code);

  it('a glucose of 17.0 neither makes the hypertension form 控制不满意 nor counts as its first failure', async () => {
    const id = await patient(['hypertension', 'diabetes']);
    const first = (await record(id, { diseases: ['hypertension', 'diabetes'], mode: 'clinic', visitDate: '2026-06-01', readings: { systolic: 130, diastolic: 80, fastingGlucoseTenths: 170 } })).json();
    expect(first.rules.perDisease).toEqual([
      { disease: 'hypertension', classification: 'satisfactory', action: 'routine', nextVisitDate: '2026-09-01' },
      { disease: 'diabetes', classification: 'unsatisfactory', action: 'urgent_referral', nextVisitDate: '2026-06-15' },
    ]);
    const second = (await record(id, { diseases: ['hypertension', 'diabetes'], mode: 'clinic', readings: { systolic: 150, diastolic: 95, fastingGlucoseTenths: 65 } })).json();
    expect(second.rules.perDisease[0]).toMatchObject({ disease: 'hypertension', classification: 'unsatisfactory', action: 'adjust_recheck' });
    expect(codes(second)).toContain('UNSATISFACTORY_FIRST');
    expect(codes(second)).not.toContain('UNSATISFACTORY_TWICE');
  });

  it('a visit after one classified 不良反应 with BP off target is the second failure in a row', async () => {
    const id = await patient(['hypertension']);
    const first = (await record(id, htnVisit(150, 95, { visitDate: '2026-06-01', adverseReaction: 'present' }))).json();
    expect(first.classification).toBe('adverse_reaction');
    const second = (await record(id, htnVisit(152, 96))).json();
    expect(second).toMatchObject({ classification: 'unsatisfactory', action: 'refer_and_check', nextVisitDate: '2026-06-29' });
    expect(codes(second)).toContain('UNSATISFACTORY_TWICE');
  });

  it('a chosen sign → urgent referral naming it; stored on the visit and read back', async () => {
    const id = await patient(['hypertension']);
    const res = await record(id, htnVisit(130, 80, { urgentSigns: ['chest_tightness', 'palpitations'] }));
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v).toMatchObject({ classification: 'satisfactory', action: 'urgent_referral', nextVisitDate: '2026-06-29', urgentSigns: ['chest_tightness', 'palpitations'] });
    expect(v.referralAdvice).toBeTruthy();
    expect(v.rules.reasons.find((r: { code: string }) => r.code === 'URGENT_SIGNS').text).toBe('存在危急情况：胸闷、心悸，处理后紧急转诊');
    const [read] = (await call(doctor, 'GET', `/api/people/${id}/followups`)).json();
    expect(read.urgentSigns).toEqual(['chest_tightness', 'palpitations']);
    expect(await find('referral_pending', id)).toMatchObject({ lastAction: 'urgent_referral' });
    // none chosen: as before
    expect((await record(await patient(['diabetes']), dmVisit(60))).json()).toMatchObject({ action: 'routine', urgentSigns: [] });
  });

  it('refuses an unknown sign, or the old checkbox, naming the field', async () => {
    const id = await patient(['hypertension']);
    const unknown = await record(id, htnVisit(130, 80, { urgentSigns: ['chest_tightness', 'headache'] }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'body.urgentSigns.1', rule: 'invalid_value' })]);
    const legacy = await record(id, htnVisit(130, 80, { urgentSigns: ['unspecified'] }));
    expect(legacy.json().errors[0]).toMatchObject({ field: 'body.urgentSigns.0' });
    const old = await record(id, htnVisit(130, 80, { dangerSigns: true }));
    expect(old.statusCode).toBe(400);
    expect(old.json().errors[0].field).toBe('body.dangerSigns');
    expect((await call(doctor, 'GET', `/api/people/${id}/followups`)).json()).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses impossible readings naming field and rule, and writes nothing', async () => {
    const id = await patient(['hypertension', 'diabetes']);
    const rules = async (body: object) => {
      const res = await record(id, body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json().errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    };
    expect(await rules(htnVisit(300, 90))).toEqual(['body.readings.systolic:max']);
    expect(await rules(htnVisit(120, 130))).toEqual(['body.readings.diastolic:diastolic_below_systolic']);
    expect(await rules(dmVisit(0))).toEqual(['body.readings.fastingGlucoseTenths:min']);
    expect(await rules(dmVisit(6.9))).toEqual(['body.readings.fastingGlucoseTenths:integer']);
    expect(await rules({ diseases: ['diabetes'], mode: 'clinic', readings: { systolic: 120, diastolic: 80 } })).toEqual(['body.readings.fastingGlucoseTenths:required']);
    expect(await rules(htnVisit(130, 80, { visitDate: '2026-06-16' }))).toEqual(['body.visitDate:not_in_future']);
    expect(await rules(htnVisit(130, 80, { mode: 'telepathy' }))).toEqual(['body.mode:invalid_value']);
    expect((await call(doctor, 'GET', `/api/people/${id}/followups`)).json()).toEqual([]);
  });

  it('an override needs a reason; with one the rules’ result is kept beside it', async () => {
    const id = await patient(['hypertension']);
    const none = await record(id, htnVisit(150, 95, { override: { classification: 'satisfactory' } }));
    expect(none.statusCode).toBe(400);
    expect(none.json().errors).toEqual([expect.objectContaining({ field: 'body.override.reason', rule: 'required' })]);
    const blank = await record(id, htnVisit(150, 95, { override: { nextVisitDate: '2026-07-15', reason: '   ' } }));
    expect(blank.json().errors[0]).toMatchObject({ field: 'body.override.reason', rule: 'required' });
    const early = await record(id, htnVisit(150, 95, { override: { nextVisitDate: '2026-06-15', reason: '患者外出' } }));
    expect(early.json().errors[0]).toMatchObject({ field: 'body.override.nextVisitDate', rule: 'after_visit' });
    const ok = await record(id, htnVisit(150, 95, { override: { classification: 'satisfactory', nextVisitDate: '2026-07-15', reason: '白大衣效应，家庭自测血压达标' } }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({
      classification: 'satisfactory', nextVisitDate: '2026-07-15', action: 'adjust_recheck',
      rules: { classification: 'unsatisfactory', nextVisitDate: '2026-06-29' },
      override: { classification: 'satisfactory', nextVisitDate: '2026-07-15', reason: '白大衣效应，家庭自测血压达标' },
    });
  });

  it('keeps another town’s doctor out, and the patient role off staff routes', async () => {
    const id = await patient(['hypertension']);
    const other = await t.database.db
      .selectFrom('app_user as u').innerJoin('family_doctor_team as ft', 'ft.id', 'u.team_id').innerJoin('institution as i', 'i.id', 'ft.institution_id')
      .select('u.username').where('u.role', '=', 'family_doctor').where('i.region_code', '!=', town).limit(1).executeTakeFirstOrThrow();
    const stranger = await t.login(other.username);
    expect((await call(stranger, 'POST', `/api/people/${id}/followups`, htnVisit(130, 80))).statusCode).toBe(403);
    expect((await call(stranger, 'GET', `/api/people/${id}/chart`)).statusCode).toBe(403);
    expect((await call(stranger, 'GET', `/api/people/${id}/followups`)).statusCode).toBe(403);
    expect((await call(stranger, 'GET', '/api/team/worklist?list=overdue&limit=200')).json().items.some((i: { person: { id: string } }) => i.person.id === id)).toBe(false);
    const pt = await t.login('patient');
    expect((await call(pt, 'GET', `/api/people/${id}/chart`)).statusCode).toBe(403);
    expect((await call(pt, 'GET', '/api/team/worklist?list=overdue')).statusCode).toBe(403);
  });
});

describe('chart and health check', () => {
  it('tells the story: readings with targets, visits, prescription, management status', async () => {
    await setToday('2026-06-15');
    const id = await patient(['hypertension', 'diabetes'], '1955-01-01');
    await record(id, { ...htnVisit(158, 92, { visitDate: '2026-03-10' }), diseases: ['hypertension', 'diabetes'], readings: { systolic: 158, diastolic: 92, fastingGlucoseTenths: 82 } });
    await record(id, { diseases: ['hypertension', 'diabetes'], mode: 'home', readings: { systolic: 138, diastolic: 84, fastingGlucoseTenths: 66, weightTenthsKg: 700, heightTenthsCm: 1750 } });
    const hc = await call(doctor, 'POST', `/api/people/${id}/health-checks`, { readings: { systolic: 136, diastolic: 82, waistTenthsCm: 880 }, ecg: 'normal' });
    expect(hc.statusCode, hc.body).toBe(201);
    const badHc = await call(doctor, 'POST', `/api/people/${id}/health-checks`, { readings: { systolic: 300, diastolic: 82 } });
    expect(badHc.json().errors[0]).toMatchObject({ field: 'body.readings.systolic', rule: 'max' });
    const started = performance.now();
    const res = await call(doctor, 'GET', `/api/people/${id}/chart`);
    const ms = performance.now() - started;
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.person.age).toBe(71);
    expect(c.targets).toEqual({ bp: { systolicBelow: 150, diastolicBelow: 90 }, fastingGlucoseTenthsBelow: 70 });
    expect(c.series.bp).toEqual([{ date: '2026-03-10', systolic: 158, diastolic: 92 }, { date: '2026-06-15', systolic: 138, diastolic: 84 }]);
    expect(c.series.glucose.map((g: { fastingGlucoseTenths: number }) => g.fastingGlucoseTenths)).toEqual([82, 66]);
    expect(c.visits[0].readings.bmiTenths).toBe(229);
    expect(c.contract.team.id).toBeTruthy();
    expect(Array.isArray(c.prescription)).toBe(true);
    expect(c.riskFlags).toEqual(expect.arrayContaining(['age_65_plus', 'both_diseases']));
    expect(c.nextVisit).toMatchObject({ dueDate: '2026-09-15', state: 'not_due' });
    expect(c.management).toEqual([
      expect.objectContaining({ disease: 'hypertension', followUps: 2, faceToFaceFollowUps: 2, lastControlled: true, annualCheckDone: true, standardised: false }),
      expect.objectContaining({ disease: 'diabetes', followUps: 2, lastControlled: true }),
    ]);
    expect(ms).toBeLessThan(1000);
    // the chart is the treating team's, the reviewer's (for a filing in review) and the patient's: not the analyst's or the pharmacist's
    const analyst = await t.login('analyst');
    expect((await call(analyst, 'GET', `/api/people/${id}/chart`)).statusCode).toBe(403);
    expect((await call(await t.login('pharmacist'), 'GET', `/api/people/${id}/chart`)).statusCode).toBe(403);
    expect((await call(analyst, 'POST', `/api/people/${id}/followups`, htnVisit(130, 80))).statusCode).toBe(403);
    const audit = await t.database.db.selectFrom('person_audit').select(['action', 'entity']).where('person_id', '=', id).execute();
    expect(audit).toEqual(expect.arrayContaining([{ action: 'create', entity: 'followup_visit' }, { action: 'read', entity: 'followup_chart' }, { action: 'create', entity: 'health_check' }]));
  });
});

describe('worklists and reminders across a simulated month', () => {
  let recheck: string; // 140/90 on 06-15 → due 06-29
  let urgent: string; // 185/100 on 06-15 → urgent referral, due 06-29
  let neverSeen: string; // contracted 06-15, no visit → due 09-15
  let routine: string; // 130/80 on 06-15 → due 09-15

  it('sets the month up on 2026-06-15', async () => {
    await setToday('2026-06-15');
    recheck = await patient(['hypertension']);
    urgent = await patient(['hypertension']);
    neverSeen = await patient(['diabetes']);
    routine = await patient(['hypertension']);
    await record(recheck, htnVisit(140, 90));
    await record(urgent, htnVisit(185, 100));
    await record(routine, htnVisit(130, 80));
    expect(await find('due_this_week', recheck)).toBeUndefined();
    expect(await find('uncontrolled', recheck)).toMatchObject({ lastAction: 'adjust_recheck' });
    expect(await find('uncontrolled', routine)).toBeUndefined();
    const referrals = await worklist('referral_pending');
    expect(referrals.find((i) => i.person.id === urgent)).toMatchObject({ lastAction: 'urgent_referral' });
    // most urgent first
    const first = referrals.findIndex((i) => i.lastAction !== 'urgent_referral');
    expect(first === -1 || referrals.slice(first).every((i) => i.lastAction !== 'urgent_referral')).toBe(true);
    expect(await find('not_seen_this_quarter', neverSeen)).toBeTruthy();
    expect(await find('not_seen_this_quarter', routine)).toBeUndefined();
    const r = await runReminders(t.ctx, '2026-06-15');
    expect(r.created).toBe(r.candidates);
    const mine = await t.database.db.selectFrom('followup_reminder').select('person_id').where('person_id', 'in', [recheck, urgent, neverSeen, routine]).execute();
    expect(mine).toEqual([]);
  });

  it('06-23: due this week, reminded once however often the job runs', async () => {
    await setToday('2026-06-23');
    expect(await find('due_this_week', recheck)).toMatchObject({ dueDate: '2026-06-29', dueState: 'due_this_week', daysOverdue: 0 });
    const first = await runReminders(t.ctx, '2026-06-23');
    expect(first.created).toBeGreaterThanOrEqual(2);
    const again = await runReminders(t.ctx, '2026-06-23');
    expect(again).toMatchObject({ candidates: 0, created: 0 });
    await setToday('2026-06-24');
    await runReminders(t.ctx, '2026-06-24');
    const rows = await t.database.db.selectFrom('followup_reminder').selectAll().where('person_id', '=', recheck).execute();
    expect(rows.map((r) => [r.kind, r.due_date, r.channel])).toEqual([['due_soon', '2026-06-29', 'database']]);
    expect(rows[0].message).toContain('2026-06-29');
  });

  it('07-02: overdue with days overdue, one overdue reminder; the new quarter empties "seen"', async () => {
    await setToday('2026-07-02');
    const overdue = await worklist('overdue');
    expect(overdue.find((i) => i.person.id === recheck)).toMatchObject({ dueDate: '2026-06-29', dueState: 'overdue', daysOverdue: 3 });
    // sorted by due date: longest overdue first
    const days = overdue.map((i) => i.daysOverdue);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(await find('not_seen_this_quarter', routine)).toBeTruthy();
    for (const day of ['2026-07-02', '2026-07-03', '2026-07-10']) await runReminders(t.ctx, day);
    const rows = await t.database.db.selectFrom('followup_reminder').select(['kind', 'due_date']).where('person_id', '=', recheck).orderBy('id').execute();
    expect(rows).toEqual([{ kind: 'due_soon', due_date: '2026-06-29' }, { kind: 'overdue', due_date: '2026-06-29' }]);
    const chart = (await call(doctor, 'GET', `/api/people/${recheck}/chart`)).json();
    expect(chart.reminders.map((r: { kind: string }) => r.kind)).toEqual(['overdue', 'due_soon']);
    expect(chart.riskFlags).toContain('overdue');
  });

  it('07-10: the recheck visit clears the overdue entry and sets a new due date', async () => {
    await setToday('2026-07-10');
    const v = (await record(recheck, htnVisit(132, 82))).json();
    expect(v).toMatchObject({ classification: 'satisfactory', nextVisitDate: '2026-10-10' });
    expect(await find('overdue', recheck)).toBeUndefined();
    expect(await find('uncontrolled', recheck)).toBeUndefined();
    expect(await find('not_seen_this_quarter', recheck)).toBeUndefined();
    const csv = await call(doctor, 'GET', '/api/team/worklist.csv?list=overdue');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF')).toBe(true); // UTF-8 with BOM, for Excel
    expect(csv.body.slice(1).split('\r\n')[0]).toBe(
      ['姓名', '性别', '年龄', '身份证号（脱敏）', '联系电话', '病种', '上次随访日期', '上次随访分类', '上次处理', '应随访日期', '随访状态', '逾期天数'].map((h) => `"${h}"`).join(','),
    );
    expect(csv.body).toContain(`"2026-06-29"`); // the urgent patient, never rechecked
    expect(csv.body).toContain('"高血压"');
    expect(csv.body).toContain('"紧急转诊"');
    expect(csv.body).toContain('"已逾期"');
    expect(csv.body).not.toMatch(/"(male|female|hypertension|urgent_referral|overdue)"/); // no codes in the Chinese file
    expect(csv.body).not.toMatch(/\d{17}[\dX]/); // ID numbers masked
  });

  it('07-10: the worklist CSV is English when asked: ?lang=en or Accept-Language', async () => {
    const head = (body: string) => body.replace(/^\uFEFF/, '').split('\r\n')[0];
    const en = await call(doctor, 'GET', '/api/team/worklist.csv?list=overdue&lang=en');
    expect(en.statusCode).toBe(200);
    expect(en.body.startsWith('\uFEFF')).toBe(true);
    expect(head(en.body)).toBe(
      ['Name', 'Sex', 'Age', 'ID number (masked)', 'Phone', 'Diseases', 'Last visit', 'Last classification', 'Last action', 'Due date', 'Due state', 'Days overdue'].map((h) => `"${h}"`).join(','),
    );
    expect(en.body).toContain('"urgent referral"');
    expect(en.body).not.toMatch(/"(男|女|高血压|紧急转诊|已逾期)"/);
    const byHeader = await t.app.inject({ method: 'GET', url: '/api/team/worklist.csv?list=overdue', headers: { cookie: doctor, 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' } });
    expect(head(byHeader.body)).toBe(head(en.body));
    const zh = await t.app.inject({ method: 'GET', url: '/api/team/worklist.csv?list=overdue', headers: { cookie: doctor, 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
    expect(head(zh.body)).toContain('"姓名"');
    expect((await call(doctor, 'GET', '/api/team/worklist.csv?list=overdue&lang=fr')).statusCode).toBe(400);
  });

  it('07-15: the never-seen patient is not yet due; the job has not reminded them', async () => {
    await setToday('2026-07-15');
    await runReminders(t.ctx, '2026-07-15');
    expect(await find('overdue', neverSeen)).toBeUndefined();
    expect(await t.database.db.selectFrom('followup_reminder').select('id').where('person_id', '=', neverSeen).execute()).toEqual([]);
  });
});

describe('the patient', () => {
  it('sees their own readings, next visit and reminders', async () => {
    await setToday('2026-06-15');
    const me = await t.database.db.selectFrom('app_user').select('person_id').where('username', '=', 'patient').executeTakeFirstOrThrow();
    const r = await record(me.person_id!, htnVisit(165, 95));
    expect(r.statusCode, r.body).toBe(201);
    await setToday('2026-06-23');
    await runReminders(t.ctx, '2026-06-23');
    const pt = await t.login('patient');
    const mine = (await call(pt, 'GET', '/api/people/me/followups')).json();
    expect(mine.nextVisit).toMatchObject({ dueDate: '2026-06-29', state: 'due_this_week' });
    expect(mine.visits[0]).toMatchObject({ visitDate: '2026-06-15', systolic: 165, classification: 'unsatisfactory' });
    const reminders = (await call(pt, 'GET', '/api/people/me/reminders')).json();
    expect(reminders[0]).toMatchObject({ kind: 'due_soon', dueDate: '2026-06-29' });
  });
});
