// The indicators' use cases: a period's report for the caller's area, and the patients behind a number.
// Other modules keep the month rows current through refreshPerson and claimUpdate (build.ts).
import { sql } from 'kysely';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { claimJobDay, startPeriodicJob } from '../../core/dailyJob';
import { badRequest } from '../../core/problem';
import { addMonthsToMonth, ageOn, monthEnd, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import { ensureMonth } from './build';
import { indicatorReport, periodOf } from './compute';
import { cohortStates } from './queries';

export { ALL_MONTHS, claimUpdate, refreshPerson, refreshPeople, buildMonths, recentMonths, ensureMonth } from './build';
export { indicatorReport, periodOf } from './compute';
export { countersByTeam } from './queries';
export type { IndicatorReport } from './types';

export interface IndicatorQuery { year: number; quarter?: number; county?: string; insuranceType?: 'resident' | 'employee' }

/** The period asked for must have begun; a county must be one of the caller's (a reviewer's own by default). */
async function scoped(ctx: AppContext, actor: Actor, permission: 'indicators.read' | 'indicators.patients.read', q: IndicatorQuery) {
  const today = shanghaiDate(ctx.now());
  const county = q.county ?? (actor.user.role === 'insurance_reviewer' ? actor.user.scope.regionPrefix ?? undefined : undefined);
  await requireAccess(ctx, actor, permission, { regionCode: county ?? actor.user.scope.regionPrefix ?? '' });
  if (county) {
    const region = await ctx.db.selectFrom('region').select('level').where('code', '=', county).executeTakeFirst();
    if (region?.level !== 'county') throw badRequest(`${county} is not a county`, [{ field: 'query.county', rule: 'county', message: '应为县（市、区）行政区划代码' }]);
  }
  const period = periodOf({ year: q.year, quarter: q.quarter ?? null, today });
  if (period.start > today) throw badRequest('The period has not begun', [{ field: q.quarter ? 'query.quarter' : 'query.year', rule: 'not_in_future', message: `该时段尚未开始（今天 ${today}）` }]);
  return { today, county };
}

export async function readIndicators(ctx: AppContext, actor: Actor, q: IndicatorQuery) {
  const { today, county } = await scoped(ctx, actor, 'indicators.read', q);
  const report = await indicatorReport(ctx.db, { year: q.year, quarter: q.quarter ?? null, county, insuranceType: q.insuranceType, today });
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'indicators', entityId: county ?? null, detail: { year: q.year, quarter: q.quarter ?? null } }]);
  return report;
}

