// HTTP for the smart audit's rules and runs (the review of findings is src/modules/auditReview).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { listRules, listRuns, runSummary, startRun } from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema };
const date = z.iso.date();

const ruleSchema = z.object({
  code: z.string(), version: z.int(), subject: z.enum(['claim', 'prescription', 'claim_or_prescription', 'doctor']), titleZh: z.string(), titleEn: z.string(),
  descriptionZh: z.string(), descriptionEn: z.string(), params: z.record(z.string(), z.union([z.number(), z.string()])), nationalRule: z.string().nullable(),
  points: z.int().describe('医保医师记分 per confirmed finding'), active: z.boolean(),
}).meta({ id: 'AuditRule' });

const runSchema = z.object({
  id: z.uuid(), date, trigger: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(), ruleVersions: z.record(z.string(), z.int()),
  claimsChecked: z.int(), prescriptionsChecked: z.int(), findingsTotal: z.int(), findingsNew: z.int(), startedBy: z.uuid().nullable(),
}).meta({ id: 'AuditRun' });

export const smartAuditRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/smart-audit/rules', {
    schema: { tags: ['smart audit'], summary: 'The smart audit’s rules (智能审核规则), latest version of each', response: { 200: z.object({ items: z.array(ruleSchema) }), ...errors } },
    handler: async (request) => ({ items: await listRules(ctx, actorOf(request)) }),
  });
  app.post('/api/smart-audit/runs', {
    schema: {
      tags: ['smart audit'], summary: 'Run the smart audit over one service date (the unaudited days of the outlier window first)', body: z.strictObject({ date }),
      response: {
        200: z.object({
          run: runSchema.omit({ trigger: true, startedBy: true }), backfilled: z.array(date),
          byRule: z.record(z.string(), z.object({ findings: z.int(), new: z.int(), amountFen: z.int() })),
        }),
        ...errors,
      },
    },
    handler: async (request) => {
      const { run, backfilled } = await startRun(ctx, actorOf(request), request.body.date, 'api');
      return runSummary(ctx, run, backfilled);
    },
  });
  app.get('/api/smart-audit/runs', {
    schema: {
      tags: ['smart audit'], summary: 'Audit runs, newest service date first (50 a page)',
      querystring: z.strictObject({ from: date.optional(), to: date.optional(), page: z.coerce.number().int().min(1).max(10000).default(1) }),
      response: { 200: z.object({ items: z.array(runSchema), page: z.int(), hasMore: z.boolean() }), ...errors },
    },
    handler: async (request) => listRuns(ctx, actorOf(request), request.query),
  });
};
