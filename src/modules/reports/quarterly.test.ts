// The quarterly workbook's builder on hand-made indicator reports: the rows and the total, the row of what
// no institution holds, the sheets as printed (titles, headers, formats, page setup), the CSV and the JSON.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { IndicatorReport } from '../indicators/service';
import { percentText, periodText, quarterlyCsv, quarterlyWorkbook, TABLES } from './quarterly';
import { HEADER_ROWS, quarterlyXlsx } from './quarterlyXlsx';

type Scope = IndicatorReport['scopes'][number];
type Indicators = Scope['indicators'];

/** Indicators whose every number is derived from a seed n, so that scopes differ and sums can be checked. */
function indicators(n: number, county = false): Indicators {
  const control = (k: number) => ({ numerator: 3 * k, denominator: 5 * k, groups: { uncontrolled: k, visited_no_reading: k, missed_visit: 0 }, excluded: { registered_last_3_months: k, lost_to_follow_up: k } });
  return {
    contracting: { numerator: 8 * n, denominator: 10 * n },
    registered: { numerator: 6 * n, denominator: 10 * n },
    standardised_management: { hypertension: { numerator: 4 * n, denominator: 5 * n }, diabetes: { numerator: n, denominator: 2 * n } },
    control: { hypertension: control(n), diabetes: control(2 * n) },
    grassroots_visits: { numerator: 7 * n, denominator: 9 * n, pharmacy_claims: n },
    fund_spending: { amount_fen: 123456 * n, fund_pay_fen: 100000 * n, self_pay_fen: 23456 * n, patients: 5 * n },
    activity: { filed: n, confirmed: n, returned: 0, registered_patients: 6 * n, registered_patients_year_before: 5 * n },
    diagnosed: { hypertension: 7 * n, diabetes: 4 * n, either: 10 * n },
    delivered_share: { numerator: n, denominator: 3 * n },
    ...(county ? { drug_stock: { numerator: 2, denominator: 3 }, referral_completion: { numerator: 0, denominator: 0 }, audit_findings_per_1000_claims: { numerator: 0, denominator: 0 } } : {}),
  };
}

const period = { year: 2026, quarter: 3, start: '2026-07-01', end: '2026-09-30' };
const county = (insuranceType: 'resident' | 'employee', k = 1): IndicatorReport => ({
  period, version: 'test-1', insuranceType,
  scopes: [
    { level: 'county', code: '330402', name: '南湖区', indicators: indicators(12 * k, true) },
    { level: 'institution', code: 'b-inst', parent: '330402', name: '新丰镇卫生院', indicators: indicators(4 * k) },
    { level: 'institution', code: 'a-inst', parent: '330402', name: '大桥镇卫生院', indicators: indicators(5 * k) },
    { level: 'institution', code: 'c-inst', parent: '330411', name: '秀洲区王店镇卫生院', indicators: indicators(0) },
    { level: 'team', code: 't1', parent: 'a-inst', name: '团队一', indicators: indicators(5 * k) },
  ],
});
const city = (insuranceType: 'resident' | 'employee'): IndicatorReport => ({
  period, version: 'test-1', insuranceType,
  scopes: [
    { level: 'city', code: '3304', name: '嘉兴市', indicators: { ...indicators(3, true), drug_stock: { numerator: 3, denominator: 5 } } },
    { level: 'county', code: '330411', name: '秀洲区', parent: '3304', indicators: { ...indicators(2, true), drug_stock: { numerator: 1, denominator: 2 } } },
    { level: 'county', code: '330402', name: '南湖区', parent: '3304', indicators: indicators(1, true) },
    { level: 'institution', code: 'a-inst', parent: '330402', name: '大桥镇卫生院', indicators: indicators(1) },
  ],
});