export const PATIENT_INDICATORS = ['contracting', 'registered', 'standardised_management.hypertension', 'standardised_management.diabetes', 'control.hypertension', 'control.diabetes'] as const;
export const PATIENT_GROUPS = ['numerator', 'denominator', 'not_met', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up'] as const;

export interface PatientListQuery extends IndicatorQuery {
  level: 'city' | 'county' | 'institution' | 'team';
  code: string;
  indicator: (typeof PATIENT_INDICATORS)[number];
  group: (typeof PATIENT_GROUPS)[number];
  page: number;
  pageSize: number;
}

/** The row conditions of an indicator's numerator and denominator (the engine's counters, as SQL). */
function conditions(indicator: PatientListQuery['indicator'], fullYear: boolean): { numerator: string; denominator: string; group?: (g: string) => string } {
  const [kind, disease] = indicator.split('.');
  const d = disease === 'diabetes' ? 'dm' : 'ht';
  if (kind === 'contracting') return { denominator: 'alive and diagnosed', numerator: 'alive and diagnosed and team_id is not null' };
  if (kind === 'registered') return { denominator: 'alive and diagnosed', numerator: 'alive and diagnosed and registered' };
  if (kind === 'standardised_management') {
    const owes = `${d}_registered and ${d}_owed > 0`;
    return { denominator: owes, numerator: `${owes} and ${d}_face_to_face >= ${d}_owed${fullYear ? ' and annual_check' : ''}` };
  }
  return {
    denominator: `${d}_control in ('controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit')`,
    numerator: `${d}_control = 'controlled'`,
    group: (g) => `${d}_control = '${g}'`,
  };
}

/** The patients behind a number, a page at a time; the analyst sees names and ID numbers masked. Audited. */
export async function indicatorPatients(ctx: AppContext, actor: Actor, q: PatientListQuery) {
  const county = q.level === 'county' ? q.code : q.county;
  const { today } = await scoped(ctx, actor, 'indicators.patients.read', { ...q, county });
  const prefix = actor.user.scope.regionPrefix;
  if (q.level === 'city' && prefix !== null && !q.code.startsWith(prefix)) throw badRequest('Not your city', [{ field: 'query.code', rule: 'in_scope', message: '不在本辖区' }]);
  const period = periodOf({ year: q.year, quarter: q.quarter ?? null, today });
  await ensureMonth(ctx.db, period.month);
  const c = conditions(q.indicator, q.quarter === undefined);
  const isControl = q.indicator.startsWith('control.');
  if (!isControl && !['numerator', 'denominator', 'not_met'].includes(q.group))
    throw badRequest(`${q.group} is a group of the control rates only`, [{ field: 'query.group', rule: 'group_of_indicator', message: '该分组仅适用于控制率' }]);
  const where = q.group === 'numerator' ? c.numerator : q.group === 'denominator' ? c.denominator : q.group === 'not_met' ? `(${c.denominator}) and not (${c.numerator})` : c.group!(q.group);
  const scope = q.level === 'city' ? sql`m.county_code like ${`${q.code}%`}`
    : q.level === 'county' ? sql`m.county_code = ${q.code}` : q.level === 'institution' ? sql`m.institution_id = ${q.code}::uuid` : sql`m.team_id = ${q.code}::uuid`;
  // a reviewer's list keeps to their county whatever scope is named
  const area = prefix ? sql`and m.county_code like ${`${prefix}%`}` : sql``;
  const base = sql`from indicator_month m join person p on p.id = m.person_id
    left join family_doctor_team t on t.id = m.team_id left join region r on r.code = m.county_code
    where m.month = ${`${period.month}-01`}::date and ${scope} ${area} and (${sql.raw(where)})
    ${q.insuranceType ? sql`and m.insurance_type = ${q.insuranceType}` : sql``}`;
  const [{ rows: items }, { rows: total }] = await Promise.all([
    sql<{ id: string; name: string; id_number: string; sex: string; birth_date: string; county_name: string | null; team_name: string | null; ht_control: string | null; dm_control: string | null }>`
      select p.id, p.name, p.id_number, p.sex, p.birth_date, r.name as county_name, t.name as team_name, m.ht_control, m.dm_control ${base}
      order by r.name, t.name, p.name, p.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(ctx.db),
    sql<{ n: number }>`select count(*)::int as n ${base}`.execute(ctx.db),
  ]);
  const masked = actor.user.role === 'analyst';
  await writeAudit(ctx.db, actor, [
    { action: 'read', entity: 'indicators.patients', entityId: q.code, detail: { indicator: q.indicator, group: q.group, year: q.year, quarter: q.quarter ?? null, page: q.page } },
    ...items.map((r) => ({ action: 'read' as const, entity: 'person', entityId: r.id, personId: r.id, detail: { via: 'indicators', indicator: q.indicator } })),
  ]);
  return {
    total: total[0]?.n ?? 0,
    items: items.map((r) => ({
      personId: r.id,
      name: masked ? maskName(r.name) : r.name,
      idNumber: maskResidentId(r.id_number),
      sex: r.sex,
      age: ageOn(r.birth_date, period.end < today ? period.end : today),
      countyName: r.county_name,
      teamName: r.team_name,
      state: isControl ? (q.indicator.endsWith('diabetes') ? r.dm_control : r.ht_control) : null,
    })),
  };
}

/** 张三丰 → 张*丰, 李四 → 李*: the surname and, for longer names, the last character. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * On a month's first day the server builds its rows for everyone (else the first report of the month
 * would): once a day across servers, claimed in job_run.
 */
export function startIndicatorScheduler(ctx: Pick<AppContext, 'db' | 'now'>, options: { everyMs?: number; onError?: (e: unknown) => void } = {}) {
  return startPeriodicJob(async () => {
    const today = shanghaiDate(ctx.now());
    if (await claimJobDay(ctx.db, 'indicators', today, ctx.now())) await ensureMonth(ctx.db, today.slice(0, 7));
  }, options);
}

export const COHORT_STATES = ['controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up', 'dead', 'not_registered'] as const;

/** Patients registered in a quarter and their state two quarters later (the end of the quarter after next). */
export async function cohort(ctx: AppContext, actor: Actor, q: { year: number; quarter: number; county?: string }) {
  const { today, county } = await scoped(ctx, actor, 'indicators.read', q);
  const { start, end } = periodOf({ year: q.year, quarter: q.quarter, today: `${q.year}-12-31` });
  const observed = addMonthsToMonth(end.slice(0, 7), 6);
  if (observed > today.slice(0, 7)) throw badRequest('Two quarters after it have not passed yet', [{ field: 'query.quarter', rule: 'cohort_observed', message: `该季度登记患者需观察至 ${observed}，尚未到达` }]);
  await ensureMonth(ctx.db, observed);
  const rows = await cohortStates(ctx.db, start, end, observed, county);
  const regions = new Map((await ctx.db.selectFrom('region').select(['code', 'name']).where('level', '=', 'county').execute()).map((r) => [r.code, r.name]));
  const empty = () => Object.fromEntries(COHORT_STATES.map((s) => [s, 0])) as Record<(typeof COHORT_STATES)[number], number>;
  const counties = new Map<string, { code: string; name: string; hypertension: ReturnType<typeof empty>; diabetes: ReturnType<typeof empty> }>();
  for (const r of rows) {
    const c = counties.get(r.county_code) ?? { code: r.county_code, name: regions.get(r.county_code) ?? r.county_code, hypertension: empty(), diabetes: empty() };
    counties.set(r.county_code, c);
    c[r.disease_code][r.state as (typeof COHORT_STATES)[number]] += r.n;
  }
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'indicators.cohort', entityId: county ?? null, detail: q }]);
  return { registered: { year: q.year, quarter: q.quarter, start, end }, observedAt: monthEnd(observed), counties: [...counties.values()].sort((a, b) => a.code.localeCompare(b.code)) };
}
