// Provider payment's use cases (issue 17, docs/payments.md): the run of a period for the caller's area, a stored
// run recomputed, the runs kept, and what made a figure — the claims, the contracted residents.
import { sql } from 'kysely';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { badRequest, notFound } from '../../core/problem';
import type { Database } from '../../db/connect';
import { monthEnd, shanghaiDate, type IsoDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import { totalsOf, type PaymentParameters, type PaymentResults } from '../../engine/payment';
import { maskName } from '../indicators/service';
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

async function guarded<T>(run: () => Promise<T>): Promise<T> {
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
  for (let quarter = 1; quarter <= 4 && `${q.year}-${String(quarter * 3 - 2).padStart(2, '0')}-01` <= today; quarter++) {
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

// ---- what made a figure ----

/**
 * Whose figure: a township's insured of the capitation's insurance types (person `p`), or a community's member
 * institutions, chain pharmacies apart (institution `i`) — and the county that decides who may see it.
 */
async function subjectOf(db: Database, q: { model: 'capitation' | 'budget'; code: string }, parameters: PaymentParameters) {
  if (q.model === 'capitation') {
    const centre = await db.selectFrom('institution').select(['county_code']).where('region_code', '=', q.code).where('kind', '=', 'township_health_centre').executeTakeFirst();
    if (!centre) throw notFound('No such township');
    return { county: centre.county_code, where: sql`substr(p.region_code, 1, 9) = ${q.code} and p.insurance_type = any(${parameters.capitation.insurance_types.types}::text[])` };
  }
  const community = await db.selectFrom('medical_community').select(['county_code']).where('id', '=', q.code).executeTakeFirst();
  if (!community) throw notFound('No such medical community');
  return { county: community.county_code, where: sql`i.medical_community_id = ${q.code} and i.level <> 'pharmacy'` };
}

export interface ClaimsQuery { year: number; quarter?: number; model: 'capitation' | 'budget'; code: string; pool?: 'package' | 'referral' | 'long_rx' | 'within'; month?: string; page: number; pageSize: number }

/** The claims behind a township's or a community's figure, a page at a time (masked, audited). */
export async function paymentClaims(ctx: AppContext, actor: Actor, q: ClaimsQuery) {
  const today = shanghaiDate(ctx.now());
  const { parameters } = await guarded(() => checkQuery(ctx.db, q, today));
  const period = paymentPeriod({ year: q.year, quarter: q.quarter ?? null, today });
  const from = q.month ? `${q.month}-01` : period.yearStart;
  const to = q.month ? monthEnd(q.month) : period.asOf;
  const { county, where: whose } = await subjectOf(ctx.db, q, parameters);
  await requireAccess(ctx, actor, 'payments.details.read', { regionCode: county });
  const referral = sql`c.institution_level in ('secondary', 'tertiary')`;
  const days = parameters.budget.long_prescription_days.days;
  const where = sql`${whose} ${q.pool === 'referral' ? sql`and ${referral}` : q.pool === 'package' ? sql`and not ${referral}`
    : q.pool === 'long_rx' ? sql`and exists (select 1 from claim_line l where l.person_id = c.person_id and l.claim_id = c.id and l.days_supply > ${days})`
    : q.pool === 'within' ? sql`and exists (select 1 from claim_line l where l.person_id = c.person_id and l.claim_id = c.id and l.days_supply <= ${days})` : sql``}`;
  const { rows } = await sql<{ id: string; settlement_no: string | null; service_date: string; institution: string; level: string; amount_fen: string; fund_fen: string; status: string; name: string; id_number: string; total: string }>`
    select c.id, c.settlement_no, c.service_date::text, i.name as institution, c.institution_level as level, c.amount_fen,
      c.fund_pay_fen + coalesce((select sum(a.fund_pay_fen) from claim_adjustment a where a.person_id = c.person_id and a.claim_id = c.id), 0) as fund_fen,
      c.status, p.name, p.id_number, count(*) over () as total
    from claim c join person p on p.id = c.person_id join institution i on i.id = c.institution_id
    where c.status = 'settled' and c.service_date between ${from}::date and least(${to}::date, ${period.asOf}::date) and ${where}
    order by c.service_date, c.id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(ctx.db);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'payments.claims', entityId: q.code, detail: { year: q.year, quarter: q.quarter ?? null, model: q.model, pool: q.pool ?? null, month: q.month ?? null, page: q.page, rows: rows.length } }]);
  return {
    total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize,
    items: rows.map((r) => ({ id: r.id, settlement_no: r.settlement_no, service_date: r.service_date, institution: r.institution, level: r.level, amount_fen: Number(r.amount_fen), fund_fen: Number(r.fund_fen), name: maskName(r.name), id_number: maskResidentId(r.id_number) })),
  };
}

export interface RecoveriesQuery { year: number; quarter?: number; model: 'capitation' | 'budget'; code: string; page: number; pageSize: number }

/**
 * The smart audit's recoveries behind a township's or a community's figure: the confirmed deductions of the
 * year to the state day, by the day confirmed (as inputs.ts counts them), a page at a time (masked, audited).
 */
export async function paymentRecoveries(ctx: AppContext, actor: Actor, q: RecoveriesQuery) {
  const today = shanghaiDate(ctx.now());
  const { parameters } = await guarded(() => checkQuery(ctx.db, q, today));
  const period = paymentPeriod({ year: q.year, quarter: q.quarter ?? null, today });
  const { county, where } = await subjectOf(ctx.db, q, parameters);
  await requireAccess(ctx, actor, 'payments.details.read', { regionCode: county });
  const { rows } = await sql<{ id: string; decided_on: string; rule_code: string; title_zh: string; title_en: string; service_date: string; institution: string; level: string; against: 'institution' | 'doctor'; deduction_fen: string; settlement_no: string | null; name: string | null; id_number: string | null; total: string }>`
    select f.id, (f.decided_at at time zone 'Asia/Shanghai')::date::text as decided_on, f.rule_code, r.title_zh, r.title_en, f.service_date::text,
      i.name as institution, i.level, f.deduction_against as against, f.deduction_fen,
      (select c.settlement_no from claim c where c.person_id = f.person_id and c.id = f.claim_id) as settlement_no,
      p.name, p.id_number, count(*) over () as total
    from audit_finding f join audit_rule r on r.code = f.rule_code and r.version = f.rule_version
      join institution i on i.id = f.institution_id left join person p on p.id = f.person_id
    where f.status = 'confirmed' and f.deduction_fen > 0
      and (f.decided_at at time zone 'Asia/Shanghai')::date between ${period.yearStart}::date and ${period.asOf}::date and ${where}
    order by f.decided_at, f.id
    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(ctx.db);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'payments.recoveries', entityId: q.code, detail: { year: q.year, quarter: q.quarter ?? null, model: q.model, page: q.page, rows: rows.length } }]);
  return {
    total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize,
    items: rows.map((r) => ({
      id: r.id, decided_on: r.decided_on, rule: { code: r.rule_code, zh: r.title_zh, en: r.title_en }, service_date: r.service_date, institution: r.institution, level: r.level,
      against: r.against, deduction_fen: Number(r.deduction_fen), settlement_no: r.settlement_no,
      name: r.name === null ? null : maskName(r.name), id_number: r.id_number === null ? null : maskResidentId(r.id_number),
    })),
  };
}

