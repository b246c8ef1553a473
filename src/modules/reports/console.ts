// What `manbing report quarterly` makes, here so the CLI and the running server's control channel (which
// answers while the server holds the embedded database) make the same file: the options checked, the
// workbook built and rendered, the download audited. The caller writes the bytes.
import { type Actor, writeAudit } from '../../core/audit';
import type { Database } from '../../db/connect';
import { shanghaiDate } from '../../engine/calendar';
import { buildQuarterly, QuarterlyQueryError, renderQuarterly, resolveQuarterly } from './service';

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

/** The file's bytes and the line to print, or the exit code 2 with the reason. */
export async function quarterlyFile(db: Database, actor: Actor, o: QuarterlyOptions, now: Date): Promise<{ exitCode: number; lines: string[]; bytes?: Buffer }> {
  const checked = quarterlyOptionsOf(o);
  if ('error' in checked) return { exitCode: 2, lines: [checked.error] };
  const today = shanghaiDate(now);
  let region;
  try {
    region = await resolveQuarterly(db, checked, today);
  } catch (e) {
    if (!(e instanceof QuarterlyQueryError)) throw e;
    return { exitCode: 2, lines: [`--${e.field}: ${e.message}`] };
  }
  const workbook = await buildQuarterly(db, { ...checked, regionName: region.regionName }, today);
  const bytes = await renderQuarterly(workbook, checked.format);
  await writeAudit(db, actor, [{ action: 'read', entity: 'reports.quarterly', entityId: checked.county ?? region.city.code, detail: { year: checked.year, quarter: checked.quarter, via: 'cli' } }]);
  const sheets = workbook.reports.reduce((n, r) => n + r.tables.length, 0);
  return { exitCode: 0, bytes, lines: [`${checked.out}: ${workbook.region.name} ${workbook.period.label} 季报表 (${workbook.reports.map((r) => r.insuranceName).join('、')}), ${sheets} tables, ${checked.format}, ${bytes.length} bytes`] };
}
