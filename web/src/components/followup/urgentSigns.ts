// 危急情况: the danger signs that call for urgent referral, one choice each, as the national specification
// lists them for each form (国家基本公共卫生服务规范（第三版）, 随访评估). The codes are the server's
// (src/engine/followup/urgentSigns.ts), which also judges them; this list only says which form shows which.
// Labels are in i18n under followup.urgentSigns.
import type { TFunction } from 'i18next';
import type { FollowupDisease, Visit } from './types.ts';

const BOTH: readonly FollowupDisease[] = ['hypertension', 'diabetes'];
const HTN: readonly FollowupDisease[] = ['hypertension'];
const DM: readonly FollowupDisease[] = ['diabetes'];

export const URGENT_SIGNS = [
  { code: 'altered_consciousness', diseases: BOTH },
  { code: 'severe_headache_or_dizziness', diseases: HTN },
  { code: 'nausea_vomiting', diseases: BOTH },
  { code: 'blurred_vision', diseases: HTN },
  { code: 'eye_pain', diseases: HTN },
  { code: 'palpitations', diseases: BOTH },
  { code: 'chest_tightness', diseases: HTN },
  { code: 'orthopnoea', diseases: HTN },
  { code: 'persistent_tachycardia', diseases: BOTH },
  { code: 'pregnancy_raised_bp', diseases: HTN },
  { code: 'ketone_breath', diseases: DM },
  { code: 'sweating', diseases: DM },
  { code: 'poor_appetite', diseases: DM },
  { code: 'polydipsia', diseases: DM },
  { code: 'polyuria', diseases: DM },
  { code: 'abdominal_pain', diseases: DM },
  { code: 'deep_rapid_breathing', diseases: DM },
  { code: 'flushed_skin', diseases: DM },
  { code: 'fever_over_39', diseases: DM },
  { code: 'sudden_vision_loss', diseases: DM },
  { code: 'pregnancy_raised_glucose', diseases: DM },
  { code: 'other_unmanageable', diseases: BOTH },
] as const;

export type UrgentSign = (typeof URGENT_SIGNS)[number]['code'];

/** The signs the forms of these diseases list, in the specification's order. */
export function signsFor(diseases: readonly FollowupDisease[]): UrgentSign[] {
  return URGENT_SIGNS.filter((s) => s.diseases.some((d) => diseases.includes(d))).map((s) => s.code);
}

/** A stored sign in the user's language ('unspecified' comes from visits recorded with the old single checkbox). */
export const urgentSignLabel = (t: TFunction, code: string) => t(`followup.urgentSigns.${code}`, { defaultValue: code });

/** One of the rules' reasons in the user's language; the urgent-signs reason names the visit's signs. */
export function reasonText(t: TFunction, visit: Pick<Visit, 'urgentSigns'>, reason: { code: string; text: string }): string {
  const signs = visit.urgentSigns.map((s) => urgentSignLabel(t, s)).join(t('followup.listSeparator'));
  return t(`followup.reasonCodes.${reason.code}`, { defaultValue: reason.text, text: reason.text, signs });
}
