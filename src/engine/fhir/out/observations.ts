// Readings as FHIR R4 Observations (issue 18's export): a blood pressure as the vital-signs panel 85354-9 with
// its systolic and diastolic components, the rest one Observation each in UCUM units, with the LOINC codes the
// import reads (../readings.ts), so an export imported again gives the same readings. The values are the
// chart's integers (mmHg and beats a minute whole, the rest in tenths) written as decimals.
import type { Observation } from '@medplum/fhirtypes';
import type { ReadingKind } from '../readings';
import { LOINC, UCUM } from '../systems';
import { patientRef } from './person';

/** The code, its display, the UCUM unit and the divisor from the stored integer, per kind. */
const KINDS: Record<Exclude<ReadingKind, 'blood_pressure'>, { code: string; display: string; unit: string; per: number; lab: boolean; suffix: string }> = {
  glucose: { code: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mmol/L', per: 10, lab: true, suffix: 'glu' },
  fasting_glucose: { code: '1558-6', display: 'Fasting glucose [Mass/volume] in Serum or Plasma', unit: 'mmol/L', per: 10, lab: true, suffix: 'fglu' },
  hba1c: { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', per: 10, lab: true, suffix: 'a1c' },
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg', per: 10, lab: false, suffix: 'wt' },
  height: { code: '8302-2', display: 'Body height', unit: 'cm', per: 10, lab: false, suffix: 'ht' },
  bmi: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2', per: 10, lab: false, suffix: 'bmi' },
  heart_rate: { code: '8867-4', display: 'Heart rate', unit: '/min', per: 1, lab: false, suffix: 'hr' },
};

/** One reading of a visit, a health check or an import: where it came from decides its id. */
export interface ReadingRow {
  personId: string;
  /** Unique per reading source row (a visit's or a check's id, an imported reading's key); the kind is added to it. */
  rowId: string;
  kind: ReadingKind;
  date: string;
  value: number;
  value2: number | null;
  /** Who recorded it: a follow-up visit, the annual check, or the system an import came from. */
  origin: string;
}

const category = (lab: boolean) => [{
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: lab ? 'laboratory' : 'vital-signs', display: lab ? 'Laboratory' : 'Vital Signs' }],
}];
const quantity = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });
const loinc = (code: string, display: string) => ({ coding: [{ system: LOINC, code, display }], text: display });

export function observationOf(r: ReadingRow): Observation {
  const base = { resourceType: 'Observation' as const, status: 'final' as const, subject: patientRef(r.personId), effectiveDateTime: r.date, note: [{ text: r.origin }] };
  if (r.kind === 'blood_pressure') {
    return {
      ...base, id: `${r.rowId}.bp`, category: category(false), code: loinc('85354-9', 'Blood pressure panel with all children optional'),
      component: [
        { code: loinc('8480-6', 'Systolic blood pressure'), valueQuantity: quantity(r.value, 'mm[Hg]') },
        { code: loinc('8462-4', 'Diastolic blood pressure'), valueQuantity: quantity(r.value2!, 'mm[Hg]') },
      ],
    };
  }
  const k = KINDS[r.kind];
  return { ...base, id: `${r.rowId}.${k.suffix}`, category: category(k.lab), code: loinc(k.code, k.display), valueQuantity: quantity(r.value / k.per, k.unit) };
}

/** The readings of a follow-up visit or a health check row (columns as the chart keeps them). */
export function readingsOfVisit(v: {
  id: string; personId: string; date: string; origin: string;
  systolic: number | null; diastolic: number | null; heartRate: number | null; weightTenthsKg: number | null; heightTenthsCm: number | null;
  bmiTenths: number | null; fastingGlucoseTenths: number | null; hba1cTenths: number | null;
}): ReadingRow[] {
  const one = (kind: ReadingKind, value: number | null, value2: number | null = null): ReadingRow[] =>
    value === null ? [] : [{ personId: v.personId, rowId: v.id, kind, date: v.date, value, value2, origin: v.origin }];
  return [
    ...(v.systolic !== null && v.diastolic !== null ? one('blood_pressure', v.systolic, v.diastolic) : []),
    ...one('heart_rate', v.heartRate), ...one('weight', v.weightTenthsKg), ...one('height', v.heightTenthsCm), ...one('bmi', v.bmiTenths),
    ...one('fasting_glucose', v.fastingGlucoseTenths), ...one('hba1c', v.hba1cTenths),
  ];
}
