// 用户管理 and one's own password: an administrator creates an account with the scope its role works
// in, the user must choose a password at first sign-in, a reset or a role change ends the sessions,
// a disabled account cannot sign in, and an institution's administrator stays within its institution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: string;
let pharmacyId: string;
let otherPharmacyId: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  const db = t.database.db;
  pharmacyId = (await db.selectFrom('app_user').select('institution_id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).institution_id!;
  otherPharmacyId = (await db.selectFrom('institution').select('id').where('kind', '=', 'pharmacy').where('id', '!=', pharmacyId).limit(1).executeTakeFirstOrThrow()).id;
  await db.insertInto('app_user').values({ username: 'inst-admin', display_name: '机构管理员', role: 'institution_admin', institution_id: pharmacyId, password_hash: await hashPassword(DEMO_PASSWORD) }).execute();
});
afterAll(() => t.close());

const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const signIn = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const cookieOf = (res: Awaited<ReturnType<typeof signIn>>) => `manbing_session=${res.cookies.find((c) => c.name === 'manbing_session')!.value}`;
const rules = (res: { json(): { errors?: Array<{ field: string; rule: string }> } }) => res.json().errors?.map((e) => `${e.field}:${e.rule}`);

describe('a new account', () => {
  it('gets a one-time password and can do nothing but change it', async () => {
    const created = await call(admin, 'POST', '/api/admin/users', { username: 'wang.yaoshi', displayName: '王药师', role: 'pharmacist', institutionId: pharmacyId });
    expect(created.statusCode, created.body).toBe(201);
    const { user, temporaryPassword } = created.json();
    expect(user).toMatchObject({ role: 'pharmacist', institution: { id: pharmacyId }, mustChangePassword: true, demo: false, disabledAt: null });
    expect(temporaryPassword).toMatch(/^(?=.*[A-Za-z])(?=.*[2-9])[A-Za-z2-9]{12}$/);

    const first = await signIn('wang.yaoshi', temporaryPassword);
    expect(first.statusCode).toBe(200);
    expect(first.json().user.mustChangePassword).toBe(true);
    const cookie = cookieOf(first);
    const blocked = await call(cookie, 'GET', '/api/drugs');
    expect(blocked.statusCode).toBe(403);
    expect(rules(blocked)).toEqual([':password_change_required']);

    const weak = await call(cookie, 'POST', '/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'wang.yaoshi' });
    expect(weak.statusCode).toBe(400);
    expect(rules(weak)).toEqual(['body.newPassword:needs_letter_and_digit', 'body.newPassword:contains_username']);
    const wrong = await call(cookie, 'POST', '/api/auth/password', { currentPassword: 'not-it-123', newPassword: 'Kangmin2026' });
    expect(rules(wrong)).toEqual(['body.currentPassword:wrong_password']);
    const changed = await call(cookie, 'POST', '/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'Kangmin2026' });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await call(cookie, 'GET', '/api/drugs')).statusCode).toBe(200);
    expect((await signIn('wang.yaoshi', temporaryPassword)).statusCode).toBe(401);
    expect((await signIn('wang.yaoshi', 'Kangmin2026')).json().user.mustChangePassword).toBe(false);
  });

  it('is refused a scope its role does not work in, naming the field', async () => {
    const doctor = await t.database.db.selectFrom('app_user').select(['team_id']).where('username', '=', 'doctor').executeTakeFirstOrThrow();
    const nurse = await t.database.db.selectFrom('team_member').select('practitioner_id').where('team_id', '=', doctor.team_id!).where('member_role', '=', 'nurse').executeTakeFirstOrThrow();
    const attempts: Array<[object, string]> = [
      [{ role: 'family_doctor', institutionId: pharmacyId }, 'body.teamId:required_for_role'],
      [{ role: 'family_doctor', teamId: doctor.team_id, practitionerId: nurse.practitioner_id }, 'body.practitionerId:doctor_of_team'],
      [{ role: 'insurance_reviewer', regionCode: '3304' }, 'body.regionCode:county_required'],
      [{ role: 'analyst', regionCode: '330402' }, 'body.regionCode:city_required'],
      [{ role: 'pharmacist', institutionId: '00000000-0000-4000-8000-000000000000' }, 'body.institutionId:unknown_institution'],
    ];
    for (const [scope, rule] of attempts) {
      const res = await call(admin, 'POST', '/api/admin/users', { username: 'bad.scope', displayName: '测试', ...scope });
      expect(res.statusCode, JSON.stringify(scope)).toBe(400);
      expect(rules(res)).toEqual([rule]);
    }
    expect(await t.database.db.selectFrom('app_user').select('id').where('username', '=', 'bad.scope').executeTakeFirst()).toBeUndefined();
    const taken = await call(admin, 'POST', '/api/admin/users', { username: 'doctor', displayName: '重名', role: 'system_admin' });
    expect(taken.statusCode).toBe(409);
    expect(rules(taken)).toEqual([':username_taken']);
  });
});

describe('an existing account', () => {
  it('after a reset signs in only with the new one-time password, which it must change; its sessions end', async () => {
    const created = (await call(admin, 'POST', '/api/admin/users', { username: 'li.reviewer', displayName: '李审核', role: 'insurance_reviewer', regionCode: '330402' })).json();
    const first = cookieOf(await signIn('li.reviewer', created.temporaryPassword));
    await call(first, 'POST', '/api/auth/password', { currentPassword: created.temporaryPassword, newPassword: 'Shenhe2026' });
    const session = cookieOf(await signIn('li.reviewer', 'Shenhe2026'));
    expect((await call(session, 'GET', '/api/filings?status=submitted')).statusCode).toBe(200);

    const reset = await call(admin, 'POST', `/api/admin/users/${created.user.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    expect((await call(session, 'GET', '/api/filings?status=submitted')).statusCode).toBe(401);
    expect((await signIn('li.reviewer', 'Shenhe2026')).statusCode).toBe(401);
    const again = await signIn('li.reviewer', reset.json().temporaryPassword);
    expect(again.json().user.mustChangePassword).toBe(true);
  });

  it('disabled cannot sign in and loses its sessions, with the same answer as a wrong password; enabled can again', async () => {
    const created = (await call(admin, 'POST', '/api/admin/users', { username: 'zhao.analyst', displayName: '赵分析', role: 'analyst', regionCode: '3304' })).json();
    const session = cookieOf(await signIn('zhao.analyst', created.temporaryPassword));
    const disabled = await call(admin, 'POST', `/api/admin/users/${created.user.id}/disable`);
    expect(disabled.json().disabledAt).not.toBeNull();
    expect((await call(session, 'GET', '/api/auth/me')).statusCode).toBe(401);
    const refused = await signIn('zhao.analyst', created.temporaryPassword);
    const wrong = await signIn('zhao.analyst', 'not-the-password-1');
    expect([refused.statusCode, refused.json().detail]).toEqual([wrong.statusCode, wrong.json().detail]);
    await call(admin, 'POST', `/api/admin/users/${created.user.id}/enable`);
    expect((await signIn('zhao.analyst', created.temporaryPassword)).statusCode).toBe(200);
  });

  it('changes role and scope at once: the old sessions end', async () => {
    const created = (await call(admin, 'POST', '/api/admin/users', { username: 'sun.move', displayName: '孙调岗', role: 'pharmacist', institutionId: pharmacyId })).json();
    const first = cookieOf(await signIn('sun.move', created.temporaryPassword));
    await call(first, 'POST', '/api/auth/password', { currentPassword: created.temporaryPassword, newPassword: 'Tiaogang2026' });
    const session = cookieOf(await signIn('sun.move', 'Tiaogang2026'));
    const moved = await call(admin, 'PATCH', `/api/admin/users/${created.user.id}`, { scope: { role: 'pharmacist', institutionId: otherPharmacyId } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().institution.id).toBe(otherPharmacyId);
    expect((await call(session, 'GET', '/api/auth/me')).statusCode).toBe(401);
    const me = (await call(cookieOf(await signIn('sun.move', 'Tiaogang2026')), 'GET', '/api/auth/me')).json().user;
    expect(me.scope.id).toBe(otherPharmacyId);
  });

  it('an administrator cannot disable itself or change its own role', async () => {
    const self = (await call(admin, 'GET', '/api/auth/me')).json().user;
    expect(rules(await call(admin, 'POST', `/api/admin/users/${self.id}/disable`))).toEqual([':own_account']);
    expect(rules(await call(admin, 'PATCH', `/api/admin/users/${self.id}`, { scope: { role: 'analyst', regionCode: '3304' } }))).toEqual([':own_role']);
  });
});

describe('an institution’s administrator', () => {
  it('manages the accounts of its institution only, and only the roles that work there', async () => {
    const cookie = await t.login('inst-admin');
    const mine = await call(cookie, 'POST', '/api/admin/users', { username: 'zhou.pharm', displayName: '周药师', role: 'pharmacist', institutionId: pharmacyId });
    expect(mine.statusCode, mine.body).toBe(201);
    const elsewhere = await call(cookie, 'POST', '/api/admin/users', { username: 'qian.pharm', displayName: '钱药师', role: 'pharmacist', institutionId: otherPharmacyId });
    expect(elsewhere.statusCode).toBe(403);
    const reviewer = await call(cookie, 'POST', '/api/admin/users', { username: 'wu.review', displayName: '吴审核', role: 'insurance_reviewer', regionCode: '330402' });
    expect(reviewer.statusCode).toBe(403);
    const list = (await call(cookie, 'GET', '/api/admin/users?limit=100')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((u: { institution: { id: string } | null }) => u.institution?.id === pharmacyId)).toBe(true);
    const doctor = await t.database.db.selectFrom('app_user').select('id').where('username', '=', 'doctor').executeTakeFirstOrThrow();
    expect((await call(cookie, 'POST', `/api/admin/users/${doctor.id}/reset-password`)).statusCode).toBe(403);
    const refusals = await t.database.db.selectFrom('audit_log').select('entity').where('username', '=', 'inst-admin').where('action', '=', 'refused').execute();
    expect(refusals.map((r) => r.entity)).toEqual(['user.manage', 'user.manage', 'user.manage']);
  });

  it('is not a user manager for a doctor', async () => {
    expect((await call(await t.login('doctor'), 'GET', '/api/admin/users')).statusCode).toBe(403);
  });
});
