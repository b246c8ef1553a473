// Shapes of the settlement API (src/modules/settlement/routes.ts) as the counter screen uses them.
// Money is integer fen throughout.
import type { Eligibility, InsuranceType } from '../../types.ts';

export type LineScope = 'two_disease' | 'general';
export type ScopeReason = 'registered_disease' | 'not_insured' | 'no_contract' | 'not_registered';
export type Benefit = 'two_disease' | 'general' | 'none';
export type SettlementStatus = 'settled' | 'reversed';

/** One line of a claim after settling (or quoting): the split and why. */
export interface SettledLine {
  lineNo: number;
  drugCode: string;
  drugName: string;
  strength: string;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
  daysSupply: number;
  disease: string | null;
  scope: LineScope;
  scopeReason: ScopeReason | string;
  benefit: Benefit | string;
  reason: string;
  ratioBp: number;
  fundPayFen: number;
  deductibleFen: number;
  copayFen: number;
  overLimitFen: number;
  /** What is left of the pool the line draws on, after the whole claim; null when no pool applies. */
  fundRemainingFen: number | null;
  /** The server's explanation (Chinese). */
  explanation: string;
}

export interface SettlementTotals {
  amountFen: number;
  fundPayFen: number;
  deductibleFen: number;
  copayFen: number;
  overLimitFen: number;
  criticalIllnessFen: number;
  selfPayFen: number;
}

export interface CounterInstitution {
  id: string;
  /** The institution's code (on receipts). */
  code?: string;
  name: string;
  level: string;
}

/** Who pays a claim: 统筹基金, 个人账户 (0 under every shipped policy), 现金. */
export interface Payers {
  fundFen: number;
  accountFen: number;
  cashFen: number;
}

/** GET /api/settlements/day — 日结: the institution's settlements and reversals of a day. */
export interface SettlementDay {
  date: string;
  institution: { id: string; code: string; name: string };
  entries: Array<Payers & {
    kind: 'settlement' | 'reversal';
    claimId: string;
    settlementNo: string;
    at: string;
    serviceDate: string;
    insuranceType: string;
    policy: { id: string; name: string };
    person: { name: string; idNumber: string };
    reason: string | null;
    amountFen: number;
  }>;
  totals: Payers & {
    settlements: number;
    reversals: number;
    amountFen: number;
    byBenefit: Record<'two_disease' | 'general' | 'specified' | 'none', Payers & { amountFen: number }>;
  };
}

/** POST /api/settlements/quote — 试算. */
export interface Quote {
  personId: string;
  serviceDate: string;
  policy: { id: string; name: string };
  institution: CounterInstitution;
  insuranceType: InsuranceType | string;
  lines: SettledLine[];
  totals: SettlementTotals;
  benefits: Eligibility['benefits'];
}

/** GET /api/settlements/:id — the receipt (结算单); also the answer of settle and reverse. */
export interface Settlement {
  id: string;
  status: SettlementStatus;
  /** idNumber is masked by the server. */
  person: { id: string; name: string; idNumber: string };
  institution: CounterInstitution;
  serviceDate: string;
  insuranceType: InsuranceType | string;
  policyId: string;
  /** 结算单号: institution code, service date, sequence. */
  settlementNo: string;
  policy: { id: string; name: string };
  payers: Payers;
  idempotencyKey: string;
  settledAt: string;
  reversedAt: string | null;
  reversalReason: string | null;
  totals: SettlementTotals;
  lines: SettledLine[];
  history: Array<{ at: string; from: string | null; to: string; reason: string | null; by: string | null }>;
  /** Changes booked on this claim when an earlier claim was reversed or a back-dated one came in. */
  adjustments: ClaimAdjustment[];
  /** Changes this claim's reversal (or late arrival) booked on the person's other claims. */
  caused: ClaimAdjustment[];
  fundPayNowFen: number;
  /** For a reversed claim: refunded to the patient (positive) or owed (negative). */
  netToPatientFen: number | null;
}

/** 补扣/补付: what re-settling the person's year changed on a claim, new minus old. */
export interface ClaimAdjustment {
  claimId: string;
  causedBy: string;
  cause: 'reversal' | 'backdated';
  serviceDate: string;
  fundPayFen: number;
  deductibleFen: number;
  copayFen: number;
  overLimitFen: number;
  criticalIllnessFen: number;
  at: string;
}

/** GET /api/people/:id/claims?year= */
export interface PersonClaims {
  year: number;
  /** Keyed "<insurance type>.<pool>", e.g. "resident.chronic". */
  pools: Record<string, { fundPaid: number; deductibleMet: number }>;
  claims: Array<{
    id: string;
    serviceDate: string;
    status: SettlementStatus | string;
    amountFen: number;
    fundPayFen: number;
    institution: string;
  }>;
}

export interface ClaimLineInput {
  drugCode: string;
  quantity: number;
  daysSupply?: number;
}

export interface ClaimInput {
  personId: string;
  serviceDate?: string;
  lines: ClaimLineInput[];
}

export interface SettleInput extends ClaimInput {
  idempotencyKey: string;
}

/** A line being edited at the counter (fields may still be empty). */
export interface CartLine {
  /** Stable React key. */
  key: string;
  drugCode?: string;
  quantity?: number | null;
  daysSupply?: number | null;
}
