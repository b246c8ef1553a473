// The facts the smart audit (智能审核, issue 15) reads about one insured person, and what it finds.
// Pure data: the module's queries fill these from the database, the rules (rules/*.ts) read them.
import type { IsoDate } from '../calendar';
import type { ContractFact, RegistrationFact } from '../eligibility';
import type { Frequency } from '../prescription/supply';

export const AUDIT_RULE_CODES = [
  'duplicate_therapy',
  'overlapping_supply',
  'early_refill',
  'over_max_days',
  'dose_over_max',
  'drug_not_for_registered_disease',
  'not_registered_on_service_date',
  'not_contracted_on_service_date',
  'abnormal_frequency',
  'no_followup_before_renewal',
  'split_claims',
  'prescriber_outlier',
] as const;
export type AuditRuleCode = (typeof AUDIT_RULE_CODES)[number];

/** A drug as the rules need it (data/drugs.json). */
export interface AuditDrug {
  code: string;
  classes: readonly string[];
  /** Registry diseases it treats; empty outside the chronic scope. */
  diseases: readonly string[];
  maxDailyUnits: number;
  packSize: number;
}

export interface AuditClaimLine {
  lineNo: number;
  drugCode: string;
  /** Packs. */
  quantity: number;
  daysSupply: number;
  /** 'two_disease' / 'specified_disease': claimed under the chronic benefit; 'general': general outpatient. */
  scope: string;
  fundPayFen: number;
}

/** A settled (not reversed) claim of the person: the day's claims and their history alike. */
export interface AuditClaim {
  id: string;
  serviceDate: IsoDate;
  /** Orders claims within a day (ISO instant). */
  settledAt: string;
  institutionId: string;
  /** The prescription it dispensed (dispense.claim_id), null for a counter purchase without one. */
  prescriptionId: string | null;
  /** The prescription's doctor (app_user id), null without a prescription. */
  doctorId: string | null;
  lines: AuditClaimLine[];
}

/** What the benefit policy that settled a claim (or covers a prescription) says; prescriptionParams reads it. */
export interface AuditPolicyParams {
  maxDaysSupply: number;
  earlyRefillBp: number;
  onHandToleranceDays: number;
  followUpWindowDays: number;
}

export interface AuditPrescriptionLine {
  lineNo: number;
  drugCode: string;
  doseMilli: number;
  frequency: Frequency;
  daysSupply: number;
}

/** An approved prescription written on an audited day. */
export interface AuditPrescription {
  id: string;
  writtenOn: IsoDate;
  origin: 'new' | 'continuous' | 'renewal' | 'extended';
  institutionId: string;
  doctorId: string;
  lines: AuditPrescriptionLine[];
  /** Fund payment of the claim lines its dispenses settled so far, by drug code (the amount at stake). */
  dispensedFundPayFen: Record<string, number>;
}

export interface PersonAuditFacts {
  personId: string;
  /** Settled claims from the look-back window up to the last audited day, any order. */
  claims: AuditClaim[];
  registrations: RegistrationFact[];
  contracts: ContractFact[];
  /** Approved prescriptions written on the audited days. */
  prescriptions: AuditPrescription[];
  /** Dates of the person's follow-up visits (any order). */
  followUpVisits: IsoDate[];
}

/** One finding of one rule about one claim or one prescription (or, prescriber_outlier, one doctor on one day). */
export interface AuditFinding {
  rule: AuditRuleCode;
  serviceDate: IsoDate;
  claimId: string | null;
  prescriptionId: string | null;
  personId: string | null;
  institutionId: string;
  doctorId: string | null;
  /** The facts that tripped the rule. */
  evidence: Record<string, unknown>;
  /** The fund's payment at stake, in fen (which payment, per rule: docs/smart-audit.md). */
  amountFen: number;
}

/** Deterministic: rule + subject, so a second run of a day finds the same key and inserts nothing. */
export function findingKey(f: Pick<AuditFinding, 'rule' | 'claimId' | 'prescriptionId' | 'doctorId' | 'serviceDate'>): string {
  if (f.claimId) return `${f.rule}|claim|${f.claimId}`;
  if (f.prescriptionId) return `${f.rule}|prescription|${f.prescriptionId}`;
  if (f.doctorId) return `${f.rule}|doctor|${f.doctorId}|${f.serviceDate}`;
  throw new Error(`a ${f.rule} finding names no claim, prescription or doctor`);
}
