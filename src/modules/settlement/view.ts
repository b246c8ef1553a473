// A settled claim as the receipt (结算单) shows it. `receiptOf` shapes stored rows; settling builds
// the same rows in memory, so the answer to POST /api/settlements needs no read-back.
import type { Database } from '../../db/connect';
import type { PolicyBook } from '../../core/policyBook';
import { maskResidentId } from '../../engine/identity/residentId';

export interface ClaimRow {
  id: string; status: 'settled' | 'reversed'; person_id: string; person_name: string; id_number: string; institution_id: string; institution_name: string;
  institution_level: string; service_date: string; insurance_type: string; policy_id: string; idempotency_key: string; settled_at: Date | string;
  reversed_at: Date | string | null; reversal_reason: string | null; amount_fen: number; fund_pay_fen: number; deductible_fen: number;
  copay_fen: number; over_limit_fen: number; critical_illness_fen: number; settlement_no: string; institution_code: string;
}

export interface ClaimLineRow {
  line_no: number; drug_code: string; generic_name_zh: string; strength: string; quantity: number; unit_price_fen: number; amount_fen: number;
  days_supply: number; disease_code: string | null; scope: 'two_disease' | 'general' | 'specified_disease'; scope_reason: string; benefit: string; reason: string; ratio_bp: number;
  fund_pay_fen: number; deductible_fen: number; copay_fen: number; over_limit_fen: number; fund_remaining_fen: number | null; explanation: string;
  drug_lists: string[] | null; extended: boolean; critical_illness_fen: number;
}

/** An adjustment (补扣/补付) of a claim's split, from re-settling the person's year. */
export interface AdjustmentRow {
  claim_id: string; caused_by: string; cause: 'reversal' | 'backdated'; service_date: string; fund_pay_fen: number; deductible_fen: number; copay_fen: number;
  over_limit_fen: number; critical_illness_fen: number; at: Date | string;
}

export interface ClaimEventRow {
  at: Date | string; from_status: string | null; to_status: string; reason: string | null; by: string | null;
}

const iso = (t: Date | string) => new Date(t).toISOString();

export const lineOut = (l: ClaimLineRow) => ({
  lineNo: l.line_no, drugCode: l.drug_code, drugName: l.generic_name_zh, strength: l.strength, quantity: l.quantity, unitPriceFen: l.unit_price_fen,
  amountFen: l.amount_fen, daysSupply: l.days_supply, disease: l.disease_code, scope: l.scope, scopeReason: l.scope_reason, benefit: l.benefit,
  reason: l.reason, ratioBp: l.ratio_bp, fundPayFen: l.fund_pay_fen, deductibleFen: l.deductible_fen, copayFen: l.copay_fen,
  overLimitFen: l.over_limit_fen, fundRemainingFen: l.fund_remaining_fen, criticalIllnessFen: l.critical_illness_fen, explanation: l.explanation,
});

const adjustmentOut = (a: AdjustmentRow) => ({
  claimId: a.claim_id, causedBy: a.caused_by, cause: a.cause, serviceDate: a.service_date, fundPayFen: Number(a.fund_pay_fen), deductibleFen: Number(a.deductible_fen),
  copayFen: Number(a.copay_fen), overLimitFen: Number(a.over_limit_fen), criticalIllnessFen: Number(a.critical_illness_fen), at: iso(a.at),
});

/**
 * What a claim's adjustments mean at the counter. `adjustments`: changes re-settling booked on this
 * claim; `caused`: changes this claim's reversal (or late arrival) booked on the person's other claims.
 * For a reversed claim the patient gets back what they paid, and then what the fund pays differently on
 * the later claims: a fund share that fell is owed (补扣), one that rose is paid back (补付).
 */
export function adjustmentsView(claim: Pick<ClaimRow, 'status' | 'amount_fen' | 'fund_pay_fen'>, adjustments: AdjustmentRow[], caused: AdjustmentRow[]) {
  const fundNow = Number(claim.fund_pay_fen) + adjustments.reduce((a, x) => a + Number(x.fund_pay_fen), 0);
  const causedFund = caused.reduce((a, x) => a + Number(x.fund_pay_fen), 0);
  return {
    adjustments: adjustments.map(adjustmentOut),
    caused: caused.map(adjustmentOut),
    /** The fund's share of this claim with its adjustments. */
    fundPayNowFen: fundNow,
    /** For a reversal: what the patient is refunded (positive) or owes (negative) at the counter. */
    netToPatientFen: claim.status === 'reversed' ? Number(claim.amount_fen) - fundNow + causedFund : null,
  };
}

