import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { shanghaiDate } from '../../engine/calendar';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { LANG_PARAM_VALUES, languageOf } from '../../core/language';
import { getSettlement, personClaims, quote, reverseClaim, settleClaim } from './service';
import { DAY_BENEFITS, dayCsv, dayList } from './day';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const fen = z.number().int();

const claimBody = {
  personId: z.uuid(),
  serviceDate: z.iso.date().optional().describe('today (Asia/Shanghai) by default'),
  lines: z
    .array(z.strictObject({
      drugCode: z.string().regex(/^D\d{4}$/),
      quantity: z.int().min(1).max(100).describe('packs (盒)'),
      daysSupply: z.int().min(1).max(366).optional().describe('as prescribed; otherwise estimated from the usual daily dose'),
    }))
    .min(1)
    .max(20),
};

const lineSchema = z.object({
  lineNo: z.int(), drugCode: z.string(), drugName: z.string(), strength: z.string(), quantity: z.int(), unitPriceFen: fen, amountFen: fen,
  daysSupply: z.int(), disease: z.string().nullable(), scope: z.enum(['two_disease', 'general', 'specified_disease']), scopeReason: z.string(),
  benefit: z.string(), reason: z.string(), ratioBp: z.int(), fundPayFen: fen, deductibleFen: fen, copayFen: fen, overLimitFen: fen,
  fundRemainingFen: fen.nullable(), criticalIllnessFen: fen, explanation: z.string(),
}).meta({ id: 'SettledLine' });

const adjustmentSchema = z.object({
  claimId: z.uuid(), causedBy: z.uuid(), cause: z.enum(['reversal', 'backdated']), serviceDate: z.iso.date(), fundPayFen: fen, deductibleFen: fen,
  copayFen: fen, overLimitFen: fen, criticalIllnessFen: fen, at: z.string(),
}).meta({ id: 'ClaimAdjustment', description: '补扣/补付: what re-settling the year changed on a claim, new minus old' });

const totalsSchema = z.object({ amountFen: fen, fundPayFen: fen, deductibleFen: fen, copayFen: fen, overLimitFen: fen, criticalIllnessFen: fen, selfPayFen: fen });

const payersSchema = z.object({ fundFen: fen.describe('统筹基金'), accountFen: fen.describe('个人账户: 0 under every shipped policy'), cashFen: fen.describe('现金') });

const settlementSchema = z.object({
  id: z.uuid(),
  settlementNo: z.string().describe('结算单号: institution code, service date, a sequence value — unique by construction'),
  status: z.enum(['settled', 'reversed']),
  person: z.object({ id: z.uuid(), name: z.string(), idNumber: z.string() }),
  institution: z.object({ id: z.uuid(), code: z.string(), name: z.string(), level: z.string() }),
  serviceDate: z.iso.date(),
  insuranceType: z.string(),
  policyId: z.string(),
  policy: z.object({ id: z.string(), name: z.string() }),
  idempotencyKey: z.string(),
  settledAt: z.string(),
  reversedAt: z.string().nullable(),
  reversalReason: z.string().nullable(),
  totals: totalsSchema,
  payers: payersSchema,
  lines: z.array(lineSchema),
  history: z.array(z.object({ at: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable() })),
  adjustments: z.array(adjustmentSchema).describe('changes booked on this claim when an earlier claim was reversed or a back-dated one came in'),
  caused: z.array(adjustmentSchema).describe("changes this claim's reversal (or late arrival) booked on the person's other claims"),
  fundPayNowFen: fen.describe('the fund’s share of this claim with its adjustments'),
  netToPatientFen: fen.nullable().describe('for a reversed claim: refunded to the patient (positive) or owed (negative) at the counter'),
}).meta({ id: 'Settlement' });

const sumsSchema = z.object({ amountFen: fen, fundFen: fen, accountFen: fen, cashFen: fen });
const daySchema = z.object({
  date: z.iso.date(),
  institution: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  entries: z.array(z.object({
    kind: z.enum(['settlement', 'reversal']), claimId: z.uuid(), settlementNo: z.string(), at: z.string(), serviceDate: z.iso.date(), insuranceType: z.string(),
    policy: z.object({ id: z.string(), name: z.string() }), person: z.object({ name: z.string(), idNumber: z.string() }), reason: z.string().nullable(),
    ...sumsSchema.shape,
  })).describe('a reversal’s amounts are negative'),
  totals: z.object({ settlements: z.int(), reversals: z.int(), ...sumsSchema.shape, byBenefit: z.object(Object.fromEntries(DAY_BENEFITS.map((b) => [b, sumsSchema])) as Record<(typeof DAY_BENEFITS)[number], typeof sumsSchema>) }),
}).meta({ id: 'SettlementDay' });
const dayQuery = { date: z.iso.date().optional().describe('today (Asia/Shanghai) by default') };

