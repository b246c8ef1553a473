import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { getPrescription, personPrescriptions } from './service';
import { approvePrescription, returnPrescription, reviewQueue, startReview } from './review';
import { cancelPrescription, choosePlace, reviseDraft, submitPrescription, writePrescription } from './write';
import { declineRenewal, myRenewalRequests, requestRenewal, teamRenewalRequests } from './renewals';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });
const reason = z.string().trim().min(2).max(200);
const fen = z.int();

const placeFields = {
  fillPlace: z.enum(['own', 'pharmacy', 'delivery']).describe('own institution, a designated chain pharmacy (外配), or home delivery (送药到家)'),
  fillInstitutionId: z.uuid().nullish().describe('the chain pharmacy, for fillPlace "pharmacy"'),
  deliveryAddress: z.string().trim().min(4).max(200).nullish().describe('for fillPlace "delivery"; the patient’s address by default'),
};

const prescriptionBody = z.strictObject({
  personId: z.uuid(),
  origin: z.enum(['new', 'continuous', 'renewal', 'extended']).describe('new; from the registration’s continuous prescription (连续处方); a renewal (续方); an extension of a tertiary hospital’s prescription (延伸处方)'),
  renewalOf: z.uuid().nullish().describe('the prescription renewed (origin "renewal")'),
  renewalRequestId: z.uuid().nullish().describe('the patient’s renewal request this answers'),
  source: z.strictObject({ prescriptionNo: z.string().trim().min(2).max(60), institutionId: z.uuid() }).nullish().describe('the tertiary hospital’s prescription (origin "extended")'),
  lines: z.array(z.strictObject({
    drugCode: z.string().regex(/^D\d{4}$/),
    dose: z.number().positive().max(1000).describe('units of the drug’s unit per administration (0.5 = half a tablet)'),
    frequency: z.enum(['qd', 'bid', 'tid', 'qid', 'qn', 'qw']),
    daysSupply: z.int().min(1).max(366),
  })).min(1).max(20).optional().describe('absent for "continuous" and "renewal": the lines are copied'),
  stableReason: z.string().trim().min(2).max(500).nullish().describe('why the patient is stable enough for a supply over 30 days (长处方)'),
  ...placeFields,
  submit: z.boolean().optional().describe('submit for review at once'),
});

const findingSchema = z.object({ code: z.string(), severity: z.enum(['block', 'warn']), line: z.int().nullable(), text: z.string() }).loose().meta({ id: 'PrescriptionFinding' });

const prescriptionSchema = z.object({
  id: z.uuid(), prescriptionNo: z.string(), origin: z.string(), status: z.string(),
  person: z.object({ id: z.uuid(), name: z.string(), sex: z.string(), idNumber: z.string(), insuranceType: z.string() }),
  institution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string() }),
  teamId: z.uuid().nullable(), doctor: z.string(), writtenOn: z.iso.date(), validUntil: z.iso.date(), daysSupply: z.int(), stableReason: z.string().nullable(),
  renewalOf: z.uuid().nullable(),
  source: z.object({ prescriptionNo: z.string(), institution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string() }).nullable() }).nullable(),
  fillPlace: z.string(), fillInstitution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string() }), deliveryAddress: z.string().nullable(),
  findings: z.array(z.unknown()), reviewNote: z.string().nullable(), overrideReason: z.string().nullable(),
  reviewedAt: z.string().nullable(), submittedAt: z.string().nullable(), approvedAt: z.string().nullable(),
  lines: z.array(z.object({
    lineNo: z.int(), drugCode: z.string(), drugName: z.string(), drugNameEn: z.string(), strength: z.string(), unit: z.string(), packSize: z.int(), dose: z.number(),
    frequency: z.string(), daysSupply: z.int(), quantity: z.int().describe('packs'), dispensedQuantity: z.int(), remainingQuantity: z.int(),
  })),
  dispenses: z.array(z.object({
    id: z.uuid(), status: z.string(), delivery: z.boolean(), dispensedAt: z.string(), returnedAt: z.string().nullable(), returnReason: z.string().nullable(),
    institution: z.object({ id: z.uuid(), name: z.string() }), by: z.string(), claimId: z.uuid(), settlementNo: z.string(), amountFen: fen, fundPayFen: fen,
    lines: z.array(z.object({ prescriptionLineNo: z.int(), drugCode: z.string(), batchNo: z.string(), expiryDate: z.iso.date(), quantity: z.int() })),
  })),
  deliveries: z.array(z.object({ id: z.uuid(), status: z.string(), dispenseId: z.uuid(), createdAt: z.string(), finishedAt: z.string().nullable(), failureReason: z.string().nullable() })),
  history: z.array(z.object({ at: z.string(), action: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable(), detail: z.unknown() })),
}).meta({ id: 'Prescription' });

