// The audit trail as one list over its two tables (docs/audit.md): person_audit (rows about one
// person, beside the record) and audit_log (the rest), newest first. Each branch is narrowed and
// ordered on its own indexes (migration 0012: (username | action | entity, at, id); person_audit's
// primary key (person_id, id); audit_log's partial index on detail.personId) and cut to the page
// before the two are merged, so a page costs about a page of index entries per table.
import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/connect';

export interface AuditFilters {
  /** person_audit rows of the person, and audit_log rows whose detail names them (refusals, views of their trail). */
  personId?: string;
  username?: string;
  action?: string;
  entity?: string;
  /** Inclusive start and exclusive end, as instants ('2026-06-14T16:00:00Z'). */
  fromAt?: string;
  toAt?: string;
  /** An institution's administrator: only rows written by users of the institution or of its teams. */
  institutionId?: string;
}

/** Where a page ends: the last row's exact instant (microseconds), its table (1 person_audit, 0 audit_log) and id. */
export interface Cursor {
  at: string;
  src: 0 | 1;
  id: number;
}

export interface AuditRow {
  src: 0 | 1;
  id: number;
  /** UTC, to the microsecond: '2026-06-15T02:00:00.123456Z' (what a cursor needs; a Date keeps milliseconds). */
  at_text: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
  person_id: string | null;
}

const and = (conditions: RawBuilder<unknown>[]) => (conditions.length ? sql.join(conditions, sql` and `) : sql`true`);

function common(f: AuditFilters): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [];
  if (f.username !== undefined) c.push(sql`username = ${f.username}`);
  if (f.action !== undefined) c.push(sql`action = ${f.action}`);
  if (f.entity !== undefined) c.push(sql`entity = ${f.entity}`);
  if (f.fromAt !== undefined) c.push(sql`at >= ${f.fromAt}::timestamptz`);
  if (f.toAt !== undefined) c.push(sql`at < ${f.toAt}::timestamptz`);
  if (f.institutionId !== undefined)
    c.push(sql`user_id in (
      select u.id from app_user u
      where u.institution_id = ${f.institutionId}::uuid
         or u.team_id in (select t.id from family_doctor_team t where t.institution_id = ${f.institutionId}::uuid))`);
  return c;
}

/** Rows after the cursor in the order at desc, src desc, id desc (person_audit before audit_log at the same instant). */
function after(src: 0 | 1, c: Cursor | undefined): RawBuilder<unknown>[] {
  if (!c) return [];
  const at = sql`${c.at}::timestamptz`;
  if (src === c.src) return [sql`(at, id) < (${at}, ${c.id}::bigint)`];
  // the other table: person_audit rows at the cursor's instant came before an audit_log cursor, audit_log rows after a person_audit one
  return src === 1 ? [sql`at < ${at}`] : [sql`at <= ${at}`];
}

const COLUMNS = sql`id, at, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_text, user_id, username, role, action, entity, entity_id, ip, detail`;

/** One page, newest first: `limit` rows after `offset` rows or after the cursor. */
export async function auditPage(db: Database, f: AuditFilters, page: { limit: number; offset: number; after?: Cursor }): Promise<AuditRow[]> {
  // each branch can contribute at most offset + limit rows to the page: cut it there, on its own index
  const n = sql.lit(page.offset + page.limit);
  const personWhere = and([...common(f), ...(f.personId !== undefined ? [sql`person_id = ${f.personId}::uuid`] : []), ...after(1, page.after)]);
  const logWhere = and([...common(f), ...(f.personId !== undefined ? [sql`(detail ->> 'personId') = ${f.personId}`] : []), ...after(0, page.after)]);
  const { rows } = await sql<AuditRow & { at: Date }>`
    select * from (
      (select 1 as src, ${COLUMNS}, person_id from person_audit where ${personWhere} order by at desc, id desc limit ${n})
      union all
      (select 0 as src, ${COLUMNS}, null::uuid as person_id from audit_log where ${logWhere} order by at desc, id desc limit ${n})
    ) u
    order by at desc, src desc, id desc
    limit ${sql.lit(page.limit)} offset ${sql.lit(page.offset)}`.execute(db);
  return rows.map(({ at: _at, ...r }) => ({ ...r, src: Number(r.src) as 0 | 1, id: Number(r.id) }));
}

/** The person an ID number belongs to (person_id_number: one probe by the number). */
export async function personIdOfNumber(db: Database, idNumber: string): Promise<string | null> {
  const row = await db.selectFrom('person_id_number').select('person_id').where('id_number', '=', idNumber).executeTakeFirst();
  return row?.person_id ?? null;
}

/** Names and ID numbers of the persons a page mentions. */
export async function personsByIds(db: Database, ids: string[]): Promise<Map<string, { name: string; id_number: string }>> {
  const found = new Map<string, { name: string; id_number: string }>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.selectFrom('person').select(['id', 'name', 'id_number']).where('id', 'in', ids.slice(i, i + 1000)).execute();
    for (const r of rows) found.set(r.id, { name: r.name, id_number: r.id_number });
  }
  return found;
}
