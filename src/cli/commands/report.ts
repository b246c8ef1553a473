// `manbing report quarterly --year 2026 --quarter 3 [--county 330402] --out q3.xlsx [--format xlsx|csv|json]`:
// the quarterly workbook (季报表) of a county, or of the city, written to a file (docs/reports.md) — the same
// file GET /api/reports/quarterly answers. The format is the file's extension unless --format names it.
// Bad options exit with code 2 before anything is opened; a county not of the city or a quarter not begun
// exits 2 before anything is written. It opens the database itself: while `manbing start` holds the
// embedded data dir it is refused (download the file from the running server instead).
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { Database } from '../../db/connect';

export interface QuarterlyOptions { year?: string; quarter?: string; county?: string; out?: string; format?: string }
type Format = 'xlsx' | 'csv' | 'json';

/** The options as a query and a file, or the reason they are not. */
export function quarterlyOptionsOf(o: QuarterlyOptions): { error: string } | { year: number; quarter: number; county?: string; out: string; format: Format } {
  if (o.year === undefined || !/^[0-9]{4}$/.test(o.year) || Number(o.year) < 2000 || Number(o.year) > 2100) return { error: `--year must be a year between 2000 and 2100, got "${o.year ?? ''}"` };
  if (o.quarter === undefined || !/^[1-4]$/.test(o.quarter)) return { error: `--quarter must be 1, 2, 3 or 4, got "${o.quarter ?? ''}"` };
  if (o.county !== undefined && !/^[0-9]{6}$/.test(o.county)) return { error: `--county must be a 6-digit county code, got "${o.county}"` };
  if (!o.out) return { error: '--out names the file to write (.xlsx, .csv or .json)' };
  const format = (o.format ?? /\.([a-z]+)$/i.exec(o.out)?.[1] ?? '').toLowerCase();
  if (format !== 'xlsx' && format !== 'csv' && format !== 'json') {
    return { error: o.format ? `--format must be xlsx, csv or json, got "${o.format}"` : `cannot tell the format from "${o.out}": end it in .xlsx, .csv or .json, or give --format` };
  }
  return { year: Number(o.year), quarter: Number(o.quarter), ...(o.county ? { county: o.county } : {}), out: o.out, format };
}

/** The command's work on an open database; answers the exit code. The CLI test calls it as the CLI does. */
export async function reportQuarterlyCommand(db: Database, o: QuarterlyOptions, now: Date, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const checked = quarterlyOptionsOf(o);
  if ('error' in checked) {
    printError(checked.error);
    return 2;
  }
  const { buildQuarterly, QuarterlyQueryError, renderQuarterly, resolveQuarterly } = await import('../../modules/reports/service');
  const { shanghaiDate } = await import('../../engine/calendar');
  const { consoleActor, writeAudit } = await import('../../core/audit');
  const today = shanghaiDate(now);
  let region;
  try {
    region = await resolveQuarterly(db, checked, today);
  } catch (e) {
    if (!(e instanceof QuarterlyQueryError)) throw e;
    printError(`--${e.field}: ${e.message}`);
    return 2;
  }
  const workbook = await buildQuarterly(db, { ...checked, regionName: region.regionName }, today);
  const bytes = await renderQuarterly(workbook, checked.format);
  const { rename, writeFile } = await import('node:fs/promises');
  // written beside the target and renamed: the file is a whole workbook or is not there
  const partial = `${checked.out}.${process.pid}.partial`;
  await writeFile(partial, bytes, { mode: 0o640 });
  await rename(partial, checked.out);
  await writeAudit(db, consoleActor(userInfo().username), [{ action: 'read', entity: 'reports.quarterly', entityId: checked.county ?? region.city.code, detail: { year: checked.year, quarter: checked.quarter, via: 'cli' } }]);
  const sheets = workbook.reports.reduce((n, r) => n + r.tables.length, 0);
  print(`${checked.out}: ${workbook.region.name} ${workbook.period.label} 季报表 (${workbook.reports.map((r) => r.insuranceName).join('、')}), ${sheets} tables, ${checked.format}, ${bytes.length} bytes`);
  return 0;
}

export function registerReport(program: Command) {
  const report = program.command('report').description('Reports for the health commission and the insurance agency');
  report
    .command('quarterly')
    .description('The quarterly workbook (季报表) of a county or the city: 城乡居民医保 and 职工医保, a sheet per table')
    .requiredOption('--year <year>', 'the calendar year')
    .requiredOption('--quarter <n>', '1–4')
    .option('--county <code>', 'one county (6-digit code); omitted: the whole city, a row per county')
    .requiredOption('--out <file>', 'the file to write: .xlsx, .csv (UTF-8 with BOM) or .json')
    .option('--format <format>', 'xlsx, csv or json; default: the --out file’s extension')
    .action(async (options: QuarterlyOptions) => {
      const checked = quarterlyOptionsOf(options);
      if ('error' in checked) {
        console.error(checked.error);
        process.exitCode = 2;
        return;
      }
      const { loadConfig } = await import('../../config');
      const { openForCommand } = await import('../open');
      const connection = await openForCommand(loadConfig());
      try {
        process.exitCode = await reportQuarterlyCommand(connection.db, options, new Date(), (l) => console.log(l), (l) => console.error(l));
      } finally {
        await connection.close();
      }
    });
}
