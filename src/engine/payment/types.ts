// What a payment run reads (its inputs, stored with the run) and what it gives (its results). The inputs are
// the facts from the stored records — claims summed by month, insured and contracted people, indicator
// counts, services — so that the same inputs and parameters give the same fen a year later (issue 17).

export interface Ratio { numerator: number; denominator: number }

/**
 * One month's costs of a township's insured: at secondary-and-above institutions (referral), everywhere else
 * (package); and what the smart audit recovered that month of those costs (confirmed deductions, by the
 * month they were confirmed). The recoveries are absent from runs of rules 2026.1.
 */
export interface CapitationMonth { month: string; package_fen: number; referral_fen: number; package_recovered_fen?: number; referral_recovered_fen?: number }

export interface CapitationInput {
  town_code: string;
  town_name: string;
  institution_id: string;
  institution_name: string;
  county_code: string;
  /** Insured persons of the township (the roster) at the year's start, of the pilot's insurance types. */
  insured: number;
  /** The fund's payments for the township's insured, month by month from January to the period's end. */
  months: CapitationMonth[];
  /** The centre's hypertension and diabetes control (indicators, the period's end). */
  control: { hypertension: Ratio; diabetes: Ratio };
}

/** A month's fund payments within the budget and for long prescriptions, and the smart audit's recoveries confirmed in it (absent before rules 2026.2). */
export interface BudgetMonth { month: string; within_fen: number; long_rx_fen: number; recovered_fen?: number }

export interface BudgetInput {
  community_id: string;
  name: string;
  county_code: string;
  /** Last year's fund payments at the community's institutions, within the budget and for long prescriptions, and last year's recoveries. */
  last_year: { within_fen: number; long_rx_fen: number; recovered_fen?: number };
  months: BudgetMonth[];
  /** Luohu: the community's contracted insured at the period's end, their cost this year to date and in the same days of last year. */
  luohu: { contracted: number; this_year_fen: number; last_year_fen: number };
}

export interface ContractFeeInput {
  team_id: string;
  name: string;
  institution_id: string;
  institution_name: string;
  county_code: string;
  /** Σ over the period's months of the team's residents under contract at the month's end (today for the running month). */
  resident_months: number;
  rates: {
    contracting: Ratio;
    registration: Ratio;
    standardised_management: Ratio;
    control: Ratio;
    grassroots_visits: Ratio;
    /** Grassroots share of the claims of the team's contracted patients, and of the county's patients under no contract. */
    community_visit: { contracted: Ratio; not_contracted: Ratio };
  };
}

export interface WorkEquivalentInput {
  team_id: string;
  name: string;
  institution_id: string;
  institution_name: string;
  county_code: string;
  services: Record<string, number>;
}

export interface PaymentInputs {
  year: number;
  quarter: number | null;
  /** The period's first and last day; the state is taken at `asOf` (the period's end, or today while it runs). */
  start: string;
  end: string;
  asOf: string;
  /** Months from January (capitation, budget) with every month of them over. */
  complete_months: number;
  capitation: CapitationInput[];
  budget: BudgetInput[];
  contract_fee: ContractFeeInput[];
  work_equivalent: WorkEquivalentInput[];
}
