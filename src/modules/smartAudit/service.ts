// The smart audit's use cases (智能审核, issue 15): the rules as an official reads them, starting a
// run for a service date, and the list of runs. The run itself (run.ts) is also what the CLI, the
// nightly job (job.ts) and the demo call; other modules reach it through this file.
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { type IsoDate, shanghaiDate } from '../../engine/calendar';
import { badRequest } from '../../core/problem';
import { auditDate, auditRange, findingsOfDate, type AuditTrigger, type DayRun, type FindingOut } from './run';
import { syncAuditRules } from './rules';

export { auditDate, auditRange, findingsOfDate, type AuditTrigger, type DayRun, type FindingOut };
export { startAuditScheduler, runNightlyAudit } from './job';
export { syncAuditRules };
export { auditRangeOf, auditRunReport, type AuditRunOptions } from './report';

export async function listRules(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'smartAudit.rules.read');
  const latest = await syncAuditRules(ctx.db);
  return [...latest.values()].map((r) => ({
    code: r.code, version: r.version, subject: r.subject, titleZh: r.titleZh, titleEn: r.titleEn, descriptionZh: r.descriptionZh, descriptionEn: r.descriptionEn,
    params: r.params, nationalRule: r.nationalRule, points: r.points, active: r.active,
  }));
}

/** A run started by hand (the system administrator; it reads every county's claims). */
export async function startRun(ctx: AppContext, actor: Actor, date: IsoDate, trigger: AuditTrigger = 'api') {
  await requireAccess(ctx, actor, 'smartAudit.run');
  // a day that has not closed yet has no complete claims to audit; nothing is written for it
  if (date > shanghaiDate(ctx.now())) throw badRequest('A service date after today cannot be audited yet', [{ field: 'body.date', rule: 'audit_date_not_closed', message: 'a date up to today' }]);
  const result = await auditDate(ctx, { date, trigger, startedBy: actor.user.id || null });
  await writeAudit(ctx.db, actor, [{ action: 'create', entity: 'smartAudit.run', entityId: result.run.runId, detail: { date, backfilled: result.backfilled, findingsNew: result.run.findingsNew } }]);
  return result;
}

const runView = (r: { id: string; service_date: string; trigger: string; started_at: Date; finished_at: Date | null; rule_versions: Record<string, number>; claims_checked: number; prescriptions_checked: number; findings_total: number; findings_new: number; started_by: string | null }) => ({
  id: r.id, date: r.service_date, trigger: r.trigger, startedAt: new Date(r.started_at).toISOString(), finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  ruleVersions: r.rule_versions, claimsChecked: r.claims_checked, prescriptionsChecked: r.prescriptions_checked, findingsTotal: r.findings_total, findingsNew: r.findings_new,
  startedBy: r.started_by,
});

export async function listRuns(ctx: AppContext, actor: Actor, q: { from?: IsoDate; to?: IsoDate; page: number }) {
  await requireAccess(ctx, actor, 'smartAudit.rules.read');
  const PAGE = 50;
  let query = ctx.db.selectFrom('audit_run').selectAll();
  if (q.from) query = query.where('service_date', '>=', q.from);
  if (q.to) query = query.where('service_date', '<=', q.to);
  const rows = await query.orderBy('service_date', 'desc').orderBy('started_at', 'desc').limit(PAGE + 1).offset((q.page - 1) * PAGE).execute();
  return { items: rows.slice(0, PAGE).map(runView), page: q.page, hasMore: rows.length > PAGE };
}

/** What a started run answers: the day's run and its findings counted by rule. */
export async function runSummary(ctx: AppContext, run: DayRun, backfilled: IsoDate[]) {
  const findings = await findingsOfDate(ctx.db, run.date, run.runId);
  const byRule: Record<string, { findings: number; new: number; amountFen: number }> = {};
  for (const f of findings) {
    const r = (byRule[f.rule] ??= { findings: 0, new: 0, amountFen: 0 });
    r.findings++;
    if (f.new) r.new++;
    r.amountFen += f.amount_fen;
  }
  return { run: { id: run.runId, date: run.date, claimsChecked: run.claimsChecked, prescriptionsChecked: run.prescriptionsChecked, findingsTotal: run.findingsTotal, findingsNew: run.findingsNew, ruleVersions: run.ruleVersions, startedAt: run.startedAt, finishedAt: run.finishedAt }, backfilled, byRule };
}
