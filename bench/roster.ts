// The agency's roster at scale (issue 13: 100,000 lines in under a minute on PostgreSQL):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/roster.ts [lines]
// Generates a roster CSV of valid, unique persons (real check digits), then, each in a scratch database
// of its own created from DATABASE_URL's server (and dropped afterwards):
//   1. the limit: the bare insertMany of the same rows into person_id_number and person in one
//      transaction, as one statement per table and in the import's chunks (the faster counts) — what
//      the database itself costs;
//   2. parse and validate alone (the CSV read, every line checked), no database;
//   3. the import through the service `manbing import roster` calls: read, check, look up, write, audit;
//   4. the same file again: every line unchanged.
// and prints each beside the limit measured in this same run, with the ratio.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config';
import type { AppContext } from '../src/core/context';
import { PolicyBook } from '../src/core/policyBook';
import { connectPostgres } from '../src/db/connect';
import { insertMany } from '../src/db/bulk';
import { migrateToLatest } from '../src/db/migrate';
import { checkDigit } from '../src/engine/identity/residentId';
import { checkRoster } from '../src/engine/roster/roster';
import { actorOfAccount, importRoster } from '../src/modules/roster/service';
import { CHUNK } from '../src/modules/roster/queries';
import { readTable } from '../src/modules/roster/read';
import { syncReferenceData } from '../src/modules/reference/sync';

const N = Number(process.argv[2] ?? 100_000);
const LIMIT_SECONDS = 60;
const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('Set DATABASE_URL to a PostgreSQL server (the bench creates and drops its own scratch databases)');
const url = config.DATABASE_URL;
const admin = await connectPostgres(url, 1);

