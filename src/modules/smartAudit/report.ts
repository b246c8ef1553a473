// What `manbing audit run` prints, built here so the CLI and the running server's control channel
// (which runs it when the server holds the embedded database) answer the same: the range checked,
// the day or days audited, and either {"date", "findings", "run"} as JSON or a table per rule.
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { addDays, daysBetween, type IsoDate, isIsoDate } from '../../engine/calendar';
import { formatYuan } from '../../engine/money';
import { auditDate, auditRange, findingsOfDate } from './run';
import { syncAuditRules } from './rules';

export interface AuditRunOptions {
  date?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

/** The range the options name, or the reason they name none. Checked before anything is opened or written. */
export function auditRangeOf(o: AuditRunOptions): { error: string } | { from: IsoDate; to: IsoDate } {
  const bad = (name: string, v: string) => `--${name} must be a calendar date YYYY-MM-DD, got "${v}"`;
  if (o.date !== undefined) {
    if (o.from !== undefined || o.to !== undefined) return { error: 'give --date, or --from and --to, not both' };
    return isIsoDate(o.date) ? { from: o.date, to: o.date } : { error: bad('date', o.date) };
  }
  if (o.from === undefined || o.to === undefined) return { error: 'give --date YYYY-MM-DD (or --from and --to for a range)' };
  if (!isIsoDate(o.from)) return { error: bad('from', o.from) };
  if (!isIsoDate(o.to)) return { error: bad('to', o.to) };
  if (o.to < o.from) return { error: `--to (${o.to}) is before --from (${o.from})` };
  if (daysBetween(o.from, o.to) > 366) return { error: 'a range is at most 367 days (a year’s re-audit)' };
  return { from: o.from, to: o.to };
}

/** Audits the range as `actor` (the console's operator) and answers the lines to print. */
export async function auditRunReport(ctx: Pick<AppContext, 'db' | 'now' | 'policies'>, actor: Actor, range: { from: IsoDate; to: IsoDate }, json: boolean): Promise<string[]> {
  const started = Date.now();
  const runs = range.from === range.to
    ? await auditDate(ctx, { date: range.from, trigger: 'cli' }).then((r) => ({ days: [r.run], backfilled: r.backfilled }))
    : { days: await auditRange(ctx, { from: range.from, to: range.to, trigger: 'cli' }), backfilled: [] as string[] };
  const last = runs.days[runs.days.length - 1];
  await writeAudit(ctx.db, actor, [{ action: 'create', entity: 'smartAudit.run', entityId: last.runId, detail: { from: range.from, to: range.to, backfilled: runs.backfilled } }]);
  const ms = Date.now() - started;
  if (json) {
    const findings = await findingsOfDate(ctx.db, last.date, last.runId);
    return [JSON.stringify({
      date: last.date, findings,
      run: { id: last.runId, claims_checked: last.claimsChecked, prescriptions_checked: last.prescriptionsChecked, findings_total: last.findingsTotal, findings_new: last.findingsNew, rule_versions: last.ruleVersions, backfilled: runs.backfilled, ms },
      ...(range.from !== range.to ? { days: runs.days.map((d) => ({ date: d.date, run_id: d.runId, claims_checked: d.claimsChecked, findings_total: d.findingsTotal, findings_new: d.findingsNew })) } : {}),
    })];
  }
  const rules = await syncAuditRules(ctx.db);
  const rows = new Map<string, { n: number; fresh: number; fen: number }>();
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
    const run = runs.days.find((r) => r.date === d)!;
    for (const f of await findingsOfDate(ctx.db, d, run.runId)) {
      const r = rows.get(f.rule) ?? { n: 0, fresh: 0, fen: 0 };
      rows.set(f.rule, r);
      r.n++;
      if (f.new) r.fresh++;
      r.fen += f.amount_fen;
    }
  }
  const claims = runs.days.reduce((s, r) => s + r.claimsChecked, 0);
  const rx = runs.days.reduce((s, r) => s + r.prescriptionsChecked, 0);
  const lines = [
    `Smart audit ${range.from === range.to ? range.from : `${range.from} – ${range.to}`}: ${claims} claims and ${rx} prescriptions checked in ${ms} ms${runs.backfilled.length ? ` (first the unaudited days ${runs.backfilled[0]} – ${runs.backfilled[runs.backfilled.length - 1]})` : ''}.`,
    `${'rule'.padEnd(34)}${'findings'.padStart(9)}${'new'.padStart(6)}${'at stake (yuan)'.padStart(17)}  title`,
  ];
  let total = { n: 0, fresh: 0, fen: 0 };
  for (const [code, rule] of rules) {
    const r = rows.get(code) ?? { n: 0, fresh: 0, fen: 0 };
    total = { n: total.n + r.n, fresh: total.fresh + r.fresh, fen: total.fen + r.fen };
    lines.push(`${code.padEnd(34)}${String(r.n).padStart(9)}${String(r.fresh).padStart(6)}${formatYuan(r.fen).padStart(17)}  ${rule.titleZh}`);
  }
  lines.push(`${'total'.padEnd(34)}${String(total.n).padStart(9)}${String(total.fresh).padStart(6)}${formatYuan(total.fen).padStart(17)}`);
  return lines;
}
