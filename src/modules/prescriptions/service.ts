// Prescriptions (长处方 / 连续处方 / 续方 / 延伸处方 / 云处方): what other modules and the routes use.
// Writing is in write.ts, the pharmacist's review in review.ts, renewal requests in renewals.ts.
import { shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { notFound } from '../../core/problem';
import * as q from './queries';
import { prescriptionView, statusOn } from './view';

export { drugCatalogue, prescriptionView, statusOn, type PrescriptionView } from './view';
export { findPrescription, linesOf } from './queries';
export { transition, writePrescription } from './write';

/** One prescription, as its page shows it. */
export async function getPrescription(ctx: AppContext, actor: Actor, id: string) {
  const p = await q.findPrescription(ctx.db, id);
  await requireAccess(ctx, actor, 'prescription.read', { personId: p?.person_id ?? null });
  if (!p) throw notFound('No such prescription');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'prescription', entityId: id, personId: p.person_id }]);
  return prescriptionView(ctx.db, id, actor.user, ctx.now());
}

/** A person's prescriptions, newest first, with what is left to fill. */
export async function personPrescriptions(ctx: AppContext, actor: Actor, personId: string, limit: number) {
  await requireAccess(ctx, actor, 'prescription.read', { personId });
  const today = shanghaiDate(ctx.now());
  const rows = await q.personPrescriptions(ctx.db, personId, limit);
  const lines = await q.linesOf(ctx.db, personId, rows.map((r) => r.id));
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'prescription', personId }]);
  return rows.map((r) => ({
    id: r.id, prescriptionNo: r.prescription_no, origin: r.origin, status: statusOn(r, today), writtenOn: r.written_on, validUntil: r.valid_until,
    daysSupply: r.days_supply, fillPlace: r.fill_place, institution: r.institution_name, fillInstitution: r.fill_institution_name, doctor: r.doctor_name ?? '',
    drugs: lines.filter((l) => l.prescription_id === r.id).map((l) => l.drug_code),
    remainingPacks: lines.filter((l) => l.prescription_id === r.id).reduce((s, l) => s + l.quantity - l.dispensed_quantity, 0),
  }));
}

/** A counter's queue of approved prescriptions to fill (the caller's institution). */
export async function fillQueueOf(ctx: AppContext, actor: Actor, limit: number) {
  const today = shanghaiDate(ctx.now());
  const rows = await q.fillQueue(ctx.db, actor.user.institutionId!, today, limit);
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'prescription_fill_queue', entityId: actor.user.institutionId }]);
  return rows.map((r) => ({
    id: r.id, personId: r.person_id, personName: r.person_name, idNumber: maskResidentId(r.id_number), prescriptionNo: r.prescription_no, origin: r.origin, status: r.status,
    writtenOn: r.written_on, validUntil: r.valid_until, daysSupply: r.days_supply, approvedAt: r.approved_at ? new Date(r.approved_at).toISOString() : null,
    fillPlace: r.fill_place, deliveryAddress: r.delivery_address, institution: r.institution_name,
  }));
}
