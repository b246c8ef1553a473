// A person's record as FHIR R4 (issue 18's export, docs/fhir.md): the Patient with the resident ID as its
// identifier (masked for a caller who sees masked numbers), the health record's diagnoses as Conditions, the
// family-doctor contract as the patient's CareTeam and the insurance as a Coverage. Pure: the rows in, the
// resources out.
import type { CareTeam, Condition, Coverage, Patient } from '@medplum/fhirtypes';
import { MB, RESIDENT_ID, SNOMED, V2_0203 } from '../systems';

export interface PersonRow {
  id: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  /** As the caller may see it: whole, or masked. */
  idNumber: string;
  phone: string | null;
  regionName: string;
  address: string | null;
  insuranceType: 'resident' | 'employee';
  insuredSince: string;
  deathDate: string | null;
}

export const patientRef = (personId: string) => ({ reference: `Patient/${personId}` });

export function patientOf(p: PersonRow, masked: boolean): Patient {
  return {
    resourceType: 'Patient', id: p.id,
    identifier: [{
      use: 'official', system: RESIDENT_ID, value: p.idNumber,
      type: { coding: [{ system: V2_0203, code: 'NNCHN', display: 'National Person Identifier (China)' }], text: masked ? '居民身份证号（脱敏）' : '居民身份证号' },
    }],
    name: [{ use: 'official', text: p.name }],
    gender: p.sex, birthDate: p.birthDate,
    ...(p.deathDate ? { deceasedDateTime: p.deathDate } : {}),
    ...(p.phone ? { telecom: [{ system: 'phone' as const, value: p.phone, use: 'mobile' as const }] } : {}),
    address: [{ use: 'home', text: p.address ?? p.regionName, district: p.regionName, country: 'CN' }],
  };
}

/** SNOMED CT concepts written beside manbing's code for the two diseases (clinical.ts reads them back). */
const SNOMED_OF: Record<string, { code: string; display: string }> = {
  hypertension: { code: '38341003', display: 'Hypertensive disorder, systemic arterial' },
  diabetes: { code: '73211009', display: 'Diabetes mellitus' },
};

export interface ConditionRow { personId: string; disease: string; diseaseName: string; diagnosedOn: string; source: string; recordedAt: string }

export function conditionOf(c: ConditionRow): Condition {
  const snomed = SNOMED_OF[c.disease];
  return {
    resourceType: 'Condition', id: `${c.personId}.${c.disease.replaceAll('_', '-')}`,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: {
      coding: [{ system: MB.disease, code: c.disease, display: c.diseaseName }, ...(snomed ? [{ system: SNOMED, ...snomed }] : [])],
      text: c.diseaseName,
    },
    subject: patientRef(c.personId),
    onsetDateTime: c.diagnosedOn,
    recordedDate: c.recordedAt,
    note: [{ text: `来源 source: ${c.source}` }],
  };
}

export interface ContractRow {
  id: string;
  personId: string;
  teamName: string;
  institutionId: string;
  startDate: string;
  endDate: string;
  status: 'active' | 'renewed' | 'lapsed' | 'terminated';
  members: Array<{ practitionerId: string; name: string; role: 'gp' | 'nurse' | 'public_health' | 'specialist' }>;
}

const TEAM_ROLES = { gp: '全科医生', nurse: '护士', public_health: '公卫医生', specialist: '专科医生' } as const;

/** The family-doctor team as the patient's CareTeam for the contract's period (签约). */
export function careTeamOf(c: ContractRow): CareTeam {
  return {
    resourceType: 'CareTeam', id: c.id,
    status: c.status === 'active' ? 'active' : 'inactive',
    category: [{ coding: [{ system: 'http://loinc.org', code: 'LA28865-6', display: 'Longitudinal care-coordination focused care team' }], text: '家庭医生签约团队' }],
    name: c.teamName,
    subject: patientRef(c.personId),
    period: { start: c.startDate, end: c.endDate },
    participant: c.members.map((m) => ({
      role: [{ coding: [{ system: MB.teamRole, code: m.role, display: TEAM_ROLES[m.role] }] }],
      member: { reference: `Practitioner/${m.practitionerId}`, display: m.name },
      onBehalfOf: { reference: `Organization/${c.institutionId}` },
    })),
    managingOrganization: [{ reference: `Organization/${c.institutionId}` }],
  };
}

const INSURANCE = { resident: '城乡居民基本医疗保险', employee: '职工基本医疗保险' } as const;

/** The person's basic medical insurance (城乡居民医保 or 职工医保), paid by the county's medical-insurance fund. */
export function coverageOf(p: PersonRow, payor: string): Coverage {
  return {
    resourceType: 'Coverage', id: `${p.id}.cov`,
    status: 'active',
    type: { coding: [{ system: MB.insuranceType, code: p.insuranceType, display: INSURANCE[p.insuranceType] }], text: INSURANCE[p.insuranceType] },
    beneficiary: patientRef(p.id),
    relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }] },
    period: { start: p.insuredSince, ...(p.deathDate ? { end: p.deathDate } : {}) },
    payor: [{ display: payor }],
  };
}
