// The danger signs as the specification lists them per form (国家基本公共卫生服务规范（第三版）, 随访评估), and the
// web form's copy of the list and its zh-CN labels agreeing with them.
import { describe, expect, it } from 'vitest';
import { URGENT_SIGNS as WEB_SIGNS } from '../../../web/src/components/followup/urgentSigns';
import zhCN from '../../../web/src/i18n/zh-CN';
import { signsForForm, STORED_URGENT_SIGN_CODES, URGENT_SIGN_CODES, URGENT_SIGNS, urgentSignZh } from './urgentSigns';

const listOf = (d: 'hypertension' | 'diabetes') => URGENT_SIGN_CODES.filter((c) => (URGENT_SIGNS[c].diseases as readonly string[]).includes(d)).map((c) => URGENT_SIGNS[c].zh);

describe('the lists', () => {
  it('hypertension: the specification’s signs and a persisting tachycardia', () => {
    expect(listOf('hypertension')).toEqual([
      '意识或行为改变', '剧烈头痛或头晕', '恶心、呕吐', '视力模糊', '眼痛', '心悸', '胸闷', '喘憋不能平卧',
      '持续性心动过速（心率超过100次/分钟）', '妊娠期或哺乳期血压高于正常', '存在不能处理的其他疾病或突发异常情况',
    ]);
  });
  it('diabetes: the specification’s signs', () => {
    expect(listOf('diabetes')).toEqual([
      '意识或行为改变', '恶心、呕吐', '心悸', '持续性心动过速（心率超过100次/分钟）', '呼气有烂苹果样丙酮味', '出汗', '食欲减退',
      '多饮', '多尿', '腹痛', '深大呼吸', '皮肤潮红', '体温超过39℃', '视力突然骤降', '妊娠期或哺乳期血糖高于正常',
      '存在不能处理的其他疾病或突发异常情况',
    ]);
  });
  it('the old checkbox is stored, not chosen', () => {
    expect(STORED_URGENT_SIGN_CODES).toContain('unspecified');
    expect(URGENT_SIGN_CODES).not.toContain('unspecified');
    expect(urgentSignZh('unspecified')).toContain('未注明');
  });
});

describe('signsForForm', () => {
  it('gives a form the signs its list names, and any sign no form of the visit lists', () => {
    expect(signsForForm('hypertension', ['chest_tightness', 'ketone_breath'], ['hypertension', 'diabetes'])).toEqual(['chest_tightness']);
    expect(signsForForm('diabetes', ['chest_tightness', 'ketone_breath'], ['hypertension', 'diabetes'])).toEqual(['ketone_breath']);
    expect(signsForForm('hypertension', ['ketone_breath'], ['hypertension'])).toEqual(['ketone_breath']);
    expect(signsForForm('hypertension', [], ['hypertension'])).toEqual([]);
  });
});

describe('the web form', () => {
  it('lists the same codes for the same forms, labelled in zh-CN as the reasons name them', () => {
    expect(WEB_SIGNS.map((s) => [s.code, [...s.diseases]])).toEqual(URGENT_SIGN_CODES.map((c) => [c, [...URGENT_SIGNS[c].diseases]]));
    const labels = zhCN.followup.urgentSigns as Record<string, string>;
    for (const c of URGENT_SIGN_CODES) expect(labels[c], c).toBe(URGENT_SIGNS[c].zh);
    expect(Object.keys(labels).sort()).toEqual([...STORED_URGENT_SIGN_CODES].sort());
  });
});
