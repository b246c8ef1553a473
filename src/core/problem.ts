// Every error leaves the server as application/problem+json (RFC 9457) naming the field and the
// rule that was broken; nothing internal (stack, SQL) is ever sent.
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

