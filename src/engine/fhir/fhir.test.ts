// Reading FHIR into manbing's records (issue 18): readings with their units and plausibility limits, diagnoses by
// SNOMED CT and ICD-10, medications mapped by RxNorm or name, and the faults that refuse a whole bundle.
import { readFileSync } from 'node:fs';
import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { readBundle } from './bundle';
import { diagnosisOf, medicationOf, type Ingredient } from './clinical';
import { readingOf } from './readings';

const ingredients = (JSON.parse(readFileSync(new URL('../../../data/fhir-medications.json', import.meta.url), 'utf8')) as { ingredients: Ingredient[] }).ingredients;
const diseases = [{ code: 'hypertension', icd10: ['I10', 'I11', 'I12', 'I13', 'I15'] }, { code: 'diabetes', icd10: ['E10', 'E11', 'E12', 'E13', 'E14'] }, { code: 'copd', icd10: ['J44'] }];
const drugCodes = new Set(['D0001', 'D0024', 'D0033', 'D0034']);
const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const q = (value: number, unit: string) => ({ value, unit, code: unit, system: 'http://unitsofmeasure.org' });
const bp = (s: number, d: number, code = '85354-9'): Observation => ({
  resourceType: 'Observation', status: 'final', code: loinc(code), effectiveDateTime: '2025-03-04T08:00:00+08:00',
  component: [{ code: loinc('8480-6'), valueQuantity: q(s, 'mm[Hg]') }, { code: loinc('8462-4'), valueQuantity: q(d, 'mm[Hg]') }],
});

describe('readings', () => {
  it('reads a blood-pressure panel (85354-9, and 55284-4 as Synthea writes it) by its components', () => {
    expect(readingOf(bp(141.6, 88.2))).toEqual({ reading: { kind: 'blood_pressure', date: '2025-03-04', value: 142, value2: 88 } });
    expect(readingOf(bp(120, 80, '55284-4'))).toMatchObject({ reading: { value: 120, value2: 80 } });
  });
  it('converts glucose from mg/dL to tenths of mmol/L and keeps HbA1c, weight, height and BMI in tenths', () => {
    const one = (code: string, value: number, unit: string) => readingOf({ resourceType: 'Observation', status: 'final', code: loinc(code), effectiveDateTime: '2025-01-02', valueQuantity: q(value, unit) });
    expect(one('2339-0', 126, 'mg/dL')).toMatchObject({ reading: { kind: 'glucose', value: 70 } });
    expect(one('1558-6', 6.1, 'mmol/L')).toMatchObject({ reading: { kind: 'fasting_glucose', value: 61 } });
    expect(one('4548-4', 7.25, '%')).toMatchObject({ reading: { kind: 'hba1c', value: 73 } });
    expect(one('29463-7', 70.44, 'kg')).toMatchObject({ reading: { kind: 'weight', value: 704 } });
    expect(one('8302-2', 172.1, 'cm')).toMatchObject({ reading: { kind: 'height', value: 1721 } });
    expect(one('8867-4', 71.6, '/min')).toMatchObject({ reading: { kind: 'heart_rate', value: 72 } });
    expect(one('2339-0', 7, 'g/L')).toEqual({ skipped: 'glucose: unit "g/L" not one of mmol/L, mg/dL' });
    expect(one('718-7', 13, 'g/dL')).toEqual({ notRead: true });
  });
  it('dates a reading by the day in China: a time with an offset on Shanghai’s clock, a date as written', () => {
    const at = (effectiveDateTime: string) => readingOf({ ...bp(120, 80), effectiveDateTime });
    expect(at('2021-03-02T20:32:26+00:00')).toMatchObject({ reading: { date: '2021-03-03' } });
    expect(at('2021-03-02T15:59:59Z')).toMatchObject({ reading: { date: '2021-03-02' } });
    expect(at('2021-03-02T23:30:00+08:00')).toMatchObject({ reading: { date: '2021-03-02' } });
    expect(at('2021-03-02')).toMatchObject({ reading: { date: '2021-03-02' } });
    expect(at('2021-03')).toEqual({ skipped: 'no effective date' });
  });
  it('reports a reading outside the plausibility limits instead of storing it', () => {
    expect(readingOf(bp(300, 90))).toEqual({ skipped: 'implausible blood pressure 300/90 mmHg' });
    expect(readingOf(bp(80, 95))).toMatchObject({ skipped: expect.stringContaining('implausible') });
    expect(readingOf({ resourceType: 'Observation', status: 'final', code: loinc('4548-4'), effectiveDateTime: '2025-01-02', valueQuantity: q(25, '%') })).toEqual({ skipped: 'implausible hba1c 250' });
    expect(readingOf({ ...bp(120, 80), effectiveDateTime: undefined })).toEqual({ skipped: 'no effective date' });
  });
});

