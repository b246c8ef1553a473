// What the smart audit reads, set-wise: the persons with claims or prescriptions on the audited days,
// then for a batch of them at once their claims and lines over the look-back window, registrations,
// contracts, follow-up visits and the day's prescriptions — each one statement over the batch, each
// led by an index that starts with the person (claim_person, registration_person, …): claim lines are
// reached from their claim (claim_line's key leads with claim_id), never by scanning for the person.
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { AuditClaim, AuditPrescription, PersonAuditFacts } from '../../engine/audit';
import type { Frequency } from '../../engine/prescription/supply';
import type { ContractFact } from '../../engine/eligibility';

const day = (column: string) => sql.raw(`to_char(${column}, 'YYYY-MM-DD')`);

/** Persons with a settled claim or an approved prescription dated from `from` to `to`, in id order. */
export async function subjectPersons(db: Database, from: string, to: string): Promise<string[]> {
  const { rows } = await sql<{ person_id: string }>`
    select person_id from claim where service_date between ${from}::date and ${to}::date and status = 'settled'
    union
    select person_id from prescription where written_on between ${from}::date and ${to}::date and approved_at is not null and status <> 'cancelled'
    order by 1`.execute(db);
  return rows.map((r) => r.person_id);
}

export interface ClaimMeta {
  policyId: string;
  insuranceType: 'resident' | 'employee';
}
export interface PrescriptionMeta {
  countyCode: string;
  insuranceType: 'resident' | 'employee';
}

export interface BatchFacts {
  persons: PersonAuditFacts[];
  claimMeta: Map<string, ClaimMeta>;
  prescriptionMeta: Map<string, PrescriptionMeta>;
  /** Subject claims and prescriptions (dated in the audited range) read. */
  claimsInRange: number;
  prescriptionsInRange: number;
}

