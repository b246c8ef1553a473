// 机构汇总 — what each institution is owed by a run, and of what: its teams' contract fees (seed 003) and the
// public-health purchase of their work equivalents (seeds 000, 002) for the period, and, for a pilot township
// health centre, the capitation's year-end settlement (seed 001: the balance it keeps, or less the share of an
// overrun it bears — actual once the year is over, else projected). Luohu's reward and the long-prescription
// allowance belong to the medical community, not to one institution: they stay in the budget's rows.
import type { CapitationResult } from './capitation';
import type { ContractFeeResult } from './contractFee';
import type { WorkEquivalentResult } from './workEquivalent';

export interface ProviderTotal {
  institution_id: string;
  institution_name: string;
  county_code: string;
  teams: number;
  contract_fee_fen: number;
  work_equivalent_fen: number;
  /** A pilot centre's year-end settlement; null for any other institution, or before a month is complete. */
  capitation: { basis: 'actual' | 'projected'; retained_fen: number; overrun_centre_fen: number } | null;
  /** contract fee + work equivalents + retained − the centre's share of an overrun. */
  total_fen: number;
}

export function providerTotals(r: { capitation: CapitationResult[]; contract_fee: ContractFeeResult[]; work_equivalent: WorkEquivalentResult[] }): ProviderTotal[] {
  const byId = new Map<string, ProviderTotal>();
  const of = (x: { institution_id: string; institution_name: string; county_code: string }) => {
    let p = byId.get(x.institution_id);
    if (!p) {
      p = { institution_id: x.institution_id, institution_name: x.institution_name, county_code: x.county_code, teams: 0, contract_fee_fen: 0, work_equivalent_fen: 0, capitation: null, total_fen: 0 };
      byId.set(x.institution_id, p);
    }
    return p;
  };
  for (const f of r.contract_fee) {
    const p = of(f);
    p.teams += 1;
    p.contract_fee_fen += f.fee_fen;
  }
  for (const w of r.work_equivalent) of(w).work_equivalent_fen += w.value_fen;
  for (const c of r.capitation)
    if (c.year_end) of(c).capitation = { basis: c.year_end.basis, retained_fen: c.year_end.retained_fen, overrun_centre_fen: c.year_end.overrun_centre_fen };
  return [...byId.values()].map((p) => ({
    ...p, total_fen: p.contract_fee_fen + p.work_equivalent_fen + (p.capitation ? p.capitation.retained_fen - p.capitation.overrun_centre_fen : 0),
  }));
}
