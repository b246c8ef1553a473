// The claim rules of the smart audit (docs/smart-audit.md defines each one): for one person, every
// settled claim whose service date lies in the audited range, judged against the person's own history.
// Pure: the module gathers the facts (src/modules/smartAudit/queries.ts).
//
// A purchase is what one person bought at one place on one day: usually one claim; several claims of
// one purchase are split_claims, and the other rules read such a purchase as one (its parts are not each
// other's early refill). One finding per rule per claim, the offending lines in its evidence.
import { addDays, daysBetween, type IsoDate } from '../../calendar';
import { contractInForce, registrationInForce } from '../../eligibility';
import { earliestRenewal } from '../../prescription/renewal';
import { packsFor } from '../../prescription/supply';
import type { AuditRuleParams } from '../params';
import type { AuditClaim, AuditClaimLine, AuditDrug, AuditFinding, AuditPolicyParams, AuditRuleCode, PersonAuditFacts } from '../types';

/** Lines claimed under the two-disease / chronic benefit (the counter's scope; general outpatient is not). */
const IN_SCOPE = new Set(['two_disease', 'specified_disease']);

interface Purchase {
  date: IsoDate;
  institutionId: string;
  /** In the order they were settled. */
  claims: AuditClaim[];
  /** Position among the person's purchases, in time. */
  order: number;
}

interface Supply {
  purchase: Purchase;
  claim: AuditClaim;
  days: number;
}

const byTime = (a: AuditClaim, b: AuditClaim) =>
  a.serviceDate < b.serviceDate ? -1 : a.serviceDate > b.serviceDate ? 1 : a.settledAt < b.settledAt ? -1 : a.settledAt > b.settledAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function purchasesOf(claims: AuditClaim[]): Purchase[] {
  const sorted = [...claims].sort(byTime);
  const byKey = new Map<string, Purchase>();
  const out: Purchase[] = [];
  for (const c of sorted) {
    const key = `${c.serviceDate}|${c.institutionId}`;
    let p = byKey.get(key);
    if (!p) {
      p = { date: c.serviceDate, institutionId: c.institutionId, claims: [], order: out.length };
      byKey.set(key, p);
      out.push(p);
    }
    p.claims.push(c);
  }
  return out;
}

const sum = (lines: AuditClaimLine[]) => lines.reduce((s, l) => s + l.fundPayFen, 0);

/** Packs the labelled maximum daily dose needs for `days` days (maxDailyUnits is given to 1/10,000 of a unit). */
export function packsAtMaximum(drug: AuditDrug, days: number): number {
  return packsFor({ n: Math.round(drug.maxDailyUnits * 10000), d: 10000 }, days, drug.packSize);
}

