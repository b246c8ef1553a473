// Reading the audit trail (审计日志): who read or changed what, when, from where — filtered by person,
// user, action, entity and Asia/Shanghai days, a page at a time or as a CSV. Every view and export is
// itself written to the audit log (entity 'audit_log', detail = the filters). The system administrator
// reads everything; an institution's administrator only what users of the institution or of its teams
// did (the query keeps to it, src/core/access.ts 'audit.read'). docs/audit.md.
import { addDays, shanghaiDate } from '../../engine/calendar';
import { maskResidentId, residentIdProblem } from '../../engine/identity/residentId';
import { requireAccess } from '../../core/access';
import { type Actor, type AuditEntry, writeAudit } from '../../core/audit';
import { csvDocument } from '../../core/csv';
import type { AppContext } from '../../core/context';
import { badRequest } from '../../core/problem';
import { type CsvLanguage, csvHead, csvLine } from './csv';
import * as q from './queries';

export const AUDIT_ACTIONS = ['read', 'search', 'create', 'update', 'delete', 'export', 'refused'] as const satisfies readonly AuditEntry['action'][];
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The filters as the request gives them (routes have checked their shapes). */
export interface AuditQuery {
  /** A person's id (uuid) or resident ID number. */
  person?: string;
  /** A username. */
  user?: string;
  action?: AuditAction;
  entity?: string;
  /** Asia/Shanghai days, both inclusive. */
  from?: string;
  to?: string;
}

export interface AuditPageQuery extends AuditQuery {
  limit: number;
  offset: number;
  cursor?: string;
}

/** The most rows one CSV holds; past it the export stops and says so (X-Row-Cap). */
export const CSV_ROW_CAP = 100_000;
const CSV_BATCH = 5_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_NUMBER = /^\d{17}[\dX]$/;

const shanghaiMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

interface Resolved {
  /** null: the person filter names no one, so nothing matches. */
  filters: q.AuditFilters | null;
  /** What the audit row about this view records: the filters, the person as an id, never a full ID number. */
  detail: Record<string, unknown>;
}

async function resolve(ctx: AppContext, actor: Actor, query: AuditQuery): Promise<Resolved> {
  const filters: q.AuditFilters = {};
  const detail: Record<string, unknown> = {};
  if (query.from && query.to && query.from > query.to)
    throw badRequest('The date range ends before it starts', [{ field: 'query.to', rule: 'not_before_from', message: 'to must be on or after from' }]);
  if (query.from) filters.fromAt = shanghaiMidnight(query.from);
  if (query.to) filters.toAt = shanghaiMidnight(addDays(query.to, 1));
  for (const key of ['user', 'action', 'entity', 'from', 'to'] as const) if (query[key] !== undefined) detail[key] = query[key];
  if (query.user !== undefined) filters.username = query.user;
  if (query.action !== undefined) filters.action = query.action;
  if (query.entity !== undefined) filters.entity = query.entity;
  if (actor.user.role !== 'system_admin') filters.institutionId = actor.user.institutionId ?? '00000000-0000-0000-0000-000000000000';

  let nobody = false;
  if (query.person !== undefined) {
    const text = query.person.trim().toUpperCase();
    if (UUID.test(text)) {
      filters.personId = text.toLowerCase();
      detail.personId = filters.personId;
    } else if (ID_NUMBER.test(text) && residentIdProblem(text) === null) {
      const id = await q.personIdOfNumber(ctx.db, text);
      if (id) {
        filters.personId = id;
        detail.personId = id;
      } else {
        nobody = true;
        detail.personIdNumber = maskResidentId(text);
      }
    } else {
      throw badRequest('The person is a person id or a resident ID number', [
        { field: 'query.person', rule: 'person_id_or_id_number', message: 'a person id (uuid) or an 18-character resident ID number with a valid check digit' },
      ]);
    }
  }
  return { filters: nobody ? null : filters, detail };
}

const encodeCursor = (c: q.Cursor) => Buffer.from(`${c.at}|${c.src}|${c.id}`).toString('base64url');

function decodeCursor(text: string): q.Cursor {
  const [at, src, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at ?? '') || !Number.isFinite(Date.parse(at)) || (src !== '0' && src !== '1') || !/^\d{1,18}$/.test(id ?? ''))
    throw badRequest('The cursor is not one this list gave', [{ field: 'query.cursor', rule: 'invalid_cursor', message: 'pass nextCursor from the previous page unchanged' }]);
  return { at, src: Number(src) as 0 | 1, id: Number(id) };
}

