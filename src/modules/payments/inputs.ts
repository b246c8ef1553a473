// What a payment run reads from the stored records (docs/payments.md): the fund's payments of claims by month
// (the split in force after any re-settlement) and what the smart audit recovered of them, the insured and the
// contracted, the indicators' counts and the teams' services. Everything is summed here and stored with the
// run; the engine computes from these alone.
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../../db/connect';
import { addMonthsToMonth, monthOf, type IsoDate } from '../../engine/calendar';
import { addCounters, emptyCounters, indicatorsOf, type Counters } from '../../engine/indicators/counters';
import type { PaymentParameters } from '../../engine/payment/parameters';
import type { BudgetInput, CapitationInput, ContractFeeInput, PaymentInputs, Ratio, WorkEquivalentInput } from '../../engine/payment/types';
import { countersByTeam, ensureMonth, periodOf } from '../indicators/service';

export interface PaymentPeriod { year: number; quarter: number | null; today: IsoDate }

/** The period's days, the state day, the months from January to the state month and how many of them are over. */
export function paymentPeriod(q: PaymentPeriod) {
  const p = periodOf(q);
  const yearStart = `${q.year}-01-01`;
  const asOf = p.end < q.today ? p.end : q.today;
  const months: string[] = [];
  for (let m = `${q.year}-01`; m <= p.month; m = addMonthsToMonth(m, 1)) months.push(m);
  return { ...p, year: q.year, yearStart, asOf, months, completeMonths: months.filter((m) => m < monthOf(q.today)).length };
}

const sum = (a: Ratio, b: Ratio): Ratio => ({ numerator: a.numerator + b.numerator, denominator: a.denominator + b.denominator });
const n = (v: unknown) => Number(v ?? 0);

/** The latest adjustment's split of each line it changed (a reversal or a late claim re-settled the year). */
const ADJUSTED = sql`
  latest as (
    select distinct on (a.person_id, a.claim_id) a.person_id, a.claim_id, a.lines from claim_adjustment a order by a.person_id, a.claim_id, a.seq desc
  ), adjusted as (
    select k.person_id, k.claim_id, (x ->> 'lineNo')::int as line_no, (x ->> 'fundPayFen')::bigint as fund_fen from latest k, jsonb_array_elements(k.lines) x
  )`;
/** The fund's part of a line as it stands; `date_trunc` on a timestamp without time zone (no zone arithmetic per row). */
const FUND = sql`coalesce(adj.fund_fen, l.fund_pay_fen)`;
const MONTH = sql`to_char(date_trunc('month', c.service_date::timestamp), 'YYYY-MM')`;
const LINES = sql`claim c join claim_line l on l.person_id = c.person_id and l.claim_id = c.id
  left join adjusted adj on adj.person_id = l.person_id and adj.claim_id = l.claim_id and adj.line_no = l.line_no`;

/**
 * The smart audit's recoveries: confirmed findings' deductions (扣款, against the institution or its doctor —
 * the fund takes the money back from the institution either way), by the China month they were confirmed in.
 */
const RECOVERED_MONTH = sql`to_char(f.decided_at at time zone 'Asia/Shanghai', 'YYYY-MM')`;
export const recoveredBetween = (from: string, to: string) =>
  sql`f.status = 'confirmed' and f.deduction_fen > 0 and (f.decided_at at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date`;

