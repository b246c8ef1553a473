// How a referral is shown: its two sides, the appointment and the priorities given, how long it waited,
// the current medication it carried up, and for a down-referral the prescription to continue with its
// follow-up due date and the overdue flag. Lists leave out the history, the medication and the summary.
import { ageOn, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import { followUpOverdue, waitingTime } from '../../engine/referral/rules';
import { IN_FORCE } from '../../engine/referral/status';
import { seesFullIdNumber, type AuthUser } from '../../core/user';
import { drugCatalogue } from '../prescriptions/service';
import type { ReferralHead } from './queries';
import type * as q from './queries';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function referralItem(r: ReferralHead, user: AuthUser, now: Date) {
  const today = shanghaiDate(now);
  const answeredAt = r.accepted_at ?? r.declined_at;
  return {
    id: r.id,
    referralNo: r.referral_no,
    direction: r.direction,
    status: r.status,
    /** the receiving side may read the patient's record (the access table's referred_here) */
    inForce: IN_FORCE[r.direction].includes(r.status),
    urgency: r.urgency,
    person: {
      id: r.person_id, name: r.person_name, sex: r.sex, age: ageOn(r.birth_date, today),
      idNumber: seesFullIdNumber(user, r.person_id) ? r.id_number : maskResidentId(r.id_number),
    },
    from: { institution: r.from_institution!, team: r.from_team, by: r.from_user_name ?? '' },
    to: { institution: r.to_institution, team: r.to_team },
    reason: r.reason,
    department: r.department,
    requestedDate: r.requested_date,
    appointment: r.appointment_date ? { date: r.appointment_date, department: r.appointment_department ?? r.department ?? '' } : null,
    priorities: r.priorities,
    followupVisitId: r.followup_visit_id,
    upReferralId: r.up_referral_id,
    discharge: r.direction === 'down'
      ? {
          date: r.discharge_date!, summary: r.discharge_summary!, sourcePrescriptionNo: r.source_prescription_no,
          continueLines: r.continue_lines.map((l) => ({
            drugCode: l.drug_code, drugName: drugCatalogue().get(l.drug_code)?.genericNameZh ?? l.drug_code, dose: l.dose_milli / 1000,
            frequency: l.frequency, daysSupply: l.days_supply, quantity: l.quantity,
          })),
          followUpDue: r.follow_up_due!,
          followedUp: r.followed_up_visit_id ? { visitId: r.followed_up_visit_id, on: r.followed_up_on! } : null,
          // a declined one is no longer the team's to follow up
          overdue: r.status !== 'declined' && followUpOverdue(r.follow_up_due!, r.followed_up_on, today),
          extendedPrescriptionId: r.extended_prescription_id,
        }
      : null,
    requestedAt: iso(r.requested_at)!,
    acceptedAt: iso(r.accepted_at),
    declinedAt: iso(r.declined_at),
    declineReason: r.decline_reason,
    attendedAt: iso(r.attended_at),
    completedAt: iso(r.completed_at),
    expiresOn: r.status === 'requested' || r.status === 'accepted' ? r.expires_on : null,
    waiting: waitingTime(new Date(r.requested_at), answeredAt ? new Date(answeredAt) : null, now),
  };
}

export function referralView(r: ReferralHead, events: Awaited<ReturnType<typeof q.eventsOf>>, user: AuthUser, now: Date) {
  return {
    ...referralItem(r, user, now),
    clinicalSummary: r.clinical_summary,
    prescriptions: r.prescriptions,
    history: events.map((e) => ({ at: iso(e.at)!, action: e.action, from: e.from_status, to: e.to_status, reason: e.reason, by: e.by ?? null, detail: e.detail ?? null })),
  };
}
export type ReferralView = ReturnType<typeof referralView>;
