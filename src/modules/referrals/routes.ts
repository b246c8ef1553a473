import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import {
  acceptReferral, attendReferral, completeReferral, declineReferral, destinations, extendReferral, followUpReferral, getReferral, listReferrals, personReferrals, referDown, referUp,
} from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });
const reason = z.string().trim().min(2).max(200);
const department = z.string().trim().min(2).max(40);
const statusEnum = z.enum(['requested', 'accepted', 'declined', 'attended', 'completed', 'expired']);
const priorityEnum = z.enum(['appointment', 'examination', 'admission', 'bed']).describe('四优先: 优先预约、优先检查、优先住院、优先安排床位');
const institutionRef = z.object({ id: z.uuid(), name: z.string(), level: z.string() });
const teamRef = z.object({ id: z.uuid(), name: z.string() });

const referralItemSchema = z.object({
  id: z.uuid(), referralNo: z.string(), direction: z.enum(['up', 'down']), status: statusEnum, inForce: z.boolean().describe('the receiving side may read the patient’s record (referred_here)'), urgency: z.enum(['urgent', 'routine']),
  person: z.object({ id: z.uuid(), name: z.string(), sex: z.string(), age: z.int(), idNumber: z.string() }),
  from: z.object({ institution: institutionRef, team: teamRef.nullable(), by: z.string() }),
  to: z.object({ institution: institutionRef.nullable(), team: teamRef.nullable() }),
  reason: z.string(), department: z.string().nullable(), requestedDate: z.iso.date().nullable(),
  appointment: z.object({ date: z.iso.date(), department: z.string() }).nullable(),
  priorities: z.array(priorityEnum), followupVisitId: z.uuid().nullable(), upReferralId: z.uuid().nullable(),
  discharge: z.object({
    date: z.iso.date(), summary: z.string(), sourcePrescriptionNo: z.string().nullable(),
    continueLines: z.array(z.object({ drugCode: z.string(), drugName: z.string(), dose: z.number(), frequency: z.string(), daysSupply: z.int(), quantity: z.int().describe('packs') })),
    followUpDue: z.iso.date().describe('discharge date + 14 days'), followedUp: z.object({ visitId: z.uuid(), on: z.iso.date() }).nullable(),
    overdue: z.boolean().describe('not followed up and the due date has passed'), extendedPrescriptionId: z.uuid().nullable(),
  }).nullable(),
  requestedAt: z.string(), acceptedAt: z.string().nullable(), declinedAt: z.string().nullable(), declineReason: z.string().nullable(),
  attendedAt: z.string().nullable(), completedAt: z.string().nullable(), expiresOn: z.iso.date().nullable(),
  waiting: z.object({ hours: z.int(), days: z.int(), answered: z.boolean() }).describe('requested → accepted or declined, or → now while unanswered'),
}).meta({ id: 'ReferralItem' });

const referralSchema = referralItemSchema.extend({
  clinicalSummary: z.string().nullable(),
  prescriptions: z.array(z.object({
    source: z.enum(['prescription', 'continuous']), prescriptionNo: z.string().nullable(), writtenOn: z.iso.date().nullable(),
    lines: z.array(z.object({ drugCode: z.string(), drugName: z.string(), dose: z.string(), frequency: z.string(), daysSupply: z.int() })),
  })).describe('the current medication when referred (a snapshot)'),
  history: z.array(z.object({ at: z.string(), action: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable(), detail: z.unknown() })),
}).meta({ id: 'Referral' });

const upBody = z.strictObject({
  personId: z.uuid(),
  toInstitutionId: z.uuid().describe('a secondary or tertiary hospital'),
  fromVisitId: z.uuid().nullish().describe('the follow-up visit whose referral advice this is: reason, urgency and summary default from it'),
  urgency: z.enum(['urgent', 'routine']).nullish(),
  reason: z.string().trim().min(2).max(500).nullish(),
  department: department.nullish(),
  requestedDate: z.iso.date().nullish().describe('the appointment date asked for'),
  clinicalSummary: z.string().trim().min(2).max(2000).nullish(),
});

const downBody = z.strictObject({
  personId: z.uuid(),
  dischargeDate: z.iso.date(),
  dischargeSummary: z.string().trim().min(2).max(2000),
  department: department.nullish(),
  upReferralId: z.uuid().nullish().describe('the attended up-referral this discharge closes'),
  sourcePrescriptionNo: z.string().trim().min(2).max(60).nullish().describe('the hospital’s prescription the continued lines come from; required with continueLines'),
  continueLines: z.array(z.strictObject({
    drugCode: z.string().regex(/^D\d{4}$/),
    dose: z.number().positive().max(1000).describe('units of the drug’s unit per administration'),
    frequency: z.enum(['qd', 'bid', 'tid', 'qid', 'qn', 'qw']),
    daysSupply: z.int().min(1).max(366),
  })).max(20).optional(),
});

const extendBody = z.strictObject({
  fillPlace: z.enum(['own', 'pharmacy', 'delivery']),
  fillInstitutionId: z.uuid().nullish(),
  deliveryAddress: z.string().trim().min(4).max(200).nullish(),
  stableReason: z.string().trim().min(2).max(500).nullish(),
  submit: z.boolean().optional(),
});

