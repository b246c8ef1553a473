// The admin screen's uploads (issue 13): the file travels as base64 inside JSON, as the consent form
// does (src/modules/contracts), its type told by content. `dryRun: true` answers what would be done
// and every refused line, writing nothing, so the screen can show the problems before committing.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context';
import { actorOf } from '../../core/http';
import { AppError, problemSchema } from '../../core/problem';
import { DIAGNOSIS_COLUMNS, importDiagnoses, importRoster, ROSTER_COLUMNS, type ImportReport } from './service';

/** Through the screen a file is at most 32 MiB (a CSV of about 300,000 roster lines); a larger one goes through `manbing import`. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
const BODY_LIMIT = Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 64 * 1024;
/** Problems listed in one answer; `problemsTotal` counts them all (a wrong file can refuse every line). */
export const MAX_LISTED = 5_000;

/** A file the server cannot read: its rule at body.file, and for a wrong header (rule `header`) the columns, for the client to word. */
const fileProblemSchema = problemSchema
  .extend({
    errors: z
      .array(
        z.object({
          field: z.string(),
          rule: z.string(),
          message: z.string(),
          columns: z
            .object({
              expected: z.array(z.string()).describe('the columns the header must name'),
              missing: z.array(z.string()).describe('expected columns the header lacks'),
              unknown: z.array(z.string()).describe('columns not expected (misspelt, extra; an empty string for an empty one), lower case'),
              repeated: z.array(z.string()).describe('columns named more than once'),
            })
            .optional()
            .describe('rule header only'),
        }),
      )
      .optional(),
  })
  .meta({ id: 'ImportFileProblem' });

const errors = { 400: fileProblemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 413: problemSchema, 415: fileProblemSchema };

const uploadSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).describe('the file name, kept in the audit log'),
  contentBase64: z.base64().describe(`the file: .xlsx (its first worksheet) or CSV in UTF-8, told by content; at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`),
  dryRun: z.boolean().default(false).describe('check and count only; nothing is written'),
  strict: z.boolean().default(false).describe('write nothing when any line is refused (by default the good lines are written)'),
});

const reportSchema = z
  .object({
    importId: z.uuid(),
    kind: z.enum(['roster', 'diagnoses']),
    format: z.enum(['csv', 'xlsx']),
    dryRun: z.boolean(),
    written: z.boolean().describe('false for a dry run, or a strict import with a refused line'),
    lines: z.number().int().describe('data lines in the file'),
    summary: z.object({ added: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), refused: z.number().int() }),
    problems: z.array(z.object({ line: z.number().int(), field: z.string(), rule: z.string(), message: z.string(), messageZh: z.string() })),
    problemsTotal: z.number().int(),
  })
  .meta({ id: 'ImportReport' });

function bytesOf(contentBase64: string): Buffer {
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length > MAX_IMPORT_BYTES) {
    const message = `the file is ${bytes.length} bytes; at most ${MAX_IMPORT_BYTES} (32 MiB) through the screen — import a larger one with \`manbing import\``;
    throw new AppError(413, 'Payload Too Large', message, [{ field: 'body.contentBase64', rule: 'max_size', message }]);
  }
  return bytes;
}

const answer = (r: ImportReport) => ({
  importId: r.importId, kind: r.kind, format: r.format, dryRun: r.dryRun, written: r.written, lines: r.lines, summary: r.summary,
  problems: r.problems.slice(0, MAX_LISTED).map((p) => ({ line: p.line, field: p.field, rule: p.rule, message: p.en, messageZh: p.zh })),
  problemsTotal: r.problems.length,
});

export function rosterRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/admin/imports/roster', {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: `Import the insurance agency's roster of insured persons (参保人员名单), upserted by ID number; columns ${ROSTER_COLUMNS.join(', ')}`,
        body: uploadSchema,
        response: { 200: reportSchema, ...errors },
      },
      handler: async (request) => {
        const { name, contentBase64, dryRun, strict } = request.body;
        return answer(await importRoster(ctx, actorOf(request), bytesOf(contentBase64), { dryRun, strict, fileName: name }));
      },
    });

    app.post('/api/admin/imports/diagnoses', {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: `Import health-record diagnoses (诊断) into person_condition, upserted by person and disease; columns ${DIAGNOSIS_COLUMNS.join(', ')}`,
        body: uploadSchema,
        response: { 200: reportSchema, ...errors },
      },
      handler: async (request) => {
        const { name, contentBase64, dryRun, strict } = request.body;
        return answer(await importDiagnoses(ctx, actorOf(request), bytesOf(contentBase64), { dryRun, strict, fileName: name }));
      },
    });
  };
}
