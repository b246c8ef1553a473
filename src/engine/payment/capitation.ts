// 按人头打包付费、结余留用 — Zhenjiang, Dandu district, Shiye town (seed 001): "40% of the funds are used to
// refer to medical institutions above the second level, and 60% are packed to Shiye Town Health Center for
// medical expenses for residents ... the balance reserved part can be used for the health management of
// residents in the town". A fund of per-head amount × insured persons for the year; the package is drawn on
// by the fund's payments for the township's insured everywhere but at secondary and tertiary hospitals, whose
// payments draw on the referral share. At year end the centre keeps its balance (balance_retained of it) or
// bears overrun_borne_by_centre of an overrun, the fund the rest. What the smart audit recovered of those
// payments (confirmed deductions, in the month confirmed) is given back to the pool it was drawn on.
import { divideHalfUp, proRata, runRate, signedRatio } from './arithmetic';
import type { PaymentParameters } from './parameters';
import type { CapitationInput, Ratio } from './types';

export interface CapitationResult {
  town_code: string;
  town_name: string;
  institution_id: string;
  institution_name: string;
  county_code: string;
  insured: number;
  per_head_fen: number;
  fund_fen: number;
  package_fen: number;
  referral_pool_fen: number;
  /** Year to the period's end, net of the recoveries. */
  package_cost_fen: number;
  referral_cost_fen: number;
  /** The smart audit's recoveries of the township's insured's costs, year to the period's end, by pool. */
  package_recovered_fen: number;
  referral_recovered_fen: number;
  /** The package less its cost so far (negative: overdrawn). */
  balance_fen: number;
  /** The year's end: actual when the year is over, else the run rate of the complete months (null with none). */
  year_end: { basis: 'actual' | 'projected'; package_cost_fen: number; balance_fen: number; retained_fen: number; overrun_centre_fen: number; overrun_fund_fen: number } | null;
  months: Array<{ month: string; package_fen: number; referral_fen: number; package_recovered_fen: number; referral_recovered_fen: number; package_cumulative_fen: number; referral_cumulative_fen: number; package_pro_rata_fen: number }>;
  control: { hypertension: Ratio; diabetes: Ratio };
}

export function capitation(p: PaymentParameters['capitation'], input: CapitationInput, completeMonths: number, yearOver: boolean): CapitationResult {
  const fund = p.per_head.fen * input.insured;
  const packageFen = signedRatio(fund, p.package_share.bp);
  const referralPool = fund - packageFen;
  const packageNet = (m: CapitationInput['months'][number]) => m.package_fen - (m.package_recovered_fen ?? 0);
  let pc = 0;
  let rc = 0;
  const months = input.months.map((m, i) => {
    pc += packageNet(m);
    rc += m.referral_fen - (m.referral_recovered_fen ?? 0);
    return {
      ...m, package_recovered_fen: m.package_recovered_fen ?? 0, referral_recovered_fen: m.referral_recovered_fen ?? 0,
      package_cumulative_fen: pc, referral_cumulative_fen: rc, package_pro_rata_fen: proRata(packageFen, i + 1),
    };
  });
  const completeCost = input.months.slice(0, completeMonths).reduce((s, m) => s + packageNet(m), 0);
  const yearCost = yearOver ? pc : runRate(completeCost, completeMonths);
  return {
    town_code: input.town_code, town_name: input.town_name, institution_id: input.institution_id, institution_name: input.institution_name, county_code: input.county_code,
    insured: input.insured, per_head_fen: p.per_head.fen, fund_fen: fund, package_fen: packageFen, referral_pool_fen: referralPool,
    package_cost_fen: pc, referral_cost_fen: rc, balance_fen: packageFen - pc,
    package_recovered_fen: months.reduce((s, m) => s + m.package_recovered_fen, 0), referral_recovered_fen: months.reduce((s, m) => s + m.referral_recovered_fen, 0),
    year_end: yearCost === null ? null : settleYear(p, packageFen, yearCost, yearOver ? 'actual' : 'projected'),
    months, control: input.control,
  };
}

function settleYear(p: PaymentParameters['capitation'], packageFen: number, cost: number, basis: 'actual' | 'projected') {
  const balance = packageFen - cost;
  const overrun = Math.max(0, -balance);
  const centre = divideHalfUp(BigInt(overrun) * BigInt(p.overrun_borne_by_centre.bp), 10000n);
  return {
    basis, package_cost_fen: cost, balance_fen: balance,
    retained_fen: balance > 0 ? signedRatio(balance, p.balance_retained.bp) : 0,
    overrun_centre_fen: centre, overrun_fund_fen: overrun - centre,
  };
}
