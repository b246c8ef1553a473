// The SQL behind the indicators. The month rows are summed into the engine's counters (engine/indicators/
// counters.ts: the same names, the same conditions — a test holds them equal) per team, in one scan of the
// period's last month; the few counts kept by county come from their own small tables.
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../../db/connect';
import { COUNTER_NAMES, type Counters } from '../../engine/indicators/counters';

export interface RowFilter { month: string; county?: string; insuranceType?: 'resident' | 'employee' }

const rowWhere = (f: RowFilter) => sql`m.month = ${`${f.month}-01`}::date
  ${f.county ? sql`and m.county_code = ${f.county}` : sql``}
  ${f.insuranceType ? sql`and m.insurance_type = ${f.insuranceType}` : sql``}`;

const CONTROL = ['controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up'];

function counterSql(fullYear: boolean): RawBuilder<unknown>[] {
  const p = fullYear ? 'y' : 'q';
  const n = (expr: RawBuilder<unknown>, name: string) => sql`${expr}::bigint as ${sql.ref(name)}`;
  const count = (where: string) => sql.raw(`count(*) filter (where ${where})`);
  const out: RawBuilder<unknown>[] = [
    n(count('alive and diagnosed'), 'diagnosed'),
    n(count('alive and diagnosed and team_id is not null'), 'contracted'),
    n(count('alive and diagnosed and registered'), 'registered'),
    n(count('alive and ht_diagnosed'), 'ht_diagnosed'),
    n(count('alive and dm_diagnosed'), 'dm_diagnosed'),
  ];
  for (const d of ['ht', 'dm']) {
    const owes = `${d}_registered and ${d}_owed > 0`;
    out.push(n(count(owes), `${d}_sm_denominator`));
    out.push(n(count(`${owes} and ${d}_face_to_face >= ${d}_owed${fullYear ? ' and annual_check' : ''}`), `${d}_sm_numerator`));
    for (const g of CONTROL) out.push(n(count(`${d}_control = '${g}'`), `${d}_${g}`));
  }
  for (const c of ['grassroots', 'hospital', 'pharmacy', 'amount_fen', 'fund_pay_fen', 'filed', 'confirmed', 'returned', 'dispensed', 'delivered'])
    out.push(n(sql.raw(`coalesce(sum(${p}_${c}), 0)`), c));
  out.push(n(count(`${p}_grassroots + ${p}_hospital + ${p}_pharmacy > 0`), 'claim_patients'));
  out.push(n(count('registered'), 'registered_patients'));
  out.push(n(count('registered_year_before'), 'registered_patients_year_before'));
  return out;
}

export interface TeamCounters { county_code: string; institution_id: string | null; team_id: string | null; counters: Counters }

/** The counters of every (county, institution, team) for a period ending with the month. */
export async function countersByTeam(db: Database, f: RowFilter, fullYear: boolean): Promise<TeamCounters[]> {
  const query = sql<Record<string, unknown>>`
    select m.county_code, m.institution_id, m.team_id, ${sql.join(counterSql(fullYear))}
    from indicator_month m where ${rowWhere(f)}
    group by m.county_code, m.institution_id, m.team_id`;
  // compiling the scan's thirty-odd aggregates would cost PostgreSQL's JIT more than running them
  const { rows } = db.isTransaction ? await query.execute(db) : await db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return query.execute(trx);
  });
  return rows.map((r) => ({
    county_code: r.county_code as string, institution_id: r.institution_id as string | null, team_id: r.team_id as string | null,
    counters: Object.fromEntries(COUNTER_NAMES.map((name) => [name, Number(r[name])])) as Counters,
  }));
}

/** Up-referrals requested in the period and how many of them were completed, by county. */
export async function referralCompletion(db: Database, from: string, to: string, county?: string) {
  const { rows } = await sql<{ county_code: string; requested: number; completed: number }>`
    select county_code, count(*)::int as requested, count(*) filter (where status = 'completed')::int as completed from referral
    where direction = 'up' and (requested_at at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date
      ${county ? sql`and county_code = ${county}` : sql``}
    group by 1`.execute(db);
  return rows;
}

/** Claims of the period with a smart-audit finding, by the county the finding was filed under. */
export async function auditFindings(db: Database, from: string, to: string, county?: string) {
  const { rows } = await sql<{ county_code: string; findings: number }>`
    select county_code, count(distinct claim_id)::int as findings from audit_finding
    where claim_id is not null and service_date between ${from}::date and ${to}::date ${county ? sql`and county_code = ${county}` : sql``}
    group by 1`.execute(db);
  return rows;
}

/** Unexpired stock of chronic-list candidates: which drugs each institution holds (for the stock rate). */
export async function stockedDrugs(db: Database, today: string) {
  const { rows } = await sql<{ institution_id: string; drug_code: string }>`
    select distinct institution_id, drug_code from stock_batch where on_hand > 0 and expiry_date >= ${today}::date`.execute(db);
  return rows;
}

/**
 * The cohort registered in a quarter (first effective date of a disease's registration in it) and their
 * state at the end of a later month: by county and disease, the control group, or dead, or no longer registered.
 */
export async function cohortStates(db: Database, from: string, to: string, month: string, county?: string) {
  const { rows } = await sql<{ county_code: string; disease_code: 'hypertension' | 'diabetes'; state: string; n: number }>`
    with cohort as (
      select person_id, disease_code from registration where disease_code in ('hypertension', 'diabetes')
      group by person_id, disease_code having min(effective_from) between ${from}::date and ${to}::date
    )
    select m.county_code, c.disease_code,
      case when not m.alive then 'dead'
           else coalesce(case c.disease_code when 'hypertension' then m.ht_control else m.dm_control end, 'not_registered') end as state,
      count(*)::int as n
    from cohort c join indicator_month m on m.person_id = c.person_id and m.month = ${`${month}-01`}::date
    ${county ? sql`where m.county_code = ${county}` : sql``}
    group by 1, 2, 3`.execute(db);
  return rows;
}