const cursorOf = (r: q.AuditRow): q.Cursor => ({ at: r.at_text, src: r.src, id: r.id });

function detailPersonId(r: q.AuditRow): string | null {
  const about = r.detail && typeof r.detail === 'object' ? (r.detail as { personId?: unknown }).personId : undefined;
  return r.person_id ?? (typeof about === 'string' && UUID.test(about) ? about.toLowerCase() : null);
}

async function withPersons(ctx: AppContext, rows: q.AuditRow[]) {
  const ids = [...new Set(rows.map(detailPersonId).filter((id): id is string => id !== null))];
  const persons = ids.length ? await q.personsByIds(ctx.db, ids) : new Map<string, { name: string; id_number: string }>();
  return rows.map((r) => {
    const personId = detailPersonId(r);
    const p = personId ? persons.get(personId) : undefined;
    return {
      id: r.id,
      source: r.src === 1 ? ('person_audit' as const) : ('audit_log' as const),
      at: r.at_text,
      userId: r.user_id,
      username: r.username,
      role: r.role,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      ip: r.ip,
      personId: r.person_id,
      // the person the row is about: person_audit's person_id, or the person an audit_log row names in detail.personId
      person: personId && p ? { id: personId, name: p.name, idNumber: maskResidentId(p.id_number) } : null,
      detail: r.detail && typeof r.detail === 'object' ? (r.detail as Record<string, unknown>) : null,
    };
  });
}
export type AuditItem = Awaited<ReturnType<typeof withPersons>>[number];

/** 审计日志: one page of the trail, newest first; the view is audited. */
export async function readAuditLog(ctx: AppContext, actor: Actor, query: AuditPageQuery) {
  await requireAccess(ctx, actor, 'audit.read');
  if (query.cursor !== undefined && query.offset > 0)
    throw badRequest('Page by offset or by cursor, not both', [{ field: 'query.cursor', rule: 'cursor_with_offset', message: 'leave out offset when passing a cursor' }]);
  const after = query.cursor !== undefined ? decodeCursor(query.cursor) : undefined;
  const { filters, detail } = await resolve(ctx, actor, query);
  const rows = filters ? await q.auditPage(ctx.db, filters, { limit: query.limit + 1, offset: query.offset, after }) : [];
  const page = rows.slice(0, query.limit);
  const items = await withPersons(ctx, page);
  await writeAudit(ctx.db, actor, [{
    action: 'read', entity: 'audit_log',
    detail: { ...detail, ...(query.offset ? { offset: query.offset } : {}), ...(after ? { cursor: true } : {}), rows: items.length },
  }]);
  return { items, nextCursor: rows.length > query.limit ? encodeCursor(cursorOf(page[page.length - 1])) : null };
}

/**
 * The same filters as a CSV (UTF-8 with BOM, for Excel): every matching row up to `cap`, in the
 * language asked for (Chinese headers and labels by default). The export is audited.
 */
export async function exportAuditLog(ctx: AppContext, actor: Actor, query: AuditQuery, language: CsvLanguage, cap = CSV_ROW_CAP) {
  await requireAccess(ctx, actor, 'audit.read');
  const { filters, detail } = await resolve(ctx, actor, query);
  const lines: string[] = [];
  let capped = false;
  let after: q.Cursor | undefined;
  while (filters) {
    const want = Math.min(CSV_BATCH, cap + 1 - lines.length);
    const rows = await q.auditPage(ctx.db, filters, { limit: want, offset: 0, after });
    const room = cap - lines.length;
    if (rows.length > room) capped = true;
    const kept = rows.slice(0, room);
    for (const item of await withPersons(ctx, kept)) lines.push(csvLine(item, language));
    if (capped || rows.length < want) break;
    after = cursorOf(rows[rows.length - 1]);
  }
  await writeAudit(ctx.db, actor, [{ action: 'export', entity: 'audit_log', detail: { ...detail, rows: lines.length, ...(capped ? { capped: cap } : {}), language } }]);
  const csv = csvDocument([csvHead(language), ...lines]);
  return { csv, rows: lines.length, capped: capped ? cap : null, filename: `audit-log-${shanghaiDate(ctx.now()).replaceAll('-', '')}.csv` };
}
