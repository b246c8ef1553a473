// Row types of the tables, as Kysely sees them. Dates are 'YYYY-MM-DD' strings (see connect.ts);
// columns with a database default are Generated so inserts may leave them out.
import type { ColumnType, Generated } from 'kysely';

// timestamptz: read as Date; written as Date or ISO string; a database default lets inserts leave it out
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type RegionLevel = 'province' | 'city' | 'county' | 'town';
export type InstitutionLevel = 'grassroots' | 'secondary' | 'tertiary' | 'pharmacy';
export type InstitutionKind = 'community_health_centre' | 'township_health_centre' | 'village_clinic' | 'hospital' | 'pharmacy';
export type Sex = 'male' | 'female';
export type InsuranceType = 'resident' | 'employee';
export type Role = 'family_doctor' | 'pharmacist' | 'insurance_reviewer' | 'analyst' | 'institution_admin' | 'system_admin' | 'patient' | 'delivery' | 'specialist';
export type ConditionSource = 'screening' | 'follow_up' | 'hospital' | 'self_report' | 'import';

export interface RegionTable {
  code: string;
  name: string;
  name_en: string | null;
  level: RegionLevel;
  parent_code: string | null;
}

export interface DiseaseTable {
  code: string;
  name_zh: string;
  name_en: string;
  disease_group: 'two_disease' | 'chronic';
  icd10: string[];
}

export interface DrugTable {
  code: string;
  generic_name_zh: string;
  generic_name_en: string;
  form: string;
  strength: string;
  pack_size: number;
  unit: string;
  atc: string;
  /** Registry diseases it is for; empty for a general-outpatient drug. */
  diseases: string[];
  vbp: boolean;
  price_fen: number;
  daily_units: number;
  /** Drug lists it is on ('chronic-common', 'nrdl', 'tertiary'); empty when self-paid. */
  lists: string[];
}

export interface MedicalCommunityTable {
  id: Generated<string>;
  name: string;
  county_code: string;
}

export interface InstitutionTable {
  id: Generated<string>;
  code: string;
  name: string;
  level: InstitutionLevel;
  kind: InstitutionKind;
  county_code: string;
  region_code: string;
  medical_community_id: string | null;
  upper_institution_id: string | null;
  designated: Generated<boolean>;
  address: string | null;
  /** A landline with its area code (0573-82345678) or a mobile number (is_valid_phone). */
  phone: string | null;
}

export interface PractitionerTable {
  id: Generated<string>;
  name: string;
  profession: 'doctor' | 'nurse' | 'public_health' | 'pharmacist';
  institution_id: string;
  license_no: string;
}

export interface FamilyDoctorTeamTable {
  id: Generated<string>;
  name: string;
  institution_id: string;
  leader_id: string;
  /** The team's service phone (签约服务电话), shown to its patients. */
  phone: string | null;
}

export interface TeamMemberTable {
  team_id: string;
  practitioner_id: string;
  member_role: 'gp' | 'nurse' | 'public_health' | 'specialist';
}

export interface PersonTable {
  id: Generated<string>;
  name: string;
  sex: Sex;
  /** Not after today (Asia/Shanghai): the person_birth_not_future trigger refuses it. */
  birth_date: string;
  /** GB 11643 and agreeing with birth_date and sex; the same rules as engine/identity's residentIdProblem. */
  id_number: string;
  phone: string | null;
  region_code: string;
  address: string | null;
  insurance_type: InsuranceType;
  insured_since: string;
  created_at: Timestamp;
  /** Recorded by an approved revocation for death or the roster import (migration 0019). */
  death_date: Generated<string | null>;
}

export interface PersonConditionTable {
  person_id: string;
  disease_code: string;
  diagnosed_on: string;
  source: ConditionSource;
  institution_id: string | null;
  recorded_at: Timestamp;
  /** An imported diagnosis's source system and resource id (migration 0021). */
  source_system: Generated<string | null>;
  source_id: Generated<string | null>;
}

