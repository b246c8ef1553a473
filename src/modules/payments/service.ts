// Provider payment's use cases (issue 17, docs/payments.md): the run of a period for the caller's area, a stored
// run recomputed, the runs kept and the year's quarters (what made a figure is details.ts).
import { sql } from 'kysely';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { badRequest, notFound } from '../../core/problem';
import type { Database } from '../../db/connect';
import { shanghaiDate, type IsoDate } from '../../engine/calendar';
import { totalsOf, type PaymentResults } from '../../engine/payment';
import { gatherInputs, paymentPeriod } from './inputs';
import { parametersFor } from './parameters';
import { runFor, storedRun, verify, type StoredRun } from './runs';

/** The payment parameters in force in a year (policies/payments/), for the modules that need them. */
export { parametersFor };

export interface PaymentQuery { year: number; quarter?: number; county?: string }

export class PaymentQueryError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** The period must have begun, the county be a county, and parameters be in force: else the field and why. */
export async function checkQuery(db: Database, q: PaymentQuery, today: IsoDate) {
  if (q.county) {
    const region = await db.selectFrom('region').select('level').where('code', '=', q.county).executeTakeFirst();
    if (region?.level !== 'county') throw new PaymentQueryError('county', `${q.county} 不是县（市、区）行政区划代码`);
  }
  const period = paymentPeriod({ year: q.year, quarter: q.quarter ?? null, today });
  if (period.start > today) throw new PaymentQueryError(q.quarter ? 'quarter' : 'year', `该时段尚未开始（今天 ${today}）`);
  const parameters = parametersFor(q.year);
  if (!parameters) throw new PaymentQueryError('year', `${q.year} 年没有生效的支付参数（policies/payments/）`);
  return { parameters };
}

/** A run's figures for one county (a reviewer's, or the one asked for), or the whole city. */
function scoped(results: PaymentResults, county?: string): PaymentResults {
  if (!county) return results;
  const mine = <T extends { county_code: string }>(rows: T[]) => rows.filter((r) => r.county_code === county);
  const rows = { capitation: mine(results.capitation), budget: mine(results.budget), contract_fee: mine(results.contract_fee), work_equivalent: mine(results.work_equivalent) };
  return { ...rows, providers: mine(results.providers ?? []), totals: totalsOf(rows) };
}

export interface PaymentReport {
  run: { id: string; created_at: string; created_by: string; inputs_hash: string; version: string; reused: boolean };
  period: { year: number; quarter: number | null; start: string; end: string; as_of: string; complete_months: number };
  county: string | null;
  parameters: StoredRun['parameters'];
  results: PaymentResults;
}

export function reportOf(run: StoredRun, reused: boolean, county?: string): PaymentReport {
  const i = run.inputs;
  return {
    run: { id: run.id, created_at: new Date(run.created_at).toISOString(), created_by: run.created_by_name, inputs_hash: run.inputs_hash, version: run.version, reused },
    period: { year: i.year, quarter: i.quarter, start: i.start, end: i.end, as_of: i.asOf, complete_months: i.complete_months },
    county: county ?? null,
    parameters: run.parameters,
    results: scoped(run.results, county),
  };
}

/** The run for the records as they stand (stored when new): the engine's figures with their inputs. Without an actor's check: the console's. */
export async function paymentRunOf(db: Database, actor: Actor, q: PaymentQuery, now: Date) {
  const today = shanghaiDate(now);
  const { parameters } = await checkQuery(db, q, today);
  const inputs = await gatherInputs(db, parameters, { year: q.year, quarter: q.quarter ?? null, today });
  return runFor(db, actor, parameters, inputs, now);
}

const countyOf = (actor: Actor, county?: string) => county ?? (actor.user.role === 'insurance_reviewer' ? actor.user.scope.regionPrefix ?? undefined : undefined);

/** A query's refusal as a 400 naming its field. */
export async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof PaymentQueryError) throw badRequest(e.message, [{ field: `query.${e.field}`, rule: e.field === 'county' ? 'county' : 'in_force', message: e.message }]);
    throw e;
  }
}

