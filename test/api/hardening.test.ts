// Issue 11, access and input hardening at the server's edge: rate limits, control characters, the
// log masker, the proxy setting, security headers and secure cookies, and the reminder job started
// only when asked. Each app here is built with its own settings over one shared test database.
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import type { AppContext } from '../../src/core/context';
import { PolicyBook } from '../../src/core/policyBook';
import { shanghaiDate } from '../../src/engine/calendar';
import { hashToken } from '../../src/modules/auth/service';
import { buildApp, loggerOptions, type BuildOptions } from '../../src/server/app';
import { maskForLog } from '../../src/server/logMask';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { type BrowserApp, describeBrowser, signIn, startBrowserApp } from '../browser/browser';

let database: TestDatabase;
let policies: PolicyBook;
const apps: FastifyInstance[] = [];
const clock = { now: new Date('2026-06-15T02:00:00Z') };

beforeAll(async () => {
  database = await testDatabase();
  policies = PolicyBook.load();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await database?.drop();
});

/** An app over the shared database with the given environment, and optionally a log captured line by line. */
async function appWith(env: Record<string, string> = {}, options: BuildOptions & { log?: string[] } = {}) {
  const ctx: AppContext = { db: database.db, config: loadConfig(env), now: () => clock.now, policies };
  const { log, ...build } = options;
  const stream = log && new Writable({ write: (chunk, _enc, done) => (log.push(String(chunk)), done()) });
  const app = await buildApp(ctx, { ...build, ...(stream ? { logger: loggerOptions('info', stream) } : {}) });
  apps.push(app);
  return { app, ctx };
}

const login = (app: FastifyInstance, username: string, password = 'manbing-demo', extra: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, ...extra });

const cookieOf = (res: Awaited<ReturnType<typeof login>>) => `manbing_session=${res.cookies.find((c) => c.name === 'manbing_session')!.value}`;

describe('rate limits', () => {
  it('limits sign-ins per address with the same 429 whatever the username; other addresses go on', async () => {
    const { app } = await appWith({ LOGIN_RATE_LIMIT: '3' });
    const a = { remoteAddress: '203.0.113.1' };
    for (let i = 0; i < 3; i++) expect((await login(app, 'doctor', 'wrong', a)).statusCode).toBe(401);
    const real = await login(app, 'doctor', 'manbing-demo', a);
    const unknown = await login(app, 'nobody-at-all', 'manbing-demo', a);
    expect(real.statusCode).toBe(429);
    expect(real.headers['content-type']).toContain('application/problem+json');
    expect(Number(real.headers['retry-after'])).toBeGreaterThan(0);
    expect({ status: unknown.statusCode, title: unknown.json().title }).toEqual({ status: 429, title: real.json().title });
    expect((await login(app, 'doctor', 'manbing-demo', { remoteAddress: '203.0.113.2' })).statusCode).toBe(200);
  });

  it('limits callers without a session, never a signed-in one', async () => {
    const { app } = await appWith({ RATE_LIMIT: '5' });
    const cookie = cookieOf(await login(app, 'analyst'));
    for (let i = 0; i < 20; i++) expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const anonymous = [];
    for (let i = 0; i < 6; i++) anonymous.push((await app.inject({ url: '/health' })).statusCode);
    expect(anonymous).toEqual([200, 200, 200, 200, 200, 429]);
    const rejected = (await app.inject({ url: '/api/people' })).json();
    expect(rejected).toMatchObject({ status: 429, title: 'Too Many Requests' });
    // the web app's files are not counted
    for (let i = 0; i < 10; i++) expect((await app.inject({ url: '/favicon.svg' })).statusCode).not.toBe(429);
  });
});

