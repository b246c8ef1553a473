// A batch of persons' records read from the database and written as FHIR R4 resources (src/engine/fhir/out),
// for the bulk export of a county and for one patient's $everything alike. A batch is read in a fixed number
// of queries whatever its size (one per kind of record), so the export's memory is the batch's, not the county's.
// Each query starts from an index on the person (the line tables through their header's): a batch reads its
// persons' rows, never a scan of the table.
import { createHash } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import { careTeamOf, conditionOf, coverageOf, patientOf, type ContractRow } from '../../engine/fhir/out/person';
import { observationOf, readingsOfVisit, type ReadingRow } from '../../engine/fhir/out/observations';
import { medicationDispenseOf, medicationRequestOf, outsideMedicationOf, type DrugRef } from '../../engine/fhir/out/medications';
import { explanationOfBenefitOf, organizationOf, practitionerOf, serviceRequestOf, type ClaimRow } from '../../engine/fhir/out/care';
import { maskResidentId } from '../../engine/identity/residentId';
import type { ReadingKind } from '../../engine/fhir/readings';

/** The resource types of an export, in the order their files are listed. */
export const EXPORT_TYPES = ['Patient', 'Coverage', 'CareTeam', 'Condition', 'Observation', 'MedicationRequest', 'MedicationDispense', 'ServiceRequest', 'ExplanationOfBenefit', 'Organization', 'Practitioner'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

/** An imported row's key (person, source system, source id) as a FHIR id part: 40 hex characters, the same each time. */
const keyOf = (...parts: string[]) => createHash('sha1').update(parts.join('\u0000')).digest('hex');
const instant = (d: string | Date) => (typeof d === 'string' ? new Date(d) : d).toISOString();
const drugOf = (r: { drug_code: string; drug_name: string; drug_atc: string; drug_unit: string }): DrugRef => ({ code: r.drug_code, name: r.drug_name, atc: r.drug_atc, unit: r.drug_unit });
const MODES: Record<string, string> = { clinic: '门诊', home: '家庭', phone: '电话', online: '网络' };

export interface Batch {
  resources: Resource[];
  /** Institutions and staff the batch's resources refer to: written once, at the end of an export. */
  organizations: Set<string>;
  practitioners: Set<string>;
}

/** The records of these persons as resources; `masked`: the resident ID as a caller who sees masked numbers sees it (the chart shows the phone to whoever may read it). */
export async function recordsOf(db: Database, personIds: string[], masked: boolean): Promise<Batch> {
  const out: Batch = { resources: [], organizations: new Set(), practitioners: new Set() };
  if (!personIds.length) return out;
  const ids = sql`(${sql.join(personIds.map((id) => sql`${id}::uuid`))})`;
  const q = <T>(query: ReturnType<typeof sql<T>>) => query.execute(db).then((r) => r.rows);
  const [people, conditions, visits, checks, imported, contracts, lines, outside, dispenses, referrals, claims, claimLines] = await Promise.all([
    q(sql<{ id: string; name: string; sex: 'male' | 'female'; birth_date: string; id_number: string; phone: string | null; region_code: string; region_name: string; county_name: string | null; address: string | null; insurance_type: 'resident' | 'employee'; insured_since: string; death_date: string | null }>`
      select p.id, p.name, p.sex, p.birth_date::text as birth_date, p.id_number, p.phone, p.region_code, r.name as region_name, c.name as county_name, p.address,
        p.insurance_type, p.insured_since::text as insured_since, p.death_date::text as death_date
      from person p join region r on r.code = p.region_code left join region c on c.code = left(p.region_code, 6) where p.id in ${ids} order by p.id`),
    q(sql<{ person_id: string; disease_code: string; name_zh: string; diagnosed_on: string; source: string; recorded_at: Date }>`
      select c.person_id, c.disease_code, d.name_zh, c.diagnosed_on::text as diagnosed_on, c.source, c.recorded_at
      from person_condition c join disease d on d.code = c.disease_code where c.person_id in ${ids} order by c.person_id, c.disease_code`),
    q(sql<VisitReadings & { mode: string }>`
      select id, person_id, visit_date::text as date, mode, systolic, diastolic, heart_rate, weight_tenths_kg, height_tenths_cm, bmi_tenths, fasting_glucose_tenths, hba1c_tenths
      from followup_visit where person_id in ${ids} order by person_id, visit_date, id`),
    q(sql<VisitReadings>`
      select id, person_id, check_date::text as date, systolic, diastolic, heart_rate, weight_tenths_kg, height_tenths_cm, bmi_tenths, fasting_glucose_tenths, hba1c_tenths
      from health_check where person_id in ${ids} order by person_id, check_date, id`),
    q(sql<{ person_id: string; source_system: string; source_id: string; kind: ReadingKind; reading_date: string; value: number; value2: number | null }>`
      select person_id, source_system, source_id, kind, reading_date::text as reading_date, value, value2
      from imported_reading where person_id in ${ids} order by person_id, reading_date, source_id`),
    q(sql<{ id: string; person_id: string; team_name: string; institution_id: string; start_date: string; end_date: string; status: ContractRow['status']; members: ContractRow['members'] }>`
      select k.id, k.person_id, t.name as team_name, t.institution_id, k.start_date::text as start_date, k.end_date::text as end_date, k.status,
        (select coalesce(json_agg(json_build_object('practitionerId', m.practitioner_id, 'name', pr.name, 'role', m.member_role) order by m.member_role, pr.name), '[]')
         from team_member m join practitioner pr on pr.id = m.practitioner_id where m.team_id = k.team_id) as members
      from contract k join family_doctor_team t on t.id = k.team_id where k.person_id in ${ids} order by k.person_id, k.start_date`),
    q(sql<{ prescription_id: string; prescription_no: string; line_no: number; person_id: string; status: string; written_on: string; valid_until: string; doctor_practitioner_id: string | null; doctor_name: string; fill_institution_id: string; drug_code: string; drug_name: string; drug_atc: string; drug_unit: string; dose_milli: number; frequency: string; days_supply: number; quantity: number }>`
      select p.id as prescription_id, p.prescription_no, l.line_no, p.person_id, p.status, p.written_on::text as written_on, p.valid_until::text as valid_until,
        u.practitioner_id as doctor_practitioner_id, u.display_name as doctor_name, p.fill_institution_id, l.drug_code, d.generic_name_zh as drug_name, d.atc as drug_atc, d.unit as drug_unit, l.dose_milli, l.frequency, l.days_supply, l.quantity
      from prescription p join prescription_line l on l.prescription_id = p.id join drug d on d.code = l.drug_code join app_user u on u.id = p.doctor_id
      where p.person_id in ${ids} order by p.person_id, p.written_on, p.id, l.line_no`),
    q(sql<{ person_id: string; source_system: string; source_id: string; text: string; drug_code: string | null; drug_name: string; drug_atc: string; drug_unit: string; status: string; authored_on: string | null }>`
      select m.person_id, m.source_system, m.source_id, m.text, m.drug_code, d.generic_name_zh as drug_name, d.atc as drug_atc, d.unit as drug_unit, m.status, m.authored_on::text as authored_on
      from outside_medication m left join drug d on d.code = m.drug_code where m.person_id in ${ids} order by m.person_id, m.source_system, m.source_id`),
    q(sql<{ dispense_id: string; line_no: number; person_id: string; prescription_id: string; prescription_line_no: number; status: 'dispensed' | 'returned'; delivery: boolean; institution_id: string; dispensed_at: Date; drug_code: string; drug_name: string; drug_atc: string; drug_unit: string; batch_no: string; quantity: number; days_supply: number | null }>`
      select x.id as dispense_id, l.line_no, x.person_id, x.prescription_id, l.prescription_line_no, x.status, x.delivery, x.institution_id, x.dispensed_at,
        l.drug_code, d.generic_name_zh as drug_name, d.atc as drug_atc, d.unit as drug_unit, l.batch_no, l.quantity, pl.days_supply
      from dispense x join dispense_line l on l.dispense_id = x.id join drug d on d.code = l.drug_code
        left join prescription_line pl on pl.prescription_id = x.prescription_id and pl.line_no = l.prescription_line_no
      where x.person_id in ${ids} order by x.person_id, x.dispensed_at, x.id, l.line_no`),
    q(sql<{ id: string; referral_no: string; person_id: string; direction: 'up' | 'down'; status: string; urgency: 'urgent' | 'routine'; reason: string; from_institution_id: string; to_institution_id: string | null; requested_at: Date; appointment_date: string | null; department: string | null; clinical_summary: string | null }>`
      select id, referral_no, person_id, direction, status, urgency, reason, from_institution_id, to_institution_id, requested_at, appointment_date::text as appointment_date, department, clinical_summary
      from referral where person_id in ${ids} order by person_id, requested_at, id`),
    q(sql<{ id: string; settlement_no: string; person_id: string; institution_id: string; service_date: string; settled_at: Date; status: 'settled' | 'reversed'; amount_fen: number; fund_pay_fen: number; deductible_fen: number; copay_fen: number; over_limit_fen: number; critical_illness_fen: number }>`
      select c.id, c.settlement_no, c.person_id, c.institution_id, c.service_date::text as service_date, c.settled_at, c.status, c.amount_fen,
        (c.fund_pay_fen + coalesce((select sum(a.fund_pay_fen) from claim_adjustment a where a.person_id = c.person_id and a.claim_id = c.id), 0))::bigint as fund_pay_fen,
        c.deductible_fen, c.copay_fen, c.over_limit_fen, c.critical_illness_fen
      from claim c where c.person_id in ${ids} order by c.person_id, c.service_date, c.id`),
    q(sql<{ claim_id: string; line_no: number; drug_code: string; drug_name: string; drug_atc: string; drug_unit: string; quantity: number; unit_price_fen: number; amount_fen: number }>`
      select l.claim_id, l.line_no, l.drug_code, d.generic_name_zh as drug_name, d.atc as drug_atc, d.unit as drug_unit, l.quantity, l.unit_price_fen, l.amount_fen
      from claim c join claim_line l on l.claim_id = c.id and l.person_id = c.person_id join drug d on d.code = l.drug_code
      where c.person_id in ${ids} order by l.claim_id, l.line_no`),
  ]);

  const push = (r: Resource) => out.resources.push(r);
  const org = (id: string | null) => id && out.organizations.add(id);
  for (const p of people) {
    const row = {
      id: p.id, name: p.name, sex: p.sex, birthDate: p.birth_date, idNumber: masked ? maskResidentId(p.id_number) : p.id_number,
      phone: p.phone, regionName: p.region_name,
      address: p.address, insuranceType: p.insurance_type, insuredSince: p.insured_since, deathDate: p.death_date,
    };
    push(patientOf(row, masked));
    push(coverageOf(row, `${p.county_name ?? p.region_code}医疗保障局`));
  }
  for (const k of contracts) {
    push(careTeamOf({ id: k.id, personId: k.person_id, teamName: k.team_name, institutionId: k.institution_id, startDate: k.start_date, endDate: k.end_date, status: k.status, members: k.members }));
    org(k.institution_id);
    for (const m of k.members) out.practitioners.add(m.practitionerId);
  }
  for (const c of conditions) push(conditionOf({ personId: c.person_id, disease: c.disease_code, diseaseName: c.name_zh, diagnosedOn: c.diagnosed_on, source: c.source, recordedAt: instant(c.recorded_at) }));
  const readings: ReadingRow[] = [
    ...visits.flatMap((v) => readingsOfVisit(visitRow(v, `随访（${MODES[v.mode] ?? v.mode}）`))),
    ...checks.flatMap((v) => readingsOfVisit(visitRow(v, '年度健康体检'))),
    ...imported.map((r) => ({ personId: r.person_id, rowId: `imp.${keyOf(r.person_id, r.source_system, r.source_id)}`, kind: r.kind, date: r.reading_date, value: r.value, value2: r.value2, origin: `导入自 ${r.source_system}` })),
  ];
  for (const r of readings) push(observationOf(r));
  for (const l of lines) {
    push(medicationRequestOf({
      prescriptionId: l.prescription_id, prescriptionNo: l.prescription_no, lineNo: l.line_no, personId: l.person_id, status: l.status, writtenOn: l.written_on, validUntil: l.valid_until,
      doctor: { practitionerId: l.doctor_practitioner_id, name: l.doctor_name }, institutionId: l.fill_institution_id, drug: drugOf(l), doseMilli: l.dose_milli, frequency: l.frequency, daysSupply: l.days_supply, quantity: l.quantity,
    }));
    org(l.fill_institution_id);
    if (l.doctor_practitioner_id) out.practitioners.add(l.doctor_practitioner_id);
  }
  for (const m of outside) {
    push(outsideMedicationOf({ personId: m.person_id, key: keyOf(m.person_id, m.source_system, m.source_id), text: m.text, drug: m.drug_code ? drugOf({ ...m, drug_code: m.drug_code }) : null, status: m.status, authoredOn: m.authored_on, sourceSystem: m.source_system }));
  }
  for (const d of dispenses) {
    push(medicationDispenseOf({
      dispenseId: d.dispense_id, lineNo: d.line_no, personId: d.person_id, prescriptionId: d.prescription_id, prescriptionLineNo: d.prescription_line_no, status: d.status, delivery: d.delivery,
      institutionId: d.institution_id, dispensedAt: instant(d.dispensed_at), drug: drugOf(d), batchNo: d.batch_no, quantity: d.quantity, daysSupply: d.days_supply,
    }));
    org(d.institution_id);
  }
  for (const r of referrals) {
    push(serviceRequestOf({
      id: r.id, referralNo: r.referral_no, personId: r.person_id, direction: r.direction, status: r.status, urgency: r.urgency, reason: r.reason, fromInstitutionId: r.from_institution_id,
      toInstitutionId: r.to_institution_id, requestedAt: instant(r.requested_at), appointmentDate: r.appointment_date, department: r.department, clinicalSummary: r.clinical_summary,
    }));
    org(r.from_institution_id);
    org(r.to_institution_id);
  }
  const linesOf = new Map<string, ClaimRow['lines']>();
  for (const l of claimLines) {
    const list = linesOf.get(l.claim_id) ?? linesOf.set(l.claim_id, []).get(l.claim_id)!;
    list.push({ lineNo: l.line_no, drug: drugOf(l), quantity: l.quantity, unitPriceFen: Number(l.unit_price_fen), amountFen: Number(l.amount_fen) });
  }
  const countyOf = new Map(people.map((p) => [p.id, `${p.county_name ?? p.region_code}医疗保障局`]));
  for (const c of claims) {
    push(explanationOfBenefitOf({
      id: c.id, settlementNo: c.settlement_no, personId: c.person_id, institutionId: c.institution_id, serviceDate: c.service_date, settledAt: instant(c.settled_at), status: c.status,
      amountFen: Number(c.amount_fen), fundPayFen: Number(c.fund_pay_fen), deductibleFen: Number(c.deductible_fen), copayFen: Number(c.copay_fen), overLimitFen: Number(c.over_limit_fen),
      criticalIllnessFen: Number(c.critical_illness_fen), lines: linesOf.get(c.id) ?? [],
    }, countyOf.get(c.person_id)!));
    org(c.institution_id);
  }
  return out;
}

interface VisitReadings {
  id: string; person_id: string; date: string; systolic: number | null; diastolic: number | null; heart_rate: number | null; weight_tenths_kg: number | null;
  height_tenths_cm: number | null; bmi_tenths: number | null; fasting_glucose_tenths: number | null; hba1c_tenths: number | null;
}
const visitRow = (v: VisitReadings, origin: string) => ({
  id: v.id, personId: v.person_id, date: v.date, origin, systolic: v.systolic, diastolic: v.diastolic, heartRate: v.heart_rate, weightTenthsKg: v.weight_tenths_kg,
  heightTenthsCm: v.height_tenths_cm, bmiTenths: v.bmi_tenths, fastingGlucoseTenths: v.fasting_glucose_tenths, hba1cTenths: v.hba1c_tenths,
});

/** The institutions and staff named, as Organizations and Practitioners (with the institutions the staff work at). */
export async function directoryOf(db: Database, organizations: Iterable<string>, practitioners: Iterable<string>): Promise<Resource[]> {
  const list = (xs: string[]) => sql`(${sql.join(xs.map((id) => sql`${id}::uuid`))})`;
  const staffIds = [...practitioners];
  const staff = staffIds.length
    ? (await sql<{ id: string; name: string; profession: string; license_no: string; institution_id: string }>`
        select id, name, profession, license_no, institution_id from practitioner where id in ${list(staffIds)} order by id`.execute(db)).rows
    : [];
  const orgIds = [...new Set([...organizations, ...staff.map((p) => p.institution_id)])];
  const orgs = orgIds.length
    ? (await sql<{ id: string; code: string; name: string; kind: string; address: string | null; phone: string | null; upper_institution_id: string | null }>`
        select id, code, name, kind, address, phone, upper_institution_id from institution where id in ${list(orgIds)} order by id`.execute(db)).rows
    : [];
  const named = new Set(orgIds);
  return [
    // partOf only where the upper institution is written too: no reference to a resource the export does not hold
    ...orgs.map((i) => organizationOf({ id: i.id, code: i.code, name: i.name, kind: i.kind, address: i.address, phone: i.phone, parentId: i.upper_institution_id && named.has(i.upper_institution_id) ? i.upper_institution_id : null })),
    ...staff.map((p) => practitionerOf({ id: p.id, name: p.name, profession: p.profession, licenceNo: p.license_no, institutionId: p.institution_id })),
  ];
}
