// A copy of what GET /api/payments answers (the web app cannot import from src/): the engine's result types
// (src/engine/payment/*.ts), the parameters as the server parses them (src/engine/payment/parameters.ts:
// money in fen, ratios in basis points, every number with its source) and the run's facts
// (src/modules/payments/service.ts). Keep them in step.

export interface Ratio { numerator: number; denominator: number }

/** Where a number comes from: a seed's words (cite) or a local decision (local). */
export interface Cite { seed?: string; doc?: string; item?: string; quote?: string }
export interface Sourced { cite?: Cite; local?: string }
export interface MoneyParam extends Sourced { fen: number }
export interface RatioParam extends Sourced { bp: number }
export interface DaysParam extends Sourced { days: number }
export interface MilliParam extends Sourced { milli: number }

export const SCORE_ITEMS = ['contracting', 'registration', 'standardised_management', 'control', 'grassroots_visits', 'community_visit_ratio'] as const;
export type ScoreItem = (typeof SCORE_ITEMS)[number];

export const WORK_SERVICES = ['follow_up_clinic', 'follow_up_home', 'follow_up_phone', 'follow_up_online', 'continuous_prescription', 'integrated_visit'] as const;
export type WorkService = (typeof WORK_SERVICES)[number];

export interface PaymentParameters {
  id: string;
  name: string;
  region: { code: string; name: string };
  effective_from: string;
  capitation: {
    name: string;
    counties: Sourced & { codes: string[] };
    insurance_types: Sourced & { types: Array<'resident' | 'employee'> };
    per_head: MoneyParam;
    referral_share: RatioParam;
    package_share: RatioParam;
    balance_retained: RatioParam;
    overrun_borne_by_centre: RatioParam;
  };
  budget: {
    name: string;
    growth: RatioParam;
    long_prescription_days: DaysParam;
    luohu: { allowed_growth: RatioParam; saving_paid: RatioParam };
  };
  contract_fee: {
    name: string;
    monthly: MoneyParam;
    items: Record<ScoreItem, { weight: RatioParam; target: RatioParam }>;
    curve: Sourced & { points: Array<[number, number]> };
  };
  work_equivalent: {
    name: string;
    value: MoneyParam;
    services: Record<WorkService, MilliParam>;
  };
}

export interface YearEnd {
  basis: 'actual' | 'projected';
  package_cost_fen: number;
  balance_fen: number;
  retained_fen: number;
  overrun_centre_fen: number;
  overrun_fund_fen: number;
}

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
  /** Year to date, net of the smart audit's recoveries. */
  package_cost_fen: number;
  referral_cost_fen: number;
  package_recovered_fen: number;
  referral_recovered_fen: number;
  balance_fen: number;
  /** Actual when the year is over, else projected from the complete months; null with none. */
  year_end: YearEnd | null;
  months: Array<{ month: string; package_fen: number; referral_fen: number; package_recovered_fen: number; referral_recovered_fen: number; package_cumulative_fen: number; referral_cumulative_fen: number; package_pro_rata_fen: number }>;
  control: { hypertension: Ratio; diabetes: Ratio };
}

export interface BudgetResult {
  community_id: string;
  name: string;
  county_code: string;
  basis_fen: number;
  budget_fen: number;
  /** Within the budget, year to date, net of the smart audit's recoveries. */
  spent_fen: number;
  recovered_fen: number;
  long_rx_allowance_fen: number;
  projected_fen: number | null;
  projected_balance_fen: number | null;
  projection: { method: 'actual' | 'run_rate'; complete_months: number };
  months: Array<{ month: string; within_fen: number; long_rx_fen: number; recovered_fen: number; cumulative_fen: number; budget_pro_rata_fen: number }>;
  luohu: { contracted: number; this_year_fen: number; last_year_fen: number; allowed_growth_bp: number; allowed_fen: number; saving_fen: number; paid_fen: number };
}

export interface ScoreLine {
  item: ScoreItem;
  /** Basis points (the ratio item: basis points of one time); null without a denominator. */
  value_bp: number | null;
  target_bp: number;
  weight_bp: number;
  /** Hundredths of a point, 0–10000. */
  points: number;
}