/** A team's residents under contract at the period's state day, a page at a time (masked, audited). */
export async function contractedResidents(ctx: AppContext, actor: Actor, q: { year: number; quarter?: number; team: string; page: number; pageSize: number }) {
  const today = shanghaiDate(ctx.now());
  await guarded(() => checkQuery(ctx.db, q, today));
  const team = await ctx.db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id').select(['i.county_code']).where('t.id', '=', q.team).executeTakeFirst();
  if (!team) throw notFound('No such team');
  await requireAccess(ctx, actor, 'payments.details.read', { regionCode: team.county_code });
  const at = paymentPeriod({ year: q.year, quarter: q.quarter ?? null, today }).asOf;
  const { rows } = await sql<{ name: string; id_number: string; start_date: string; end_date: string; total: string }>`
    select p.name, p.id_number, c.start_date::text, c.end_date::text, count(*) over () as total
    from contract c join person p on p.id = c.person_id
    where c.team_id = ${q.team} and c.start_date <= ${at}::date and c.end_date >= ${at}::date
      and (c.terminated_on is null or c.terminated_on > ${at}::date) and (p.death_date is null or p.death_date > ${at}::date)
    order by c.start_date, p.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(ctx.db);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'payments.contracted', entityId: q.team, detail: { year: q.year, quarter: q.quarter ?? null, at, page: q.page, rows: rows.length } }]);
  return {
    at, total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize,
    items: rows.map((r) => ({ name: maskName(r.name), id_number: maskResidentId(r.id_number), start_date: r.start_date, end_date: r.end_date })),
  };
}
