// 标化工作当量 — Zhejiang (seed 000): "improve the standardization work value of “two chronic diseases” health
// management, refine the classification of chronic disease follow-up methods, continuous prescription of chronic
// diseases, integrated outpatient consultation and other equivalent projects, and implement ... Equivalent
// purchase"; Jiaxing buys health management by it (seed 002: "按标化工作当量法购买"). Each service has a value in
// equivalents; a team's equivalents × the value of one are the basis of the public-health purchase.
import { divideHalfUp } from './arithmetic';
import { WORK_SERVICES, type PaymentParameters, type WorkService } from './parameters';
import type { WorkEquivalentInput } from './types';

export interface WorkEquivalentResult {
  team_id: string;
  name: string;
  institution_id: string;
  institution_name: string;
  county_code: string;
  lines: Array<{ service: WorkService; count: number; milli_each: number; milli: number }>;
  /** Thousandths of an equivalent. */
  equivalents_milli: number;
  value_fen: number;
}

export function workEquivalent(p: PaymentParameters['work_equivalent'], input: WorkEquivalentInput): WorkEquivalentResult {
  const lines = WORK_SERVICES.map((service) => {
    const count = input.services[service] ?? 0;
    const each = p.services[service].milli;
    return { service, count, milli_each: each, milli: count * each };
  });
  const milli = lines.reduce((s, l) => s + l.milli, 0);
  return {
    team_id: input.team_id, name: input.name, institution_id: input.institution_id, institution_name: input.institution_name, county_code: input.county_code,
    lines, equivalents_milli: milli, value_fen: divideHalfUp(BigInt(milli) * BigInt(p.value.fen), 1000n),
  };
}
