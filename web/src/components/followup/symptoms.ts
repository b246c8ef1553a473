// 症状 as listed on the national hypertension and type-2 diabetes follow-up forms. A visit stores the
// Chinese term (the record's language); other languages show it through its code.
import type { FollowupDisease } from './types.ts';

export const SYMPTOMS: ReadonlyArray<{ code: string; zh: string; diseases: readonly FollowupDisease[] }> = [
  { code: 'headache_dizziness', zh: '头痛头晕', diseases: ['hypertension'] },
  { code: 'nausea_vomiting', zh: '恶心呕吐', diseases: ['hypertension'] },
  { code: 'blurred_vision_tinnitus', zh: '眼花耳鸣', diseases: ['hypertension'] },
  { code: 'dyspnoea', zh: '呼吸困难', diseases: ['hypertension'] },
  { code: 'palpitation_chest_tightness', zh: '心悸胸闷', diseases: ['hypertension'] },
  { code: 'epistaxis', zh: '鼻衄出血不止', diseases: ['hypertension'] },
  { code: 'limb_numbness', zh: '四肢发麻', diseases: ['hypertension'] },
  { code: 'lower_limb_oedema', zh: '下肢水肿', diseases: ['hypertension', 'diabetes'] },
  { code: 'polydipsia', zh: '多饮', diseases: ['diabetes'] },
  { code: 'polyphagia', zh: '多食', diseases: ['diabetes'] },
  { code: 'polyuria', zh: '多尿', diseases: ['diabetes'] },
  { code: 'blurred_vision', zh: '视力模糊', diseases: ['diabetes'] },
  { code: 'infection', zh: '感染', diseases: ['diabetes'] },
  { code: 'hand_foot_numbness', zh: '手脚麻木', diseases: ['diabetes'] },
  { code: 'weight_loss', zh: '体重明显下降', diseases: ['diabetes'] },
];

const BY_ZH = new Map(SYMPTOMS.map((s) => [s.zh, s.code]));

/** A stored symptom in the user's language: the known terms through i18n, anything else as typed. */
export function symptomLabel(t: (key: string, options?: { defaultValue: string }) => string, stored: string): string {
  const code = BY_ZH.get(stored);
  return code ? t(`followup.symptoms.${code}`, { defaultValue: stored }) : stored;
}