export interface ContractFeeRates {
  contracting: Ratio;
  registration: Ratio;
  standardised_management: Ratio;
  control: Ratio;
  grassroots_visits: Ratio;
  community_visit: { contracted: Ratio; not_contracted: Ratio };
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
  /** Hundredths of a point. */
  score: number;
  lines: ScoreLine[];
  share_bp: number;
  fee_fen: number;
  rates: ContractFeeRates;
}

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

/** What an institution is owed by the run (2026.2). */
export interface ProviderTotal {
  institution_id: string;
  institution_name: string;
  county_code: string;
  teams: number;
  contract_fee_fen: number;
  work_equivalent_fen: number;
  capitation: { basis: 'actual' | 'projected'; retained_fen: number; overrun_centre_fen: number } | null;
  total_fen: number;
}

export interface PaymentTotals {
  capitation_retained_fen: number;
  capitation_overrun_centre_fen: number;
  capitation_recovered_fen: number;
  budget_fen: number;
  budget_spent_fen: number;
  budget_recovered_fen: number;
  long_rx_allowance_fen: number;
  luohu_paid_fen: number;
  contract_fee_fen: number;
  work_equivalent_fen: number;
}

export interface PaymentRun {
  id: string;
  created_at: string;
  /** The username of whoever's request computed it first. */
  created_by: string;
  inputs_hash: string;
  version: string;
  /** true: the same inputs were run before and the stored run is answered. */
  reused: boolean;
}

export interface PaymentPeriod {
  year: number;
  quarter: number | null;
  start: string;
  end: string;
  /** The state day: the period's end, or today while it runs. */
  as_of: string;
  /** Months from January that are over (the projections' basis). */
  complete_months: number;
}

export interface PaymentReport {
  run: PaymentRun;
  period: PaymentPeriod;
  /** The county the figures are narrowed to (a reviewer's own), or null for the city. */
  county: string | null;
  parameters: PaymentParameters;
  results: {
    capitation: CapitationResult[];
    budget: BudgetResult[];
    contract_fee: ContractFeeResult[];
    work_equivalent: WorkEquivalentResult[];
    providers: ProviderTotal[];
    totals: PaymentTotals;
  };
}

/** The year's quarters so far, each its own run (GET /api/payments/quarters). */
export interface QuarterTrend {
  year: number;
  quarters: Array<{
    quarter: number;
    run: { id: string; as_of: string; reused: boolean; version: string };
    totals: PaymentTotals;
    teams: Array<{ team_id: string; score: number; share_bp: number; fee_fen: number; equivalents_milli: number; value_fen: number }>;
  }>;
}

export interface Verification { same: boolean; hashSame: boolean; differences: string[] }

export interface StoredPaymentReport extends PaymentReport {
  verification: Verification;
}

export type ClaimPool = 'package' | 'referral' | 'long_rx';

export interface PaymentClaim {
  id: string;
  settlement_no: string | null;
  service_date: string;
  institution: string;
  level: string;
  amount_fen: number;
  fund_fen: number;
  /** Masked. */
  name: string;
  /** Masked. */
  id_number: string;
}

export interface PaymentClaimPage { total: number; page: number; pageSize: number; items: PaymentClaim[] }

export interface ContractedResident { name: string; id_number: string; start_date: string; end_date: string }

export interface ContractedPage { at: string; total: number; page: number; pageSize: number; items: ContractedResident[] }

/** A confirmed smart-audit deduction behind a figure (GET /api/payments/recoveries), masked. */
export interface PaymentRecovery {
  id: string;
  /** The China day it was confirmed: the month it is recovered in. */
  decided_on: string;
  rule: { code: string; zh: string; en: string };
  service_date: string;
  institution: string;
  level: string;
  against: 'institution' | 'doctor';
  deduction_fen: number;
  settlement_no: string | null;
  /** null for a finding about a doctor rather than a patient. */
  name: string | null;
  id_number: string | null;
}

export interface PaymentRecoveryPage { total: number; page: number; pageSize: number; items: PaymentRecovery[] }
