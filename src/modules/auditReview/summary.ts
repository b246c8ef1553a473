// The audit summary for a period, per institution or per doctor (考核汇总): claims, those flagged, the
// findings and their decisions, deductions, and for doctors the assessment points (医保医师考核记分,
// seed 001's 医保医师考核扣分) — Σ of the rule's points over the doctor's confirmed findings.
import { sql } from 'kysely';
import { formatYuan } from '../../engine/money';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { grantOf, requireAccess } from '../../core/access';
import { csvCell as cell, csvDocument } from '../../core/csv';
import { badRequest, notFound } from '../../core/problem';
import type { Database } from '../../db/connect';
import { fundPayNow } from './queries';

export const SUMMARY_SORTS = ['claims', 'amountFen', 'flaggedClaims', 'findings', 'confirmed', 'dismissed', 'open', 'deductionFen', 'points', 'flaggedShareBp'] as const;
type Sort = (typeof SUMMARY_SORTS)[number];

export interface SummaryQuery {
  from: string;
  to: string;
  by: 'institution' | 'doctor';
  regionCode?: string;
  institutionId?: string;
  sort: Sort;
  order: 'asc' | 'desc';
}

interface Scope {
  /** Institutions whose county starts with it. */
  prefix: string;
  institutionId: string | null;
}

/** Whose summary the caller may read: a named institution, else their region (an institution's administrator: their own). */
async function scopeOf(ctx: AppContext, actor: Actor, query: SummaryQuery): Promise<Scope> {
  const institutionId = query.institutionId ?? (grantOf('smartAudit.summary.read', actor.user.role) === 'own_institution' ? actor.user.institutionId : null);
  if (institutionId) {
    const inst = await ctx.db.selectFrom('institution').select('county_code').where('id', '=', institutionId).executeTakeFirst();
    await requireAccess(ctx, actor, 'smartAudit.summary.read', { institutionId, regionCode: inst?.county_code ?? null });
    if (!inst) throw notFound('No such institution');
    return { prefix: '', institutionId };
  }
  const region = query.regionCode ?? actor.user.scope.regionPrefix ?? '';
  await requireAccess(ctx, actor, 'smartAudit.summary.read', { regionCode: region, institutionId: null });
  return { prefix: region, institutionId: null };
}

interface Row {
  institution_id: string | null; institution_code: string | null; institution_name: string | null; institution_level: string | null; county_code: string | null;
  doctor_id: string | null; doctor_name: string | null;
  claims: number; amount_fen: number; fund_pay_fen: number; flagged_claims: number;
  findings: number; confirmed: number; dismissed: number; open: number;
  deduction_fen: number; deduction_institution_fen: number; deduction_doctor_fen: number; points: number;
}

/**
 * By institution, a claim counts where it was settled and a finding where it names; by doctor, a claim
 * counts for the doctor whose prescription it was dispensed from, and the doctor's institution (their
 * team's, or their own) is the one the scope looks at.
 */
