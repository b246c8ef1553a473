// The quarterly workbook (季报表) that Jiaxing asks of every county each quarter ("嘉兴市县(市、区)住户医保/职工医保
// “两病”门诊用药保障和健康管理示范城市活动季报表"), built from the indicators (docs/reports.md). Pure: two
// IndicatorReports (one per insurance type) in, one model out; the model is the JSON answer and what the
// workbook (quarterlyXlsx.ts) and the CSV (quarterlyCsv below) are written from. Money stays integer fen
// and rates stay numerator / denominator here: rounding is for display only.
import { formatYuan } from '../../engine/money';
import type { IndicatorReport } from '../indicators/service';

type IndicatorScope = IndicatorReport['scopes'][number];
type Indicators = IndicatorScope['indicators'];
export interface Ratio { numerator: number; denominator: number }
export type InsuranceType = 'resident' | 'employee';

/** count: people or visits (integer); money: integer fen; rate: numerator / denominator (shown as % with 1 decimal). */
export type ColumnKind = 'count' | 'money' | 'rate';
export type Cell = number | Ratio | null;

export interface QuarterlyColumn {
  key: string;
  /** The upper header cell spanning the columns of a group (高血压, 签约, …); null: one cell over both header rows. */
  group: string | null;
  header: string;
  kind: ColumnKind;
}

export interface QuarterlyRow {
  /** unit: a county (city report) or an institution (county report); other: what no row holds (patients without a contracted team); total: the region. */
  kind: 'unit' | 'other' | 'total';
  level: 'city' | 'county' | 'institution' | null;
  code: string | null;
  name: string;
  /** By column key: counts and fen as integers, rates as {numerator, denominator}; null: not counted at this level. */
  values: Record<string, Cell>;
}

export interface QuarterlyTable {
  key: TableKey;
  number: number;
  name: string;
  sheetName: string;
  columns: QuarterlyColumn[];
  rows: QuarterlyRow[];
  note: string;
}

export interface QuarterlyPart {
  insuranceType: InsuranceType;
  insuranceName: string;
  /** "嘉兴市南湖区 2026年第3季度 城乡居民医保“两病”门诊用药保障和健康管理示范城市活动季报表" */
  title: string;
  tables: QuarterlyTable[];
}

export interface QuarterlyWorkbook {
  region: { level: 'city' | 'county'; code: string; name: string };
  /** complete: the quarter was over on the day the workbook was made (else its numbers are of that day). */
  period: { year: number; quarter: number; start: string; end: string; label: string; complete: boolean };
  /** The indicators' definitions' version. */
  version: string;
  /** The day the workbook was made (YYYY-MM-DD, Asia/Shanghai). */
  generatedOn: string;
  reports: QuarterlyPart[];
}

export interface QuarterlyInput {
  resident: IndicatorReport;
  employee: IndicatorReport;
  /** The region as the title names it ("嘉兴市南湖区"); default the region scope's own name. */
  regionName?: string;
  generatedOn: string;
}

export const INSURANCE_NAMES: Record<InsuranceType, { name: string; short: string }> = {
  resident: { name: '城乡居民医保', short: '居民' },
  employee: { name: '职工医保', short: '职工' },
};

export const REPORT_TITLE = '“两病”门诊用药保障和健康管理示范城市活动季报表';

type TableKey = 'patients' | 'management' | 'control' | 'visits' | 'fund' | 'stock';

interface ColumnDef extends QuarterlyColumn {
  value: (i: Indicators) => Cell;
}

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator });
const count = (key: string, group: string | null, header: string, value: (i: Indicators) => number): ColumnDef => ({ key, group, header, kind: 'count', value });
const money = (key: string, group: string | null, header: string, value: (i: Indicators) => number): ColumnDef => ({ key, group, header, kind: 'money', value });
const rate = (key: string, group: string | null, header: string, value: (i: Indicators) => Ratio | null): ColumnDef => ({ key, group, header, kind: 'rate', value });

const DISEASES = [
  { key: 'ht', d: 'hypertension', name: '高血压', control: '血压控制' },
  { key: 'dm', d: 'diabetes', name: '糖尿病', control: '血糖控制' },
] as const;

interface TableDef { key: TableKey; name: string; short: string; columns: ColumnDef[]; note: string; rowsOfCounty: boolean }

