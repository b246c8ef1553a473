// How a prescription is shown: its lines with what is left to fill, the findings of its review, the
// places that dispensed it (with their settlement numbers) and its history of states.
import { shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import { seesFullIdNumber, type AuthUser } from '../../core/user';
import { type Drug, loadDrugs } from '../reference/service';
import * as q from './queries';

let drugs: Map<string, Drug> | undefined;
export const drugCatalogue = () => (drugs ??= new Map(loadDrugs().map((d) => [d.code, d])));

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** approved / partly dispensed past its validity is expired, whether or not the status says so yet. */
export function statusOn(p: Pick<q.PrescriptionRow, 'status' | 'valid_until'>, today: string) {
  return (p.status === 'approved' || p.status === 'partly_dispensed') && p.valid_until < today ? 'expired' : p.status;
}

export function lineOut(l: q.LineRow) {
  const drug = drugCatalogue().get(l.drug_code)!;
  return {
    lineNo: l.line_no, drugCode: l.drug_code, drugName: drug.genericNameZh, drugNameEn: drug.genericNameEn, strength: drug.strength,
    unit: drug.unit, packSize: drug.packSize, dose: l.dose_milli / 1000, frequency: l.frequency, daysSupply: l.days_supply,
    quantity: l.quantity, dispensedQuantity: l.dispensed_quantity, remainingQuantity: l.quantity - l.dispensed_quantity,
  };
}

/** The prescription with its patient, doctor and the three institutions it names, in one read. */
function headOf(db: Database, id: string) {
  const place = (alias: 'i' | 'f' | 's') => sql<{ id: string; code: string; name: string; level: string } | null>`
    case when ${sql.ref(`${alias}.id`)} is null then null else json_build_object('id', ${sql.ref(`${alias}.id`)}, 'code', ${sql.ref(`${alias}.code`)}, 'name', ${sql.ref(`${alias}.name`)}, 'level', ${sql.ref(`${alias}.level`)}) end`;
  return db.selectFrom('prescription as p')
    .innerJoin('person as pe', 'pe.id', 'p.person_id')
    .leftJoin('app_user as u', 'u.id', 'p.doctor_id')
    .innerJoin('institution as i', 'i.id', 'p.institution_id')
    .innerJoin('institution as f', 'f.id', 'p.fill_institution_id')
    .leftJoin('institution as s', 's.id', 'p.source_institution_id')
    .selectAll('p')
    .select(['pe.name as person_name', 'pe.sex', 'pe.id_number', 'pe.insurance_type', 'u.display_name as doctor_name'])
    .select([place('i').as('writing'), place('f').as('filling'), place('s').as('source')])
    .where('p.id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function prescriptionView(db: Database, id: string, user: AuthUser, now: Date) {
  const p = await headOf(db, id);
  const [lines, events, dispenses, deliveries] = await Promise.all([
    q.linesOf(db, p.person_id, [p.id]),
    q.eventsOf(db, p.person_id, p.id),
    q.dispensesOf(db, p.person_id, p.id),
    db.selectFrom('delivery_order').select(['id', 'status', 'dispense_id', 'created_at', 'finished_at', 'failure_reason']).where('person_id', '=', p.person_id).where('prescription_id', '=', p.id).execute(),
  ]);
  return {
    id: p.id,
    prescriptionNo: p.prescription_no,
    origin: p.origin,
    status: statusOn(p, shanghaiDate(now)),
    person: { id: p.person_id, name: p.person_name, sex: p.sex, idNumber: seesFullIdNumber(user, p.person_id) ? p.id_number : maskResidentId(p.id_number), insuranceType: p.insurance_type },
    institution: p.writing!,
    teamId: p.team_id,
    doctor: p.doctor_name ?? '',
    writtenOn: p.written_on,
    validUntil: p.valid_until,
    daysSupply: p.days_supply,
    stableReason: p.stable_reason,
    renewalOf: p.renewal_of,
    source: p.source_prescription_no ? { prescriptionNo: p.source_prescription_no, institution: p.source } : null,
    fillPlace: p.fill_place,
    fillInstitution: p.filling!,
    deliveryAddress: p.delivery_address,
    findings: p.findings as unknown[],
    reviewNote: p.review_note,
    overrideReason: p.override_reason,
    reviewedAt: iso(p.reviewed_at),
    submittedAt: iso(p.submitted_at),
    approvedAt: iso(p.approved_at),
    lines: lines.map(lineOut),
    dispenses: dispenses.map((d) => ({
      id: d.id, status: d.status, delivery: d.delivery, dispensedAt: iso(d.dispensed_at)!, returnedAt: iso(d.returned_at), returnReason: d.return_reason,
      institution: { id: d.institution_id, name: d.institution_name }, by: d.dispensed_by_name ?? '', claimId: d.claim_id, settlementNo: d.settlement_no,
      amountFen: Number(d.amount_fen), fundPayFen: Number(d.fund_pay_fen), lines: d.lines,
    })),
    deliveries: deliveries.map((d) => ({ id: d.id, status: d.status, dispenseId: d.dispense_id, createdAt: iso(d.created_at)!, finishedAt: iso(d.finished_at), failureReason: d.failure_reason })),
    history: events.map((e) => ({ at: iso(e.at)!, action: e.action, from: e.from_status, to: e.to_status, reason: e.reason, by: e.by ?? null, detail: e.detail ?? null })),
  };
}
export type PrescriptionView = Awaited<ReturnType<typeof prescriptionView>>;
