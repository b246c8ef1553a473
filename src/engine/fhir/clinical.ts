// FHIR Conditions to health-record diagnoses and MedicationRequests to the outside medication list (issue 18).
// A Condition is a two-disease or chronic-catalogue diagnosis by SNOMED CT (hypertension 38341003 / 59621000,
// type 2 diabetes 44054006, diabetes mellitus 73211009), by ICD-10 (the catalogue's codes, data/diseases.json:
// I10–I15, E10–E14, …) or by manbing's own disease code (what manbing's export writes).
import type { Condition, MedicationRequest } from '@medplum/fhirtypes';
import { chinaDay } from './readings';
import { ATC, MB, RXNORM, SNOMED } from './systems';

const ICD10 = /^http:\/\/hl7\.org\/fhir\/sid\/icd-10(-cm)?$|^urn:oid:2\.16\.840\.1\.113883\.6\.3$/;

/** SNOMED CT concepts of the two diseases the import reads (issue 18 names the first three; 73211009 is what manbing's export writes for diabetes). */
export const SNOMED_DISEASES: Record<string, string> = { '38341003': 'hypertension', '59621000': 'hypertension', '44054006': 'diabetes', '73211009': 'diabetes' };

export interface CatalogueDisease { code: string; icd10: string[] }
export interface Diagnosis { disease: string; onset: string | null; code: string; system: string }

export type DiagnosisResult = { diagnosis: Diagnosis } | { skipped: string } | { notRead: true };

/** A Condition as a diagnosis of the catalogue; `notRead` for a condition outside it. */
export function diagnosisOf(c: Condition, diseases: CatalogueDisease[]): DiagnosisResult {
  for (const coding of c.code?.coding ?? []) {
    let disease: string | undefined;
    if (coding.system === MB.disease && coding.code) disease = diseases.find((d) => d.code === coding.code)?.code;
    else if (coding.system === SNOMED && coding.code) disease = SNOMED_DISEASES[coding.code];
    else if (coding.system && ICD10.test(coding.system) && coding.code) {
      const icd = coding.code.toUpperCase();
      disease = diseases.find((d) => d.icd10.some((prefix) => icd.startsWith(prefix)))?.code;
    }
    if (!disease) continue;
    const status = c.verificationStatus?.coding?.[0]?.code;
    if (status === 'refuted' || status === 'entered-in-error') return { skipped: `verification status ${status}` };
    const onset = chinaDay(c.onsetDateTime ?? c.onsetPeriod?.start ?? c.recordedDate);
    return { diagnosis: { disease, onset, code: coding.code!, system: coding.system! } };
  }
  return { notRead: true };
}

export interface Ingredient { name: string; rxcui: string | null; atc: string; drug: string | null; extendedRelease?: string }
export interface OutsideMedication { text: string; rxnorm: string | null; atc: string | null; drugCode: string | null; status: string; authoredOn: string | null }

const words = (s: string) => ` ${s.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;

/**
 * A MedicationRequest as an outside medication, mapped to the catalogue by manbing's drug code (a record manbing
 * exported), else by the RxNorm ingredient, the ATC code or the ingredient's name where the table has it.
 */
export function medicationOf(m: MedicationRequest, table: Ingredient[], drugCodes: ReadonlySet<string>): OutsideMedication | { skipped: string } {
  const concept = m.medicationCodeableConcept;
  const rx = concept?.coding?.find((c) => c.system === RXNORM && c.code);
  const atc = concept?.coding?.find((c) => c.system === ATC && c.code)?.code ?? null;
  const own = concept?.coding?.find((c) => c.system === MB.drug && c.code && drugCodes.has(c.code))?.code ?? null;
  const text = concept?.text ?? rx?.display ?? concept?.coding?.[0]?.display ?? m.medicationReference?.display;
  if (!text) return { skipped: 'no medication named (medicationCodeableConcept or a displayed reference)' };
  const haystack = words(`${text} ${(concept?.coding ?? []).map((c) => c.display ?? '').join(' ')}`);
  const found = table.filter((i) => (rx?.code && i.rxcui === rx.code) || (atc && i.atc === atc) || haystack.includes(` ${i.name} `));
  // two mapped ingredients named: a combination, kept as text
  const ingredient = found.length === 1 ? found[0] : undefined;
  const extended = /extended release|sustained release|\b24 hr\b|\ber\b|\bxl\b/i.test(haystack);
  return {
    text, rxnorm: rx?.code ?? null, atc: atc ?? ingredient?.atc ?? null,
    drugCode: own ?? (ingredient ? (extended && ingredient.extendedRelease ? ingredient.extendedRelease : ingredient.drug) : null),
    status: m.status ?? 'unknown', authoredOn: chinaDay(m.authoredOn),
  };
}
