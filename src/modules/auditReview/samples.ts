// Random sampling of the claims the smart audit did not flag (抽样复核; openIMIS's claim review sampling):
// the reviewer draws a seeded sample of the county's settled, unflagged claims in a period, marks each
// correct or in error, and the sample's error, extrapolated to the claims not sampled, is the proposed
// deduction, fixed when the sample is closed. The draw and the arithmetic are src/engine/audit/sampling.ts.
import { randomInt } from 'node:crypto';
import { daysBetween } from '../../engine/calendar';
import { drawSample, extrapolate, MAX_SEED, sampleSize } from '../../engine/audit/sampling';
import { maskResidentId } from '../../engine/identity/residentId';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { badRequest, conflict, notFound } from '../../core/problem';
import type { Database } from '../../db/connect';
import { unflaggedClaims } from './queries';

const iso = (t: Date | string | null) => (t === null ? null : new Date(t).toISOString());
/** The longest period one sample covers: a year (a leap year's 366 days). */
const MAX_PERIOD_DAYS = 366;

export interface SampleInput {
  from: string;
  to: string;
  rateBp?: number;
  size?: number;
  seed?: number;
}

/** 抽样: draws and keeps the sample of the reviewer's county. */
export async function drawClaimSample(ctx: AppContext, actor: Actor, input: SampleInput) {
  const county = actor.user.scope.regionPrefix ?? '';
  await requireAccess(ctx, actor, 'smartAudit.sample', { regionCode: county });
  if ((input.rateBp === undefined) === (input.size === undefined))
    throw badRequest('Give a rate or a size', [{ field: 'body.size', rule: 'one_of_rate_or_size', message: 'exactly one of rateBp and size' }]);
  if (input.to < input.from) throw badRequest('The period ends before it starts', [{ field: 'body.to', rule: 'not_before_from', message: 'on or after from' }]);
  if (daysBetween(input.from, input.to) + 1 > MAX_PERIOD_DAYS)
    throw badRequest('The period is too long', [{ field: 'body.to', rule: 'period_too_long', message: `at most ${MAX_PERIOD_DAYS} days`, facts: { maxDays: MAX_PERIOD_DAYS } }]);
  const seed = input.seed ?? randomInt(0, MAX_SEED);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const population = await unflaggedClaims(trx, county, input.from, input.to);
    if (!population.length) throw conflict('sample_population_empty', 'No settled, unflagged claim of the county in the period to sample');
    const size = sampleSize(population.length, input.size !== undefined ? { size: input.size } : { rateBp: input.rateBp! });
    const byId = new Map(population.map((c) => [c.id, c]));
    const drawn = drawSample(seed, population.map((c) => c.id), size);
    const sample = await trx.insertInto('audit_sample').values({
      county_code: county, period_from: input.from, period_to: input.to, rate_bp: input.rateBp ?? null, size: input.size ?? null, seed,
      population_claims: population.length, population_amount_fen: population.reduce((a, c) => a + Number(c.fund_pay_fen), 0),
      created_by: actor.user.id, created_at: ctx.now(),
    }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('audit_sample_claim').values(drawn.map((claimId, i) => {
      const c = byId.get(claimId)!;
      return { sample_id: sample.id, claim_id: claimId, person_id: c.person_id, institution_id: c.institution_id, amount_fen: Number(c.amount_fen), fund_pay_fen: Number(c.fund_pay_fen), draw_rank: i + 1 };
    })).execute();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'audit_sample', entityId: sample.id, detail: { county, from: input.from, to: input.to, seed, size: drawn.length } }]);
    return sample.id;
  });
  return sampleView(ctx, actor, id);
}

function sampleRow(db: Database, id: string) {
  return db.selectFrom('audit_sample as s').innerJoin('app_user as u', 'u.id', 's.created_by')
    .selectAll('s').select('u.display_name as created_by_name').where('s.id', '=', id).executeTakeFirst();
}
type SampleRow = NonNullable<Awaited<ReturnType<typeof sampleRow>>>;

