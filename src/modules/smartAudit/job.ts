// The nightly smart audit: once the Asia/Shanghai day has closed, yesterday's claims and
// prescriptions are audited (trigger 'nightly'). Like the reminder job (followups/reminders.ts), an
// in-process timer claims the day's row in job_run before running, so two servers on one database —
// or a restart — run each day once; the row keeps the run's result (or its error).
import { sql } from 'kysely';
import { addDays, shanghaiDate } from '../../engine/calendar';
import type { AppContext } from '../../core/context';
import { claimJobDay, startPeriodicJob } from '../../core/dailyJob';
import { auditDate } from './run';

export const AUDIT_JOB = 'smart_audit';

/** Audits yesterday (Shanghai) unless a server already did; answers the run, or null when it was done. */
export async function runNightlyAudit(ctx: Pick<AppContext, 'db' | 'now' | 'policies'>) {
  const date = addDays(shanghaiDate(ctx.now()), -1);
  if (!(await claimJobDay(ctx.db, AUDIT_JOB, date, ctx.now()))) return null;
  try {
    const result = await auditDate(ctx, { date, trigger: 'nightly' });
    await ctx.db.updateTable('job_run').set({ result: JSON.stringify({ runId: result.run.runId, findingsNew: result.run.findingsNew, findingsTotal: result.run.findingsTotal, backfilled: result.backfilled }) })
      .where('job', '=', AUDIT_JOB).where('run_date', '=', date).execute();
    return result;
  } catch (e) {
    // the day stays claimed with its error: the CLI (`manbing audit run --date`) runs it again by hand
    await ctx.db.updateTable('job_run').set({ result: JSON.stringify({ error: String((e as Error).message ?? e) }) })
      .where('job', '=', AUDIT_JOB).where('run_date', '=', date).execute().catch(() => undefined);
    throw e;
  }
}

/** Checks every `everyMs` (15 minutes) whether yesterday still needs its audit. */
export function startAuditScheduler(ctx: Pick<AppContext, 'db' | 'now' | 'policies'>, options: { everyMs?: number; onError?: (e: unknown) => void } = {}) {
  return startPeriodicJob(() => runNightlyAudit(ctx), options);
}

/** Job runs of the nightly audit, newest first (for the CLI and tests). */
export async function nightlyRuns(ctx: Pick<AppContext, 'db'>, limit = 30) {
  const { rows } = await sql<{ run_date: string; started_at: Date; result: unknown }>`
    select to_char(run_date, 'YYYY-MM-DD') as run_date, started_at, result from job_run where job = ${AUDIT_JOB} order by run_date desc limit ${limit}`.execute(ctx.db);
  return rows;
}
