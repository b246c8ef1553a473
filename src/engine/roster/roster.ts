// The insurance agency's roster of insured persons (参保人员名单, issue 13), line by line: what the
// person table's constraints will demand (migrations 0001 and 0009), checked first so that each bad
// line is named with its reason instead of one constraint error failing the whole file.
//   name            1–50 characters
//   sex             male | female | 男 | 女, agreeing with the ID number's 17th digit (odd = male)
//   birth_date      YYYY-MM-DD, a calendar date not after today, the date the ID number encodes
//   id_number       GB 11643: 18 characters, a GB/T 2260 province, a birth date from 1900, the check
//                   digit; as text — a spreadsheet number has lost its last digits (Excel keeps 15)
//   phone           empty, or a mainland mobile number 1[3-9]xxxxxxxxx
//   region_code     a town (街道/乡镇) of the region table: 9 digits, as person.region_code is read
//                   by every area scope (a team's catchment is its town)
//   insurance_type  resident | employee
//   insured_since   YYYY-MM-DD, not after today, not before birth
import { birthDateOf, residentIdProblem, sexOf, type ResidentIdProblem } from '../identity/residentId';
import type { IsoDate } from '../calendar';
import { checkLines, type LineCheck, type Table } from './lines';

export const ROSTER_COLUMNS = ['name', 'sex', 'birth_date', 'id_number', 'phone', 'region_code', 'insurance_type', 'insured_since'] as const;

export interface RosterRow {
  line: number;
  name: string;
  sex: 'male' | 'female';
  birth_date: IsoDate;
  id_number: string;
  phone: string | null;
  region_code: string;
  insurance_type: 'resident' | 'employee';
  insured_since: IsoDate;
}

export type RegionLevel = 'province' | 'city' | 'county' | 'town';

export interface RosterRules {
  /** Today in Asia/Shanghai. */
  today: IsoDate;
  /** The level of a code of the region table, undefined when it is not there. */
  regionLevel: (code: string) => RegionLevel | undefined;
}

const SEX = { male: 'male', female: 'female', 男: 'male', 女: 'female' } as const;
const INSURANCE = { resident: 'resident', employee: 'employee' } as const;
const MOBILE = /^1[3-9]\d{9}$/;
const MAX_NAME = 50;
const LEVEL_ZH: Record<RegionLevel, string> = { province: '省级', city: '市级', county: '县级', town: '乡镇级' };

export const ID_PROBLEM_TEXT: Record<ResidentIdProblem, { zh: string; en: string }> = {
  format: { zh: '应为 17 位数字加 1 位数字或 X', en: 'must be 17 digits and a digit or X' },
  province: { zh: '前两位不是省级行政区划代码', en: 'does not start with a province code (GB/T 2260)' },
  birth_date: { zh: '第 7–14 位不是 1900 年以后的真实日期', en: 'digits 7–14 are not a calendar date from 1900 on' },
  future_birth: { zh: '编码的出生日期晚于今天', en: 'encodes a birth date after today' },
  checksum: { zh: '校验码不对（GB 11643）', en: 'has a wrong check digit (GB 11643)' },
};

/**
 * A resident ID number from its cell, upper-cased, or null with the problem recorded. A number cell is
 * refused, and so is the text Excel writes for one into a CSV (3.30402E+17): Excel keeps 15 significant
 * digits, so an 18-digit number typed into a number cell has already lost its last three — the column
 * must be formatted as text.
 */
export function idNumberOf(check: LineCheck, today: IsoDate): string | null {
  const raw = check.code('id_number');
  // a number cell, or its text as Excel saves it to CSV (3.30402E+17)
  if (typeof check.cell('id_number') === 'number' || /^\d(\.\d+)?E\+\d+$/i.test(raw))
    return check.fail('id_number', 'id_number_as_number', '身份证号存成了数字（Excel 只保留 15 位有效数字，后几位已丢失）；请把该列设为文本后重新填写', 'the ID number is stored as a number (Excel keeps only 15 significant digits, so its last digits are lost); format the column as text and enter it again');
  if (raw === '') return check.fail('id_number', 'required', '身份证号（id_number）不能为空', 'id_number is required');
  const id = raw.toUpperCase();
  const problem = residentIdProblem(id, today);
  if (problem) return check.fail('id_number', `id_${problem}`, `身份证号${ID_PROBLEM_TEXT[problem].zh}`, `the ID number ${ID_PROBLEM_TEXT[problem].en}`);
  return id;
}

function rosterLine(check: LineCheck, rules: RosterRules): RosterRow | null {
  const name = check.required('name', '姓名');
  if (name !== null && [...name].length > MAX_NAME) check.fail('name', 'max_length', `姓名超过 ${MAX_NAME} 个字`, `name is longer than ${MAX_NAME} characters`);
  const sex = check.oneOf('sex', '性别', SEX);
  const birth = check.date('birth_date', '出生日期', rules.today);
  const id = idNumberOf(check, rules.today);
  if (id !== null && birth !== null && birthDateOf(id) !== birth)
    check.fail('birth_date', 'agrees_with_id_number', `出生日期 ${birth} 与身份证号中的 ${birthDateOf(id)} 不一致`, `birth_date ${birth} does not agree with the ID number's ${birthDateOf(id)}`);
  if (id !== null && sex !== null && sexOf(id) !== sex)
    check.fail('sex', 'agrees_with_id_number', `性别与身份证号不一致（第 17 位${sexOf(id) === 'male' ? '为奇数：男' : '为偶数：女'}）`, `sex does not agree with the ID number (its 17th digit says ${sexOf(id)})`);
  const phone = check.code('phone');
  if (phone !== '' && !MOBILE.test(phone)) check.fail('phone', 'mobile_number', `手机号「${phone}」应为 11 位大陆手机号（1[3-9] 开头）`, `phone "${phone}" is not a mainland mobile number (11 digits from 1[3-9])`);
  const region = regionOf(check, rules);
  const insurance = check.oneOf('insurance_type', '险种', INSURANCE);
  const since = check.date('insured_since', '参保日期', rules.today);
  const born = birth ?? (id !== null ? birthDateOf(id) : null);
  if (since !== null && born !== null && since < born) check.fail('insured_since', 'not_before_birth', `参保日期 ${since} 早于出生日期 ${born}`, `insured_since ${since} is before the birth date ${born}`);
  if (!check.ok) return null;
  return { line: check.line, name: name!, sex: sex!, birth_date: birth!, id_number: id!, phone: phone || null, region_code: region!, insurance_type: insurance!, insured_since: since! };
}

function regionOf(check: LineCheck, rules: RosterRules): string | null {
  const code = check.code('region_code');
  if (code === '') return check.fail('region_code', 'required', '所属区划（region_code）不能为空', 'region_code is required');
  const level = rules.regionLevel(code);
  if (level === 'town') return code;
  if (level) return check.fail('region_code', 'town_level', `区划代码 ${code} 是${LEVEL_ZH[level]}代码，应填写 9 位乡镇（街道）代码`, `region_code ${code} is a ${level} code; the roster must name the town (9 digits)`);
  return check.fail('region_code', 'known_region', `区划代码 ${code} 不在区划表中`, `region_code ${code} is not in the region table`);
}

/** Every line of a roster checked; the rows are the lines that can be written. */
export function checkRoster(table: Table, rules: RosterRules) {
  return checkLines(table, ROSTER_COLUMNS, (check) => rosterLine(check, rules), {
    keyOf: (check) => check.code('id_number').toUpperCase() || null,
    field: 'id_number',
    zh: '身份证号',
    en: 'the ID number',
  });
}
