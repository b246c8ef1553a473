// The plainest correct SQL for the indicators' counters, straight from the raw tables with no
// precomputation: what bench/indicators.ts times beside the month rows, and what the indicators test
// recomputes the numbers with. Written from docs/indicators.md, not from the engine's code.
import { sql } from 'kysely';
import type { Database } from '../src/db/connect';
import { COUNTER_NAMES, type Counters } from '../src/engine/indicators/counters';

export interface RawPeriod { start: string; end: string; fullYear: boolean; county?: string }

export async function rawCounters(db: Database, p: RawPeriod): Promise<Map<string, Counters>> {
  const yearStart = `${p.end.slice(0, 4)}-01-01`;
  const { rows } = await sql<Record<string, unknown>>`
    with known as (
      select p.id, p.birth_date, substr(p.region_code, 1, 6) as county, (p.death_date is null or p.death_date > ${p.end}::date) as alive,
        (select c.team_id from contract c where c.person_id = p.id and c.start_date <= ${p.end}::date and ${p.end}::date <= c.end_date
           and (c.terminated_on is null or ${p.end}::date < c.terminated_on) limit 1) as team_id,
        exists (select 1 from health_check h where h.person_id = p.id and h.check_date between ${yearStart}::date and ${p.end}::date) as annual_check,
        exists (select 1 from registration r where r.person_id = p.id and r.disease_code in ('hypertension', 'diabetes')
          and r.effective_from <= (${p.end}::date - interval '12 months')::date and (r.effective_to is null or r.effective_to > (${p.end}::date - interval '12 months')::date)) as registered_year_before,
        (select count(*) from filing_event e where e.person_id = p.id and e.from_status is null and e.to_status = 'submitted'
          and (e.at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date) as filed,
        (select count(*) from filing_event e where e.person_id = p.id and e.to_status = 'approved'
          and (e.at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date) as confirmed,
        (select count(*) from filing_event e where e.person_id = p.id and e.to_status = 'returned'
          and (e.at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date) as returned,
        (select count(distinct d.prescription_id) from dispense d where d.person_id = p.id and d.status = 'dispensed'
          and (d.dispensed_at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date) as dispensed,
        (select count(distinct d.prescription_id) from dispense d join delivery_order o on o.person_id = d.person_id and o.dispense_id = d.id and o.status = 'delivered'
          where d.person_id = p.id and d.status = 'dispensed' and (d.dispensed_at at time zone 'Asia/Shanghai')::date between ${p.start}::date and ${p.end}::date) as delivered
      from person p
      where (exists (select 1 from person_condition c where c.person_id = p.id and c.disease_code in ('hypertension', 'diabetes'))
         or exists (select 1 from registration r where r.person_id = p.id and r.disease_code in ('hypertension', 'diabetes')))
        ${p.county ? sql`and p.region_code like ${`${p.county}%`}` : sql``}
    ),
    per_disease as (
      select k.id, d.code,
        exists (select 1 from person_condition c where c.person_id = k.id and c.disease_code = d.code and c.diagnosed_on <= ${p.end}::date)
          or exists (select 1 from registration r where r.person_id = k.id and r.disease_code = d.code and r.effective_from <= ${p.end}::date) as diagnosed,
        exists (select 1 from registration r where r.person_id = k.id and r.disease_code = d.code and r.effective_from <= ${p.end}::date
          and (r.effective_to is null or r.effective_to > ${p.end}::date)) as registered,
        (select min(r.effective_from) from registration r where r.person_id = k.id and r.disease_code = d.code) as first_registered,
        (select count(*) from generate_series(${yearStart}::date, ${p.end}::date, interval '3 months') q(first)
          where (q.first + interval '3 months' - interval '1 day')::date <= ${p.end}::date
            and exists (select 1 from registration r where r.person_id = k.id and r.disease_code = d.code and r.effective_from <= q.first
              and (r.effective_to is null or r.effective_to > (q.first + interval '3 months' - interval '1 day')::date))) as owed,
        (select count(distinct v.visit_date) from followup_visit v where v.person_id = k.id and d.code = any(v.diseases) and v.mode in ('clinic', 'home')
          and v.visit_date between ${yearStart}::date and ${p.end}::date) as face_to_face,
        (select r.controlled from (
            select v.visit_date as day, 1 as rank,
              case when d.code = 'hypertension' then v.systolic < case when extract(year from age(v.visit_date, k.birth_date)) >= 65 then 150 else 140 end and v.diastolic < 90
                   else v.fasting_glucose_tenths < 70 end as controlled
            from followup_visit v where v.person_id = k.id and d.code = any(v.diseases)
              and v.visit_date > (${p.end}::date - interval '3 months')::date and v.visit_date <= ${p.end}::date
              and case when d.code = 'hypertension' then v.systolic is not null and v.diastolic is not null else v.fasting_glucose_tenths is not null end
            union all
            select h.check_date, 0,
              case when d.code = 'hypertension' then h.systolic < case when extract(year from age(h.check_date, k.birth_date)) >= 65 then 150 else 140 end and h.diastolic < 90
                   else h.fasting_glucose_tenths < 70 end
            from health_check h where h.person_id = k.id
              and h.check_date > (${p.end}::date - interval '3 months')::date and h.check_date <= ${p.end}::date
              and case when d.code = 'hypertension' then h.systolic is not null and h.diastolic is not null else h.fasting_glucose_tenths is not null end
          ) r order by r.day desc, r.rank desc, r.controlled asc limit 1) as latest_controlled,
        exists (select 1 from followup_visit v where v.person_id = k.id and v.visit_date > (${p.end}::date - interval '3 months')::date and v.visit_date <= ${p.end}::date)
          or exists (select 1 from health_check h where h.person_id = k.id and h.check_date > (${p.end}::date - interval '3 months')::date and h.check_date <= ${p.end}::date) as seen_3_months,
        exists (select 1 from followup_visit v where v.person_id = k.id and v.visit_date > (${p.end}::date - interval '12 months')::date and v.visit_date <= ${p.end}::date)
          or exists (select 1 from health_check h where h.person_id = k.id and h.check_date > (${p.end}::date - interval '12 months')::date and h.check_date <= ${p.end}::date) as seen_12_months
      from known k cross join (values ('hypertension'), ('diabetes')) d(code)
    ),
    control as (
      select d.*, case
        when not d.registered or not k.alive then null
        when d.first_registered > (${p.end}::date - interval '3 months')::date then 'registered_last_3_months'
        when not (d.first_registered > (${p.end}::date - interval '12 months')::date or d.seen_12_months) then 'lost_to_follow_up'
        when d.latest_controlled then 'controlled'
        when not d.latest_controlled then 'uncontrolled'
        when d.seen_3_months then 'visited_no_reading'
        else 'missed_visit' end as grp
      from per_disease d join known k on k.id = d.id
    ),
    claims as (
      select c.person_id, c.institution_level as level, sum(l.amount_fen) as amount,
        sum(coalesce((select (x ->> 'fundPayFen')::bigint from jsonb_array_elements(
          (select a.lines from claim_adjustment a where a.person_id = c.person_id and a.claim_id = c.id order by a.seq desc limit 1)) x
          where (x ->> 'lineNo')::int = l.line_no), l.fund_pay_fen)) as fund
      from claim c join claim_line l on l.person_id = c.person_id and l.claim_id = c.id and l.scope = 'two_disease'
      where c.status = 'settled' and c.service_date between ${p.start}::date and ${p.end}::date
      group by c.person_id, c.id, c.institution_level
    ),
    person_claims as (
      select person_id, count(*) filter (where level = 'grassroots') as grassroots, count(*) filter (where level in ('secondary', 'tertiary')) as hospital,
        count(*) filter (where level = 'pharmacy') as pharmacy, sum(amount) as amount, sum(fund) as fund
      from claims group by person_id
    ),
    per_person as (
      select k.id, k.county, k.team_id, k.alive, k.annual_check, k.registered_year_before, k.filed, k.confirmed, k.returned, k.dispensed, k.delivered,
        bool_or(c.diagnosed) as diagnosed, bool_or(c.registered) as registered,
        bool_or(c.diagnosed) filter (where c.code = 'hypertension') as ht_diagnosed, bool_or(c.diagnosed) filter (where c.code = 'diabetes') as dm_diagnosed,
        bool_or(c.registered and c.owed > 0) filter (where c.code = 'hypertension') as ht_owes, bool_or(c.registered and c.owed > 0) filter (where c.code = 'diabetes') as dm_owes,
        bool_or(c.registered and c.owed > 0 and c.face_to_face >= c.owed) filter (where c.code = 'hypertension') as ht_met,
        bool_or(c.registered and c.owed > 0 and c.face_to_face >= c.owed) filter (where c.code = 'diabetes') as dm_met,
        max(c.grp) filter (where c.code = 'hypertension') as ht_grp, max(c.grp) filter (where c.code = 'diabetes') as dm_grp
      from known k join control c on c.id = k.id
      group by k.id, k.county, k.team_id, k.alive, k.annual_check, k.registered_year_before, k.filed, k.confirmed, k.returned, k.dispensed, k.delivered
    )
    select pp.county, pp.team_id,
      count(*) filter (where pp.alive and pp.diagnosed) as diagnosed,
      count(*) filter (where pp.alive and pp.diagnosed and pp.team_id is not null) as contracted,
      count(*) filter (where pp.alive and pp.diagnosed and pp.registered) as registered,
      count(*) filter (where pp.alive and pp.ht_diagnosed) as ht_diagnosed,
      count(*) filter (where pp.alive and pp.dm_diagnosed) as dm_diagnosed,
      count(*) filter (where pp.ht_owes) as ht_sm_denominator,
      count(*) filter (where pp.ht_met ${p.fullYear ? sql`and pp.annual_check` : sql``}) as ht_sm_numerator,
      count(*) filter (where pp.dm_owes) as dm_sm_denominator,
      count(*) filter (where pp.dm_met ${p.fullYear ? sql`and pp.annual_check` : sql``}) as dm_sm_numerator,
      ${sql.join(['ht', 'dm'].flatMap((d) => ['controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up']
        .map((g) => sql`count(*) filter (where ${sql.ref(`pp.${d}_grp`)} = ${g}) as ${sql.ref(`${d}_${g}`)}`)))},
      coalesce(sum(pc.grassroots), 0) as grassroots, coalesce(sum(pc.hospital), 0) as hospital, coalesce(sum(pc.pharmacy), 0) as pharmacy,
      coalesce(sum(pc.amount), 0) as amount_fen, coalesce(sum(pc.fund), 0) as fund_pay_fen,
      count(pc.person_id) as claim_patients,
      count(*) filter (where pp.registered) as registered_patients,
      count(*) filter (where pp.registered_year_before) as registered_patients_year_before,
      sum(pp.filed) as filed, sum(pp.confirmed) as confirmed, sum(pp.returned) as returned, sum(pp.dispensed) as dispensed, sum(pp.delivered) as delivered
    from per_person pp left join person_claims pc on pc.person_id = pp.id
    group by pp.county, pp.team_id`.execute(db);
  return new Map(rows.map((r) => [`${r.county as string}|${(r.team_id as string | null) ?? ''}`, Object.fromEntries(COUNTER_NAMES.map((n) => [n, Number(r[n])])) as Counters]));
}
