// 送药到家 over HTTP: the order from a prescription, its steps (复核, 出发配送, 送达 with the signed
// receipt's photo, 配送失败 / 退回), the reads of the provider, the institution and the patient, the share
// delivered, and the directory's delivery providers (/api/admin/delivery-providers). Routes parse and call.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { PHONE_PATTERN } from '../directory/service';
import * as s from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });
const status = z.enum(s.DELIVERY_STATUSES as [string, ...string[]]);
const named = z.object({ id: z.uuid(), name: z.string() });
const step = z.enum(['ordered', 'recheck1', 'recheck2', 'out_for_delivery', 'delivered', 'failed', 'returned']);

const orderSchema = z.object({
  id: z.uuid(), status, prescriptionId: z.uuid(), prescriptionNo: z.string(), dispenseId: z.uuid(),
  person: named, address: z.string(), phone: z.string().nullable(),
  provider: named.extend({ phone: z.string().nullable() }), institution: named.extend({ phone: z.string().nullable() }),
  claim: z.object({ id: z.uuid(), settlementNo: z.string(), status: z.string(), amountFen: z.int(), fundPayFen: z.int(), selfPayFen: z.int() }),
  lines: z.array(z.object({
    prescriptionLineNo: z.int(), drugCode: z.string(), drugName: z.string(), drugNameEn: z.string(), strength: z.string(), packSize: z.int().nullable(), unit: z.string(),
    batchNo: z.string(), expiryDate: z.string(), quantity: z.int().describe('packs'),
  })),
  rechecks: z.array(z.object({ name: z.string(), role: z.string().nullable(), at: z.string().nullable() })),
  recheckedByMe: z.boolean(),
  outAt: z.string().nullable(), finishedAt: z.string().nullable(), failureReason: z.string().nullable(),
  proof: z.object({ mediaType: z.string(), sizeBytes: z.int() }).nullable(),
  createdAt: z.string(),
  events: z.array(z.object({ at: z.string(), step, from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable(), role: z.string().nullable() })),
}).meta({ id: 'DeliveryOrder' });
const providerSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string(), county: z.object({ code: z.string(), name: z.string() }), phone: z.string().nullable(), staff: z.int() }).meta({ id: 'DeliveryProvider' });
const reason = z.strictObject({ reason: z.string().trim().min(2).max(200) });
const note = z.string().trim().min(1).max(200).optional();
const isoDate = z.iso.date();