/** Every claim finding for the person's claims dated from `from` to `to` (inclusive). */
export function auditClaims(
  facts: PersonAuditFacts,
  range: { from: IsoDate; to: IsoDate },
  drugs: ReadonlyMap<string, AuditDrug>,
  policyOf: (claim: AuditClaim) => AuditPolicyParams,
  params: AuditRuleParams,
): AuditFinding[] {
  const purchases = purchasesOf(facts.claims);
  // supplies of each drug in time order: what the supply rules look back on
  const supplies = new Map<string, Supply[]>();
  for (const p of purchases)
    for (const claim of p.claims)
      for (const drugCode of new Set(claim.lines.map((l) => l.drugCode))) {
        const days = Math.max(...claim.lines.filter((l) => l.drugCode === drugCode).map((l) => l.daysSupply));
        const list = supplies.get(drugCode) ?? [];
        if (!list.length) supplies.set(drugCode, list);
        list.push({ purchase: p, claim, days });
      }

  const findings: AuditFinding[] = [];
  const emit = (rule: AuditRuleCode, claim: AuditClaim, evidence: Record<string, unknown>, amountFen: number) =>
    findings.push({ rule, serviceDate: claim.serviceDate, claimId: claim.id, prescriptionId: null, personId: facts.personId, institutionId: claim.institutionId, doctorId: claim.doctorId, evidence, amountFen });

  for (const p of purchases) {
    if (p.date < range.from || p.date > range.to) continue;
    const date = p.date;

    if (p.claims.length >= params.splitClaims.minClaims) {
      const all = p.claims.flatMap((c) => c.lines);
      emit('split_claims', p.claims[0], {
        serviceDate: date, institutionId: p.institutionId,
        claims: p.claims.map((c) => ({ claimId: c.id, settledAt: c.settledAt, fundPayFen: sum(c.lines), drugs: c.lines.map((l) => l.drugCode) })),
      }, sum(all));
    }

    const windowStart = addDays(date, -(params.abnormalFrequency.windowDays - 1));
    const lookbackStart = addDays(date, -params.lookbackDays);
    const contract = contractInForce(facts.contracts, date);
    const registered = facts.registrations.filter((r) => registrationInForce(r, date));
    const registeredDiseases = [...new Set(registered.map((r) => r.disease))].sort();

    // duplicate therapy within the purchase: each later line that shares a class with an earlier, different drug
    const duplicates = new Map<AuditClaim, Array<Record<string, unknown> & { fundPayFen: number }>>();
    const seen: Array<{ claim: AuditClaim; line: AuditClaimLine; drug: AuditDrug }> = [];
    for (const claim of p.claims)
      for (const line of claim.lines) {
        const drug = drugs.get(line.drugCode);
        if (!drug) continue;
        const earlier = seen.find((s) => s.drug.code !== drug.code && s.drug.classes.some((c) => drug.classes.includes(c)));
        if (earlier) {
          const classes = earlier.drug.classes.filter((c) => drug.classes.includes(c));
          duplicates.set(claim, [...(duplicates.get(claim) ?? []), { lineNo: line.lineNo, drugCode: line.drugCode, withClaimId: earlier.claim.id, withLineNo: earlier.line.lineNo, withDrugCode: earlier.drug.code, classes, fundPayFen: line.fundPayFen }]);
        }
        seen.push({ claim, line, drug });
      }

    for (const claim of p.claims) {
      const policy = policyOf(claim);
      const inScope = claim.lines.filter((l) => IN_SCOPE.has(l.scope));

      if (inScope.length && !contract)
        emit('not_contracted_on_service_date', claim, {
          serviceDate: date,
          contracts: facts.contracts.map((c) => ({ id: c.id, startDate: c.startDate, endDate: c.endDate, status: c.status, terminatedOn: c.terminatedOn })),
        }, sum(inScope));

      if (inScope.length && registered.length === 0)
        emit('not_registered_on_service_date', claim, { serviceDate: date, registrations: facts.registrations }, sum(inScope));

      if (registered.length) {
        const off = inScope.filter((l) => {
          const drug = drugs.get(l.drugCode);
          return drug && !drug.diseases.some((d) => registeredDiseases.includes(d));
        });
        if (off.length)
          emit('drug_not_for_registered_disease', claim, {
            serviceDate: date, registeredDiseases,
            lines: off.map((l) => ({ lineNo: l.lineNo, drugCode: l.drugCode, drugDiseases: drugs.get(l.drugCode)!.diseases, fundPayFen: l.fundPayFen })),
          }, sum(off));
      }

      const long = inScope.filter((l) => l.daysSupply > policy.maxDaysSupply);
      if (long.length)
        emit('over_max_days', claim, { maxDaysSupply: policy.maxDaysSupply, lines: long.map((l) => ({ lineNo: l.lineNo, drugCode: l.drugCode, daysSupply: l.daysSupply, fundPayFen: l.fundPayFen })) }, sum(long));

      // a dispensed claim's dose is its prescription's (rules/prescriptions.ts judges it there)
      if (claim.prescriptionId === null) {
        const over = claim.lines.filter((l) => {
          const drug = drugs.get(l.drugCode);
          return drug && l.quantity > packsAtMaximum(drug, l.daysSupply);
        });
        if (over.length)
          emit('dose_over_max', claim, {
            lines: over.map((l) => {
              const drug = drugs.get(l.drugCode)!;
              return { lineNo: l.lineNo, drugCode: l.drugCode, quantity: l.quantity, daysSupply: l.daysSupply, packSize: drug.packSize, maxDailyUnits: drug.maxDailyUnits, packsAtMaximum: packsAtMaximum(drug, l.daysSupply), fundPayFen: l.fundPayFen };
            }),
          }, sum(over));
      }

      const dup = duplicates.get(claim);
      if (dup) emit('duplicate_therapy', claim, { lines: dup }, dup.reduce((s, d) => s + d.fundPayFen, 0));

      const frequent: Array<Record<string, unknown>> = [];
      const early: Array<Record<string, unknown>> = [];
      const overlap: Array<Record<string, unknown>> = [];
      let frequentFen = 0, earlyFen = 0, overlapFen = 0;
      for (const drugCode of new Set(claim.lines.map((l) => l.drugCode))) {
        const fen = sum(claim.lines.filter((l) => l.drugCode === drugCode));
        const list = supplies.get(drugCode) ?? [];
        // fills in the window up to this purchase: one per purchase, one per prescription filled in parts
        const fills = new Map<string, IsoDate>();
        for (const s of list)
          if (s.purchase.order <= p.order && s.purchase.date >= windowStart) fills.set(s.claim.prescriptionId ?? `${s.purchase.date}|${s.purchase.institutionId}`, s.purchase.date);
        if (fills.size >= params.abnormalFrequency.minFills) {
          frequent.push({ drugCode, windowFrom: windowStart, windowTo: date, fills: [...fills.values()].sort() });
          frequentFen += fen;
          continue;
        }
        // the last earlier supply, outside this purchase and outside this claim's own prescription
        let last: Supply | undefined;
        for (const s of list)
          if (s.purchase.order < p.order && s.purchase.date >= lookbackStart && (claim.prescriptionId === null || s.claim.prescriptionId !== claim.prescriptionId)) last = s;
        if (!last) continue;
        const daysLeft = daysBetween(date, addDays(last.purchase.date, last.days));
        const lastSupply = { claimId: last.claim.id, serviceDate: last.purchase.date, institutionId: last.purchase.institutionId, daysSupply: last.days };
        if (last.purchase.institutionId !== claim.institutionId && daysLeft > policy.onHandToleranceDays) {
          overlap.push({ drugCode, lastSupply, daysLeft, toleranceDays: policy.onHandToleranceDays });
          overlapFen += fen;
          continue;
        }
        const earliest = earliestRenewal(last.purchase.date, last.days, policy.earlyRefillBp);
        if (date < earliest) {
          early.push({ drugCode, lastSupply, earliest, earlyRefillBp: policy.earlyRefillBp, daysUsed: daysBetween(last.purchase.date, date) });
          earlyFen += fen;
        }
      }
      if (frequent.length) emit('abnormal_frequency', claim, { minFills: params.abnormalFrequency.minFills, drugs: frequent }, frequentFen);
      if (overlap.length) emit('overlapping_supply', claim, { drugs: overlap }, overlapFen);
      if (early.length) emit('early_refill', claim, { drugs: early }, earlyFen);
    }
  }
  return findings;
}
