// prescriber_outlier: a doctor's share of flagged claims against the peers at institutions of the same
// level (seed 001 line 21: 医保医师考核扣分 — the doctors' assessment is fed by what the audit flags).
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../params';
import { prescriberOutliers, shareBp, type DoctorDay } from './outlier';

const P = DEFAULT_RULE_PARAMS.prescriberOutlier; // 30 days, ≥ 10 claims, ≥ 3 flagged, +10 points, 3×
const D = '2026-06-14';
const day = (doctorId: string, claims: number, flagged: number, serviceDate = D, level = 'grassroots'): DoctorDay => ({
  doctorId, institutionId: `inst-${doctorId}`, level, serviceDate, claims, flagged, flaggedFundPayFen: flagged * 100, flaggedClaimIds: Array.from({ length: flagged }, (_, i) => `${doctorId}-${i}`),
});

describe('prescriber_outlier', () => {
  it('shares are basis points, half up', () => {
    expect(shareBp(1, 3)).toBe(3333);
    expect(shareBp(2, 3)).toBe(6667);
    expect(shareBp(0, 0)).toBe(0);
  });
  it('3 of 10 flagged against peers at 2 % is an outlier; the amount is the flagged claims’ fund payment', () => {
    const f = prescriberOutliers([day('a', 10, 3), day('b', 100, 2), day('c', 100, 2)], [D], P);
    expect(f).toMatchObject([{ rule: 'prescriber_outlier', doctorId: 'a', personId: null, institutionId: 'inst-a', amountFen: 300, evidence: { shareBp: 3000, peerShareBp: 200, flagged: 3 } }]);
  });
  it('too few claims, too few flagged, peers of another level or none, or not 3 × the peers: no finding', () => {
    expect(prescriberOutliers([day('a', 9, 3), day('b', 100, 0)], [D], P)).toEqual([]);
    expect(prescriberOutliers([day('a', 10, 2), day('b', 100, 0)], [D], P)).toEqual([]);
    expect(prescriberOutliers([day('a', 10, 3), day('b', 100, 0, D, 'secondary')], [D], P)).toEqual([]);
    expect(prescriberOutliers([day('a', 20, 6), day('b', 100, 15)], [D], P)).toEqual([]); // 30 % vs 15 %: 2×
  });
  it('the window is the 30 days ending on the date', () => {
    expect(prescriberOutliers([day('a', 10, 3, '2026-05-15'), day('b', 100, 0)], [D], P)).toEqual([]);
    expect(prescriberOutliers([day('a', 10, 3, '2026-05-16'), day('b', 100, 0)], [D], P)).toHaveLength(1);
  });
});
