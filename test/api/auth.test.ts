import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';
import { LOGIN_REFUSED, lockSecondsAfter } from '../../src/modules/auth/service';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('sets an HTTP-only session cookie and answers /me', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'doctor', password: 'manbing-demo' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'manbing_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(res.json().user).toMatchObject({ username: 'doctor', role: 'family_doctor', scope: { kind: 'team' } });
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: `manbing_session=${cookie.value}` } });
    expect(me.json().user.username).toBe('doctor');
  });

  it('refuses a wrong password with 401 problem+json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'analyst', password: 'nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('answers 401 without a session', async () => {
    for (const url of ['/api/auth/me', '/api/people?q=王', '/api/people/me']) {
      const res = await t.app.inject({ url: encodeURI(url) });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('logs out: the old cookie no longer works', async () => {
    const cookie = await t.login('analyst');
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('slows down repeated failures: locked after five, even for the right password, then free again', async () => {
    const attempt = (password: string, username = 'reviewer') => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).statusCode).toBe(401);
    const locked = await attempt('manbing-demo');
    // the lock answers exactly as an unknown username does: it tells no one that the account exists
    const unknown = await attempt('manbing-demo', 'no-such-user');
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toEqual(unknown.json());
    expect(locked.headers['retry-after']).toBeUndefined();
    t.clock.now = new Date(t.clock.now.getTime() + 16_000);
    expect((await attempt('manbing-demo')).statusCode).toBe(200);
    // success resets the count: one more failure does not lock
    expect((await attempt('wrong')).statusCode).toBe(401);
    expect((await attempt('manbing-demo')).statusCode).toBe(200);
  });

  it('counts parallel guesses in the database: 30 at once from 30 addresses check five passwords and lock', async () => {
    const failures = async () =>
      (await t.database.db.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('username', '=', 'admin').executeTakeFirstOrThrow());
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `198.51.100.${i + 1}`, payload: { username: 'admin', password: `guess-${i}` } }),
      ),
    );
    expect(guesses.map((g) => g.statusCode)).toEqual(Array(30).fill(401));
    const row = await failures();
    expect(row.failed_logins).toBe(5); // the sixth and later found the account locked and were never checked
    expect(row.locked_until!.getTime() - t.clock.now.getTime()).toBe(lockSecondsAfter(5) * 1000);
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '198.51.100.99', payload: { username: 'admin', password: 'manbing-demo' } });
    expect(right.statusCode).toBe(401);
    expect(right.json().detail).toBe(LOGIN_REFUSED);
  });

  it('locks for at most 15 minutes however many failures, and a success clears the count', async () => {
    const attempt = (password: string, i: number) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `192.0.2.${i}`, payload: { username: 'patient', password } });
    let longest = 0;
    for (let i = 1; i <= 15; i++) {
      expect((await attempt('typo', i)).statusCode).toBe(401);
      const row = await t.database.db.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('username', '=', 'patient').executeTakeFirstOrThrow();
      expect(row.failed_logins).toBe(i);
      const seconds = row.locked_until ? (row.locked_until.getTime() - t.clock.now.getTime()) / 1000 : 0;
      expect(seconds).toBe(lockSecondsAfter(i));
      longest = Math.max(longest, seconds);
      t.clock.now = new Date(t.clock.now.getTime() + seconds * 1000); // wait out the lock
    }
    expect(longest).toBe(15 * 60);
    expect((await attempt('manbing-demo', 100)).statusCode).toBe(200);
    const row = await t.database.db.selectFrom('app_user').select(['failed_logins', 'locked_until']).where('username', '=', 'patient').executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('stores only an argon2id hash of the password', async () => {
    const row = await t.database.db.selectFrom('app_user').select('password_hash').where('username', '=', 'doctor').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('rejects unknown fields and names them', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'doctor', password: 'x', admin: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.admin', rule: 'unrecognized_keys' })]);
  });

  it('names a missing field and never sends a stack trace', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'doctor' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'body.password', rule: 'invalid_type' });
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    const broken = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
  });
});
