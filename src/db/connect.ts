// One SQL dialect, two deployments: an embedded PGlite (PostgreSQL in WASM, data in a folder)
// or a PostgreSQL server reached by URL. Both are driven through Kysely's PostgreSQL dialect;
// for PGlite a one-connection "pool" hands the single session out to one caller at a time,
// so a transaction never interleaves with another caller's statements.
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { DB } from './schema';

export type Database = Kysely<DB>;
export interface Connection {
  db: Database;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Calendar dates stay 'YYYY-MM-DD' strings (no timezone shifts); int8 counts and sums become numbers. */
const keepText = (value: string) => value;
const toNumber = (value: string) => Number(value);

export async function connectPostgres(url: string, poolSize = 10): Promise<Connection> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE_OID) return keepText;
        if (oid === INT8_OID || oid === NUMERIC_OID) return toNumber;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client can be cut off by the server (restart, DROP DATABASE … WITH (FORCE)); pg reports
  // that on the pool, and without a listener it would crash the process. The next query reconnects.
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') console.error(`database connection lost: ${err.message}`);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * pg sends each query unnamed, so PostgreSQL plans it on every call; for the counter's queries planning
 * costs more than running them. A named statement is prepared once per connection and its plan reused.
 * The name is a hash of the text. Only queries with parameters are named (a parameterless text may hold
 * several statements, as migrations send, which only the simple protocol accepts), and only the first
 * MAX_NAMED distinct texts, so queries of varying shape (IN lists) cannot grow each connection's cache
 * without bound.
 */
const MAX_NAMED = 2000;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_NAMED) {
    name = `k${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  return name;
}

function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      return {
        query: ((textOrCursor: string | pg.Submittable, values?: unknown[]) => {
          if (typeof textOrCursor !== 'string') return client.query(textOrCursor); // a cursor
          return values?.length ? client.query({ text: textOrCursor, values, name: statementName(textOrCursor) }) : client.query(textOrCursor, values);
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

export interface PgliteOptions {
  /** A folder for the data, or undefined for an in-memory database. */
  dataDir?: string;
  /** A dump made by dumpDataDir() to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
}

export async function connectPglite(options: PgliteOptions = {}): Promise<Connection & { pglite: PGlite }> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    parsers: { [DATE_OID]: keepText, [INT8_OID]: toNumber, [NUMERIC_OID]: toNumber },
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: singleSessionPool(pglite) }) });
  return {
    db,
    pglite,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** The subset of pg.Pool that Kysely's PostgresDialect uses, over one PGlite session. */
function singleSessionPool(pglite: PGlite): PostgresPool {
  let queue: Promise<void> = Promise.resolve();
  const client = {
    async query(sql: string, params: readonly unknown[]) {
      // Without parameters use the simple protocol, which (like pg) accepts several statements,
      // as migrations send; the last statement's result is the answer.
      const result = params.length === 0 ? (await pglite.exec(sql)).at(-1)! : await pglite.query(sql, params as unknown[]);
      return { rows: result?.rows ?? [], rowCount: result?.affectedRows ?? 0, command: commandOf(sql) };
    },
    release() {},
  };
  return {
    async connect() {
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const before = queue;
      queue = queue.then(() => mine);
      await before;
      return { ...client, release };
    },
    async end() {},
  } as unknown as PostgresPool; // no cursor overload: Kysely's .stream() is not used with PGlite
}

/** Kysely reads `command` to tell an UPDATE/DELETE's affected rows from a SELECT's. */
function commandOf(sql: string) {
  const word = sql.trimStart().slice(0, 6).toUpperCase();
  return (['INSERT', 'UPDATE', 'DELETE'].includes(word) ? word : 'SELECT') as 'INSERT' | 'UPDATE' | 'DELETE' | 'SELECT';
}

export { pgliteTypes };
