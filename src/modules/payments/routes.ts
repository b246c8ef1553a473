// Provider payment over HTTP (docs/payments.md): the run of a period, a stored run recomputed, the runs kept,
// the workbook, and what made a figure.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import * as details from './details';
import * as s from './service';
import { paymentsXlsx } from './xlsx';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const query = {
  year: z.coerce.number().int().min(2000).max(2100),
  quarter: z.coerce.number().int().min(1).max(4).optional().describe('omitted: the whole year (to date while it runs)'),
  county: z.string().regex(/^[0-9]{6}$/).optional().describe('one county of the caller’s area; a reviewer’s own by default; omitted: the city'),
};
const page = { page: z.coerce.number().int().min(1).max(100000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) };
// the figures are described in docs/payments.md key by key; the schema names the parts and keeps every key
const report = z.looseObject({
  run: z.object({ id: z.uuid(), created_at: z.string(), created_by: z.string(), inputs_hash: z.string(), version: z.string(), reused: z.boolean() }),
  period: z.object({ year: z.int(), quarter: z.int().nullable(), start: z.iso.date(), end: z.iso.date(), as_of: z.iso.date(), complete_months: z.int() }),
  county: z.string().nullable(),
  parameters: z.looseObject({ id: z.string(), name: z.string() }),
  results: z.looseObject({
    capitation: z.array(z.looseObject({ town_code: z.string(), institution_id: z.string(), package_fen: z.int(), balance_fen: z.int() })),
    budget: z.array(z.looseObject({ community_id: z.string(), budget_fen: z.int(), spent_fen: z.int() })),
    contract_fee: z.array(z.looseObject({ team_id: z.string(), score: z.int(), fee_fen: z.int() })),
    work_equivalent: z.array(z.looseObject({ team_id: z.string(), equivalents_milli: z.int(), value_fen: z.int() })),
    totals: z.record(z.string(), z.int()),
  }),
}).meta({ id: 'PaymentReport' });
/** The engine's result types are exact; the schema is open (looseObject): the two meet here. */
const asReport = <T>(p: Promise<T>) => p as unknown as Promise<z.output<typeof report> & { verification: { same: boolean; hashSame: boolean; differences: string[] } }>;

