// A payment run: the stored inputs and the parameters in, every model's figures per provider out. Pure, so a
// stored run recomputed from what it stored gives the same fen (issue 17, docs/payments.md).
import { budget, type BudgetResult } from './budget';
import { capitation, type CapitationResult } from './capitation';
import { contractFee, type ContractFeeResult } from './contractFee';
import type { PaymentParameters } from './parameters';
import { providerTotals, type ProviderTotal } from './providers';
import type { PaymentInputs } from './types';
import { workEquivalent, type WorkEquivalentResult } from './workEquivalent';

/** The models' rules; a change to what they compute is a new version, and a run records the one it used (2026.2: the smart audit's recoveries, and what each institution is owed). */
export const PAYMENT_VERSION = '2026.2';

export interface PaymentResults {
  capitation: CapitationResult[];
  budget: BudgetResult[];
  contract_fee: ContractFeeResult[];
  work_equivalent: WorkEquivalentResult[];
  /** What each institution is owed, of which model (2026.2). */
  providers: ProviderTotal[];
  totals: { capitation_retained_fen: number; capitation_overrun_centre_fen: number; capitation_recovered_fen: number; budget_fen: number; budget_spent_fen: number; budget_recovered_fen: number; long_rx_allowance_fen: number; luohu_paid_fen: number; contract_fee_fen: number; work_equivalent_fen: number };
}

export function computePayments(params: PaymentParameters, inputs: PaymentInputs): PaymentResults {
  const yearOver = inputs.complete_months === 12;
  const rows = {
    capitation: inputs.capitation.map((c) => capitation(params.capitation, c, inputs.complete_months, yearOver)),
    budget: inputs.budget.map((b) => budget(params.budget, b, inputs.complete_months, yearOver)),
    contract_fee: inputs.contract_fee.map((t) => contractFee(params.contract_fee, t)),
    work_equivalent: inputs.work_equivalent.map((t) => workEquivalent(params.work_equivalent, t)),
  };
  return { ...rows, providers: providerTotals(rows), totals: totalsOf(rows) };
}

/** The totals of the models' rows: of the whole run, or of the rows of one county. */
export function totalsOf(r: Omit<PaymentResults, 'totals' | 'providers'>): PaymentResults['totals'] {
  const sum = <T>(rows: T[], f: (x: T) => number) => rows.reduce((s, x) => s + f(x), 0);
  return {
    capitation_retained_fen: sum(r.capitation, (c) => c.year_end?.retained_fen ?? 0),
    capitation_overrun_centre_fen: sum(r.capitation, (c) => c.year_end?.overrun_centre_fen ?? 0),
    capitation_recovered_fen: sum(r.capitation, (c) => c.package_recovered_fen + c.referral_recovered_fen),
    budget_fen: sum(r.budget, (b) => b.budget_fen), budget_spent_fen: sum(r.budget, (b) => b.spent_fen), budget_recovered_fen: sum(r.budget, (b) => b.recovered_fen),
    long_rx_allowance_fen: sum(r.budget, (b) => b.long_rx_allowance_fen), luohu_paid_fen: sum(r.budget, (b) => b.luohu.paid_fen),
    contract_fee_fen: sum(r.contract_fee, (f) => f.fee_fen), work_equivalent_fen: sum(r.work_equivalent, (w) => w.value_fen),
  };
}

export type { PaymentInputs } from './types';
export type { PaymentParameters } from './parameters';
export type { BudgetResult, CapitationResult, ContractFeeResult, ProviderTotal, WorkEquivalentResult };