const requestSchema = z.object({
  id: z.uuid(), status: z.string(), note: z.string().nullable(), requestedAt: z.string(), handledAt: z.string().nullable(), declineReason: z.string().nullable(),
  renewalId: z.uuid().nullable(), prescriptionId: z.uuid(), prescriptionNo: z.string(),
});

export function prescriptionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const view = (request: FastifyRequest, id: string) => getPrescription(ctx, actorOf(request), id);

    app.post('/api/prescriptions', {
      schema: { tags: ['prescriptions'], summary: 'Write a prescription (开方): new, continuous, renewal or extended; a draft or submitted at once', body: prescriptionBody, response: { 201: prescriptionSchema, ...errors } },
      handler: async (request, reply) => reply.code(201).send(await view(request, await writePrescription(ctx, actorOf(request), request.body))),
    });
    app.put('/api/prescriptions/:id', {
      schema: { tags: ['prescriptions'], summary: 'Revise a draft or a returned prescription (and submit it again)', params: idParams, body: prescriptionBody, response: { 200: prescriptionSchema, ...errors } },
      handler: async (request) => {
        await reviseDraft(ctx, actorOf(request), request.params.id, request.body);
        return view(request, request.params.id);
      },
    });
    app.get('/api/prescriptions/:id', {
      schema: { tags: ['prescriptions'], summary: 'A prescription with its lines, review findings, dispenses and history', params: idParams, response: { 200: prescriptionSchema, ...errors } },
      handler: async (request) => view(request, request.params.id),
    });
    app.post('/api/prescriptions/:id/submit', {
      schema: { tags: ['prescriptions'], summary: 'Submit a draft for the pharmacist’s review', params: idParams, response: { 200: prescriptionSchema, ...errors } },
      handler: async (request) => {
        await submitPrescription(ctx, actorOf(request), request.params.id);
        return view(request, request.params.id);
      },
    });
    app.post('/api/prescriptions/:id/cancel', {
      schema: { tags: ['prescriptions'], summary: 'Cancel (作废) a prescription nothing was dispensed from', params: idParams, body: z.strictObject({ reason }), response: { 200: prescriptionSchema, ...errors } },
      handler: async (request) => {
        await cancelPrescription(ctx, actorOf(request), request.params.id, request.body.reason);
        return view(request, request.params.id);
      },
    });
    app.put('/api/prescriptions/:id/place', {
      schema: { tags: ['prescriptions'], summary: 'Choose where the prescription (what is left of it) is filled (云处方)', params: idParams, body: z.strictObject(placeFields), response: { 200: prescriptionSchema, ...errors } },
      handler: async (request) => {
        await choosePlace(ctx, actorOf(request), request.params.id, request.body);
        return view(request, request.params.id);
      },
    });
    app.get('/api/people/:id/prescriptions', {
      schema: {
        tags: ['prescriptions'], summary: 'A person’s prescriptions, newest first', params: idParams, querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({ items: z.array(z.object({
            id: z.uuid(), prescriptionNo: z.string(), origin: z.string(), status: z.string(), writtenOn: z.iso.date(), validUntil: z.iso.date(), daysSupply: z.int(),
            fillPlace: z.string(), institution: z.string(), fillInstitution: z.string(), doctor: z.string(), drugs: z.array(z.string()), remainingPacks: z.int(),
          })) }),
          ...errors,
        },
      },
      handler: async (request) => ({ items: await personPrescriptions(ctx, actorOf(request), request.params.id, request.query.limit) }),
    });

    // 审方
    app.get('/api/prescriptions/review-queue', {
      schema: {
        tags: ['prescriptions'], summary: 'The county’s prescriptions waiting for review (区域审方), oldest first',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50), offset: z.coerce.number().int().min(0).default(0) }),
        response: {
          200: z.object({ total: z.int(), items: z.array(z.object({
            id: z.uuid(), personId: z.uuid(), personName: z.string(), idNumber: z.string(), prescriptionNo: z.string(), origin: z.string(), status: z.string(), writtenOn: z.iso.date(),
            daysSupply: z.int(), submittedAt: z.string(), fillPlace: z.string(), institution: z.string(), doctor: z.string(), reviewer: z.string().nullable(), blocking: z.int(), warnings: z.int(),
          })) }),
          ...errors,
        },
      },
      handler: async (request) => reviewQueue(ctx, actorOf(request), request.query),
    });
    app.post('/api/prescriptions/:id/review', {
      schema: { tags: ['prescriptions'], summary: 'Open the review: the pre-check runs and its findings are kept', params: idParams, response: { 200: z.object({ findings: z.array(findingSchema) }), ...errors } },
      handler: async (request) => ({ findings: await startReview(ctx, actorOf(request), request.params.id) }),
    });
    app.post('/api/prescriptions/:id/approve', {
      schema: {
        tags: ['prescriptions'], summary: 'Approve (审核通过); a blocking finding needs an override reason', params: idParams,
        body: z.strictObject({ overrideReason: z.string().trim().min(2).max(500).nullish(), note: z.string().trim().max(500).nullish() }), response: { 200: prescriptionSchema, ...errors },
      },
      handler: async (request) => {
        await approvePrescription(ctx, actorOf(request), request.params.id, request.body);
        return view(request, request.params.id);
      },
    });
    app.post('/api/prescriptions/:id/return', {
      schema: { tags: ['prescriptions'], summary: 'Return (退回) to the doctor with the reasons', params: idParams, body: z.strictObject({ reason }), response: { 200: prescriptionSchema, ...errors } },
      handler: async (request) => {
        await returnPrescription(ctx, actorOf(request), request.params.id, request.body.reason);
        return view(request, request.params.id);
      },
    });

    // 续方申请
    app.post('/api/prescriptions/:id/renewal-requests', {
      schema: {
        tags: ['prescriptions'], summary: 'The patient asks their team for a renewal (线上续方)', params: idParams,
        body: z.strictObject({ note: z.string().trim().max(200).nullish() }), response: { 201: z.object({ id: z.uuid(), status: z.literal('open') }), ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await requestRenewal(ctx, actorOf(request), request.params.id, request.body.note ?? null)),
    });
    app.get('/api/me/renewal-requests', {
      schema: { tags: ['prescriptions'], summary: 'The patient’s renewal requests', response: { 200: z.object({ items: z.array(requestSchema) }), ...errors } },
      handler: async (request) => ({ items: await myRenewalRequests(ctx, actorOf(request)) }),
    });
    app.get('/api/team/renewal-requests', {
      schema: {
        tags: ['prescriptions'], summary: 'The team’s open renewal requests, oldest first',
        response: { 200: z.object({ items: z.array(requestSchema.extend({ personId: z.uuid(), personName: z.string(), idNumber: z.string() })) }), ...errors },
      },
      handler: async (request) => ({ items: await teamRenewalRequests(ctx, actorOf(request)) }),
    });
    app.post('/api/renewal-requests/:id/decline', {
      schema: { tags: ['prescriptions'], summary: 'Decline a renewal request with a reason', params: idParams, body: z.strictObject({ reason }), response: { 204: z.null(), ...errors } },
      handler: async (request, reply) => {
        await declineRenewal(ctx, actorOf(request), request.params.id, request.body.reason);
        return reply.code(204).send(null);
      },
    });
  };
}
