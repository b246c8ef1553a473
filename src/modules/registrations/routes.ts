import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { approveFiling, approveMany, fileRegistration, getFiling, listFilings, resubmitFiling, returnFiling, withdrawFiling } from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
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
  note: z.string().trim().max(500).optional(),
  diseases: z.array(diseaseInput).max(13).default([]),
  prescription: z.array(lineInput).max(10).optional(),
}).superRefine((b, ctx) => {
  if ((b.kind === 'change') !== (b.changeReason !== undefined)) ctx.addIssue({ code: 'custom', path: ['changeReason'], message: 'changeReason is required for a change filing and only there' });
  if ((b.kind === 'revocation') !== (b.revocationReason !== undefined)) ctx.addIssue({ code: 'custom', path: ['revocationReason'], message: 'revocationReason is required for a revocation and only there' });
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
  history: z.array(z.object({ at: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable(), role: z.string().nullable() })),
}).meta({ id: 'Filing' });

export function registrationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {

    app.post('/api/filings', {
      schema: { tags: ['registrations'], summary: 'File a registration (认定登记), change (变更登记) or revocation for a contracted patient', body: fileBody, response: { 201: filingSchema, ...errors } },
      handler: async (request, reply) => reply.code(201).send(await fileRegistration(ctx, actorOf(request), request.body)),
    });

    app.put('/api/filings/:id', {
      schema: {
        tags: ['registrations'],
        summary: 'Fix a returned filing and submit it again',
        params: idParams,
        body: z.strictObject({ note: z.string().trim().max(500).optional(), diseases: z.array(diseaseInput).max(13).default([]), prescription: z.array(lineInput).max(10).optional() }),
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
            })),
          }),
          ...errors,
        },
      },
      handler: async (request) => listFilings(ctx, actorOf(request), request.query),
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
      schema: { tags: ['registrations'], summary: 'Return a submitted filing to the doctor with a reason', params: idParams, body: z.strictObject({ reason: z.string().trim().min(2).max(500) }), response: { 200: filingSchema, ...errors } },
      handler: async (request) => returnFiling(ctx, actorOf(request), request.params.id, request.body.reason),
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
