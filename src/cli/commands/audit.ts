// `manbing audit run --date YYYY-MM-DD [--json]` (or `--from … --to …` for a re-audit): the smart audit
// of a service date, as the nightly job runs it. Without --json a table per rule; with --json
// {"date", "findings": [...], "run": {...}} — every finding of that date, `new` false on a second run.
// A bad date is refused with exit code 2 before anything is opened or written. While `manbing start`
// holds the embedded database the running server does the work (its control channel), as for a backup.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { AppContext } from '../../core/context';
import type { AuditRunOptions } from '../../modules/smartAudit/report';

/** The command's work on an open context; answers the exit code. The CLI test calls it as the CLI does. */
export async function auditRunCommand(ctx: Pick<AppContext, 'db' | 'now' | 'policies'>, o: AuditRunOptions, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const { auditRangeOf, auditRunReport } = await import('../../modules/smartAudit/service');
  const range = auditRangeOf(o);
  if ('error' in range) {
    printError(range.error);
    return 2;
  }
  const { consoleActor } = await import('../../core/audit');
  for (const line of await auditRunReport(ctx, consoleActor(userInfo().username), range, o.json === true)) print(line);
  return 0;
}

/** The same command handed to the server that holds the data dir; answers the exit code. */
async function auditOnServer(dataDir: string, o: AuditRunOptions): Promise<number | null> {
  const { askServer, isAlive, readServerFile } = await import('../serverFile');
  const server = readServerFile(dataDir);
  // none, or one opening the database or taking a backup: the claim below then names it or takes the dir
  if (!server || server.port === null || !isAlive(server.pid)) return null;
  const { AUDIT_RUN_PATH } = await import('../../server/control');
  const response = await askServer(server, dataDir, AUDIT_RUN_PATH, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...o, json: o.json === true, osUser: userInfo().username }),
  });
  const answer = (await response.json().catch(() => ({}))) as { exitCode?: number; lines?: string[]; detail?: string };
  if (response.status !== 200 || !answer.lines) throw new Error(`The server refused the audit run (${response.status}${answer.detail ? `: ${answer.detail}` : ''})`);
  for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
  return answer.exitCode ?? 1;
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
      const { auditRangeOf } = await import('../../modules/smartAudit/service');
      const range = auditRangeOf(options);
      if ('error' in range) {
        console.error(range.error);
        process.exitCode = 2;
        return;
      }
      const { loadConfig } = await import('../../config');
      const config = loadConfig();
      const onServer = config.DATABASE_URL ? null : await auditOnServer(config.MANBING_DATA_DIR, options);
      if (onServer !== null) {
        process.exitCode = onServer;
        return;
      }
      const { openForCommand } = await import('../open');
      const { PolicyBook } = await import('../../core/policyBook');
      const connection = await openForCommand(config);
      try {
        process.exitCode = await auditRunCommand({ db: connection.db, now: () => new Date(), policies: PolicyBook.load() }, options, (l) => console.log(l), (l) => console.error(l));
      } finally {
        await connection.close();
      }
    });
}
