// The quarterly workbook (季报表, docs/reports.md) through the API and the CLI on the small demo city: the
// .xlsx opened with exceljs and its cells checked against GET /api/indicators (a county's institutions, the
// city's counties, both insurance types); the CSV and JSON with the same numbers; who may download what;
// bad input named by field; `manbing report quarterly` writing the same file.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerReport, reportQuarterlyCommand } from '../../src/cli/commands/report';
import { formatYuan } from '../../src/engine/money';
import type { IndicatorReport } from '../../src/modules/indicators/service';
import type { QuarterlyWorkbook } from '../../src/modules/reports/service';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
const cookies: Record<string, string> = {};
let county: string;
let countyName: string;
let otherCounty: string;
const dir = mkdtempSync(join(tmpdir(), 'manbing-quarterly-'));
const Q = 'year=2026&quarter=1';
const HEADER_ROWS = 4;

const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
type Scope = IndicatorReport['scopes'][number];
type Indicators = Scope['indicators'];

async function indicators(query: string) {
  const res = await get('analyst', `/api/indicators?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as IndicatorReport;
}

async function workbookOf(bytes: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as never);
  return book;
}

/** The sheet's data rows by the unit's name (first column), up to the total. */
function rowsOf(sheet: ExcelJS.Worksheet) {
  const rows = new Map<string, unknown[]>();
  for (let r = HEADER_ROWS + 1; r <= sheet.rowCount; r++) {
    const values = (sheet.getRow(r).values as unknown[]).slice(1);
    rows.set(String(values[0]), values.slice(1));
    if (values[0] === '合计') break;
  }
  return rows;
}

const rate = (n: number, d: number) => (d === 0 ? '—' : n / d);

/** What the sheets of one insurance type must show for a scope's indicators. */
function expectSheets(book: ExcelJS.Workbook, short: '居民' | '职工', name: string, i: Indicators) {
  const row = (sheet: string) => {
    const r = rowsOf(book.getWorksheet(`${short}${sheet}`)!).get(name);
    expect(r, `${short}${sheet}: a row for ${name}`).toBeDefined();
    return r!;
  };
  const patients = row('表1 确诊签约登记');
  expect(patients.slice(0, 4), `${name} diagnosed, contracted`).toEqual([i.diagnosed.hypertension, i.diagnosed.diabetes, i.diagnosed.either, i.contracting.numerator]);
  expect(patients[4]).toEqual(rate(i.contracting.numerator, i.contracting.denominator));
  expect(patients.slice(5)).toEqual([i.registered.numerator, rate(i.registered.numerator, i.registered.denominator), i.activity.filed, i.activity.confirmed, i.activity.returned]);
  const sm = i.standardised_management;
  expect(row('表2 规范管理'), `${name} management`).toEqual([
    sm.hypertension.denominator, sm.hypertension.numerator, rate(sm.hypertension.numerator, sm.hypertension.denominator),
    sm.diabetes.denominator, sm.diabetes.numerator, rate(sm.diabetes.numerator, sm.diabetes.denominator),
  ]);
  const control = row('表3 血压血糖控制');
  for (const [k, c] of [[0, i.control.hypertension], [8, i.control.diabetes]] as const) {
    expect(control.slice(k, k + 8), `${name} control`).toEqual([c.denominator, c.numerator, rate(c.numerator, c.denominator), c.groups.uncontrolled, c.groups.visited_no_reading, c.groups.missed_visit, c.excluded.registered_last_3_months, c.excluded.lost_to_follow_up]);
  }
  const v = i.grassroots_visits;
  expect(row('表4 就诊结算人次'), `${name} visits`).toEqual([v.numerator, v.denominator - v.numerator, v.pharmacy_claims, v.denominator + v.pharmacy_claims, rate(v.numerator, v.denominator)]);
  const f = i.fund_spending;
  const fund = row('表5 基金支出');
  expect(fund.slice(0, 4), `${name} fund`).toEqual([f.patients, f.amount_fen / 100, f.fund_pay_fen / 100, f.self_pay_fen / 100]);
  expect(fund[4]).toEqual(rate(f.self_pay_fen, f.amount_fen));
}

beforeAll(async () => {
  t = await testApp();
  for (const who of ['analyst', 'reviewer', 'doctor', 'admin']) cookies[who] = await t.login(who);
  const db = t.database.db;
  county = (await db.selectFrom('app_user').select('region_code').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).region_code!;
  countyName = (await db.selectFrom('region').select('name').where('code', '=', county).executeTakeFirstOrThrow()).name;
  otherCounty = (await db.selectFrom('app_user').select('region_code').where('role', '=', 'insurance_reviewer').where('region_code', '<>', county).orderBy('username').executeTakeFirstOrThrow()).region_code!;
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('the county’s workbook', () => {
  let book: ExcelJS.Workbook;
  let res: Awaited<ReturnType<typeof get>>;
  beforeAll(async () => {
    res = await get('analyst', `/api/reports/quarterly?${Q}&county=${county}`);
    book = await workbookOf(res.rawPayload);
  });

  it('is an .xlsx to download, a sheet per table and insurance type', () => {
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="manbing-quarterly-2026Q1-${county}.xlsx"`);
    expect(book.worksheets.map((s) => s.name)).toEqual(['居民', '职工'].flatMap((k) => ['表1 确诊签约登记', '表2 规范管理', '表3 血压血糖控制', '表4 就诊结算人次', '表5 基金支出', '表6 备药率'].map((s) => `${k}${s}`)));
    const sheet = book.getWorksheet('居民表1 确诊签约登记')!;
    expect(sheet.getCell('A1').value).toBe(`嘉兴市${countyName} 2026年第1季度 城乡居民医保“两病”门诊用药保障和健康管理示范城市活动季报表`);
    expect(book.getWorksheet('职工表5 基金支出')!.getCell('A1').value).toBe(`嘉兴市${countyName} 2026年第1季度 职工医保“两病”门诊用药保障和健康管理示范城市活动季报表`);
    expect(sheet.getCell('A2').value).toContain('统计期：2026-01-01 至 2026-03-31');
    expect(sheet.getCell('A3').value).toBe('医疗机构');
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, printTitlesRow: '1:4' });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 4 });
  });

  for (const [type, short] of [['resident', '居民'], ['employee', '职工']] as const) {
    it(`${short}: every institution and the total as GET /api/indicators counts them`, async () => {
      const r = await indicators(`${Q}&county=${county}&insuranceType=${type}`);
      const institutions = r.scopes.filter((s) => s.level === 'institution');
      expect(institutions.length).toBeGreaterThan(1);
      expect(new Set(institutions.map((s) => s.name)).size, 'institution names are unique in the demo county').toBe(institutions.length);
      for (const s of institutions) expectSheets(book, short, s.name, s.indicators);
      const total = r.scopes.find((s) => s.level === 'county' && s.code === county)!;
      expectSheets(book, short, '合计', total.indicators);
      expect(total.indicators.diagnosed.either).toBeGreaterThan(0);
      const stock = rowsOf(book.getWorksheet(`${short}表6 备药率`)!);
      expect([...stock.keys()]).toEqual(['合计']);
      const ds = total.indicators.drug_stock!;
      expect(stock.get('合计')).toEqual([ds.denominator, ds.numerator, rate(ds.numerator, ds.denominator)]);
    });
  }

  it('the two insurance types add up to the indicators of both', async () => {
    const both = (await indicators(`${Q}&county=${county}`)).scopes.find((s) => s.level === 'county')!.indicators;
    const total = (sheet: string) => rowsOf(book.getWorksheet(sheet)!).get('合计')!;
    expect((total('居民表1 确诊签约登记')[2] as number) + (total('职工表1 确诊签约登记')[2] as number)).toBe(both.diagnosed.either);
    expect(Math.round(((total('居民表5 基金支出')[2] as number) + (total('职工表5 基金支出')[2] as number)) * 100)).toBe(both.fund_spending.fund_pay_fen);
  });
});