export function settlementRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {

    app.get('/api/settlements/day', {
      schema: {
        tags: ['settlement'],
        summary: 'The counter’s end-of-day list (日结): the institution’s settlements and reversals of a day, totals by benefit and payer, reversals netted',
        querystring: z.strictObject(dayQuery),
        response: { 200: daySchema, ...errors },
      },
      handler: async (request) => dayList(ctx, actorOf(request), request.query.date ?? shanghaiDate(ctx.now())),
    });

    app.get('/api/settlements/day.csv', {
      schema: {
        tags: ['settlement'],
        summary: 'The end-of-day list as CSV (UTF-8 with BOM; Chinese headers unless English is asked for)',
        querystring: z.strictObject({ ...dayQuery, lang: z.enum(LANG_PARAM_VALUES).optional().describe('by default from Accept-Language, Chinese unless English') }),
      },
      handler: async (request, reply) => {
        const date = request.query.date ?? shanghaiDate(ctx.now());
        const day = await dayList(ctx, actorOf(request), date);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="settlements-${day.institution.code}-${date}.csv"`)
          .send(dayCsv(day, languageOf(request, request.query.lang)));
      },
    });

    app.post('/api/settlements/quote', {
      schema: {
        tags: ['settlement'],
        summary: 'Quote (试算): the split per line under the region’s policy, without committing anything',
        body: z.strictObject(claimBody),
        response: {
          200: z.object({
            personId: z.uuid(), serviceDate: z.iso.date(), policy: z.object({ id: z.string(), name: z.string() }),
            institution: z.object({ id: z.uuid(), name: z.string(), level: z.string() }), insuranceType: z.string(),
            lines: z.array(lineSchema), totals: totalsSchema,
            benefits: z.array(z.object({ disease: z.string(), name: z.string(), applies: z.boolean(), reason: z.string(), message: z.string() })),
          }),
          ...errors,
        },
      },
      handler: async (request) => quote(ctx, actorOf(request), request.body),
    });

    app.post('/api/settlements', {
      schema: {
        tags: ['settlement'],
        summary: 'Settle (结算) a claim; the same idempotency key returns the first result and pays nothing twice',
        body: z.strictObject({ ...claimBody, idempotencyKey: z.string().min(8).max(100).describe('one per purchase, chosen by the counter (e.g. a UUID)') }),
        response: { 200: settlementSchema, 201: settlementSchema, ...errors },
      },
      handler: async (request, reply) => {
        const { replayed, settlement } = await settleClaim(ctx, actorOf(request), request.body);
        return reply.code(replayed ? 200 : 201).send(settlement);
      },
    });

    app.post('/api/settlements/:id/reverse', {
      schema: {
        tags: ['settlement'],
        summary: 'Reverse (冲正/退费) a settled claim, giving back what it drew from the person’s limits',
        params: z.strictObject({ id: z.uuid() }),
        body: z.strictObject({ reason: z.string().trim().min(2).max(200) }),
        response: { 200: settlementSchema, ...errors },
      },
      handler: async (request) => reverseClaim(ctx, actorOf(request), request.params.id, request.body.reason),
    });

    app.get('/api/settlements/:id', {
      schema: { tags: ['settlement'], summary: 'One claim as its receipt (结算单) shows it', params: z.strictObject({ id: z.uuid() }), response: { 200: settlementSchema, ...errors } },
      handler: async (request) => getSettlement(ctx, actorOf(request), request.params.id),
    });

    app.get('/api/people/:id/claims', {
      schema: {
        tags: ['settlement'],
        summary: "A person's claims of a year and what they have used of each benefit pool",
        params: z.strictObject({ id: z.uuid() }),
        querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: {
          200: z.object({
            year: z.int(),
            pools: z.record(z.string(), z.object({ fundPaid: fen, deductibleMet: fen })),
            claims: z.array(z.object({ id: z.uuid(), serviceDate: z.iso.date(), status: z.string(), amountFen: fen, fundPayFen: fen, institution: z.string() })),
          }),
          ...errors,
        },
      },
      handler: async (request) => {
        return personClaims(ctx, actorOf(request), request.params.id, request.query.year ?? Number(shanghaiDate(ctx.now()).slice(0, 4)));
      },
    });
  };
}