export interface AppUserTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  practitioner_id: string | null;
  team_id: string | null;
  institution_id: string | null;
  region_code: string | null;
  person_id: string | null;
  demo: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Timestamp;
  /** Set when an administrator disabled the account: it cannot sign in, its sessions are gone. */
  disabled_at: Date | null;
  /** After a reset: the next sign-in must choose a new password before anything else. */
  must_change_password: Generated<boolean>;
  password_changed_at: Date | null;
  /** The delivery provider a `delivery` user works for (migration 0015); null for every other role. */
  delivery_provider_id: Generated<string | null>;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Date;
  ip: string | null;
}

/** Audit rows that concern no one person: sign-ins, searches, lists, refusals without a person. */
export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  ip: string | null;
  detail: unknown;
}

/** Audit rows about one person's record, kept beside it (co-located with the person). */
export interface PersonAuditTable extends AuditLogTable {
  person_id: string;
}

/** An ID number is unique here (keyed by the number, not by person: see docs/scale.md). */
export interface PersonIdNumberTable {
  id_number: string;
  person_id: string;
}

export interface DB {
  region: RegionTable;
  disease: DiseaseTable;
  drug: DrugTable;
  medical_community: MedicalCommunityTable;
  institution: InstitutionTable;
  practitioner: PractitionerTable;
  family_doctor_team: FamilyDoctorTeamTable;
  team_member: TeamMemberTable;
  person: PersonTable;
  person_id_number: PersonIdNumberTable;
  person_condition: PersonConditionTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
  person_audit: PersonAuditTable;
}

export interface ServicePackageTable {
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'basic' | 'chronic';
  diseases: string[];
  items: unknown;
  annual_fee_fen: number;
}

export type ContractStatus = 'active' | 'renewed' | 'lapsed' | 'terminated';
export interface ContractTable {
  id: Generated<string>;
  person_id: string;
  team_id: string;
  doctor_id: string;
  start_date: string;
  end_date: string;
  packages: string[];
  consent_signer: 'self' | 'guardian' | 'proxy';
  consent_signer_name: string;
  consent_signed_at: ColumnType<Date, Date | string, Date | string>;
  consent_form_name: string | null;
  consent_form: Buffer | null;
  status: Generated<ContractStatus>;
  previous_contract_id: string | null;
  terminated_on: string | null;
  termination_reason: string | null;
  created_at: Timestamp;
}

