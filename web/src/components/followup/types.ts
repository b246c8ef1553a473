// Shapes of the follow-up API (src/modules/followups/routes.ts). Readings with a decimal point travel as
// integer TENTHS of their unit (fasting glucose 70 = 7.0 mmol/L, weight 652 = 65.2 kg).

import type { PrescriptionLine, Sex } from '../../types.ts';
import type { UrgentSign } from './urgentSigns.ts';

export type FollowupDisease = 'hypertension' | 'diabetes';
export const FOLLOWUP_DISEASES: readonly FollowupDisease[] = ['hypertension', 'diabetes'];

export type Classification = 'satisfactory' | 'unsatisfactory' | 'adverse_reaction' | 'complication';
export const CLASSIFICATIONS: readonly Classification[] = ['satisfactory', 'unsatisfactory', 'adverse_reaction', 'complication'];

export type FollowupAction = 'routine' | 'adjust_recheck' | 'refer_and_check' | 'urgent_referral';

export type VisitMode = 'clinic' | 'home' | 'phone' | 'online';
export const VISIT_MODES: readonly VisitMode[] = ['clinic', 'home', 'phone', 'online'];

export type SaltIntake = 'light' | 'moderate' | 'heavy';
export type MentalState = 'good' | 'fair' | 'poor';
export type Adherence = 'regular' | 'intermittent' | 'none';
export type AdverseReaction = 'none' | 'present' | 'hard_to_control';
export type Complication = 'none' | 'new_or_worse';
export type CheckResult = 'normal' | 'abnormal' | 'not_done';

export type WorklistName = 'due_this_week' | 'overdue' | 'not_seen_this_quarter' | 'uncontrolled' | 'referral_pending';
export const WORKLIST_NAMES: readonly WorklistName[] = [
  'due_this_week',
  'overdue',
  'referral_pending',
  'uncontrolled',
  'not_seen_this_quarter',
];

export type DueState = 'due_this_week' | 'overdue' | 'not_due';

export interface ReadingsInput {
  systolic?: number | null;
  diastolic?: number | null;
  heartRate?: number | null;
  weightTenthsKg?: number | null;
  heightTenthsCm?: number | null;
  fastingGlucoseTenths?: number | null;
  hba1cTenths?: number | null;
}

export interface Readings {
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  weightTenthsKg: number | null;
  heightTenthsCm: number | null;
  bmiTenths: number | null;
  fastingGlucoseTenths: number | null;
  hba1cTenths: number | null;
}

export interface Lifestyle {
  smokingPerDay: number | null;
  drinkingMlPerDay: number | null;
  exercisePerWeek: number | null;
  exerciseMinutes: number | null;
  saltIntake: SaltIntake | null;
  stapleFoodGPerDay: number | null;
  mentalState: MentalState | null;
  adherence: Adherence | null;
}

export interface DrugTaken {
  name: string;
  dose?: string;
  frequency?: string;
}

export interface VisitInput {
  visitDate?: string;
  diseases: FollowupDisease[];
  mode: VisitMode;
  symptoms?: string[];
  readings: ReadingsInput;
  lifestyle?: Partial<Lifestyle>;
  drugs?: DrugTaken[];
  adverseReaction?: AdverseReaction;
  adverseReactionNote?: string;
  complication?: Complication;
  /** 危急情况 found (codes of urgentSigns.ts); any one → urgent referral. */
  urgentSigns?: UrgentSign[];
  referralAdvice?: string;
  note?: string;
  override?: { classification?: Classification; nextVisitDate?: string; reason?: string };
}

export interface Visit {
  id: string;
  visitDate: string;
  diseases: string[];
  mode: VisitMode;
  symptoms: string[];
  readings: Readings;
  lifestyle: Lifestyle;
  drugs: DrugTaken[];
  adverseReaction: string;
  adverseReactionNote: string | null;
  complication: string;
  /** Codes of urgentSigns.ts, or 'unspecified' (recorded with the old single checkbox). */
  urgentSigns: string[];
  /** What the rules computed. */
  rules: {
    classification: Classification;
    action: FollowupAction;
    nextVisitDate: string;
    perDisease: Array<{ disease: string; classification: Classification; action: FollowupAction; nextVisitDate: string }>;
    reasons: Array<{ code: string; text: string }>;
  };
  override: { classification: Classification | null; nextVisitDate: string | null; reason: string } | null;
  /** Final: the override if any, else the rules. */
  classification: Classification;
  action: FollowupAction;
  nextVisitDate: string;
  referralAdvice: string | null;
  note: string | null;
  recordedBy: string | null;
  teamId: string | null;
  createdAt: string;
}

export interface NextVisit {
  dueDate: string;
  state: DueState;
  daysOverdue: number;
  daysUntilDue: number;
}

export interface Targets {
  bp: { systolicBelow: number; diastolicBelow: number };
  fastingGlucoseTenthsBelow: number;
}