/**
 * Who pays a claim: the fund (统筹基金), the personal account (个人账户) and cash (现金). No policy in
 * policies/ and no rule of the engine draws on an employee's personal account for these benefits, so
 * the account's share is 0 today and everything the fund does not pay is cash; the receipt and the day
 * list show the account line only when it is not 0.
 */
export const payersOf = (c: { amount_fen: number; fund_pay_fen: number }) => {
  const fundFen = Number(c.fund_pay_fen);
  const accountFen = 0;
  return { fundFen, accountFen, cashFen: Number(c.amount_fen) - fundFen - accountFen };
};

export function receiptOf(claim: ClaimRow, policies: PolicyBook, lines: ClaimLineRow[], events: ClaimEventRow[], adjustments: AdjustmentRow[] = [], caused: AdjustmentRow[] = []) {
  return {
    id: claim.id,
    settlementNo: claim.settlement_no,
    status: claim.status,
    person: { id: claim.person_id, name: claim.person_name, idNumber: maskResidentId(claim.id_number) },
    institution: { id: claim.institution_id, code: claim.institution_code, name: claim.institution_name, level: claim.institution_level },
    serviceDate: claim.service_date,
    insuranceType: claim.insurance_type,
    policyId: claim.policy_id,
    policy: { id: claim.policy_id, name: policies.byId(claim.policy_id)?.policy.name ?? claim.policy_id },
    idempotencyKey: claim.idempotency_key,
    settledAt: iso(claim.settled_at),
    reversedAt: claim.reversed_at ? iso(claim.reversed_at) : null,
    reversalReason: claim.reversal_reason,
    totals: {
      amountFen: claim.amount_fen, fundPayFen: claim.fund_pay_fen, deductibleFen: claim.deductible_fen, copayFen: claim.copay_fen,
      overLimitFen: claim.over_limit_fen, criticalIllnessFen: claim.critical_illness_fen, selfPayFen: claim.amount_fen - claim.fund_pay_fen,
    },
    payers: payersOf(claim),
    lines: lines.map(lineOut),
    history: events.map((e) => ({ at: iso(e.at), from: e.from_status, to: e.to_status, reason: e.reason, by: e.by })),
    ...adjustmentsView(claim, adjustments, caused),
  };
}

const adjustmentColumns = ['a.claim_id', 'a.caused_by', 'a.cause', 'c.service_date', 'a.fund_pay_fen', 'a.deductible_fen', 'a.copay_fen', 'a.over_limit_fen', 'a.critical_illness_fen', 'a.at'] as const;

/** A claim's receipt; every read names the person too, so on a sharded database it stays on the person's shard. */
const adjustmentsOf = (db: Database, personId: string) =>
  db.selectFrom('claim_adjustment as a').innerJoin('claim as c', (j) => j.onRef('c.person_id', '=', 'a.person_id').onRef('c.id', '=', 'a.claim_id'))
    .select(adjustmentColumns).where('a.person_id', '=', personId).orderBy('a.seq');

export async function settlementView(db: Database, policies: PolicyBook, personId: string, claimId: string) {
  const [claim, lines, events, adjustments, caused] = await Promise.all([
    db
      .selectFrom('claim')
      .innerJoin('person as p', 'p.id', 'claim.person_id')
      .innerJoin('institution as i', 'i.id', 'claim.institution_id')
      .selectAll('claim')
      .select(['p.name as person_name', 'p.id_number', 'i.name as institution_name', 'i.code as institution_code'])
      .where('claim.person_id', '=', personId)
      .where('claim.id', '=', claimId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('claim_line as l')
      .innerJoin('drug', 'drug.code', 'l.drug_code')
      .selectAll('l')
      .select(['drug.generic_name_zh', 'drug.strength'])
      .where('l.person_id', '=', personId)
      .where('l.claim_id', '=', claimId)
      .orderBy('l.line_no')
      .execute(),
    db
      .selectFrom('claim_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.user_id')
      .select(['e.at', 'e.from_status', 'e.to_status', 'e.reason', 'u.display_name as by'])
      .where('e.person_id', '=', personId)
      .where('e.claim_id', '=', claimId)
      .orderBy('e.id')
      .execute(),
    adjustmentsOf(db, personId).where('a.claim_id', '=', claimId).execute(),
    adjustmentsOf(db, personId).where('a.caused_by', '=', claimId).execute(),
  ]);
  return receiptOf(claim, policies, lines, events, adjustments, caused);
}
