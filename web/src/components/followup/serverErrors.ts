// The follow-up API names readings in their stored units (body.readings.weightTenthsKg); the forms
// show kg and cm under plain names. This renames those fields and words the reading rules in the
// user's language before formErrors.ts puts each error on its field.
import { ApiError } from '../../api.ts';
import i18n from '../../i18n/index.ts';

const RENAME: Record<string, string> = {
  weightTenthsKg: 'weight',
  heightTenthsCm: 'height',
  waistTenthsCm: 'waist',
  totalCholesterolTenths: 'totalCholesterol',
  ldlTenths: 'ldl',
};

/** "… 应在 60 mmHg 至 260 mmHg 之间" → { min: '60 mmHg', max: '260 mmHg' } */
const RANGE = /应在\s*(.+?)\s*至\s*(.+?)\s*之间/;

function localMessage(rule: string, message: string): string {
  const key = `followup.serverRules.${rule}`;
  if (rule === 'min' || rule === 'max') {
    const m = RANGE.exec(message);
    return m ? i18n.t('followup.serverRules.range', { min: m[1], max: m[2] }) : message;
  }
  return i18n.exists(key) ? i18n.t(key) : message;
}

export function followupProblem(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return error;
  const errors = error.problem.errors.map((e) => {
    const parts = e.field.split('.');
    const renamed = parts.map((p) => RENAME[p] ?? p).join('.');
    const onReading = parts.includes('readings') || parts.includes('labs') || parts.includes('override');
    if (!onReading) return { ...e, field: renamed };
    // a reading's range names its bounds: keep that over the generic serverRules.min / .max wording
    const ranged = (e.rule === 'min' || e.rule === 'max') && RANGE.test(e.message);
    return { ...e, field: renamed, rule: ranged ? `reading_${e.rule}_range` : e.rule, message: localMessage(e.rule, e.message) };
  });
  return new ApiError({ ...error.problem, errors });
}
