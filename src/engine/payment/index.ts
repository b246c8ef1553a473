// A payment run: the stored inputs and the parameters in, every model's figures per provider out. Pure, so a
// stored run recomputed from what it stored gives the same fen (issue 17, docs/payments.md).
import { budget, type BudgetResult } from './budget';
import { capitation, type CapitationResult } from './capitation';
import { contractFee, type ContractFeeResult } from './contractFee';
import type { PaymentParameters } from './parameters';
import type { PaymentInputs } from './types';
import { workEquivalent, type WorkEquivalentResult } from './workEquivalent';

/** The models' rules; a change to what they compute is a new version, and a run records the one it used. */
export const PAYMENT_VERSION = '2026.1';

export interface PaymentResults {
  capitation: CapitationResult[];
  budget: BudgetResult[];
  contract_fee: ContractFeeResult[];
  work_equivalent: WorkEquivalentResult[];
  totals: { capitation_retained_fen: number; capitation_overrun_centre_fen: number; budget_fen: number; budget_spent_fen: number; long_rx_allowance_fen: number; luohu_paid_fen: number; contract_fee_fen: number; work_equivalent_fen: number };
}

export function computePayments(params: PaymentParameters, inputs: PaymentInputs): PaymentResults {
  const yearOver = inputs.complete_months === 12;
  const cap = inputs.capitation.map((c) => capitation(params.capitation, c, inputs.complete_months, yearOver));
  const bud = inputs.budget.map((b) => budget(params.budget, b, inputs.complete_months, yearOver));
  const fee = inputs.contract_fee.map((t) => contractFee(params.contract_fee, t));
  const work = inputs.work_equivalent.map((t) => workEquivalent(params.work_equivalent, t));
  const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    capitation: cap, budget: bud, contract_fee: fee, work_equivalent: work,
    totals: {
      capitation_retained_fen: sum(cap, (c) => c.year_end?.retained_fen ?? 0),
      capitation_overrun_centre_fen: sum(cap, (c) => c.year_end?.overrun_centre_fen ?? 0),
      budget_fen: sum(bud, (b) => b.budget_fen), budget_spent_fen: sum(bud, (b) => b.spent_fen),
      long_rx_allowance_fen: sum(bud, (b) => b.long_rx_allowance_fen), luohu_paid_fen: sum(bud, (b) => b.luohu.paid_fen),
      contract_fee_fen: sum(fee, (f) => f.fee_fen), work_equivalent_fen: sum(work, (w) => w.value_fen),
    },
  };
}

export type { PaymentInputs } from './types';
export type { PaymentParameters } from './parameters';
export type { BudgetResult, CapitationResult, ContractFeeResult, WorkEquivalentResult };
