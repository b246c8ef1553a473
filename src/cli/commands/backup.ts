// `manbing backup --out <file>` and `manbing restore --in <file>` for the embedded database. PGlite is
// single-process, so a backup taken while the server runs is asked of the server (server.json names it
// and its control channel); otherwise the command opens the data dir itself. A restore goes only into an
// empty data dir, through a folder beside it that takes the name once the copy has opened and been
// counted. On a PostgreSQL server both refuse and name pg_dump / pg_restore, the tools for that.
import { existsSync, readdirSync } from 'node:fs';
import { rename, rm, rmdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { sql } from 'kysely';
import type { Config } from '../../config';
import type { Database } from '../../db/connect';
import { readBackup, writeBackupAtomically } from '../backupFile';
import { askServer, claimDataDir, holderMessage, holderOf, isAlive, readServerFile, type ServerFile } from '../serverFile';

type Options = { out?: string; in?: string };

export function registerBackup(program: Command) {
  program
    .command('backup')
    .description('Copy the embedded database to a file (consistent, also while the server runs)')
    .requiredOption('--out <file>', 'the backup to write (a .tar.gz; replaced whole, never half-written)')
    .action(run(backup));
  program
    .command('restore')
    .description('Bring a backup back into an empty data directory (MANBING_DATA_DIR)')
    .requiredOption('--in <file>', 'a file written by manbing backup')
    .action(run(restore));
}

/** Every failure is one message on stderr and exit code 1; nothing is left half-done. */
const run = (command: (config: Config, options: Options) => Promise<void>) => async (options: Options) => {
  try {
    const { loadConfig } = await import('../../config');
    await command(loadConfig(), options);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
};

const onServer = (what: string, commands: string[]) =>
  new Error([`DATABASE_URL names a PostgreSQL server; manbing ${what} is for the embedded database. On a server use:`, ...commands.map((c) => `  ${c}`)].join('\n'));

const pgdataOf = (config: Config) => resolve(config.MANBING_DATA_DIR, 'pgdata');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function backup(config: Config, options: Options) {
  if (config.DATABASE_URL) throw onServer('backup', ['pg_dump -Fc -d "$DATABASE_URL" -f manbing.dump']);
  const out = resolve(options.out!);
  const pgdata = pgdataOf(config);
  if (out.startsWith(pgdata + sep)) throw new Error(`Write the backup outside the database folder ${pgdata}`);
  const started = Date.now();
  const server = readServerFile(config.MANBING_DATA_DIR);
  let source: string;
  let size: number;
  if (server && isAlive(server.pid)) {
    if (server.port === null) throw new Error(holderMessage(config.MANBING_DATA_DIR, server));
    size = await writeBackupAtomically(out, await backupFromServer(server, config.MANBING_DATA_DIR));
    source = `the running server (process ${server.pid})`;
  } else {
    if (!existsSync(join(pgdata, 'PG_VERSION'))) throw new Error(`There is no database in ${pgdata} to back up`);
    const dump = await withDataDir(config, async () => {
      const { connectPglite } = await import('../../db/connect');
      const { controlChannel } = await import('../../server/control');
      const connection = await connectPglite({ dataDir: pgdata });
      try {
        return await controlChannel('', connection)!.backup();
      } finally {
        await connection.close();
      }
    });
    size = await writeBackupAtomically(out, dump.stream());
    source = pgdata;
  }
  console.log(`Backed up ${source} to ${out}: ${mb(size)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/** The server's copy, streamed; a refusal is said plainly. */
async function backupFromServer(server: ServerFile, dataDir: string): Promise<AsyncIterable<Uint8Array>> {
  const { BACKUP_PATH } = await import('../../server/control');
  const response = await askServer(server, dataDir, BACKUP_PATH);
  if (response.status !== 200 || !response.body) {
    const detail = ((await response.json().catch(() => ({}))) as { detail?: string }).detail;
    throw new Error(`The server refused the backup (${response.status}${detail ? `: ${detail}` : ''})`);
  }
  return response.body;
}

/** Runs `work` holding the data dir, so a server cannot open it meanwhile. */
async function withDataDir<T>(config: Config, work: () => Promise<T>): Promise<T> {
  const claim = claimDataDir(config.MANBING_DATA_DIR);
  try {
    return await work();
  } finally {
    claim.release();
  }
}

function refuseNonEmpty(pgdata: string) {
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0)
    throw new Error(`${pgdata} is not empty: a restore goes only into an empty data directory. Nothing was changed. Move the folder aside, or set MANBING_DATA_DIR to a new folder.`);
}

async function restore(config: Config, options: Options) {
  if (config.DATABASE_URL)
    throw onServer('restore', ['pg_restore --no-owner -d <empty db> manbing.dump', '(<empty db>: the URL of a new database, made with CREATE DATABASE manbing_restored TEMPLATE template0)']);
  const pgdata = pgdataOf(config);
  refuseNonEmpty(pgdata);
  const holder = holderOf(config.MANBING_DATA_DIR);
  if (holder) throw new Error(holderMessage(config.MANBING_DATA_DIR, holder));
  const file = resolve(options.in!);
  const tar = await readBackup(file);
  const summary = await withDataDir(config, async () => {
    refuseNonEmpty(pgdata);
    const temp = `${pgdata}.restoring-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    try {
      const { connectPglite } = await import('../../db/connect');
      const connection = await connectPglite({ dataDir: temp, loadDataDir: new Blob([tar as Uint8Array<ArrayBuffer>]) });
      const counted = await summarise(connection.db).finally(() => connection.close());
      if (existsSync(pgdata)) await rmdir(pgdata); // empty, as checked under the claim
      await rename(temp, pgdata);
      return counted;
    } catch (e) {
      await rm(temp, { recursive: true, force: true });
      throw e;
    }
  });
  console.log(`Restored ${file} into ${pgdata}: ${summary.tables} tables, ${summary.rows.toLocaleString('en-US')} rows; migrations up to ${summary.migration}.`);
  console.log('Start the server with `manbing start` (it applies any newer migrations).');
}

/** Opens the restored copy once: it must be a manbing database; its tables and rows are counted. */
async function summarise(db: Database) {
  const found = await sql<{ name: string | null }>`select to_regclass('public.kysely_migration')::text as name`.execute(db);
  if (!found.rows[0]?.name) throw new Error('The backup holds a PostgreSQL database, but not a manbing one (no migrations table). Nothing was changed.');
  const latest = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  let rows = 0;
  for (const t of tables.rows) rows += Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t.name)}`.execute(db)).rows[0]!.n);
  return { tables: tables.rows.length, rows, migration: latest.rows[0]?.name ?? 'none' };
}