/** The workbook's tables, in order. Every rate's numerator and denominator are columns of its table. */
export const TABLES: TableDef[] = [
  {
    key: 'patients', name: '确诊、签约与认定登记', short: '确诊签约登记', rowsOfCounty: true,
    columns: [
      count('diagnosed_ht', '确诊患者数', '高血压', (i) => i.diagnosed.hypertension),
      count('diagnosed_dm', '确诊患者数', '糖尿病', (i) => i.diagnosed.diabetes),
      count('diagnosed', '确诊患者数', '两病合计（人）', (i) => i.diagnosed.either),
      count('contracted', '家庭医生签约', '签约患者数', (i) => i.contracting.numerator),
      rate('contracting_rate', '家庭医生签约', '签约率', (i) => i.contracting),
      count('registered', '认定登记', '在册患者数', (i) => i.registered.numerator),
      rate('registered_rate', '认定登记', '认定登记率', (i) => i.registered),
      count('filed', '认定登记', '本期申报', (i) => i.activity.filed),
      count('confirmed', '认定登记', '本期认定', (i) => i.activity.confirmed),
      count('returned', '认定登记', '本期退回', (i) => i.activity.returned),
    ],
    note: '注：确诊患者数为期末在世、确诊高血压或糖尿病的参保人（两病合计按人去重）；签约率、认定登记率的分母为两病合计；本期申报、认定、退回为统计期内认定登记的办理件数。',
  },
  {
    key: 'management', name: '规范管理', short: '规范管理', rowsOfCounty: true,
    columns: DISEASES.flatMap(({ key, d, name }) => [
      count(`sm_due_${key}`, name, '应规范管理人数', (i) => i.standardised_management[d].denominator),
      count(`sm_met_${key}`, name, '规范管理人数', (i) => i.standardised_management[d].numerator),
      rate(`sm_rate_${key}`, name, '规范管理率', (i) => i.standardised_management[d]),
    ]),
    note: '注：应规范管理人数为已认定登记且统计期内应随访的患者；规范管理指按期完成面对面随访（全年统计另须完成年度健康体检）。',
  },
  {
    key: 'control', name: '血压、血糖控制', short: '血压血糖控制', rowsOfCounty: true,
    columns: DISEASES.flatMap(({ key, d, name, control }) => [
      count(`control_assessed_${key}`, `${name}（${control}）`, '纳入考核人数', (i) => i.control[d].denominator),
      count(`controlled_${key}`, `${name}（${control}）`, '控制达标人数', (i) => i.control[d].numerator),
      rate(`control_rate_${key}`, `${name}（${control}）`, '控制率', (i) => i.control[d]),
      count(`uncontrolled_${key}`, `${name}（${control}）`, '未达标', (i) => i.control[d].groups.uncontrolled),
      count(`visited_no_reading_${key}`, `${name}（${control}）`, '随访未测量', (i) => i.control[d].groups.visited_no_reading),
      count(`missed_visit_${key}`, `${name}（${control}）`, '未按期随访', (i) => i.control[d].groups.missed_visit),
      count(`excluded_new_${key}`, `${name}（${control}）`, '不纳入：登记未满3个月', (i) => i.control[d].excluded.registered_last_3_months),
      count(`excluded_lost_${key}`, `${name}（${control}）`, '不纳入：失访', (i) => i.control[d].excluded.lost_to_follow_up),
    ]),
    note: '注：纳入考核人数 = 控制达标 + 未达标 + 随访未测量 + 未按期随访；登记未满3个月和失访的患者不纳入控制率。',
  },
  {
    key: 'visits', name: '就诊结算人次', short: '就诊结算人次', rowsOfCounty: true,
    columns: [
      count('visits_grassroots', '就诊结算人次', '基层医疗机构', (i) => i.grassroots_visits.numerator),
      count('visits_hospital', '就诊结算人次', '二、三级医院', (i) => i.grassroots_visits.denominator - i.grassroots_visits.numerator),
      count('visits_pharmacy', '就诊结算人次', '定点零售药店', (i) => i.grassroots_visits.pharmacy_claims),
      count('visits_total', '就诊结算人次', '合计', (i) => i.grassroots_visits.denominator + i.grassroots_visits.pharmacy_claims),
      rate('grassroots_rate', null, '基层就诊率', (i) => ratio(i.grassroots_visits.numerator, i.grassroots_visits.denominator)),
    ],
    note: '注：基层就诊率 = 基层医疗机构结算人次 ÷（基层医疗机构 + 二、三级医院结算人次），定点零售药店不计入分子分母。',
  },
  {
    key: 'fund', name: '基金支出', short: '基金支出', rowsOfCounty: true,
    columns: [
      count('claim_patients', null, '结算患者数', (i) => i.fund_spending.patients),
      money('amount_fen', null, '总费用（元）', (i) => i.fund_spending.amount_fen),
      money('fund_pay_fen', null, '统筹基金支付（元）', (i) => i.fund_spending.fund_pay_fen),
      money('self_pay_fen', null, '个人负担（元）', (i) => i.fund_spending.self_pay_fen),
      rate('self_pay_share', null, '个人负担比例', (i) => ratio(i.fund_spending.self_pay_fen, i.fund_spending.amount_fen)),
    ],
    note: '注：“两病”门诊用药结算费用；个人负担 = 总费用 − 统筹基金支付，个人负担比例 = 个人负担 ÷ 总费用。',
  },
  {
    key: 'stock', name: '备药率', short: '备药率', rowsOfCounty: false,
    columns: [
      count('stock_institutions', null, '医共体基层医疗机构数', (i) => i.drug_stock?.denominator ?? 0),
      count('stock_met', null, '备药达标机构数', (i) => i.drug_stock?.numerator ?? 0),
      rate('stock_rate', null, '备药率', (i) => i.drug_stock ?? null),
    ],
    note: '注：备药达标指医共体内基层医疗机构（不含村卫生室）现有未过期的“两病”常用药品达到其上级医院所备品种的 70% 及以上；按制表日库存、按县（市、区）统计，不分机构、不分险种。',
  },
];

