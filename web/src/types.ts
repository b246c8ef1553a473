// Shapes of the server's JSON, as the API contract defines them.

export const ROLES = [
  'family_doctor',
  'pharmacist',
  'insurance_reviewer',
  'analyst',
  'institution_admin',
  'system_admin',
  'patient',
  'delivery', // 配送人员: a delivery provider's staff (issue 14)
  'specialist', // 医院医生: a doctor of a secondary or tertiary hospital, receives referrals (双向转诊)
] as const;
export type Role = (typeof ROLES)[number];

export type ScopeKind = 'team' | 'institution' | 'county' | 'city' | 'person' | 'provider' | 'all';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: { kind: ScopeKind; id: string | null; name: string };
  /** After an administrator set the password (a new account, a reset): choose one before anything else. */
  mustChangePassword: boolean;
}

export type Sex = 'male' | 'female';
export type InsuranceType = 'resident' | 'employee';

export interface PersonDisease {
  code: string;
  name: string;
  status: string;
}

export interface PersonSummary {
  id: string;
  name: string;
  sex: Sex;
  birthDate: string;
  age: number;
  /** Masked (330402********1234) unless the caller's role needs the full number. */
  idNumber: string;
  /** Masked (138****1234). */
  phone: string | null;
  insuranceType: InsuranceType;
  region: { code: string; name: string };
  contract: { teamId: string; teamName: string; endDate: string } | null;
  diseases: PersonDisease[];
}

export interface PersonDetail extends PersonSummary {
  address: string | null;
  insuredSince: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** true when the server stopped counting: `total` is a lower bound. */
  totalCapped?: boolean;
}

/** RFC 9457 problem details, as every error of the API is sent. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  /** Stable: a 409's state rule, else the status's code (bad_request, forbidden, …); the web words it (i18n/problems.ts). */
  code?: string;
  /** facts: the dates, limits and codes a message names, for the web to word (server: core/problem.ts). */
  errors?: Array<{ field: string; rule: string; message: string; facts?: Record<string, unknown> }>;
}

// ---- contracts (家庭医生签约) ----

export type RegistrationState = 'none' | 'pending' | 'returned' | 'confirmed';
export type TeamList = 'contracted' | 'unsigned' | 'expiring' | 'attention';

export interface ServicePackage {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: 'basic' | 'chronic';
  diseases: string[];
  items: string[];
  annualFeeFen: number;
}

export type Profession = 'doctor' | 'nurse' | 'public_health' | 'pharmacist';
export type TeamRole = 'gp' | 'nurse' | 'public_health' | 'specialist';

export interface TeamMember {
  id: string;
  name: string;
  profession: Profession;
  role: TeamRole;
  institution: string;
}

