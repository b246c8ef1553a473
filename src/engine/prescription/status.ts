// The prescription's state machine (issue 14): draft → submitted → under_review → approved | returned;
// returned → submitted (fixed); approved → partly_dispensed → dispensed; approved / partly_dispensed →
// expired (the policy's validity passed); draft / submitted / returned / approved → cancelled. Every other
// step is refused with the state and action named. Plus the remaining-quantity arithmetic of partial fills
// (a cloud prescription filled in parts at different places). Pure: who, when and why are the caller's.
import { addDays, type IsoDate } from '../calendar';

export const PRESCRIPTION_STATUSES = ['draft', 'submitted', 'under_review', 'approved', 'returned', 'partly_dispensed', 'dispensed', 'expired', 'cancelled'] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

export const PRESCRIPTION_ACTIONS = ['submit', 'start_review', 'approve', 'return', 'resubmit', 'dispense_part', 'dispense_rest', 'expire', 'cancel'] as const;
export type PrescriptionAction = (typeof PRESCRIPTION_ACTIONS)[number];

/** from → action → to. Absent: refused. */
const STEPS: Readonly<Record<PrescriptionStatus, Partial<Record<PrescriptionAction, PrescriptionStatus>>>> = {
  draft: { submit: 'submitted', cancel: 'cancelled' },
  submitted: { start_review: 'under_review', cancel: 'cancelled' },
  under_review: { approve: 'approved', return: 'returned' },
  returned: { resubmit: 'submitted', cancel: 'cancelled' },
  approved: { dispense_part: 'partly_dispensed', dispense_rest: 'dispensed', expire: 'expired', cancel: 'cancelled' },
  partly_dispensed: { dispense_part: 'partly_dispensed', dispense_rest: 'dispensed', expire: 'expired' },
  dispensed: {},
  expired: {},
  cancelled: {},
};

export const TERMINAL_STATUSES: readonly PrescriptionStatus[] = PRESCRIPTION_STATUSES.filter((s) => Object.keys(STEPS[s]).length === 0);

export interface StepRefusal {
  rule: 'illegal_transition';
  from: PrescriptionStatus;
  action: PrescriptionAction;
  /** The actions the state allows. */
  allowed: PrescriptionAction[];
}

export type StepResult = { ok: true; to: PrescriptionStatus } | { ok: false; refusal: StepRefusal };

/** The next state, or a refusal naming the state, the action and what the state allows. */
export function nextStatus(from: PrescriptionStatus, action: PrescriptionAction): StepResult {
  const to = STEPS[from]?.[action];
  if (to) return { ok: true, to };
  return { ok: false, refusal: { rule: 'illegal_transition', from, action, allowed: Object.keys(STEPS[from] ?? {}) as PrescriptionAction[] } };
}

export class IllegalTransition extends Error {
  constructor(readonly refusal: StepRefusal) {
    super(`a prescription ${refusal.from} cannot ${refusal.action} (allowed: ${refusal.allowed.join(', ') || 'nothing'})`);
    this.name = 'IllegalTransition';
  }
}

/** As nextStatus, throwing IllegalTransition for a refused step. */
export function mustStep(from: PrescriptionStatus, action: PrescriptionAction): PrescriptionStatus {
  const r = nextStatus(from, action);
  if (!r.ok) throw new IllegalTransition(r.refusal);
  return r.to;
}

/** The last day an approved prescription may be dispensed: approval + validity − 1 (validity 30: 30 days including the approval day). */
export function lastFillDay(approvedOn: IsoDate, validityDays: number): IsoDate {
  if (!Number.isSafeInteger(validityDays) || validityDays < 1) throw new RangeError(`validity in days: ${validityDays}`);
  return addDays(approvedOn, validityDays - 1);
}

/** Whether the validity has passed on `date` (the day after the last fill day). */
export const isExpiredOn = (approvedOn: IsoDate, validityDays: number, date: IsoDate) => date > lastFillDay(approvedOn, validityDays);

export type FillResult =
  | { ok: true; remaining: number; status: 'partly_dispensed' | 'dispensed' }
  | { ok: false; refusal: { rule: 'over_remaining'; requested: number; remaining: number } | { rule: 'not_fillable'; status: PrescriptionStatus } | { rule: 'expired'; lastFillDay: IsoDate; date: IsoDate } };

/**
 * One fill of a line (packs): refused above what remains, in a state that is not approved or partly
 * dispensed, or after the last fill day; otherwise the packs left and the status after it. A prescription
 * is dispensed once every line's remainder is 0: `statusAfterFills` decides it across lines.
 */
export function fill(
  state: { status: PrescriptionStatus; remaining: number; approvedOn?: IsoDate; validityDays?: number },
  packs: number,
  date?: IsoDate,
): FillResult {
  if (!Number.isSafeInteger(packs) || packs < 1) throw new RangeError(`packs to dispense must be a whole number ≥ 1: ${packs}`);
  if (!Number.isSafeInteger(state.remaining) || state.remaining < 0) throw new RangeError(`remaining packs: ${state.remaining}`);
  if (state.status !== 'approved' && state.status !== 'partly_dispensed') return { ok: false, refusal: { rule: 'not_fillable', status: state.status } };
  if (date !== undefined && state.approvedOn !== undefined && state.validityDays !== undefined && isExpiredOn(state.approvedOn, state.validityDays, date))
    return { ok: false, refusal: { rule: 'expired', lastFillDay: lastFillDay(state.approvedOn, state.validityDays), date } };
  if (packs > state.remaining) return { ok: false, refusal: { rule: 'over_remaining', requested: packs, remaining: state.remaining } };
  const remaining = state.remaining - packs;
  return { ok: true, remaining, status: remaining === 0 ? 'dispensed' : 'partly_dispensed' };
}

/** A prescription's status from its lines' remainders after a fill: dispensed when none is left. */
export function statusAfterFills(remainingPerLine: readonly number[]): 'partly_dispensed' | 'dispensed' {
  return remainingPerLine.every((r) => r === 0) ? 'dispensed' : 'partly_dispensed';
}

/**
 * After a dispense is taken back (returned at the counter, a delivery failed or returned): its packs are
 * the prescription's to fill again, so it is approved while nothing stays dispensed, partly dispensed
 * otherwise. Only a dispensed or partly dispensed prescription has a dispense to take back.
 */
export function statusAfterTakeBack(from: PrescriptionStatus, dispensedPerLine: readonly number[]): 'approved' | 'partly_dispensed' {
  if (from !== 'dispensed' && from !== 'partly_dispensed') throw new IllegalTransition({ rule: 'illegal_transition', from, action: 'dispense_part', allowed: Object.keys(STEPS[from]) as PrescriptionAction[] });
  return dispensedPerLine.every((n) => n === 0) ? 'approved' : 'partly_dispensed';
}
