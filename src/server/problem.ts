// Every error leaves the server as application/problem+json (RFC 9457) naming the field and the
// rule that was broken; nothing internal (stack, SQL) is ever sent.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldProblem[]) => new AppError(400, 'Bad Request', detail, errors);
export const unauthorized = (detail = 'Sign in first') => new AppError(401, 'Unauthorized', detail);
export const forbidden = (detail = 'Your role or scope does not allow this') => new AppError(403, 'Forbidden', detail);
export const notFound = (detail = 'Not found') => new AppError(404, 'Not Found', detail);
/** A state rule refused the change; `rule` names it so clients can react. */
export const conflict = (rule: string, detail: string) => new AppError(409, 'Conflict', detail, [{ field: '', rule, message: detail }]);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, errors?: FieldProblem[]) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) });
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const errors = error.validation.map((v) => {
      // an unknown field is reported at its own name, not at the object that holds it
      const unknownKeys = (v.params as { keys?: string[] }).keys;
      const path = [where, ...v.instancePath.split('/').filter(Boolean), ...(unknownKeys?.length ? [unknownKeys.join(',')] : [])];
      return { field: path.join('.'), rule: v.keyword, message: v.message ?? 'invalid' };
    });
    return sendProblem(reply, 400, 'Bad Request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  if (error instanceof AppError) {
    if (error.headers) reply.headers(error.headers);
    return sendProblem(reply, error.status, error.title, error.message, error.errors);
  }
  // Fastify's own client errors (bad JSON, body too large, wrong content type) carry a 4xx status.
  if (error.statusCode && error.statusCode < 500) {
    return sendProblem(reply, error.statusCode, 'Bad Request', error.message, [{ field: 'body', rule: error.code ?? 'invalid', message: error.message }]);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500, 'Internal Server Error', 'The server could not complete the request; it has been logged.');
}
