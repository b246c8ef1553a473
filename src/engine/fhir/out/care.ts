// Referrals, settlements and the directory as FHIR R4 (issue 18's export): a referral (转诊) a ServiceRequest
// from the sending institution to the receiving one; a settled claim (结算) an ExplanationOfBenefit in CNY with
// the fund's and the patient's shares; institutions Organizations and their staff Practitioners. Money is
// integer fen in manbing and a decimal of yuan in FHIR: fen ÷ 100, exact for any whole number of fen.
import type { ExplanationOfBenefit, Money, Organization, Practitioner, ServiceRequest } from '@medplum/fhirtypes';
import { MB } from '../systems';
import { drugConcept, type DrugRef } from './medications';
import { patientRef } from './person';

const org = (id: string) => ({ reference: `Organization/${id}` });

export interface ReferralRow {
  id: string; referralNo: string; personId: string; direction: 'up' | 'down'; status: string; urgency: 'urgent' | 'routine';
  reason: string; fromInstitutionId: string; toInstitutionId: string | null; requestedAt: string; appointmentDate: string | null;
  department: string | null; clinicalSummary: string | null;
}

const REFERRAL_STATUS: Record<string, ServiceRequest['status']> = { requested: 'active', accepted: 'active', attended: 'active', completed: 'completed', declined: 'revoked', expired: 'revoked' };

export function serviceRequestOf(r: ReferralRow): ServiceRequest {
  const up = r.direction === 'up';
  return {
    resourceType: 'ServiceRequest', id: r.id,
    identifier: [{ system: MB.referralNo, value: r.referralNo }],
    status: REFERRAL_STATUS[r.status] ?? 'unknown', intent: 'order',
    category: [{ coding: [{ system: MB.referralDirection, code: r.direction, display: up ? '上转' : '下转' }] }],
    priority: r.urgency === 'urgent' ? 'urgent' : 'routine',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }], text: up ? '上转至二、三级医院' : '下转至家庭医生团队' },
    subject: patientRef(r.personId),
    authoredOn: r.requestedAt,
    ...(r.appointmentDate ? { occurrenceDateTime: r.appointmentDate } : {}),
    requester: org(r.fromInstitutionId),
    ...(r.toInstitutionId ? { performer: [org(r.toInstitutionId)] } : {}),
    reasonCode: [{ text: r.reason }],
    ...(r.clinicalSummary || r.department ? { note: [{ text: [r.department && `科室 ${r.department}`, r.clinicalSummary].filter(Boolean).join('；') }] } : {}),
  };
}

/** fen as FHIR Money in yuan. */
export const cny = (fen: number): Money => ({ value: fen / 100, currency: 'CNY' });

export interface ClaimLineRow { lineNo: number; drug: DrugRef; quantity: number; unitPriceFen: number; amountFen: number }
export interface ClaimRow {
  id: string; settlementNo: string; personId: string; institutionId: string; serviceDate: string; settledAt: string;
  status: 'settled' | 'reversed'; amountFen: number;
  /** What the fund pays now: the settlement's fund payment with the re-settlements booked on it (补扣/补付). */
  fundPayFen: number;
  deductibleFen: number; copayFen: number; overLimitFen: number; criticalIllnessFen: number;
  lines: ClaimLineRow[];
}

const adjudication = (code: string, display: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication', code, display }] });
const own = (code: string, display: string) => ({ coding: [{ system: MB.adjudication, code, display }], text: display });

/** A settlement (实时结算) of the outpatient medication benefit: what was bought, what the fund paid and what the patient. */
export function explanationOfBenefitOf(c: ClaimRow, insurer: string): ExplanationOfBenefit {
  const patientFen = c.amountFen - c.fundPayFen;
  return {
    resourceType: 'ExplanationOfBenefit', id: c.id,
    identifier: [{ system: MB.settlementNo, value: c.settlementNo }],
    status: c.status === 'settled' ? 'active' : 'cancelled',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'pharmacy', display: 'Pharmacy' }] },
    use: 'claim',
    patient: patientRef(c.personId),
    billablePeriod: { start: c.serviceDate, end: c.serviceDate },
    created: c.settledAt,
    insurer: { display: insurer },
    provider: org(c.institutionId),
    outcome: 'complete',
    insurance: [{ focal: true, coverage: { reference: `Coverage/${c.personId}.cov` } }],
    item: c.lines.map((l) => ({
      sequence: l.lineNo,
      productOrService: drugConcept(l.drug),
      servicedDate: c.serviceDate,
      quantity: { value: l.quantity, unit: l.drug.unit },
      unitPrice: cny(l.unitPriceFen),
      net: cny(l.amountFen),
    })),
    total: [
      { category: adjudication('submitted', 'Submitted Amount'), amount: cny(c.amountFen) },
      { category: adjudication('deductible', 'Deductible'), amount: cny(c.deductibleFen) },
      { category: adjudication('benefit', 'Benefit Amount'), amount: cny(c.fundPayFen) },
      { category: own('patient-pay', '个人负担'), amount: cny(patientFen) },
      { category: own('copay', '起付线以上个人自付'), amount: cny(c.copayFen) },
      { category: own('over-limit', '超限额自付'), amount: cny(c.overLimitFen) },
      ...(c.criticalIllnessFen ? [{ category: own('critical-illness', '大病保险支付'), amount: cny(c.criticalIllnessFen) }] : []),
    ],
    payment: { amount: cny(c.fundPayFen) },
  };
}

export interface InstitutionRow { id: string; code: string; name: string; kind: string; address: string | null; phone: string | null; parentId: string | null }

export function organizationOf(i: InstitutionRow): Organization {
  return {
    resourceType: 'Organization', id: i.id,
    identifier: [{ system: MB.institution, value: i.code }],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: i.kind === 'pharmacy' ? 'other' : 'prov' }], text: i.kind }],
    name: i.name,
    ...(i.phone ? { telecom: [{ system: 'phone' as const, value: i.phone }] } : {}),
    ...(i.address ? { address: [{ text: i.address, country: 'CN' }] } : {}),
    ...(i.parentId ? { partOf: org(i.parentId) } : {}),
  };
}

export interface PractitionerRow { id: string; name: string; profession: string; licenceNo: string; institutionId: string }

export function practitionerOf(p: PractitionerRow): Practitioner {
  return {
    resourceType: 'Practitioner', id: p.id,
    identifier: [{ system: MB.licence, value: p.licenceNo }],
    active: true,
    name: [{ text: p.name }],
    qualification: [{ code: { text: p.profession }, issuer: org(p.institutionId) }],
  };
}
