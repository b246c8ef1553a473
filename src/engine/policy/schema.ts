// A benefit policy is data: one file per region and period, holding a scheme per insurance type.
// The file speaks yuan and basis points so that an official can read it; the parsed `Policy`
// carries fen. Every number must say where it comes from — a seed item (`cite`) or a local
// decision (`local`) — because officials audit the numbers against the notices.
import { z } from 'zod';
import { isIsoDate } from '../calendar';
import { parseYuan } from '../money';

export const INSURANCE_TYPES = ['resident', 'employee'] as const;
export const INSTITUTION_LEVELS = ['grassroots', 'secondary', 'tertiary', 'pharmacy'] as const;
export const BENEFIT_KINDS = ['two_disease', 'general', 'specified'] as const;
export type InsuranceType = (typeof INSURANCE_TYPES)[number];
export type InstitutionLevel = (typeof INSTITUTION_LEVELS)[number];
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

const slug = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, "_" or "-"');

/** A date that exists on the calendar, as YYYY-MM-DD. */
export const isoDate = z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD');

export const Cite = z
  .strictObject({
    seed: z.string().regex(/^\d{3}$/, 'seed number such as "002"').optional(),
    doc: z.string().min(1).optional(), // a document outside the seeds, named in full
    item: z.string().min(1).optional(),
    quote: z.string().min(1).optional(),
  })
  .refine((c) => c.seed !== undefined || c.doc !== undefined, 'name the seed (e.g. "002") or the document (doc)');
export type Cite = z.output<typeof Cite>;

/** Where a number comes from: exactly one of `cite` or `local`. */
export interface Sourced {
  cite?: Cite;
  local?: string;
}
export const sourceFields = { cite: Cite.optional(), local: z.string().min(1).optional() };
export function requireOneSource(v: Sourced, ctx: z.RefinementCtx): void {
  if ((v.cite === undefined) === (v.local === undefined))
    ctx.addIssue({ code: 'custom', message: 'give either cite (seed and item) or local (why this default)', path: [] });
}

export const Money = z
  .strictObject({ yuan: z.union([z.number(), z.string()]), ...sourceFields })
  .superRefine(requireOneSource)
  .transform((v, ctx) => {
    let fen = 0;
    try {
      fen = parseYuan(String(v.yuan));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a non-negative amount in yuan with at most 2 decimals', path: ['yuan'] });
      return z.NEVER;
    }
    return { fen, cite: v.cite, local: v.local };
  });

/** An annual fund limit; `yuan: null` means the benefit sets none (Qingdao: most 门诊大病 have no limit). */
const Limit = z
  .strictObject({ yuan: z.union([z.number(), z.string(), z.null()]), ...sourceFields })
  .superRefine(requireOneSource)
  .transform((v, ctx) => {
    if (v.yuan === null) return { fen: null, cite: v.cite, local: v.local };
    try {
      return { fen: parseYuan(String(v.yuan)) as number | null, cite: v.cite, local: v.local };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a non-negative amount in yuan with at most 2 decimals, or null for no limit', path: ['yuan'] });
      return z.NEVER;
    }
  });

export const Ratio = z.strictObject({ bp: z.int().min(0).max(10000), ...sourceFields }).superRefine(requireOneSource);
export const Days = z.strictObject({ days: z.int().min(1).max(366), ...sourceFields }).superRefine(requireOneSource);
/** A number of days that may be zero (a tolerance). */
const DaysOrNone = z.strictObject({ days: z.int().min(0).max(366), ...sourceFields }).superRefine(requireOneSource);

const Ratios = z
  .strictObject({ grassroots: Ratio.optional(), secondary: Ratio.optional(), tertiary: Ratio.optional(), pharmacy: Ratio.optional() })
  .refine((r) => Object.values(r).some((x) => x !== undefined), 'cover at least one institution level');

const Level = z.enum(INSTITUTION_LEVELS);

const benefitFields = {
  name: z.string().min(1),
  /**
   * Benefits of one scheme naming the same pool share one deductible and one fund limit, the sum of
   * theirs; the general benefit never draws more than its own limit from it, while the two-disease
   * benefit may draw the whole (seed 002 item 11: the chronic limit comes on top of the general one).
   */
  pool: slug,
  deductible: Money,
  annual_limit: Limit,
  /** A level absent here is not covered by this benefit. */
  ratios: Ratios,
  max_days_supply: Days,
  /** The drug list (data/drugs.json `lists`) a drug must be on for this benefit to pay for it. */
  drug_list: z.string().min(1),
  note: z.string().optional(),
};
/** The benefit pays only at the one institution the patient chose for it (Qingdao 门诊大病, seed 003). */
const chosenOnly = { chosen_institution_only: z.boolean().optional() };

/** Diseases managed in grades, each grade naming the institution levels that may manage and prescribe for it (Hangzhou, seed 003). */
const Grade = z.strictObject({ levels: z.array(Level).min(1), diseases: z.array(slug).min(1), ...sourceFields }).superRefine(requireOneSource);

/** 延伸处方: drugs of another list (a tertiary hospital's) prescribed on at the levels named (Changning, seeds 003–004). */
const ExtendedPrescription = z.strictObject({ drug_list: z.string().min(1), levels: z.array(Level).min(1), ...sourceFields }).superRefine(requireOneSource);