describe('the city’s workbook', () => {
  it('a row per county and the city’s total', async () => {
    const res = await get('analyst', `/api/reports/quarterly?${Q}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const book = await workbookOf(res.rawPayload);
    const r = await indicators(`${Q}&insuranceType=employee`);
    const counties = r.scopes.filter((s) => s.level === 'county');
    expect(counties.length).toBeGreaterThan(3);
    const sheet = book.getWorksheet('职工表1 确诊签约登记')!;
    expect(sheet.getCell('A1').value).toBe('嘉兴市 2026年第1季度 职工医保“两病”门诊用药保障和健康管理示范城市活动季报表');
    expect(sheet.getCell('A3').value).toBe('县（市、区）');
    expect([...rowsOf(sheet).keys()]).toEqual([...counties.map((s) => s.name), '合计']);
    for (const s of counties) expectSheets(book, '职工', s.name, s.indicators);
    const city = r.scopes.find((s) => s.level === 'city')!;
    expectSheets(book, '职工', '合计', city.indicators);
    const stock = rowsOf(book.getWorksheet('职工表6 备药率')!);
    for (const s of [...counties, city]) {
      const ds = s.indicators.drug_stock!;
      expect(stock.get(s.level === 'city' ? '合计' : s.name)).toEqual([ds.denominator, ds.numerator, rate(ds.numerator, ds.denominator)]);
    }
  });
});

describe('CSV and JSON', () => {
  it('JSON: the same numbers, money in fen, rates as numerator and denominator', async () => {
    const res = await get('analyst', `/api/reports/quarterly?${Q}&county=${county}&format=json`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const w = res.json() as QuarterlyWorkbook;
    expect(w.region).toEqual({ level: 'county', code: county, name: `嘉兴市${countyName}` });
    expect(w.period).toEqual({ year: 2026, quarter: 1, start: '2026-01-01', end: '2026-03-31', label: '2026年第1季度', complete: true });
    const r = await indicators(`${Q}&county=${county}&insuranceType=resident`);
    const total = r.scopes.find((s) => s.level === 'county')!.indicators;
    const fund = w.reports[0].tables.find((x) => x.key === 'fund')!.rows.at(-1)!;
    expect(fund.values).toEqual({
      claim_patients: total.fund_spending.patients, amount_fen: total.fund_spending.amount_fen, fund_pay_fen: total.fund_spending.fund_pay_fen,
      self_pay_fen: total.fund_spending.self_pay_fen, self_pay_share: { numerator: total.fund_spending.self_pay_fen, denominator: total.fund_spending.amount_fen },
    });
    const contracting = w.reports[0].tables[0].rows.at(-1)!.values.contracting_rate;
    expect(contracting).toEqual(total.contracting);
  });

  it('a quarter still running says so in its title rows', async () => {
    const res = await get('reviewer', '/api/reports/quarterly?year=2026&quarter=2');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const book = await workbookOf(res.rawPayload);
    expect(book.getWorksheet('居民表2 规范管理')!.getCell('A2').value).toContain('统计期：2026-04-01 至 2026-06-30（本季度尚未结束，数据截至 2026-06-15）');
  });

  it('CSV: UTF-8 with a BOM, the table named in the first column, yuan with 2 decimals', async () => {
    const res = await get('reviewer', `/api/reports/quarterly?${Q}&county=${county}&format=csv`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="manbing-quarterly-2026Q1-${county}.csv"`);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(lines[1]).toEqual(['报表', '地区', `嘉兴市${countyName}`]);
    const fund = lines.filter((l) => l[0] === '职工医保 表5 基金支出');
    expect(fund[0].slice(1)).toEqual(['单位代码', '单位', '结算患者数', '总费用（元）', '统筹基金支付（元）', '个人负担（元）', '个人负担比例']);
    const r = await indicators(`${Q}&county=${county}&insuranceType=employee`);
    const f = r.scopes.find((s) => s.level === 'county')!.indicators.fund_spending;
    expect(fund.at(-1)!.slice(1, 7)).toEqual([county, '合计', String(f.patients), formatYuan(f.amount_fen), formatYuan(f.fund_pay_fen), formatYuan(f.self_pay_fen)]);
  });
});

