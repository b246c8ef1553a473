// FHIR over HTTP (docs/fhir.md): POST /fhir takes a transaction or batch Bundle (application/fhir+json or JSON)
// and answers the import's report; a bundle that is not JSON, not FHIR or faulty is refused with an
// OperationOutcome naming the entry, and nothing of it is written. Over the API a Patient is matched by its
// resident ID identifier (the id map is the CLI's). GET /fhir/Patient/:id/$everything answers a patient's
// record; a county's bulk export runs as FHIR Bulk Data's kick-off, status and files.
import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { everything } from './export';
import { deleteExport, exportFile, exportJob, exportJobs, startExport, type ExportJob } from './exportJobs';
import { importFhir, operationOutcome } from './import';

const outcome = z.object({ resourceType: z.literal('OperationOutcome'), issue: z.array(z.object({ severity: z.string(), code: z.string(), diagnostics: z.string(), expression: z.array(z.string()).optional() })) }).meta({ id: 'OperationOutcome' });
const FHIR_JSON = 'application/fhir+json';
/** A patient's bundle from a hospital's system runs to megabytes (Synthea's ten: up to 1.5 MiB); a bigger set is the CLI's. */
const BUNDLE_LIMIT = 32 * 2 ** 20;
const idParams = z.object({ id: z.uuid() });
const jobSchema = z.object({
  id: z.uuid(), county: z.string(), requestedBy: z.string(), requestedAt: z.date(), status: z.enum(['running', 'completed', 'failed']), personsDone: z.int(),
  finishedAt: z.date().nullable(), report: z.unknown().nullable(), error: z.string().nullable(),
}).meta({ id: 'FhirExportJob' });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** Bulk Data's completion manifest: a file per resource type, each fetched with the same session. */
const manifestOf = (job: ExportJob, base: string) => ({
  transactionTime: (job.finishedAt ?? job.requestedAt).toISOString(),
  request: `${base}/Group/${job.county}/$export`,
  requiresAccessToken: true,
  output: (job.report?.files ?? []).map((f) => ({ type: f.type, url: `${base}/$export-file/${job.id}/${f.type}.ndjson`, count: f.count })),
  error: [],
});