/** 2026, 3 → "2026年第3季度" */
export const quarterLabel = (year: number, quarter: number) => `${year}年第${quarter}季度`;

const quarterEnd = (year: number, quarter: number) => {
  const month = quarter * 3;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
};

/** The region the report is of: the city (its rows the counties) or one county (its rows the institutions). */
function regionOf(report: IndicatorReport) {
  const city = report.scopes.find((s) => s.level === 'city');
  if (city) return { level: 'city' as const, scope: city, units: report.scopes.filter((s) => s.level === 'county') };
  const counties = report.scopes.filter((s) => s.level === 'county');
  if (counties.length !== 1) throw new Error(`A quarterly report is of the city or of one county; the indicators hold ${counties.length} counties and no city`);
  const county = counties[0];
  // the county's own institutions first, then those of another county where some of its residents are contracted
  const units = report.scopes.filter((s) => s.level === 'institution')
    .sort((a, b) => +(a.parent !== county.code) - +(b.parent !== county.code) || a.name.localeCompare(b.name, 'zh-CN') || a.code.localeCompare(b.code));
  return { level: 'county' as const, scope: county, units };
}

const minus = (a: Cell, b: Cell): Cell => {
  if (a === null || b === null) return a;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'object' && typeof b === 'object') return ratio(a.numerator - b.numerator, a.denominator - b.denominator);
  return a;
};
const isZero = (c: Cell) => c === null || (typeof c === 'number' ? c === 0 : c.numerator === 0 && c.denominator === 0);

function tableOf(def: TableDef, number: number, insurance: InsuranceType, region: ReturnType<typeof regionOf>): QuarterlyTable {
  const valuesOf = (i: Indicators) => Object.fromEntries(def.columns.map((c) => [c.key, c.value(i)]));
  const total: QuarterlyRow = { kind: 'total', level: region.level, code: region.scope.code, name: '合计', values: valuesOf(region.scope.indicators) };
  const withUnits = region.level === 'city' || def.rowsOfCounty;
  const units: QuarterlyRow[] = withUnits
    ? region.units.map((s) => ({ kind: 'unit', level: s.level === 'county' ? 'county' : 'institution', code: s.code, name: s.name, values: valuesOf(s.indicators) }))
    : [];
  const rows = [...units];
  if (withUnits) {
    // what the rows leave out of the total (in a county: patients with no contracted team), so that the rows add up
    const other: QuarterlyRow = {
      kind: 'other', level: null, code: null, name: region.level === 'county' ? '未签约家庭医生团队' : '其他',
      values: Object.fromEntries(def.columns.map((c) => [c.key, units.reduce((left, u) => minus(left, u.values[c.key]), total.values[c.key])])),
    };
    if (!Object.values(other.values).every(isZero)) rows.push(other);
  }
  rows.push(total);
  return {
    key: def.key, number, name: def.name, sheetName: `${INSURANCE_NAMES[insurance].short}表${number} ${def.short}`,
    columns: def.columns.map(({ key, group, header, kind }) => ({ key, group, header, kind })), rows, note: def.note,
  };
}

