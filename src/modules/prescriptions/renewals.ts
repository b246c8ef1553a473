// The patient's online renewal request (线上续方申请): it goes to the queue of the team they are
// contracted with; the doctor renews (write.ts, origin 'renewal' with the request's id) or declines
// with a reason. The renewal's own checks (复诊核验, early refill) apply when the doctor writes it.
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { conflict, forbidden, notFound } from '../../core/problem';
import { shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import * as q from './queries';

/** A prescription may be asked to be renewed once it has been filled (in part at least). */
const RENEWABLE = ['approved', 'partly_dispensed', 'dispensed', 'expired'];

export async function requestRenewal(ctx: AppContext, actor: Actor, prescriptionId: string, note: string | null) {
  const p = await q.findPrescription(ctx.db, prescriptionId);
  await requireAccess(ctx, actor, 'renewal.request', { personId: p?.person_id ?? null });
  if (!p) throw notFound('No such prescription');
  if (!RENEWABLE.includes(p.status)) throw conflict('not_renewable', `A ${p.status} prescription cannot be renewed`);
  const today = shanghaiDate(ctx.now());
  const contract = await ctx.db.selectFrom('contract').select('team_id').where('person_id', '=', p.person_id).where('status', '=', 'active')
    .where('start_date', '<=', today).where('end_date', '>=', today).executeTakeFirst();
  if (!contract) throw conflict('not_contracted', 'A renewal request goes to your family-doctor team: you have no contract in force');
  const open = await ctx.db.selectFrom('renewal_request').select('id').where('person_id', '=', p.person_id).where('prescription_id', '=', p.id).where('status', '=', 'open').executeTakeFirst();
  if (open) throw conflict('renewal_already_requested', 'This prescription already has an open renewal request');
  const row = await ctx.db.insertInto('renewal_request').values({ person_id: p.person_id, prescription_id: p.id, team_id: contract.team_id, note, requested_at: ctx.now() })
    .returning('id').executeTakeFirstOrThrow();
  await writeAudit(ctx.db, actor, [{ action: 'create', entity: 'renewal_request', entityId: row.id, personId: p.person_id }]);
  return { id: row.id, status: 'open' as const };
}

/** The patient's own requests and how they stand. */
export async function myRenewalRequests(ctx: AppContext, actor: Actor) {
  const personId = actor.user.personId;
  await requireAccess(ctx, actor, 'renewal.request', { personId });
  if (!personId) throw forbidden();
  const rows = await ctx.db.selectFrom('renewal_request as r').innerJoin('prescription as p', (j) => j.onRef('p.person_id', '=', 'r.person_id').onRef('p.id', '=', 'r.prescription_id'))
    .select(['r.id', 'r.status', 'r.note', 'r.requested_at', 'r.handled_at', 'r.decline_reason', 'r.renewal_id', 'p.prescription_no', 'p.id as prescription_id'])
    .where('r.person_id', '=', personId).orderBy('r.requested_at', 'desc').limit(50).execute();
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'renewal_request', personId }]);
  return rows.map(requestOut);
}

const requestOut = (r: { id: string; status: string; note: string | null; requested_at: Date; handled_at: Date | null; decline_reason: string | null; renewal_id: string | null; prescription_no: string; prescription_id: string }) => ({
  id: r.id, status: r.status, note: r.note, requestedAt: new Date(r.requested_at).toISOString(), handledAt: r.handled_at ? new Date(r.handled_at).toISOString() : null,
  declineReason: r.decline_reason, renewalId: r.renewal_id, prescriptionId: r.prescription_id, prescriptionNo: r.prescription_no,
});

/** The team's open requests, oldest first. */
export async function teamRenewalRequests(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'renewal.handle', { teamId: actor.user.teamId });
  const rows = await ctx.db.selectFrom('renewal_request as r').innerJoin('prescription as p', (j) => j.onRef('p.person_id', '=', 'r.person_id').onRef('p.id', '=', 'r.prescription_id'))
    .innerJoin('person as pe', 'pe.id', 'r.person_id')
    .select(['r.id', 'r.status', 'r.note', 'r.requested_at', 'r.handled_at', 'r.decline_reason', 'r.renewal_id', 'p.prescription_no', 'p.id as prescription_id', 'r.person_id', 'pe.name', 'pe.id_number'])
    .where('r.team_id', '=', actor.user.teamId!).where('r.status', '=', 'open').orderBy('r.requested_at').limit(200).execute();
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'renewal_request', entityId: actor.user.teamId }]);
  return rows.map((r) => ({ ...requestOut(r), personId: r.person_id, personName: r.name, idNumber: maskResidentId(r.id_number) }));
}

export async function declineRenewal(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const r = await ctx.db.selectFrom('renewal_request').select(['person_id', 'team_id', 'status']).where('id', '=', id).executeTakeFirst();
  await requireAccess(ctx, actor, 'renewal.handle', { teamId: r?.team_id ?? null, personId: r?.person_id ?? null });
  if (!r) throw notFound('No such renewal request');
  const done = await ctx.db.updateTable('renewal_request').set({ status: 'declined', decline_reason: reason, handled_by: actor.user.id, handled_at: ctx.now() })
    .where('person_id', '=', r.person_id).where('id', '=', id).where('status', '=', 'open').returning('id').executeTakeFirst();
  if (!done) throw conflict('renewal_request_not_open', 'The renewal request is no longer open');
  await writeAudit(ctx.db, actor, [{ action: 'update', entity: 'renewal_request', entityId: id, personId: r.person_id, detail: { decline: reason } }]);
}
