// Bulk inserts through unnest(): one parameter per column instead of one per value, so a batch
// of thousands of rows is one short statement on both PGlite and PostgreSQL. Every column travels
// as text and is cast to its type on the way in, so array and jsonb columns work too.
import { sql } from 'kysely';
import type { Database } from './connect';
import type { DB } from './schema';

/** Column name → its PostgreSQL type, in insert order. */
export type ColumnTypes<T> = { [K in keyof T]?: string };

const asText = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));

export async function insertMany<TB extends keyof DB, Row extends object>(db: Database, table: TB, types: ColumnTypes<Row>, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(types) as Array<keyof Row & string>;
  const arrays = columns.map((c) => sql`${rows.map((r) => asText((r as Record<string, unknown>)[c]))}::text[]`);
  const casts = columns.map((c, i) => sql`${sql.ref(`u.c${i}`)}::${sql.raw(types[c]!)}`);
  const aliases = columns.map((_, i) => sql.raw(`c${i}`));
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(casts)} from unnest(${sql.join(arrays)}) as u(${sql.join(aliases)})`.execute(db);
}