describe('control characters', () => {
  let app: FastifyInstance;
  let log: string[];
  let cookie: string;
  beforeAll(async () => {
    log = [];
    ({ app } = await appWith({}, { log }));
    cookie = cookieOf(await login(app, 'doctor'));
  });

  const refused = (res: { statusCode: number; json(): { errors?: { field: string; rule: string }[] } }, field: string) => {
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field, rule: 'no_control_characters' })]);
  };

  it('refuses a NUL in a body, without a session and with one, naming the field', async () => {
    refused(await login(app, 'doc\u0000tor', 'x'), 'body.username');
    refused(await login(app, 'doctor', 'manbing-demo\u0000'), 'body.password');
    const filing = await app.inject({ method: 'POST', url: '/api/filings/00000000-0000-4000-8000-000000000000/return', headers: { cookie }, payload: { reason: 'bad\u0000reason' } });
    refused(filing, 'body.reason');
    const nested = await app.inject({ method: 'POST', url: '/api/filings/approve', headers: { cookie }, payload: { ids: ['a', 'b\u0001'] } });
    refused(nested, 'body.ids.1');
  });

  it('refuses them in the query, the params and keys, and DEL too', async () => {
    refused(await app.inject({ url: '/api/people?q=%00', headers: { cookie } }), 'query.q');
    // named as the schema's own errors name the query
    const tooBig = await app.inject({ url: '/api/people?limit=1000', headers: { cookie } });
    expect(tooBig.json().errors[0]).toMatchObject({ field: 'query.limit', rule: 'too_big' });
    refused(await app.inject({ url: '/api/people?q=%7F' }), 'query.q');
    refused(await app.inject({ url: '/api/people/abc%00', headers: { cookie } }), 'params.id');
    refused(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'doctor', password: 'x', 'a\u0000b': 1 } }), 'body.a\\u0000b');
  });

  it('lets tabs and line breaks through (multi-line text), and logs no unhandled error', async () => {
    expect((await login(app, '\tdoctor\r\n')).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/people?q=%09%E7%8E%8B%0A', headers: { cookie } })).statusCode).toBe(200);
    expect(log.join('')).not.toContain('unhandled error');
  });

  it('answers a value the database refuses with a 400 and no stack in the log', async () => {
    const { app: probe, ctx } = await appWith({}, { log: (log = []) });
    probe.get('/test/nul', async () => {
      await sql`select ${'a\u0000b'}::text`.execute(ctx.db);
      return 'stored';
    });
    const res = await probe.inject({ url: '/test/nul' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0]).toMatchObject({ field: expect.stringMatching(/^(body|query|params)/), rule: 'invalid_text' });
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    const lines = log.map((l) => JSON.parse(l));
    expect(lines.some((l) => l.level >= 50)).toBe(false);
    expect(log.join('')).not.toContain('"stack"');
  });
});

