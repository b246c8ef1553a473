// A settled claim as the receipt (结算单) shows it. `receiptOf` shapes stored rows; settling builds
// the same rows in memory, so the answer to POST /api/settlements needs no read-back.
import type { Database } from '../../db/connect';
import { maskResidentId } from '../../engine/identity/residentId';

export interface ClaimRow {
  id: string; status: 'settled' | 'reversed'; person_id: string; person_name: string; id_number: string; institution_id: string; institution_name: string;
  institution_level: string; service_date: string; insurance_type: string; policy_id: string; idempotency_key: string; settled_at: Date | string;
  reversed_at: Date | string | null; reversal_reason: string | null; amount_fen: number; fund_pay_fen: number; deductible_fen: number;
  copay_fen: number; over_limit_fen: number; critical_illness_fen: number;
}

export interface ClaimLineRow {
  line_no: number; drug_code: string; generic_name_zh: string; strength: string; quantity: number; unit_price_fen: number; amount_fen: number;
  days_supply: number; disease_code: string | null; scope: 'two_disease' | 'general'; scope_reason: string; benefit: string; reason: string; ratio_bp: number;
  fund_pay_fen: number; deductible_fen: number; copay_fen: number; over_limit_fen: number; fund_remaining_fen: number | null; explanation: string;
}

export interface ClaimEventRow {
  at: Date | string; from_status: string | null; to_status: string; reason: string | null; by: string | null;
}

const iso = (t: Date | string) => new Date(t).toISOString();

export const lineOut = (l: ClaimLineRow) => ({
  lineNo: l.line_no, drugCode: l.drug_code, drugName: l.generic_name_zh, strength: l.strength, quantity: l.quantity, unitPriceFen: l.unit_price_fen,
  amountFen: l.amount_fen, daysSupply: l.days_supply, disease: l.disease_code, scope: l.scope, scopeReason: l.scope_reason, benefit: l.benefit,
  reason: l.reason, ratioBp: l.ratio_bp, fundPayFen: l.fund_pay_fen, deductibleFen: l.deductible_fen, copayFen: l.copay_fen,
  overLimitFen: l.over_limit_fen, fundRemainingFen: l.fund_remaining_fen, explanation: l.explanation,
});

export function receiptOf(claim: ClaimRow, lines: ClaimLineRow[], events: ClaimEventRow[]) {
  return {
    id: claim.id,
    status: claim.status,
    person: { id: claim.person_id, name: claim.person_name, idNumber: maskResidentId(claim.id_number) },
    institution: { id: claim.institution_id, name: claim.institution_name, level: claim.institution_level },
    serviceDate: claim.service_date,
    insuranceType: claim.insurance_type,
    policyId: claim.policy_id,
    idempotencyKey: claim.idempotency_key,
    settledAt: iso(claim.settled_at),
    reversedAt: claim.reversed_at ? iso(claim.reversed_at) : null,
    reversalReason: claim.reversal_reason,
    totals: {
      amountFen: claim.amount_fen, fundPayFen: claim.fund_pay_fen, deductibleFen: claim.deductible_fen, copayFen: claim.copay_fen,
      overLimitFen: claim.over_limit_fen, criticalIllnessFen: claim.critical_illness_fen, selfPayFen: claim.amount_fen - claim.fund_pay_fen,
    },
    lines: lines.map(lineOut),
    history: events.map((e) => ({ at: iso(e.at), from: e.from_status, to: e.to_status, reason: e.reason, by: e.by })),
  };
}

export async function settlementView(db: Database, claimId: string) {
  const [claim, lines, events] = await Promise.all([
    db
      .selectFrom('claim')
      .innerJoin('person as p', 'p.id', 'claim.person_id')
      .innerJoin('institution as i', 'i.id', 'claim.institution_id')
      .selectAll('claim')
      .select(['p.name as person_name', 'p.id_number', 'i.name as institution_name'])
      .where('claim.id', '=', claimId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('claim_line as l')
      .innerJoin('drug', 'drug.code', 'l.drug_code')
      .selectAll('l')
      .select(['drug.generic_name_zh', 'drug.strength'])
      .where('l.claim_id', '=', claimId)
      .orderBy('l.line_no')
      .execute(),
    db
      .selectFrom('claim_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.user_id')
      .select(['e.at', 'e.from_status', 'e.to_status', 'e.reason', 'u.display_name as by'])
      .where('e.claim_id', '=', claimId)
      .orderBy('e.id')
      .execute(),
  ]);
  return receiptOf(claim, lines, events);
}