describe('who may download', () => {
  it('a reviewer: their county (also by default), not another; a family doctor: none', async () => {
    const own = await get('reviewer', `/api/reports/quarterly?${Q}&format=json`);
    expect(own.statusCode, own.body.slice(0, 300)).toBe(200);
    expect((own.json() as QuarterlyWorkbook).region.code).toBe(county);
    for (const [who, url] of [['reviewer', `/api/reports/quarterly?${Q}&county=${otherCounty}`], ['doctor', `/api/reports/quarterly?${Q}&county=${county}`], ['doctor', `/api/reports/quarterly?${Q}`]]) {
      const res = await get(who, url);
      expect(res.statusCode, `${who} ${url}`).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await t.app.inject({ url: `/api/reports/quarterly?${Q}` })).statusCode).toBe(401);
  });

  it('every download is audited', async () => {
    const rows = await t.database.db.selectFrom('audit_log').select(['username', 'entity_id']).where('entity', '=', 'reports.quarterly').where('action', '=', 'read').execute();
    expect(rows).toContainEqual({ username: 'reviewer', entity_id: county });
    expect(rows).toContainEqual({ username: 'analyst', entity_id: '3304' });
  });
});

describe('bad input: 400 naming the field', () => {
  for (const [who, query, field] of [
    ['analyst', 'year=abc&quarter=1', 'query.year'],
    ['analyst', 'year=2026&quarter=5', 'query.quarter'],
    ['analyst', 'year=2026', 'query.quarter'],
    ['analyst', 'year=2026&quarter=3', 'query.quarter'], // has not begun (the clock is at 2026-06-15)
    ['analyst', 'year=2026&quarter=1&county=330499', 'query.county'], // in the analyst's area, no county
    ['admin', 'year=2026&quarter=1&county=321102', 'query.county'], // a county of another city
    ['analyst', 'year=2026&quarter=1&county=3304', 'query.county'],
    ['analyst', 'year=2026&quarter=1&format=pdf', 'query.format'],
  ] as const) {
    it(`${who} ${query}`, async () => {
      const res = await get(who, `/api/reports/quarterly?${query}`);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  }
});

describe('manbing report quarterly', () => {
  const run = async (options: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await reportQuarterlyCommand(t.ctx.db, options, t.clock.now, (l) => out.push(l), (l) => err.push(l));
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('writes the workbook the API answers', async () => {
    const file = join(dir, 'q1.xlsx');
    const answer = await run({ year: '2026', quarter: '1', county, out: file });
    expect(answer, answer.err).toMatchObject({ code: 0, err: '' });
    expect(answer.out).toContain(`嘉兴市${countyName} 2026年第1季度`);
    const fromCli = await workbookOf(await import('node:fs/promises').then((fs) => fs.readFile(file)));
    const fromApi = await workbookOf((await get('analyst', `/api/reports/quarterly?${Q}&county=${county}`)).rawPayload);
    expect(fromCli.worksheets.map((s) => s.name)).toEqual(fromApi.worksheets.map((s) => s.name));
    for (const sheet of fromApi.worksheets) expect([...rowsOf(fromCli.getWorksheet(sheet.name)!)], sheet.name).toEqual([...rowsOf(sheet)]);
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('CSV and JSON by the file’s extension or --format', async () => {
    expect((await run({ year: '2026', quarter: '1', out: join(dir, 'city.csv') })).code).toBe(0);
    expect((await import('node:fs')).readFileSync(join(dir, 'city.csv'), 'utf8')).toMatch(/^\uFEFF报表,项目,内容\r\n报表,地区,嘉兴市\r\n/);
    expect((await run({ year: '2026', quarter: '1', out: join(dir, 'city.data'), format: 'json' })).code).toBe(0);
    expect(JSON.parse((await import('node:fs')).readFileSync(join(dir, 'city.data'), 'utf8')).region).toEqual({ level: 'city', code: '3304', name: '嘉兴市' });
  });

  it('bad options: a clear message, exit code 2, no file', async () => {
    for (const [options, message] of [
      [{ year: 'abc', quarter: '1' }, '--year must be a year'],
      [{ year: '2026', quarter: '5' }, '--quarter must be 1, 2, 3 or 4, got "5"'],
      [{ year: '2026', quarter: '1', county: '330499' }, '--county: 330499 is not a county of 嘉兴市'],
      [{ year: '2026', quarter: '3' }, '--quarter: 2026 Q3 has not begun'],
      [{ year: '2026', quarter: '1', format: 'pdf' }, '--format must be xlsx, csv or json'],
    ] as const) {
      const file = join(dir, `bad-${Object.values(options).join('-')}.xlsx`);
      const answer = await run({ ...options, out: file });
      expect(answer.code, message).toBe(2);
      expect(answer.err).toContain(message);
      expect(existsSync(file)).toBe(false);
    }
    expect((await run({ year: '2026', quarter: '1', out: join(dir, 'q1.txt') })).err).toContain('cannot tell the format');
  });

  it('as the command line parses it: options checked before the database is opened', async () => {
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
    const program = new Command('manbing').exitOverride();
    registerReport(program);
    await program.parseAsync(['node', 'manbing', 'report', 'quarterly', '--year', '2026', '--quarter', '5', '--out', join(dir, 'x.xlsx')]);
    expect(process.exitCode).toBe(2);
    expect(err.join('\n')).toContain('--quarter must be 1, 2, 3 or 4');
    await expect(program.parseAsync(['node', 'manbing', 'report', 'quarterly', '--year', '2026', '--quarter', '1'])).rejects.toThrow(/--out/);
  });
});
