// `manbing audit run --date YYYY-MM-DD [--json]` (or `--from … --to …` for a re-audit): the smart audit
// of a service date, as the nightly job runs it. Without --json a table per rule; with --json
// {"date", "findings": [...], "run": {...}} — every finding of that date, `new` false on a second run.
// A bad date is refused with exit code 2 before anything is opened or written.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { AppContext } from '../../core/context';
import { addDays, daysBetween, isIsoDate } from '../../engine/calendar';
import { formatYuan } from '../../engine/money';

export interface AuditRunOptions {
  date?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

/** What the command checks before opening the database: an error text, or the range to audit. */
export function auditRangeOf(o: AuditRunOptions): { error: string } | { from: string; to: string } {
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

/** The command's work on an open context; answers the exit code. The CLI test calls it as the CLI does. */
export async function auditRunCommand(ctx: Pick<AppContext, 'db' | 'now' | 'policies'>, o: AuditRunOptions, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const range = auditRangeOf(o);
  if ('error' in range) {
    printError(range.error);
    return 2;
  }
  const { auditDate, auditRange, findingsOfDate, syncAuditRules } = await import('../../modules/smartAudit/service');
  const { writeAudit, consoleActor } = await import('../../core/audit');
  const started = Date.now();
  const runs = range.from === range.to
    ? await auditDate(ctx, { date: range.from, trigger: 'cli' }).then((r) => ({ days: [r.run], backfilled: r.backfilled }))
    : { days: await auditRange(ctx, { from: range.from, to: range.to, trigger: 'cli' }), backfilled: [] as string[] };
  await writeAudit(ctx.db, consoleActor(userInfo().username), [{ action: 'create', entity: 'smartAudit.run', entityId: runs.days[runs.days.length - 1].runId, detail: { from: range.from, to: range.to, backfilled: runs.backfilled } }]);
  const ms = Date.now() - started;
  if (o.json) {
    const run = runs.days[runs.days.length - 1];
    const findings = await findingsOfDate(ctx.db, run.date, run.runId);
    print(JSON.stringify({
      date: run.date, findings,
      run: { id: run.runId, claims_checked: run.claimsChecked, prescriptions_checked: run.prescriptionsChecked, findings_total: run.findingsTotal, findings_new: run.findingsNew, rule_versions: run.ruleVersions, backfilled: runs.backfilled, ms },
      ...(range.from !== range.to ? { days: runs.days.map((d) => ({ date: d.date, run_id: d.runId, claims_checked: d.claimsChecked, findings_total: d.findingsTotal, findings_new: d.findingsNew })) } : {}),
    }));
    return 0;
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
  print(`Smart audit ${range.from === range.to ? range.from : `${range.from} – ${range.to}`}: ${claims} claims and ${rx} prescriptions checked in ${ms} ms${runs.backfilled.length ? ` (first the unaudited days ${runs.backfilled[0]} – ${runs.backfilled[runs.backfilled.length - 1]})` : ''}.`);
  print(`${'rule'.padEnd(34)}${'findings'.padStart(9)}${'new'.padStart(6)}${'at stake (yuan)'.padStart(17)}  title`);
  let total = { n: 0, fresh: 0, fen: 0 };
  for (const [code, rule] of rules) {
    const r = rows.get(code) ?? { n: 0, fresh: 0, fen: 0 };
    total = { n: total.n + r.n, fresh: total.fresh + r.fresh, fen: total.fen + r.fen };
    print(`${code.padEnd(34)}${String(r.n).padStart(9)}${String(r.fresh).padStart(6)}${formatYuan(r.fen).padStart(17)}  ${rule.titleZh}`);
  }
  print(`${'total'.padEnd(34)}${String(total.n).padStart(9)}${String(total.fresh).padStart(6)}${formatYuan(total.fen).padStart(17)}`);
  return 0;
}

export function registerAudit(program: Command) {
  const audit = program.command('audit').description('Smart audit (智能审核) of claims and prescriptions after the event');
  audit
    .command('run')
    .description('Audit one service date (as the nightly job does), or a range for a re-audit; safe to repeat: nothing is found twice')
    .option('--date <date>', 'the service date (YYYY-MM-DD)')
    .option('--from <date>', 'first service date of a range')
    .option('--to <date>', 'last service date of a range')
    .option('--json', 'print {"date", "findings", "run"} as JSON')
    .action(async (options: AuditRunOptions) => {
      if ('error' in auditRangeOf(options)) {
        console.error((auditRangeOf(options) as { error: string }).error);
        process.exitCode = 2;
        return;
      }
      const { loadConfig } = await import('../../config');
      const { openWithCatalogues } = await import('../open');
      const { PolicyBook } = await import('../../core/policyBook');
      const connection = await openWithCatalogues(loadConfig());
      try {
        process.exitCode = await auditRunCommand({ db: connection.db, now: () => new Date(), policies: PolicyBook.load() }, options, (l) => console.log(l), (l) => console.error(l));
      } finally {
        await connection.close();
      }
    });
}
