// The identifier and code systems manbing writes into FHIR and reads back (docs/fhir.md). The resident ID's is
// the national OID of the resident identity card number (居民身份证号码, 2.16.156.10011.1.3); manbing's own
// catalogues and numbers are named under https://manbing.cn/fhir, so a record exported and imported again maps
// to the same disease and drug without going through SNOMED CT or RxNorm.
export const RESIDENT_ID = 'urn:oid:2.16.156.10011.1.3';
export const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const ATC = 'http://www.whocc.no/atc';
export const UCUM = 'http://unitsofmeasure.org';

const MANBING = 'https://manbing.cn/fhir';
export const MB = {
  residentId: `${MANBING}/sid/resident-id`,
  institution: `${MANBING}/sid/institution`,
  licence: `${MANBING}/sid/practitioner-licence`,
  prescriptionNo: `${MANBING}/sid/prescription-no`,
  referralNo: `${MANBING}/sid/referral-no`,
  settlementNo: `${MANBING}/sid/settlement-no`,
  disease: `${MANBING}/CodeSystem/disease`,
  drug: `${MANBING}/CodeSystem/drug`,
  insuranceType: `${MANBING}/CodeSystem/insurance-type`,
  teamRole: `${MANBING}/CodeSystem/team-role`,
  referralDirection: `${MANBING}/CodeSystem/referral-direction`,
  adjudication: `${MANBING}/CodeSystem/adjudication`,
  visitMode: `${MANBING}/CodeSystem/follow-up-mode`,
} as const;