export function fhirRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // a FHIR client sends application/fhir+json; read it as JSON, and leave a body that is not JSON to the handler
    app.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.post('/fhir', {
      bodyLimit: BUNDLE_LIMIT,
      schema: {
        tags: ['fhir'],
        summary: 'Import a transaction or batch Bundle: diagnoses, readings and outside medication of Patients matched to the roster by resident ID (the report per resource type and patient); a faulty bundle: an OperationOutcome, nothing written',
        body: z.unknown(),
        response: { 200: z.unknown().describe('the import report: bundles, per patient imported / unchanged / skipped, totals (docs/fhir.md)'), 400: outcome.or(z.unknown()), 401: problemSchema, 403: problemSchema },
      },
      // a body Fastify could not parse as JSON is the bundle's fault too
      errorHandler: (error: FastifyError, _request, reply) => {
        if (error.statusCode === 400 || error instanceof SyntaxError) return reply.code(400).type(FHIR_JSON).send(operationOutcome([{ entry: null, message: `not JSON: ${error.message}` }]));
        throw error;
      },
      handler: async (request, reply) => {
        let body = request.body;
        if (typeof body === 'string') {
          try {
            body = JSON.parse(body);
          } catch (e) {
            return reply.code(400).type(FHIR_JSON).send(operationOutcome([{ entry: null, message: `not JSON: ${(e as Error).message}` }]));
          }
        }
        const report = await importFhir(ctx, actorOf(request), { source: 'POST /fhir', bundles: [{ source: 'POST /fhir', load: () => ({ input: body }) }], idMap: new Map() });
        const faults = report.bundles[0].faults;
        if (faults.length) return reply.code(400).type(FHIR_JSON).send(operationOutcome(faults));
        return reply.send(report);
      },
    });

    const baseOf = (request: { protocol: string; host: string }) => `${request.protocol}://${request.host}/fhir`;

    app.get('/fhir/Patient/:id/$everything', {
      schema: {
        tags: ['fhir'],
        summary: "A patient's record as a searchset Bundle: Patient (resident ID masked but to the patient), Coverage, CareTeam, Condition, Observation, MedicationRequest, MedicationDispense, ServiceRequest, ExplanationOfBenefit and the Organizations and Practitioners they name",
        params: idParams, response: { 200: z.unknown().describe('a FHIR R4 Bundle of type searchset'), ...errors },
      },
      handler: async (request, reply) => reply.type(FHIR_JSON).send(await everything(ctx, actorOf(request), request.params.id, baseOf(request))),
    });

    app.get('/fhir/Group/:county/$export', {
      schema: {
        tags: ['fhir'],
        summary: "Kick off a county's bulk export (FHIR Bulk Data): 202 with Content-Location, the job's status address; the county (or the city) is the Group",
        params: z.object({ county: z.string().regex(/^\d{4}(\d{2})?$/, 'a county code (six digits) or a city code (four)') }),
        // Bulk Data's one output format; _type, _since and _elements are not offered
        querystring: z.strictObject({ _outputFormat: z.enum(['application/fhir+ndjson', 'application/ndjson', 'ndjson']).optional() }),
        response: { 202: z.object({ id: z.uuid() }), ...errors },
      },
      handler: async (request, reply) => {
        const { id } = await startExport(ctx, actorOf(request), request.params.county, 'params.county');
        return reply.code(202).header('content-location', `${baseOf(request)}/$export-status/${id}`).send({ id });
      },
    });

    app.get('/fhir/$export-status', {
      schema: { tags: ['fhir'], summary: 'The recent bulk exports, newest first', response: { 200: z.array(jobSchema), ...errors } },
      handler: async (request) => exportJobs(ctx, actorOf(request)),
    });

    app.get('/fhir/$export-status/:id', {
      schema: {
        tags: ['fhir'],
        summary: "A bulk export's status: 202 with X-Progress while it runs; 200 with the manifest of files when done; 500 with an OperationOutcome when it failed",
        params: idParams, response: { 200: z.unknown().describe('the Bulk Data manifest'), 202: jobSchema, 500: outcome, ...errors },
      },
      handler: async (request, reply) => {
        const job = await exportJob(ctx, actorOf(request), request.params.id);
        if (job.status === 'running') return reply.code(202).header('x-progress', `${job.personsDone} persons written`).header('retry-after', '5').send(job);
        if (job.status === 'failed') return reply.code(500).type(FHIR_JSON).send(operationOutcome([{ entry: null, message: job.error ?? 'the export failed' }]));
        return reply.send(manifestOf(job, baseOf(request)));
      },
    });

    app.delete('/fhir/$export-status/:id', {
      schema: { tags: ['fhir'], summary: "Remove a finished bulk export's files and record", params: idParams, response: { 202: z.null(), ...errors } },
      handler: async (request, reply) => {
        await deleteExport(ctx, actorOf(request), request.params.id);
        return reply.code(202).send(null);
      },
    });

    app.get('/fhir/$export-file/:id/:file', {
      schema: {
        tags: ['fhir'],
        summary: 'One NDJSON file of a completed bulk export (a resource a line)',
        params: z.object({ id: z.uuid(), file: z.string().regex(/^[A-Za-z]+\.ndjson$/, 'a resource type and .ndjson') }),
        querystring: z.strictObject({}),
        response: { 200: z.unknown().describe('application/fhir+ndjson'), ...errors },
      },
      handler: async (request, reply) => reply.type('application/fhir+ndjson').send(await exportFile(ctx, actorOf(request), request.params.id, request.params.file.replace(/\.ndjson$/, ''))),
    });
  };
}
