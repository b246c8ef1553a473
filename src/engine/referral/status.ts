// The referral's state machine (双向转诊): requested → accepted | declined | expired; accepted → attended |
// expired; attended → completed. Up and down referrals share the states; what they mean differs (docs/
// referrals.md): for a down-referral "attended" is the team's follow-up visit after discharge. Every other
// step is refused with the state and the action named. Pure: who, when and why are the caller's.

export const REFERRAL_STATUSES = ['requested', 'accepted', 'declined', 'attended', 'completed', 'expired'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_ACTIONS = ['accept', 'decline', 'attend', 'follow_up', 'complete', 'expire'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];
export type Direction = 'up' | 'down';

/** from → action → to, per direction. Absent: refused. */
const STEPS: Readonly<Record<Direction, Record<ReferralStatus, Partial<Record<ReferralAction, ReferralStatus>>>>> = {
  up: {
    requested: { accept: 'accepted', decline: 'declined', expire: 'expired' },
    accepted: { attend: 'attended', expire: 'expired' },
    attended: { complete: 'completed' },
    declined: {},
    completed: {},
    expired: {},
  },
  // a down-referral needs no acceptance to be followed up: the visit itself is the answer; it never expires
  // (an unfollowed one is flagged overdue instead, see rules.ts)
  down: {
    requested: { accept: 'accepted', decline: 'declined', follow_up: 'attended' },
    accepted: { follow_up: 'attended' },
    attended: { complete: 'completed' },
    declined: {},
    completed: {},
    expired: {},
  },
};

/** The states in which a referral is in force: the receiving side may read and write the patient's record. */
export const IN_FORCE: Readonly<Record<Direction, readonly ReferralStatus[]>> = {
  up: ['requested', 'accepted', 'attended'],
  down: ['requested', 'accepted'],
};

export interface StepRefusal {
  rule: 'illegal_transition';
  direction: Direction;
  from: ReferralStatus;
  action: ReferralAction;
  allowed: ReferralAction[];
}

export type StepResult = { ok: true; to: ReferralStatus } | { ok: false; refusal: StepRefusal };

export function nextStatus(direction: Direction, from: ReferralStatus, action: ReferralAction): StepResult {
  const to = STEPS[direction][from]?.[action];
  if (to) return { ok: true, to };
  return { ok: false, refusal: { rule: 'illegal_transition', direction, from, action, allowed: Object.keys(STEPS[direction][from] ?? {}) as ReferralAction[] } };
}

export function allowedActions(direction: Direction, from: ReferralStatus): ReferralAction[] {
  return Object.keys(STEPS[direction][from] ?? {}) as ReferralAction[];
}
