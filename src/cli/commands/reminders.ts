// `manbing reminders run [--date YYYY-MM-DD]`: the daily follow-up reminder job, run by hand (the server
// also runs it once a day in-process). Safe to repeat: nobody is reminded twice for the same due date.
import type { Command } from 'commander';
import { isIsoDate } from '../../engine/calendar';

export function registerReminders(program: Command) {
  const reminders = program.command('reminders').description('Follow-up reminders for patients due within 7 days or overdue');
  reminders
    .command('run')
    .description('Create today’s reminders (or those of --date) through the default channel (the reminders table)')
    .option('--date <date>', 'the day to run for (YYYY-MM-DD, Asia/Shanghai); today by default', (v) => {
      if (!isIsoDate(v)) throw new Error(`--date must be YYYY-MM-DD, got "${v}"`);
      return v;
    })
    .action(async (options: { date?: string }) => {
      const { loadConfig } = await import('../../config');
      const { openForCommand: openDatabase } = await import('../open');
      const { shanghaiDate } = await import('../../engine/calendar');
      const { runReminders } = await import('../../modules/followups/reminders');
      const connection = await openDatabase(loadConfig());
      try {
        const started = Date.now();
        const date = options.date ?? shanghaiDate(new Date());
        const r = await runReminders({ db: connection.db, now: () => new Date() }, date);
        console.log(`Reminders for ${r.date}: ${r.candidates} due or overdue without a reminder, ${r.created} created, ${r.sent} sent, ${r.failed} failed (${Date.now() - started} ms).`);
      } finally {
        await connection.close();
      }
    });
}
