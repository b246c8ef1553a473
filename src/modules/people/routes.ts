import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { getPerson, revealIdNumber, searchPeople } from './service';

export const personSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    sex: z.enum(['male', 'female']),
    birthDate: z.iso.date(),
    age: z.number().int(),
    idNumber: z.string().describe('Masked (330402********1234) except on the patient’s own record; GET /api/people/:id/id-number reveals it, audited'),
    phone: z.string().nullable(),
    insuranceType: z.enum(['resident', 'employee']),
    region: z.object({ code: z.string(), name: z.string() }),
    contract: z.object({ teamId: z.string(), teamName: z.string(), endDate: z.iso.date() }).nullable(),
    diseases: z.array(z.object({ code: z.string(), name: z.string(), status: z.string() })),
  })
  .meta({ id: 'PersonSummary' });

const personDetailSchema = personSummarySchema
  .extend({ address: z.string().nullable(), insuredSince: z.iso.date() })
  .meta({ id: 'PersonDetail' });

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

export function peopleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/people', {
      schema: {
        tags: ['people'],
        summary: 'Search insured persons in your scope by name prefix, phone or ID number',
        querystring: z.strictObject({
          q: z.string().trim().max(50).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(personSummarySchema), total: z.number().int(), totalCapped: z.boolean() }), ...errors },
      },
      handler: async (request) => searchPeople(ctx, actorOf(request), request.query.q, request.query.limit, request.query.offset),
    });

    app.get('/api/people/me', {
      schema: { tags: ['people'], summary: "A patient's own record", response: { 200: personDetailSchema, ...errors } },
      handler: async (request) => {
        const actor = actorOf(request);
        return getPerson(ctx, actor, actor.user.personId ?? '00000000-0000-0000-0000-000000000000');
      },
    });

    app.get('/api/people/:id', {
      schema: {
        tags: ['people'],
        summary: 'One person, if in your scope',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: personDetailSchema, ...errors },
      },
      handler: async (request) => getPerson(ctx, actorOf(request), request.params.id),
    });

    app.get('/api/people/:id/id-number', {
      schema: {
        tags: ['people'],
        summary: '查看完整身份证号: the full ID number, for the roles whose work needs it; every reveal is audited',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: z.object({ idNumber: z.string() }), ...errors },
      },
      handler: async (request) => revealIdNumber(ctx, actorOf(request), request.params.id),
    });
  };
}
