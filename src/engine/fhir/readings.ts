// FHIR Observations to the chart's readings (issue 18): which LOINC codes are read, in what unit, and the
// plausibility limits a reading must pass to be stored — the same limits as a follow-up visit's columns
// (migration 0004), so an imported reading could have been typed in. Values are kept as the chart keeps them:
// mmHg and beats per minute whole, the rest in tenths.
import type { Observation, Quantity } from '@medplum/fhirtypes';
import { shanghaiDate } from '../calendar';

export type ReadingKind = 'blood_pressure' | 'glucose' | 'fasting_glucose' | 'hba1c' | 'weight' | 'height' | 'bmi' | 'heart_rate';

export interface Reading {
  kind: ReadingKind;
  /** The day of the reading in China (chinaDay of effectiveDateTime). */
  date: string;
  /** blood pressure: systolic; others: the value (tenths, or whole for heart rate) */
  value: number;
  /** blood pressure: diastolic */
  value2: number | null;
}

const LOINC = 'http://loinc.org';
/** 85354-9 is the blood-pressure panel; Synthea writes 55284-4. Components 8480-6 systolic, 8462-4 diastolic. */
const PANELS = ['85354-9', '55284-4'];
const SINGLE: Record<string, { kind: Exclude<ReadingKind, 'blood_pressure'>; units: Record<string, number> }> = {
  // a factor to tenths of the chart's unit: glucose mg/dL ÷ 18.016 to mmol/L (molar mass of glucose 180.16 g/mol)
  '2339-0': { kind: 'glucose', units: { 'mmol/L': 10, 'mg/dL': 10 / 18.016 } },
  '1558-6': { kind: 'fasting_glucose', units: { 'mmol/L': 10, 'mg/dL': 10 / 18.016 } },
  '4548-4': { kind: 'hba1c', units: { '%': 10 } },
  '29463-7': { kind: 'weight', units: { kg: 10, '[lb_av]': 10 * 0.45359237 } },
  '8302-2': { kind: 'height', units: { cm: 10, '[in_i]': 10 * 2.54 } },
  '39156-5': { kind: 'bmi', units: { 'kg/m2': 10 } },
  '8867-4': { kind: 'heart_rate', units: { '/min': 1 } },
};
/** Inclusive limits in the stored unit, as the follow-up visit's check constraints. */
export const LIMITS: Record<ReadingKind, [number, number] | { systolic: [number, number]; diastolic: [number, number] }> = {
  blood_pressure: { systolic: [60, 260], diastolic: [30, 160] },
  glucose: [10, 333], fasting_glucose: [10, 333], hba1c: [30, 200], weight: [200, 3000], height: [1000, 2500], bmi: [30, 1500], heart_rate: [30, 220],
};

export const READ_CODES = [...PANELS, ...Object.keys(SINGLE)];

const code = (o: { code?: { coding?: Array<{ system?: string; code?: string }> } }) =>
  o.code?.coding?.find((c) => c.system === LOINC && c.code)?.code ?? null;
const within = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;

/** The number in the unit of the code's table, scaled, or the reason it cannot be read. */
function scaled(q: Quantity | undefined, units: Record<string, number>): number | string {
  if (q?.value === undefined || typeof q.value !== 'number' || !Number.isFinite(q.value)) return 'no numeric value';
  const unit = q.code ?? q.unit ?? '';
  const factor = units[unit];
  if (factor === undefined) return `unit "${unit}" not one of ${Object.keys(units).join(', ')}`;
  return Math.round(q.value * factor);
}

/**
 * The day a FHIR date or dateTime falls on in China: a time with its offset (or Z) is the instant it names, on
 * Shanghai's clock (a reading at 20:32 UTC is the next morning's); a date, or a time without an offset, as written.
 */
export function chinaDay(value: string | undefined): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? null : shanghaiDate(instant);
  }
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

export type ReadingResult = { reading: Reading } | { skipped: string } | { notRead: true };

/** An Observation as a reading of the chart; `notRead` for codes the chart does not keep. */
export function readingOf(o: Observation): ReadingResult {
  const c = code(o);
  if (!c || !READ_CODES.includes(c)) return { notRead: true };
  const date = chinaDay(o.effectiveDateTime ?? o.effectiveInstant ?? o.effectivePeriod?.start ?? o.issued);
  if (!date) return { skipped: 'no effective date' };
  if (o.status === 'entered-in-error' || o.status === 'cancelled') return { skipped: `status ${o.status}` };
  if (PANELS.includes(c)) {
    const part = (loinc: string) => o.component?.find((k) => code(k) === loinc)?.valueQuantity;
    const [s, d] = [scaled(part('8480-6'), { 'mm[Hg]': 1, mmHg: 1 }), scaled(part('8462-4'), { 'mm[Hg]': 1, mmHg: 1 })];
    if (typeof s === 'string') return { skipped: `systolic: ${s}` };
    if (typeof d === 'string') return { skipped: `diastolic: ${d}` };
    const lim = LIMITS.blood_pressure as { systolic: [number, number]; diastolic: [number, number] };
    if (!within(s, lim.systolic) || !within(d, lim.diastolic) || d >= s) return { skipped: `implausible blood pressure ${s}/${d} mmHg` };
    return { reading: { kind: 'blood_pressure', date, value: s, value2: d } };
  }
  const { kind, units } = SINGLE[c];
  const v = scaled(o.valueQuantity, units);
  if (typeof v === 'string') return { skipped: `${kind}: ${v}` };
  if (!within(v, LIMITS[kind] as [number, number])) return { skipped: `implausible ${kind} ${v}` };
  return { reading: { kind, date, value: v, value2: null } };
}
