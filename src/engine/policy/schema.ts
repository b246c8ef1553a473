// A benefit policy is data: one file per region and period, holding a scheme per insurance type.
// The file speaks yuan and basis points so that an official can read it; the parsed `Policy`
// carries fen. Every number must say where it comes from — a seed item (`cite`) or a local
// decision (`local`) — because officials audit the numbers against the notices.
import { z } from 'zod';
import { isIsoDate } from '../calendar';
import { parseYuan } from '../money';

export const INSURANCE_TYPES = ['resident', 'employee'] as const;
export const INSTITUTION_LEVELS = ['grassroots', 'secondary', 'tertiary', 'pharmacy'] as const;
export const BENEFIT_KINDS = ['two_disease', 'general'] as const;
export type InsuranceType = (typeof INSURANCE_TYPES)[number];
export type InstitutionLevel = (typeof INSTITUTION_LEVELS)[number];
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

const slug = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, "_" or "-"');

/** A date that exists on the calendar, as YYYY-MM-DD. */
export const isoDate = z.string().refine(isIsoDate, 'a calendar date YYYY-MM-DD');

const Cite = z
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
const sourceFields = { cite: Cite.optional(), local: z.string().min(1).optional() };
function requireOneSource(v: Sourced, ctx: z.RefinementCtx): void {
  if ((v.cite === undefined) === (v.local === undefined))
    ctx.addIssue({ code: 'custom', message: 'give either cite (seed and item) or local (why this default)', path: [] });
}

const Money = z
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

const Ratio = z.strictObject({ bp: z.int().min(0).max(10000), ...sourceFields }).superRefine(requireOneSource);
const Days = z.strictObject({ days: z.int().min(1).max(366), ...sourceFields }).superRefine(requireOneSource);

const Ratios = z
  .strictObject({ grassroots: Ratio.optional(), secondary: Ratio.optional(), tertiary: Ratio.optional(), pharmacy: Ratio.optional() })
  .refine((r) => Object.values(r).some((x) => x !== undefined), 'cover at least one institution level');

const benefitFields = {
  name: z.string().min(1),
  /** Benefits of one scheme naming the same pool share one fund limit (the sum of theirs) and one deductible. */
  pool: slug,
  deductible: Money,
  annual_limit: Money,
  /** A level absent here is not covered by this benefit. */
  ratios: Ratios,
  max_days_supply: Days,
  drug_list: z.string().min(1),
  note: z.string().optional(),
};
const TwoDiseaseBenefit = z.strictObject({ ...benefitFields, diseases: z.array(slug).min(1) });
/** General outpatient: `diseases` absent means any disease. */
const GeneralBenefit = z.strictObject({ ...benefitFields, diseases: z.array(slug).min(1).optional() });

const Linkage = z.strictObject({
  /** Cost outside the two-disease benefit (other scope, or an uncovered level): general outpatient rules, or refused. */
  out_of_scope: z.enum(['general_outpatient', 'refuse']),
  /** In-scope self-paid cost and cost over the limit go on to critical-illness insurance (大病保险) or not. */
  self_paid: z.enum(['counts_toward_critical_illness', 'none']),
  cite: Cite.optional(),
});

const Scheme = z.strictObject({
  name: z.string().min(1),
  benefits: z.strictObject({ two_disease: TwoDiseaseBenefit, general: GeneralBenefit.optional() }),
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
      const { two_disease, general } = scheme.benefits;
      if (scheme.linkage.out_of_scope === 'general_outpatient' && !general)
        ctx.addIssue({ code: 'custom', message: 'sends out-of-scope cost to general outpatient, but the scheme has no general benefit', path: ['schemes', type, 'linkage', 'out_of_scope'] });
      // One pool has one deductible: two different amounts would leave "deductible still open" undefined.
      if (general && general.pool === two_disease.pool && general.deductible.fen !== two_disease.deductible.fen)
        ctx.addIssue({ code: 'custom', message: `shares pool "${general.pool}" with two_disease, so its deductible must be the same`, path: ['schemes', type, 'benefits', 'general', 'deductible', 'yuan'] });
    }
  });

export type Policy = z.output<typeof PolicySchema>;
export type Scheme = z.output<typeof Scheme>;
export type Benefit = Scheme['benefits']['two_disease'] | NonNullable<Scheme['benefits']['general']>;