describe('the model', () => {
  const w = quarterlyWorkbook({ resident: county('resident'), employee: county('employee', 2), regionName: '嘉兴市南湖区', generatedOn: '2026-10-08' });

  it('names the region, period and insurance in every title', () => {
    expect(w.region).toEqual({ level: 'county', code: '330402', name: '嘉兴市南湖区' });
    expect(w.period).toMatchObject({ label: '2026年第3季度', complete: true });
    expect(w.reports.map((r) => r.title)).toEqual([
      '嘉兴市南湖区 2026年第3季度 城乡居民医保“两病”门诊用药保障和健康管理示范城市活动季报表',
      '嘉兴市南湖区 2026年第3季度 职工医保“两病”门诊用药保障和健康管理示范城市活动季报表',
    ]);
    expect(w.reports.flatMap((r) => r.tables.map((t) => t.sheetName))).toEqual([
      '居民表1 确诊签约登记', '居民表2 规范管理', '居民表3 血压血糖控制', '居民表4 就诊结算人次', '居民表5 基金支出', '居民表6 备药率',
      '职工表1 确诊签约登记', '职工表2 规范管理', '职工表3 血压血糖控制', '职工表4 就诊结算人次', '职工表5 基金支出', '职工表6 备药率',
    ]);
    for (const t of w.reports[0].tables) expect(t.sheetName.length).toBeLessThanOrEqual(31);
  });

  it('a county: its institutions (its own first), what they leave out, and the total', () => {
    const patients = w.reports[0].tables[0];
    expect(patients.rows.map((r) => [r.kind, r.name])).toEqual([
      ['unit', '大桥镇卫生院'], ['unit', '新丰镇卫生院'], ['unit', '秀洲区王店镇卫生院'], ['other', '未签约家庭医生团队'], ['total', '合计'],
    ]);
    const [, , , other, total] = patients.rows;
    expect(total.values).toMatchObject({ diagnosed_ht: 84, diagnosed: 120, contracted: 96, contracting_rate: { numerator: 96, denominator: 120 }, filed: 12 });
    // 12 − (5 + 4 + 0) = 3 of the seed: the total less the rows
    expect(other.values).toMatchObject({ diagnosed: 30, contracted: 24, contracting_rate: { numerator: 24, denominator: 30 }, filed: 3 });
    const fund = w.reports[1].tables[4];
    // the employee report is seeded twice over: 24 at the county, 18 in institutions, 6 without a team
    expect(fund.rows.find((r) => r.kind === 'total')!.values).toMatchObject({ amount_fen: 123456 * 24, fund_pay_fen: 100000 * 24, self_pay_share: { numerator: 23456 * 24, denominator: 123456 * 24 } });
    expect(fund.rows.find((r) => r.kind === 'other')!.values).toMatchObject({ amount_fen: 123456 * 6 });
    // every column of the rows adds up to the total
    for (const t of w.reports.flatMap((r) => r.tables)) {
      const rows = t.rows.filter((r) => r.kind !== 'total');
      const total = t.rows.find((r) => r.kind === 'total')!;
      for (const c of t.columns) {
        if (!rows.length) continue;
        const sum = rows.reduce((s, r) => s + (c.kind === 'rate' ? (r.values[c.key] as { numerator: number }).numerator : (r.values[c.key] as number)), 0);
        expect(sum, `${t.sheetName} ${c.key}`).toBe(c.kind === 'rate' ? (total.values[c.key] as { numerator: number }).numerator : total.values[c.key]);
      }
    }
  });

  it('visits by level and the grassroots rate without the pharmacies', () => {
    const visits = w.reports[0].tables[3].rows.at(-1)!.values;
    expect(visits).toEqual({ visits_grassroots: 84, visits_hospital: 24, visits_pharmacy: 12, visits_total: 120, grassroots_rate: { numerator: 84, denominator: 108 } });
  });

  it('the stock rate is the county’s only (no row per institution)', () => {
    const stock = w.reports[0].tables[5];
    expect(stock.rows).toEqual([{ kind: 'total', level: 'county', code: '330402', name: '合计', values: { stock_institutions: 3, stock_met: 2, stock_rate: { numerator: 2, denominator: 3 } } }]);
  });

  it('a city: its counties and the total; the stock rate by county', () => {
    const c = quarterlyWorkbook({ resident: city('resident'), employee: city('employee'), generatedOn: '2026-10-08' });
    expect(c.region).toEqual({ level: 'city', code: '3304', name: '嘉兴市' });
    expect(c.reports[0].title).toBe('嘉兴市 2026年第3季度 城乡居民医保“两病”门诊用药保障和健康管理示范城市活动季报表');
    for (const t of c.reports[0].tables) expect(t.rows.map((r) => r.name), t.name).toEqual(['秀洲区', '南湖区', '合计']);
    expect(c.reports[0].tables[5].rows.map((r) => r.values.stock_rate)).toEqual([{ numerator: 1, denominator: 2 }, { numerator: 2, denominator: 3 }, { numerator: 3, denominator: 5 }]);
  });

  it('refuses reports that are not one of each insurance type, or of different periods or regions', () => {
    expect(() => quarterlyWorkbook({ resident: county('employee'), employee: county('employee'), generatedOn: '2026-10-08' })).toThrow(/resident/);
    expect(() => quarterlyWorkbook({ resident: county('resident'), employee: { ...county('employee'), period: { ...period, end: '2026-08-31' } }, generatedOn: '2026-10-08' })).toThrow(/periods/);
    expect(() => quarterlyWorkbook({ resident: county('resident'), employee: city('employee'), generatedOn: '2026-10-08' })).toThrow(/regions/);
    expect(() => quarterlyWorkbook({ resident: { ...county('resident'), period: { ...period, quarter: null } }, employee: county('employee'), generatedOn: '2026-10-08' })).toThrow(/quarter/);
  });

  it('a running quarter says so', () => {
    const running = (t: 'resident' | 'employee') => ({ ...county(t), period: { ...period, end: '2026-08-31' } });
    const w = quarterlyWorkbook({ resident: running('resident'), employee: running('employee'), generatedOn: '2026-08-15' });
    expect(w.period.complete).toBe(false);
    expect(periodText(w)).toBe('统计期：2026-07-01 至 2026-08-31（本季度尚未结束，数据截至 2026-08-15）');
    // its last day is not over yet either
    expect(quarterlyWorkbook({ resident: county('resident'), employee: county('employee'), generatedOn: '2026-09-30' }).period.complete).toBe(false);
    expect(quarterlyWorkbook({ resident: county('resident'), employee: county('employee'), generatedOn: '2026-10-01' }).period.complete).toBe(true);
  });
});