describe('diagnoses and medications', () => {
  it('maps SNOMED CT and ICD-10 codes to the catalogue and leaves the rest', () => {
    const c = (system: string, code: string) => ({ resourceType: 'Condition' as const, subject: {}, code: { coding: [{ system, code }] }, onsetDateTime: '2019-03-05T20:32:26+00:00' });
    // 20:32 UTC on 5 March is the morning of 6 March in China
    expect(diagnosisOf(c('http://snomed.info/sct', '59621000'), diseases)).toEqual({ diagnosis: { disease: 'hypertension', onset: '2019-03-06', code: '59621000', system: 'http://snomed.info/sct' } });
    expect(diagnosisOf(c('http://snomed.info/sct', '44054006'), diseases)).toMatchObject({ diagnosis: { disease: 'diabetes' } });
    expect(diagnosisOf(c('http://hl7.org/fhir/sid/icd-10', 'E11.9'), diseases)).toMatchObject({ diagnosis: { disease: 'diabetes' } });
    expect(diagnosisOf(c('http://hl7.org/fhir/sid/icd-10', 'J44.1'), diseases)).toMatchObject({ diagnosis: { disease: 'copd' } });
    expect(diagnosisOf(c('http://snomed.info/sct', '15777000'), diseases)).toEqual({ notRead: true });
    expect(diagnosisOf(c('https://manbing.cn/fhir/CodeSystem/disease', 'copd'), diseases)).toMatchObject({ diagnosis: { disease: 'copd' } });
    expect(diagnosisOf(c('https://manbing.cn/fhir/CodeSystem/disease', 'gout'), diseases)).toEqual({ notRead: true });
    expect(diagnosisOf({ ...c('http://snomed.info/sct', '38341003'), verificationStatus: { coding: [{ code: 'refuted' }] } }, diseases)).toEqual({ skipped: 'verification status refuted' });
  });
  it('maps a medication to the catalogue by RxNorm ingredient or by name, the release form choosing the drug, and keeps the rest as text', () => {
    const m = (display: string, code = '0') => ({ resourceType: 'MedicationRequest' as const, status: 'active' as const, intent: 'order' as const, subject: {}, authoredOn: '2020-01-01T00:00:00Z', medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display }] } });
    expect(medicationOf(m('Hydrochlorothiazide 25 MG', '316049'), ingredients, drugCodes)).toMatchObject({ drugCode: 'D0024', atc: 'C03AA03', rxnorm: '316049', authoredOn: '2020-01-01' });
    expect(medicationOf(m('24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', '860975'), ingredients, drugCodes)).toMatchObject({ drugCode: 'D0034' });
    expect(medicationOf(m('metformin', '6809'), ingredients, drugCodes)).toMatchObject({ drugCode: 'D0033' });
    expect(medicationOf(m('lisinopril 10 MG Oral Tablet', '314076'), ingredients, drugCodes)).toMatchObject({ drugCode: null, atc: 'C09AA03' });
    expect(medicationOf(m('Losartan 50 MG / Hydrochlorothiazide 12.5 MG'), ingredients, drugCodes)).toMatchObject({ drugCode: null, atc: null });
    // manbing's own drug code (its export) wins; an ATC code alone finds the ingredient
    const coded = (system: string, code: string, text: string) => ({ ...m(text), medicationCodeableConcept: { text, coding: [{ system, code }] } });
    expect(medicationOf(coded('https://manbing.cn/fhir/CodeSystem/drug', 'D0001', '苯磺酸氨氯地平片'), ingredients, drugCodes)).toMatchObject({ drugCode: 'D0001', text: '苯磺酸氨氯地平片' });
    expect(medicationOf(coded('https://manbing.cn/fhir/CodeSystem/drug', 'D9999', '某药'), ingredients, drugCodes)).toMatchObject({ drugCode: null });
    expect(medicationOf(coded('http://www.whocc.no/atc', 'C10AA05', '阿托伐他汀'), ingredients, drugCodes)).toMatchObject({ atc: 'C10AA05', drugCode: null });
    expect(medicationOf(coded('http://www.whocc.no/atc', 'C03AA03', '氢氯噻嗪片'), ingredients, drugCodes)).toMatchObject({ drugCode: 'D0024' });
    expect(medicationOf(m('Acetaminophen 325 MG Oral Tablet', '313782'), ingredients, drugCodes)).toMatchObject({ drugCode: null, text: 'Acetaminophen 325 MG Oral Tablet' });
  });
});

