// The Fastify error handler: every error leaves the server as application/problem+json (RFC 9457),
// naming the field and the rule that was broken; nothing internal (stack, SQL) is ever sent.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldProblem, problemCodeOf } from '../core/problem';
import { LOGIN_REFUSED } from '../modules/auth/service';

/** `code` is stable (see core/problem.ts) and what clients translate; title and detail are English, for developers. */
export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, errors?: FieldProblem[], code = problemCodeOf(status, errors)) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title, status, detail, code, ...(errors ? { errors } : {}) });
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    // fields are named body.…, query.…, params.… (Fastify calls the query "querystring")
    const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
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
    // a refused sign-in is told apart from a missing session, so that clients can say which it was
    const code = error.status === 401 && error.message === LOGIN_REFUSED ? 'login_refused' : error.code;
    return sendProblem(reply, error.status, error.title, error.message, error.errors, code);
  }
  // Fastify's own client errors (bad JSON, body too large, wrong content type) carry a 4xx status.
  if (error.statusCode && error.statusCode < 500) {
    // titled by their status: 413 Payload Too Large (a body over the route's bodyLimit), 415 Unsupported Media Type, …
    const title = error.statusCode === 413 ? 'Payload Too Large' : (STATUS_CODES[error.statusCode] ?? 'Bad Request');
    return sendProblem(reply, error.statusCode, title, error.message, [{ field: 'body', rule: error.code ?? 'invalid', message: error.message }]);
  }
  const refused = databaseRefusal(error);
  if (refused) {
    // the client's value, not a fault of ours: no stack in the log, no SQL in the answer
    request.log.warn({ sqlstate: refused.sqlstate }, 'the database refused a value of the request');
    return sendProblem(reply, 400, 'Bad Request', refused.detail, [{ field: carrierOf(request), rule: refused.rule, message: refused.detail }]);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500, 'Internal Server Error', 'The server could not complete the request; it has been logged.');
}

// PostgreSQL's data exceptions (SQLSTATE class 22) that only a value from outside can cause: text it
// cannot store (NUL, bad encoding), or input it cannot read as the column's type or range.
const VALUE_ERRORS: Record<string, { rule: string; detail: string }> = {
  '22021': { rule: 'invalid_text', detail: 'A text in the request cannot be stored (it holds a NUL or an invalid character)' },
  '22P05': { rule: 'invalid_text', detail: 'A text in the request cannot be stored (it holds a character the database cannot encode)' },
  '22P02': { rule: 'invalid_value', detail: 'A value in the request is not of the expected type' },
  '22001': { rule: 'too_long', detail: 'A text in the request is too long' },
  '22003': { rule: 'out_of_range', detail: 'A number in the request is out of range' },
  '22007': { rule: 'invalid_date', detail: 'A date or time in the request is malformed' },
  '22008': { rule: 'invalid_date', detail: 'A date or time in the request is out of range' },
  '22025': { rule: 'invalid_text', detail: 'A text in the request holds an invalid escape sequence' },
  '2201B': { rule: 'invalid_pattern', detail: 'A pattern in the request is not a valid regular expression' },
};

/** The rule a database error names when it refused a value of the request (pg and PGlite errors alike), or null. */
export function databaseRefusal(error: unknown): { sqlstate: string; rule: string; detail: string } | null {
  const e = error as { code?: unknown; severity?: unknown } | null;
  if (!e || typeof e.code !== 'string' || typeof e.severity !== 'string') return null;
  const known = VALUE_ERRORS[e.code];
  return known ? { sqlstate: e.code, ...known } : null;
}

/** Where the request carried its values (the database does not say which one it refused). */
function carrierOf(request: FastifyRequest): 'body' | 'query' | 'params' {
  const filled = (v: unknown) => (typeof v === 'string' ? v.length > 0 : v !== null && typeof v === 'object' && Object.keys(v).length > 0);
  if (filled(request.body)) return 'body';
  if (filled(request.query)) return 'query';
  return 'params';
}
