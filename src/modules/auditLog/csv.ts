// The audit log as a spreadsheet reads it: Chinese headers and labels by default (English on request),
// times in Beijing time, the person's ID number masked, every cell quoted and formulas neutralised.
import { maskResidentIdsIn } from '../../engine/identity/residentId';
import { ACCESS } from '../../core/access';
import { beijingTime, csvCell } from '../../core/csv';

import type { Language } from '../../core/language';

/** The CSV's language (src/core/language.ts picks it from the request). */
export type CsvLanguage = Language;

/** What one CSV line shows of an audit row. */
export interface CsvItem {
  at: string;
  username: string | null;
  role: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  person: { name: string; idNumber: string } | null;
  detail: Record<string, unknown> | null;
}

const HEAD: Record<CsvLanguage, string[]> = {
  zh: ['时间（北京时间）', '用户名', '角色', '操作', '对象', '对象编号', '参保人', '身份证号（脱敏）', 'IP 地址', '详情'],
  en: ['Time (Beijing, UTC+8)', 'Username', 'Role', 'Action', 'Entity', 'Entity id', 'Person', 'ID number (masked)', 'IP address', 'Detail'],
};

export const ACTION_LABELS: Record<string, Record<CsvLanguage, string>> = {
  read: { zh: '读取', en: 'read' },
  search: { zh: '查询', en: 'search' },
  create: { zh: '新增', en: 'create' },
  update: { zh: '修改', en: 'update' },
  delete: { zh: '删除', en: 'delete' },
  export: { zh: '导出', en: 'export' },
  refused: { zh: '拒绝', en: 'refused' },
};

const ROLE_LABELS: Record<string, Record<CsvLanguage, string>> = {
  family_doctor: { zh: '家庭医生', en: 'family doctor' },
  pharmacist: { zh: '药师', en: 'pharmacist' },
  insurance_reviewer: { zh: '医保经办审核', en: 'insurance reviewer' },
  analyst: { zh: '分析员', en: 'analyst' },
  institution_admin: { zh: '机构管理员', en: 'institution administrator' },
  system_admin: { zh: '系统管理员', en: 'system administrator' },
  patient: { zh: '参保人', en: 'patient' },
};

/** The entities the modules write today; a refusal's entity is the permission refused (its label from the access table). */
const ENTITY_LABELS: Record<string, Record<CsvLanguage, string>> = {
  person: { zh: '参保人', en: 'person' },
  'person.id_number': { zh: '完整身份证号', en: 'full ID number' },
  person_condition: { zh: '诊断（健康档案）', en: 'diagnosis (health record)' },
  eligibility: { zh: '待遇资格', en: 'eligibility' },
  contract: { zh: '签约', en: 'contract' },
  consent_form: { zh: '签约知情同意书', en: 'consent form' },
  team: { zh: '团队', en: 'team' },
  registration_filing: { zh: '认定登记', en: 'registration filing' },
  claim: { zh: '结算单', en: 'claim' },
  settlement_quote: { zh: '试算', en: 'settlement quote' },
  followup_chart: { zh: '健康档案', en: 'health record' },
  followup_visit: { zh: '随访记录', en: 'follow-up visit' },
  followup_reminder: { zh: '随访提醒', en: 'follow-up reminder' },
  followup_worklist: { zh: '随访工作清单', en: 'follow-up worklist' },
  health_check: { zh: '年度体检', en: 'annual health check' },
  audit_log: { zh: '审计日志', en: 'audit log' },
  app_user: { zh: '用户', en: 'user' },
  'app_user.password': { zh: '用户密码', en: 'user password' },
  institution: { zh: '医疗机构', en: 'institution' },
  medical_community: { zh: '医共体', en: 'medical community' },
  practitioner: { zh: '医务人员', en: 'practitioner' },
};

const permissionLabel = (entity: string, language: CsvLanguage) =>
  Object.hasOwn(ACCESS, entity) ? ACCESS[entity as keyof typeof ACCESS][language] : undefined;

const label = (labels: Record<string, Record<CsvLanguage, string>>, code: string | null, language: CsvLanguage) =>
  code === null ? '' : (Object.hasOwn(labels, code) ? labels[code][language] : code);

const entityLabel = (entity: string, language: CsvLanguage) =>
  Object.hasOwn(ENTITY_LABELS, entity) ? ENTITY_LABELS[entity][language] : (permissionLabel(entity, language) ?? entity);

// one argument only: a cell passed to .map() must not take the index for `numeric`
const cell = (v: unknown) => csvCell(v);

export const csvHead = (language: CsvLanguage) => HEAD[language].map(cell).join(',');

export function csvLine(item: CsvItem, language: CsvLanguage): string {
  return [
    beijingTime(item.at),
    item.username,
    label(ROLE_LABELS, item.role, language),
    label(ACTION_LABELS, item.action, language),
    entityLabel(item.entity, language),
    item.entityId,
    item.person?.name,
    item.person?.idNumber,
    item.ip,
    // compact JSON; any ID-number-shaped text in it masked
    item.detail ? maskResidentIdsIn(JSON.stringify(item.detail)) : '',
  ].map(cell).join(',');
}
