// FHIR over HTTP (docs/fhir.md): POST /fhir takes a transaction or batch Bundle (application/fhir+json or JSON)
// and answers the import's report; a bundle that is not JSON, not FHIR or faulty is refused with an
// OperationOutcome naming the entry, and nothing of it is written. Over the API a Patient is matched by its
// resident ID identifier (the id map is the CLI's).
import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { importFhir, operationOutcome } from './import';

const outcome = z.object({ resourceType: z.literal('OperationOutcome'), issue: z.array(z.object({ severity: z.string(), code: z.string(), diagnostics: z.string(), expression: z.array(z.string()).optional() })) }).meta({ id: 'OperationOutcome' });
const FHIR_JSON = 'application/fhir+json';

export function fhirRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // a FHIR client sends application/fhir+json; read it as JSON, and leave a body that is not JSON to the handler
    app.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.post('/fhir', {
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
        const report = await importFhir(ctx, actorOf(request), { source: 'POST /fhir', bundles: [{ source: 'POST /fhir', input: body }], idMap: new Map() });
        const faults = report.bundles[0].faults;
        if (faults.length) return reply.code(400).type(FHIR_JSON).send(operationOutcome(faults));
        return reply.send(report);
      },
    });
  };
}