export interface Series {
  bp: Array<{ date: string; systolic: number; diastolic: number }>;
  glucose: Array<{ date: string; fastingGlucoseTenths: number | null; hba1cTenths: number | null }>;
}

export interface Management {
  disease: string;
  year: number;
  followUps: number;
  faceToFaceFollowUps: number;
  required: number;
  lastVisitDate: string | null;
  lastControlled: boolean | null;
  lastControlledDate: string | null;
  annualCheckDone: boolean;
  standardised: boolean;
}

export interface Reminder {
  id: number;
  kind: 'due_soon' | 'overdue';
  dueDate: string;
  channel: string;
  status: string;
  message: string;
  createdAt: string;
}

export interface HealthCheck {
  id: string;
  checkDate: string;
  readings: Readings & { waistTenthsCm: number | null };
  labs: { totalCholesterolTenths: number | null; ldlTenths: number | null; creatinineUmol: number | null };
  ecg: string | null;
  fundus: string | null;
  findings: string | null;
}

export interface HealthCheckInput {
  checkDate?: string;
  readings: ReadingsInput & { waistTenthsCm?: number | null };
  labs?: { totalCholesterolTenths?: number | null; ldlTenths?: number | null; creatinineUmol?: number | null };
  ecg?: CheckResult;
  fundus?: CheckResult;
  findings?: string;
}

export type RiskFlag =
  | 'age_65_plus'
  | 'both_diseases'
  | 'no_contract'
  | 'uncontrolled'
  | 'referral_pending'
  | 'urgent_referral'
  | 'adverse_reaction'
  | 'overdue'
  | 'never_followed_up';

export interface Chart {
  person: {
    id: string;
    name: string;
    sex: Sex;
    birthDate: string;
    age: number;
    idNumber: string;
    phone: string | null;
    region: { code: string; name: string };
  };
  conditions: Array<{ code: string; name: string; diagnosedOn: string; source: ConditionSource }>;
  contract: { id: string; team: { id: string; name: string }; startDate: string; endDate: string } | null;
  registrations: Array<{ disease: string; name: string; effectiveFrom: string; effectiveTo: string | null }>;
  riskFlags: string[];
  targets: Targets;
  series: Series;
  visits: Visit[];
  healthChecks: HealthCheck[];
  prescription: PrescriptionLine[];
  reminders: Reminder[];
  nextVisit: NextVisit | null;
  management: Management[];
  /** Hospitals' readings (FHIR import), latest first, at most the last 50; not in `series` or `management`. */
  importedReadings: ImportedReading[];
  outsideMedications: OutsideMedication[];
}

export type ConditionSource = 'screening' | 'follow_up' | 'hospital' | 'self_report' | 'import';

export type ImportedReadingKind = 'blood_pressure' | 'glucose' | 'fasting_glucose' | 'hba1c' | 'weight' | 'height' | 'bmi' | 'heart_rate';

/** As stored: BP (value systolic, value2 diastolic) and heart rate whole; the rest in tenths. */
export interface ImportedReading {
  kind: ImportedReadingKind;
  date: string;
  value: number;
  value2: number | null;
  sourceSystem: string;
}

export interface OutsideMedication {
  text: string;
  drugCode: string | null;
  /** The catalogue's generic name (Chinese) when mapped. */
  drugName: string | null;
  status: string;
  authoredOn: string | null;
  sourceSystem: string;
}

export interface WorklistItem {
  person: { id: string; name: string; sex: Sex; age: number; idNumber: string; phone: string | null };
  diseases: string[];
  lastVisitDate: string | null;
  lastClassification: Classification | null;
  lastAction: FollowupAction | null;
  lastControlled: boolean | null;
  dueDate: string;
  dueState: DueState;
  daysOverdue: number;
  daysUntilDue: number;
}

export interface Worklist {
  list: WorklistName;
  today: string;
  total: number;
  items: WorklistItem[];
}

export interface MyVisit {
  visitDate: string;
  mode: VisitMode;
  diseases: string[];
  systolic: number | null;
  diastolic: number | null;
  heartRate: number | null;
  fastingGlucoseTenths: number | null;
  hba1cTenths: number | null;
  classification: Classification;
  nextVisitDate: string;
}

export interface MyFollowups {
  targets: Targets;
  nextVisit: NextVisit | null;
  series: Series;
  visits: MyVisit[];
  management: Management[];
}

/** Who a visit or health check is recorded for: enough to title the form and prefill it. */
export interface VisitTarget {
  person: { id: string; name: string; sex?: Sex; age?: number; idNumber?: string };
  /** Two-disease diagnoses of the patient: the forms this visit fills in by default. */
  diseases: string[];
  /** Drugs now taken (the continuous prescription), to prefill 用药情况. */
  drugs?: DrugTaken[];
  /** The last height, to prefill it (height rarely changes between visits). */
  heightTenthsCm?: number | null;
}
