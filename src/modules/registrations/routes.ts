import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import {
  ATTACHMENT_KINDS, FILING_BODY_LIMIT, approveFiling, approveMany, fileRegistration, filingAttachment, getFiling, listFilings, queueTeams, resubmitFiling, returnFiling, withdrawFiling,
} from './service';

const attachmentKind = z.enum(ATTACHMENT_KINDS as [string, ...string[]]).transform((k) => k as (typeof ATTACHMENT_KINDS)[number]);
const RETURN_REASONS = ['insufficient_basis', 'missing_certificate', 'prescription_mismatch', 'identity_error', 'other'] as const;
const attachmentInput = z.strictObject({
  kind: attachmentKind.describe('诊断证明 diagnosis_certificate, 出院小结 discharge_summary, 检验报告 lab_report, other'),
  name: z.string().trim().min(1).max(120),
  contentBase64: z.base64(),
}).describe('PDF, JPEG or PNG (by content, its name ending to match), ≤ 10 MB (10 MiB); larger is 413, another type 415');
const attachments = z.array(attachmentInput).max(3).optional();

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });

/** A decimal with at most one decimal place, carried inside as integer tenths (7.0 → 70). */
const tenths = (label: string, max: number) =>
  z
    .number()
    .positive()
    .max(max)
    .refine((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9, { message: `${label} has at most one decimal` })
    .transform((v) => Math.round(v * 10));

const basisSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('bp_readings'),
    readings: z.array(z.strictObject({ date: z.iso.date(), systolic: z.int(), diastolic: z.int() })).min(1).max(20),
  }),
  z
    .strictObject({ type: z.literal('glucose'), date: z.iso.date(), fastingGlucose: tenths('fastingGlucose', 60).optional(), hba1c: tenths('hba1c', 25).optional() })
    .transform(({ fastingGlucose, hba1c, ...rest }) => ({ ...rest, fastingGlucoseTenths: fastingGlucose ?? null, hba1cTenths: hba1c ?? null })),
  z.strictObject({ type: z.literal('hospital_diagnosis'), institutionName: z.string().trim().min(2).max(100), date: z.iso.date() }),
]);

const diseaseInput = z.strictObject({
  code: z.string().max(40).regex(/^[a-z_]+$/),
  action: z.enum(['add', 'keep', 'remove']).default('add'),
  diagnosedOn: z.iso.date().optional(),
  basis: basisSchema.optional(),
});

const lineInput = z.strictObject({
  drugCode: z.string().regex(/^D\d{4}$/),
  dose: z.string().trim().min(1).max(40).describe('e.g. "5mg" or "1片"'),
  frequency: z.enum(['qd', 'bid', 'tid', 'qid', 'qn', 'qw']),
  daysSupply: z.int().min(1).max(90),
  dispensing: z.enum(['own', 'external']).describe('own institution, or external dispensing (外配) at a chain pharmacy'),
  pharmacyId: z.uuid().nullish(),
});

const fileBody = z.strictObject({
  personId: z.uuid(),
  kind: z.enum(['initial', 'change', 'revocation']),
  changeReason: z.enum(['recovery', 'progression', 'new_disease', 'medication_change']).optional(),
  revocationReason: z.enum(['death', 'moved_out', 'insurance_ended', 'other']).optional(),
  deathDate: z.iso.date().optional().describe('a revocation for death: the date of death (else the effective date stands)'),
  note: z.string().trim().max(500).optional(),
  diseases: z.array(diseaseInput).max(13).default([]),
  prescription: z.array(lineInput).max(10).optional(),
  attachments,
}).superRefine((b, ctx) => {
  if ((b.kind === 'change') !== (b.changeReason !== undefined)) ctx.addIssue({ code: 'custom', path: ['changeReason'], message: 'changeReason is required for a change filing and only there' });
  if ((b.kind === 'revocation') !== (b.revocationReason !== undefined)) ctx.addIssue({ code: 'custom', path: ['revocationReason'], message: 'revocationReason is required for a revocation and only there' });
  if (b.deathDate !== undefined && b.revocationReason !== 'death') ctx.addIssue({ code: 'custom', path: ['deathDate'], message: 'deathDate belongs to a revocation for death only' });
});

