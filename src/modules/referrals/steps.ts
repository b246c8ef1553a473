// One step of a referral's state machine under the row's lock, with its history row and audit row: the
// one way a referral's status changes (the daily upkeep's expiry and follow-up are the set-based twin,
// upkeep.ts).
import { nextStatus, type ReferralAction } from '../../engine/referral/status';
import type { Database } from '../../db/connect';
import type { ReferralStatus, ReferralTable } from '../../db/schema';
import type { Updateable } from 'kysely';
import { type Actor, writeAudit } from '../../core/audit';
import { conflict } from '../../core/problem';

/** Refused as a 409 naming the state and what it allows. */
export function refuseStep(direction: 'up' | 'down', from: ReferralStatus, action: ReferralAction): never {
  const r = nextStatus(direction, from, action);
  const allowed = r.ok ? [] : r.refusal.allowed;
  throw conflict('referral_state', `A ${from} ${direction}-referral cannot ${action.replace('_', ' ')} (allowed: ${allowed.join(', ') || 'nothing'})`);
}

export async function stepReferral(
  trx: Database, actor: Actor, ref: { id: string; person_id: string }, action: ReferralAction, at: Date,
  set: Updateable<ReferralTable>, reason: string | null = null, detail?: Record<string, unknown>,
): Promise<ReferralStatus> {
  const locked = await trx.selectFrom('referral').select(['status', 'direction']).where('person_id', '=', ref.person_id).where('id', '=', ref.id).forUpdate().executeTakeFirstOrThrow();
  const r = nextStatus(locked.direction, locked.status, action);
  if (!r.ok) refuseStep(locked.direction, locked.status, action);
  await trx.updateTable('referral').set({ ...set, status: r.to }).where('person_id', '=', ref.person_id).where('id', '=', ref.id).execute();
  await trx.insertInto('referral_event').values({
    person_id: ref.person_id, referral_id: ref.id, at, user_id: actor.user.id || null, action, from_status: locked.status, to_status: r.to, reason,
    detail: detail === undefined ? null : JSON.stringify(detail),
  }).execute();
  await writeAudit(trx, actor, [{ action: 'update', entity: 'referral', entityId: ref.id, personId: ref.person_id, detail: { [action]: reason ?? true } }]);
  return r.to;
}
