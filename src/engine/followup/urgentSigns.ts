// The danger signs (危急情况) that call for urgent referral, each one a choice on the visit form, in the
// national specification's words (国家基本公共卫生服务规范（第三版）, 高血压患者健康管理服务规范 and 2型糖尿病患者健康
// 管理服务规范, 服务内容 1 随访评估: "……等危急情况之一，或存在不能处理的其他疾病时，须在处理后紧急转诊").
// The readings the spec lists beside them (SBP ≥ 180 and/or DBP ≥ 110 mmHg; glucose ≥ 16.7 or ≤ 3.9 mmol/L)
// are judged from the readings in classify.ts, not chosen here. A persisting heart rate above 100/min is a
// choice too: one reading cannot show that it persists.
// The codes are stable: stored on the visit (followup_visit.urgent_signs, whose CHECK repeats this list)
// and sent by the API; the web app translates them.
import type { Disease } from './disease';

interface SignDef {
  zh: string;
  /** The forms whose list names it. */
  diseases: readonly Disease[];
}

const BOTH = ['hypertension', 'diabetes'] as const;
const HTN = ['hypertension'] as const;
const DM = ['diabetes'] as const;

export const URGENT_SIGNS = {
  // hypertension: 意识改变、剧烈头痛或头晕、恶心呕吐、视力模糊、眼痛、心悸、胸闷、喘憋不能平卧、妊娠期或哺乳期同时血压高于正常
  // diabetes: 意识或行为改变、呼气有烂苹果样丙酮味、心悸、出汗、食欲减退、恶心、呕吐、多饮、多尿、腹痛、有深大呼吸、皮肤潮红；
  //   持续性心动过速（心率超过100次/分钟）；体温超过39摄氏度或有其他的突发异常情况，如视力突然骤降、妊娠期及哺乳期血糖高于正常值
  altered_consciousness: { zh: '意识或行为改变', diseases: BOTH },
  severe_headache_or_dizziness: { zh: '剧烈头痛或头晕', diseases: HTN },
  nausea_vomiting: { zh: '恶心、呕吐', diseases: BOTH },
  blurred_vision: { zh: '视力模糊', diseases: HTN },
  eye_pain: { zh: '眼痛', diseases: HTN },
  palpitations: { zh: '心悸', diseases: BOTH },
  chest_tightness: { zh: '胸闷', diseases: HTN },
  orthopnoea: { zh: '喘憋不能平卧', diseases: HTN },
  persistent_tachycardia: { zh: '持续性心动过速（心率超过100次/分钟）', diseases: BOTH },
  pregnancy_raised_bp: { zh: '妊娠期或哺乳期血压高于正常', diseases: HTN },
  ketone_breath: { zh: '呼气有烂苹果样丙酮味', diseases: DM },
  sweating: { zh: '出汗', diseases: DM },
  poor_appetite: { zh: '食欲减退', diseases: DM },
  polydipsia: { zh: '多饮', diseases: DM },
  polyuria: { zh: '多尿', diseases: DM },
  abdominal_pain: { zh: '腹痛', diseases: DM },
  deep_rapid_breathing: { zh: '深大呼吸', diseases: DM },
  flushed_skin: { zh: '皮肤潮红', diseases: DM },
  fever_over_39: { zh: '体温超过39℃', diseases: DM },
  sudden_vision_loss: { zh: '视力突然骤降', diseases: DM },
  pregnancy_raised_glucose: { zh: '妊娠期或哺乳期血糖高于正常', diseases: DM },
  other_unmanageable: { zh: '存在不能处理的其他疾病或突发异常情况', diseases: BOTH },
} as const satisfies Record<string, SignDef>;

export type UrgentSign = keyof typeof URGENT_SIGNS;
export const URGENT_SIGN_CODES = Object.keys(URGENT_SIGNS) as UrgentSign[];

/**
 * Visits recorded before the signs were listed had one "danger signs" checkbox; migration 0008 keeps a
 * ticked one as this code (which sign it was is not known). Stored and shown, never chosen.
 */
export const LEGACY_URGENT_SIGN = 'unspecified';
export const STORED_URGENT_SIGN_CODES = [...URGENT_SIGN_CODES, LEGACY_URGENT_SIGN] as const;
export type StoredUrgentSign = (typeof STORED_URGENT_SIGN_CODES)[number];

export function urgentSignZh(code: string): string {
  return code in URGENT_SIGNS ? URGENT_SIGNS[code as UrgentSign].zh : '危急情况（未注明）';
}

/**
 * The chosen signs that raise this disease's form to urgent referral: those its list names, and any sign
 * that no form of the visit lists (a sign the doctor chose is never ignored).
 */
export function signsForForm(disease: Disease, signs: readonly string[], visitDiseases: readonly Disease[]): string[] {
  const listed = (code: string, d: Disease) => code in URGENT_SIGNS && (URGENT_SIGNS[code as UrgentSign].diseases as readonly Disease[]).includes(d);
  return signs.filter((s) => listed(s, disease) || !visitDiseases.some((d) => listed(s, d)));
}
