// Bulk inserts through unnest(): one parameter per column instead of one per value, so a batch
// of thousands of rows is one short statement on both PGlite and PostgreSQL.
import { sql } from 'kysely';
import type { Database } from './connect';
import type { DB } from './schema';

/** Column name → its PostgreSQL type, in insert order. */
export type ColumnTypes<T> = { [K in keyof T]?: string };

export async function insertMany<TB extends keyof DB, Row extends Record<string, unknown>>(
  db: Database,
  table: TB,
  types: ColumnTypes<Row>,
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(types) as Array<keyof Row & string>;
  const arrays = columns.map((c) => sql`${rows.map((r) => r[c] ?? null)}::${sql.raw(types[c]!)}[]`);
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})`.execute(db);
}