describe('rates for display', () => {
  it('one decimal, half up, from the integers', () => {
    expect(percentText({ numerator: 1, denominator: 3 })).toBe('33.3%');
    expect(percentText({ numerator: 2, denominator: 3 })).toBe('66.7%');
    expect(percentText({ numerator: 1, denominator: 16 })).toBe('6.3%'); // 6.25
    expect(percentText({ numerator: 1, denominator: 1 })).toBe('100.0%');
    expect(percentText({ numerator: 0, denominator: 7 })).toBe('0.0%');
    expect(percentText({ numerator: 0, denominator: 0 })).toBe('');
    expect(percentText({ numerator: -1, denominator: 16 })).toBe('-6.3%');
  });
});

describe('the CSV', () => {
  const w = quarterlyWorkbook({ resident: county('resident'), employee: county('employee', 2), regionName: '嘉兴市南湖区', generatedOn: '2026-10-08' });
  const csv = quarterlyCsv(w);
  const lines = csv.slice(1).trimEnd().split('\r\n').map((l) => l.split(','));

  it('UTF-8 with a BOM; every line’s first column names its table', () => {
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(lines[1]).toEqual(['报表', '地区', '嘉兴市南湖区']);
    const tables = [...new Set(lines.map((l) => l[0]))];
    expect(tables).toEqual(['报表', ...['城乡居民医保', '职工医保'].flatMap((ins) => TABLES.map((t, n) => `${ins} 表${n + 1} ${t.name}`))]);
  });

  it('a header line per table, then its rows: yuan with 2 decimals, rates with 1', () => {
    const fund = lines.filter((l) => l[0] === '城乡居民医保 表5 基金支出');
    expect(fund[0]).toEqual(['城乡居民医保 表5 基金支出', '单位代码', '单位', '结算患者数', '总费用（元）', '统筹基金支付（元）', '个人负担（元）', '个人负担比例']);
    expect(fund.at(-1)).toEqual(['城乡居民医保 表5 基金支出', '330402', '合计', '60', '14814.72', '12000.00', '2814.72', '19.0%']);
    const patients = lines.filter((l) => l[0] === '城乡居民医保 表1 确诊、签约与认定登记');
    expect(patients[0].slice(3, 6)).toEqual(['确诊患者数·高血压', '确诊患者数·糖尿病', '确诊患者数·两病合计（人）']);
    expect(patients[1]).toEqual(['城乡居民医保 表1 确诊、签约与认定登记', 'a-inst', '大桥镇卫生院', '35', '20', '50', '40', '80.0%', '30', '60.0%', '5', '5', '0']);
  });
});

