import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../core/http';
import type { AppContext } from '../../core/context';
import { forbidden, problemSchema } from '../../core/problem';
import { getPerson, searchPeople } from './service';

const STAFF = ['family_doctor', 'pharmacist', 'insurance_reviewer', 'analyst', 'institution_admin', 'system_admin'] as const;

export const personSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    sex: z.enum(['male', 'female']),
    birthDate: z.iso.date(),
    age: z.number().int(),
    idNumber: z.string().describe('Masked (330402********1234) unless the role needs the full number'),
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
      handler: async (request) => {
        const user = requireRole(request, STAFF);
        return searchPeople(ctx, { user, ip: request.ip }, request.query.q, request.query.limit, request.query.offset);
      },
    });

    app.get('/api/people/me', {
      schema: { tags: ['people'], summary: "A patient's own record", response: { 200: personDetailSchema, ...errors } },
      handler: async (request) => {
        const user = requireRole(request, ['patient']);
        if (!user.personId) throw forbidden();
        return getPerson(ctx, { user, ip: request.ip }, user.personId);
      },
    });

    app.get('/api/people/:id', {
      schema: {
        tags: ['people'],
        summary: 'One person, if in your scope',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: personDetailSchema, ...errors },
      },
      handler: async (request) => {
        const user = requireRole(request, [...STAFF, 'patient']);
        return getPerson(ctx, { user, ip: request.ip }, request.params.id);
      },
    });
  };
}