const listQuery = z.strictObject({
  box: z.enum(['out', 'in', 'down']).describe('out: the team’s up-referrals; in: the hospital’s incoming; down: down-referrals to follow up (the team’s) or sent (the hospital’s)'),
  status: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(statusEnum).max(6)).optional().describe('comma-separated statuses'),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function referralRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const view = (request: FastifyRequest, id: string) => getReferral(ctx, actorOf(request), id);
    const tags = ['referrals'];

    app.get('/api/referrals', {
      schema: { tags, summary: 'A box of referrals: out (team), in (hospital: urgent first, then the longest waiting), down (to follow up, nearest due first)', querystring: listQuery, response: { 200: z.object({ total: z.int(), items: z.array(referralItemSchema) }), ...errors } },
      handler: async (request) => listReferrals(ctx, actorOf(request), request.query),
    });
    app.get('/api/referrals/destinations', {
      schema: { tags, summary: 'The secondary and tertiary hospitals of the city a family doctor refers to', response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string(), level: z.string(), countyCode: z.string() })) }), ...errors } },
      handler: async (request) => ({ items: await destinations(ctx, actorOf(request)) }),
    });
    app.get('/api/referrals/:id', {
      schema: { tags, summary: 'A referral with its medication, discharge and history', params: idParams, response: { 200: referralSchema, ...errors } },
      handler: async (request) => view(request, request.params.id),
    });
    app.get('/api/people/:id/referrals', {
      schema: { tags, summary: 'A person’s referrals, newest first', params: idParams, response: { 200: z.object({ items: z.array(referralItemSchema) }), ...errors } },
      handler: async (request) => ({ items: await personReferrals(ctx, actorOf(request), request.params.id) }),
    });
    app.post('/api/referrals', {
      schema: { tags, summary: 'Refer a contracted patient up (上转), in one step from a follow-up visit’s advice', body: upBody, response: { 201: referralSchema, ...errors } },
      handler: async (request, reply) => reply.code(201).send(await view(request, (await referUp(ctx, actorOf(request), request.body)).id)),
    });
    app.post('/api/referrals/down', {
      schema: { tags, summary: 'Refer a discharged patient down (下转) to their contracted team, with the prescription to continue', body: downBody, response: { 201: referralSchema, ...errors } },
      handler: async (request, reply) => reply.code(201).send(await view(request, (await referDown(ctx, actorOf(request), request.body)).id)),
    });
    app.post('/api/referrals/:id/accept', {
      schema: {
        tags, summary: 'Accept: the hospital schedules the appointment and gives the four priorities (the team acknowledges a down-referral)', params: idParams,
        body: z.strictObject({ appointmentDate: z.iso.date().nullish(), department: department.nullish(), priorities: z.array(priorityEnum).max(4).optional() }), response: { 200: referralSchema, ...errors },
      },
      handler: async (request) => {
        await acceptReferral(ctx, actorOf(request), request.params.id, request.body);
        return view(request, request.params.id);
      },
    });
    app.post('/api/referrals/:id/decline', {
      schema: { tags, summary: 'Decline with a reason', params: idParams, body: z.strictObject({ reason }), response: { 200: referralSchema, ...errors } },
      handler: async (request) => {
        await declineReferral(ctx, actorOf(request), request.params.id, request.body.reason);
        return view(request, request.params.id);
      },
    });
    app.post('/api/referrals/:id/attend', {
      schema: { tags, summary: 'The patient came to the hospital', params: idParams, body: z.strictObject({}).optional(), response: { 200: referralSchema, ...errors } },
      handler: async (request) => {
        await attendReferral(ctx, actorOf(request), request.params.id);
        return view(request, request.params.id);
      },
    });
    app.post('/api/referrals/:id/complete', {
      schema: { tags, summary: 'Close an attended up-referral (hospital) or a followed-up down-referral (team)', params: idParams, body: z.strictObject({ note: z.string().trim().min(2).max(200).nullish() }).optional(), response: { 200: referralSchema, ...errors } },
      handler: async (request) => {
        await completeReferral(ctx, actorOf(request), request.params.id, request.body?.note ?? null);
        return view(request, request.params.id);
      },
    });
    app.post('/api/referrals/:id/follow-up', {
      schema: { tags, summary: 'Mark a down-referral followed up by the team’s visit on or after the discharge (the first one when none is named)', params: idParams, body: z.strictObject({ visitId: z.uuid().nullish() }).optional(), response: { 200: referralSchema, ...errors } },
      handler: async (request) => {
        await followUpReferral(ctx, actorOf(request), request.params.id, request.body?.visitId ?? null);
        return view(request, request.params.id);
      },
    });
    app.post('/api/referrals/:id/extend', {
      schema: { tags, summary: 'Write the down-referral’s continued prescription as the team’s extended prescription (延伸处方) in one step', params: idParams, body: extendBody, response: { 201: z.object({ prescriptionId: z.uuid(), referral: referralSchema }), ...errors } },
      handler: async (request, reply) => {
        const prescriptionId = await extendReferral(ctx, actorOf(request), request.params.id, request.body);
        return reply.code(201).send({ prescriptionId, referral: await view(request, request.params.id) });
      },
    });
  };
}