const lineOut = z.object({
  lineNo: z.int(), drugCode: z.string(), drugName: z.string(), strength: z.string(), dose: z.string(), frequency: z.string(),
  daysSupply: z.int(), dispensing: z.string(), pharmacyId: z.string().nullable(), pharmacyName: z.string().nullable(),
}).meta({ id: 'PrescriptionLine' });

const personOut = z.object({ id: z.uuid(), name: z.string(), sex: z.string(), age: z.int(), idNumber: z.string(), insuranceType: z.string() });

const filingSchema = z.object({
  id: z.uuid(),
  person: personOut,
  team: z.object({ id: z.uuid(), name: z.string() }),
  kind: z.string(),
  changeReason: z.string().nullable(),
  revocationReason: z.string().nullable(),
  deathDate: z.iso.date().nullable().describe('a revocation for death: the date of death'),
  note: z.string().nullable(),
  status: z.enum(['submitted', 'returned', 'approved', 'withdrawn']),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  effectiveDate: z.string().nullable(),
  confirmation: z.enum(['agency', 'one_stop']).nullable(),
  filedBy: z.string().nullable(),
  diseases: z.array(z.object({ code: z.string(), name: z.string(), action: z.string(), diagnosedOn: z.string().nullable(), basis: z.unknown() })),
  prescription: z.array(lineOut),
  before: z.object({ registrations: z.array(z.object({ disease: z.string(), name: z.string(), effectiveFrom: z.string() })), prescription: z.array(lineOut) }),
  decisionReasonCode: z.enum(RETURN_REASONS).nullable(),
  requestedAttachments: z.array(z.string()),
  attachments: z.array(z.object({ id: z.uuid(), kind: z.string(), name: z.string(), mediaType: z.string(), sizeBytes: z.int(), uploadedAt: z.string(), uploadedBy: z.string().nullable(), url: z.string() })),
  history: z.array(z.object({
    at: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable(), role: z.string().nullable(),
    reasonCode: z.string().nullable(), requestedAttachments: z.array(z.string()), attachments: z.array(z.string()),
  })),
}).meta({ id: 'Filing' });

