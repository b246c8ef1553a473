// The rules' own numbers (data/audit-rules.json `params`), checked once; the policy's numbers
// (AuditPolicyParams) come with each claim instead.
export interface AuditRuleParams {
  abnormalFrequency: { windowDays: number; minFills: number };
  splitClaims: { minClaims: number };
  prescriberOutlier: { windowDays: number; minClaims: number; minFlagged: number; minExcessBp: number; minRatioBp: number };
  /** How far back the supply rules look for the last supply of a drug. */
  lookbackDays: number;
}

export const DEFAULT_RULE_PARAMS: AuditRuleParams = {
  abnormalFrequency: { windowDays: 30, minFills: 3 },
  splitClaims: { minClaims: 2 },
  prescriberOutlier: { windowDays: 30, minClaims: 10, minFlagged: 3, minExcessBp: 1000, minRatioBp: 30000 },
  lookbackDays: 180,
};

const whole = (v: unknown, what: string, min: number): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new RangeError(`audit rule parameter ${what} must be a whole number ≥ ${min}: ${String(v)}`);
  return v;
};

/** The parameters from the rules' `params` objects by rule code; a missing one keeps its default. */
export function ruleParamsOf(params: Record<string, Record<string, unknown>>): AuditRuleParams {
  const d = DEFAULT_RULE_PARAMS;
  const af = params.abnormal_frequency ?? {};
  const sc = params.split_claims ?? {};
  const po = params.prescriber_outlier ?? {};
  const lookback = Math.max(whole(params.overlapping_supply?.lookbackDays ?? d.lookbackDays, 'lookbackDays', 1), whole(params.early_refill?.lookbackDays ?? d.lookbackDays, 'lookbackDays', 1));
  return {
    abnormalFrequency: { windowDays: whole(af.windowDays ?? d.abnormalFrequency.windowDays, 'windowDays', 1), minFills: whole(af.minFills ?? d.abnormalFrequency.minFills, 'minFills', 2) },
    splitClaims: { minClaims: whole(sc.minClaims ?? d.splitClaims.minClaims, 'minClaims', 2) },
    prescriberOutlier: {
      windowDays: whole(po.windowDays ?? d.prescriberOutlier.windowDays, 'windowDays', 1),
      minClaims: whole(po.minClaims ?? d.prescriberOutlier.minClaims, 'minClaims', 1),
      minFlagged: whole(po.minFlagged ?? d.prescriberOutlier.minFlagged, 'minFlagged', 1),
      minExcessBp: whole(po.minExcessBp ?? d.prescriberOutlier.minExcessBp, 'minExcessBp', 0),
      minRatioBp: whole(po.minRatioBp ?? d.prescriberOutlier.minRatioBp, 'minRatioBp', 10000),
    },
    lookbackDays: lookback,
  };
}
