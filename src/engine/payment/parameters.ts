// The payment models' parameters are data (policies/payments/*.yaml), read like the benefit policies: money
// in yuan, ratios in basis points, and every number with where it comes from — a seed (`cite`) or a local
// decision (`local`) — because the figures they produce pay providers out of public money (issue 17).
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Days, isoDate, Money, Ratio, requireOneSource, sourceFields } from '../policy/schema';

/** An amount of standardised work equivalents (标化工作当量) in thousandths: 1000 = one equivalent. */
const Milli = z.strictObject({ milli: z.int().min(0).max(1_000_000), ...sourceFields }).superRefine(requireOneSource);
/** A ratio of two rates in basis points (12400 = 1.24 times). */
const Times = z.strictObject({ bp: z.int().min(1).max(100000), ...sourceFields }).superRefine(requireOneSource);

/** The five rates and the ratio of Changning's assessment ("五率一比", seed 003), each weighted against a target. */
export const SCORE_ITEMS = ['contracting', 'registration', 'standardised_management', 'control', 'grassroots_visits', 'community_visit_ratio'] as const;
export type ScoreItem = (typeof SCORE_ITEMS)[number];

/** The services a team's standardised work equivalent counts (seed 000: follow-up by mode, continuous prescription, integrated outpatient visit). */
export const WORK_SERVICES = ['follow_up_clinic', 'follow_up_home', 'follow_up_phone', 'follow_up_online', 'continuous_prescription', 'integrated_visit'] as const;
export type WorkService = (typeof WORK_SERVICES)[number];

const Item = z.strictObject({ weight: Ratio, target: Ratio });

const Curve = z
  .strictObject({
    /** [score in points 0–100, share of the fee in basis points], rising; linear between points, flat beyond the ends. */
    points: z.array(z.tuple([z.number().min(0).max(100), z.int().min(0).max(10000)])).min(2),
    ...sourceFields,
  })
  .superRefine(requireOneSource)
  .superRefine((c, ctx) => {
    for (let i = 1; i < c.points.length; i++) {
      if (c.points[i][0] <= c.points[i - 1][0]) ctx.addIssue({ code: 'custom', path: ['points', i], message: 'scores rise from point to point' });
      if (c.points[i][1] < c.points[i - 1][1]) ctx.addIssue({ code: 'custom', path: ['points', i], message: 'a higher score never pays a smaller share' });
    }
    for (const [i, [score]] of c.points.entries())
      if (Math.round(score * 100) !== score * 100) ctx.addIssue({ code: 'custom', path: ['points', i, 0], message: 'a score has at most 2 decimals' });
  });

export const PaymentParametersSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: z.string().min(1),
    region: z.strictObject({ code: z.string().regex(/^[0-9]{4}$/), name: z.string().min(1) }),
    /** From this day on the parameters hold, until a later file's `effective_from`. */
    effective_from: isoDate,
    capitation: z.strictObject({
      name: z.string().min(1),
      /** The township health centres in the pilot: those of these counties. */
      counties: z.strictObject({ codes: z.array(z.string().regex(/^[0-9]{6}$/)).min(1), ...sourceFields }).superRefine(requireOneSource),
      insurance_types: z.strictObject({ types: z.array(z.enum(['resident', 'employee'])).min(1), ...sourceFields }).superRefine(requireOneSource),
      per_head: Money,
      referral_share: Ratio,
      package_share: Ratio,
      balance_retained: Ratio,
      overrun_borne_by_centre: Ratio,
    }).refine((c) => c.referral_share.bp + c.package_share.bp === 10000, { message: 'the referral and package shares add up to 100 %', path: ['package_share'] }),
    budget: z.strictObject({
      name: z.string().min(1),
      /** The budget: the community's spending within the budget last year × (1 + growth). */
      growth: Ratio,
      /** A line with more days of supply than this is a long prescription, paid outside the budget (seed 003). */
      long_prescription_days: Days,
      luohu: z.strictObject({ allowed_growth: Ratio, saving_paid: Ratio }),
    }),
    contract_fee: z.strictObject({
      name: z.string().min(1),
      monthly: Money,
      items: z.strictObject({
        contracting: Item, registration: Item, standardised_management: Item, control: Item, grassroots_visits: Item,
        community_visit_ratio: z.strictObject({ weight: Ratio, target: Times }),
      }),
      curve: Curve,
    }).refine((c) => Object.values(c.items).reduce((s, i) => s + i.weight.bp, 0) === 10000, { message: 'the weights add up to 100 % (10000 bp)', path: ['items'] }),
    work_equivalent: z.strictObject({
      name: z.string().min(1),
      value: Money,
      services: z.strictObject(Object.fromEntries(WORK_SERVICES.map((k) => [k, Milli])) as Record<WorkService, typeof Milli>),
    }),
  });
export type PaymentParameters = z.output<typeof PaymentParametersSchema>;

export class PaymentParametersError extends Error {
  constructor(readonly filename: string, readonly issues: Array<{ path: string; message: string }>) {
    super(`${filename}: invalid payment parameters\n${issues.map((i) => `  ${i.path || '(file)'}: ${i.message}`).join('\n')}`);
    this.name = 'PaymentParametersError';
  }
}

/** Text in (YAML), validated parameters out, or every problem with its field path. The id is the file's base name. */
export function loadPaymentParameters(text: string, filename: string): PaymentParameters {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new PaymentParametersError(filename, [{ path: '', message: `cannot parse: ${(e as Error).message}` }]);
  }
  const result = PaymentParametersSchema.safeParse(data);
  if (!result.success) throw new PaymentParametersError(filename, result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  const stem = filename.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  if (result.data.id !== stem) throw new PaymentParametersError(filename, [{ path: 'id', message: `must equal the file name "${stem}"` }]);
  return result.data;
}
