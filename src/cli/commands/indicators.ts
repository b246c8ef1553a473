// `manbing indicators --year 2026 [--quarter 3] [--county 330402] [--json]`: a period's indicators for the
// city, its counties, institutions and teams (docs/indicators.md). With --json one object, exactly as
// GET /api/indicators answers; without, a table of the counties' rates. Bad options: exit code 2 before
// anything is opened. While `manbing start` holds the embedded database the running server answers.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { IndicatorsOptions } from '../../modules/indicators/console';

async function onServer(dataDir: string, o: IndicatorsOptions): Promise<number | null> {
  const { askServer, isAlive, readServerFile } = await import('../serverFile');
  const server = readServerFile(dataDir);
  if (!server || server.port === null || !isAlive(server.pid)) return null;
  const { INDICATORS_PATH } = await import('../../server/control');
  const response = await askServer(server, dataDir, INDICATORS_PATH, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...o, json: o.json === true, osUser: userInfo().username }),
  });
  const answer = (await response.json().catch(() => ({}))) as { exitCode?: number; lines?: string[]; detail?: string };
  if (response.status !== 200 || !answer.lines) throw new Error(`The server refused (${response.status}${answer.detail ? `: ${answer.detail}` : ''})`);
  for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
  return answer.exitCode ?? 1;
}

export function registerIndicators(program: Command) {
  program
    .command('indicators')
    .description('The indicators of a quarter or a year: contracting, registration, standardised management, control, grassroots visits, fund spending')
    .requiredOption('--year <year>', 'the calendar year')
    .option('--quarter <n>', '1–4; omitted: the whole year (to date while it runs)')
    .option('--county <code>', 'one county (6-digit code); omitted: the whole city')
    .option('--json', 'print the report as one JSON object')
    .action(async (options: IndicatorsOptions) => {
      const { indicatorsQueryOf, indicatorsLines } = await import('../../modules/indicators/console');
      const checked = indicatorsQueryOf(options);
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
        const answer = await indicatorsLines(connection.db, consoleActor(userInfo().username), options, new Date());
        for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
        process.exitCode = answer.exitCode;
      } finally {
        await connection.close();
      }
    });
}
