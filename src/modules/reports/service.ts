// The reports' use cases (docs/reports.md): the quarterly workbook (季报表) of the city or one county, for
// the API and the CLI alike. Its numbers are the indicators' (src/modules/indicators), asked for once per
// insurance type; quarterly.ts turns them into tables and quarterlyXlsx.ts into a workbook.
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import type { AppContext } from '../../core/context';
import { badRequest } from '../../core/problem';
import type { Database } from '../../db/connect';
import { shanghaiDate } from '../../engine/calendar';
import { indicatorReport, periodOf } from '../indicators/service';
import { quarterlyCsv, quarterlyWorkbook, type QuarterlyWorkbook } from './quarterly';
import { quarterlyXlsx } from './quarterlyXlsx';

export { quarterlyCsv, quarterlyWorkbook, type QuarterlyWorkbook } from './quarterly';
export { quarterlyXlsx } from './quarterlyXlsx';

export const REPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface QuarterlyQuery { year: number; quarter: number; county?: string }

/** A refusal of the query, by field (query.year, query.quarter, query.county): the API's 400, the CLI's message. */
export class QuarterlyQueryError extends Error {
  constructor(readonly field: 'year' | 'quarter' | 'county', readonly rule: string, message: string, readonly zh: string) {
    super(message);
  }
}

/** The city the deployment serves (the one its institutions' counties belong to) and its counties. */
async function cityOf(db: Database) {
  const counties = await db.selectFrom('region as r')
    .innerJoin('region as c', 'c.code', 'r.parent_code')
    .select(['r.code', 'r.name', 'c.code as city_code', 'c.name as city_name'])
    .where('r.level', '=', 'county')
    .where('r.parent_code', 'in', db.selectFrom('institution as i').innerJoin('region as ir', 'ir.code', 'i.county_code').select('ir.parent_code'))
    .orderBy('r.code')
    .execute();
  const city = counties[0] ? { code: counties[0].city_code, name: counties[0].city_name } : null;
  return { city, counties: new Map(counties.filter((c) => c.city_code === city?.code).map((c) => [c.code, c.name])) };
}

/**
 * The region and period checked, as every face needs them: the county must be one of the city's and the
 * quarter must have begun. No access check: the callers do that first (the route with the caller's scope,
 * the CLI as the console).
 */
export async function resolveQuarterly(db: Database, q: QuarterlyQuery, today: string) {
  const { city, counties } = await cityOf(db);
  if (!city) throw new QuarterlyQueryError('county', 'no_city', 'The database holds no institutions: load the demo city or the directory first', '数据库中尚无医疗机构');
  if (q.county !== undefined && !counties.has(q.county))
    throw new QuarterlyQueryError('county', 'county_of_city', `${q.county} is not a county of ${city.name} (${city.code})`, `不是${city.name}的县（市、区）`);
  const period = periodOf({ year: q.year, quarter: q.quarter, today });
  if (period.start > today) throw new QuarterlyQueryError('quarter', 'not_in_future', `${q.year} Q${q.quarter} has not begun (today is ${today})`, `该季度尚未开始（今天 ${today}）`);
  return {
    city,
    county: q.county,
    regionName: q.county ? `${city.name}${counties.get(q.county)}` : city.name,
  };
}

/** The workbook's numbers for a checked query: the indicators once per insurance type, one after the other. */
export async function buildQuarterly(db: Database, q: QuarterlyQuery & { regionName: string }, today: string): Promise<QuarterlyWorkbook> {
  const query = { year: q.year, quarter: q.quarter, ...(q.county ? { county: q.county } : {}), today };
  const resident = await indicatorReport(db, { ...query, insuranceType: 'resident' });
  const employee = await indicatorReport(db, { ...query, insuranceType: 'employee' });
  return quarterlyWorkbook({ resident, employee, regionName: q.regionName, generatedOn: today });
}

/** The workbook of a county (or, without one, the city) for the caller: analysts of their area, a reviewer their county. Audited. */
export async function quarterlyReport(ctx: AppContext, actor: Actor, q: QuarterlyQuery): Promise<QuarterlyWorkbook> {
  await requireAccess(ctx, actor, 'reports.quarterly.read');
  const today = shanghaiDate(ctx.now());
  const prefix = actor.user.scope.regionPrefix;
  // a user whose area is one county (a county's reviewer) gets that county's report unless they name one
  const county = q.county ?? (prefix && prefix.length === 6 ? prefix : undefined);
  const { city } = await cityOf(ctx.db);
  await requireAccess(ctx, actor, 'reports.quarterly.read', { regionCode: county ?? city?.code ?? '' });
  let resolved;
  try {
    resolved = await resolveQuarterly(ctx.db, { ...q, county }, today);
  } catch (e) {
    if (e instanceof QuarterlyQueryError) throw badRequest(e.message, [{ field: `query.${e.field}`, rule: e.rule, message: e.zh }]);
    throw e;
  }
  const workbook = await buildQuarterly(ctx.db, { ...q, county, regionName: resolved.regionName }, today);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'reports.quarterly', entityId: county ?? resolved.city.code, detail: { year: q.year, quarter: q.quarter } }]);
  return workbook;
}

export const MEDIA_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** manbing-quarterly-2026Q3-330402.xlsx */
export const quarterlyFileName = (w: QuarterlyWorkbook, format: ReportFormat) => `manbing-quarterly-${w.period.year}Q${w.period.quarter}-${w.region.code}.${format}`;

/** The workbook in a format, as the bytes of a file. */
export async function renderQuarterly(w: QuarterlyWorkbook, format: ReportFormat): Promise<Buffer> {
  if (format === 'xlsx') return quarterlyXlsx(w);
  if (format === 'csv') return Buffer.from(quarterlyCsv(w), 'utf8');
  return Buffer.from(`${JSON.stringify(w, null, 2)}\n`, 'utf8');
}
