import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { dispensePrescription, fillQueue, quoteDispense, takeBackDispense } from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });
const fillLines = z.array(z.strictObject({ lineNo: z.int().min(1).max(20), quantity: z.int().min(1).max(999).describe('packs') })).min(1).max(20)
  .optional().describe('packs per prescription line; absent: all that remains');

export function dispensingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/dispensing/queue', {
      schema: {
        tags: ['dispensing'], summary: 'The counter’s queue: approved prescriptions the patients chose this institution for (云处方), oldest approval first',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(100) }),
        response: {
          200: z.object({ items: z.array(z.object({
            id: z.uuid(), personId: z.uuid(), personName: z.string(), idNumber: z.string(), prescriptionNo: z.string(), origin: z.string(), status: z.string(), writtenOn: z.iso.date(),
            validUntil: z.iso.date(), daysSupply: z.int(), approvedAt: z.string().nullable(), fillPlace: z.string(), deliveryAddress: z.string().nullable(), institution: z.string(),
          })) }),
          ...errors,
        },
      },
      handler: async (request) => ({ items: await fillQueue(ctx, actorOf(request), request.query.limit) }),
    });

    app.post('/api/prescriptions/:id/dispense-quote', {
      schema: {
        tags: ['dispensing'], summary: 'What dispensing these packs would cost and who pays what (试算)', params: idParams, body: z.strictObject({ lines: fillLines }),
        response: { 200: z.object({ lines: z.array(z.object({ lineNo: z.int(), drugCode: z.string(), quantity: z.int(), daysSupply: z.int() })), quote: z.unknown() }), ...errors },
      },
      handler: async (request) => quoteDispense(ctx, actorOf(request), request.params.id, request.body),
    });

    app.post('/api/prescriptions/:id/dispenses', {
      schema: {
        tags: ['dispensing'], summary: 'Dispense (发药) and settle (结算) in one transaction: stock taken by batch, the claim written with the dispense',
        params: idParams,
        body: z.strictObject({ idempotencyKey: z.string().min(8).max(100).describe('one per hand-over, chosen by the counter'), lines: fillLines }),
        response: { 200: z.object({ replayed: z.boolean(), dispenseId: z.uuid(), settlement: z.unknown(), prescription: z.unknown() }), 201: z.object({ replayed: z.boolean(), dispenseId: z.uuid(), settlement: z.unknown(), prescription: z.unknown() }), ...errors },
      },
      handler: async (request, reply) => {
        const result = await dispensePrescription(ctx, actorOf(request), request.params.id, request.body);
        return reply.code(result.replayed ? 200 : 201).send(result);
      },
    });

    app.post('/api/dispenses/:id/return', {
      schema: {
        tags: ['dispensing'], summary: 'Take a dispense back (退药): its claim is reversed, its batches go back to stock, its packs to the prescription',
        params: idParams, body: z.strictObject({ reason: z.string().trim().min(2).max(200) }), response: { 200: z.unknown(), ...errors },
      },
      handler: async (request) => takeBackDispense(ctx, actorOf(request), request.params.id, request.body.reason),
    });
  };
}
