import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { countStock, receiveStock, stockList, stockRateOf } from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const drugCode = z.string().regex(/^D\d{4}$/);
const batchNo = z.string().trim().regex(/^[A-Za-z0-9-]{1,30}$/, 'letters, digits and hyphens, up to 30');

const stockItem = z.object({
  drugCode: z.string(), drugName: z.string(), drugNameEn: z.string(), strength: z.string(), packSize: z.int(), unit: z.string(), chronic: z.boolean(),
  onHand: z.int().describe('packs in unexpired batches'), received: z.int(), dispensed: z.int().describe('net of returns'), adjusted: z.int(), expired: z.int(),
  patients: z.int().describe('patients whose prescription of the drug was filled here within 90 days'),
  patientDays: z.int().nullable().describe('stock ÷ those patients’ daily use; null when no one takes it'),
  low: z.boolean().describe('under 30 patient-days'),
  batches: z.array(z.object({ batchNo: z.string(), expiryDate: z.iso.date(), received: z.int(), onHand: z.int(), expired: z.boolean() })),
});
const stockSchema = z.object({
  institution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string() }),
  lowStockDays: z.int(),
  items: z.array(stockItem),
}).meta({ id: 'Stock' });

export function stockRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/stock', {
      schema: {
        tags: ['stock'], summary: 'An institution’s drug stock (备药) with patient-days of stock; the caller’s own institution by default',
        querystring: z.strictObject({ institutionId: z.uuid().optional() }), response: { 200: stockSchema, ...errors },
      },
      handler: async (request) => stockList(ctx, actorOf(request), request.query.institutionId),
    });

    app.post('/api/stock/receipts', {
      schema: {
        tags: ['stock'], summary: 'Receive batches into the caller’s institution’s stock (入库)',
        body: z.strictObject({
          lines: z.array(z.strictObject({ drugCode, batchNo, expiryDate: z.iso.date(), quantity: z.int().min(1).max(100000).describe('packs') })).min(1).max(200),
          note: z.string().trim().max(200).optional(),
        }),
        response: { 200: stockSchema, ...errors },
      },
      handler: async (request) => receiveStock(ctx, actorOf(request), request.body.lines, request.body.note),
    });

    app.post('/api/stock/counts', {
      schema: {
        tags: ['stock'], summary: 'Record a batch’s counted quantity (盘点); the difference is kept as an adjustment',
        body: z.strictObject({ drugCode, batchNo, onHand: z.int().min(0).max(1000000), note: z.string().trim().min(2).max(200) }),
        response: { 200: stockSchema, ...errors },
      },
      handler: async (request) => countStock(ctx, actorOf(request), request.body),
    });

    app.get('/api/stock/rate', {
      schema: {
        tags: ['stock'], summary: 'The grassroots stock rate (慢病常用药品配备率) against the upper institution of the medical community (seed 002 item 13, ≥ 70 %)',
        querystring: z.strictObject({ institutionId: z.uuid().optional() }),
        response: {
          200: z.object({
            institution: z.object({ id: z.uuid(), name: z.string() }), upperInstitution: z.object({ id: z.uuid(), name: z.string() }),
            drugList: z.string(), targetBp: z.int(), rateBp: z.int().nullable(), meetsTarget: z.boolean().nullable(), upperCount: z.int(), stockedCount: z.int(),
            missing: z.array(z.object({ drugCode: z.string(), drugName: z.string(), drugNameEn: z.string() })),
          }),
          ...errors,
        },
      },
      handler: async (request) => stockRateOf(ctx, actorOf(request), request.query.institutionId),
    });
  };
}
