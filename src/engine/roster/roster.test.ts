// Issue 13: every roster and diagnosis line checked before anything is written, each problem with
// its line, field, rule and a reason in both languages.
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../identity/residentId';
import { checkDiagnoses, DIAGNOSIS_COLUMNS } from './diagnoses';
import type { Cell, Checked, FileProblem, LineProblem, Table } from './lines';
import { checkRoster, ROSTER_COLUMNS, type RegionLevel, type RosterRow } from './roster';

const TODAY = '2026-06-15';
const idOf = (birth: string, seq = '001') => {
  const body = `330402${birth.replaceAll('-', '')}${seq}`;
  return body + checkDigit(body);
};
const ZHANG = idOf('1958-04-12', '011'); // odd sequence: male
const LI = idOf('1962-09-30', '024'); // even: female
const LEVELS: Record<string, RegionLevel> = { '33': 'province', '3304': 'city', '330402': 'county', '330402001': 'town' };
const rules = { today: TODAY, regionLevel: (code: string) => LEVELS[code] };

const good = (): Record<string, Cell> => ({ name: '张三', sex: '男', birth_date: '1958-04-12', id_number: ZHANG, phone: '13800000000', region_code: '330402001', insurance_type: 'resident', insured_since: '2012-01-01' });
const table = (columns: readonly string[], ...lines: Array<Record<string, Cell>>): Table => ({
  header: [...columns],
  lines: lines.map((l, i) => ({ line: i + 2, cells: columns.map((c) => l[c] ?? null) })),
  fixedWidth: false,
});
function ok<Row>(r: Checked<Row> | FileProblem): Checked<Row> {
  if ('rule' in r) throw new Error(r.en);
  return r;
}
const problemsOf = (line: Record<string, Cell>) => ok(checkRoster(table(ROSTER_COLUMNS, line), rules)).problems.map((p) => `${p.field}:${p.rule}`);

describe('a roster line', () => {
  it('a good line becomes a row (男/女 or male/female, lower-case x, full-width digits folded)', () => {
    const r = ok(checkRoster(table(ROSTER_COLUMNS, good(), { ...good(), name: ' 李四 ', sex: 'Female', birth_date: '1962-09-30', id_number: LI.toLowerCase(), phone: '', region_code: '３３０４０２００１', insurance_type: 'employee' }), rules));
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ lines: 2, refused: 0 });
    expect(r.rows[0]).toEqual<RosterRow>({ line: 2, name: '张三', sex: 'male', birth_date: '1958-04-12', id_number: ZHANG, phone: '13800000000', region_code: '330402001', insurance_type: 'resident', insured_since: '2012-01-01' });
    expect(r.rows[1]).toMatchObject({ name: '李四', sex: 'female', id_number: LI.toUpperCase(), phone: null, region_code: '330402001', insurance_type: 'employee' });
  });

  it('refuses each broken rule with its field and rule', () => {
    const wrongCheck = ZHANG.slice(0, 17) + (ZHANG[17] === '0' ? '1' : '0');
    expect(problemsOf({ ...good(), id_number: wrongCheck })).toEqual(['id_number:id_checksum']);
    expect(problemsOf({ ...good(), id_number: '3304021958' })).toEqual(['id_number:id_format']);
    expect(problemsOf({ ...good(), id_number: 330402195804120000 })).toEqual(['id_number:id_number_as_number']);
    expect(problemsOf({ ...good(), id_number: '3.30402E+17' })).toEqual(['id_number:id_number_as_number']);
    expect(problemsOf({ ...good(), birth_date: '1958-04-13' })).toEqual(['birth_date:agrees_with_id_number']);
    expect(problemsOf({ ...good(), sex: '女' })).toEqual(['sex:agrees_with_id_number']);
    expect(problemsOf({ ...good(), sex: 'M' })).toEqual(['sex:one_of']);
    expect(problemsOf({ ...good(), birth_date: '1958/04/12' })).toEqual(['birth_date:date_format']);
    expect(problemsOf({ ...good(), birth_date: '1958-02-30' })).toEqual(['birth_date:calendar_date']);
    expect(problemsOf({ ...good(), insured_since: '2026-06-16' })).toEqual(['insured_since:not_future']);
    expect(problemsOf({ ...good(), insured_since: '1950-01-01' })).toEqual(['insured_since:not_before_birth']);
    expect(problemsOf({ ...good(), phone: '1380000000' })).toEqual(['phone:mobile_number']);
    expect(problemsOf({ ...good(), phone: '12800000000' })).toEqual(['phone:mobile_number']);
    expect(problemsOf({ ...good(), region_code: '330402' })).toEqual(['region_code:town_level']);
    expect(problemsOf({ ...good(), region_code: '330402999' })).toEqual(['region_code:known_region']);
    expect(problemsOf({ ...good(), insurance_type: '职工' })).toEqual(['insurance_type:one_of']);
    expect(problemsOf({ ...good(), name: '' })).toEqual(['name:required']);
    expect(problemsOf({ ...good(), name: '张'.repeat(51) })).toEqual(['name:max_length']);
    expect(problemsOf({ ...good(), name: '张\t三' })).toEqual(['name:no_control_characters']);
  });

  it('a born-in-the-future ID number is refused whatever its check digit', () => {
    const future = idOf('2026-06-16', '011');
    expect(problemsOf({ ...good(), id_number: future, birth_date: '2026-06-16', insured_since: '2026-06-16' })).toEqual(['birth_date:not_future', 'id_number:id_future_birth', 'insured_since:not_future']);
  });

  it('lists every problem of a line, each with both reasons', () => {
    const r = ok(checkRoster(table(ROSTER_COLUMNS, { ...good(), phone: 'x', insurance_type: '' }), rules));
    expect(r.refused).toBe(1);
    expect(r.problems).toEqual<LineProblem[]>([
      { line: 2, field: 'phone', rule: 'mobile_number', zh: '手机号「x」应为 11 位大陆手机号（1[3-9] 开头）', en: 'phone "x" is not a mainland mobile number (11 digits from 1[3-9])' },
      { line: 2, field: 'insurance_type', rule: 'required', zh: '险种（insurance_type）不能为空', en: 'insurance_type is required' },
    ]);
  });

  it('reads date cells and integer cells of a worksheet', () => {
    const r = ok(checkRoster(table(ROSTER_COLUMNS, { ...good(), birth_date: { date: '1958-04-12' }, phone: 13800000000, region_code: 330402001 }), rules));
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({ birth_date: '1958-04-12', phone: '13800000000', region_code: '330402001' });
  });
});