function sampledClaims(db: Database, sampleId: string) {
  return db.selectFrom('audit_sample_claim as x')
    .innerJoin('claim as c', (j) => j.onRef('c.person_id', '=', 'x.person_id').onRef('c.id', '=', 'x.claim_id'))
    .innerJoin('person as p', 'p.id', 'x.person_id').innerJoin('institution as i', 'i.id', 'x.institution_id')
    .leftJoin('app_user as u', 'u.id', 'x.reviewed_by')
    .select(['x.claim_id', 'x.person_id', 'x.amount_fen', 'x.fund_pay_fen', 'x.result', 'x.error_amount_fen', 'x.note', 'x.reviewed_at', 'x.draw_rank',
      'c.settlement_no', 'c.service_date', 'p.name as person_name', 'p.id_number', 'i.id as institution_id', 'i.name as institution_name', 'u.display_name as reviewed_by_name'])
    .where('x.sample_id', '=', sampleId).orderBy('x.draw_rank').execute();
}

/** The sample's figures: the extrapolation from the results so far, the fixed deduction once closed. */
function figures(s: SampleRow, claims: Array<{ fund_pay_fen: number; result: 'pending' | 'correct' | 'error'; error_amount_fen: number | null }>) {
  const e = extrapolate(Number(s.population_amount_fen), claims.map((c) => ({ fundPayFen: Number(c.fund_pay_fen), result: c.result, errorAmountFen: Number(c.error_amount_fen ?? 0) })));
  return {
    id: s.id, countyCode: s.county_code, from: s.period_from, to: s.period_to, rateBp: s.rate_bp, size: s.size, seed: s.seed, status: s.status,
    createdBy: s.created_by_name, createdAt: iso(s.created_at)!, closedAt: iso(s.closed_at),
    populationClaims: s.population_claims, populationFundPayFen: Number(s.population_amount_fen), ...e,
    proposedDeductionFen: s.proposed_deduction_fen === null ? e.proposedDeductionFen : Number(s.proposed_deduction_fen),
  };
}

async function sampleFor(ctx: AppContext, actor: Actor, id: string) {
  const s = await sampleRow(ctx.db, id);
  await requireAccess(ctx, actor, 'smartAudit.sample', { regionCode: s?.county_code ?? null });
  if (!s) throw notFound('No such sample');
  return s;
}

async function sampleView(ctx: AppContext, actor: Actor, id: string) {
  const s = (await sampleRow(ctx.db, id))!;
  const claims = await sampledClaims(ctx.db, id);
  const people = [...new Set(claims.map((c) => c.person_id))];
  await writeAudit(ctx.db, actor, people.map((personId) => ({ action: 'read' as const, entity: 'audit_sample', entityId: id, personId })));
  return {
    ...figures(s, claims),
    claims: claims.map((c) => ({
      claimId: c.claim_id, settlementNo: c.settlement_no, serviceDate: c.service_date,
      person: { id: c.person_id, name: c.person_name, idNumber: maskResidentId(c.id_number) },
      institution: { id: c.institution_id, name: c.institution_name },
      amountFen: Number(c.amount_fen), fundPayFen: Number(c.fund_pay_fen), result: c.result,
      errorAmountFen: c.error_amount_fen === null ? null : Number(c.error_amount_fen), note: c.note, reviewedBy: c.reviewed_by_name, reviewedAt: iso(c.reviewed_at),
    })),
  };
}

export async function getSample(ctx: AppContext, actor: Actor, id: string) {
  await sampleFor(ctx, actor, id);
  return sampleView(ctx, actor, id);
}

/** The county's samples, newest first, with their figures. */
export async function listSamples(ctx: AppContext, actor: Actor, status?: 'open' | 'closed') {
  await requireAccess(ctx, actor, 'smartAudit.sample');
  const county = actor.user.scope.regionPrefix ?? '';
  const rows = await ctx.db.selectFrom('audit_sample as s').innerJoin('app_user as u', 'u.id', 's.created_by')
    .selectAll('s').select('u.display_name as created_by_name')
    .where('s.county_code', 'like', `${county}%`).$if(!!status, (qb) => qb.where('s.status', '=', status!))
    .orderBy('s.created_at', 'desc').orderBy('s.id').limit(200).execute();
  const results = rows.length
    ? await ctx.db.selectFrom('audit_sample_claim').select(['sample_id', 'fund_pay_fen', 'result', 'error_amount_fen']).where('sample_id', 'in', rows.map((r) => r.id)).execute()
    : [];
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'audit_sample', detail: { county, status: status ?? null } }]);
  return rows.map((s) => figures(s, results.filter((r) => r.sample_id === s.id)));
}

