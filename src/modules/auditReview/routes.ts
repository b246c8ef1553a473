// The smart audit's review over HTTP: the findings' queue and decisions, random sampling of unflagged
// claims, the summaries by institution and doctor (docs/smart-audit.md). Routes parse and call.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { MAX_SEED } from '../../engine/audit/sampling';
import * as s from './service';
import { SUMMARY_SORTS } from './summary';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });
const reason = z.string().trim().min(2).max(500);
const fen = z.int();
const when = z.string().nullable().describe('ISO-8601, UTC');
const status = z.enum(['open', 'confirmed', 'dismissed']);

const findingSchema = z.object({
  id: z.uuid(), ruleCode: z.string(), ruleVersion: z.int(), ruleTitle: z.object({ zh: z.string(), en: z.string() }),
  serviceDate: z.iso.date(), countyCode: z.string(), status, amountFen: fen.describe('the amount at stake'),
  deductionFen: fen.nullable(), deductionAgainst: z.enum(['institution', 'doctor']).nullable(), decisionReason: z.string().nullable(),
  decidedBy: z.string().nullable(), decidedAt: when, foundAt: z.string(),
  person: z.object({ id: z.uuid(), name: z.string(), idNumber: z.string().describe('masked') }).nullable(),
  institution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string() }),
  doctor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  claim: z.object({
    id: z.uuid(), settlementNo: z.string(), serviceDate: z.iso.date(), status: z.string(), amountFen: fen, fundPayFen: fen,
    lines: z.array(z.object({ lineNo: z.int(), drugCode: z.string(), drugName: z.string(), quantity: z.int(), daysSupply: z.int(), amountFen: fen, fundPayFen: fen })),
  }).nullable(),
  prescription: z.object({
    id: z.uuid(), prescriptionNo: z.string(), writtenOn: z.iso.date(), status: z.string(), daysSupply: z.int(),
    lines: z.array(z.object({ lineNo: z.int(), drugCode: z.string(), drugName: z.string(), dose: z.number(), frequency: z.string(), daysSupply: z.int(), quantity: z.int() })),
  }).nullable(),
  evidence: z.record(z.string(), z.unknown()),
}).meta({ id: 'AuditFinding' });

const findingDetailSchema = findingSchema.extend({
  rule: z.object({
    code: z.string(), version: z.int(), titleZh: z.string(), titleEn: z.string(), descriptionZh: z.string(), descriptionEn: z.string(),
    nationalRule: z.string().nullable(), points: z.int(), params: z.record(z.string(), z.unknown()),
  }),
  runId: z.uuid(),
  history: z.array(z.object({ at: z.string(), action: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable(), detail: z.unknown() })),
  institutionNames: z.record(z.string(), z.string()).describe('the names of the institutions the evidence names by id'),
}).meta({ id: 'AuditFindingDetail' });

const sampleFigures = z.object({
  id: z.uuid(), countyCode: z.string(), from: z.iso.date(), to: z.iso.date(), rateBp: z.int().nullable(), size: z.int().nullable(), seed: z.int(),
  status: z.enum(['open', 'closed']), createdBy: z.string(), createdAt: z.string(), closedAt: when,
  populationClaims: z.int(), populationFundPayFen: fen, sampledClaims: z.int(), sampledFundPayFen: fen, reviewed: z.int(), pending: z.int(),
  errors: z.int(), errorFen: fen, errorRateBp: z.int().nullable(), unsampledFundPayFen: fen,
  proposedDeductionFen: fen.describe('round half up (unsampled × Σ error ÷ Σ sampled fund payment); fixed once closed'),
}).meta({ id: 'AuditSampleFigures' });

const sampleSchema = sampleFigures.extend({
  claims: z.array(z.object({
    claimId: z.uuid(), settlementNo: z.string(), serviceDate: z.iso.date(),
    person: z.object({ id: z.uuid(), name: z.string(), idNumber: z.string().describe('masked') }), institution: z.object({ id: z.uuid(), name: z.string() }),
    amountFen: fen, fundPayFen: fen, result: z.enum(['pending', 'correct', 'error']), errorAmountFen: fen.nullable(), note: z.string().nullable(),
    reviewedBy: z.string().nullable(), reviewedAt: when,
  })),
}).meta({ id: 'AuditSample' });

const summaryCounts = {
  claims: z.int(), amountFen: fen, fundPayFen: fen, flaggedClaims: z.int(), findings: z.int(), confirmed: z.int(), dismissed: z.int(), open: z.int(),
  deductionFen: fen, deductionInstitutionFen: fen, deductionDoctorFen: fen, points: z.int().nullable().describe('医保医师考核记分: by doctor only'),
};
const summarySchema = z.object({
  from: z.iso.date(), to: z.iso.date(), by: z.enum(['institution', 'doctor']), regionCode: z.string().nullable(), institutionId: z.uuid().nullable(),
  items: z.array(z.object({
    institution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string(), countyCode: z.string() }).nullable(),
    doctor: z.object({ id: z.uuid(), name: z.string() }).nullable(), flaggedShareBp: z.int().nullable(), ...summaryCounts,
  })),
  totals: z.object(summaryCounts),
}).meta({ id: 'AuditSummary' });

