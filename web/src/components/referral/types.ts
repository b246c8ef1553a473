// Shapes of the referral API (src/modules/referrals/routes.ts, docs/referrals.md), as the screens use them.
import type { Frequency, Sex } from '../../types.ts';

export const REFERRAL_STATES = ['requested', 'accepted', 'declined', 'attended', 'completed', 'expired'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];
export type Direction = 'up' | 'down';
export type Urgency = 'urgent' | 'routine';
export const URGENCIES: readonly Urgency[] = ['routine', 'urgent'];
/** 四优先: what the receiving hospital gives a referred patient first. */
export const PRIORITIES = ['appointment', 'examination', 'admission', 'bed'] as const;
export type Priority = (typeof PRIORITIES)[number];
/** GET /api/referrals?box=…: the team's up-referrals (out) and down-referrals (down); the hospital's incoming (in) and sent back (down). */
export type Box = 'out' | 'in' | 'down';

export interface Named {
  id: string;
  name: string;
}

export interface InstitutionRef extends Named {
  level: string;
}

export interface ReferralPerson {
  id: string;
  name: string;
  sex: Sex;
  age: number;
  /** Masked. */
  idNumber: string;
}

/** A line of the medication sent with an up-referral (the registration's dose is text: "1片"). */
export interface AttachedLine {
  drugCode: string;
  drugName: string;
  dose: string | number;
  frequency: Frequency | string;
  daysSupply: number;
}

export interface AttachedPrescription {
  source: 'prescription' | 'continuous';
  prescriptionNo: string | null;
  writtenOn: string | null;
  lines: AttachedLine[];
}

export interface ContinueLine {
  drugCode: string;
  drugName: string;
  dose: number;
  frequency: Frequency;
  daysSupply: number;
  quantity?: number;
}

export interface Discharge {
  date: string;
  summary: string;
  sourcePrescriptionNo: string | null;
  continueLines: ContinueLine[];
  /** The discharge date + 14 days. */
  followUpDue: string;
  followedUp: { visitId: string; on: string } | null;
  /** Not followed up and today is past followUpDue. */
  overdue: boolean;
  extendedPrescriptionId: string | null;
}

export interface HistoryEntry {
  at: string;
  action: string;
  from: string | null;
  to: string;
  reason: string | null;
  by: string | null;
}

/** A row of a list: the referral without its history, prescriptions and clinical summary. */
export interface ReferralItem {
  id: string;
  referralNo: string;
  direction: Direction;
  status: ReferralState;
  /** The receiving side may read the patient's record while it is (the server's referred_here). */
  inForce: boolean;
  urgency: Urgency;
  person: ReferralPerson;
  from: { institution: InstitutionRef; team: Named | null; by: string | null };
  to: { institution: InstitutionRef | null; team: Named | null };
  reason: string | null;
  department: string | null;
  requestedDate: string | null;
  appointment: { date: string; department: string | null } | null;
  priorities: Priority[];
  followupVisitId: string | null;
  upReferralId: string | null;
  discharge: Discharge | null;
  requestedAt: string;
  acceptedAt: string | null;
  declinedAt: string | null;
  declineReason: string | null;
  attendedAt: string | null;
  completedAt: string | null;
  expiresOn: string | null;
  /** requested → accepted (or → now while it waits). */
  waiting: { hours: number; days: number; answered: boolean } | null;
}

export interface Referral extends ReferralItem {
  clinicalSummary: string | null;
  prescriptions: AttachedPrescription[];
  history: HistoryEntry[];
}

export interface Destination extends InstitutionRef {
  countyCode: string;
}

export interface UpReferralBody {
  personId: string;
  toInstitutionId: string;
  fromVisitId?: string;
  urgency: Urgency;
  /** From a visit, what is left out the server takes from it (and the department from the diseases). */
  reason?: string;
  department?: string;
  requestedDate?: string;
  clinicalSummary?: string;
}

export interface AcceptBody {
  appointmentDate: string;
  department?: string;
  priorities: Priority[];
}

export interface DownReferralBody {
  personId: string;
  dischargeDate: string;
  dischargeSummary: string;
  department?: string;
  upReferralId?: string;
  sourcePrescriptionNo?: string;
  continueLines?: Array<{ drugCode: string; dose: number; frequency: Frequency; daysSupply: number }>;
}