export interface ContractEventTable {
  id: Generated<number>;
  contract_id: string;
  person_id: string;
  at: Timestamp;
  user_id: string | null;
  action: 'sign' | 'renew' | 'terminate' | 'lapse';
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

export type FilingKind = 'initial' | 'change' | 'revocation';
export type FilingStatus = 'submitted' | 'returned' | 'approved' | 'withdrawn';
export type ChangeReason = 'recovery' | 'progression' | 'new_disease' | 'medication_change';
export type RevocationReason = 'death' | 'moved_out' | 'insurance_ended' | 'other';
export interface RegistrationFilingTable {
  id: Generated<string>;
  person_id: string;
  contract_id: string;
  team_id: string;
  county_code: string;
  kind: FilingKind;
  change_reason: ChangeReason | null;
  revocation_reason: RevocationReason | null;
  /** A revocation for death: the date of death (migration 0019). */
  death_date: Generated<string | null>;
  note: string | null;
  status: Generated<FilingStatus>;
  filed_by: string;
  submitted_at: Timestamp;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
  effective_date: string | null;
  confirmation: 'agency' | 'one_stop' | null;
  decision_reason_code: ReturnReasonCode | null;
  requested_attachments: Generated<AttachmentKind[]>;
}

export type AttachmentKind = 'diagnosis_certificate' | 'discharge_summary' | 'lab_report' | 'other';
export type ReturnReasonCode = 'insufficient_basis' | 'missing_certificate' | 'prescription_mismatch' | 'identity_error' | 'other';

/** Evidence attached to a filing (migration 0013): a PDF, JPEG or PNG of at most 10 MiB. */
export interface FilingAttachmentTable {
  id: Generated<string>;
  person_id: string;
  filing_id: string;
  kind: AttachmentKind;
  name: string;
  media_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size_bytes: number;
  content: Buffer;
  uploaded_by: string;
  uploaded_at: Timestamp;
}

export interface FilingDiseaseTable {
  filing_id: string;
  person_id: string;
  disease_code: string;
  action: 'add' | 'keep' | 'remove';
  diagnosed_on: string | null;
  basis: unknown;
  open: Generated<boolean>;
}

export interface FilingPrescriptionLineTable {
  filing_id: string;
  person_id: string;
  line_no: number;
  drug_code: string;
  dose: string;
  frequency: 'qd' | 'bid' | 'tid' | 'qid' | 'qn' | 'qw';
  days_supply: number;
  dispensing: 'own' | 'external';
  pharmacy_id: string | null;
}

export interface FilingEventTable {
  id: Generated<number>;
  filing_id: string;
  person_id: string;
  at: Timestamp;
  user_id: string | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  detail: unknown;
}

export interface RegistrationTable {
  id: Generated<string>;
  person_id: string;
  disease_code: string;
  effective_from: string;
  effective_to: string | null;
  diagnosed_on: string;
  confirmed_filing_id: string;
  ended_filing_id: string | null;
}

export interface ContinuousPrescriptionTable {
  id: Generated<string>;
  person_id: string;
  filing_id: string;
  line_no: number;
  drug_code: string;
  dose: string;
  frequency: string;
  days_supply: number;
  dispensing: string;
  pharmacy_id: string | null;
  effective_from: string;
  effective_to: string | null;
}

export interface DB {
  service_package: ServicePackageTable;
  contract: ContractTable;
  contract_event: ContractEventTable;
  registration_filing: RegistrationFilingTable;
  filing_disease: FilingDiseaseTable;
  filing_prescription_line: FilingPrescriptionLineTable;
  filing_event: FilingEventTable;
  filing_attachment: FilingAttachmentTable;
  registration: RegistrationTable;
  continuous_prescription: ContinuousPrescriptionTable;
}

export interface BenefitAccumulatorTable {
  person_id: string;
  year: number;
  pools: ColumnType<Record<string, { fundPaid: number; deductibleMet: number }>, string | undefined, string>;
  /** Bumped by every change of pools: a settlement's write succeeds only on the version it read. */
  version: Generated<number>;
  /** Latest service date of a settled claim this year: a claim dated before it re-settles the year. */
  last_service_date: string | null;
  updated_at: Timestamp;
}

export interface ClaimTable {
  id: Generated<string>;
  person_id: string;
  institution_id: string;
  idempotency_key: string;
  request_hash: string;
  service_date: string;
  insurance_type: InsuranceType;
  institution_level: InstitutionLevel;
  policy_id: string;
  status: Generated<'settled' | 'reversed'>;
  amount_fen: number;
  fund_pay_fen: number;
  deductible_fen: number;
  copay_fen: number;
  over_limit_fen: number;
  critical_illness_fen: number;
  settled_by: string;
  settled_at: Timestamp;
  reversed_by: string | null;
  reversed_at: Date | null;
  reversal_reason: string | null;
  at_chosen_institution: Generated<boolean>;
  /** 结算单号 (migration 0014): institution code, service date, a sequence value; given by the insert or the claim_number trigger. */
  settlement_no: Generated<string>;
}

export interface ClaimLineTable {
  claim_id: string;
  person_id: string;
  line_no: number;
  drug_code: string;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
  days_supply: number;
  disease_code: string | null;
  scope: 'two_disease' | 'general' | 'specified_disease';
  scope_reason: string;
  benefit: string;
  reason: string;
  ratio_bp: number;
  fund_pay_fen: number;
  deductible_fen: number;
  copay_fen: number;
  over_limit_fen: number;
  fund_remaining_fen: number | null;
  explanation: string;
  drug_lists: string[] | null;
  extended: Generated<boolean>;
  critical_illness_fen: Generated<number>;
}

/** What re-settling a person's year changed on a claim (补扣/补付), differences new minus old. */
export interface ClaimAdjustmentTable {
  id: Generated<string>;
  seq: Generated<number>;
  person_id: string;
  claim_id: string;
  caused_by: string;
  cause: 'reversal' | 'backdated';
  fund_pay_fen: number;
  deductible_fen: number;
  copay_fen: number;
  over_limit_fen: number;
  critical_illness_fen: number;
  lines: ColumnType<AdjustedLine[], string, string>;
  created_by: string;
  at: Timestamp;
}
export interface AdjustedLine {
  lineNo: number;
  fundPayFen: number;
  deductibleFen: number;
  copayFen: number;
  overLimitFen: number;
  criticalIllnessFen: number;
}

export interface ClaimEventTable {
  id: Generated<number>;
  claim_id: string;
  person_id: string;
  at: Timestamp;
  user_id: string | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

export interface DB {
  benefit_accumulator: BenefitAccumulatorTable;
  claim: ClaimTable;
  claim_line: ClaimLineTable;
  claim_adjustment: ClaimAdjustmentTable;
  claim_event: ClaimEventTable;
}

export type FollowupClassification = 'satisfactory' | 'unsatisfactory' | 'adverse_reaction' | 'complication';
export type FollowupAction = 'routine' | 'adjust_recheck' | 'refer_and_check' | 'urgent_referral';
type Json<T> = ColumnType<T, string, string>;

export interface FollowupVisitTable {
  id: Generated<string>;
  person_id: string;
  visit_date: string;
  diseases: string[];
  mode: 'clinic' | 'home' | 'phone' | 'online';
  symptoms: ColumnType<string[], string[] | undefined, string[]>;
  systolic: number | null;
  diastolic: number | null;
  heart_rate: number | null;
  weight_tenths_kg: number | null;
  height_tenths_cm: number | null;
  bmi_tenths: number | null;
  fasting_glucose_tenths: number | null;
  hba1c_tenths: number | null;
  smoking_per_day: number | null;
  drinking_ml_per_day: number | null;
  exercise_per_week: number | null;
  exercise_minutes: number | null;
  salt_intake: 'light' | 'moderate' | 'heavy' | null;
  staple_food_g_per_day: number | null;
  mental_state: 'good' | 'fair' | 'poor' | null;
  adherence: 'regular' | 'intermittent' | 'none' | null;
  drugs: ColumnType<Array<{ name: string; dose?: string; frequency?: string }>, string | undefined, string>;
  adverse_reaction: ColumnType<'none' | 'present' | 'hard_to_control', string | undefined, string>;
  adverse_reaction_note: string | null;
  complication: ColumnType<'none' | 'new_or_worse', string | undefined, string>;
  /** Codes of src/engine/followup/urgentSigns.ts (CHECK in migration 0008); 'unspecified' for the old checkbox. */
  urgent_signs: ColumnType<string[], string[] | undefined, string[]>;
  classification: FollowupClassification;
  action: FollowupAction;
  next_visit_date: string;
  per_disease: Json<Array<{ disease: string; classification: FollowupClassification; action: FollowupAction; nextVisitDate: string }>>;
  reasons: Json<Array<{ code: string; text: string }>>;
  override_classification: FollowupClassification | null;
  override_next_visit_date: string | null;
  override_reason: string | null;
  final_classification: ColumnType<FollowupClassification, never, never>;
  final_next_visit_date: ColumnType<string, never, never>;
  referral_advice: string | null;
  note: string | null;
  recorded_by: string;
  team_id: string | null;
  created_at: Timestamp;
}

export interface HealthCheckTable {
  id: Generated<string>;
  person_id: string;
  check_date: string;
  systolic: number | null;
  diastolic: number | null;
  heart_rate: number | null;
  weight_tenths_kg: number | null;
  height_tenths_cm: number | null;
  bmi_tenths: number | null;
  waist_tenths_cm: number | null;
  fasting_glucose_tenths: number | null;
  hba1c_tenths: number | null;
  total_cholesterol_tenths: number | null;
  ldl_tenths: number | null;
  creatinine_umol: number | null;
  ecg: 'normal' | 'abnormal' | 'not_done' | null;
  fundus: 'normal' | 'abnormal' | 'not_done' | null;
  findings: string | null;
  recorded_by: string;
  team_id: string | null;
  created_at: Timestamp;
}

export type ControlGroup = 'controlled' | 'uncontrolled' | 'visited_no_reading' | 'missed_visit' | 'registered_last_3_months' | 'lost_to_follow_up';

/** A patient's state at the end of a month (migration 0019, src/engine/indicators/patientMonth.ts). */
export interface IndicatorMonthTable {
  person_id: string;
  month: string;
  version: string;
  county_code: string;
  insurance_type: InsuranceType;
  team_id: string | null;
  institution_id: string | null;
  alive: boolean;
  diagnosed: boolean;
  registered: boolean;
  annual_check: boolean;
  ht_diagnosed: boolean;
  dm_diagnosed: boolean;
  ht_registered: boolean;
  dm_registered: boolean;
  ht_owed: number;
  dm_owed: number;
  ht_face_to_face: number;
  dm_face_to_face: number;
  ht_control: ControlGroup | null;
  dm_control: ControlGroup | null;
  q_grassroots: Generated<number>;
  q_hospital: Generated<number>;
  q_pharmacy: Generated<number>;
  q_amount_fen: Generated<number>;
  q_fund_pay_fen: Generated<number>;
  y_grassroots: Generated<number>;
  y_hospital: Generated<number>;
  y_pharmacy: Generated<number>;
  y_amount_fen: Generated<number>;
  y_fund_pay_fen: Generated<number>;
  q_filed: Generated<number>;
  q_confirmed: Generated<number>;
  q_returned: Generated<number>;
  q_dispensed: Generated<number>;
  q_delivered: Generated<number>;
  y_filed: Generated<number>;
  y_confirmed: Generated<number>;
  y_returned: Generated<number>;
  y_dispensed: Generated<number>;
  y_delivered: Generated<number>;
  registered_year_before: Generated<boolean>;
}

/** FHIR bulk export jobs (migration 0022, docs/fhir.md). */
export interface FhirExportTable {
  id: Generated<string>;
  county_code: string;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: Timestamp;
  status: Generated<'running' | 'completed' | 'failed'>;
  persons_done: Generated<number>;
  finished_at: Date | null;
  report: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
}

/** FHIR imports and what they brought (migration 0021, docs/fhir.md). */
export interface FhirImportTable {
  id: Generated<string>;
  source: string;
  imported_by: string | null;
  imported_by_name: string;
  imported_at: Timestamp;
  report: ColumnType<unknown, string, string>;
}
export interface ImportedReadingTable {
  person_id: string;
  source_system: string;
  source_id: string;
  kind: 'blood_pressure' | 'glucose' | 'fasting_glucose' | 'hba1c' | 'weight' | 'height' | 'bmi' | 'heart_rate';
  reading_date: string;
  value: number;
  value2: number | null;
  import_id: string;
}
export interface OutsideMedicationTable {
  person_id: string;
  source_system: string;
  source_id: string;
  text: string;
  rxnorm: string | null;
  atc: string | null;
  drug_code: string | null;
  status: string;
  authored_on: string | null;
  import_id: string;
}

/** A payment run with what it read and gave (migration 0020, src/engine/payment). */
export interface PaymentRunTable {
  id: Generated<string>;
  year: number;
  quarter: number | null;
  as_of: string;
  version: string;
  parameters_id: string;
  parameters: ColumnType<unknown, string, string>;
  inputs: ColumnType<unknown, string, string>;
  results: ColumnType<unknown, string, string>;
  inputs_hash: string;
  created_by: string | null;
  created_by_name: string;
  created_at: Timestamp;
}

export interface IndicatorBuiltMonthTable {
  month: string;
  version: string;
  patients: number;
  built_at: Generated<Timestamp>;
}

export interface FollowupStateTable {
  person_id: string;
  last_visit_id: string;
  last_visit_date: string;
  next_visit_date: string;
  due_date: string;
  last_classification: FollowupClassification;
  last_action: FollowupAction;
  last_controlled: boolean | null;
}

export interface FollowupReminderTable {
  id: Generated<number>;
  person_id: string;
  kind: 'due_soon' | 'overdue';
  due_date: string;
  channel: string;
  status: Generated<'sent' | 'failed'>;
  message: string;
  created_at: Timestamp;
}

export interface JobRunTable {
  job: string;
  run_date: string;
  started_at: Timestamp;
  result: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DB {
  followup_visit: FollowupVisitTable;
  health_check: HealthCheckTable;
  followup_state: FollowupStateTable;
  indicator_month: IndicatorMonthTable;
  indicator_built_month: IndicatorBuiltMonthTable;
  payment_run: PaymentRunTable;
  fhir_import: FhirImportTable;
  fhir_export: FhirExportTable;
  imported_reading: ImportedReadingTable;
  outside_medication: OutsideMedicationTable;
  followup_reminder: FollowupReminderTable;
  job_run: JobRunTable;
}

// Prescriptions, dispensing, home delivery and stock (migration 0015, issue 14).
export type PrescriptionStatus = 'draft' | 'submitted' | 'under_review' | 'approved' | 'returned' | 'partly_dispensed' | 'dispensed' | 'expired' | 'cancelled';
export type PrescriptionOrigin = 'new' | 'continuous' | 'renewal' | 'extended';
export type FillPlace = 'own' | 'pharmacy' | 'delivery';
export type Frequency = 'qd' | 'bid' | 'tid' | 'qid' | 'qn' | 'qw';
export type DeliveryStatus = 'ordered' | 'rechecked' | 'out_for_delivery' | 'delivered' | 'failed' | 'returned';

export interface DeliveryProviderTable {
  id: Generated<string>;
  code: string;
  name: string;
  county_code: string;
  phone: string | null;
}

export interface PrescriptionTable {
  id: Generated<string>;
  person_id: string;
  prescription_no: string;
  origin: PrescriptionOrigin;
  institution_id: string;
  county_code: string;
  team_id: string | null;
  doctor_id: string;
  written_on: string;
  valid_until: string;
  days_supply: number;
  stable_reason: string | null;
  renewal_of: string | null;
  source_prescription_no: string | null;
  source_institution_id: string | null;
  fill_place: FillPlace;
  fill_institution_id: string;
  delivery_address: string | null;
  status: Generated<PrescriptionStatus>;
  findings: ColumnType<unknown[], string | undefined, string>;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  override_reason: string | null;
  created_at: Timestamp;
  submitted_at: Date | null;
  approved_at: Date | null;
}

export interface PrescriptionLineTable {
  prescription_id: string;
  line_no: number;
  person_id: string;
  drug_code: string;
  /** One administration in thousandths of the drug's unit (1 tablet = 1000). */
  dose_milli: number;
  frequency: Frequency;
  days_supply: number;
  quantity: number;
  dispensed_quantity: Generated<number>;
}

export interface PrescriptionEventTable {
  id: Generated<number>;
  person_id: string;
  prescription_id: string;
  at: Timestamp;
  user_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  detail: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface RenewalRequestTable {
  id: Generated<string>;
  person_id: string;
  prescription_id: string;
  team_id: string;
  status: Generated<'open' | 'renewed' | 'declined'>;
  note: string | null;
  requested_at: Timestamp;
  handled_by: string | null;
  handled_at: Date | null;
  decline_reason: string | null;
  renewal_id: string | null;
}

export interface DispenseTable {
  id: Generated<string>;
  person_id: string;
  prescription_id: string;
  institution_id: string;
  claim_id: string;
  status: Generated<'dispensed' | 'returned'>;
  delivery: Generated<boolean>;
  dispensed_by: string;
  dispensed_at: Date;
  returned_by: string | null;
  returned_at: Date | null;
  return_reason: string | null;
}

export interface DispenseLineTable {
  dispense_id: string;
  line_no: number;
  person_id: string;
  prescription_line_no: number;
  drug_code: string;
  batch_no: string;
  expiry_date: string;
  quantity: number;
}

export interface DeliveryOrderTable {
  id: Generated<string>;
  person_id: string;
  prescription_id: string;
  dispense_id: string;
  provider_id: string;
  institution_id: string;
  status: Generated<DeliveryStatus>;
  address: string;
  phone: string | null;
  recheck1_by: string | null;
  recheck1_at: Date | null;
  recheck2_by: string | null;
  recheck2_at: Date | null;
  out_at: Date | null;
  out_by: string | null;
  finished_at: Date | null;
  finished_by: string | null;
  failure_reason: string | null;
  proof_media_type: 'image/jpeg' | 'image/png' | null;
  proof_size_bytes: number | null;
  proof: Buffer | null;
  created_by: string;
  created_at: Date;
}

export interface DeliveryEventTable {
  id: Generated<number>;
  person_id: string;
  order_id: string;
  at: Timestamp;
  user_id: string | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

export interface StockBatchTable {
  institution_id: string;
  drug_code: string;
  batch_no: string;
  expiry_date: string;
  received: number;
  on_hand: number;
  received_at: Timestamp;
}

export interface StockMovementTable {
  id: Generated<number>;
  institution_id: string;
  drug_code: string;
  batch_no: string;
  kind: 'receive' | 'dispense' | 'return' | 'adjust';
  quantity: number;
  at: Timestamp;
  user_id: string | null;
  person_id: string | null;
  dispense_id: string | null;
  note: string | null;
}

export interface DB {
  delivery_provider: DeliveryProviderTable;
  prescription: PrescriptionTable;
  prescription_line: PrescriptionLineTable;
  prescription_event: PrescriptionEventTable;
  renewal_request: RenewalRequestTable;
  dispense: DispenseTable;
  dispense_line: DispenseLineTable;
  delivery_order: DeliveryOrderTable;
  delivery_event: DeliveryEventTable;
  stock_batch: StockBatchTable;
  stock_movement: StockMovementTable;
}

// Smart audit after the event (migration 0017, issue 15).
export type AuditSubject = 'claim' | 'prescription' | 'claim_or_prescription' | 'doctor';
export type AuditFindingStatus = 'open' | 'confirmed' | 'dismissed';

export interface AuditRuleTable {
  code: string;
  version: number;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  subject: AuditSubject;
  params: ColumnType<Record<string, unknown>, string, string>;
  national_rule: string | null;
  points: number;
  active: boolean;
  synced_at: Generated<Timestamp>;
}

export interface AuditRunTable {
  id: Generated<string>;
  service_date: string;
  trigger: 'nightly' | 'cli' | 'api';
  started_at: Date;
  finished_at: Date | null;
  rule_versions: ColumnType<Record<string, number>, string, string>;
  claims_checked: Generated<number>;
  prescriptions_checked: Generated<number>;
  findings_total: Generated<number>;
  findings_new: Generated<number>;
  started_by: string | null;
}

export interface AuditFindingTable {
  id: Generated<string>;
  finding_key: string;
  rule_code: string;
  rule_version: number;
  service_date: string;
  county_code: string;
  claim_id: string | null;
  prescription_id: string | null;
  person_id: string | null;
  institution_id: string;
  doctor_id: string | null;
  evidence: ColumnType<Record<string, unknown>, string, string>;
  amount_fen: number;
  status: Generated<AuditFindingStatus>;
  deduction_fen: number | null;
  deduction_against: 'institution' | 'doctor' | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  run_id: string;
  found_at: Date;
}

export interface AuditFindingEventTable {
  id: Generated<number>;
  finding_id: string;
  at: Date;
  user_id: string | null;
  action: 'found' | 'confirmed' | 'dismissed' | 'reopened';
  from_status: string | null;
  to_status: string;
  reason: string | null;
  detail: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DB {
  audit_rule: AuditRuleTable;
  audit_run: AuditRunTable;
  audit_finding: AuditFindingTable;
  audit_finding_event: AuditFindingEventTable;
}

// Two-way referral (migration 0016): up to a hospital, down to the patient's team after discharge.
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type ReferralDirection = 'up' | 'down';
export type ReferralStatus = 'requested' | 'accepted' | 'declined' | 'attended' | 'completed' | 'expired';
export type ReferralUrgency = 'urgent' | 'routine';
export type ReferralPriority = 'appointment' | 'examination' | 'admission' | 'bed';
/** One line of a prescription to continue after discharge (dose in thousandths of the drug's unit). */
export interface ContinueLine {
  drug_code: string;
  dose_milli: number;
  frequency: Frequency;
  days_supply: number;
  quantity: number;
}
/** The patient's current medication when referred: a prescription, or the registration's continuous prescription. */
export interface PrescriptionSnapshot {
  source: 'prescription' | 'continuous';
  prescriptionNo: string | null;
  writtenOn: string | null;
  lines: Array<{ drugCode: string; drugName: string; dose: string; frequency: string; daysSupply: number }>;
}

export interface ReferralTable {
  id: Generated<string>;
  person_id: string;
  referral_no: string;
  direction: ReferralDirection;
  status: Generated<ReferralStatus>;
  urgency: ReferralUrgency;
  reason: string;
  from_institution_id: string;
  from_team_id: string | null;
  from_user_id: string;
  to_institution_id: string | null;
  to_team_id: string | null;
  department: string | null;
  requested_date: string | null;
  appointment_date: string | null;
  appointment_department: string | null;
  priorities: ColumnType<ReferralPriority[], ReferralPriority[] | undefined, ReferralPriority[]>;
  clinical_summary: string | null;
  prescriptions: ColumnType<PrescriptionSnapshot[], string | undefined, string>;
  followup_visit_id: string | null;
  up_referral_id: string | null;
  discharge_date: string | null;
  discharge_summary: string | null;
  source_prescription_no: string | null;
  continue_lines: ColumnType<ContinueLine[], string | undefined, string>;
  follow_up_due: string | null;
  followed_up_visit_id: string | null;
  followed_up_on: string | null;
  extended_prescription_id: string | null;
  county_code: string;
  requested_at: Timestamp;
  accepted_at: NullableTimestamp;
  accepted_by: string | null;
  declined_at: NullableTimestamp;
  declined_by: string | null;
  decline_reason: string | null;
  attended_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  expires_on: string | null;
}

export interface ReferralEventTable {
  id: Generated<number>;
  person_id: string;
  referral_id: string;
  at: Timestamp;
  user_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  detail: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DB {
  referral: ReferralTable;
  referral_event: ReferralEventTable;
}

// Smart audit's random sampling of unflagged claims (migration 0018, issue 15).
export interface AuditSampleTable {
  id: Generated<string>;
  county_code: string;
  period_from: string;
  period_to: string;
  rate_bp: number | null;
  size: number | null;
  seed: number;
  population_claims: number;
  /** The fund's payment for the population's claims at the draw (fen). */
  population_amount_fen: number;
  created_by: string;
  created_at: Date;
  status: Generated<'open' | 'closed'>;
  closed_at: Date | null;
  closed_by: string | null;
  proposed_deduction_fen: number | null;
}

export interface AuditSampleClaimTable {
  sample_id: string;
  claim_id: string;
  person_id: string;
  institution_id: string;
  amount_fen: number;
  fund_pay_fen: number;
  draw_rank: number;
  result: Generated<'pending' | 'correct' | 'error'>;
  error_amount_fen: number | null;
  note: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

export interface DB {
  audit_sample: AuditSampleTable;
  audit_sample_claim: AuditSampleClaimTable;
}
