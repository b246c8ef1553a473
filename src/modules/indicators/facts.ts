// Patients' records as the engine's PatientFacts, read in bulk (a few statements per batch of people).
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { Disease } from '../../engine/followup/disease';
import type { InstitutionLevel, PatientFacts } from '../../engine/indicators/patientMonth';
import type { VisitMode } from '../../engine/followup/management';

const TWO = ['hypertension', 'diabetes'];

export async function loadFacts(db: Database, personIds: string[]): Promise<PatientFacts[]> {
  if (!personIds.length) return [];
  const ids = sql`${personIds}::uuid[]`;
  const [people, diagnoses, contracts, registrations, visits, checks, claims, steps, dispenses] = await Promise.all([
    sql<{ id: string; birth_date: string; region_code: string; insurance_type: 'resident' | 'employee'; death_date: string | null }>`
      select id, birth_date, region_code, insurance_type, death_date from person where id = any(${ids})`.execute(db),
    sql<{ person_id: string; disease_code: Disease; diagnosed_on: string }>`
      select person_id, disease_code, diagnosed_on from person_condition where person_id = any(${ids}) and disease_code = any(${TWO})`.execute(db),
    sql<{ person_id: string; team_id: string; institution_id: string; start_date: string; end_date: string; terminated_on: string | null }>`
      select c.person_id, c.team_id, t.institution_id, c.start_date, c.end_date, c.terminated_on
      from contract c join family_doctor_team t on t.id = c.team_id where c.person_id = any(${ids})`.execute(db),
    sql<{ person_id: string; disease_code: Disease; effective_from: string; effective_to: string | null; diagnosed_on: string }>`
      select person_id, disease_code, effective_from, effective_to, diagnosed_on from registration
      where person_id = any(${ids}) and disease_code = any(${TWO})`.execute(db),
    sql<{ person_id: string; visit_date: string; mode: VisitMode; diseases: Disease[]; systolic: number | null; diastolic: number | null; fasting_glucose_tenths: number | null }>`
      select person_id, visit_date, mode, diseases, systolic, diastolic, fasting_glucose_tenths from followup_visit where person_id = any(${ids})`.execute(db),
    sql<{ person_id: string; check_date: string; systolic: number | null; diastolic: number | null; fasting_glucose_tenths: number | null }>`
      select person_id, check_date, systolic, diastolic, fasting_glucose_tenths from health_check where person_id = any(${ids})`.execute(db),
    claimFacts(db, personIds),
    // a filing's first submission, its approvals and returns, on their Beijing day
    sql<{ person_id: string; date: string; step: 'filed' | 'confirmed' | 'returned' }>`
      select person_id, (at at time zone 'Asia/Shanghai')::date::text as date,
        case when to_status = 'approved' then 'confirmed' when to_status = 'returned' then 'returned' else 'filed' end as step
      from filing_event where person_id = any(${ids})
        and ((from_status is null and to_status = 'submitted') or to_status in ('approved', 'returned'))`.execute(db),
    sql<{ person_id: string; date: string; prescription_id: string; delivered: boolean }>`
      select d.person_id, (d.dispensed_at at time zone 'Asia/Shanghai')::date::text as date, d.prescription_id,
        exists (select 1 from delivery_order o where o.person_id = d.person_id and o.dispense_id = d.id and o.status = 'delivered') as delivered
      from dispense d where d.person_id = any(${ids}) and d.status = 'dispensed'`.execute(db),
  ]);
  const by = <T extends { person_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.person_id, [...(m.get(r.person_id) ?? []), r]);
    return m;
  };
  const [dx, ct, rg, vs, hc, cl, st, dp] = [by(diagnoses.rows), by(contracts.rows), by(registrations.rows), by(visits.rows), by(checks.rows), by(claims), by(steps.rows), by(dispenses.rows)];
  return people.rows.map((p) => ({
    personId: p.id, birthDate: p.birth_date, countyCode: p.region_code.slice(0, 6), insuranceType: p.insurance_type, deathDate: p.death_date,
    diagnoses: (dx.get(p.id) ?? []).map((d) => ({ disease: d.disease_code, diagnosedOn: d.diagnosed_on })),
    contracts: (ct.get(p.id) ?? []).map((c) => ({ teamId: c.team_id, institutionId: c.institution_id, startDate: c.start_date, endDate: c.end_date, terminatedOn: c.terminated_on })),
    registrations: (rg.get(p.id) ?? []).map((r) => ({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to, diagnosedOn: r.diagnosed_on })),
    visits: (vs.get(p.id) ?? []).map((v) => ({ date: v.visit_date, mode: v.mode, diseases: v.diseases, systolic: v.systolic, diastolic: v.diastolic, fastingGlucoseTenths: v.fasting_glucose_tenths })),
    healthChecks: (hc.get(p.id) ?? []).map((h) => ({ date: h.check_date, systolic: h.systolic, diastolic: h.diastolic, fastingGlucoseTenths: h.fasting_glucose_tenths })),
    claims: (cl.get(p.id) ?? []).map((c) => ({ serviceDate: c.service_date, level: c.institution_level, amountFen: c.amount_fen, fundPayFen: c.fund_pay_fen })),
    filingSteps: (st.get(p.id) ?? []).map((e) => ({ date: e.date, step: e.step })),
    dispenses: (dp.get(p.id) ?? []).map((d) => ({ date: d.date, prescriptionId: d.prescription_id, delivered: d.delivered })),
  }));
}

/**
 * Settled claims with a two-disease line, summed over those lines. The fund's part is the split in force:
 * the latest adjustment's (a reversal or a back-dated claim re-settled the year, claim_adjustment) or else
 * the line as settled.
 */
async function claimFacts(db: Database, personIds: string[]) {
  const { rows } = await sql<{ person_id: string; service_date: string; institution_level: InstitutionLevel; amount_fen: number; fund_pay_fen: number }>`
    select c.person_id, c.service_date, c.institution_level, sum(l.amount_fen)::bigint as amount_fen,
      sum(coalesce((adj.line ->> 'fundPayFen')::bigint, l.fund_pay_fen))::bigint as fund_pay_fen
    from claim c
    join claim_line l on l.person_id = c.person_id and l.claim_id = c.id and l.scope = 'two_disease'
    left join lateral (select a.lines from claim_adjustment a where a.person_id = c.person_id and a.claim_id = c.id order by a.seq desc limit 1) a on true
    left join lateral (select x from jsonb_array_elements(a.lines) x where (x ->> 'lineNo')::int = l.line_no) adj(line) on true
    where c.person_id = any(${personIds}::uuid[]) and c.status = 'settled'
    group by c.person_id, c.id, c.service_date, c.institution_level`.execute(db);
  return rows;
}