export async function readPayments(ctx: AppContext, actor: Actor, q: PaymentQuery): Promise<PaymentReport> {
  const county = countyOf(actor, q.county);
  await requireAccess(ctx, actor, 'payments.read', { regionCode: county ?? actor.user.scope.regionPrefix ?? '' });
  const { run, reused } = await guarded(() => paymentRunOf(ctx.db, actor, q, ctx.now()));
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'payments', entityId: run.id, detail: { year: q.year, quarter: q.quarter ?? null, county: county ?? null } }]);
  return reportOf(run, reused, county);
}

export interface QuarterTrend {
  year: number;
  quarters: Array<{
    quarter: number;
    run: { id: string; as_of: string; reused: boolean; version: string };
    totals: PaymentResults['totals'];
    teams: Array<{ team_id: string; score: number; share_bp: number; fee_fen: number; equivalents_milli: number; value_fen: number }>;
  }>;
}

/**
 * The year's quarters so far, each its own run (stored, or the stored one of the same inputs): the trend of the
 * contract fee and the work equivalents, which are paid by the period's own months, through the year.
 */
export async function readQuarters(ctx: AppContext, actor: Actor, q: { year: number; county?: string }): Promise<QuarterTrend> {
  const county = countyOf(actor, q.county);
  await requireAccess(ctx, actor, 'payments.read', { regionCode: county ?? actor.user.scope.regionPrefix ?? '' });
  const today = shanghaiDate(ctx.now());
  await guarded(() => checkQuery(ctx.db, { year: q.year, county }, today));
  const quarters: QuarterTrend['quarters'] = [];
  // one after another: each run reads the whole period's records, and they would only contend for the same cores
  for (let quarter = 1; quarter <= 4 && paymentPeriod({ year: q.year, quarter, today }).start <= today; quarter++) {
    const { run, reused } = await paymentRunOf(ctx.db, actor, { year: q.year, quarter }, ctx.now());
    const results = scoped(run.results, county);
    const work = new Map(results.work_equivalent.map((w) => [w.team_id, w]));
    quarters.push({
      quarter, run: { id: run.id, as_of: run.inputs.asOf, reused, version: run.version }, totals: results.totals,
      teams: results.contract_fee.map((f) => ({
        team_id: f.team_id, score: f.score, share_bp: f.share_bp, fee_fen: f.fee_fen,
        equivalents_milli: work.get(f.team_id)?.equivalents_milli ?? 0, value_fen: work.get(f.team_id)?.value_fen ?? 0,
      })),
    });
  }
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'payments', entityId: quarters.at(-1)?.run.id ?? null, detail: { year: q.year, quarters: quarters.map((x) => x.run.id), county: county ?? null } }]);
  return { year: q.year, quarters };
}

/** A stored run, as it was, within the caller's area. */
export async function readRun(ctx: AppContext, actor: Actor, id: string, county?: string) {
  const c = countyOf(actor, county);
  await requireAccess(ctx, actor, 'payments.read', { regionCode: c ?? actor.user.scope.regionPrefix ?? '' });
  const run = await storedRun(ctx.db, id);
  if (!run) throw notFound('No such payment run');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'payments', entityId: id, detail: { stored: true } }]);
  return { ...reportOf(run, true, c), verification: verify(run) };
}

export async function listRuns(ctx: AppContext, actor: Actor, year: number) {
  await requireAccess(ctx, actor, 'payments.read', { regionCode: actor.user.scope.regionPrefix ?? '' });
  const rows = await ctx.db.selectFrom('payment_run').select(['id', 'year', 'quarter', 'as_of', 'version', 'parameters_id', 'inputs_hash', 'created_by_name', 'created_at', sql<PaymentResults['totals']>`results -> 'totals'`.as('totals')])
    .where('year', '=', year).orderBy('created_at', 'desc').limit(200).execute();
  return rows.map((r) => ({ ...r, created_at: new Date(r.created_at as unknown as string).toISOString() }));
}
