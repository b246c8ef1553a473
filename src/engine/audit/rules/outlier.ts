// prescriber_outlier: a doctor whose share of flagged claims over a trailing window is far above the
// share of the other doctors at institutions of the same level. Pure: the module counts, per doctor and
// day, the claims their prescriptions were dispensed on and how many of them other rules flagged.
import { addDays, type IsoDate } from '../../calendar';
import type { AuditRuleParams } from '../params';
import type { AuditFinding } from '../types';

/** One doctor's dispensed claims on one day. */
export interface DoctorDay {
  doctorId: string;
  /** The institution the doctor prescribes at, and its level and county. */
  institutionId: string;
  level: string;
  serviceDate: IsoDate;
  claims: number;
  flagged: number;
  flaggedFundPayFen: number;
  flaggedClaimIds: string[];
}

interface DoctorWindow {
  level: string;
  claims: number;
  flagged: number;
  fen: number;
  ids: string[];
  /** Claims per institution: the finding names the one the doctor prescribed most at. */
  byInstitution: Map<string, number>;
}

/** Share in basis points, half up. */
export const shareBp = (part: number, whole: number) => (whole === 0 ? 0 : Math.floor((part * 10000 * 2 + whole) / (2 * whole)));

/** One finding per doctor and day of `days` whose window share clears every threshold. */
export function prescriberOutliers(rows: DoctorDay[], days: IsoDate[], params: AuditRuleParams['prescriberOutlier']): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const day of days) {
    const from = addDays(day, -(params.windowDays - 1));
    const inWindow = rows.filter((r) => r.serviceDate >= from && r.serviceDate <= day);
    const doctors = new Map<string, DoctorWindow>();
    const levels = new Map<string, { claims: number; flagged: number }>();
    for (const r of inWindow) {
      const d: DoctorWindow = doctors.get(r.doctorId) ?? { level: r.level, claims: 0, flagged: 0, fen: 0, ids: [], byInstitution: new Map() };
      doctors.set(r.doctorId, d);
      d.claims += r.claims;
      d.flagged += r.flagged;
      d.fen += r.flaggedFundPayFen;
      d.ids.push(...r.flaggedClaimIds);
      d.byInstitution.set(r.institutionId, (d.byInstitution.get(r.institutionId) ?? 0) + r.claims);
      const l = levels.get(r.level) ?? { claims: 0, flagged: 0 };
      levels.set(r.level, l);
      l.claims += r.claims;
      l.flagged += r.flagged;
    }
    for (const [doctorId, d] of [...doctors].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (d.claims < params.minClaims || d.flagged < params.minFlagged) continue;
      const level = levels.get(d.level)!;
      const peerClaims = level.claims - d.claims;
      const peerFlagged = level.flagged - d.flagged;
      const own = shareBp(d.flagged, d.claims);
      const peers = shareBp(peerFlagged, peerClaims);
      // with no peers to compare with there is no outlier
      if (peerClaims === 0 || own - peers < params.minExcessBp || own * 10000 < peers * params.minRatioBp) continue;
      const institutionId = [...d.byInstitution].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
      findings.push({
        rule: 'prescriber_outlier', serviceDate: day, claimId: null, prescriptionId: null, personId: null, institutionId, doctorId,
        evidence: { windowFrom: from, windowTo: day, level: d.level, claims: d.claims, flagged: d.flagged, shareBp: own, peerClaims, peerFlagged, peerShareBp: peers, flaggedClaimIds: d.ids.sort().slice(0, 100) },
        amountFen: d.fen,
      });
    }
  }
  return findings;
}
