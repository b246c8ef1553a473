// What made a payment figure (docs/payments.md): the claims behind a township's or a community's spending, the
// smart audit's recoveries taken off it, and the residents behind a team's contract fee — each a page at a time,
// names and ID numbers masked, every list audited.
import { sql } from 'kysely';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { notFound } from '../../core/problem';
import type { Database } from '../../db/connect';
import { monthEnd, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import type { PaymentParameters } from '../../engine/payment';
import { maskName } from '../indicators/service';
import { paymentPeriod, recoveredBetween } from './inputs';
import { checkQuery, guarded } from './service';

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
    where ${recoveredBetween(period.yearStart, period.asOf)} and ${where}
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
