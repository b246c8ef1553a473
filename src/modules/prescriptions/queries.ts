// Reads of prescriptions and of the facts their rules need. A bare id is found through the primary
// key (id, person_id); every statement after it names the person (docs/scale.md).
import { sql } from 'kysely';
import type { Database } from '../../db/connect';

export function findPrescription(db: Database, id: string) {
  return db.selectFrom('prescription').selectAll().where('id', '=', id).executeTakeFirst();
}
export type PrescriptionRow = NonNullable<Awaited<ReturnType<typeof findPrescription>>>;

export function linesOf(db: Database, personId: string, prescriptionIds: string[]) {
  if (!prescriptionIds.length) return Promise.resolve([]);
  return db.selectFrom('prescription_line').selectAll().where('person_id', '=', personId).where('prescription_id', 'in', prescriptionIds)
    .orderBy('prescription_id').orderBy('line_no').execute();
}
export type LineRow = Awaited<ReturnType<typeof linesOf>>[number];

export function eventsOf(db: Database, personId: string, prescriptionId: string) {
  return db.selectFrom('prescription_event as e').leftJoin('app_user as u', 'u.id', 'e.user_id')
    .select(['e.at', 'e.action', 'e.from_status', 'e.to_status', 'e.reason', 'e.detail', 'u.display_name as by', 'u.role as by_role'])
    .where('e.person_id', '=', personId).where('e.prescription_id', '=', prescriptionId).orderBy('e.at').orderBy('e.id').execute();
}

/** A prescription's dispenses with their claims' numbers and amounts, and the batches each handed over. */
export function dispensesOf(db: Database, personId: string, prescriptionId: string) {
  return db.selectFrom('dispense as d').innerJoin('institution as i', 'i.id', 'd.institution_id')
    .innerJoin('claim as c', (j) => j.onRef('c.person_id', '=', 'd.person_id').onRef('c.id', '=', 'd.claim_id'))
    .leftJoin('app_user as u', 'u.id', 'd.dispensed_by')
    .select(['d.id', 'd.status', 'd.delivery', 'd.dispensed_at', 'd.returned_at', 'd.return_reason', 'd.claim_id', 'c.settlement_no', 'c.amount_fen', 'c.fund_pay_fen',
      'i.id as institution_id', 'i.name as institution_name', 'u.display_name as dispensed_by_name'])
    .select(sql<Array<{ prescriptionLineNo: number; drugCode: string; batchNo: string; expiryDate: string; quantity: number }>>`(
      select coalesce(json_agg(json_build_object('prescriptionLineNo', l.prescription_line_no, 'drugCode', l.drug_code, 'batchNo', l.batch_no,
        'expiryDate', l.expiry_date, 'quantity', l.quantity) order by l.line_no), '[]')
      from dispense_line l where l.person_id = d.person_id and l.dispense_id = d.id)`.as('lines'))
    .where('d.person_id', '=', personId).where('d.prescription_id', '=', prescriptionId).orderBy('d.dispensed_at').execute();
}