describe('bundles', () => {
  const patient = { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1958-04-12', name: [{ family: '王', given: ['芳'] }], identifier: [{ system: 'urn:oid:2.16.156.10011.1.3', value: '11010119580412048X' }] }, request: { method: 'POST', url: 'Patient' } };
  const obs = (id: string, subject = 'urn:uuid:p1') => ({ fullUrl: `urn:uuid:${id}`, resource: { ...bp(130, 85), id, subject: { reference: subject } }, request: { method: 'POST', url: 'Observation' } });
  const bundle = (...entry: unknown[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });

  it('reads a patient with a resident ID, their readings by source id, and counts what it does not import', () => {
    const r = readBundle(bundle(patient, obs('o1'), { resource: { resourceType: 'Encounter', id: 'e1' } }), { diseases, ingredients, drugCodes });
    expect(r.faults).toEqual([]);
    expect(r.patients[0]).toMatchObject({ sourceId: 'p1', residentId: '11010119580412048X', name: '王芳', sex: 'female', birthDate: '1958-04-12' });
    expect(r.patients[0].readings).toEqual([{ kind: 'blood_pressure', date: '2025-03-04', value: 130, value2: 85, sourceId: 'o1' }]);
    expect(r.notImported).toEqual({ Encounter: 1 });
    expect(r.read).toEqual({ Patient: 1, Observation: 1, Encounter: 1 });
  });
  it('refuses what is not a bundle, a wrong resourceType, an entry without a resource and a reference to nothing', () => {
    expect(readBundle({ resourceType: 'Patient' }, { diseases, ingredients, drugCodes }).faults).toEqual([{ entry: null, message: 'resourceType must be Bundle, not "Patient"' }]);
    expect(readBundle({ hello: 1 }, { diseases, ingredients, drugCodes }).faults[0].message).toBe('not a FHIR resource (no resourceType)');
    expect(readBundle({ resourceType: 'Bundle', type: 'searchset', entry: [] }, { diseases, ingredients, drugCodes }).faults[0].message).toContain('transaction, batch or collection');
    const wrong = { ...obs('o2'), request: { method: 'POST', url: 'Condition' } };
    expect(readBundle(bundle(patient, wrong), { diseases, ingredients, drugCodes }).faults).toEqual([{ entry: 1, message: 'the request is for Condition but the resource is a Observation' }]);
    expect(readBundle(bundle(patient, { request: { url: 'Patient' } }), { diseases, ingredients, drugCodes }).faults).toEqual([{ entry: 1, message: 'entry without a resource with a resourceType' }]);
    expect(readBundle(bundle(patient, obs('o3', 'urn:uuid:nobody')), { diseases, ingredients, drugCodes }).faults).toEqual([{ entry: 1, message: 'Observation.subject urn:uuid:nobody refers to no Patient in the bundle' }]);
  });
  it('takes a resident ID only with a valid check digit, by system or by the identifier type NNCHN', () => {
    const withId = (identifier: unknown[]) => readBundle(bundle({ ...patient, resource: { ...patient.resource, identifier } }), { diseases, ingredients, drugCodes }).patients[0].residentId;
    expect(withId([{ system: 'urn:oid:2.16.156.10011.1.3', value: '110101195804120481' }])).toBeNull();
    expect(withId([{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NNCHN' }] }, system: 'urn:example', value: '11010119580412048x' }])).toBe('11010119580412048X');
    expect(withId([{ system: 'http://hospital.example/mrn', value: '11010119580412048X' }])).toBeNull();
  });
});