/** A scan of the claim lines into a few thousand groups: hashed in memory and not worth the JIT's compiling. */
async function scan<R>(db: Database, query: RawBuilder<R>): Promise<R[]> {
  if (db.isTransaction) return (await query.execute(db)).rows;
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '64MB'`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    return (await query.execute(trx)).rows;
  });
}

interface Institution { id: string; level: string; medical_community_id: string | null }

async function capitationInputs(db: Database, p: PaymentParameters['capitation'], period: ReturnType<typeof paymentPeriod>, control: Map<string, Counters>): Promise<CapitationInput[]> {
  const centres = await db.selectFrom('institution as i').innerJoin('region as r', 'r.code', 'i.region_code')
    .select(['i.id', 'i.name', 'i.county_code', 'i.region_code', 'r.name as town_name'])
    .where('i.kind', '=', 'township_health_centre').where('i.county_code', 'in', p.counties.codes).orderBy('i.region_code').orderBy('i.code').execute();
  if (!centres.length) return [];
  const towns = centres.map((c) => c.region_code);
  const types: string[] = p.insurance_types.types;
  const [insured, costs, recovered] = await Promise.all([
    sql<{ town: string; insured: number }>`
      select substr(p.region_code, 1, 9) as town, count(*)::int as insured from person p
      where substr(p.region_code, 1, 9) = any(${towns}::text[]) and p.insurance_type = any(${types}::text[])
        and p.insured_since <= ${period.yearStart}::date and (p.death_date is null or p.death_date >= ${period.yearStart}::date)
      group by 1`.execute(db),
    // claims at secondary and tertiary hospitals draw on the referral pool, every other on the package
    scan(db, sql<{ town: string; month: string; referral: boolean; fund_fen: string }>`
      with ${ADJUSTED}
      select substr(p.region_code, 1, 9) as town, ${MONTH} as month, c.institution_level in ('secondary', 'tertiary') as referral, sum(${FUND})::bigint as fund_fen
      from person p join ${LINES} on c.person_id = p.id
      where substr(p.region_code, 1, 9) = any(${towns}::text[]) and p.insurance_type = any(${types}::text[])
        and c.status = 'settled' and c.service_date between ${period.yearStart}::date and ${period.asOf}::date
      group by 1, 2, 3`),
    // a recovery goes back to the pool its claim drew on: by the level of the institution it was recovered from
    sql<{ town: string; month: string; referral: boolean; fund_fen: string }>`
      select substr(p.region_code, 1, 9) as town, ${RECOVERED_MONTH} as month, i.level in ('secondary', 'tertiary') as referral, sum(f.deduction_fen)::bigint as fund_fen
      from audit_finding f join person p on p.id = f.person_id join institution i on i.id = f.institution_id
      where substr(p.region_code, 1, 9) = any(${towns}::text[]) and p.insurance_type = any(${types}::text[]) and ${recoveredBetween(period.yearStart, period.asOf)}
      group by 1, 2, 3`.execute(db),
  ]);
  const insuredOf = new Map(insured.rows.map((r) => [r.town, r.insured]));
  const cost = new Map(costs.map((r) => [`${r.town}:${r.month}:${r.referral}`, n(r.fund_fen)]));
  const back = new Map(recovered.rows.map((r) => [`${r.town}:${r.month}:${r.referral}`, n(r.fund_fen)]));
  return centres.map((c) => {
    const ind = indicatorsOf(control.get(c.id) ?? emptyCounters());
    return {
      town_code: c.region_code, town_name: c.town_name, institution_id: c.id, institution_name: c.name, county_code: c.county_code,
      insured: insuredOf.get(c.region_code) ?? 0,
      months: period.months.map((m) => ({
        month: m, package_fen: cost.get(`${c.region_code}:${m}:false`) ?? 0, referral_fen: cost.get(`${c.region_code}:${m}:true`) ?? 0,
        package_recovered_fen: back.get(`${c.region_code}:${m}:false`) ?? 0, referral_recovered_fen: back.get(`${c.region_code}:${m}:true`) ?? 0,
      })),
      control: { hypertension: ratioOf(ind.control.hypertension), diabetes: ratioOf(ind.control.diabetes) },
    };
  });
}

const ratioOf = (r: Ratio): Ratio => ({ numerator: r.numerator, denominator: r.denominator });

async function budgetInputs(db: Database, p: PaymentParameters['budget'], period: ReturnType<typeof paymentPeriod>): Promise<BudgetInput[]> {
  const [communities, institutions] = await Promise.all([
    db.selectFrom('medical_community').select(['id', 'name', 'county_code']).orderBy('county_code').orderBy('name').execute(),
    db.selectFrom('institution').select(['id', 'level', 'medical_community_id']).execute(),
  ]);
  if (!communities.length) return [];
  const lastYearStart = `${period.year - 1}-01-01`;
  const lastYearAsOf = `${period.year - 1}${period.asOf.slice(4)}`.replace(/-02-29$/, '-02-28');
  const member = new Map((institutions as Institution[]).filter((i) => i.medical_community_id && i.level !== 'pharmacy').map((i) => [i.id, i.medical_community_id!]));
  // last year's and this year's fund payments by institution and month, long prescriptions apart; and the
  // recoveries, taken off the spending within the budget (the institution's settlement, which the budget caps)
  const [sums, recovered] = await Promise.all([
    scan(db, sql<{ institution_id: string; month: string; long_rx: boolean; fund_fen: string }>`
      with ${ADJUSTED}
      select c.institution_id, ${MONTH} as month, l.days_supply > ${p.long_prescription_days.days} as long_rx, sum(${FUND})::bigint as fund_fen
      from ${LINES}
      where c.status = 'settled' and c.service_date between ${lastYearStart}::date and ${period.asOf}::date
      group by 1, 2, 3`),
    sql<{ institution_id: string; month: string; fund_fen: string }>`
      select f.institution_id, ${RECOVERED_MONTH} as month, sum(f.deduction_fen)::bigint as fund_fen
      from audit_finding f where ${recoveredBetween(lastYearStart, period.asOf)} group by 1, 2`.execute(db),
  ]);
  // a chain pharmacy is not a member of a medical community, whatever its institution row names
  const spent = new Map<string, number>();
  const add = (institution: string, month: string, kind: 'long' | 'within' | 'recovered', fen: string) => {
    const community = member.get(institution);
    if (!community) return;
    const key = `${community}:${month < `${period.year}-01` ? 'last' : month}:${kind}`;
    spent.set(key, (spent.get(key) ?? 0) + n(fen));
  };
  for (const x of sums) add(x.institution_id, x.month, x.long_rx ? 'long' : 'within', x.fund_fen);
  for (const x of recovered.rows) add(x.institution_id, x.month, 'recovered', x.fund_fen);
  // Luohu: the community's contracted insured at the state day, their whole cost anywhere, this year and the same days last year
  const { rows } = await sql<{ community: string; contracted: number; this_year: string; last_year: string }>`
    with cohort as (
      select distinct i.medical_community_id as community, c.person_id
      from contract c join family_doctor_team t on t.id = c.team_id join institution i on i.id = t.institution_id
      join person p on p.id = c.person_id
      where i.medical_community_id is not null and c.start_date <= ${period.asOf}::date and c.end_date >= ${period.asOf}::date
        and (c.terminated_on is null or c.terminated_on > ${period.asOf}::date) and (p.death_date is null or p.death_date > ${period.asOf}::date)
    ), cost as (
      select k.community,
        coalesce(sum(cl.amount_fen) filter (where cl.service_date >= ${period.yearStart}::date), 0) as this_year,
        coalesce(sum(cl.amount_fen) filter (where cl.service_date <= ${lastYearAsOf}::date), 0) as last_year
      from cohort k join claim cl on cl.person_id = k.person_id and cl.status = 'settled'
        and cl.service_date between ${lastYearStart}::date and ${period.asOf}::date
      group by 1
    )
    select k.community, count(*)::int as contracted, coalesce(max(cost.this_year), 0)::bigint as this_year, coalesce(max(cost.last_year), 0)::bigint as last_year
    from cohort k left join cost on cost.community = k.community group by 1`.execute(db);
  const lh = new Map(rows.map((r) => [r.community, r]));
  const at = (key: string) => spent.get(key) ?? 0;
  return communities.map((c) => ({
    community_id: c.id, name: c.name, county_code: c.county_code,
    last_year: { within_fen: at(`${c.id}:last:within`), long_rx_fen: at(`${c.id}:last:long`), recovered_fen: at(`${c.id}:last:recovered`) },
    months: period.months.map((m) => ({ month: m, within_fen: at(`${c.id}:${m}:within`), long_rx_fen: at(`${c.id}:${m}:long`), recovered_fen: at(`${c.id}:${m}:recovered`) })),
    luohu: { contracted: lh.get(c.id)?.contracted ?? 0, this_year_fen: n(lh.get(c.id)?.this_year), last_year_fen: n(lh.get(c.id)?.last_year) },
  }));
}

interface TeamRow { id: string; name: string; institution_id: string; institution_name: string; county_code: string }

async function contractFeeInputs(db: Database, teams: TeamRow[], period: ReturnType<typeof paymentPeriod>, byTeam: Map<string, Counters>, notContracted: Map<string, Counters>): Promise<ContractFeeInput[]> {
  // a month's residents under contract at its end (the state day for the running month): each contract of the
  // period once, with the month ends it covers counted beside it
  const { rows } = await sql<{ team_id: string; resident_months: number }>`
    with m as materialized (
      select least((d + interval '1 month - 1 day')::date, ${period.asOf}::date) as at
      from generate_series(${period.start}::date, ${`${period.month}-01`}::date, interval '1 month') d
    )
    select c.team_id, sum(k.n)::int as resident_months
    from contract c join person p on p.id = c.person_id
    cross join lateral (select count(*) as n from m where c.start_date <= m.at and c.end_date >= m.at
      and (c.terminated_on is null or c.terminated_on > m.at) and (p.death_date is null or p.death_date > m.at)) k
    where c.end_date >= ${period.start}::date and c.start_date <= ${period.asOf}::date
    group by 1`.execute(db);
  const months = new Map(rows.map((r) => [r.team_id, r.resident_months]));
  return teams.map((t) => {
    const i = indicatorsOf(byTeam.get(t.id) ?? emptyCounters());
    const outside = indicatorsOf(notContracted.get(t.county_code) ?? emptyCounters());
    return {
      team_id: t.id, name: t.name, institution_id: t.institution_id, institution_name: t.institution_name, county_code: t.county_code,
      resident_months: months.get(t.id) ?? 0,
      rates: {
        contracting: ratioOf(i.contracting),
        registration: ratioOf(i.registered),
        standardised_management: sum(i.standardised_management.hypertension, i.standardised_management.diabetes),
        control: sum(ratioOf(i.control.hypertension), ratioOf(i.control.diabetes)),
        grassroots_visits: ratioOf(i.grassroots_visits),
        community_visit: { contracted: ratioOf(i.grassroots_visits), not_contracted: ratioOf(outside.grassroots_visits) },
      },
    };
  });
}

async function workEquivalentInputs(db: Database, teams: TeamRow[], period: ReturnType<typeof paymentPeriod>): Promise<WorkEquivalentInput[]> {
  const { rows } = await sql<{ team_id: string; service: string; count: number }>`
    select v.team_id, 'follow_up_' || v.mode as service, count(*)::int as count
    from followup_visit v where v.team_id is not null and v.visit_date between ${period.start}::date and ${period.asOf}::date group by 1, 2
    union all
    select r.team_id, 'continuous_prescription', count(*)::int
    from prescription r where r.team_id is not null and r.origin in ('continuous', 'renewal')
      and r.status in ('approved', 'partly_dispensed', 'dispensed', 'expired') and r.written_on between ${period.start}::date and ${period.asOf}::date group by 1
    union all
    -- 一体化门诊: a clinic follow-up at which the team also wrote the patient's prescription (care and prevention in one visit)
    select v.team_id, 'integrated_visit', count(*)::int
    from followup_visit v where v.team_id is not null and v.mode = 'clinic' and v.visit_date between ${period.start}::date and ${period.asOf}::date
      and exists (select 1 from prescription r where r.person_id = v.person_id and r.team_id = v.team_id and r.written_on = v.visit_date
                  and r.status not in ('draft', 'cancelled'))
    group by 1`.execute(db);
  const services = new Map<string, Record<string, number>>();
  for (const r of rows) services.set(r.team_id, { ...services.get(r.team_id), [r.service]: r.count });
  return teams.map((t) => ({ team_id: t.id, name: t.name, institution_id: t.institution_id, institution_name: t.institution_name, county_code: t.county_code, services: services.get(t.id) ?? {} }));
}

/** Every input of a run for the city, taken at the period's state day. */
export async function gatherInputs(db: Database, params: PaymentParameters, q: PaymentPeriod): Promise<PaymentInputs> {
  const period = paymentPeriod(q);
  await ensureMonth(db, period.month);
  const [counters, teams] = await Promise.all([
    countersByTeam(db, { month: period.month }, q.quarter === null),
    db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id')
      .select(['t.id', 't.name', 't.institution_id', 'i.name as institution_name', 'i.county_code']).orderBy('i.county_code').orderBy('i.code').orderBy('t.name').execute(),
  ]);
  const byTeam = new Map<string, Counters>();
  const byInstitution = new Map<string, Counters>();
  const notContracted = new Map<string, Counters>();
  const add = (m: Map<string, Counters>, key: string, c: Counters) => m.set(key, addCounters(m.get(key) ?? emptyCounters(), c));
  for (const t of counters) {
    if (t.team_id) add(byTeam, t.team_id, t.counters);
    if (t.institution_id) add(byInstitution, t.institution_id, t.counters);
    else add(notContracted, t.county_code, t.counters);
  }
  const [capitation, budget, contractFee, workEquivalent] = await Promise.all([
    capitationInputs(db, params.capitation, period, byInstitution),
    budgetInputs(db, params.budget, period),
    contractFeeInputs(db, teams, period, byTeam, notContracted),
    workEquivalentInputs(db, teams, period),
  ]);
  return {
    year: q.year, quarter: q.quarter, start: period.start, end: period.end, asOf: period.asOf, complete_months: period.completeMonths,
    capitation, budget, contract_fee: contractFee, work_equivalent: workEquivalent,
  };
}
