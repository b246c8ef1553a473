// What `manbing indicators` prints, built here so the CLI and the running server's control channel (which
// answers when the server holds the embedded database) print the same: the report as one JSON object, or
// a table of the counties' rates.
import { type Actor, writeAudit } from '../../core/audit';
import type { Database } from '../../db/connect';
import { shanghaiDate } from '../../engine/calendar';
import { formatYuan } from '../../engine/money';
import { indicatorReport, periodOf } from './compute';
import type { Ratio } from './types';

export interface IndicatorsOptions { year?: string; quarter?: string; county?: string; json?: boolean }

/** The options as a query, or the reason they are not one. Checked before anything is opened. */
export function indicatorsQueryOf(o: IndicatorsOptions): { error: string } | { year: number; quarter: number | null; county?: string } {
  if (o.year === undefined || !/^[0-9]{4}$/.test(o.year) || Number(o.year) < 2000 || Number(o.year) > 2100) return { error: `--year must be a year between 2000 and 2100, got "${o.year ?? ''}"` };
  if (o.quarter !== undefined && !/^[1-4]$/.test(o.quarter)) return { error: `--quarter must be 1, 2, 3 or 4, got "${o.quarter}"` };
  if (o.county !== undefined && !/^[0-9]{6}$/.test(o.county)) return { error: `--county must be a 6-digit county code, got "${o.county}"` };
  return { year: Number(o.year), quarter: o.quarter === undefined ? null : Number(o.quarter), ...(o.county ? { county: o.county } : {}) };
}

const pct = (r: Ratio) => (r.denominator ? `${((r.numerator * 100) / r.denominator).toFixed(1)}%` : '—');

export async function indicatorsLines(db: Database, actor: Actor, o: IndicatorsOptions, now: Date): Promise<{ exitCode: number; lines: string[] }> {
  const q = indicatorsQueryOf(o);
  if ('error' in q) return { exitCode: 2, lines: [q.error] };
  const today = shanghaiDate(now);
  if (q.county) {
    const region = await db.selectFrom('region').select('level').where('code', '=', q.county).executeTakeFirst();
    if (region?.level !== 'county') return { exitCode: 2, lines: [`--county ${q.county} is not a county in the database`] };
  }
  if (periodOf({ ...q, today }).start > today) return { exitCode: 2, lines: [`the period has not begun (today is ${today})`] };
  const report = await indicatorReport(db, { ...q, today });
  await writeAudit(db, actor, [{ action: 'read', entity: 'indicators', entityId: q.county ?? null, detail: { year: q.year, quarter: q.quarter, via: 'cli' } }]);
  if (o.json) return { exitCode: 0, lines: [JSON.stringify(report)] };
  const head = ['scope', 'contracting', 'registered', 'std mgmt HT', 'std mgmt DM', 'control HT', 'control DM', 'grassroots', 'fund pay (yuan)'];
  const rows = report.scopes.filter((s) => s.level === 'city' || s.level === 'county').map((s) => {
    const i = s.indicators;
    return [s.name, pct(i.contracting), pct(i.registered), pct(i.standardised_management.hypertension), pct(i.standardised_management.diabetes),
      pct(i.control.hypertension), pct(i.control.diabetes), pct(i.grassroots_visits), formatYuan(i.fund_spending.fund_pay_fen)];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
  return { exitCode: 0, lines: [`Indicators ${report.period.start} – ${report.period.end} (definitions ${report.version})`, line(head), ...rows.map(line)] };
}
