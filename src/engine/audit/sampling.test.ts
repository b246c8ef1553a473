// The smart audit's sampling (DOMAIN.md 3.11, seeds 001 and 002: after-the-event audit feeding the
// doctors' assessment deductions, 医保医师考核扣分): a seeded draw that a second run repeats, and the
// extrapolation done exactly in fen, half up, as docs/smart-audit.md works it by hand.
import { describe, expect, it } from 'vitest';
import { drawKey, drawSample, extrapolate, sampleSize, type SampledClaim } from './sampling';

const ids = Array.from({ length: 200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const claim = (fundPayFen: number, result: SampledClaim['result'] = 'correct', errorAmountFen = 0): SampledClaim => ({ fundPayFen, result, errorAmountFen });

describe('the draw', () => {
  it('is the same sample for the same seed, whatever order the claims come in', () => {
    const a = drawSample(42, ids, 10);
    const b = drawSample(42, [...ids].reverse(), 10);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(10);
    for (const id of a) expect(ids).toContain(id);
  });

  it('draws another sample with another seed', () => {
    expect(drawSample(43, ids, 10)).not.toEqual(drawSample(42, ids, 10));
  });

  it('keys are exact numbers below 2^52 and depend on the seed and the id', () => {
    const k = drawKey(7, ids[0]!);
    expect(Number.isSafeInteger(k)).toBe(true);
    expect(k).toBeLessThan(2 ** 52);
    expect(drawKey(7, ids[0]!)).toBe(k);
    expect(drawKey(8, ids[0]!)).not.toBe(k);
    expect(drawKey(7, ids[1]!)).not.toBe(k);
  });

  it('spreads: about a fifth of the ids fall in the first fifth of the key range', () => {
    const low = ids.filter((id) => drawKey(1, id) < 2 ** 52 / 5).length;
    expect(low).toBeGreaterThan(20);
    expect(low).toBeLessThan(60);
  });

  it('a larger sample with the same seed contains the smaller one', () => {
    const small = drawSample(9, ids, 5);
    expect(drawSample(9, ids, 12).slice(0, 5)).toEqual(small);
  });
});

describe('the sample size', () => {
  it('takes the rate half up, at least one claim, never more than the population', () => {
    expect(sampleSize(40, { rateBp: 1000 })).toBe(4);
    expect(sampleSize(45, { rateBp: 1000 })).toBe(5); // 4.5 → 5
    expect(sampleSize(44, { rateBp: 1000 })).toBe(4); // 4.4 → 4
    expect(sampleSize(3, { rateBp: 100 })).toBe(1); // 0.03 → at least one
    expect(sampleSize(3, { size: 10 })).toBe(3);
    expect(sampleSize(0, { size: 10 })).toBe(0);
    expect(sampleSize(0, { rateBp: 10000 })).toBe(0);
  });
});

describe('the extrapolation', () => {
  it('is the worked example of docs/smart-audit.md: 496 bp and 4 566 fen', () => {
    // population 100 000 fen; sample 2 500 + 2 500 + 2 000 + 1 000 = 8 000 fen; errors 300 + 97 = 397 fen
    // rate 397 / 8 000 = 4.9625 % → 496 bp; unsampled 92 000; 92 000 × 397 / 8 000 = 4 565.5 → 4 566
    const e = extrapolate(100_000, [claim(2500, 'error', 300), claim(2500), claim(2000, 'error', 97), claim(1000)]);
    expect(e).toEqual({
      sampledClaims: 4, sampledFundPayFen: 8000, reviewed: 4, pending: 0, errors: 2, errorFen: 397,
      errorRateBp: 496, unsampledFundPayFen: 92_000, proposedDeductionFen: 4566,
    });
  });

  it('rounds exactly half a fen up and just under half down', () => {
    // 3 × 1 / 2 = 1.5 → 2
    expect(extrapolate(5, [claim(2, 'error', 1)]).proposedDeductionFen).toBe(2);
    // 1 × 1 / 2 = 0.5 → 1
    expect(extrapolate(3, [claim(2, 'error', 1)]).proposedDeductionFen).toBe(1);
    // 7 × 1 / 3 = 2.333… → 2; 8 × 1 / 3 = 2.666… → 3
    expect(extrapolate(10, [claim(3, 'error', 1)]).proposedDeductionFen).toBe(2);
    expect(extrapolate(11, [claim(3, 'error', 1)]).proposedDeductionFen).toBe(3);
    // the rate: 1 / 8 = 1 250 bp exactly; 1 / 16 = 625 bp; 1 / 3 = 3 333.33… → 3 333; 2 / 3 → 6 667
    expect(extrapolate(8, [claim(8, 'error', 1)]).errorRateBp).toBe(1250);
    expect(extrapolate(16, [claim(16, 'error', 1)]).errorRateBp).toBe(625);
    expect(extrapolate(3, [claim(3, 'error', 1)]).errorRateBp).toBe(3333);
    expect(extrapolate(3, [claim(3, 'error', 2)]).errorRateBp).toBe(6667);
    // 1 / 20 000 = 0.5 bp → 1 bp
    expect(extrapolate(20_000, [claim(20_000, 'error', 1)]).errorRateBp).toBe(1);
  });

  it('stays exact where the product passes 2^53', () => {
    // unsampled 9 000 000 000 000 fen × 3 333 / 10 000 = 2 999 700 000 000 exactly
    const e = extrapolate(9_000_000_010_000, [claim(10_000, 'error', 3333)]);
    expect(e.proposedDeductionFen).toBe(2_999_700_000_000);
  });

  it('counts pending claims as sampled, not as errors; a sample the fund paid nothing for has no rate', () => {
    const e = extrapolate(1000, [claim(100, 'pending'), claim(100, 'error', 10)]);
    expect([e.pending, e.reviewed, e.errors, e.sampledFundPayFen, e.errorRateBp, e.proposedDeductionFen]).toEqual([1, 1, 1, 200, 500, 40]);
    expect(extrapolate(1000, [claim(0)])).toMatchObject({ errorRateBp: null, proposedDeductionFen: 0, unsampledFundPayFen: 1000 });
    expect(extrapolate(0, [])).toMatchObject({ sampledClaims: 0, errorRateBp: null, proposedDeductionFen: 0 });
  });

  it('refuses an error above the claim’s fund payment and a sample larger than its population', () => {
    expect(() => extrapolate(1000, [claim(100, 'error', 101)])).toThrow(RangeError);
    expect(() => extrapolate(50, [claim(100)])).toThrow(RangeError);
    expect(() => extrapolate(1000, [claim(1.5)])).toThrow(RangeError);
  });
});