const withDatabase = (name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
async function scratch(label: string) {
  const name = `manbing_bench_roster_${label}_${process.pid}`;
  await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const connection = await connectPostgres(withDatabase(name), 4);
  await migrateToLatest(connection.db);
  await syncReferenceData(connection.db);
  return {
    db: connection.db,
    drop: async () => {
      await connection.close();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    },
  };
}
const seconds = async (work: () => Promise<unknown>) => {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
};

let seed = 20260615; // mulberry32: the same file every run
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const setup = await scratch('import');
const towns = (await setup.db.selectFrom('region').select('code').where('level', '=', 'town').where('code', 'like', '3304%').orderBy('code').execute()).map((r) => r.code);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂';
const used = new Set<string>();
const rows: Array<{ name: string; sex: 'male' | 'female'; birth_date: string; id_number: string; phone: string | null; region_code: string; insurance_type: string; insured_since: string }> = [];
while (rows.length < N) {
  const town = towns[int(0, towns.length - 1)];
  const birth = iso(Date.UTC(1940, 0, 1) + int(0, 60 * 365) * 86_400_000);
  const sex = rand() < 0.5 ? 'male' : 'female';
  const body = `${town.slice(0, 6)}${birth.replaceAll('-', '')}${String(int(0, 499) * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0')}`;
  const id = body + checkDigit(body);
  if (used.has(id)) continue;
  used.add(id);
  const since = iso(Math.max(Date.parse(birth), Date.UTC(2010, 0, 1) + int(0, 3650) * 86_400_000));
  rows.push({
    name: SURNAMES[int(0, SURNAMES.length - 1)] + GIVEN[int(0, GIVEN.length - 1)] + (rand() < 0.6 ? GIVEN[int(0, GIVEN.length - 1)] : ''),
    sex, birth_date: birth, id_number: id, phone: rand() < 0.9 ? `13${String(int(0, 999_999_999)).padStart(9, '0')}` : null,
    region_code: town, insurance_type: rand() < 0.7 ? 'resident' : 'employee', insured_since: since,
  });
}
const dir = mkdtempSync(join(tmpdir(), 'manbing-bench-roster-'));
const file = join(dir, 'roster.csv');
const csvLine = (r: (typeof rows)[number]) => [r.name, r.sex === 'male' ? '男' : '女', r.birth_date, r.id_number, r.phone ?? '', r.region_code, r.insurance_type, r.insured_since].join(',');
writeFileSync(file, `name,sex,birth_date,id_number,phone,region_code,insurance_type,insured_since\n${rows.map(csvLine).join('\n')}\n`);
console.log(`roster: ${N.toLocaleString('en-US')} lines (${(readFileSync(file).length / 1e6).toFixed(1)} MB), ${towns.length} towns of Jiaxing`);

// 1. the limit: the bare inserts, in a database of their own — one statement per table, and in the
//    import's chunks of 10,000 rows; the faster of the two is the limit
const people = rows.map((r) => ({ id: randomUUID(), ...r, address: null }));
const bareInsert = async (size: number) => {
  const bare = await scratch(`bare${size}`);
  const s = await seconds(() =>
    bare.db.transaction().execute(async (trx) => {
      for (let i = 0; i < people.length; i += size) {
        const part = people.slice(i, i + size);
        await insertMany(trx, 'person_id_number', { id_number: 'text', person_id: 'uuid' }, part.map((p) => ({ id_number: p.id_number, person_id: p.id })));
        await insertMany(trx, 'person', { id: 'uuid', name: 'text', sex: 'text', birth_date: 'date', id_number: 'text', phone: 'text', region_code: 'text', address: 'text', insurance_type: 'text', insured_since: 'date' }, part);
      }
    }));
  // the import also writes one person_audit row per person: the same rows, bare, for the record
  const user = await bare.db.insertInto('app_user').values({ username: 'bench-admin', display_name: '系统管理员', role: 'system_admin', password_hash: 'not-for-signing-in' }).returning('id').executeTakeFirstOrThrow();
  const audit = await seconds(() =>
    bare.db.transaction().execute(async (trx) => {
      for (let i = 0; i < people.length; i += CHUNK)
        await insertMany(trx, 'person_audit', { person_id: 'uuid', user_id: 'uuid', username: 'text', role: 'text', action: 'text', entity: 'text', entity_id: 'text', detail: 'jsonb' },
          people.slice(i, i + CHUNK).map((p) => ({ person_id: p.id, user_id: user.id, username: 'bench-admin', role: 'system_admin', action: 'create', entity: 'person', entity_id: p.id, detail: '{"import":"bench"}' })));
    }));
  await bare.drop();
  return { s, audit };
};
const bareOne = await bareInsert(people.length);
const bareChunked = await bareInsert(CHUNK);
const bareSeconds = Math.min(bareOne.s, bareChunked.s);
const auditSeconds = Math.min(bareOne.audit, bareChunked.audit);

// 2. parse and validate alone
const levels = new Map((await setup.db.selectFrom('region').select(['code', 'level']).execute()).map((r) => [r.code, r.level]));
let checkedLines = 0;
const parseSeconds = await seconds(async () => {
  const read = await readTable(readFileSync(file));
  if ('rule' in read) throw new Error(read.en);
  const checked = checkRoster(read.table, { today: '2026-06-15', regionLevel: (c) => levels.get(c) });
  if ('rule' in checked || checked.refused) throw new Error('the generated roster should be all good lines');
  checkedLines = checked.rows.length;
});

// 3 and 4. the import, then the same file again
await setup.db.insertInto('app_user').values({ username: 'bench-admin', display_name: '系统管理员', role: 'system_admin', password_hash: 'not-for-signing-in' }).execute();
const ctx: AppContext = { db: setup.db, config, now: () => new Date('2026-06-15T02:00:00Z'), policies: PolicyBook.load() };
const actor = (await actorOfAccount(ctx, 'bench-admin'))!;
const run = async () => {
  let summary;
  const s = await seconds(async () => {
    summary = (await importRoster(ctx, actor, readFileSync(file), { fileName: file })).summary;
  });
  return { s, summary };
};
const first = await run();
const second = await run();
const audited = await setup.db.selectFrom('person_audit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
await setup.drop();
await admin.close();
rmSync(dir, { recursive: true, force: true });

const f = (s: number) => `${s.toFixed(2)} s`;
console.log(`limit: bare insertMany into person_id_number + person     ${f(bareSeconds)}  (one statement per table ${f(bareOne.s)}, chunks of ${CHUNK.toLocaleString('en-US')} ${f(bareChunked.s)})`);
console.log(`      and the same number of person_audit rows, bare       ${f(auditSeconds)}`);
console.log(`parse + validate alone (${checkedLines.toLocaleString('en-US')} good lines)                 ${f(parseSeconds)}`);
console.log(`import (service of manbing import roster)              ${f(first.s)}  ${JSON.stringify(first.summary)}  ${(first.s / bareSeconds).toFixed(1)}× the bare insert, ${(first.s / (bareSeconds + auditSeconds + parseSeconds)).toFixed(1)}× insert + audit rows + parse; ${audited.n.toLocaleString('en-US')} person_audit rows`);
console.log(`same file again (all unchanged)                        ${f(second.s)}  ${JSON.stringify(second.summary)}  ${(second.s / bareSeconds).toFixed(1)}× the bare insert`);
console.log(`issue 13's limit: ${LIMIT_SECONDS} s for ${N.toLocaleString('en-US')} lines — ${first.s < LIMIT_SECONDS ? 'met' : 'NOT met'}`);
if (first.s >= LIMIT_SECONDS) process.exitCode = 1;
