// Opens the database the configuration names (a PostgreSQL URL, else the embedded PGlite in
// MANBING_DATA_DIR) and brings its schema up to date. The shipped catalogues are the reference
// module's to load (src/cli/open.ts does both): the database layer knows no module.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config';
import { type Connection, connectPglite, connectPostgres } from './connect';
import { migrateToLatest } from './migrate';

export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'MANBING_DATA_DIR'>): Promise<Connection> {
  let connection: Connection;
  if (config.DATABASE_URL) {
    connection = await connectPostgres(config.DATABASE_URL);
  } else {
    const dataDir = resolve(config.MANBING_DATA_DIR, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
    connection = await connectPglite({ dataDir });
  }
  await migrateToLatest(connection.db);
  return connection;
}

/** Where the database lives, for messages (never prints a password). */
export function describeDatabase(config: Pick<Config, 'DATABASE_URL' | 'MANBING_DATA_DIR'>): string {
  if (!config.DATABASE_URL) return `embedded PGlite in ${resolve(config.MANBING_DATA_DIR, 'pgdata')}`;
  const url = new URL(config.DATABASE_URL);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
