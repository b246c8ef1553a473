// The audit log read back (issue 13): rows are written through the product (reads, reveals, refusals)
// or with chosen instants, then found through GET /api/admin/audit and its CSV with each filter; every
// view and export is itself audited; a doctor is refused (audited); an institution's administrator
// sees only what its own users did; bad filters are 400 problems naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDigit } from '../../src/engine/identity/residentId';
import { hashPassword, userForToken } from '../../src/modules/auth/service';
import { exportAuditLog } from '../../src/modules/auditLog/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: string;
let doctor: string;
let reviewer: string;
let pharmacist: string;
let instAdmin: string;
/** a person in the doctor's town, and one in the county outside it */
let inTown: { id: string; id_number: string };
let otherTown: { id: string; id_number: string };
let doctorInstitution: string;
let pharmacyInstitution: string;

interface Item {
  id: number;
  source: 'person_audit' | 'audit_log';
  at: string;
  username: string | null;
  role: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  personId: string | null;
  person: { id: string; name: string; idNumber: string } | null;
  detail: Record<string, unknown> | null;
}

const audit = (cookie: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  t.app.inject({ url: '/api/admin/audit', query, headers: { cookie, ...headers } });
const items = async (cookie: string, query: Record<string, string> = {}): Promise<Item[]> => {
  const res = await audit(cookie, { limit: '200', ...query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const csv = (cookie: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  t.app.inject({ url: '/api/admin/audit.csv', query, headers: { cookie, ...headers } });
/** A CSV's rows as cells (every cell is quoted; no cell here holds a line break). */
const cells = (body: string) =>
  body.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((line) => line.slice(1, -1).split('","').map((c) => c.replaceAll('""', '"')));
const key = (i: Item) => `${i.source}:${i.id}`;

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  const me = await db.selectFrom('app_user as u').innerJoin('family_doctor_team as tm', 'tm.id', 'u.team_id').innerJoin('institution as i', 'i.id', 'tm.institution_id')
    .select(['tm.institution_id', 'i.region_code']).where('u.username', '=', 'doctor').executeTakeFirstOrThrow();
  doctorInstitution = me.institution_id;
  pharmacyInstitution = (await db.selectFrom('app_user').select('institution_id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).institution_id!;
  // an administrator of the doctor's institution (no demo user has the role)
  await db.insertInto('app_user').values({ username: 'audit-inst-admin', display_name: '机构管理员', role: 'institution_admin', institution_id: doctorInstitution, password_hash: await hashPassword(DEMO_PASSWORD), demo: true }).execute();
  [admin, doctor, reviewer, pharmacist, instAdmin] = await Promise.all(['admin', 'doctor', 'reviewer', 'pharmacist', 'audit-inst-admin'].map((u) => t.login(u)));
  inTown = await db.selectFrom('person').select(['id', 'id_number']).where('region_code', 'like', `${me.region_code}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();
  otherTown = await db.selectFrom('person').select(['id', 'id_number']).where('region_code', 'like', `${me.region_code.slice(0, 6)}%`).where('region_code', 'not like', `${me.region_code}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();

  // rows written through the product: the doctor reads a person of the town and is refused one outside it,
  // the reviewer reveals that one's ID number
  expect((await t.app.inject({ url: `/api/people/${inTown.id}`, headers: { cookie: doctor } })).statusCode).toBe(200);
  expect((await t.app.inject({ url: `/api/people/${otherTown.id}`, headers: { cookie: doctor } })).statusCode).toBe(403);
  expect((await t.app.inject({ url: `/api/people/${otherTown.id}/id-number`, headers: { cookie: reviewer } })).statusCode).toBe(200);
  expect((await t.app.inject({ url: '/api/people', query: { q: otherTown.id_number }, headers: { cookie: pharmacist } })).statusCode).toBe(200);
  // many rows in one instant (one insert): the doctor's list of 30 people
  expect((await t.app.inject({ url: '/api/people', query: { limit: '30' }, headers: { cookie: doctor } })).json().items).toHaveLength(30);

  // rows at chosen instants, around the Asia/Shanghai midnight that starts 2026-03-02 (16:00 UTC the day before)
  const user = await db.selectFrom('app_user').select(['id', 'username', 'role']).where('username', '=', 'doctor').executeTakeFirstOrThrow();
  const row = (at: string, entityId: string) => ({ at: new Date(at), user_id: user.id, username: user.username, role: user.role, action: 'update', entity: 'dated_test', entity_id: entityId, ip: '10.0.0.1', detail: JSON.stringify({ at }) });
  await db.insertInto('person_audit').values([
    { ...row('2026-03-01T15:59:59.999Z', 'last-of-0301'), person_id: inTown.id },
    { ...row('2026-03-01T16:00:00.000Z', 'first-of-0302'), person_id: inTown.id },
  ]).execute();
  await db.insertInto('audit_log').values([row('2026-03-02T15:59:59.999Z', 'last-of-0302'), row('2026-03-02T16:00:00.000Z', 'first-of-0303')]).execute();
});
afterAll(() => t.close());

describe('GET /api/admin/audit: each filter narrows the trail', () => {
  it('by person id: the person’s rows, with name and masked ID number, and refusals that name them', async () => {
    const mine = await items(admin, { person: inTown.id });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => i.person?.id === inTown.id)).toBe(true);
    expect(mine.find((i) => i.username === 'doctor' && i.action === 'read' && i.entity === 'person')).toMatchObject({ source: 'person_audit', personId: inTown.id });
    expect(mine[0].person!.idNumber).toBe(`${inTown.id_number.slice(0, 6)}********${inTown.id_number.slice(14)}`);

    const theirs = await items(admin, { person: otherTown.id });
    // the doctor's refusal lives in audit_log (no person_id) and names the person in detail.personId
    const refusal = theirs.find((i) => i.action === 'refused');
    expect(refusal).toMatchObject({ source: 'audit_log', username: 'doctor', entity: 'person.read', personId: null, person: { id: otherTown.id } });
    expect(theirs.find((i) => i.entity === 'person.id_number')).toMatchObject({ source: 'person_audit', username: 'reviewer', action: 'read' });
    expect(theirs.some((i) => i.person?.id !== otherTown.id)).toBe(false);
  });

  it('by ID number: resolved through person_id_number to the same rows; an unknown number matches nothing', async () => {
    const byId = await items(admin, { person: inTown.id });
    const byNumber = await items(admin, { person: inTown.id_number.toLowerCase() });
    // the view of the audit by id is itself a row about the person (audit_log, detail.personId): it now comes first
    expect(byNumber.map(key)).toEqual(expect.arrayContaining(byId.map(key)));
    expect(byNumber[0]).toMatchObject({ source: 'audit_log', entity: 'audit_log', username: 'admin', detail: { personId: inTown.id } });
    const body = '33040219000101999';
    const res = await audit(admin, { person: body + checkDigit(body) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([]);
  });

  it('by user, action and entity', async () => {
    const byReviewer = await items(admin, { user: 'reviewer' });
    expect(byReviewer.length).toBeGreaterThan(0);
    expect(new Set(byReviewer.map((i) => i.username))).toEqual(new Set(['reviewer']));

    const refused = await items(admin, { action: 'refused' });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((i) => i.action === 'refused')).toBe(true);

    const reveals = await items(admin, { entity: 'person.id_number' });
    expect(reveals.map((i) => [i.username, i.person?.id])).toContainEqual(['reviewer', otherTown.id]);
    expect(reveals.every((i) => i.entity === 'person.id_number')).toBe(true);

    const combined = await items(admin, { user: 'pharmacist', action: 'search', entity: 'person' });
    expect(combined.map((i) => i.person?.id)).toEqual([otherTown.id]);
  });

  it('by Asia/Shanghai days, both ends inclusive', async () => {
    const dated = async (q: Record<string, string>) => (await items(admin, { entity: 'dated_test', ...q })).map((i) => i.entityId);
    expect(await dated({})).toEqual(['first-of-0303', 'last-of-0302', 'first-of-0302', 'last-of-0301']);
    expect(await dated({ from: '2026-03-02', to: '2026-03-02' })).toEqual(['last-of-0302', 'first-of-0302']);
    expect(await dated({ from: '2026-03-02' })).toEqual(['first-of-0303', 'last-of-0302', 'first-of-0302']);
    expect(await dated({ to: '2026-03-01' })).toEqual(['last-of-0301']);
    expect(await dated({ from: '2026-03-04' })).toEqual([]);
    // times are the stored instants, to the microsecond, in UTC
    expect((await items(admin, { entity: 'dated_test', to: '2026-03-01' }))[0].at).toBe('2026-03-01T15:59:59.999000Z');
  });

  it('pages newest first by offset or by cursor, the same rows either way', async () => {
    const all = await items(admin, { entity: 'dated_test' });
    const first = (await audit(admin, { entity: 'dated_test', limit: '3' })).json();
    expect(first.items.map(key)).toEqual(all.slice(0, 3).map(key));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await audit(admin, { entity: 'dated_test', limit: '3', cursor: first.nextCursor })).json();
    expect(second.items.map(key)).toEqual(all.slice(3).map(key));
    expect(second.nextCursor).toBeNull();
    const byOffset = (await audit(admin, { entity: 'dated_test', limit: '2', offset: '1' })).json();
    expect(byOffset.items.map(key)).toEqual(all.slice(1, 3).map(key));
    // across both tables and many rows written in one instant: page by 7 through a person's trail and meet every row once
    const trail = await items(admin, { user: 'doctor' });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await audit(admin, { user: 'doctor', limit: '7', ...(cursor ? { cursor } : {}) })).json();
      seen.push(...page.items.map(key));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(trail.map(key));
  });
});

describe('GET /api/admin/audit.csv', () => {
  it('has the Chinese headers and labels, the BOM, and the same rows as the list', async () => {
    const list = await items(admin, { person: otherTown.id });
    const res = await csv(admin, { person: otherTown.id });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-log-\d{8}\.csv"$/);
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const [head, ...rows] = cells(res.body);
    expect(head).toEqual(['时间（北京时间）', '用户名', '角色', '操作', '对象', '对象编号', '参保人', '身份证号（脱敏）', 'IP 地址', '详情']);
    // the list's rows, plus the list's own view of them (newest, first)
    expect(rows.length).toBe(list.length + 1);
    expect(res.headers['x-row-count']).toBe(String(rows.length));
    expect(res.headers['x-row-cap']).toBeUndefined();
    expect(rows[0].slice(1, 5)).toEqual(['admin', '系统管理员', '读取', '审计日志']);
    expect(rows.slice(1).map((r) => [r[1], r[3]])).toEqual(list.map((i) => [i.username, { read: '读取', search: '查询', refused: '拒绝', update: '修改' }[i.action]]));
    const refusal = rows.find((r) => r[3] === '拒绝')!;
    expect(refusal.slice(1, 5)).toEqual(['doctor', '家庭医生', '拒绝', '查看参保人信息（身份证号脱敏）']);
    expect(refusal[7]).toBe(`${otherTown.id_number.slice(0, 6)}********${otherTown.id_number.slice(14)}`);
    expect(res.body).not.toContain(otherTown.id_number);
    // Beijing time: the stored instant + 8 hours
    const dated = cells((await csv(admin, { entity: 'dated_test', to: '2026-03-01' })).body);
    expect(dated[1][0]).toBe('2026-03-01 23:59:59');
  });

  it('is English when asked: ?lang=en or Accept-Language', async () => {
    const [head, row] = cells((await csv(admin, { entity: 'dated_test', lang: 'en' })).body);
    expect(head[0]).toBe('Time (Beijing, UTC+8)');
    expect(row.slice(1, 4)).toEqual(['doctor', 'family doctor', 'update']);
    const byHeader = cells((await csv(admin, { entity: 'dated_test' }, { 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' })).body);
    expect(byHeader[0][1]).toBe('Username');
    const zh = cells((await csv(admin, { entity: 'dated_test' }, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' })).body);
    expect(zh[0][1]).toBe('用户名');
  });

  it('stops at the cap and says so', async () => {
    // the signed-in administrator, as the server resolves the session
    const actor = { user: (await userForToken(t.ctx, decodeURIComponent(admin.slice(admin.indexOf('=') + 1))))!, ip: null };
    expect(actor.user.role).toBe('system_admin');
    const capped = await exportAuditLog(t.ctx, actor, { entity: 'dated_test' }, 'zh', 3);
    expect([capped.rows, capped.capped]).toEqual([3, 3]);
    expect(cells(capped.csv).length).toBe(4);
    const whole = await exportAuditLog(t.ctx, actor, { entity: 'dated_test' }, 'zh', 4);
    expect([whole.rows, whole.capped]).toEqual([4, null]);
  });
});

describe('the audit log is audited and kept to its readers', () => {
  it('writes every view and export to audit_log with the filters', async () => {
    await audit(admin, { user: 'reviewer', action: 'read', from: '2026-01-01', to: '2026-12-31', limit: '5' });
    await csv(admin, { entity: 'person.id_number', person: otherTown.id_number });
    const rows = await t.database.db.selectFrom('audit_log').select(['username', 'action', 'entity', 'detail']).where('entity', '=', 'audit_log').orderBy('id', 'desc').limit(2).execute();
    expect(rows[1]).toMatchObject({ username: 'admin', action: 'read', entity: 'audit_log', detail: { user: 'reviewer', action: 'read', from: '2026-01-01', to: '2026-12-31' } });
    expect(rows[0]).toMatchObject({ username: 'admin', action: 'export', entity: 'audit_log', detail: { entity: 'person.id_number', personId: otherTown.id, language: 'zh' } });
    // the ID number filtered by is kept as the person's id, never in full
    expect(JSON.stringify(rows)).not.toContain(otherTown.id_number);
    expect(await t.database.db.selectFrom('person_audit').select('id').where('entity', '=', 'audit_log').execute()).toEqual([]);
  });

  it('refuses a doctor with 403, audited', async () => {
    for (const res of [await audit(doctor), await csv(doctor)]) {
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const refusals = await t.database.db.selectFrom('audit_log').select(['username', 'action']).where('entity', '=', 'audit.read').execute();
    expect(refusals).toEqual([{ username: 'doctor', action: 'refused' }, { username: 'doctor', action: 'refused' }]);
    expect((await t.app.inject({ url: '/api/admin/audit' })).statusCode).toBe(401);
  });

  it('shows an institution’s administrator only what users of the institution or its teams did', async () => {
    expect(pharmacyInstitution).not.toBe(doctorInstitution);
    const seen = await items(instAdmin);
    const users = new Set(seen.map((i) => i.username));
    expect(users.has('doctor')).toBe(true); // through the doctor's team
    expect(users.has('reviewer') || users.has('pharmacist') || users.has('admin')).toBe(false);
    expect(await items(instAdmin, { user: 'reviewer' })).toEqual([]);
    // its own views are rows of its institution's user (the institution itself)
    expect((await items(instAdmin, { user: 'audit-inst-admin' })).length).toBeGreaterThan(0);
    const [, ...csvRows] = cells((await csv(instAdmin, { person: otherTown.id })).body);
    expect(new Set(csvRows.map((r) => r[1]))).toEqual(new Set(['doctor']));
  });
});

describe('documentation', () => {
  it('describes both routes in OpenAPI', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/admin/audit', '/api/admin/audit.csv']));
  });
});

describe('bad filters', () => {
  const problem = async (query: Record<string, string>, url = '/api/admin/audit') => {
    const res = await t.app.inject({ url, query, headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    return res.json().errors[0];
  };
  it('names the field and the rule', async () => {
    expect(await problem({ from: '2026-02-30' })).toMatchObject({ field: 'query.from' });
    expect(await problem({ to: '15/06/2026' })).toMatchObject({ field: 'query.to' });
    expect(await problem({ from: '2026-06-15', to: '2026-06-01' })).toMatchObject({ field: 'query.to', rule: 'not_before_from' });
    expect(await problem({ limit: '1000' })).toMatchObject({ field: 'query.limit', rule: 'too_big' });
    expect(await problem({ action: 'peek' })).toMatchObject({ field: 'query.action' });
    expect(await problem({ person: 'somebody' })).toMatchObject({ field: 'query.person', rule: 'person_id_or_id_number' });
    const body = '33040219580412000';
    const wrong = body + (checkDigit(body) === '1' ? '2' : '1');
    expect(await problem({ person: wrong })).toMatchObject({ field: 'query.person', rule: 'person_id_or_id_number' }); // a wrong check digit
    expect(await problem({ cursor: 'bm9wZQ' })).toMatchObject({ field: 'query.cursor', rule: 'invalid_cursor' });
    expect(await problem({ cursor: 'bm9wZQ', offset: '5' })).toMatchObject({ field: 'query.cursor', rule: 'cursor_with_offset' });
    expect(await problem({ sort: 'asc' })).toMatchObject({ field: 'query.sort' });
    expect(await problem({ action: 'peek' }, '/api/admin/audit.csv')).toMatchObject({ field: 'query.action' });
    expect(await problem({ lang: 'fr' }, '/api/admin/audit.csv')).toMatchObject({ field: 'query.lang' });
  });
});
