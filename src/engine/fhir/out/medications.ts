// Prescriptions and dispensing as FHIR R4 (issue 18's export): each line of a prescription a MedicationRequest
// (the prescription number its groupIdentifier), the outside medication an import brought as a reported
// MedicationRequest, and each dispensed line a MedicationDispense that points at its request. The drug is
// coded by manbing's catalogue code and its WHO ATC code, so the import maps it back to the same drug.
import type { CodeableConcept, MedicationDispense, MedicationRequest } from '@medplum/fhirtypes';
import { ATC, MB } from '../systems';
import { patientRef } from './person';

export interface DrugRef { code: string; name: string; atc: string; unit: string }

export const drugConcept = (d: DrugRef): CodeableConcept => ({
  coding: [{ system: MB.drug, code: d.code, display: d.name }, { system: ATC, code: d.atc }],
  text: d.name,
});

/** A prescription's status as a request's: the prescription in the pharmacist's hands is still a draft to FHIR. */
const REQUEST_STATUS: Record<string, MedicationRequest['status']> = {
  draft: 'draft', submitted: 'draft', under_review: 'draft', returned: 'draft',
  approved: 'active', partly_dispensed: 'active', dispensed: 'completed', expired: 'stopped', cancelled: 'cancelled',
};

/** 每日一次 … 每周一次, as FHIR timing (qn: once a day at bedtime). */
const TIMING: Record<string, { frequency: number; period: number; periodUnit: 'd' | 'wk'; when?: Array<'HS'>; text: string }> = {
  qd: { frequency: 1, period: 1, periodUnit: 'd', text: '每日一次' },
  bid: { frequency: 2, period: 1, periodUnit: 'd', text: '每日两次' },
  tid: { frequency: 3, period: 1, periodUnit: 'd', text: '每日三次' },
  qid: { frequency: 4, period: 1, periodUnit: 'd', text: '每日四次' },
  qn: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'], text: '每晚一次' },
  qw: { frequency: 1, period: 1, periodUnit: 'wk', text: '每周一次' },
};

export interface PrescriptionLineRow {
  prescriptionId: string;
  prescriptionNo: string;
  lineNo: number;
  personId: string;
  status: string;
  writtenOn: string;
  validUntil: string;
  /** The prescribing doctor: their practitioner record where the account has one, else the account's name. */
  doctor: { practitionerId: string | null; name: string };
  institutionId: string;
  drug: DrugRef;
  /** One administration in thousandths of the drug's unit. */
  doseMilli: number;
  frequency: string;
  daysSupply: number;
  quantity: number;
}

export const requestId = (prescriptionId: string, lineNo: number) => `${prescriptionId}.${lineNo}`;

export function medicationRequestOf(l: PrescriptionLineRow): MedicationRequest {
  const t = TIMING[l.frequency];
  const dose = l.doseMilli / 1000;
  return {
    resourceType: 'MedicationRequest', id: requestId(l.prescriptionId, l.lineNo),
    groupIdentifier: { system: MB.prescriptionNo, value: l.prescriptionNo },
    status: REQUEST_STATUS[l.status] ?? 'unknown', intent: 'order',
    medicationCodeableConcept: drugConcept(l.drug),
    subject: patientRef(l.personId),
    authoredOn: l.writtenOn,
    requester: l.doctor.practitionerId ? { reference: `Practitioner/${l.doctor.practitionerId}`, display: l.doctor.name } : { display: l.doctor.name },
    dosageInstruction: [{
      sequence: 1, text: `每次${dose}${l.drug.unit}，${t?.text ?? l.frequency}`,
      ...(t ? { timing: { repeat: { frequency: t.frequency, period: t.period, periodUnit: t.periodUnit, ...(t.when ? { when: t.when } : {}) }, code: { text: l.frequency } } } : {}),
      doseAndRate: [{ doseQuantity: { value: dose, unit: l.drug.unit } }],
    }],
    dispenseRequest: {
      validityPeriod: { start: l.writtenOn, end: l.validUntil },
      quantity: { value: l.quantity, unit: l.drug.unit },
      expectedSupplyDuration: { value: l.daysSupply, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
      performer: { reference: `Organization/${l.institutionId}` },
    },
  };
}

export interface OutsideMedicationRow { personId: string; key: string; text: string; drug: DrugRef | null; status: string; authoredOn: string | null; sourceSystem: string }

const FHIR_REQUEST_STATUSES = new Set(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']);

/** A medication a hospital's system reported (imported): a reported request, coded when the import mapped it. */
export function outsideMedicationOf(m: OutsideMedicationRow): MedicationRequest {
  return {
    resourceType: 'MedicationRequest', id: `out.${m.key}`,
    status: (FHIR_REQUEST_STATUSES.has(m.status) ? m.status : 'unknown') as MedicationRequest['status'], intent: 'order',
    reportedBoolean: true,
    medicationCodeableConcept: m.drug ? { ...drugConcept(m.drug), text: m.text } : { text: m.text },
    subject: patientRef(m.personId),
    ...(m.authoredOn ? { authoredOn: m.authoredOn } : {}),
    note: [{ text: `院外用药，导入自 ${m.sourceSystem}` }],
  };
}

export interface DispenseLineRow {
  dispenseId: string;
  lineNo: number;
  personId: string;
  prescriptionId: string;
  prescriptionLineNo: number;
  status: 'dispensed' | 'returned';
  delivery: boolean;
  institutionId: string;
  dispensedAt: string;
  drug: DrugRef;
  batchNo: string;
  quantity: number;
  daysSupply: number | null;
}

export function medicationDispenseOf(d: DispenseLineRow): MedicationDispense {
  return {
    resourceType: 'MedicationDispense', id: `${d.dispenseId}.${d.lineNo}`,
    // a dispensing brought back (退药) did not reach the patient
    status: d.status === 'dispensed' ? 'completed' : 'stopped',
    medicationCodeableConcept: drugConcept(d.drug),
    subject: patientRef(d.personId),
    performer: [{ actor: { reference: `Organization/${d.institutionId}` } }],
    authorizingPrescription: [{ reference: `MedicationRequest/${requestId(d.prescriptionId, d.prescriptionLineNo)}` }],
    type: { text: d.delivery ? '送药到家' : '窗口发药' },
    quantity: { value: d.quantity, unit: d.drug.unit },
    ...(d.daysSupply ? { daysSupply: { value: d.daysSupply, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' } } : {}),
    whenHandedOver: d.dispensedAt,
    note: [{ text: `批号 ${d.batchNo}` }],
  };
}
