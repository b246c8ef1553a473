// Random sampling of the claims nothing flagged, and the extrapolation of the sample's error to the
// claims not sampled (openIMIS's claim review sampling; docs/smart-audit.md has a worked example).
// Pure and exact: the draw depends only on the seed and the claim ids, the money on integers (BigInt
// where a product could pass 2^53).

/** The largest seed a sample keeps (a non-negative int4). */
export const MAX_SEED = 2_147_483_647;

/** FNV-1a over the text's UTF-16 code units, from the given offset (32-bit lanes: plain numbers, no BigInt, fast over a year of claims). */
function fnv1a32(text: string, offset: number): number {
  let h = offset;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: ids that differ only in their last characters would otherwise share their high bits. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A claim's place in the draw: two FNV-1a hashes of "seed:claim id" (two offsets), each mixed, joined
 * into 52 bits so the key is an exact number. Keyed by the id, not by the order the claims were read in,
 * so a redraw is the same sample.
 */
export function drawKey(seed: number, claimId: string): number {
  const text = `${seed}:${claimId}`;
  const high = mix32(fnv1a32(text, 0x811c9dc5));
  const low = mix32(fnv1a32(text, 0x050c5d1f));
  return high * 2 ** 20 + (low >>> 12);
}

/** How many claims a rate draws: population × rate, half up, at least one of a non-empty population. */
export function sampleSize(population: number, request: { rateBp: number } | { size: number }): number {
  if (population <= 0) return 0;
  const wanted = 'size' in request ? request.size : Math.max(1, Math.floor((population * request.rateBp + 5000) / 10000));
  return Math.min(population, wanted);
}

/** The ids of the sample: the `size` claims with the smallest keys (ties by id), in that order. */
export function drawSample(seed: number, claimIds: readonly string[], size: number): string[] {
  return claimIds
    .map((id) => ({ id, key: drawKey(seed, id) }))
    .sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, size))
    .map((c) => c.id);
}

/** n ÷ d rounded half up, for non-negative BigInts (d > 0). */
const divHalfUp = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);

export interface SampledClaim {
  /** What the fund pays for the claim (fen). */
  fundPayFen: number;
  result: 'pending' | 'correct' | 'error';
  /** Fen the fund paid in error (0 unless `error`). */
  errorAmountFen: number;
}

export interface Extrapolation {
  sampledClaims: number;
  sampledFundPayFen: number;
  reviewed: number;
  pending: number;
  errors: number;
  errorFen: number;
  /** Σ error ÷ Σ sampled fund payment, in basis points half up; null when the sample cost the fund nothing. */
  errorRateBp: number | null;
  unsampledFundPayFen: number;
  /** round half up (unsampled × Σ error ÷ Σ sampled fund payment), computed from the fractions, never from the rounded rate. */
  proposedDeductionFen: number;
}

/**
 * The sample's error extrapolated to the rest of the population. `populationFundPayFen` is the fund
 * payment of every unflagged claim in the period, sampled ones included, as counted at the draw.
 */
export function extrapolate(populationFundPayFen: number, claims: readonly SampledClaim[]): Extrapolation {
  let sampled = 0n;
  let error = 0n;
  let errors = 0;
  let pending = 0;
  for (const c of claims) {
    if (!Number.isSafeInteger(c.fundPayFen) || c.fundPayFen < 0) throw new RangeError(`fund payment must be non-negative integer fen, got ${c.fundPayFen}`);
    if (!Number.isSafeInteger(c.errorAmountFen) || c.errorAmountFen < 0 || c.errorAmountFen > c.fundPayFen)
      throw new RangeError(`error amount must be integer fen between 0 and the fund payment, got ${c.errorAmountFen}`);
    sampled += BigInt(c.fundPayFen);
    if (c.result === 'pending') pending++;
    if (c.result === 'error') {
      errors++;
      error += BigInt(c.errorAmountFen);
    }
  }
  const population = BigInt(populationFundPayFen);
  if (population < sampled) throw new RangeError('the sample pays more than the population it was drawn from');
  const unsampled = population - sampled;
  return {
    sampledClaims: claims.length,
    sampledFundPayFen: Number(sampled),
    reviewed: claims.length - pending,
    pending,
    errors,
    errorFen: Number(error),
    errorRateBp: sampled === 0n ? null : Number(divHalfUp(error * 10000n, sampled)),
    unsampledFundPayFen: Number(unsampled),
    proposedDeductionFen: sampled === 0n ? 0 : Number(divHalfUp(unsampled * error, sampled)),
  };
}
