// Issue 13, backup and restore of the embedded database: a backup taken through the running server (in
// this process, and a real `manbing start`) while it serves holds every row, also while transactions go
// on; a restore brings every row back into an empty data dir, refuses a non-empty one without touching
// it, and refuses files that are not backups. On PostgreSQL the commands name pg_dump / pg_restore, and
// those very command lines are run here to copy a database row for row.
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { registerAudit } from '../../src/cli/commands/audit';
import { registerBackup } from '../../src/cli/commands/backup';
import { registerReminders } from '../../src/cli/commands/reminders';
import { registerIndicators } from '../../src/cli/commands/indicators';
import { registerReport } from '../../src/cli/commands/report';
import { claimDataDir, type Claim } from '../../src/cli/serverFile';
import { loadConfig } from '../../src/config';
import { PolicyBook } from '../../src/core/policyBook';
import { connectPglite, connectPostgres, type Database } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import { loadDemoCity } from '../../src/modules/demo/load';
import { syncReferenceData } from '../../src/modules/reference/sync';
import { AUDIT_RUN_PATH, BACKUP_PATH, controlChannel } from '../../src/server/control';
import { buildApp } from '../../src/server/app';
import { runRaw, withDatabase } from '../helpers/database';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'manbing-backup-test-'));
const sourceDir = join(work, 'source');
let source: Awaited<ReturnType<typeof connectPglite>>;
let app: FastifyInstance;
let claim: Claim;
let baseUrl: string;

