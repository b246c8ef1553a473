// A console command that prints lines (`manbing indicators`, `manbing payments`): the running server answers
// it while it holds the embedded database (its control channel), else the command opens the database itself.
// Either way the same function makes the lines, so the two print the same; the exit code is the lines'.
import { userInfo } from 'node:os';
import { consoleActor, type Actor } from '../core/audit';
import type { Database } from '../db/connect';

export type Lines = (db: Database, actor: Actor, now: Date) => Promise<{ exitCode: number; lines: string[] }>;

/** The server's answer to the command, or null when no server holds the data dir. */
async function onServer(dataDir: string, path: string, body: object): Promise<number | null> {
  const { askServer, isAlive, readServerFile } = await import('./serverFile');
  const server = readServerFile(dataDir);
  if (!server || server.port === null || !isAlive(server.pid)) return null;
  const response = await askServer(server, dataDir, path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, osUser: userInfo().username }),
  });
  const answer = (await response.json().catch(() => ({}))) as { exitCode?: number; lines?: string[]; detail?: string };
  if (response.status !== 200 || !answer.lines) throw new Error(`The server refused (${response.status}${answer.detail ? `: ${answer.detail}` : ''})`);
  for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
  return answer.exitCode ?? 1;
}

/** Prints the command's lines, from the running server (`path`, with the options as `body`) or from the database; sets the exit code. */
export async function printLines(path: string, body: object, lines: Lines) {
  const { loadConfig } = await import('../config');
  const config = loadConfig();
  const served = config.DATABASE_URL ? null : await onServer(config.MANBING_DATA_DIR, path, body);
  if (served !== null) {
    process.exitCode = served;
    return;
  }
  const { openForCommand } = await import('./open');
  const connection = await openForCommand(config);
  try {
    const answer = await lines(connection.db, consoleActor(userInfo().username), new Date());
    for (const line of answer.lines) (answer.exitCode ? console.error : console.log)(line);
    process.exitCode = answer.exitCode;
  } finally {
    await connection.close();
  }
}
