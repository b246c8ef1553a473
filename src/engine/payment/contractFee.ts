// 家庭医生签约服务费 — Shanghai Changning (seed 003): "对于家庭医生签约服务每月医保支付10元签约服务费也不纳入总额预算。
// 委托卫生局对社区医疗机构及家庭医生服务进行“五率一比”等指标的考核，考核结果与家庭医生签约服务费……进行挂钩". The fee
// is the monthly amount × the team's resident-months under contract, times the share of it the team's score earns
// on the curve. The score (0–100 points, kept in hundredths) is the weighted sum of the items' points; an item
// earns 100 points at or above its target and in proportion below it, and none without a denominator.
import { divideHalfUp, signedRatio } from './arithmetic';
import { SCORE_ITEMS, type PaymentParameters, type ScoreItem } from './parameters';
import type { ContractFeeInput, Ratio } from './types';

export interface ScoreLine {
  item: ScoreItem;
  /** The rate in basis points (the ratio item: contracted ÷ not contracted, in basis points of one time); null without a denominator. */
  value_bp: number | null;
  target_bp: number;
  weight_bp: number;
  /** Hundredths of a point, 0–10000. */
  points: number;
}

export interface ContractFeeResult {
  team_id: string;
  name: string;
  institution_id: string;
  institution_name: string;
  county_code: string;
  resident_months: number;
  monthly_fen: number;
  base_fen: number;
  score: number;
  lines: ScoreLine[];
  share_bp: number;
  fee_fen: number;
  rates: ContractFeeInput['rates'];
}

const rateBp = (r: Ratio) => (r.denominator > 0 ? divideHalfUp(BigInt(r.numerator) * 10000n, BigInt(r.denominator)) : null);

/** Hundredths of a point earned by numerator/denominator against a target in basis points: min(100, rate ÷ target × 100). */
function pointsOf(numerator: bigint, denominator: bigint, targetBp: number): number {
  if (denominator === 0n) return 0;
  return Math.min(10000, divideHalfUp(numerator * 10000n * 10000n, denominator * BigInt(targetBp)));
}

function itemLine(p: PaymentParameters['contract_fee'], item: ScoreItem, rates: ContractFeeInput['rates']): ScoreLine {
  if (item === 'community_visit_ratio') {
    const { contracted: c, not_contracted: n } = rates.community_visit;
    const target = p.items.community_visit_ratio.target.bp;
    // (c.num / c.den) ÷ (n.num / n.den) = c.num × n.den ÷ (c.den × n.num)
    const num = BigInt(c.numerator) * BigInt(n.denominator);
    const den = BigInt(c.denominator) * BigInt(n.numerator);
    return {
      item, value_bp: den > 0n ? divideHalfUp(num * 10000n, den) : null, target_bp: target, weight_bp: p.items.community_visit_ratio.weight.bp,
      points: pointsOf(num, den, target),
    };
  }
  const r = rates[item];
  const { weight, target } = p.items[item];
  return { item, value_bp: rateBp(r), target_bp: target.bp, weight_bp: weight.bp, points: pointsOf(BigInt(r.numerator), BigInt(r.denominator), target.bp) };
}

/** The curve's share at a score (hundredths of a point): linear between its points, flat beyond its ends, half up. */
export function shareAt(curve: PaymentParameters['contract_fee']['curve'], score: number): number {
  const pts = curve.points.map(([s, bp]) => [Math.round(s * 100), bp] as const);
  if (score <= pts[0][0]) return pts[0][1];
  for (let i = 1; i < pts.length; i++) {
    const [x1, y1] = pts[i];
    if (score <= x1) {
      const [x0, y0] = pts[i - 1];
      return y0 + divideHalfUp(BigInt(y1 - y0) * BigInt(score - x0), BigInt(x1 - x0));
    }
  }
  return pts[pts.length - 1][1];
}

export function contractFee(p: PaymentParameters['contract_fee'], input: ContractFeeInput): ContractFeeResult {
  const lines = SCORE_ITEMS.map((item) => itemLine(p, item, input.rates));
  const score = divideHalfUp(lines.reduce((s, l) => s + BigInt(l.weight_bp) * BigInt(l.points), 0n), 10000n);
  const base = p.monthly.fen * input.resident_months;
  const share = shareAt(p.curve, score);
  return {
    team_id: input.team_id, name: input.name, institution_id: input.institution_id, institution_name: input.institution_name, county_code: input.county_code,
    resident_months: input.resident_months, monthly_fen: p.monthly.fen, base_fen: base, score, lines, share_bp: share, fee_fen: signedRatio(base, share),
    rates: input.rates,
  };
}