export function deliveryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/prescriptions/:id/delivery-orders', {
      schema: {
        tags: ['delivery'], summary: 'Order a home delivery (送药到家) of an approved delivery prescription: dispensed, settled and ordered to the county’s provider in one transaction',
        params: idParams,
        body: z.strictObject({
          idempotencyKey: z.string().min(8).max(100).describe('one per order, chosen by the counter'),
          providerId: z.uuid().optional().describe('the provider, when several serve the institution’s county'),
          lines: z.array(z.strictObject({ lineNo: z.int().min(1).max(20), quantity: z.int().min(1).max(999) })).min(1).max(20).optional().describe('packs per prescription line; absent: all that remains'),
        }),
        response: { 200: z.object({ replayed: z.boolean(), order: orderSchema }), 201: z.object({ replayed: z.boolean(), order: orderSchema }), ...errors },
      },
      handler: async (request, reply) => {
        const result = await s.orderDelivery(ctx, actorOf(request), request.params.id, request.body);
        return reply.code(result.replayed ? 200 : 201).send(result);
      },
    });

    app.get('/api/prescriptions/:id/delivery-orders', {
      schema: { tags: ['delivery'], summary: 'A prescription’s delivery orders, each with its steps', params: idParams, response: { 200: z.object({ items: z.array(orderSchema) }), ...errors } },
      handler: async (request) => ({ items: await s.prescriptionOrders(ctx, actorOf(request), request.params.id) }),
    });

    app.get('/api/delivery-orders', {
      schema: {
        tags: ['delivery'], summary: 'The provider’s orders (delivery staff) or the institution’s (pharmacist), by status; open: not yet ended',
        querystring: z.strictObject({ status: z.union([status, z.enum(['open', 'all'])]).default('open'), limit: z.coerce.number().int().min(1).max(200).default(100) }),
        response: { 200: z.object({ items: z.array(orderSchema), counts: z.record(z.string(), z.int()) }), ...errors },
      },
      handler: async (request) => s.listOrders(ctx, actorOf(request), request.query.status as 'open', request.query.limit),
    });

    app.get('/api/delivery-orders/:id', {
      schema: { tags: ['delivery'], summary: 'One delivery order: address, phone, drugs and batches, its steps', params: idParams, response: { 200: orderSchema, ...errors } },
      handler: async (request) => s.getOrder(ctx, actorOf(request), request.params.id),
    });

    app.get('/api/delivery-orders/:id/proof', {
      schema: { tags: ['delivery'], summary: 'The photo of the patient’s signed receipt, inline with its content type (JPEG or PNG)', params: idParams },
      handler: async (request, reply) => {
        const file = await s.orderProof(ctx, actorOf(request), request.params.id);
        return reply.header('cache-control', 'private, no-store').header('content-disposition', 'inline').type(file.mediaType).send(file.bytes);
      },
    });

    app.post('/api/delivery-orders/:id/recheck', {
      schema: {
        tags: ['delivery'], summary: '复核: two different people recheck, one of them a pharmacist of the dispensing institution (409 recheck_same_person / recheck_pharmacist_required)',
        params: idParams, body: z.strictObject({ note }), response: { 200: orderSchema, ...errors },
      },
      handler: async (request) => s.recheckOrder(ctx, actorOf(request), request.params.id, request.body.note),
    });

    app.post('/api/delivery-orders/:id/out', {
      schema: { tags: ['delivery'], summary: '出发配送: a rechecked order goes out', params: idParams, body: z.strictObject({}).optional(), response: { 200: orderSchema, ...errors } },
      handler: async (request) => s.takeOut(ctx, actorOf(request), request.params.id),
    });

    app.post('/api/delivery-orders/:id/delivered', {
      bodyLimit: s.PROOF_BODY_LIMIT,
      schema: {
        tags: ['delivery'], summary: '送达: delivered, with the photo of the patient’s signed receipt (JPEG or PNG by content, at most 5 MB; 413 / 415)',
        params: idParams,
        body: z.strictObject({ proof: z.strictObject({ name: z.string().trim().min(1).max(200).optional(), contentBase64: z.base64().min(4) }), note }),
        response: { 200: orderSchema, ...errors },
      },
      handler: async (request) => s.markDelivered(ctx, actorOf(request), request.params.id, request.body.proof, request.body.note),
    });

    app.post('/api/delivery-orders/:id/failed', {
      schema: { tags: ['delivery'], summary: '配送失败: with the reason; the dispense is taken back (claim reversed, stock returned) in the same transaction', params: idParams, body: reason, response: { 200: orderSchema, ...errors } },
      handler: async (request) => s.endUndelivered(ctx, actorOf(request), request.params.id, 'failed', request.body.reason),
    });

    app.post('/api/delivery-orders/:id/returned', {
      schema: { tags: ['delivery'], summary: '退回: the drugs came back, with the reason; the dispense is taken back (claim reversed, stock returned) in the same transaction', params: idParams, body: reason, response: { 200: orderSchema, ...errors } },
      handler: async (request) => s.endUndelivered(ctx, actorOf(request), request.params.id, 'returned', request.body.reason),
    });

    app.get('/api/me/deliveries', {
      schema: { tags: ['delivery'], summary: 'The patient’s own delivery orders, newest first, each with its steps', response: { 200: z.object({ items: z.array(orderSchema) }), ...errors } },
      handler: async (request) => ({ items: await s.myDeliveries(ctx, actorOf(request)) }),
    });

    app.get('/api/delivery/share', {
      schema: {
        tags: ['delivery'], summary: 'The share of a county’s dispensed prescriptions that were delivered home in a period (送药到家占比)',
        querystring: z.strictObject({ countyCode: z.string().regex(/^[0-9]{6}$/), from: isoDate, to: isoDate }),
        response: { 200: z.object({ countyCode: z.string(), from: z.string(), to: z.string(), dispensed: z.int(), delivered: z.int(), shareBp: z.int().nullable() }), ...errors },
      },
      handler: async (request) => s.deliveryShare(ctx, actorOf(request), request.query.countyCode, request.query.from, request.query.to),
    });

    app.get('/api/delivery/providers', {
      schema: { tags: ['delivery'], summary: 'The providers serving the caller’s institution’s county (whom an order goes to)', response: { 200: z.object({ items: z.array(providerSchema) }), ...errors } },
      handler: async (request) => ({ items: await s.providersForCounter(ctx, actorOf(request)) }),
    });

    app.get('/api/admin/delivery-providers', {
      schema: {
        tags: ['delivery'], summary: 'The directory’s delivery providers (配送企业), by county',
        querystring: z.strictObject({ countyCode: z.string().regex(/^[0-9]{6}$/).optional() }),
        response: { 200: z.object({ items: z.array(providerSchema) }), ...errors },
      },
      handler: async (request) => ({ items: await s.listProviders(ctx, actorOf(request), request.query.countyCode) }),
    });

    app.post('/api/admin/delivery-providers', {
      schema: {
        tags: ['delivery'], summary: 'Add a delivery provider serving a county',
        body: z.strictObject({
          code: z.string().trim().transform((v) => v.toUpperCase()).pipe(z.string().regex(/^[A-Z0-9-]{2,20}$/, '2–20 capital letters, digits or hyphens')),
          name: z.string().trim().min(2).max(80),
          countyCode: z.string().regex(/^[0-9]{6}$/),
          phone: z.string().trim().regex(PHONE_PATTERN, 'a landline with its area code (0573-82345678) or a mobile number').nullable().optional(),
        }),
        response: { 201: providerSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await s.createProvider(ctx, actorOf(request), request.body)),
    });
  };
}
