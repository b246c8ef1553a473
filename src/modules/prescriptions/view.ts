// How a prescription is shown: its lines with what is left to fill, the findings of its review, the
// places that dispensed it (with their settlement numbers) and its history of states.
import { shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
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

export async function prescriptionView(db: Database, id: string, user: AuthUser, now: Date) {
  const p = (await q.findPrescription(db, id))!;
  const today = shanghaiDate(now);
  const [person, lines, events, dispenses, places, deliveries] = await Promise.all([
    db.selectFrom('person').select(['id', 'name', 'sex', 'birth_date', 'id_number', 'insurance_type']).where('id', '=', p.person_id).executeTakeFirstOrThrow(),
    q.linesOf(db, p.person_id, [p.id]),
    q.eventsOf(db, p.person_id, p.id),
    q.dispensesOf(db, p.person_id, p.id),
    db.selectFrom('institution').select(['id', 'code', 'name', 'level']).where('id', 'in', [p.institution_id, p.fill_institution_id, ...(p.source_institution_id ? [p.source_institution_id] : [])]).execute(),
    db.selectFrom('delivery_order').select(['id', 'status', 'dispense_id', 'created_at', 'finished_at', 'failure_reason']).where('person_id', '=', p.person_id).where('prescription_id', '=', p.id).execute(),
  ]);
  const dispenseLines = await q.dispenseLinesOf(db, p.person_id, dispenses.map((d) => d.id));
  const doctor = await db.selectFrom('app_user').select('display_name').where('id', '=', p.doctor_id).executeTakeFirst();
  const place = (pid: string | null) => {
    const i = places.find((x) => x.id === pid);
    return i ? { id: i.id, code: i.code, name: i.name, level: i.level } : null;
  };
  return {
    id: p.id,
    prescriptionNo: p.prescription_no,
    origin: p.origin,
    status: statusOn(p, today),
    person: { id: person.id, name: person.name, sex: person.sex, idNumber: seesFullIdNumber(user, person.id) ? person.id_number : maskResidentId(person.id_number), insuranceType: person.insurance_type },
    institution: place(p.institution_id)!,
    teamId: p.team_id,
    doctor: doctor?.display_name ?? '',
    writtenOn: p.written_on,
    validUntil: p.valid_until,
    daysSupply: p.days_supply,
    stableReason: p.stable_reason,
    renewalOf: p.renewal_of,
    source: p.source_prescription_no ? { prescriptionNo: p.source_prescription_no, institution: place(p.source_institution_id) } : null,
    fillPlace: p.fill_place,
    fillInstitution: place(p.fill_institution_id)!,
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
      amountFen: Number(d.amount_fen), fundPayFen: Number(d.fund_pay_fen),
      lines: dispenseLines.filter((l) => l.dispense_id === d.id).map((l) => ({ prescriptionLineNo: l.prescription_line_no, drugCode: l.drug_code, batchNo: l.batch_no, expiryDate: l.expiry_date, quantity: l.quantity })),
    })),
    deliveries: deliveries.map((d) => ({ id: d.id, status: d.status, dispenseId: d.dispense_id, createdAt: iso(d.created_at)!, finishedAt: iso(d.finished_at), failureReason: d.failure_reason })),
    history: events.map((e) => ({ at: iso(e.at)!, action: e.action, from: e.from_status, to: e.to_status, reason: e.reason, by: e.by ?? null, detail: e.detail ?? null })),
  };
}
export type PrescriptionView = Awaited<ReturnType<typeof prescriptionView>>;
