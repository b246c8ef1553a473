// The daily reminder job: patients due in the next 7 days (due_soon) and those overdue (overdue) get a
// reminder through a NotificationChannel. The reminder table is the ledger: UNIQUE (person, due date,
// kind) is claimed before anything is sent, so a second run on the same day — or a run from the CLI
// while the in-process scheduler also runs — never reminds anyone twice for the same due date.
//
// Scheduling: an in-process timer (startReminderScheduler) started when the server listens; each tick
// claims today's row in job_run, so one run a day across restarts. pg-boss was not added: it is built to
// own a node-postgres pool and poll its tables, while the embedded deployment has one shared PGlite session.
import { sql } from 'kysely';
import { addDays, daysBetween, shanghaiDate, type IsoDate } from '../../engine/calendar';
import { ROUTINE_INTERVAL_MONTHS } from '../../engine/followup/schedule';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { claimJobDay, startPeriodicJob } from '../../core/dailyJob';

export interface ReminderMessage {
  personId: string;
  name: string;
  phone: string | null;
  kind: 'due_soon' | 'overdue';
  dueDate: IsoDate;
  text: string;
}

/** Where reminders go. `send` answers, per message and in order, whether it was delivered. */
export interface NotificationChannel {
  readonly name: string; // stored with each reminder: [a-z_]
  send(messages: ReminderMessage[]): Promise<boolean[]>;
}

/**
 * The default channel: the reminder row itself is the delivery — the patient's page (GET
 * /api/people/me/reminders) and the chart show it. An SMS gateway implements `send` and is passed in.
 */
export const databaseChannel: NotificationChannel = {
  name: 'database',
  send: async (messages) => messages.map(() => true),
};

export const REMINDER_WINDOW_DAYS = 7;
const BATCH = 1000;

export function reminderText(m: Omit<ReminderMessage, 'text'>, today: IsoDate): string {
  if (m.kind === 'overdue')
    return `【慢病随访提醒】${m.name}您好，您的慢病随访已于${m.dueDate}到期（已逾期${daysBetween(m.dueDate, today)}天），请尽快联系您的家庭医生团队安排随访。`;
  const days = daysBetween(today, m.dueDate);
  return `【慢病随访提醒】${m.name}您好，您的慢病随访将于${m.dueDate}到期（${days === 0 ? '今天' : `${days}天后`}），请按时到签约机构随访。`;
}

export interface ReminderRunResult {
  date: IsoDate;
  candidates: number;
  created: number;
  sent: number;
  failed: number;
}

/**
 * Patients with an active contract due by today + 6 days and not yet reminded for that due date and kind.
 * Never seen: due the engine's routine interval after the contract started (the same rule as the worklist).
 */
function candidates(db: Database, today: IsoDate) {
  const due = sql<string>`coalesce(s.due_date, (c.start_date + make_interval(months => ${ROUTINE_INTERVAL_MONTHS}::int))::date)`;
  return sql<{ person_id: string; name: string; phone: string | null; due_date: string; kind: 'due_soon' | 'overdue' }>`
    select c.person_id, p.name, p.phone, ${due} as due_date,
      case when ${due} < ${today}::date then 'overdue' else 'due_soon' end as kind
    from contract c
    join person p on p.id = c.person_id
    left join followup_state s on s.person_id = c.person_id
    where c.status = 'active' and c.end_date >= ${today}::date
      and ${due} <= ${addDays(today, REMINDER_WINDOW_DAYS - 1)}::date
      and exists (select 1 from person_condition pc where pc.person_id = c.person_id and pc.disease_code in ('hypertension', 'diabetes'))
      and not exists (select 1 from followup_reminder r where r.person_id = c.person_id and r.due_date = ${due}
                      and r.kind = case when ${due} < ${today}::date then 'overdue' else 'due_soon' end)
    order by c.person_id
  `.execute(db);
}

export async function runReminders(ctx: Pick<AppContext, 'db' | 'now'>, today: IsoDate = shanghaiDate(ctx.now()), channel: NotificationChannel = databaseChannel): Promise<ReminderRunResult> {
  const rows = (await candidates(ctx.db, today)).rows;
  const result: ReminderRunResult = { date: today, candidates: rows.length, created: 0, sent: 0, failed: 0 };
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH).map((r) => {
      const m = { personId: r.person_id, name: r.name, phone: r.phone, kind: r.kind, dueDate: r.due_date };
      return { ...m, text: reminderText(m, today) };
    });
    // claim first: only the rows this run inserted are sent
    const claimed = await ctx.db
      .insertInto('followup_reminder')
      .values(batch.map((m) => ({ person_id: m.personId, kind: m.kind, due_date: m.dueDate, channel: channel.name, message: m.text, created_at: ctx.now() })))
      .onConflict((oc) => oc.columns(['person_id', 'due_date', 'kind']).doNothing())
      .returning(['id', 'person_id', 'due_date', 'kind'])
      .execute();
    const key = (p: string, d: string, k: string) => `${p}|${d}|${k}`;
    const ids = new Map(claimed.map((c) => [key(c.person_id, c.due_date, c.kind), c.id]));
    const toSend = batch.filter((m) => ids.has(key(m.personId, m.dueDate, m.kind)));
    result.created += toSend.length;
    let delivered: boolean[];
    try {
      delivered = await channel.send(toSend);
    } catch {
      delivered = toSend.map(() => false);
    }
    const failed = toSend.filter((_, j) => !delivered[j]).map((m) => ids.get(key(m.personId, m.dueDate, m.kind))!);
    if (failed.length) await ctx.db.updateTable('followup_reminder').set({ status: 'failed' }).where('id', 'in', failed).execute();
    result.failed += failed.length;
    result.sent += toSend.length - failed.length;
  }
  await ctx.db
    .insertInto('job_run')
    .values({ job: 'reminders', run_date: today, started_at: ctx.now(), result: JSON.stringify(result) })
    .onConflict((oc) => oc.columns(['job', 'run_date']).doUpdateSet({ result: JSON.stringify(result) }))
    .execute();
  return result;
}

/**
 * Runs the reminder job once a day (Asia/Shanghai date of ctx.now()), checking every `everyMs`.
 * The job_run row is claimed before running, so two servers on one database run it once.
 */
export function startReminderScheduler(ctx: Pick<AppContext, 'db' | 'now'>, options: { everyMs?: number; channel?: NotificationChannel; onError?: (e: unknown) => void } = {}) {
  return startPeriodicJob(async () => {
    const today = shanghaiDate(ctx.now());
    if (await claimJobDay(ctx.db, 'reminders', today, ctx.now())) await runReminders(ctx, today, options.channel);
  }, options);
}
