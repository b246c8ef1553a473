// The daily jobs' shared mechanics (follow-up reminders, referral upkeep, the nightly smart audit): a
// day is claimed in job_run before its work runs, so two servers on one database — or a restart — do
// each day once; an in-process timer checks every few minutes whether today's work is still to do.
import type { Database } from '../db/connect';

/** Claims (job, day) in job_run; false when a server already claimed it. */
export async function claimJobDay(db: Database, job: string, day: string, at: Date): Promise<boolean> {
  const claimed = await db.insertInto('job_run').values({ job, run_date: day, started_at: at })
    .onConflict((oc) => oc.columns(['job', 'run_date']).doNothing()).returning('run_date').executeTakeFirst();
  return !!claimed;
}

/** Runs `work` now and every `everyMs` (15 minutes); a tick already under way is joined, not repeated. */
export function startPeriodicJob(work: () => Promise<unknown>, options: { everyMs?: number; onError?: (e: unknown) => void } = {}) {
  let inflight: Promise<void> | null = null;
  const run = async () => {
    try {
      await work();
    } catch (e) {
      options.onError?.(e);
    }
  };
  const tick = (): Promise<void> => (inflight ??= run().finally(() => { inflight = null; }));
  const timer = setInterval(() => void tick(), options.everyMs ?? 15 * 60_000);
  timer.unref();
  void tick();
  return { tick, stop: () => clearInterval(timer) };
}