beforeAll(async () => {
  // a real data dir with a small demo city in it, served on a real port with its control channel
  claim = claimDataDir(sourceDir); // as `manbing start` does, before the database opens
  source = await connectPglite({ dataDir: join(sourceDir, 'pgdata') });
  await migrateToLatest(source.db);
  await syncReferenceData(source.db);
  await loadDemoCity(source.db, { patients: 300, seed: 11, asOf: '2026-06-15' });
  const config = loadConfig({ LOGIN_RATE_LIMIT: '0', RATE_LIMIT: '0' });
  app = await buildApp({ db: source.db, config, now: () => new Date(), policies: PolicyBook.load() }, { control: controlChannel(claim.token, source) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  claim.announce(app.server.address());
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  claim?.release();
  await source?.close();
  rmSync(work, { recursive: true, force: true });
});

/** `manbing backup|restore …` in this process, with the given environment (the embedded database unless DATABASE_URL is given). */
async function cli(env: { MANBING_DATA_DIR: string; DATABASE_URL?: string }, ...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.stubEnv('MANBING_DATA_DIR', env.MANBING_DATA_DIR);
  vi.stubEnv('DATABASE_URL', env.DATABASE_URL);
  vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void stderr.push(a.join(' ')));
  try {
    const program = new Command('manbing').exitOverride();
    registerBackup(program);
    registerAudit(program);
    registerReminders(program);
    registerIndicators(program);
    registerReport(program);
    await program.parseAsync(['node', 'manbing', ...args]).catch((e: Error) => {
      // what bin/manbing.js does with a command's error: its message, exit code 1
      stderr.push(e.message);
      process.exitCode = 1;
    });
    return { stdout: stdout.join('\n'), stderr: stderr.join('\n'), exitCode: process.exitCode ?? 0 };
  } finally {
    process.exitCode = undefined;
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
}

/** Every table's row count and a hash of all its rows, in a fixed order. */
async function fingerprint(db: Database) {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const result: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables.rows) {
    const t = sql.table(name);
    const r = await sql<{ rows: number; md5: string | null }>`select count(*) as rows, md5(string_agg(t::text, E'\n' order by t::text)) as md5 from ${t} as t`.execute(db);
    result[name] = { rows: Number(r.rows[0]!.rows), md5: r.rows[0]!.md5 ?? '' };
  }
  return result;
}

async function fingerprintOfDir(dataDir: string) {
  const c = await connectPglite({ dataDir: join(dataDir, 'pgdata') });
  try {
    return await fingerprint(c.db);
  } finally {
    await c.close();
  }
}

/** Every file under a folder with a hash of its content and its modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = `${statSync(p).mtimeMs} ${createHash('sha1').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('manbing backup while the server runs, then manbing restore', () => {
  const restored = join(work, 'restored');
  let before: Awaited<ReturnType<typeof fingerprint>>;

  it('copies every row, including what was committed a moment ago and not yet checkpointed', async () => {
    const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'doctor', password: 'manbing-demo' }) });
    expect(login.status).toBe(200);
    before = await fingerprint(source.db);
    expect(before.person!.rows).toBeGreaterThan(300);
    expect(before.user_session!.rows).toBeGreaterThan(0);

    const out = join(work, 'b1.tar.gz');
    const backup = await cli({ MANBING_DATA_DIR: sourceDir }, 'backup', '--out', out);
    expect(backup).toMatchObject({ exitCode: 0, stderr: '' });
    expect(backup.stdout).toContain(`the running server (process ${process.pid})`);
    expect(statSync(out).mode & 0o777).toBe(0o600); // it holds every patient's record
    expect(readdirSync(work).filter((f) => f.includes('.partial'))).toEqual([]);
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200); // still serving

    const restore = await cli({ MANBING_DATA_DIR: restored }, 'restore', '--in', out);
    expect(restore).toMatchObject({ exitCode: 0, stderr: '' });
    const rows = Object.values(before).reduce((sum, t) => sum + t.rows, 0);
    const latest = await sql<{ name: string }>`select max(name) as name from kysely_migration`.execute(source.db);
    expect(restore.stdout).toContain(`${Object.keys(before).length} tables, ${rows.toLocaleString('en-US')} rows; migrations up to ${latest.rows[0]!.name}`);
    expect(readdirSync(restored)).toEqual(['pgdata']); // no claim or temporary folder left behind
    expect(await fingerprintOfDir(restored)).toEqual(before);
    expect(await fingerprint(source.db)).toEqual(before); // and the source is as it was
  });

  it('takes a consistent copy while transactions go on: each one is there whole or not at all', async () => {
    await sql`create table backup_probe (txn int not null, part int not null)`.execute(source.db);
    let stop = false;
    let committed = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await source.db.transaction().execute(async (tx) => {
          await sql`insert into backup_probe values (${i}, 1)`.execute(tx);
          await new Promise((r) => setTimeout(r, 1)); // the transaction stays open across a turn of the event loop
          await sql`insert into backup_probe values (${i}, 2)`.execute(tx);
        });
        committed = i + 1;
      }
    })();
    await vi.waitUntil(() => committed >= 20, { timeout: 10_000 });
    const committedBefore = committed;
    const out = join(work, 'b2.tar.gz');
    const backup = await cli({ MANBING_DATA_DIR: sourceDir }, 'backup', '--out', out);
    stop = true;
    await writer;
    expect(backup.exitCode).toBe(0);

    const dir = join(work, 'restored-busy');
    expect((await cli({ MANBING_DATA_DIR: dir }, 'restore', '--in', out)).exitCode).toBe(0);
    const c = await connectPglite({ dataDir: join(dir, 'pgdata') });
    try {
      const r = await sql<{ txns: number; halves: number }>`select count(distinct txn) as txns, count(*) filter (where n <> 2) as halves from (select txn, count(*) as n from backup_probe group by txn) x`.execute(c.db);
      expect(Number(r.rows[0]!.halves)).toBe(0);
      expect(Number(r.rows[0]!.txns)).toBeGreaterThanOrEqual(committedBefore);
      expect(Number(r.rows[0]!.txns)).toBeLessThanOrEqual(committed);
    } finally {
      await c.close();
    }
  });

  it('refuses to restore into a data dir that is not empty, and touches nothing', async () => {
    const full = snapshot(restored);
    const r = await cli({ MANBING_DATA_DIR: restored }, 'restore', '--in', join(work, 'b2.tar.gz'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${join(restored, 'pgdata')} is not empty`);
    noStack(r.stderr);
    expect(snapshot(restored)).toEqual(full);
    expect(readdirSync(restored)).toEqual(['pgdata']);
  });

  it('refuses a file that is not a backup, saying why, and creates nothing', async () => {
    const target = join(work, 'never');
    const bad = join(work, 'bad');
    mkdirSync(bad);
    const whole = readFileSync(join(work, 'b1.tar.gz'));
    const files = {
      'notes.txt': [Buffer.from('not a backup\n'), 'it is not gzip-compressed'],
      'cut.tar.gz': [whole.subarray(0, whole.length >> 1), 'it is damaged or cut short (the gzip stream does not decompress)'],
      'text.gz': [gzipSync('hello '.repeat(200)), 'it is not a tar archive'],
    } as const;
    for (const [name, [bytes, why]] of Object.entries(files)) {
      writeFileSync(join(bad, name), bytes);
      const r = await cli({ MANBING_DATA_DIR: target }, 'restore', '--in', join(bad, name));
      expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 1, stderr: `${join(bad, name)} is not a manbing backup: ${why}` });
    }
    expect((await cli({ MANBING_DATA_DIR: target }, 'restore', '--in', join(bad, 'missing.tar.gz'))).stderr).toBe(`${join(bad, 'missing.tar.gz')}: no such file or folder`);
    expect((await cli({ MANBING_DATA_DIR: target }, 'restore', '--in', bad)).stderr).toBe(`${bad}: it is a folder`);
    expect(existsSync(target)).toBe(false);
    const nothing = await cli({ MANBING_DATA_DIR: target }, 'backup', '--out', join(work, 'nothing.tar.gz'));
    expect(nothing).toMatchObject({ exitCode: 1, stderr: `There is no database in ${join(target, 'pgdata')} to back up` });
    expect(existsSync(target) || existsSync(join(work, 'nothing.tar.gz'))).toBe(false);
  });

  it('answers the control channel only on this machine, with the token, and keeps it out of the API document', async () => {
    const auth = { authorization: `Bearer ${claim.token}` };
    const stranger = await app.inject({ method: 'GET', url: BACKUP_PATH, headers: auth, remoteAddress: '203.0.113.5' });
    const proxied = await app.inject({ method: 'GET', url: BACKUP_PATH, headers: { ...auth, 'x-forwarded-for': '203.0.113.5' } });
    const wrong = await app.inject({ method: 'GET', url: BACKUP_PATH, headers: { authorization: 'Bearer guess' } });
    const none = await fetch(`${baseUrl}${BACKUP_PATH}`);
    expect([stranger.statusCode, proxied.statusCode, wrong.statusCode, none.status]).toEqual([403, 403, 403, 403]);
    expect(JSON.stringify(await (await fetch(`${baseUrl}/openapi.json`)).json())).not.toContain(BACKUP_PATH);
  });
});

describe('other commands while the server holds the data dir', () => {
  it('manbing audit run is done by the server, through its control channel, and prints the same JSON', async () => {
    const runs = async () => Number((await sql<{ n: number }>`select count(*) as n from audit_run where trigger = 'cli' and service_date = '2026-06-14'`.execute(source.db)).rows[0].n);
    const before = await runs();
    const first = await cli({ MANBING_DATA_DIR: sourceDir }, 'audit', 'run', '--date', '2026-06-14', '--json');
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    const out = JSON.parse(first.stdout);
    expect(out.date).toBe('2026-06-14');
    expect(out.run.claims_checked).toBeGreaterThan(0);
    expect(await runs()).toBe(before + 1); // written by the server into the database it holds
    const again = JSON.parse((await cli({ MANBING_DATA_DIR: sourceDir }, 'audit', 'run', '--date', '2026-06-14', '--json')).stdout);
    expect(again.findings.map((f: { finding_id: string }) => f.finding_id)).toEqual(out.findings.map((f: { finding_id: string }) => f.finding_id));
    expect(again.run.findings_new).toBe(0);
    const table = await cli({ MANBING_DATA_DIR: sourceDir }, 'audit', 'run', '--date', '2026-06-14');
    expect(table.stdout).toMatch(/^Smart audit 2026-06-14: \d+ claims/);
    // a bad date is refused before the server is asked
    expect(await cli({ MANBING_DATA_DIR: sourceDir }, 'audit', 'run', '--date', '2026-02-30')).toMatchObject({ exitCode: 2, stderr: '--date must be a calendar date YYYY-MM-DD, got "2026-02-30"' });
    // the channel wants its token and a well-formed body
    const anonymous = await app.inject({ method: 'POST', url: AUDIT_RUN_PATH, payload: { date: '2026-06-14', osUser: 'x' } });
    const malformed = await app.inject({ method: 'POST', url: AUDIT_RUN_PATH, headers: { authorization: `Bearer ${claim.token}` }, payload: { date: '2026-06-14' } });
    expect([anonymous.statusCode, malformed.statusCode]).toEqual([403, 400]);
    expect(await runs()).toBe(before + 3);
  });
});

describe('manbing indicators and manbing report while the server runs', () => {
  it('are answered by the server through its control channel: the same JSON, the file written whole', async () => {
    const cookie = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'analyst', password: 'manbing-demo' } })).cookies[0];
    const api = (await app.inject({ method: 'GET', url: '/api/indicators?year=2026&quarter=2', headers: { cookie: `${cookie.name}=${cookie.value}` } })).json();
    const printed = await cli({ MANBING_DATA_DIR: sourceDir }, 'indicators', '--year', '2026', '--quarter', '2', '--json');
    expect(printed).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(printed.stdout)).toEqual(api);
    expect(await cli({ MANBING_DATA_DIR: sourceDir }, 'indicators', '--year', '2026', '--quarter', '9')).toMatchObject({ exitCode: 2 });
    const out = join(work, 'q2.csv');
    const report = await cli({ MANBING_DATA_DIR: sourceDir }, 'report', 'quarterly', '--year', '2026', '--quarter', '2', '--out', out);
    expect(report).toMatchObject({ exitCode: 0, stderr: '' });
    expect(readFileSync(out, 'utf8')).toContain('城乡居民医保');
    expect(await cli({ MANBING_DATA_DIR: sourceDir }, 'report', 'quarterly', '--year', '2026', '--quarter', '2', '--county', '330499', '--out', join(work, 'no.csv'))).toMatchObject({ exitCode: 2 });
    expect(existsSync(join(work, 'no.csv'))).toBe(false);
  });
});

describe('manbing start', () => {
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
  const start = (dataDir: string, port: number) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MANBING_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', MANBING_REMINDERS: 'off' };
    delete env.DATABASE_URL; // the embedded database, whichever database the run's other tests use
    return spawn(process.execPath, ['bin/manbing.js', 'start', '--no-demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  it('announces itself in server.json (0600), serves backups through it, refuses a second server and removes it on a clean stop', async () => {
    const dir = join(work, 'served');
    cpSync(join(work, 'restored'), dir, { recursive: true });
    const server = start(dir, await freePort());
    const file = join(dir, 'server.json');
    try {
      await vi.waitUntil(() => existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).port !== null, { timeout: 90_000, interval: 200 });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: server.pid, host: '127.0.0.1', token: expect.stringMatching(/^[\w-]{43}$/) });

      const second = start(dir, await freePort());
      let secondErr = '';
      second.stderr!.on('data', (d) => (secondErr += d));
      expect(await exited(second)).toBe(1);
      expect(secondErr).toContain(`is in use by process ${server.pid}, which is a manbing server`);
      // so does a command that would open the database itself, and the server's claim stays
      const reminders = await cli({ MANBING_DATA_DIR: dir }, 'reminders', 'run', '--date', '2026-06-15');
      expect(reminders).toMatchObject({ exitCode: 1, stderr: expect.stringContaining(`is in use by process ${server.pid}, which is a manbing server`) });
      expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(server.pid);

      const out = join(work, 'b3.tar.gz');
      const backup = await cli({ MANBING_DATA_DIR: dir }, 'backup', '--out', out);
      expect(backup.stdout).toContain(`the running server (process ${server.pid})`);
      server.kill('SIGTERM');
      expect(await exited(server)).toBe(0);
      expect(existsSync(file)).toBe(false);

      // nothing was written after the server listened, so the copy is the data dir as it stopped
      const copy = join(work, 'served-copy');
      expect((await cli({ MANBING_DATA_DIR: copy }, 'restore', '--in', out)).exitCode).toBe(0);
      const stopped = await fingerprintOfDir(dir);
      expect(await fingerprintOfDir(copy)).toEqual(stopped);

      // with no server, backup opens the data dir itself (and holds it meanwhile)
      const offline = await cli({ MANBING_DATA_DIR: dir }, 'backup', '--out', join(work, 'b4.tar.gz'));
      expect(offline).toMatchObject({ exitCode: 0, stderr: '' });
      expect(offline.stdout).toContain(`Backed up ${join(dir, 'pgdata')} to ${join(work, 'b4.tar.gz')}`);
      expect(existsSync(file)).toBe(false);
      const copy2 = join(work, 'offline-copy');
      expect((await cli({ MANBING_DATA_DIR: copy2 }, 'restore', '--in', join(work, 'b4.tar.gz'))).exitCode).toBe(0);
      expect(await fingerprintOfDir(copy2)).toEqual(stopped);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }, 180_000);
});

describe.runIf(process.env.DATABASE_URL)('on a PostgreSQL server', () => {
  const url = process.env.DATABASE_URL!;

  it('both commands refuse and print the pg_dump / pg_restore lines, which copy every row', async () => {
    const dir = join(work, 'unused');
    const backup = await cli({ MANBING_DATA_DIR: dir, DATABASE_URL: url }, 'backup', '--out', join(work, 'x'));
    const restore = await cli({ MANBING_DATA_DIR: dir, DATABASE_URL: url }, 'restore', '--in', join(work, 'x'));
    expect([backup.exitCode, restore.exitCode]).toEqual([1, 1]);
    const dumpLine = backup.stderr.split('\n').find((l) => l.includes('pg_dump'))!.trim();
    const restoreLine = restore.stderr.split('\n').find((l) => l.startsWith('  pg_restore'))!.trim();
    expect(dumpLine).toBe('pg_dump -Fc -d "$DATABASE_URL" -f manbing.dump');
    expect(restoreLine).toBe('pg_restore --no-owner -d <empty db> manbing.dump');
    expect(existsSync(dir)).toBe(false);

    const suffix = randomBytes(6).toString('hex');
    const [from, to] = [`manbing_backup_from_${suffix}`, `manbing_backup_to_${suffix}`];
    const admin = await connectPostgres(url, 1);
    try {
      await runRaw(admin, `create database ${from} template ${inject('templateDatabase')}`);
      await runRaw(admin, `create database ${to} template template0`);
      const shell = (line: string, env: Record<string, string> = {}) => execSync(line, { cwd: work, env: { ...process.env, ...env }, stdio: 'pipe' });
      shell(dumpLine, { DATABASE_URL: withDatabase(url, from) });
      shell(restoreLine.replace('<empty db>', `"${withDatabase(url, to)}"`));
      const [a, b] = [await connectPostgres(withDatabase(url, from), 2), await connectPostgres(withDatabase(url, to), 2)];
      try {
        const original = await fingerprint(a.db);
        expect(original.person!.rows).toBeGreaterThan(0);
        expect(await fingerprint(b.db)).toEqual(original);
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await runRaw(admin, `drop database if exists ${from} with (force)`);
      await runRaw(admin, `drop database if exists ${to} with (force)`);
      await admin.close();
    }
  });
});
