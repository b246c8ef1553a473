// The numbers the prescription rules take, read from a policy: the benefit's max_days_supply and the
// policy's `prescription` block (policies/README.md). Pure.
import type { InsuranceType, Policy } from '../policy/schema';
import type { RenewalParams } from './renewal';
import type { ReviewParams } from './review';

export interface PrescriptionParams extends RenewalParams, ReviewParams {
  validityDays: number;
}

/** The parameters for a scheme of a policy; throws when the policy has no such scheme or no prescription rules. */
export function prescriptionParams(policy: Policy, insuranceType: InsuranceType): PrescriptionParams {
  const scheme = policy.schemes[insuranceType];
  if (!scheme) throw new Error(`policy ${policy.id} has no ${insuranceType} scheme`);
  const rx = policy.prescription;
  if (!rx) throw new Error(`policy ${policy.id} sets no prescription rules (prescription: follow_up_window, early_refill, validity, on_hand_tolerance)`);
  return {
    maxDaysSupply: scheme.benefits.two_disease.max_days_supply.days,
    followUpWindowDays: rx.follow_up_window.days,
    earlyRefillBp: rx.early_refill.bp,
    validityDays: rx.validity.days,
    onHandToleranceDays: rx.on_hand_tolerance.days,
  };
}