export function auditReviewRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/smart-audit/findings', {
      schema: {
        tags: ['smart audit'], summary: 'The county’s findings (疑点), open first, oldest first, with the evidence and what each is about',
        querystring: z.strictObject({
          status: status.optional(), rule: z.string().regex(/^[a-z][a-z_]{1,40}$/).optional(), institutionId: z.uuid().optional(),
          from: z.iso.date().optional(), to: z.iso.date().optional(),
          page: z.coerce.number().int().min(1).max(100000).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(50),
        }),
        response: { 200: z.object({ total: z.int(), page: z.int(), pageSize: z.int(), items: z.array(findingSchema) }), ...errors },
      },
      handler: async (request) => s.findingsQueue(ctx, actorOf(request), request.query),
    });
    app.get('/api/smart-audit/findings/:id', {
      schema: { tags: ['smart audit'], summary: 'A finding with the rule it was found under and its history', params: idParams, response: { 200: findingDetailSchema, ...errors } },
      handler: async (request) => s.getFinding(ctx, actorOf(request), request.params.id),
    });
    app.post('/api/smart-audit/findings/:id/confirm', {
      schema: {
        tags: ['smart audit'], summary: 'Confirm (确认) with a deduction against the institution or the doctor', params: idParams,
        body: z.strictObject({
          deductionFen: z.int().min(0).max(1_000_000_000).describe('above the amount at stake only with a reason'),
          against: z.enum(['institution', 'doctor']), reason: reason.nullish(),
        }),
        response: { 200: findingDetailSchema, ...errors },
      },
      handler: async (request) => s.confirmFinding(ctx, actorOf(request), request.params.id, request.body),
    });
    app.post('/api/smart-audit/findings/:id/dismiss', {
      schema: { tags: ['smart audit'], summary: 'Dismiss (排除) with a reason', params: idParams, body: z.strictObject({ reason }), response: { 200: findingDetailSchema, ...errors } },
      handler: async (request) => s.dismissFinding(ctx, actorOf(request), request.params.id, request.body.reason),
    });
    app.post('/api/smart-audit/findings/:id/reopen', {
      schema: { tags: ['smart audit'], summary: 'Reopen a decided finding (its decision stays in the history)', params: idParams, body: z.strictObject({ reason }), response: { 200: findingDetailSchema, ...errors } },
      handler: async (request) => s.reopenFinding(ctx, actorOf(request), request.params.id, request.body.reason),
    });

    app.post('/api/smart-audit/samples', {
      schema: {
        tags: ['smart audit'], summary: 'Draw a seeded random sample (抽样) of the county’s settled, unflagged claims in a period',
        body: z.strictObject({
          from: z.iso.date(), to: z.iso.date(), rateBp: z.int().min(1).max(10000).optional(), size: z.int().min(1).max(2000).optional(),
          seed: z.int().min(0).max(MAX_SEED).optional().describe('drawn at random when absent; the same seed over the same claims draws the same sample'),
        }),
        response: { 201: sampleSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await s.drawClaimSample(ctx, actorOf(request), request.body)),
    });
    app.get('/api/smart-audit/samples', {
      schema: {
        tags: ['smart audit'], summary: 'The county’s samples, newest first', querystring: z.strictObject({ status: z.enum(['open', 'closed']).optional() }),
        response: { 200: z.object({ items: z.array(sampleFigures) }), ...errors },
      },
      handler: async (request) => ({ items: await s.listSamples(ctx, actorOf(request), request.query.status) }),
    });
    app.get('/api/smart-audit/samples/:id', {
      schema: { tags: ['smart audit'], summary: 'A sample: its claims, their results and the extrapolation', params: idParams, response: { 200: sampleSchema, ...errors } },
      handler: async (request) => s.getSample(ctx, actorOf(request), request.params.id),
    });
    app.post('/api/smart-audit/samples/:id/claims/:claimId', {
      schema: {
        tags: ['smart audit'], summary: 'Mark a sampled claim correct, or in error by an amount', params: z.strictObject({ id: z.uuid(), claimId: z.uuid() }),
        body: z.strictObject({
          result: z.enum(['correct', 'error']), errorAmountFen: z.int().min(1).max(1_000_000_000).optional().describe('for "error": at most the claim’s fund payment'),
          note: z.string().trim().min(1).max(500).nullish(),
        }),
        response: { 200: sampleSchema, ...errors },
      },
      handler: async (request) => s.markSampledClaim(ctx, actorOf(request), request.params.id, request.params.claimId, request.body),
    });
    app.post('/api/smart-audit/samples/:id/close', {
      schema: { tags: ['smart audit'], summary: 'Close the sample: every claim reviewed, the proposed deduction fixed', params: idParams, response: { 200: sampleSchema, ...errors } },
      handler: async (request) => s.closeSample(ctx, actorOf(request), request.params.id),
    });

    app.get('/api/smart-audit/summary', {
      schema: {
        tags: ['smart audit'], summary: 'Claims, findings, decisions, deductions and the doctors’ assessment points, by institution or doctor, for a period (format=csv for a file)',
        querystring: z.strictObject({
          from: z.iso.date(), to: z.iso.date(), by: z.enum(['institution', 'doctor']).default('institution'),
          regionCode: z.string().regex(/^\d{2,12}$/).optional().describe('a county or city code; default the caller’s region'),
          institutionId: z.uuid().optional(), sort: z.enum(SUMMARY_SORTS).default('deductionFen'), order: z.enum(['asc', 'desc']).default('desc'),
          format: z.enum(['json', 'csv']).default('json'),
        }),
        response: { 200: z.union([summarySchema, z.string().describe('text/csv')]), ...errors },
      },
      handler: async (request, reply) => {
        const { format, ...query } = request.query;
        const summary = await s.auditSummary(ctx, actorOf(request), query);
        if (format === 'json') return summary;
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audit-summary-${query.by}-${query.from}-${query.to}.csv"`)
          .send(s.summaryCsv(summary));
      },
    });
  };
}
