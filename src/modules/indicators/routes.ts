// The indicators over HTTP (docs/indicators.md): a period's report and the patients behind a number.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import * as s from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema };
const count = z.int().min(0);
const ratio = z.object({ numerator: count, denominator: count });
const control = ratio.extend({
  groups: z.object({ uncontrolled: count, visited_no_reading: count, missed_visit: count }),
  excluded: z.object({ registered_last_3_months: count, lost_to_follow_up: count }),
});
const indicators = z.object({
  contracting: ratio, registered: ratio,
  standardised_management: z.object({ hypertension: ratio, diabetes: ratio }),
  control: z.object({ hypertension: control, diabetes: control }),
  grassroots_visits: ratio.extend({ pharmacy_claims: count }),
  fund_spending: z.object({ amount_fen: count, fund_pay_fen: count, self_pay_fen: z.int(), patients: count }),
  activity: z.object({ filed: count, confirmed: count, returned: count, registered_patients: count, registered_patients_year_before: count }),
  diagnosed: z.object({ hypertension: count, diabetes: count, either: count }),
  delivered_share: ratio, drug_stock: ratio.optional(), referral_completion: ratio.optional(), audit_findings_per_1000_claims: ratio.optional(),
});
const report = z.object({
  period: z.object({ year: z.int(), quarter: z.int().nullable(), start: z.iso.date(), end: z.iso.date() }),
  version: z.string(),
  insuranceType: z.enum(['resident', 'employee']).optional(),
  scopes: z.array(z.object({ level: z.enum(['city', 'county', 'institution', 'team']), code: z.string(), name: z.string(), parent: z.string().optional(), indicators })),
}).meta({ id: 'IndicatorReport' });

export const periodQuery = {
  year: z.coerce.number().int().min(2000).max(2100),
  quarter: z.coerce.number().int().min(1).max(4).optional().describe('omitted: the whole year'),
  county: z.string().regex(/^[0-9]{6}$/).optional().describe('a county of the caller’s area; a reviewer’s own by default'),
  insuranceType: z.enum(['resident', 'employee']).optional(),
};

export function indicatorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/indicators', {
      schema: {
        tags: ['indicators'],
        summary: 'A period’s indicators for the city, its counties, institutions and teams (numerators and denominators; rates are left to the reader)',
        querystring: z.strictObject(periodQuery),
        response: { 200: report, ...errors },
      },
      handler: async (request) => s.readIndicators(ctx, actorOf(request), request.query),
    });
    const states = z.object(Object.fromEntries(s.COHORT_STATES.map((k) => [k, count])) as Record<(typeof s.COHORT_STATES)[number], typeof count>);
    app.get('/api/indicators/cohort', {
      schema: {
        tags: ['indicators'],
        summary: 'The patients registered in a quarter and their state two quarters later, by county and disease',
        querystring: z.strictObject({ year: periodQuery.year, quarter: z.coerce.number().int().min(1).max(4), county: periodQuery.county }),
        response: {
          200: z.object({
            registered: z.object({ year: z.int(), quarter: z.int(), start: z.iso.date(), end: z.iso.date() }),
            observedAt: z.iso.date(),
            counties: z.array(z.object({ code: z.string(), name: z.string(), hypertension: states, diabetes: states })),
          }),
          ...errors,
        },
      },
      handler: async (request) => s.cohort(ctx, actorOf(request), request.query),
    });
    app.get('/api/indicators/patients', {
      schema: {
        tags: ['indicators'],
        summary: 'The patients behind a number (audited; the analyst sees names and ID numbers masked)',
        querystring: z.strictObject({
          ...periodQuery,
          level: z.enum(['city', 'county', 'institution', 'team']),
          code: z.string().min(4).max(40),
          indicator: z.enum(s.PATIENT_INDICATORS),
          group: z.enum(s.PATIENT_GROUPS),
          page: z.coerce.number().int().min(1).max(100000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            total: count,
            items: z.array(z.object({
              personId: z.uuid(), name: z.string(), idNumber: z.string().describe('masked'), sex: z.string(), age: z.int(),
              countyName: z.string().nullable(), teamName: z.string().nullable(), state: z.string().nullable().describe('the control group, for a control rate'),
            })),
          }),
          ...errors,
        },
      },
      handler: async (request) => s.indicatorPatients(ctx, actorOf(request), request.query),
    });
  };
}