describe('a roster file', () => {
  it('refuses every line that shares an ID number, and skips blank lines', () => {
    const r = ok(checkRoster(table(ROSTER_COLUMNS, good(), {}, { ...good(), name: '张叁' }, { ...good(), id_number: LI, sex: '女', birth_date: '1962-09-30' }), rules));
    expect(r).toMatchObject({ lines: 3, refused: 2 });
    expect(r.rows.map((row) => row.line)).toEqual([5]);
    expect(r.problems.map((p) => [p.line, p.rule, p.en])).toEqual([
      [2, 'duplicate_in_file', 'the ID number is also on line 4; none of them is imported'],
      [4, 'duplicate_in_file', 'the ID number is also on line 2; none of them is imported'],
    ]);
  });

  it('names the header’s missing, unknown and repeated columns (any order, case ignored)', () => {
    const shuffled = ok(checkRoster({ header: ['\uFEFFID_Number', ...ROSTER_COLUMNS.filter((c) => c !== 'id_number')], lines: [], fixedWidth: true }, rules));
    expect(shuffled.lines).toBe(0);
    const bad = checkRoster({ header: ['name', 'sex', 'sex', 'birthday', 'id_number', 'phone', 'region_code', 'insurance_type', 'insured_since'], lines: [], fixedWidth: true }, rules);
    expect(bad).toMatchObject({ rule: 'header', en: expect.stringContaining('missing: birth_date; not expected: birthday; repeated: sex') });
    expect(bad).toMatchObject({ columns: { expected: [...ROSTER_COLUMNS], missing: ['birth_date'], unknown: ['birthday'], repeated: ['sex'] } });
  });

  it('a CSV line with more or fewer fields than the header is refused as shifted, a worksheet’s only for cells beyond it', () => {
    const header = [...ROSTER_COLUMNS];
    const cells = ROSTER_COLUMNS.map((c) => good()[c]);
    const csv = ok(checkRoster({ header, lines: [{ line: 2, cells: cells.slice(0, 7) }, { line: 3, cells: [...cells, 'x'] }, { line: 4, cells: ['a"b'], quoteProblem: 'stray_quote' }], fixedWidth: true }, rules));
    expect(csv.problems.map((p) => [p.line, p.rule])).toEqual([[2, 'field_count'], [3, 'field_count'], [4, 'csv_quotes']]);
    const sheet = ok(checkRoster({ header, lines: [{ line: 2, cells: [...cells, null, ''] }, { line: 3, cells: [...cells, null, 'note'] }], fixedWidth: false }, rules));
    expect(sheet.problems.map((p) => [p.line, p.rule])).toEqual([[3, 'field_count']]);
  });
});

describe('a diagnoses file', () => {
  const diseaseRules = { today: TODAY, isDisease: (c: string) => ['hypertension', 'diabetes'].includes(c), isInstitution: (c: string) => c === 'JX-001' };
  const line = (over: Record<string, Cell> = {}) => ({ id_number: ZHANG, disease_code: 'hypertension', diagnosed_on: '2020-03-01', source: 'screening', institution_code: 'JX-001', ...over });
  const check = (...lines: Array<Record<string, Cell>>) => ok(checkDiagnoses(table(DIAGNOSIS_COLUMNS, ...lines), diseaseRules));

  it('reads good lines, an empty institution included', () => {
    const r = check(line(), line({ disease_code: 'Diabetes', source: 'self_report', institution_code: '' }));
    expect(r.problems).toEqual([]);
    expect(r.rows[1]).toEqual({ line: 3, id_number: ZHANG, disease_code: 'diabetes', diagnosed_on: '2020-03-01', source: 'self_report', institution_code: null });
  });

  it('refuses each broken rule', () => {
    const rulesOf = (over: Record<string, Cell>) => check(line(over)).problems.map((p) => `${p.field}:${p.rule}`);
    expect(rulesOf({ disease_code: 'gout' })).toEqual(['disease_code:known_disease']);
    expect(rulesOf({ diagnosed_on: '1950-01-01' })).toEqual(['diagnosed_on:not_before_birth']);
    expect(rulesOf({ diagnosed_on: '2026-07-01' })).toEqual(['diagnosed_on:not_future']);
    expect(rulesOf({ source: 'clinic' })).toEqual(['source:one_of']);
    expect(rulesOf({ institution_code: 'JX-999' })).toEqual(['institution_code:known_institution']);
    expect(rulesOf({ id_number: 330402195804120000 })).toEqual(['id_number:id_number_as_number']);
  });

  it('refuses both lines of one person and disease', () => {
    const r = check(line(), line({ diagnosed_on: '2021-01-01' }), line({ disease_code: 'diabetes' }));
    expect(r.rows.map((row) => row.line)).toEqual([4]);
    expect(r.problems.map((p) => [p.line, p.rule])).toEqual([[2, 'duplicate_in_file'], [3, 'duplicate_in_file']]);
  });
});
