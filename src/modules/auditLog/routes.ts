import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { languageOf } from '../../core/language';
import { AUDIT_ACTIONS, CSV_ROW_CAP, exportAuditLog, readAuditLog } from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema };

const filters = {
  person: z.string().trim().min(1).max(36).optional().describe('a person id, or their resident ID number (resolved through person_id_number)'),
  user: z.string().trim().min(1).max(64).optional().describe('a username, exactly'),
  action: z.enum(AUDIT_ACTIONS).optional(),
  entity: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/).optional().describe("what was read or changed: 'person', 'claim', 'person.id_number', a refused permission, …"),
  from: z.iso.date().optional().describe('first day, Asia/Shanghai, inclusive'),
  to: z.iso.date().optional().describe('last day, Asia/Shanghai, inclusive'),
};

const itemSchema = z
  .object({
    id: z.int().describe('unique within its table (source)'),
    source: z.enum(['person_audit', 'audit_log']).describe('person_audit: a row about one person; audit_log: sign-ins, lists, refusals, …'),
    at: z.iso.datetime().describe('UTC, to the microsecond'),
    userId: z.uuid().nullable(),
    username: z.string().nullable(),
    role: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    ip: z.string().nullable(),
    personId: z.uuid().nullable().describe("person_audit's person; null on audit_log rows"),
    person: z
      .object({ id: z.uuid(), name: z.string(), idNumber: z.string().describe('masked') })
      .nullable()
      .describe('the person the row is about: its person_id, or the person an audit_log row names in detail.personId (a refusal)'),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditLogRow' });

export function auditLogRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/admin/audit', {
      schema: {
        tags: ['admin'],
        summary: '审计日志: who read or changed what, newest first, by person, user, action, entity and days; the view is itself audited',
        querystring: z.strictObject({
          ...filters,
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
          cursor: z.string().min(1).max(200).optional().describe("the previous page's nextCursor (keyset on at, id: stable while rows are added)"),
        }),
        response: { 200: z.object({ items: z.array(itemSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (request) => readAuditLog(ctx, actorOf(request), request.query),
    });

    app.get('/api/admin/audit.csv', {
      schema: {
        tags: ['admin'],
        summary: `The audit log as CSV (UTF-8 with BOM, for Excel), the same filters: every matching row up to ${CSV_ROW_CAP.toLocaleString('en')}; past it, X-Row-Cap says so. The export is audited`,
        querystring: z.strictObject({ ...filters, lang: z.enum(['zh', 'en', 'zh-CN', 'en-US']).optional().describe('headers and labels; by default from Accept-Language, Chinese unless English') }),
      },
      handler: async (request, reply) => {
        const { lang, ...query } = request.query;
        const result = await exportAuditLog(ctx, actorOf(request), query, languageOf(request, lang));
        reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${result.filename}"`).header('x-row-count', String(result.rows));
        if (result.capped !== null) reply.header('x-row-cap', String(result.capped));
        return reply.send(result.csv);
      },
    });
  };
}
