// The running server's control channel: `manbing backup` asks it for a copy of the embedded database,
// `manbing audit run` asks it to run the smart audit, `manbing indicators`, `manbing report` and `manbing payments` for reports, because PGlite is single-process and another
// process must not open a data dir the server holds.
// Not under /api and hidden from the OpenAPI document; it answers only a connection from this machine,
// not relayed by a proxy, that carries the token `manbing start` wrote to server.json (mode 0600).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { consoleActor } from '../core/audit';
import type { AppContext } from '../core/context';
import type { Connection } from '../db/connect';
import { auditRangeOf, auditRunReport } from '../modules/smartAudit/service';
import { indicatorsLines } from '../modules/indicators/console';
import { quarterlyFile } from '../modules/reports/console';
import { paymentsLines } from '../modules/payments/console';
import { sendProblem } from './errors';

export const BACKUP_PATH = '/_control/backup';
export const AUDIT_RUN_PATH = '/_control/audit-run';
export const INDICATORS_PATH = '/_control/indicators';
export const REPORT_PATH = '/_control/report-quarterly';
export const PAYMENTS_PATH = '/_control/payments';

const auditRunBody = z.object({ date: z.string().optional(), from: z.string().optional(), to: z.string().optional(), json: z.boolean().optional(), osUser: z.string().min(1).max(64) });
const reportBody = z.object({ year: z.string().optional(), quarter: z.string().optional(), county: z.string().optional(), out: z.string().optional(), format: z.string().optional(), osUser: z.string().min(1).max(64) });
const paymentsBody = z.object({ year: z.string().optional(), quarter: z.string().optional(), county: z.string().optional(), json: z.boolean().optional(), verify: z.string().optional(), osUser: z.string().min(1).max(64) });
const indicatorsBody = z.object({ year: z.string().optional(), quarter: z.string().optional(), county: z.string().optional(), json: z.boolean().optional(), osUser: z.string().min(1).max(64) });

export interface ControlChannel {
  token: string;
  /** A gzipped tarball of the data dir at one instant. */
  backup(): Promise<Blob>;
}

/** The channel over an embedded connection; none for a PostgreSQL server (pg_dump is the tool there). */
export function controlChannel(token: string, connection: Connection): ControlChannel | undefined {
  // openDatabase's type hides the PGlite handle that its embedded connection carries
  const pglite = (connection as Connection & { pglite?: PGlite }).pglite;
  if (connection.kind !== 'pglite' || !pglite) return undefined;
  return {
    token,
    // Taken as the one session's holder, so no transaction is open and no statement runs meanwhile;
    // the checkpoint writes every committed page to the files, so the copy opens without replaying WAL.
    backup: () =>
      connection.db.connection().execute(async (session) => {
        await sql`checkpoint`.execute(session);
        return pglite.dumpDataDir('gzip');
      }),
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function refusal(request: FastifyRequest, token: string): string | null {
  const { remoteAddress, localAddress } = request.socket;
  // the TCP peer, not request.ip: X-Forwarded-For must not make a stranger look local
  const local = !!remoteAddress && (/^(::ffff:)?127\./.test(remoteAddress) || remoteAddress === '::1' || remoteAddress === localAddress);
  if (!local || request.headers['x-forwarded-for'] || request.headers.forwarded) return 'Only this machine may use the control channel';
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) ? null : 'Wrong or missing token (see server.json in the data directory)';
}

export function controlRoutes(channel: ControlChannel, ctx: AppContext) {
  return async (app: FastifyInstance) => {
    // answers {exitCode, lines}: what the command prints, as it would have printed it itself
    app.post(AUDIT_RUN_PATH, { schema: { hide: true } }, async (request, reply) => {
      const refused = refusal(request, channel.token);
      if (refused) return sendProblem(reply, 403, 'Forbidden', refused);
      const body = auditRunBody.safeParse(request.body);
      if (!body.success) return sendProblem(reply, 400, 'Bad Request', 'The body is {date | from, to, json, osUser}');
      const range = auditRangeOf(body.data);
      if ('error' in range) return { exitCode: 2, lines: [range.error] };
      const lines = await auditRunReport(ctx, consoleActor(body.data.osUser), range, body.data.json === true);
      request.log.info({ from: range.from, to: range.to }, 'smart audit run from the console');
      return { exitCode: 0, lines };
    });

    app.post(INDICATORS_PATH, { schema: { hide: true } }, async (request, reply) => {
      const refused = refusal(request, channel.token);
      if (refused) return sendProblem(reply, 403, 'Forbidden', refused);
      const body = indicatorsBody.safeParse(request.body);
      if (!body.success) return sendProblem(reply, 400, 'Bad Request', 'The body is {year, quarter, county, json, osUser}');
      const { osUser, ...options } = body.data;
      return indicatorsLines(ctx.db, consoleActor(osUser), options, ctx.now());
    });

    app.post(PAYMENTS_PATH, { schema: { hide: true } }, async (request, reply) => {
      const refused = refusal(request, channel.token);
      if (refused) return sendProblem(reply, 403, 'Forbidden', refused);
      const body = paymentsBody.safeParse(request.body);
      if (!body.success) return sendProblem(reply, 400, 'Bad Request', 'The body is {year, quarter, county, json, verify, osUser}');
      const { osUser, ...options } = body.data;
      return paymentsLines(ctx.db, consoleActor(osUser), options, ctx.now());
    });

    app.post(REPORT_PATH, { schema: { hide: true } }, async (request, reply) => {
      const refused = refusal(request, channel.token);
      if (refused) return sendProblem(reply, 403, 'Forbidden', refused);
      const body = reportBody.safeParse(request.body);
      if (!body.success) return sendProblem(reply, 400, 'Bad Request', 'The body is {year, quarter, county, out, format, osUser}');
      const { osUser, ...options } = body.data;
      const { bytes, ...answer } = await quarterlyFile(ctx.db, consoleActor(osUser), options, ctx.now());
      return { ...answer, ...(bytes ? { fileBase64: bytes.toString('base64') } : {}) };
    });

    app.get(BACKUP_PATH, { schema: { hide: true } }, async (request, reply) => {
      const refused = refusal(request, channel.token);
      if (refused) return sendProblem(reply, 403, 'Forbidden', refused);
      const dump = await channel.backup();
      request.log.info({ bytes: dump.size }, 'database backup taken');
      return reply
        .type('application/gzip')
        .header('cache-control', 'no-store')
        .header('content-length', dump.size)
        .send(Readable.fromWeb(dump.stream() as WebReadableStream));
    });
  };
}