function rows(db: Database, by: SummaryQuery['by'], scope: Scope, from: string, to: string) {
  const inScope = (inst: string) => (scope.institutionId ? sql`${sql.ref(inst)} = ${scope.institutionId}` : sql`true`);
  const inRegion = (county: string) => sql`${sql.ref(county)} like ${`${scope.prefix}%`}`;
  const flagged = sql`exists (select 1 from audit_finding af where af.claim_id = c.id)`;
  const findingTotals = sql`count(*)::int as findings, count(*) filter (where f.status = 'confirmed')::int as confirmed,
    count(*) filter (where f.status = 'dismissed')::int as dismissed, count(*) filter (where f.status = 'open')::int as open,
    coalesce(sum(f.deduction_fen) filter (where f.status = 'confirmed'), 0)::bigint as deduction_fen,
    coalesce(sum(f.deduction_fen) filter (where f.status = 'confirmed' and f.deduction_against = 'institution'), 0)::bigint as deduction_institution_fen,
    coalesce(sum(f.deduction_fen) filter (where f.status = 'confirmed' and f.deduction_against = 'doctor'), 0)::bigint as deduction_doctor_fen,
    coalesce(sum(r.points) filter (where f.status = 'confirmed'), 0)::int as points`;
  const totals = sql`coalesce(k.claims, 0)::int as claims, coalesce(k.amount_fen, 0)::bigint as amount_fen, coalesce(k.fund_pay_fen, 0)::bigint as fund_pay_fen,
    coalesce(k.flagged_claims, 0)::int as flagged_claims, coalesce(g.findings, 0)::int as findings, coalesce(g.confirmed, 0)::int as confirmed,
    coalesce(g.dismissed, 0)::int as dismissed, coalesce(g.open, 0)::int as open, coalesce(g.deduction_fen, 0)::bigint as deduction_fen,
    coalesce(g.deduction_institution_fen, 0)::bigint as deduction_institution_fen, coalesce(g.deduction_doctor_fen, 0)::bigint as deduction_doctor_fen,
    coalesce(g.points, 0)::int as points`;
  if (by === 'institution')
    return sql<Row>`
      with k as (
        select c.institution_id as key, count(*) as claims, sum(c.amount_fen) as amount_fen, sum(${fundPayNow('c')}) as fund_pay_fen,
          count(*) filter (where ${flagged}) as flagged_claims
        from claim c join institution i on i.id = c.institution_id
        where c.status = 'settled' and c.service_date between ${from}::date and ${to}::date and ${inRegion('i.county_code')} and ${inScope('c.institution_id')}
        group by 1),
      g as (
        select f.institution_id as key, ${findingTotals}
        from audit_finding f join audit_rule r on r.code = f.rule_code and r.version = f.rule_version join institution i on i.id = f.institution_id
        where f.service_date between ${from}::date and ${to}::date and ${inRegion('i.county_code')} and ${inScope('f.institution_id')}
        group by 1)
      select i.id as institution_id, i.code as institution_code, i.name as institution_name, i.level as institution_level, i.county_code,
        null::uuid as doctor_id, null::text as doctor_name, ${totals}
      from (select key from k union select key from g) x join institution i on i.id = x.key
      left join k on k.key = x.key left join g on g.key = x.key`.execute(db);
  return sql<Row>`
    with doctor as (
      select u.id, u.display_name, coalesce(t.institution_id, u.institution_id) as institution_id
      from app_user u left join family_doctor_team t on t.id = u.team_id),
    k as (
      select x.doctor_id as key, count(*) as claims, sum(x.amount_fen) as amount_fen, sum(x.fund_pay_fen) as fund_pay_fen, count(*) filter (where x.flagged) as flagged_claims
      from (
        select distinct on (c.id) c.id, p.doctor_id, c.amount_fen, ${fundPayNow('c')} as fund_pay_fen, ${flagged} as flagged
        from claim c
        join dispense d on d.person_id = c.person_id and d.claim_id = c.id
        join prescription p on p.person_id = d.person_id and p.id = d.prescription_id
        where c.status = 'settled' and c.service_date between ${from}::date and ${to}::date
        order by c.id) x
      group by 1),
    g as (
      select f.doctor_id as key, ${findingTotals}
      from audit_finding f join audit_rule r on r.code = f.rule_code and r.version = f.rule_version
      where f.doctor_id is not null and f.service_date between ${from}::date and ${to}::date
      group by 1)
    select i.id as institution_id, i.code as institution_code, i.name as institution_name, i.level as institution_level, i.county_code,
      dr.id as doctor_id, dr.display_name as doctor_name, ${totals}
    from (select key from k union select key from g) x join doctor dr on dr.id = x.key
    left join institution i on i.id = dr.institution_id
    left join k on k.key = x.key left join g on g.key = x.key
    where ${scope.institutionId ? sql`dr.institution_id = ${scope.institutionId}` : sql`coalesce(i.county_code, '') like ${`${scope.prefix}%`}`}`.execute(db);
}

const shareBp = (part: number, whole: number) => (whole ? Math.floor((part * 20000 + whole) / (2 * whole)) : null);

