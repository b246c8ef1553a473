// The server names its request's fields (body.deductionFen, body.rateBp); some forms hold the same value
// in the unit a person types (yuan, per cent) under another name: a problem is moved onto that field.
import { ApiError } from '../../api.ts';

/** The problem with each `errors[].field` whose last part is a key of `names` renamed to its value. */
export function onFormFields(error: unknown, names: Record<string, string>): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors) return error;
  const errors = error.problem.errors.map((e) => {
    const last = e.field.split('.').pop() ?? '';
    return last in names ? { ...e, field: `body.${names[last]}` } : e;
  });
  return new ApiError({ ...error.problem, errors });
}
