// Prices by institution level (Shenzhen Luohu, seed 003: 社康看病费用是三级医院八折，药品零加成基础上再打七折).
// A policy's `pricing` gives, per kind (drugs, services) and level, the share of the catalogue price that level
// charges; the catalogue price is the tertiary hospital's. This is the price the counter charges, before any
// benefit is settled: the claim's amount is the sum of these prices. Pure; rounding is applyRatio's (half up to the fen).
import { applyRatio, assertFen } from '../money';
import { INSTITUTION_LEVELS, type InstitutionLevel, type Policy } from '../policy/schema';

export const PRICE_KINDS = ['drugs', 'services'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

/**
 * The unit price a level charges for an item of the catalogue price `catalogueFen`: catalogue × the level's basis
 * points, rounded half up to the fen. A level (or kind) without a pricing entry charges the catalogue price.
 */
export function priceAt(policy: Policy, level: InstitutionLevel, kind: PriceKind, catalogueFen: number): number {
  if (!(INSTITUTION_LEVELS as readonly string[]).includes(level)) throw new RangeError(`unknown institution level "${level}"`);
  if (!(PRICE_KINDS as readonly string[]).includes(kind)) throw new RangeError(`unknown price kind "${kind}" (drugs or services)`);
  assertFen(catalogueFen);
  const ratio = policy.pricing?.[kind]?.[level];
  return ratio === undefined ? catalogueFen : applyRatio(catalogueFen, ratio.bp);
}
