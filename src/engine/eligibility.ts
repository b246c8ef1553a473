// Who may draw the chronic two-disease benefit on a given day (seed 002 items 8–10): insured,
// contracted with a family doctor and under their management, registered for the disease and
// confirmed by the agency. One pure function decides it, with a reason for every benefit.
import type { IsoDate } from './calendar';

export interface ContractFact {
  id: string;
  teamId: string;
  teamName: string;
  startDate: IsoDate;
  endDate: IsoDate;
  status: 'active' | 'renewed' | 'lapsed' | 'terminated';
  /** First day the contract no longer holds after a termination (解约). */
  terminatedOn: IsoDate | null;
}

export interface RegistrationFact {
  disease: string;
  effectiveFrom: IsoDate;
  /** First day no longer in force (exclusive), or null while open. */
  effectiveTo: IsoDate | null;
}

export interface EligibilityFacts {
  insuredSince: IsoDate;
  contracts: ContractFact[];
  registrations: RegistrationFact[];
  /** Diseases with a filing not yet decided, and how it stands. */
  openFilings: Array<{ disease: string; status: 'submitted' | 'returned' }>;
}

export type EligibilityReason =
  | 'eligible'
  | 'not_insured'
  | 'no_contract'
  | 'not_registered'
  | 'registration_pending'
  | 'registration_returned'
  | 'registration_not_yet_effective'
  | 'registration_ended';

export const REASON_TEXT: Record<EligibilityReason, string> = {
  eligible: '已签约、已认定登记并经医保经办机构确认，享受两病门诊用药保障',
  not_insured: '服务日期不在参保期内',
  no_contract: '服务日期无有效家庭医生签约',
  not_registered: '未进行该病种认定登记',
  registration_pending: '认定登记待医保经办机构审核确认',
  registration_returned: '认定登记已退回，待家庭医生修改后重新提交',
  registration_not_yet_effective: '认定登记确认后尚未到生效日期',
  registration_ended: '该病种登记已终止（康复、撤销或变更）',
};

export function contractInForce(contracts: ContractFact[], date: IsoDate): ContractFact | null {
  return (
    contracts.find(
      (c) => c.startDate <= date && date <= c.endDate && (c.status !== 'terminated' || (c.terminatedOn !== null && date < c.terminatedOn)),
    ) ?? null
  );
}

export const registrationInForce = (r: RegistrationFact, date: IsoDate) => r.effectiveFrom <= date && (r.effectiveTo === null || date < r.effectiveTo);

export interface BenefitDecision {
  disease: string;
  applies: boolean;
  reason: EligibilityReason;
  message: string;
}

export function decideEligibility(facts: EligibilityFacts, date: IsoDate, diseases: readonly string[]) {
  const contract = contractInForce(facts.contracts, date);
  const registrations = facts.registrations.filter((r) => registrationInForce(r, date));
  const benefits: BenefitDecision[] = diseases.map((disease) => {
    const reason = reasonFor(facts, date, disease, contract !== null);
    return { disease, applies: reason === 'eligible', reason, message: REASON_TEXT[reason] };
  });
  return { insured: facts.insuredSince <= date, contract, registrations, benefits };
}

function reasonFor(facts: EligibilityFacts, date: IsoDate, disease: string, contracted: boolean): EligibilityReason {
  if (facts.insuredSince > date) return 'not_insured';
  if (!contracted) return 'no_contract';
  const mine = facts.registrations.filter((r) => r.disease === disease);
  if (mine.some((r) => registrationInForce(r, date))) return 'eligible';
  if (mine.some((r) => r.effectiveFrom > date)) return 'registration_not_yet_effective';
  const open = facts.openFilings.find((f) => f.disease === disease);
  if (open) return open.status === 'returned' ? 'registration_returned' : 'registration_pending';
  return mine.length ? 'registration_ended' : 'not_registered';
}