export function registrationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {

    app.post('/api/filings', {
      bodyLimit: FILING_BODY_LIMIT, // up to three 10 MiB attachments in base64, and the rest
      schema: { tags: ['registrations'], summary: 'File a registration (认定登记), change (变更登记) or revocation for a contracted patient', body: fileBody, response: { 201: filingSchema, ...errors } },
      handler: async (request, reply) => reply.code(201).send(await fileRegistration(ctx, actorOf(request), request.body)),
    });

    app.put('/api/filings/:id', {
      bodyLimit: FILING_BODY_LIMIT,
      schema: {
        tags: ['registrations'],
        summary: 'Fix a returned filing and submit it again, with the evidence the reviewer asked for',
        params: idParams,
        body: z.strictObject({ note: z.string().trim().max(500).optional(), diseases: z.array(diseaseInput).max(13).default([]), prescription: z.array(lineInput).max(10).optional(), attachments }),
        response: { 200: filingSchema, ...errors },
      },
      handler: async (request) => resubmitFiling(ctx, actorOf(request), request.params.id, request.body),
    });

    app.post('/api/filings/:id/withdraw', {
      schema: { tags: ['registrations'], summary: 'Withdraw an open filing', params: idParams, response: { 200: filingSchema, ...errors } },
      handler: async (request) => withdrawFiling(ctx, actorOf(request), request.params.id),
    });

    app.get('/api/filings', {
      schema: {
        tags: ['registrations'],
        summary: "The county agency's review queue (reviewer) or the team's filings (doctor), oldest first",
        querystring: z.strictObject({
          status: z.enum(['submitted', 'returned', 'approved', 'withdrawn']).optional(),
          kind: z.enum(['initial', 'change', 'revocation']).optional(),
          disease: z.string().max(40).regex(/^[a-z_]+$/).optional(),
          minAgeDays: z.coerce.number().int().min(0).max(3650).optional(),
          q: z.string().trim().min(1).max(50).optional(),
          teamId: z.uuid().optional().describe('reviewer: one team of the county'),
          institutionId: z.uuid().optional().describe("reviewer: the teams of one institution"),
          basis: z.enum(['bp_readings', 'glucose', 'hospital_diagnosis']).optional().describe('a disease of the filing rests on this diagnosis basis'),
          decidedSince: z.iso.datetime({ offset: true }).optional().describe('decided at or after (the doctor’s approved-since-last-seen list)'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
        response: {
          200: z.object({
            total: z.int(),
            items: z.array(z.object({
              id: z.uuid(), person: personOut, team: z.object({ id: z.uuid(), name: z.string() }), institution: z.object({ id: z.uuid(), name: z.string() }),
              kind: z.string(), changeReason: z.string().nullable(), revocationReason: z.string().nullable(),
              diseases: z.array(z.object({ code: z.string(), name: z.string(), action: z.string() })),
              status: z.string(), submittedAt: z.string(), ageDays: z.int(), decisionReason: z.string().nullable(),
              decisionReasonCode: z.string().nullable(), requestedAttachments: z.array(z.string()), decidedAt: z.string().nullable(),
            })),
          }),
          ...errors,
        },
      },
      handler: async (request) => listFilings(ctx, actorOf(request), request.query),
    });

    app.get('/api/filings/teams', {
      schema: {
        tags: ['registrations'],
        summary: "The reviewer's filter options: the county's teams and their institutions with filings in a status, and how many",
        querystring: z.strictObject({ status: z.enum(['submitted', 'returned', 'approved', 'withdrawn']).default('submitted') }),
        response: { 200: z.array(z.object({ team: z.object({ id: z.uuid(), name: z.string() }), institution: z.object({ id: z.uuid(), name: z.string() }), filings: z.int() })), ...errors },
      },
      handler: async (request) => queueTeams(ctx, actorOf(request), request.query.status),
    });

    app.get('/api/filings/:id/attachments/:attachmentId', {
      schema: { tags: ['registrations'], summary: 'One attachment of a filing, inline with its content type (PDF, JPEG or PNG)', params: z.strictObject({ id: z.uuid(), attachmentId: z.uuid() }) },
      handler: async (request, reply) => {
        const file = await filingAttachment(ctx, actorOf(request), request.params.id, request.params.attachmentId);
        return reply
          .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`)
          .header('cache-control', 'private, no-store')
          .type(file.mediaType)
          .send(file.content);
      },
    });

    app.get('/api/filings/:id', {
      schema: { tags: ['registrations'], summary: 'One filing: content, the state before it, and its history', params: idParams, response: { 200: filingSchema, ...errors } },
      handler: async (request) => getFiling(ctx, actorOf(request), request.params.id),
    });

    app.post('/api/filings/:id/approve', {
      schema: {
        tags: ['registrations'],
        summary: 'Confirm (审核确认) a submitted filing from an effective date (default today)',
        params: idParams,
        body: z.strictObject({ effectiveDate: z.iso.date().optional() }).default({}),
        response: { 200: filingSchema, ...errors },
      },
      handler: async (request) => approveFiling(ctx, actorOf(request), request.params.id, request.body.effectiveDate),
    });

    app.post('/api/filings/:id/return', {
      schema: {
        tags: ['registrations'],
        summary: 'Return a submitted filing to the doctor: a preset reason and/or words, and the evidence to attach',
        params: idParams,
        body: z.strictObject({
          reasonCode: z.enum(RETURN_REASONS).optional().describe('诊断依据不足 insufficient_basis, 缺少诊断证明 missing_certificate, 处方与诊断不符 prescription_mismatch, 身份信息有误 identity_error, 其他 other (needs the reason in words)'),
          reason: z.string().trim().min(2).max(500).optional(),
          requestAttachments: z.array(attachmentKind).max(4).optional().describe('kinds of evidence the doctor must attach to resubmit'),
        }),
        response: { 200: filingSchema, ...errors },
      },
      handler: async (request) => returnFiling(ctx, actorOf(request), request.params.id, request.body),
    });

    app.post('/api/filings/approve', {
      schema: {
        tags: ['registrations'],
        summary: 'Approve many filings at once; each succeeds or fails on its own',
        body: z.strictObject({ ids: z.array(z.uuid()).min(1).max(200), effectiveDate: z.iso.date().optional() }),
        response: {
          200: z.object({ results: z.array(z.object({ id: z.uuid(), ok: z.boolean(), status: z.string().optional(), error: z.object({ title: z.string(), detail: z.string(), errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional() }).optional() })) }),
          ...errors,
        },
      },
      handler: async (request) => approveMany(ctx, actorOf(request), request.body.ids, request.body.effectiveDate),
    });
  };
}