/** Every fact the rules read about a batch of persons, claims from `lookFrom`, prescriptions and subjects from `from`, all up to `to`. */
export async function batchFacts(db: Database, ids: string[], range: { lookFrom: string; visitsFrom: string; from: string; to: string }): Promise<BatchFacts> {
  const { lookFrom, visitsFrom, from, to } = range;
  const [claims, lines, registrations, contracts, prescriptions, visits] = await Promise.all([
    sql<{ id: string; person_id: string; service_date: string; settled_at: Date; institution_id: string; policy_id: string; insurance_type: 'resident' | 'employee'; prescription_id: string | null; doctor_id: string | null }>`
      select c.id, c.person_id, ${day('c.service_date')} as service_date, c.settled_at, c.institution_id, c.policy_id, c.insurance_type, d.prescription_id, p.doctor_id
      from claim c
      left join dispense d on d.person_id = c.person_id and d.claim_id = c.id
      left join prescription p on p.person_id = d.person_id and p.id = d.prescription_id
      where c.person_id = any(${ids}::uuid[]) and c.status = 'settled' and c.service_date between ${lookFrom}::date and ${to}::date`.execute(db),
    sql<{ claim_id: string; line_no: number; drug_code: string; quantity: number; days_supply: number; scope: string; fund_pay_fen: number }>`
      select l.claim_id, l.line_no, l.drug_code, l.quantity, l.days_supply, l.scope, l.fund_pay_fen
      from claim c join claim_line l on l.claim_id = c.id and l.person_id = c.person_id
      where c.person_id = any(${ids}::uuid[]) and c.status = 'settled' and c.service_date between ${lookFrom}::date and ${to}::date
      order by l.claim_id, l.line_no`.execute(db),
    sql<{ person_id: string; disease_code: string; effective_from: string; effective_to: string | null }>`
      select person_id, disease_code, ${day('effective_from')} as effective_from, ${day('effective_to')} as effective_to
      from registration where person_id = any(${ids}::uuid[])`.execute(db),
    sql<{ person_id: string; id: string; team_id: string; start_date: string; end_date: string; status: ContractFact['status']; terminated_on: string | null }>`
      select person_id, id, team_id, ${day('start_date')} as start_date, ${day('end_date')} as end_date, status, ${day('terminated_on')} as terminated_on
      from contract where person_id = any(${ids}::uuid[])`.execute(db),
    sql<{ id: string; person_id: string; written_on: string; origin: AuditPrescription['origin']; institution_id: string; doctor_id: string; county_code: string; insurance_type: 'resident' | 'employee' }>`
      select p.id, p.person_id, ${day('p.written_on')} as written_on, p.origin, p.institution_id, p.doctor_id, p.county_code, ps.insurance_type
      from prescription p join person ps on ps.id = p.person_id
      where p.person_id = any(${ids}::uuid[]) and p.written_on between ${from}::date and ${to}::date and p.approved_at is not null and p.status <> 'cancelled'`.execute(db),
    sql<{ person_id: string; visit_date: string }>`
      select person_id, ${day('visit_date')} as visit_date from followup_visit
      where person_id = any(${ids}::uuid[]) and visit_date between ${visitsFrom}::date and ${to}::date`.execute(db),
  ]);
  const rxIds = prescriptions.rows.map((r) => r.id);
  const [rxLines, dispensed] = rxIds.length
    ? await Promise.all([
        sql<{ prescription_id: string; line_no: number; drug_code: string; dose_milli: number; frequency: Frequency; days_supply: number }>`
          select prescription_id, line_no, drug_code, dose_milli, frequency, days_supply from prescription_line
          where person_id = any(${ids}::uuid[]) and prescription_id = any(${rxIds}::uuid[]) order by prescription_id, line_no`.execute(db),
        sql<{ prescription_id: string; drug_code: string; fund_pay_fen: number }>`
          select d.prescription_id, l.drug_code, sum(l.fund_pay_fen)::bigint as fund_pay_fen
          from dispense d
          join claim c on c.person_id = d.person_id and c.id = d.claim_id
          join claim_line l on l.person_id = c.person_id and l.claim_id = c.id
          where d.person_id = any(${ids}::uuid[]) and d.prescription_id = any(${rxIds}::uuid[]) and c.status = 'settled'
          group by 1, 2`.execute(db),
      ])
    : [{ rows: [] }, { rows: [] }];

  const persons = new Map<string, PersonAuditFacts>();
  const of = (id: string) => {
    let p = persons.get(id);
    if (!p) persons.set(id, (p = { personId: id, claims: [], registrations: [], contracts: [], prescriptions: [], followUpVisits: [] }));
    return p;
  };
  for (const id of ids) of(id);
  const claimMeta = new Map<string, ClaimMeta>();
  const byClaim = new Map<string, AuditClaim>();
  let claimsInRange = 0;
  for (const r of claims.rows) {
    const claim: AuditClaim = {
      id: r.id, serviceDate: r.service_date, settledAt: new Date(r.settled_at).toISOString(), institutionId: r.institution_id,
      prescriptionId: r.prescription_id, doctorId: r.doctor_id, lines: [],
    };
    byClaim.set(r.id, claim);
    of(r.person_id).claims.push(claim);
    claimMeta.set(r.id, { policyId: r.policy_id, insuranceType: r.insurance_type });
    if (r.service_date >= from) claimsInRange++;
  }
  for (const l of lines.rows)
    byClaim.get(l.claim_id)?.lines.push({ lineNo: l.line_no, drugCode: l.drug_code, quantity: l.quantity, daysSupply: l.days_supply, scope: l.scope, fundPayFen: Number(l.fund_pay_fen) });
  for (const r of registrations.rows) of(r.person_id).registrations.push({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to });
  for (const r of contracts.rows)
    of(r.person_id).contracts.push({ id: r.id, teamId: r.team_id, teamName: '', startDate: r.start_date, endDate: r.end_date, status: r.status, terminatedOn: r.terminated_on });
  for (const r of visits.rows) of(r.person_id).followUpVisits.push(r.visit_date);
  const prescriptionMeta = new Map<string, PrescriptionMeta>();
  const byRx = new Map<string, AuditPrescription>();
  for (const r of prescriptions.rows) {
    const rx: AuditPrescription = { id: r.id, writtenOn: r.written_on, origin: r.origin, institutionId: r.institution_id, doctorId: r.doctor_id, lines: [], dispensedFundPayFen: {} };
    byRx.set(r.id, rx);
    of(r.person_id).prescriptions.push(rx);
    prescriptionMeta.set(r.id, { countyCode: r.county_code, insuranceType: r.insurance_type });
  }
  for (const l of rxLines.rows)
    byRx.get(l.prescription_id)?.lines.push({ lineNo: l.line_no, drugCode: l.drug_code, doseMilli: l.dose_milli, frequency: l.frequency, daysSupply: l.days_supply });
  for (const d of dispensed.rows) {
    const rx = byRx.get(d.prescription_id);
    if (rx) rx.dispensedFundPayFen[d.drug_code] = Number(d.fund_pay_fen);
  }
  return { persons: [...persons.values()], claimMeta, prescriptionMeta, claimsInRange, prescriptionsInRange: prescriptions.rows.length };
}

/** Per doctor and day from `from` to `to`: the claims their prescriptions were dispensed on, and those another rule flagged (not dismissed). */
export async function doctorDays(db: Database, from: string, to: string) {
  const { rows } = await sql<{ doctor_id: string; institution_id: string; level: string; service_date: string; claims: number; flagged: number; flagged_fund_pay_fen: number; flagged_claim_ids: string[] }>`
    select p.doctor_id, p.institution_id, i.level, ${day('c.service_date')} as service_date, count(*)::int as claims,
      (count(*) filter (where f.flagged))::int as flagged,
      coalesce(sum(c.fund_pay_fen) filter (where f.flagged), 0)::bigint as flagged_fund_pay_fen,
      coalesce(array_agg(c.id::text) filter (where f.flagged), '{}') as flagged_claim_ids
    from claim c
    join dispense d on d.person_id = c.person_id and d.claim_id = c.id
    join prescription p on p.person_id = d.person_id and p.id = d.prescription_id
    join institution i on i.id = p.institution_id
    cross join lateral (select exists (select 1 from audit_finding af where af.claim_id = c.id and af.status <> 'dismissed' and af.rule_code <> 'prescriber_outlier') as flagged) f
    where c.status = 'settled' and c.service_date between ${from}::date and ${to}::date
    group by 1, 2, 3, 4`.execute(db);
  return rows.map((r) => ({
    doctorId: r.doctor_id, institutionId: r.institution_id, level: r.level, serviceDate: r.service_date, claims: r.claims, flagged: r.flagged,
    flaggedFundPayFen: Number(r.flagged_fund_pay_fen), flaggedClaimIds: r.flagged_claim_ids,
  }));
}
