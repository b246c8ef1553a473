// A fresh database per test file: on PGlite a copy of the template dump, on PostgreSQL
// (DATABASE_URL set) a new database created from the template and dropped afterwards.
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { type Connection, connectPglite, connectPostgres } from '../../src/db/connect';

/** The demo city every test starts from: small, fixed seed, fixed day. */
export const TEST_DEMO = { patients: 2000, seed: 7, asOf: '2026-06-15' };

export const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** CREATE/DROP DATABASE run from the database DATABASE_URL names. */
export const runRaw = (c: Connection, text: string) => sql.raw(text).execute(c.db);

export interface TestDatabase extends Connection {
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dump = await readFile(inject('templateDump'));
    const connection = await connectPglite({ loadDataDir: new Blob([dump]) });
    return { ...connection, drop: () => connection.close() };
  }
  return serverDatabase(url, `template ${inject('templateDatabase')}`, 20);
}

/** A new database on the server (`create database … <options>`), dropped by `drop()`. */
async function serverDatabase(url: string, options: string, pool: number): Promise<TestDatabase> {
  const name = `manbing_test_${randomBytes(6).toString('hex')}`;
  const admin = await connectPostgres(url, 1);
  await runRaw(admin, `create database ${name} ${options}`);
  const connection = await connectPostgres(withDatabase(url, name), pool);
  return {
    ...connection,
    drop: async () => {
      await connection.close();
      await runRaw(admin, `drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}

/** A database with the schema and the catalogues but no demo city: what a county starts from before its roster. */
export async function emptyDatabase(): Promise<TestDatabase> {
  const { migrateToLatest } = await import('../../src/db/migrate');
  const { syncReferenceData } = await import('../../src/modules/reference/sync');
  const url = process.env.DATABASE_URL;
  const fill = async (c: Connection) => {
    await migrateToLatest(c.db);
    await syncReferenceData(c.db);
  };
  if (!url) {
    const connection = await connectPglite();
    await fill(connection);
    return { ...connection, drop: () => connection.close() };
  }
  const database = await serverDatabase(url, '', 5);
  await fill(database);
  return database;
}
