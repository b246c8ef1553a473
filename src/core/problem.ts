// Every error leaves the server as application/problem+json (RFC 9457) naming the field and the
// rule that was broken; nothing internal (stack, SQL) is ever sent. Each problem also carries a stable
// `code` (the state rule of a 409, else its status's code below) and each field problem its `rule`:
// clients word them in the user's language; `title`, `detail` and `message` are English for developers.
import { z } from 'zod';

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
  /** The numbers, dates and codes the message names, for clients to word it in the user's language. */
  facts?: Record<string, unknown>;
}

/** The code of a problem that names no rule of its own, by HTTP status (stable: clients translate these). */
export const PROBLEM_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

/**
 * A problem's code: the one rule it names without a field (a 409's state rule, a 403's
 * password_change_required), else its status's code.
 */
export function problemCodeOf(status: number, errors?: FieldProblem[]): string {
  const rules = new Set((errors ?? []).map((e) => e.rule));
  if (errors?.length && errors.every((e) => !e.field) && rules.size === 1) return [...rules][0]!;
  return PROBLEM_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

export class AppError extends Error {
  /** See problemCodeOf. */
  readonly code: string;

  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.code = problemCodeOf(status, errors);
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
    /** Stable: a 409's rule, else the status's code (bad_request, forbidden, not_found, …); clients translate it. */
    code: z.string(),
    errors: z.array(z.object({
      field: z.string(), rule: z.string(), message: z.string(),
      facts: z.record(z.string(), z.unknown()).optional().describe('what the message names (dates, limits, codes), for the client to word'),
    })).optional(),
  })
  .meta({ id: 'Problem' });

