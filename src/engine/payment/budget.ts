// 医共体总额预算 — the county medical community's total budget (seeds 000, 004), with Changning's long
// prescriptions paid outside it (seed 003: "对于长处方服务给予预算总量的增加（额外支付）") and Luohu's savings rule
// (seed 003: "所有签约患者今年住院总费用与去年相应患者总住院费用的一定比例增长（预算的增加比例）后的金额相比较，如果出现了节省，则奖励给罗湖医疗集团").
// The budget is last year's spending within it × (1 + growth); the year's end is projected at the run rate of
// the complete months (spent × 12 / months). Spending is net of what the smart audit recovered: a confirmed
// deduction is taken back from the institution's settlement, which the budget caps, in the month confirmed.
import { divideHalfUp, proRata, runRate, signedRatio } from './arithmetic';
import type { PaymentParameters } from './parameters';
import type { BudgetInput } from './types';

export interface BudgetResult {
  community_id: string;
  name: string;
  county_code: string;
  basis_fen: number;
  budget_fen: number;
  /** Year to the period's end, within the budget, net of the recoveries; long prescriptions' fund payments beside it (outside). */
  spent_fen: number;
  /** The smart audit's confirmed deductions at the community's institutions, year to the period's end. */
  recovered_fen: number;
  long_rx_allowance_fen: number;
  /** Spent at the run rate of the complete months (actual when the year is over); null with no complete month. */
  projected_fen: number | null;
  projected_balance_fen: number | null;
  projection: { method: 'actual' | 'run_rate'; complete_months: number };
  months: Array<{ month: string; within_fen: number; long_rx_fen: number; recovered_fen: number; cumulative_fen: number; budget_pro_rata_fen: number }>;
  luohu: { contracted: number; this_year_fen: number; last_year_fen: number; allowed_growth_bp: number; allowed_fen: number; saving_fen: number; paid_fen: number };
}

export function budget(p: PaymentParameters['budget'], input: BudgetInput, completeMonths: number, yearOver: boolean): BudgetResult {
  const basis = Math.max(0, input.last_year.within_fen - (input.last_year.recovered_fen ?? 0));
  const budgetFen = divideHalfUp(BigInt(basis) * BigInt(10000 + p.growth.bp), 10000n);
  const net = (m: BudgetInput['months'][number]) => m.within_fen - (m.recovered_fen ?? 0);
  let cumulative = 0;
  const months = input.months.map((m, i) => {
    cumulative += net(m);
    return { ...m, recovered_fen: m.recovered_fen ?? 0, cumulative_fen: cumulative, budget_pro_rata_fen: proRata(budgetFen, i + 1) };
  });
  const completeSpent = input.months.slice(0, completeMonths).reduce((s, m) => s + net(m), 0);
  const projected = yearOver ? cumulative : runRate(completeSpent, completeMonths);
  const l = input.luohu;
  const allowed = divideHalfUp(BigInt(l.last_year_fen) * BigInt(10000 + p.luohu.allowed_growth.bp), 10000n);
  const saving = allowed - l.this_year_fen;
  return {
    community_id: input.community_id, name: input.name, county_code: input.county_code,
    basis_fen: basis, budget_fen: budgetFen, spent_fen: cumulative, recovered_fen: months.reduce((s, m) => s + m.recovered_fen, 0),
    long_rx_allowance_fen: input.months.reduce((s, m) => s + m.long_rx_fen, 0),
    projected_fen: projected, projected_balance_fen: projected === null ? null : budgetFen - projected,
    projection: { method: yearOver ? 'actual' : 'run_rate', complete_months: completeMonths },
    months,
    luohu: { ...l, allowed_growth_bp: p.luohu.allowed_growth.bp, allowed_fen: allowed, saving_fen: saving, paid_fen: saving > 0 ? signedRatio(saving, p.luohu.saving_paid.bp) : 0 },
  };
}