const TwoDiseaseBenefit = z.strictObject({
  ...benefitFields,
  ...chosenOnly,
  diseases: z.array(slug).min(1),
  grades: z.record(slug, Grade).optional(),
  extended_prescription: ExtendedPrescription.optional(),
});
/** General outpatient: `diseases` absent means any disease. */
const GeneralBenefit = z.strictObject({ ...benefitFields, diseases: z.array(slug).min(1).optional() });
/** A specified-disease benefit (规定病 / 门诊大病): its own pool, ratios, limit and diseases (seed 002 item 12). */
const SpecifiedBenefit = z.strictObject({ ...benefitFields, ...chosenOnly, diseases: z.array(slug).min(1), category: z.string().min(1).optional() });

/** Price a level charges as a share of the catalogue (tertiary) price (Shenzhen Luohu, seed 003). */
const Pricing = z.strictObject({
  drugs: z.partialRecord(Level, Ratio).optional(),
  services: z.partialRecord(Level, Ratio).optional(),
  note: z.string().optional(),
});

/** How a registration (认定登记) is confirmed: levels whose own confirmation stands without the agency's review (一站式). */
const Registration = z.strictObject({ one_stop_levels: z.array(Level).min(1), ...sourceFields }).superRefine(requireOneSource);

/**
 * The prescription rules (长处方 / 续方 / 云处方) the doctor's renewal and the pharmacist's pre-check (审方) apply;
 * the longest supply per prescription stays the benefit's `max_days_supply`. Optional in the schema (a policy
 * for settlement alone needs none), present in every shipped policy.
 */
const PrescriptionRules = z.strictObject({
  /** 复诊核验: a renewal needs a follow-up visit within this many days before it. */
  follow_up_window: Days,
  /** No renewal of the same drug before this share of the last supply's days has passed (early refill). */
  early_refill: Ratio,
  /** A prescription not (fully) dispensed this many days after its approval expires. */
  validity: Days,
  /** Days of the same drug still on hand that the pre-check lets pass before it flags overlapping supply. */
  on_hand_tolerance: DaysOrNone,
  note: z.string().optional(),
});

const Linkage = z.strictObject({
  /** Cost outside the two-disease benefit (other scope, or an uncovered level): general outpatient rules, or refused. */
  out_of_scope: z.enum(['general_outpatient', 'refuse']),
  /** In-scope self-paid cost and cost over the limit go on to critical-illness insurance (大病保险) or not. */
  self_paid: z.enum(['counts_toward_critical_illness', 'none']),
  cite: Cite.optional(),
});

const Scheme = z.strictObject({
  name: z.string().min(1),
  benefits: z.strictObject({ two_disease: TwoDiseaseBenefit, general: GeneralBenefit.optional(), specified: z.record(slug, SpecifiedBenefit).optional() }),
  linkage: Linkage,
  note: z.string().optional(),
});

export const PolicySchema = z
  .strictObject({
    id: slug,
    // Codes as in data/regions.json (province 2, city 4, county 6 digits); "00" is the whole country.
    region: z.strictObject({ code: z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, 'division code as in data/regions.json: 2, 4 or 6 digits ("00" = national)'), name: z.string().min(1) }),
    name: z.string().min(1),
    effective: z.strictObject({ from: isoDate, to: isoDate.nullable().optional() }),
    pricing: Pricing.optional(),
    registration: Registration.optional(),
    prescription: PrescriptionRules.optional(),
    schemes: z
      .strictObject({ resident: Scheme.optional(), employee: Scheme.optional() })
      .refine((s) => s.resident !== undefined || s.employee !== undefined, 'define at least one scheme (resident or employee)'),
    note: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.effective.to && p.effective.to < p.effective.from)
      ctx.addIssue({ code: 'custom', message: 'ends before it starts', path: ['effective', 'to'] });
    for (const type of INSURANCE_TYPES) {
      const scheme = p.schemes[type];
      if (!scheme) continue;
      const { two_disease, general, specified } = scheme.benefits;
      for (const [key, b] of Object.entries(specified ?? {}))
        if (b.pool === two_disease.pool || b.pool === general?.pool)
          ctx.addIssue({ code: 'custom', message: 'a specified-disease benefit has a pool of its own', path: ['schemes', type, 'benefits', 'specified', key, 'pool'] });
      if (scheme.linkage.out_of_scope === 'general_outpatient' && !general)
        ctx.addIssue({ code: 'custom', message: 'sends out-of-scope cost to general outpatient, but the scheme has no general benefit', path: ['schemes', type, 'linkage', 'out_of_scope'] });
      // One pool has one deductible: two different amounts would leave "deductible still open" undefined.
      if (general && general.pool === two_disease.pool && general.deductible.fen !== two_disease.deductible.fen)
        ctx.addIssue({ code: 'custom', message: `shares pool "${general.pool}" with two_disease, so its deductible must be the same`, path: ['schemes', type, 'benefits', 'general', 'deductible', 'yuan'] });
    }
  });

export type Policy = z.output<typeof PolicySchema>;
export type Scheme = z.output<typeof Scheme>;
export type PrescriptionRules = z.output<typeof PrescriptionRules>;
export type Benefit = Scheme['benefits']['two_disease'] | NonNullable<Scheme['benefits']['general']> | NonNullable<Scheme['benefits']['specified']>[string];