describe('the log', () => {
  const ID = '33040219550421228X';
  const masked = '330402********228X';

  it('masks ID numbers after decoding the URL: encoded spaces, tabs, full-width spaces and digits', () => {
    for (const url of [
      `/api/people?q=%20${ID}`,
      `/api/people?q=%09${ID}`,
      `/api/people?q=%E3%80%80${ID}%E3%80%80`,
      `/api/people?q=+${ID}`,
      `/api/people?q=${[...ID].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
      `/api/people?q=${encodeURIComponent('３３０４０２１９５５０４２１２２８Ｘ')}`,
      `/api/people?q=${ID}%0A`,
    ]) {
      const line = maskForLog(url);
      expect(line, url).not.toContain(ID.slice(6, 14));
      expect(line, url).toContain(masked);
    }
    expect(maskForLog('/x?q=%ZZ%20' + ID)).toBe(`/x?q=%ZZ ${masked}`); // a bad escape elsewhere does not stop the rest
  });

  it('masks mobile phone numbers, also after +86', () => {
    expect(maskForLog('/api/people?q=13812345678')).toBe('/api/people?q=138****5678');
    expect(maskForLog('/api/people?q=%2B8613812345678')).toBe('/api/people?q=+86138****5678');
    expect(maskForLog('tel 19912345678.')).toBe('tel 199****5678.');
    expect(maskForLog('/api/people?q=12812345678')).toBe('/api/people?q=12812345678'); // not a mobile number
    expect(maskForLog('/api/people?limit=20&offset=100')).toBe('/api/people?limit=20&offset=100');
  });

  it('holds no full ID or phone number of requests that find the person', async () => {
    const log: string[] = [];
    const { app } = await appWith({}, { log });
    const cookie = cookieOf(await login(app, 'doctor'));
    const listed = (await app.inject({ url: '/api/people?limit=1', headers: { cookie } })).json().items[0];
    const person = await database.db.selectFrom('person').select(['id', 'id_number', 'phone']).where('id', '=', listed.id).executeTakeFirstOrThrow();
    for (const q of [`%20${person.id_number}`, `%09${person.id_number}`, `%E3%80%80${person.id_number}`]) {
      const res = await app.inject({ url: `/api/people?q=${q}`, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((p: { id: string }) => p.id)).toContain(person.id);
    }
    await app.inject({ url: `/api/people?q=${person.phone}`, headers: { cookie } });
    await app.inject({ url: `/api/people?q=${[...person.id_number].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`, headers: { cookie } });
    const text = log.join('');
    expect(text).toContain('incoming request');
    expect(text).not.toContain(person.id_number);
    expect(text).not.toContain(person.id_number.slice(6, 14)); // the birth date part, however it was encoded
    if (person.phone) expect(text).not.toContain(person.phone);
  });

  it('masks ID numbers in logged errors and leaves database parameters out', async () => {
    const log: string[] = [];
    const { app, ctx } = await appWith({}, { log });
    app.get('/test/boom', async () => {
      throw new Error(`could not handle ${ID}`);
    });
    app.get('/test/sql', async () => {
      await sql`select ${ID}::text, 1 / 0`.execute(ctx.db);
      return 'no';
    });
    expect((await app.inject({ url: '/test/boom' })).statusCode).toBe(500);
    expect((await app.inject({ url: '/test/sql' })).statusCode).toBe(500);
    const text = log.join('');
    expect(text).toContain('unhandled error');
    expect(text).toContain(masked);
    expect(text).not.toContain(ID);
  });
});

describe('the proxy setting', () => {
  const forged = { 'x-forwarded-for': '203.0.113.66' };
  /** Signs in and searches with the header; answers the ip of the session and of the search's audit row. */
  const ipsSeen = async (app: FastifyInstance, remoteAddress = '127.0.0.1') => {
    const signIn = await login(app, 'doctor', 'manbing-demo', { remoteAddress, headers: forged });
    const token = signIn.cookies.find((c) => c.name === 'manbing_session')!.value;
    const res = await app.inject({ url: `/api/people?q=${encodeURIComponent('王')}`, remoteAddress, headers: { cookie: `manbing_session=${token}`, ...forged } });
    expect(res.statusCode).toBe(200);
    const audit = await database.db.selectFrom('person_audit').select('ip').where('username', '=', 'doctor').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const session = await database.db.selectFrom('user_session').select('ip').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    return { audit: audit.ip, session: session.ip };
  };

  it('off by default: a forged X-Forwarded-For reaches neither the audit log nor the session', async () => {
    const { app } = await appWith();
    expect(await ipsSeen(app)).toEqual({ audit: '127.0.0.1', session: '127.0.0.1' });
  });

  it('TRUST_PROXY=true believes the proxy', async () => {
    const { app } = await appWith({ TRUST_PROXY: 'true' });
    expect(await ipsSeen(app)).toEqual({ audit: '203.0.113.66', session: '203.0.113.66' });
  });

  it('TRUST_PROXY with addresses believes only those proxies', async () => {
    const { app } = await appWith({ TRUST_PROXY: '10.0.0.0/8' });
    expect(await ipsSeen(app, '198.51.100.7')).toEqual({ audit: '198.51.100.7', session: '198.51.100.7' });
    expect(await ipsSeen(app, '10.1.2.3')).toEqual({ audit: '203.0.113.66', session: '203.0.113.66' });
  });

  it('reads its setting: off, on, or addresses; a hop count is refused', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'off' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).TRUST_PROXY).toBe('127.0.0.1, 10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: '2' })).toThrow(/TRUST_PROXY/);
  });
});

describe('security headers and cookies', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await appWith());
  });

  it('sends a Content-Security-Policy the web app works under, and the other helmet headers', async () => {
    for (const url of ['/', '/health', '/api/auth/me', '/people']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("style-src 'self' 'unsafe-inline'"); // Ant Design writes <style> at run time
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('gives /docs a policy of its own that Swagger UI works under', async () => {
    const res = await app.inject({ url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger-ui');
    expect(String(res.headers['content-security-policy'])).toContain("style-src 'self' 'unsafe-inline'");
    expect(String(res.headers['content-security-policy'])).toContain("img-src 'self' data:");
  });

  it('scripts of the built web app come from files, never inline', async () => {
    const res = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    if (!res.headers['content-type']?.toString().includes('text/html') || res.body.includes('not built')) return; // web/dist not built
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/\son\w+=/);
  });

  const secureCookie = async (env: Record<string, string>, headers: Record<string, string> = {}) => {
    const { app } = await appWith(env);
    const res = await login(app, 'analyst', 'manbing-demo', { headers });
    expect(res.statusCode).toBe(200);
    return res.cookies.find((c) => c.name === 'manbing_session')!.secure === true;
  };

  it('sets Secure on the cookie when the request came over HTTPS through a trusted proxy, or when told', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    expect(await secureCookie({})).toBe(false);
    expect(await secureCookie({}, https)).toBe(false); // not believed from anyone
    expect(await secureCookie({ TRUST_PROXY: 'true' }, https)).toBe(true);
    expect(await secureCookie({ TRUST_PROXY: 'true' })).toBe(false);
    expect(await secureCookie({ TRUST_PROXY: 'true', COOKIE_SECURE: 'false' }, https)).toBe(false);
    expect(await secureCookie({ COOKIE_SECURE: 'true' })).toBe(true);
  });
});

describe('the reminder job', () => {
  const todaysRuns = () =>
    database.db.selectFrom('job_run').select('run_date').where('job', '=', 'reminders').where('run_date', '=', shanghaiDate(clock.now)).execute();

  it('is off in an app that was not asked to run it, even listening', async () => {
    const { app } = await appWith();
    await app.listen({ port: 0, host: '127.0.0.1' });
    expect((app.server.address() as AddressInfo).port).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(await todaysRuns()).toEqual([]);
  });

  it('runs once the server listens when asked (manbing start with MANBING_REMINDERS on)', async () => {
    expect(loadConfig({}).MANBING_REMINDERS).toBe(true);
    expect(loadConfig({ MANBING_REMINDERS: 'off' }).MANBING_REMINDERS).toBe(false);
    const { app } = await appWith({}, { reminders: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await expect.poll(async () => (await todaysRuns()).length, { timeout: 30_000 }).toBe(1);
  });
});

describeBrowser('the web app and /docs under their Content-Security-Policy (browser)', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  /** A page that records every CSP violation, console error and uncaught error. */
  const watchedPage = async () => {
    const context = await b.newContext();
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { page, problems };
  };

  it('signs in, searches and opens a patient with no violation', async () => {
    const { page, problems } = await watchedPage();
    const res = await page.goto('/login');
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await signIn(page, 'doctor');
    await page.goto('/people');
    await page.getByTestId('person-search-input').fill('王');
    await page.getByTestId('person-search-button').click();
    await page.getByTestId('person-row').first().click();
    await page.getByTestId('patient-card').waitFor();
    for (const screen of ['/contracts', '/follow-ups']) {
      await page.goto(screen);
      await page.waitForLoadState('networkidle');
    }
    expect(problems.filter((p) => /Content.Security.Policy|CSP violation|Refused to/i.test(p))).toEqual([]);
  });

  it('renders Swagger UI at /docs with no violation', async () => {
    const { page, problems } = await watchedPage();
    await page.goto('/docs');
    await page.locator('.opblock').first().waitFor();
    await page.locator('.opblock-summary').first().click();
    await page.waitForLoadState('networkidle');
    expect(problems.filter((p) => /Content.Security.Policy|CSP violation|Refused to/i.test(p))).toEqual([]);
  });
});
