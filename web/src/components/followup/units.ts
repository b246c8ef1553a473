// Readings as the forms show them (7.0 mmol/L, 65.2 kg) and as the API stores them (integer tenths).
// The conversion goes through the digits, never a float product, so 6.9 is 69 and not 68.99999.

/** 6.9 → 69; null/undefined → undefined. Values come from InputNumber with precision 1. */
export function toTenths(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined || Number.isNaN(value)) return undefined;
  const [whole, frac = '0'] = value.toFixed(1).split('.');
  const sign = whole.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 10 + Number(frac));
}

/** 69 → 6.9 (a number, for form fields and chart values). */
export const fromTenths = (tenths: number | null | undefined): number | undefined =>
  tenths === null || tenths === undefined ? undefined : tenths / 10;

/** 69 → "6.9"; null → "—". */
export function tenthsText(tenths: number | null | undefined, none = '—'): string {
  if (tenths === null || tenths === undefined) return none;
  const sign = tenths < 0 ? '-' : '';
  const a = Math.abs(tenths);
  return `${sign}${Math.floor(a / 10)}.${a % 10}`;
}

/** BMI from kg and cm as shown on the form, one decimal (same rounding as the server's bmiTenths). */
export function bmiFrom(weightKg: number | null | undefined, heightCm: number | null | undefined): string | null {
  const w = toTenths(weightKg);
  const h = toTenths(heightCm);
  if (!w || !h || w <= 0 || h <= 0) return null;
  const num = w * 1_000_000;
  const den = h * h;
  return tenthsText(Math.floor((2 * num + den) / (2 * den)));
}

/** BMI bands of the Chinese adult guideline: < 18.5 low, 24 overweight, 28 obese. */
export function bmiBand(bmi: string | null): 'low' | 'normal' | 'overweight' | 'obese' | null {
  if (bmi === null) return null;
  const v = Number(bmi);
  if (v < 18.5) return 'low';
  if (v < 24) return 'normal';
  if (v < 28) return 'overweight';
  return 'obese';
}

export const bpText = (s: number | null | undefined, d: number | null | undefined): string =>
  s === null || s === undefined || d === null || d === undefined ? '—' : `${s}/${d}`;