describe('the workbook', async () => {
  const w = quarterlyWorkbook({ resident: county('resident'), employee: county('employee', 2), regionName: '嘉兴市南湖区', generatedOn: '2026-10-08' });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await quarterlyXlsx(w)) as never);

  it('a sheet per table and insurance type, titled with the region and period', () => {
    expect(book.worksheets.map((s) => s.name)).toEqual(w.reports.flatMap((r) => r.tables.map((t) => t.sheetName)));
    const sheet = book.getWorksheet('居民表1 确诊签约登记')!;
    expect(sheet.getCell('A1').value).toBe(w.reports[0].title);
    expect(String(sheet.getCell('A2').value)).toContain('统计期：2026-07-01 至 2026-09-30');
    expect(sheet.getRow(3).values).toEqual([, '医疗机构', '确诊患者数', '确诊患者数', '确诊患者数', '家庭医生签约', '家庭医生签约', '认定登记', '认定登记', '认定登记', '认定登记', '认定登记']);
    expect((sheet.getRow(4).values as unknown[]).slice(2)).toEqual(['高血压', '糖尿病', '两病合计（人）', '签约患者数', '签约率', '在册患者数', '认定登记率', '本期申报', '本期认定', '本期退回']);
    expect(sheet.getCell('B3').isMerged && sheet.getCell('D3').master.address).toBe('B3');
  });

  it('ready to print: A4 landscape, one page wide, the title and headers on every page, panes frozen', () => {
    for (const sheet of book.worksheets) {
      expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `1:${HEADER_ROWS}` });
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: HEADER_ROWS });
      expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(16);
    }
  });

  it('counts as integers, money in yuan with 2 decimals, rates as a per cent with 1', () => {
    const fund = book.getWorksheet('居民表5 基金支出')!;
    const total = fund.getRow(HEADER_ROWS + 5); // three institutions, the row of the patients without a team, the total
    expect(total.getCell(1).value).toBe('合计');
    expect(total.getCell(2)).toMatchObject({ value: 60, numFmt: '#,##0' });
    expect(total.getCell(3)).toMatchObject({ value: 14814.72, numFmt: '#,##0.00' });
    expect(total.getCell(6).numFmt).toBe('0.0%');
    expect(total.getCell(6).value).toBeCloseTo(23456 / 123456, 12);
    // an institution with nothing counted: zeros, and a dash for its rate
    expect(fund.getRow(HEADER_ROWS + 3).values).toEqual([, '秀洲区王店镇卫生院', 0, 0, 0, 0, '—']);
    expect(book.getWorksheet('职工表6 备药率')!.getRow(HEADER_ROWS + 1).values).toEqual([, '合计', 3, 2, 2 / 3]);
  });

  it('dated the day it was made', () => {
    expect(book.created.toISOString()).toBe('2026-10-08T00:00:00.000Z');
    expect(book.creator).toBe('manbing');
  });
});
