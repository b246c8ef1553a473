// The Fastify error handler: every error leaves the server as application/problem+json (RFC 9457),
// naming the field and the rule that was broken; nothing internal (stack, SQL) is ever sent.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldProblem } from '../core/problem';

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