/** The facts the pre-check and the renewal rules read about a person on a date. */
export async function personFacts(db: Database, personId: string, supplySince: string) {
  const [person, registrations, contracts, lastVisit, supply] = await Promise.all([
    db.selectFrom('person').select(['id', 'name', 'sex', 'birth_date', 'id_number', 'insurance_type', 'region_code', 'phone', 'address']).where('id', '=', personId).executeTakeFirst(),
    db.selectFrom('registration').select(['disease_code', 'effective_from', 'effective_to']).where('person_id', '=', personId).execute(),
    db.selectFrom('contract as c').innerJoin('family_doctor_team as t', 't.id', 'c.team_id')
      .select(['c.id', 'c.team_id', 't.name as team_name', 'c.status', 'c.start_date', 'c.end_date', 'c.terminated_on', 't.institution_id']).where('c.person_id', '=', personId).execute(),
    db.selectFrom('followup_visit').select(sql<string>`max(visit_date)::text`.as('last')).where('person_id', '=', personId).executeTakeFirst(),
    // every settled purchase of a drug is supply the patient has, wherever it was dispensed
    db.selectFrom('claim_line as l').innerJoin('claim as c', (j) => j.onRef('c.person_id', '=', 'l.person_id').onRef('c.id', '=', 'l.claim_id'))
      .innerJoin('institution as i', 'i.id', 'c.institution_id')
      .select(['l.drug_code', 'c.service_date', 'l.days_supply', 'i.name as place', 'c.id as claim_id'])
      .where('l.person_id', '=', personId).where('c.status', '=', 'settled').where('c.service_date', '>=', supplySince)
      .orderBy('c.service_date').execute(),
  ]);
  return { person, registrations, contracts, lastVisitDate: lastVisit?.last ?? null, supply };
}

/** A person's prescriptions, newest first (the chart, the patient's page). */
export function personPrescriptions(db: Database, personId: string, limit: number) {
  return db.selectFrom('prescription as p').innerJoin('institution as i', 'i.id', 'p.institution_id')
    .innerJoin('institution as f', 'f.id', 'p.fill_institution_id').leftJoin('app_user as u', 'u.id', 'p.doctor_id')
    .select(['p.id', 'p.prescription_no', 'p.origin', 'p.status', 'p.written_on', 'p.valid_until', 'p.days_supply', 'p.fill_place',
      'i.name as institution_name', 'f.name as fill_institution_name', 'u.display_name as doctor_name'])
    .where('p.person_id', '=', personId).orderBy('p.written_on', 'desc').orderBy('p.created_at', 'desc').limit(limit).execute();
}

/** The county's review queue (区域审方: a pharmacist reviews the prescriptions written in their institution's county), oldest first: what is waiting, and what a colleague has opened. */
export function reviewQueue(db: Database, county: string, limit: number, offset: number) {
  return db.selectFrom('prescription as p').innerJoin('person as pe', 'pe.id', 'p.person_id').innerJoin('institution as i', 'i.id', 'p.institution_id')
    .leftJoin('app_user as u', 'u.id', 'p.doctor_id').leftJoin('app_user as r', 'r.id', 'p.reviewed_by')
    .select(['p.id', 'p.person_id', 'p.prescription_no', 'p.origin', 'p.status', 'p.written_on', 'p.days_supply', 'p.submitted_at', 'p.findings', 'p.fill_place',
      'pe.name as person_name', 'pe.id_number', 'i.name as institution_name', 'u.display_name as doctor_name', 'r.display_name as reviewer_name'])
    .where('p.county_code', '=', county).where('p.status', 'in', ['submitted', 'under_review'])
    .orderBy('p.submitted_at').limit(limit).offset(offset).execute();
}

export async function reviewQueueCount(db: Database, county: string) {
  const row = await db.selectFrom('prescription').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('county_code', '=', county).where('status', 'in', ['submitted', 'under_review']).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A place's queue of approved prescriptions to fill (云处方), oldest approval first, still valid. */
export function fillQueue(db: Database, institutionId: string, today: string, limit: number) {
  return db.selectFrom('prescription as p').innerJoin('person as pe', 'pe.id', 'p.person_id').innerJoin('institution as i', 'i.id', 'p.institution_id')
    .select(['p.id', 'p.person_id', 'p.prescription_no', 'p.origin', 'p.status', 'p.written_on', 'p.valid_until', 'p.days_supply', 'p.approved_at', 'p.fill_place',
      'p.delivery_address', 'pe.name as person_name', 'pe.id_number', 'i.name as institution_name'])
    .where('p.fill_institution_id', '=', institutionId).where('p.status', 'in', ['approved', 'partly_dispensed']).where('p.valid_until', '>=', today)
    .orderBy('p.approved_at').limit(limit).execute();
}
