// A copy of src/modules/indicators/types.ts (the web app cannot import from src/): GET /api/indicators as
// the server answers it, and GET /api/indicators/patients. Keep the two in step.

export type ScopeLevel = 'city' | 'county' | 'institution' | 'team';

export interface Ratio { numerator: number; denominator: number }

export interface ControlIndicator extends Ratio {
  groups: { uncontrolled: number; visited_no_reading: number; missed_visit: number };
  excluded: { registered_last_3_months: number; lost_to_follow_up: number };
}

export interface Indicators {
  contracting: Ratio;
  registered: Ratio;
  standardised_management: { hypertension: Ratio; diabetes: Ratio };
  control: { hypertension: ControlIndicator; diabetes: ControlIndicator };
  grassroots_visits: Ratio & { pharmacy_claims: number };
  fund_spending: { amount_fen: number; fund_pay_fen: number; self_pay_fen: number; patients: number };
  activity: {
    filed: number; confirmed: number; returned: number;
    /** Patients with a registration in force at the end, and on the same date a year before. */
    registered_patients: number; registered_patients_year_before: number;
  };
  /** Per disease, people with the diagnosis (alive at the end) — the workbook's first column. */
  diagnosed: { hypertension: number; diabetes: number; either: number };
  /** 备药率: grassroots institutions of a medical community stocking ≥ 70 % of their upper institution's drugs (county and city only). */
  drug_stock?: Ratio;
  /** Dispenses in the period that were delivered home / all dispenses (county and city only). */
  delivered_share?: Ratio;
  /** Up-referrals requested in the period that were completed / all requested (county and city only). */
  referral_completion?: Ratio;
  /** Claims of the period with a smart-audit finding / the period's two-disease claims; per 1,000 = 1000 × numerator / denominator (county and city only). */
  audit_findings_per_1000_claims?: Ratio;
}

export interface IndicatorScope {
  level: ScopeLevel;
  /** Region code for city and county; institution or team id below. */
  code: string;
  name: string;
  /** The scope above (the county of an institution, the institution of a team); absent for the city. */
  parent?: string;
  indicators: Indicators;
}

export interface IndicatorReport {
  period: { year: number; quarter: number | null; start: string; end: string };
  /** The definitions' version (src/engine/indicators). */
  version: string;
  /** Only one insurance type's patients (the quarterly workbook's two reports); absent: both. */
  insuranceType?: 'resident' | 'employee';
  scopes: IndicatorScope[];
}

/** GET /api/indicators/patients: the indicators a list of patients can be asked for. */
export const PATIENT_INDICATORS = ['contracting', 'registered', 'standardised_management.hypertension', 'standardised_management.diabetes', 'control.hypertension', 'control.diabetes'] as const;
export type PatientIndicator = (typeof PATIENT_INDICATORS)[number];

/** The groups of a list: the first three for every indicator, the rest for the control rates only. */
export const PATIENT_GROUPS = ['numerator', 'denominator', 'not_met', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up'] as const;
export type PatientGroup = (typeof PATIENT_GROUPS)[number];

export interface IndicatorPatient {
  personId: string;
  /** Masked for the analyst (张*丰). */
  name: string;
  /** Always masked. */
  idNumber: string;
  sex: string;
  age: number;
  countyName: string | null;
  teamName: string | null;
  /** The patient's control group, for a control rate's list. */
  state: string | null;
}

export interface IndicatorPatientPage {
  total: number;
  items: IndicatorPatient[];
}
