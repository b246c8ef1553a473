// The payment API's own refusals in the user's language (src/modules/payments/service.ts: a period with no
// parameters in force or not yet begun, a code that is not a county's), else what the app says of any error.
import { ApiError } from '../../api.ts';
import { actionErrorLines } from '../../formErrors.ts';
import i18n from '../../i18n/index.ts';

export function paymentErrorLines(error: unknown): string[] {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return actionErrorLines(error);
  const lines = error.problem.errors.map((e) => {
    if (e.rule === 'in_force') return i18n.t(e.field === 'query.year' ? 'payments.errors.noParameters' : 'payments.errors.notBegun');
    if (e.rule === 'county') return i18n.t('payments.errors.county');
    return null;
  });
  return lines.every((l) => l !== null) ? [...new Set(lines as string[])] : actionErrorLines(error);
}
