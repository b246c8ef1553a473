// Integer arithmetic for the payment models: fen and basis points, rounded half up in one place. Products of
// counts and basis points can pass 2^53 (a rate of rates), so divisions go through BigInt.

/** round(a / b) half up, for a ≥ 0 and b > 0 (integers). */
export function divideHalfUp(a: bigint, b: bigint): number {
  if (a < 0n || b <= 0n) throw new RangeError(`divideHalfUp needs a ≥ 0 and b > 0, got ${a} / ${b}`);
  return Number((2n * a + b) / (2n * b));
}

/** A signed amount of fen × basis points, half up away from zero (a loss rounds as a gain does). */
export function signedRatio(fen: number, bp: number): number {
  const magnitude = divideHalfUp(BigInt(Math.abs(fen)) * BigInt(bp), 10000n);
  return fen < 0 ? -magnitude : magnitude;
}

/** The year's amount spread over the months so far: amount × months / 12, half up. */
export const proRata = (fen: number, months: number) => divideHalfUp(BigInt(fen) * BigInt(months), 12n);

/**
 * The year-end projection from the complete months so far (the run rate): spent × 12 / months, half up (away
 * from zero: recoveries can leave a net below nothing) — null with no complete month. Stated in
 * docs/payments.md; the budget screen says it beside the figure.
 */
export function runRate(spentFen: number, completeMonths: number): number | null {
  if (completeMonths === 0) return null;
  const magnitude = divideHalfUp(BigInt(Math.abs(spentFen)) * 12n, BigInt(completeMonths));
  return spentFen < 0 ? -magnitude : magnitude;
}
