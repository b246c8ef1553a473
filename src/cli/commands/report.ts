// `manbing report quarterly --year 2026 --quarter 3 [--county 330402] --out q3.xlsx [--format xlsx|csv|json]`:
// the quarterly workbook (季报表) of a county, or of the city, written to a file (docs/reports.md) — the same
// file GET /api/reports/quarterly answers. The format is the file's extension unless --format names it.
// Bad options exit with code 2 before anything is opened; a county not of the city or a quarter not begun
// exits 2 before anything is written. While `manbing start` holds the embedded database the running
// server makes the file (its control channel) and this writes it.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { Database } from '../../db/connect';
import type { QuarterlyOptions } from '../../modules/reports/console';

/** Writes the file whole or not at all: beside the target, then renamed. */
async function writeWhole(out: string, bytes: Buffer) {
  const { rename, writeFile } = await import('node:fs/promises');
  const partial = `${out}.${process.pid}.partial`;
  await writeFile(partial, bytes, { mode: 0o640 });
  await rename(partial, out);
}

/** The command's work on an open database; answers the exit code. The CLI test calls it as the CLI does. */
export async function reportQuarterlyCommand(db: Database, o: QuarterlyOptions, now: Date, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const { quarterlyFile } = await import('../../modules/reports/console');
  const { consoleActor } = await import('../../core/audit');
  const answer = await quarterlyFile(db, consoleActor(userInfo().username), o, now);
  if (answer.bytes) await writeWhole(o.out!, answer.bytes);
  for (const line of answer.lines) (answer.exitCode ? printError : print)(line);
  return answer.exitCode;
}

/** The same asked of the server that holds the data dir; answers the exit code, or null when none runs. */
async function onServer(dataDir: string, o: QuarterlyOptions): Promise<number | null> {
  const { askServer, isAlive, readServerFile } = await import('../serverFile');
  const server = readServerFile(dataDir);
  if (!server || server.port === null || !isAlive(server.pid)) return null;
  const { REPORT_PATH } = await import('../../server/control');
  const response = await askServer(server, dataDir, REPORT_PATH, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...o, osUser: userInfo().username }),
  });
  const answer = (await response.json().catch(() => ({}))) as { exitCode?: number; lines?: string[]; fileBase64?: string; detail?: string };
  if (response.status !== 200 || !answer.lines) throw new Error(`The server refused (${response.status}${answer.detail ? `: ${answer.detail}` : ''})`);
  if (answer.fileBase64 !== undefined) await writeWhole(o.out!, Buffer.from(answer.fileBase64, 'base64'));
  for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
  return answer.exitCode ?? 1;
}

export function registerReport(program: Command) {
  const report = program.command('report').description('Reports for the health commission and the insurance agency');
  report
    .command('quarterly')
    .description('The quarterly workbook (季报表) of a county or the city: 城乡居民医保 and 职工医保, a sheet per table')
    .requiredOption('--year <year>', 'the calendar year')
    .requiredOption('--quarter <n>', '1–4')
    .option('--county <code>', 'one county (6-digit code); omitted: the whole city, a row per county')
    .requiredOption('--out <file>', 'the file to write: .xlsx, .csv (UTF-8 with BOM) or .json')
    .option('--format <format>', 'xlsx, csv or json; default: the --out file’s extension')
    .action(async (options: QuarterlyOptions) => {
      const { quarterlyOptionsOf } = await import('../../modules/reports/console');
      const checked = quarterlyOptionsOf(options);
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
      const connection = await openForCommand(config);
      try {
        process.exitCode = await reportQuarterlyCommand(connection.db, options, new Date(), (l) => console.log(l), (l) => console.error(l));
      } finally {
        await connection.close();
      }
    });
}
