// Health-record diagnoses (诊断, issue 13): the people the contracting rate counts are those with a
// diagnosed two disease in person_condition. Line by line, before anything is written:
//   id_number         a valid resident ID number, as text (see idNumberOf); the person must exist (checked by the caller)
//   disease_code      a code of the disease catalogue (hypertension, diabetes, …)
//   diagnosed_on      YYYY-MM-DD, not after today, not before the birth date the ID number encodes
//   source            screening | follow_up | hospital | self_report
//   institution_code  empty (a self-report, an unknown place) or an institution's code
// A person and disease on two lines is refused on both (one condition per person and disease).
import { birthDateOf } from '../identity/residentId';
import type { IsoDate } from '../calendar';
import { checkLines, type LineCheck, type LineProblem, type Table } from './lines';
import { idNumberOf } from './roster';

export const DIAGNOSIS_COLUMNS = ['id_number', 'disease_code', 'diagnosed_on', 'source', 'institution_code'] as const;

export type ConditionSource = 'screening' | 'follow_up' | 'hospital' | 'self_report';

export interface DiagnosisRow {
  line: number;
  id_number: string;
  disease_code: string;
  diagnosed_on: IsoDate;
  source: ConditionSource;
  institution_code: string | null;
}

export interface DiagnosisRules {
  today: IsoDate;
  isDisease: (code: string) => boolean;
  isInstitution: (code: string) => boolean;
}

const SOURCES = { screening: 'screening', follow_up: 'follow_up', hospital: 'hospital', self_report: 'self_report' } as const;

function diagnosisLine(check: LineCheck, rules: DiagnosisRules): DiagnosisRow | null {
  const id = idNumberOf(check, rules.today);
  const disease = check.code('disease_code').toLowerCase();
  if (disease === '') check.fail('disease_code', 'required', '病种代码（disease_code）不能为空', 'disease_code is required');
  else if (!rules.isDisease(disease)) check.fail('disease_code', 'known_disease', `病种代码「${disease}」不在病种目录中`, `disease_code "${disease}" is not in the disease catalogue`);
  const on = check.date('diagnosed_on', '诊断日期', rules.today);
  if (on !== null && id !== null && on < birthDateOf(id))
    check.fail('diagnosed_on', 'not_before_birth', `诊断日期 ${on} 早于出生日期 ${birthDateOf(id)}`, `diagnosed_on ${on} is before the birth date ${birthDateOf(id)}`);
  const source = check.oneOf('source', '诊断来源', SOURCES);
  const institution = check.code('institution_code');
  if (institution !== '' && !rules.isInstitution(institution))
    check.fail('institution_code', 'known_institution', `机构编码「${institution}」不在机构目录中`, `institution_code "${institution}" is not a known institution`);
  if (!check.ok) return null;
  return { line: check.line, id_number: id!, disease_code: disease, diagnosed_on: on!, source: source!, institution_code: institution || null };
}

export function checkDiagnoses(table: Table, rules: DiagnosisRules) {
  return checkLines(table, DIAGNOSIS_COLUMNS, (check) => diagnosisLine(check, rules), {
    keyOf: (check) => {
      const id = check.code('id_number').toUpperCase();
      const disease = check.code('disease_code').toLowerCase();
      return id && disease ? `${id} ${disease}` : null;
    },
    field: 'disease_code',
    zh: '同一人同一病种',
    en: 'the same person and disease',
  });
}

/** What the caller finds when it looks the rows up: the person missing, or a row outside the importer's institution. */
export const lookupProblems = {
  personNotFound: (line: number): LineProblem => ({
    line, field: 'id_number', rule: 'person_exists',
    zh: '没有该身份证号的参保人：请先导入参保人员名单', en: 'no insured person has this ID number: import the roster first',
  }),
  otherInstitution: (line: number, own: string): LineProblem => ({
    line, field: 'institution_code', rule: 'own_institution',
    zh: `机构管理员只能导入本机构（${own}）的诊断`, en: `an institution administrator imports only their own institution's (${own}) diagnoses`,
  }),
};
