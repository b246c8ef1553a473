import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { shanghaiDate } from '../../engine/calendar';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { readEligibility } from './service';

const eligibilitySchema = z
  .object({
    date: z.iso.date(),
    personId: z.uuid(),
    insured: z.object({ type: z.enum(['resident', 'employee']), since: z.iso.date(), onDate: z.boolean() }),
    contract: z.object({ id: z.uuid(), team: z.object({ id: z.uuid(), name: z.string() }), startDate: z.iso.date(), endDate: z.iso.date() }).nullable(),
    registrations: z.array(z.object({ disease: z.string(), name: z.string(), effectiveFrom: z.iso.date(), effectiveTo: z.iso.date().nullable() })),
    prescription: z.array(z.object({ lineNo: z.int(), drugCode: z.string(), drugName: z.string(), strength: z.string(), dose: z.string(), frequency: z.string(), daysSupply: z.int(), dispensing: z.string(), pharmacyId: z.string().nullable(), pharmacyName: z.string().nullable() })),
    benefits: z.array(z.object({ disease: z.string(), name: z.string(), applies: z.boolean(), reason: z.string(), message: z.string() })),
    rules: z
      .object({ policyId: z.string(), diseases: z.array(z.string()), maxDaysSupply: z.int(), oneStopLevels: z.array(z.string()) })
      .nullable()
      .describe('the two-disease benefit of the policy in force for the person: its diseases, longest supply and one-stop levels'),
  })
  .meta({ id: 'Eligibility' });

const query = z.strictObject({ date: z.iso.date().optional().describe('YYYY-MM-DD; today (Asia/Shanghai) by default') });

export function eligibilityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/people/me/eligibility', {
      schema: { tags: ['eligibility'], summary: "A patient's own benefit status", querystring: query, response: { 200: eligibilitySchema, 401: problemSchema, 403: problemSchema } },
      handler: async (request) => {
        const actor = actorOf(request);
        return readEligibility(ctx, actor, 'own.read', actor.user.personId, request.query.date ?? shanghaiDate(ctx.now()));
      },
    });

    app.get('/api/people/:id/eligibility', {
      schema: {
        tags: ['eligibility'],
        summary: 'Insured, contracted, registered and confirmed on a date: each chronic benefit with the reason it does or does not apply',
        params: z.strictObject({ id: z.uuid() }),
        querystring: query,
        response: { 200: eligibilitySchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      handler: async (request) => readEligibility(ctx, actorOf(request), 'person.eligibility.read', request.params.id, request.query.date ?? shanghaiDate(ctx.now())),
    });
  };
}