export interface Team {
  id: string;
  name: string;
  /** The team's service phone (签约服务电话). */
  phone: string | null;
  institution: { id: string; name: string; address: string | null; phone: string | null };
  region: { code: string; name: string };
  members: TeamMember[];
  contractedPatients: number;
  doctors: number;
  patientsPerDoctor: number | null;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface TeamPatient {
  person: {
    id: string;
    name: string;
    sex: Sex;
    age: number;
    idNumber: string;
    phone: string | null;
    region: { code: string; name: string };
  };
  conditions: CodeName[];
  contract: { id: string; startDate: string; endDate: string; status: ContractStatus; daysToEnd: number } | null;
  registrations: Array<{ disease: string; name: string; state: RegistrationState; filingId: string | null }>;
}

export type ContractStatus = 'active' | 'renewed' | 'lapsed' | 'terminated';
export type ConsentSigner = 'self' | 'guardian' | 'proxy';
export type ContractAction = 'sign' | 'renew' | 'terminate' | 'lapse';

export interface Contract {
  id: string;
  personId: string;
  team: { id: string; name: string };
  doctor: { id: string; name: string };
  startDate: string;
  endDate: string;
  packages: string[];
  status: ContractStatus;
  inForce: boolean;
  daysToEnd: number;
  consent: { signer: ConsentSigner; signerName: string; signedAt: string; formName: string | null };
  previousContractId: string | null;
  terminatedOn: string | null;
  terminationReason: string | null;
  history: Array<{ at: string; action: ContractAction; from: string | null; to: string; reason: string | null; by: string | null }>;
}

export interface ConsentInput {
  signer: ConsentSigner;
  signerName: string;
  signedAt: string;
  form?: { name: string; contentBase64: string };
}

// ---- catalogues ----

export interface Drug {
  code: string;
  genericNameZh: string;
  genericNameEn: string;
  form: string;
  strength: string;
  packSize: number;
  unit: string;
  atc: string;
  diseases: string[];
  vbp: boolean;
  priceFen: number;
}

export interface Institution {
  id: string;
  name: string;
  kind: string;
  level: string;
}

// ---- registrations (认定登记 / 变更登记) ----

export type Frequency = 'qd' | 'bid' | 'tid' | 'qid' | 'qn' | 'qw';
export const FREQUENCIES: readonly Frequency[] = ['qd', 'bid', 'tid', 'qid', 'qn', 'qw'];
export type Dispensing = 'own' | 'external';

export interface PrescriptionLine {
  lineNo: number;
  drugCode: string;
  drugName: string;
  strength: string;
  dose: string;
  frequency: Frequency;
  daysSupply: number;
  dispensing: Dispensing;
  pharmacyId: string | null;
  pharmacyName: string | null;
}

export interface PrescriptionLineInput {
  drugCode: string;
  dose: string;
  frequency: Frequency;
  daysSupply: number;
  dispensing: Dispensing;
  pharmacyId?: string;
}

export interface BpReading {
  date: string;
  systolic: number;
  diastolic: number;
}

export type DiagnosisBasis =
  | { type: 'bp_readings'; readings: BpReading[] }
  | { type: 'glucose'; date: string; fastingGlucose?: number | null; hba1c?: number | null }
  | { type: 'hospital_diagnosis'; institutionName: string; date: string };
export type BasisType = DiagnosisBasis['type'];

export type FilingKind = 'initial' | 'change' | 'revocation';
export type FilingStatus = 'submitted' | 'returned' | 'approved' | 'withdrawn';
export type ChangeReason = 'recovery' | 'progression' | 'new_disease' | 'medication_change';
export type RevocationReason = 'death' | 'moved_out' | 'insurance_ended' | 'other';
export type DiseaseAction = 'add' | 'keep' | 'remove';

export interface FilingDiseaseInput {
  code: string;
  action?: DiseaseAction;
  diagnosedOn?: string;
  basis?: DiagnosisBasis;
}

export interface FilingInput {
  personId: string;
  kind: FilingKind;
  changeReason?: ChangeReason;
  revocationReason?: RevocationReason;
  note?: string;
  diseases: FilingDiseaseInput[];
  prescription?: PrescriptionLineInput[];
}

export interface FilingPerson {
  id: string;
  name: string;
  sex: Sex;
  age: number;
  idNumber: string;
  insuranceType?: InsuranceType;
}

export interface FilingSummary {
  id: string;
  person: FilingPerson;
  team: { id: string; name: string };
  institution: { id: string; name: string };
  kind: FilingKind;
  changeReason: ChangeReason | null;
  revocationReason: RevocationReason | null;
  diseases: Array<{ code: string; name: string; action: DiseaseAction }>;
  status: FilingStatus;
  submittedAt: string;
  ageDays: number;
  decisionReason: string | null;
  decisionReasonCode: ReturnReasonCode | null;
  requestedAttachments: AttachmentKind[];
  decidedAt: string | null;
}

/** Evidence attached to a filing (诊断证明, 出院小结, 检验报告, other). */
export type AttachmentKind = 'diagnosis_certificate' | 'discharge_summary' | 'lab_report' | 'other';
export const ATTACHMENT_KINDS: AttachmentKind[] = ['diagnosis_certificate', 'discharge_summary', 'lab_report', 'other'];
/** The reviewer's preset return reasons (shown in the reader's language), with free text beside. */
export type ReturnReasonCode = 'insufficient_basis' | 'missing_certificate' | 'prescription_mismatch' | 'identity_error' | 'other';
export const RETURN_REASON_CODES: ReturnReasonCode[] = ['insufficient_basis', 'missing_certificate', 'prescription_mismatch', 'identity_error', 'other'];

export interface FilingAttachment {
  id: string;
  kind: AttachmentKind;
  name: string;
  mediaType: 'application/pdf' | 'image/jpeg' | 'image/png';
  sizeBytes: number;
  uploadedAt: string;
  uploadedBy: string | null;
  url: string;
}

export interface AttachmentInput {
  kind: AttachmentKind;
  name: string;
  contentBase64: string;
}

export interface FilingView {
  id: string;
  person: FilingPerson;
  team: { id: string; name: string };
  kind: FilingKind;
  changeReason: ChangeReason | null;
  revocationReason: RevocationReason | null;
  deathDate: string | null;
  note: string | null;
  status: FilingStatus;
  submittedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  decisionReasonCode: ReturnReasonCode | null;
  requestedAttachments: AttachmentKind[];
  attachments: FilingAttachment[];
  effectiveDate: string | null;
  confirmation: 'agency' | 'one_stop' | null;
  filedBy: string | null;
  diseases: Array<{ code: string; name: string; action: DiseaseAction; diagnosedOn: string | null; basis: DiagnosisBasis | null }>;
  prescription: PrescriptionLine[];
  before: {
    registrations: Array<{ disease: string; name: string; effectiveFrom: string }>;
    prescription: PrescriptionLine[];
  };
  history: Array<{
    at: string;
    from: string | null;
    to: string;
    reason: string | null;
    by: string | null;
    role: string | null;
    reasonCode: ReturnReasonCode | null;
    requestedAttachments: AttachmentKind[];
    attachments: AttachmentKind[];
  }>;
}

export interface BatchApproveResult {
  results: Array<{
    id: string;
    ok: boolean;
    status?: string;
    error?: { title: string; detail: string; errors?: Problem['errors'] };
  }>;
}

// ---- eligibility ----

export interface Eligibility {
  date: string;
  personId: string;
  insured: { type: InsuranceType; since: string; onDate: boolean };
  contract: { id: string; team: { id: string; name: string }; startDate: string; endDate: string } | null;
  registrations: Array<{ disease: string; name: string; effectiveFrom: string; effectiveTo: string | null }>;
  prescription: PrescriptionLine[];
  benefits: Array<{ disease: string; name: string; applies: boolean; reason: string; message: string }>;
  /** The two-disease benefit of the policy in force for the person; null when none covers them. */
  rules: { policyId: string; diseases: string[]; maxDaysSupply: number; oneStopLevels: string[] } | null;
}