const present = (r: Row) => ({
  institution: r.institution_id
    ? { id: r.institution_id, code: r.institution_code!, name: r.institution_name!, level: r.institution_level!, countyCode: r.county_code! }
    : null,
  doctor: r.doctor_id ? { id: r.doctor_id, name: r.doctor_name ?? '' } : null,
  claims: r.claims, amountFen: Number(r.amount_fen), fundPayFen: Number(r.fund_pay_fen), flaggedClaims: r.flagged_claims, flaggedShareBp: shareBp(r.flagged_claims, r.claims),
  findings: r.findings, confirmed: r.confirmed, dismissed: r.dismissed, open: r.open,
  deductionFen: Number(r.deduction_fen), deductionInstitutionFen: Number(r.deduction_institution_fen), deductionDoctorFen: Number(r.deduction_doctor_fen),
  points: r.doctor_id ? r.points : null,
});
type Item = ReturnType<typeof present>;

const TOTAL_KEYS = ['claims', 'amountFen', 'fundPayFen', 'flaggedClaims', 'findings', 'confirmed', 'dismissed', 'open', 'deductionFen', 'deductionInstitutionFen', 'deductionDoctorFen'] as const;

export async function auditSummary(ctx: AppContext, actor: Actor, query: SummaryQuery) {
  const scope = await scopeOf(ctx, actor, query);
  if (query.to < query.from) throw badRequest('The period ends before it starts', [{ field: 'query.to', rule: 'not_before_from', message: 'on or after from' }]);
  const items = (await rows(ctx.db, query.by, scope, query.from, query.to)).rows.map(present);
  const sign = query.order === 'asc' ? 1 : -1;
  const name = (i: Item) => `${i.institution?.code ?? ''} ${i.doctor?.name ?? ''} ${i.doctor?.id ?? ''}`;
  items.sort((a, b) => sign * ((a[query.sort] ?? -1) - (b[query.sort] ?? -1)) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  const totals = Object.fromEntries(TOTAL_KEYS.map((k) => [k, items.reduce((s, i) => s + i[k], 0)])) as Record<(typeof TOTAL_KEYS)[number], number>;
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'audit_summary', entityId: scope.institutionId, detail: { by: query.by, region: scope.prefix, from: query.from, to: query.to } }]);
  return {
    from: query.from, to: query.to, by: query.by, regionCode: scope.institutionId ? null : scope.prefix, institutionId: scope.institutionId, items,
    totals: { ...totals, points: query.by === 'doctor' ? items.reduce((s, i) => s + (i.points ?? 0), 0) : null },
  };
}

export const SUMMARY_CSV_COLUMNS = ['county_code', 'institution_code', 'institution_name', 'level', 'doctor_name', 'claims', 'amount_yuan', 'fund_pay_yuan', 'flagged_claims',
  'flagged_share_pct', 'findings', 'confirmed', 'dismissed', 'open', 'deduction_yuan', 'deduction_institution_yuan', 'deduction_doctor_yuan', 'points'] as const;

const pct = (bp: number | null) => (bp === null ? '' : `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`);

export function summaryCsv(summary: Awaited<ReturnType<typeof auditSummary>>) {
  const lines = summary.items.map((i) => [
    cell(i.institution?.countyCode), cell(i.institution?.code), cell(i.institution?.name), cell(i.institution?.level), cell(i.doctor?.name),
    cell(i.claims, true), cell(formatYuan(i.amountFen), true), cell(formatYuan(i.fundPayFen), true), cell(i.flaggedClaims, true), cell(pct(i.flaggedShareBp), true),
    cell(i.findings, true), cell(i.confirmed, true), cell(i.dismissed, true), cell(i.open, true), cell(formatYuan(i.deductionFen), true),
    cell(formatYuan(i.deductionInstitutionFen), true), cell(formatYuan(i.deductionDoctorFen), true), cell(i.points, true),
  ].join(','));
  return csvDocument([SUMMARY_CSV_COLUMNS.map((c) => cell(c)).join(','), ...lines]);
}
