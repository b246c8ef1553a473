// `manbing payments --year 2026 [--quarter 3] [--county 330402] [--json]`: each payment model's figures per
// provider (docs/payments.md), the run stored with its inputs; `--verify <run id>` recomputes a stored run.
// Bad options exit 2 before anything is opened. While `manbing start` holds the embedded database the
// running server answers.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { PaymentsOptions } from '../../modules/payments/console';

async function onServer(dataDir: string, o: PaymentsOptions): Promise<number | null> {
  const { askServer, isAlive, readServerFile } = await import('../serverFile');
  const server = readServerFile(dataDir);
  if (!server || server.port === null || !isAlive(server.pid)) return null;
  const { PAYMENTS_PATH } = await import('../../server/control');
  const response = await askServer(server, dataDir, PAYMENTS_PATH, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...o, json: o.json === true, osUser: userInfo().username }),
  });
  const answer = (await response.json().catch(() => ({}))) as { exitCode?: number; lines?: string[]; detail?: string };
  if (response.status !== 200 || !answer.lines) throw new Error(`The server refused (${response.status}${answer.detail ? `: ${answer.detail}` : ''})`);
  for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
  return answer.exitCode ?? 1;
}

export function registerPayments(program: Command) {
  program
    .command('payments')
    .description('Provider payment of a quarter or a year: capitation, the medical community’s total budget with Luohu’s saving, contract fees, work equivalents')
    .option('--year <year>', 'the calendar year')
    .option('--quarter <n>', '1–4; omitted: the whole year (to date while it runs)')
    .option('--county <code>', 'one county (6-digit code); omitted: the whole city')
    .option('--json', 'print the run as one JSON object, as GET /api/payments answers')
    .option('--verify <run>', 'recompute a stored run from its own inputs and compare the fen (exit 1 when they differ)')
    .action(async (options: PaymentsOptions) => {
      const { paymentsQueryOf, paymentsLines } = await import('../../modules/payments/console');
      const checked = paymentsQueryOf(options);
      if ('error' in checked) {
        console.error(checked.error);
        process.exitCode = 2;
        return;
      }
      const { loadConfig } = await import('../../config');
      const config = loadConfig();
      const served = config.DATABASE_URL ? null : await onServer(config.MANBING_DATA_DIR, options);
      if (served !== null) {
        process.exitCode = served;
        return;
      }
      const { openForCommand } = await import('../open');
      const { consoleActor } = await import('../../core/audit');
      const connection = await openForCommand(config);
      try {
        const answer = await paymentsLines(connection.db, consoleActor(userInfo().username), options, new Date());
        for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
        process.exitCode = answer.exitCode;
      } finally {
        await connection.close();
      }
    });
}