export function paymentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/payments', {
      schema: {
        tags: ['payments'],
        summary: 'The payment run of a period for the records as they stand (stored when new; the same inputs give the same run): capitation, total budget with Luohu’s saving, contract fee, work equivalents',
        querystring: z.strictObject(query),
        response: { 200: report, ...errors },
      },
      handler: async (request) => asReport(s.readPayments(ctx, actorOf(request), request.query)),
    });
    app.get('/api/payments/export', {
      schema: {
        tags: ['payments'],
        summary: 'The run of a period as an .xlsx with Chinese headers: a sheet per model, the months, and the parameters with their sources',
        querystring: z.strictObject(query),
        response: { 200: z.string().describe('the .xlsx file'), ...errors },
      },
      handler: async (request, reply) => {
        const r = await s.readPayments(ctx, actorOf(request), request.query);
        const region = await ctx.db.selectFrom('region').select('name').where('code', '=', r.county ?? actorOf(request).user.scope.regionPrefix ?? '').executeTakeFirst();
        const file = await paymentsXlsx(r, region?.name ?? '');
        const name = `payments-${r.period.year}${r.period.quarter ? `-q${r.period.quarter}` : ''}${r.county ? `-${r.county}` : ''}.xlsx`;
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('cache-control', 'private, no-store')
          .header('content-disposition', `attachment; filename="${name}"`).send(file as unknown as string);
      },
    });
    app.get('/api/payments/quarters', {
      schema: {
        tags: ['payments'],
        summary: 'The year’s quarters so far, each its own run (stored when new): totals, and each team’s score, contract fee and work equivalents — the trend through the year',
        querystring: z.strictObject({ year: query.year, county: query.county }),
        response: {
          200: z.object({
            year: z.int(),
            quarters: z.array(z.object({
              quarter: z.int(), run: z.object({ id: z.uuid(), as_of: z.string(), reused: z.boolean(), version: z.string() }), totals: z.record(z.string(), z.int()),
              teams: z.array(z.object({ team_id: z.uuid(), score: z.int(), share_bp: z.int(), fee_fen: z.int(), equivalents_milli: z.int(), value_fen: z.int() })),
            })),
          }),
          ...errors,
        },
      },
      handler: async (request) => s.readQuarters(ctx, actorOf(request), request.query),
    });
    app.get('/api/payments/runs', {
      schema: {
        tags: ['payments'], summary: 'The runs kept for a year, newest first, with their totals',
        querystring: z.strictObject({ year: query.year }),
        response: { 200: z.array(z.looseObject({ id: z.uuid(), year: z.int(), quarter: z.int().nullable(), inputs_hash: z.string() })), ...errors },
      },
      handler: async (request) => s.listRuns(ctx, actorOf(request), request.query.year),
    });
    app.get('/api/payments/runs/:id', {
      schema: {
        tags: ['payments'], summary: 'A stored run as it was, recomputed from its own parameters and inputs (verification: the same fen or what differs)',
        params: z.strictObject({ id: z.uuid() }), querystring: z.strictObject({ county: query.county }),
        response: { 200: report.extend({ verification: z.object({ same: z.boolean(), hashSame: z.boolean(), differences: z.array(z.string()) }) }), ...errors },
      },
      handler: async (request) => asReport(s.readRun(ctx, actorOf(request), request.params.id, request.query.county)),
    });
    app.get('/api/payments/claims', {
      schema: {
        tags: ['payments'], summary: 'The claims behind a township’s capitation (code: town code) or a community’s budget (code: its id), by pool and month (masked, audited)',
        querystring: z.strictObject({
          year: query.year, quarter: query.quarter, model: z.enum(['capitation', 'budget']), code: z.string().min(9).max(40),
          pool: z.enum(['package', 'referral', 'long_rx', 'within']).optional().describe('capitation: package or referral; budget: long_rx (a line of a long prescription) or within (a line within the budget)'), month: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/).optional(), ...page,
        }),
        response: { 200: z.object({ total: z.int(), page: z.int(), pageSize: z.int(), items: z.array(z.looseObject({ id: z.uuid(), service_date: z.string(), amount_fen: z.int(), fund_fen: z.int() })) }), ...errors },
      },
      handler: async (request) => details.paymentClaims(ctx, actorOf(request), request.query),
    });
    app.get('/api/payments/recoveries', {
      schema: {
        tags: ['payments'], summary: 'The smart audit’s confirmed deductions (recoveries) behind a township’s capitation or a community’s budget, year to the state day (masked, audited)',
        querystring: z.strictObject({ year: query.year, quarter: query.quarter, model: z.enum(['capitation', 'budget']), code: z.string().min(9).max(40), ...page }),
        response: { 200: z.object({ total: z.int(), page: z.int(), pageSize: z.int(), items: z.array(z.looseObject({ id: z.uuid(), decided_on: z.iso.date(), deduction_fen: z.int() })) }), ...errors },
      },
      handler: async (request) => details.paymentRecoveries(ctx, actorOf(request), request.query),
    });
    app.get('/api/payments/contracted', {
      schema: {
        tags: ['payments'], summary: 'A team’s residents under contract at the period’s state day, behind its contract fee (masked, audited)',
        querystring: z.strictObject({ year: query.year, quarter: query.quarter, team: z.uuid(), ...page }),
        response: { 200: z.object({ at: z.iso.date(), total: z.int(), page: z.int(), pageSize: z.int(), items: z.array(z.looseObject({ name: z.string(), id_number: z.string() })) }), ...errors },
      },
      handler: async (request) => details.contractedResidents(ctx, actorOf(request), request.query),
    });
  };
}
