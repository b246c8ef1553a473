// Readings as recorded on the national follow-up forms, with plausibility limits.
//
// Representation: every reading that has a decimal point is an integer number of TENTHS of its unit —
// fasting glucose 70 = 7.0 mmol/L, HbA1c 65 = 6.5 %, weight 652 = 65.2 kg, height 1705 = 170.5 cm,
// BMI 242 = 24.2. The control thresholds (7.0, 16.7, 3.9 mmol/L) then become integer comparisons
// (< 70, ≥ 167, ≤ 39), so no 6.999999 from a unit conversion or a sum can land on the wrong side.
// BP (mmHg) and heart rate (/min) are whole numbers on the forms and stay plain integers.
// `parseTenths` turns the text a user typed into tenths without going through a float.

export interface Readings {
  systolic?: number | null; // mmHg
  diastolic?: number | null; // mmHg
  heartRate?: number | null; // beats/min
  weightTenthsKg?: number | null; // 0.1 kg
  heightTenthsCm?: number | null; // 0.1 cm (= mm)
  fastingGlucoseTenths?: number | null; // 0.1 mmol/L
  hba1cTenths?: number | null; // 0.1 %
}

export type ReadingField = keyof Readings;
export type ReadingRule = 'integer' | 'min' | 'max' | 'diastolic_below_systolic' | 'paired' | 'required';

export interface ReadingError {
  field: ReadingField;
  rule: ReadingRule;
  message: string; // zh-CN, names the field, the value and the allowed range
}

interface Limit {
  label: string;
  unit: string;
  min: number; // inclusive, in the field's stored unit
  max: number; // inclusive
  tenths: boolean;
}

/** Plausibility limits (inclusive). Outside them a reading is a typo or a device error, not a patient. */
export const LIMITS: Record<ReadingField, Limit> = {
  systolic: { label: '收缩压', unit: 'mmHg', min: 60, max: 260, tenths: false },
  diastolic: { label: '舒张压', unit: 'mmHg', min: 30, max: 160, tenths: false },
  heartRate: { label: '心率', unit: '次/分', min: 30, max: 220, tenths: false },
  weightTenthsKg: { label: '体重', unit: 'kg', min: 200, max: 3000, tenths: true },
  heightTenthsCm: { label: '身高', unit: 'cm', min: 1000, max: 2500, tenths: true },
  // 33.3 mmol/L is where common glucometers read "HI"; 0 (meter error / not measured typed as 0) is refused.
  fastingGlucoseTenths: { label: '空腹血糖', unit: 'mmol/L', min: 10, max: 333, tenths: true },
  hba1cTenths: { label: '糖化血红蛋白', unit: '%', min: 30, max: 200, tenths: true },
};

/** 70 → "7.0" */
export function formatTenths(tenths: number): string {
  const sign = tenths < 0 ? '-' : '';
  const a = Math.abs(tenths);
  return `${sign}${Math.floor(a / 10)}.${a % 10}`;
}

const DECIMAL = /^(\d{1,4})(?:\.(\d))?$/;

/** "7" → 70, "6.9" → 69. Exact (digit by digit); more than one decimal is refused rather than rounded. */
export function parseTenths(text: string): number {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not a non-negative number with at most 1 decimal`);
  return Number(m[1]) * 10 + Number(m[2] ?? '0');
}

function show(field: ReadingField, v: number): string {
  const l = LIMITS[field];
  return `${l.tenths ? formatTenths(v) : String(v)} ${l.unit}`;
}

const present = (v: number | null | undefined): v is number => v !== null && v !== undefined;

/** All problems with the readings; empty means plausible. Absent (null/undefined) readings are not checked. */
export function validateReadings(r: Readings): ReadingError[] {
  const errors: ReadingError[] = [];
  for (const field of Object.keys(LIMITS) as ReadingField[]) {
    const v = r[field];
    if (!present(v)) continue;
    const l = LIMITS[field];
    if (!Number.isInteger(v)) {
      const what = l.tenths ? `以 0.1 ${l.unit} 为单位的整数` : '整数';
      errors.push({ field, rule: 'integer', message: `${l.label}必须是${what}，收到 ${v}` });
      continue;
    }
    if (v < l.min || v > l.max) {
      errors.push({
        field,
        rule: v < l.min ? 'min' : 'max',
        message: `${l.label} ${show(field, v)} 不合理，应在 ${show(field, l.min)} 至 ${show(field, l.max)} 之间`,
      });
    }
  }
  const { systolic: s, diastolic: d } = r;
  if (present(s) !== present(d)) {
    const missing: ReadingField = present(s) ? 'diastolic' : 'systolic';
    errors.push({ field: missing, rule: 'paired', message: '血压须同时填写收缩压和舒张压' });
  } else if (present(s) && present(d) && Number.isInteger(s) && Number.isInteger(d) && d >= s) {
    errors.push({
      field: 'diastolic',
      rule: 'diastolic_below_systolic',
      message: `舒张压 ${d} mmHg 必须低于收缩压 ${s} mmHg`,
    });
  }
  return errors;
}

/**
 * BMI in tenths (kg/m², one decimal, rounded half up), from weight in 0.1 kg and height in 0.1 cm.
 * BMI = (w/10) / (h/1000)² = w·100000 / h², so ×10 for tenths: w·1000000 / h². Integers throughout.
 */
export function bmiTenths(weightTenthsKg: number, heightTenthsCm: number): number {
  if (!Number.isInteger(weightTenthsKg) || !Number.isInteger(heightTenthsCm) || weightTenthsKg <= 0 || heightTenthsCm <= 0) {
    throw new RangeError(`BMI needs positive integer tenths, got weight ${weightTenthsKg}, height ${heightTenthsCm}`);
  }
  const num = weightTenthsKg * 1_000_000;
  const den = heightTenthsCm * heightTenthsCm;
  return Math.floor((2 * num + den) / (2 * den));
}
