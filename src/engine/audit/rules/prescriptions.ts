// The prescription rules of the smart audit: what only a prescription shows — the dose (a claim
// carries packs and days, not the dose) and the follow-up visit a renewal needs. They replay the
// pharmacist's pre-check and the renewal check (src/engine/prescription) on the prescription's own date.
import type { IsoDate } from '../../calendar';
import { reviewFindings } from '../../prescription/review';
import { checkRenewal } from '../../prescription/renewal';
import type { AuditDrug, AuditFinding, AuditPolicyParams, AuditPrescription, PersonAuditFacts } from '../types';

const atStake = (rx: AuditPrescription, drugCodes: readonly string[]) => drugCodes.reduce((s, c) => s + (rx.dispensedFundPayFen[c] ?? 0), 0);

/** Findings for the person's approved prescriptions written from `from` to `to`. */
export function auditPrescriptions(
  facts: PersonAuditFacts,
  range: { from: IsoDate; to: IsoDate },
  drugs: ReadonlyMap<string, AuditDrug>,
  policyOf: (rx: AuditPrescription) => AuditPolicyParams,
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const rx of facts.prescriptions) {
    if (rx.writtenOn < range.from || rx.writtenOn > range.to) continue;
    const emit = (rule: 'dose_over_max' | 'no_followup_before_renewal', evidence: Record<string, unknown>, amountFen: number) =>
      findings.push({ rule, serviceDate: rx.writtenOn, claimId: null, prescriptionId: rx.id, personId: facts.personId, institutionId: rx.institutionId, doctorId: rx.doctorId, evidence, amountFen });

    const lines = rx.lines.flatMap((l) => {
      const drug = drugs.get(l.drugCode);
      return drug ? [{ line: l, drug }] : [];
    });
    // the pre-check's dose rule alone: the patient's scope and supply are the claim rules' business
    const doses = reviewFindings(
      {
        date: rx.writtenOn, registrations: [], contracts: [], dispensed: [],
        lines: lines.map(({ line, drug }) => ({ drug: { code: drug.code, classes: drug.classes, diseases: drug.diseases, maxDailyUnits: drug.maxDailyUnits }, doseUnits: { n: line.doseMilli, d: 1000 }, frequency: line.frequency, daysSupply: line.daysSupply })),
      },
      { maxDaysSupply: Number.MAX_SAFE_INTEGER, onHandToleranceDays: 0 },
    ).flatMap((f) => (f.code === 'over_max_daily_dose' ? [{ lineNo: lines[f.line].line.lineNo, drugCode: f.drugCode, ...f.evidence }] : []));
    if (doses.length) emit('dose_over_max', { writtenOn: rx.writtenOn, lines: doses }, atStake(rx, doses.map((d) => d.drugCode)));

    if (rx.origin === 'renewal') {
      const { followUpWindowDays } = policyOf(rx);
      const refusal = checkRenewal({ date: rx.writtenOn, followUpVisits: facts.followUpVisits, lines: [], supplies: [] }, { followUpWindowDays, earlyRefillBp: 0 })
        .find((r) => r.rule === 'follow_up_required');
      if (refusal && refusal.rule === 'follow_up_required')
        emit('no_followup_before_renewal', { writtenOn: rx.writtenOn, windowStart: refusal.windowStart, lastVisit: refusal.lastVisit, followUpWindowDays }, atStake(rx, Object.keys(rx.dispensedFundPayFen)));
    }
  }
  return findings;
}