/** The two reports (城乡居民医保, 职工医保) of one region and quarter, as tables of rows. */
export function quarterlyWorkbook(input: QuarterlyInput): QuarterlyWorkbook {
  const { resident, employee } = input;
  for (const [type, r] of [['resident', resident], ['employee', employee]] as const) {
    if (r.insuranceType !== type) throw new Error(`The ${type} report must be of the ${type}s' insurance, not ${r.insuranceType ?? 'both'}`);
    if (r.period.quarter === null) throw new Error('A quarterly report needs a quarter');
  }
  if (resident.period.start !== employee.period.start || resident.period.end !== employee.period.end) throw new Error('The two reports are of different periods');
  const year = resident.period.year;
  const quarter = resident.period.quarter!;
  const region = regionOf(resident);
  const regionName = input.regionName ?? region.scope.name;
  const label = quarterLabel(year, quarter);
  const parts = ([['resident', resident], ['employee', employee]] as const).map(([type, report]) => {
    const r = regionOf(report);
    if (r.level !== region.level || r.scope.code !== region.scope.code) throw new Error('The two reports are of different regions');
    return {
      insuranceType: type,
      insuranceName: INSURANCE_NAMES[type].name,
      title: `${regionName} ${label} ${INSURANCE_NAMES[type].name}${REPORT_TITLE}`,
      tables: TABLES.map((def, n) => tableOf(def, n + 1, type, r)),
    };
  });
  return {
    region: { level: region.level, code: region.scope.code, name: regionName },
    period: { year, quarter, start: resident.period.start, end: resident.period.end, label, complete: input.generatedOn > quarterEnd(year, quarter) },
    version: resident.version,
    generatedOn: input.generatedOn,
    reports: parts,
  };
}

/** A rate to one decimal of a per cent, half up ("82.3%"); empty when nothing is counted. */
export function percentText(r: Ratio): string {
  if (r.denominator === 0) return '';
  const negative = r.numerator * r.denominator < 0;
  const n = Math.abs(r.numerator);
  const d = Math.abs(r.denominator);
  const permille = Math.floor((n * 2000 + d) / (2 * d));
  return `${negative ? '-' : ''}${Math.floor(permille / 10)}.${permille % 10}%`;
}

export function cellText(kind: ColumnKind, c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'object') return percentText(c);
  return kind === 'money' ? formatYuan(c) : String(c);
}

/** The statistics period as the title rows say it. */
export function periodText(w: QuarterlyWorkbook): string {
  return `统计期：${w.period.start} 至 ${w.period.end}${w.period.complete ? '' : `（本季度尚未结束，数据截至 ${w.generatedOn}）`}`;
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * One CSV (UTF-8 with a BOM, CRLF) for both reports: every line's first column names its table; each
 * table starts with its header line (单位代码, 单位, then the columns, "group·header"). The region and
 * period lead, as the table "报表".
 */
export function quarterlyCsv(w: QuarterlyWorkbook): string {
  const lines: string[][] = [
    ['报表', '项目', '内容'],
    ['报表', '地区', w.region.name],
    ['报表', '地区代码', w.region.code],
    ['报表', '统计期', `${w.period.label}（${w.period.start} 至 ${w.period.end}）`],
    ['报表', '指标口径版本', w.version],
    ['报表', '生成日期', w.generatedOn],
  ];
  for (const part of w.reports) {
    for (const t of part.tables) {
      const name = `${part.insuranceName} 表${t.number} ${t.name}`;
      lines.push([name, '单位代码', '单位', ...t.columns.map((c) => (c.group ? `${c.group}·${c.header}` : c.header))]);
      for (const r of t.rows) lines.push([name, r.code ?? '', r.name, ...t.columns.map((c) => cellText(c.kind, r.values[c.key]))]);
    }
  }
  return `\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}
