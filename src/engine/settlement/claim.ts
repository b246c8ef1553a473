// The claim and the person-year state the engine works on. Plain data, so that a claim can come from
// a CSV row or a counter screen, and the state can be stored as a database accumulator row.
import { z } from 'zod';
import { INSTITUTION_LEVELS, INSURANCE_TYPES, isoDate } from '../policy/schema';
import { MAX_AMOUNT_FEN } from './kernel';

/** A claim's (or line's) scope as the counter decided it from the records: two-disease registration, none, or a specified-disease registration. */
export const SCOPES = ['two_disease', 'general', 'specified_disease'] as const;
export type Scope = (typeof SCOPES)[number];

const fen = z.int().min(0).max(MAX_AMOUNT_FEN);

export const ClaimLineSchema = z.strictObject({
  amountFen: fen,
  lineId: z.string().optional(),
  /** Overrides the claim's scope for this line (a counter claim may mix two-disease and other drugs). */
  scope: z.enum(SCOPES).optional(),
  /** Disease the drug is for; outside the two-disease benefit's diseases it goes to general outpatient. */
  disease: z.string().optional(),
  /** Days of supply; over the benefit's maximum it goes to general outpatient. */
  daysSupply: z.int().min(0).optional(),
  /** The drug lists the line's drug is on (data/drugs.json); absent: on every list (batch claims carry no drug). */
  lists: z.array(z.string()).optional(),
  /** An extended prescription (延伸处方) of a drug started at a tertiary hospital. */
  extended: z.boolean().optional(),
});

/** One claim: either a single `amountFen` (batch CSV) or several `lines` (counter). */
export const ClaimSchema = z
  .strictObject({
    claimId: z.string().min(1),
    serviceDate: isoDate,
    insuranceType: z.enum(INSURANCE_TYPES),
    institutionLevel: z.enum(INSTITUTION_LEVELS),
    scope: z.enum(SCOPES),
    /** Settled at the institution the patient chose for a benefit that pays only there; absent: yes. */
    atChosenInstitution: z.boolean().optional(),
    amountFen: fen.optional(),
    lines: z.array(ClaimLineSchema).min(1).optional(),
  })
  .refine((c) => (c.amountFen === undefined) !== (c.lines === undefined), 'give either amountFen or lines, not both');

export type ClaimLine = z.infer<typeof ClaimLineSchema>;
export type Claim = z.infer<typeof ClaimSchema>;

/**
 * Use of one pool in one calendar year: fund paid out and deductible met, in fen. For the pool
 * "<type>.critical_illness", `fundPaid` is the cost passed on to critical-illness insurance.
 */
export interface PoolUse {
  readonly fundPaid: number;
  readonly deductibleMet: number;
}

/**
 * A person's accumulators for one calendar year, keyed by "<insurance type>.<pool id>".
 * Limits and deductibles reset on 1 January: a state of an earlier year counts as empty.
 */
export interface PersonYearState {
  readonly year: number;
  readonly pools: Readonly<Record<string, PoolUse>>;
}

export function emptyState(year: number): PersonYearState {
  return { year, pools: {} };
}

/** Year of a 'YYYY-MM-DD' date, with a cheap shape check (full calendar validation is ClaimSchema's job). */
export function yearOf(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) throw new RangeError(`service date must be YYYY-MM-DD, got "${date}"`);
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const d = date.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new RangeError(`service date must be YYYY-MM-DD, got "${date}"`);
    y = y * 10 + d;
  }
  return y;
}