export interface ClaimResultInput {
  result: 'correct' | 'error';
  errorAmountFen?: number;
  note?: string | null;
}

/** Marks one sampled claim correct, or in error by an amount no larger than what the fund paid for it. */
export async function markSampledClaim(ctx: AppContext, actor: Actor, id: string, claimId: string, input: ClaimResultInput) {
  const s = await sampleFor(ctx, actor, id);
  if (s.status === 'closed') throw conflict('sample_closed', 'The sample is closed');
  const sampled = await ctx.db.selectFrom('audit_sample_claim').select(['fund_pay_fen', 'person_id']).where('sample_id', '=', id).where('claim_id', '=', claimId).executeTakeFirst();
  if (!sampled) throw notFound('The claim is not in the sample');
  if (input.result === 'error' && input.errorAmountFen === undefined)
    throw badRequest('An error needs its amount', [{ field: 'body.errorAmountFen', rule: 'error_amount_required', message: 'the fen the fund paid in error' }]);
  if (input.result === 'correct' && input.errorAmountFen !== undefined)
    throw badRequest('A correct claim has no error amount', [{ field: 'body.errorAmountFen', rule: 'not_for_correct', message: 'only for result "error"' }]);
  if (input.result === 'error' && input.errorAmountFen! > Number(sampled.fund_pay_fen))
    throw badRequest('The error is more than the fund paid', [{ field: 'body.errorAmountFen', rule: 'over_fund_pay', message: `at most ${sampled.fund_pay_fen} fen`, facts: { fundPayFen: Number(sampled.fund_pay_fen) } }]);
  await ctx.db.transaction().execute(async (trx) => {
    // closing takes the sample's row first: a result is never written into a closed sample
    const open = await trx.selectFrom('audit_sample').select('status').where('id', '=', id).forShare().executeTakeFirstOrThrow();
    if (open.status === 'closed') throw conflict('sample_closed', 'The sample is closed');
    await trx.updateTable('audit_sample_claim').set({
      result: input.result, error_amount_fen: input.result === 'error' ? input.errorAmountFen! : null, note: input.note?.trim() || null,
      reviewed_by: actor.user.id, reviewed_at: ctx.now(),
    }).where('sample_id', '=', id).where('claim_id', '=', claimId).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'audit_sample_claim', entityId: claimId, personId: sampled.person_id, detail: { sampleId: id, result: input.result, errorAmountFen: input.errorAmountFen ?? null } }]);
  });
  return sampleView(ctx, actor, id);
}

/** 结束抽样: every claim reviewed, the proposed deduction fixed on the sample. */
export async function closeSample(ctx: AppContext, actor: Actor, id: string) {
  await sampleFor(ctx, actor, id);
  await ctx.db.transaction().execute(async (trx) => {
    const s = await trx.selectFrom('audit_sample').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (s.status === 'closed') throw conflict('sample_closed', 'The sample is closed');
    const claims = await trx.selectFrom('audit_sample_claim').select(['fund_pay_fen', 'result', 'error_amount_fen']).where('sample_id', '=', id).execute();
    const pending = claims.filter((c) => c.result === 'pending').length;
    if (pending) throw conflict('sample_pending_claims', `${pending} sampled claims are not reviewed yet`);
    const e = extrapolate(Number(s.population_amount_fen), claims.map((c) => ({ fundPayFen: Number(c.fund_pay_fen), result: c.result, errorAmountFen: Number(c.error_amount_fen ?? 0) })));
    await trx.updateTable('audit_sample').set({ status: 'closed', closed_at: ctx.now(), closed_by: actor.user.id, proposed_deduction_fen: e.proposedDeductionFen }).where('id', '=', id).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'audit_sample', entityId: id, detail: { closed: true, errorRateBp: e.errorRateBp, proposedDeductionFen: e.proposedDeductionFen } }]);
  });
  return sampleView(ctx, actor, id);
}
