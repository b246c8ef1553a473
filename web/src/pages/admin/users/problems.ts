// The users API names most problems by field (body.teamId …); a few state rules come as 409s without
// one. Those are put on the field they are about before formErrors.ts places them, and whatever stays
// unplaced is said in the user's language (never the server's English).
import { ApiError, NETWORK_ERROR_STATUS } from '../../../api.ts';
import { actionErrorLines } from '../../../formErrors.ts';
import i18n from '../../../i18n/index.ts';

/** Rules that arrive without a field, and the form field they are about. */
const FIELD_OF_RULE: Record<string, string> = {
  username_taken: 'body.username',
  own_role: 'body.role',
};

export function withFields(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return error;
  const errors = error.problem.errors.map((e) => (!e.field && FIELD_OF_RULE[e.rule] ? { ...e, field: FIELD_OF_RULE[e.rule] } : e));
  return new ApiError({ ...error.problem, errors });
}

/** Lines for an alert or a message: rules translated, bare statuses worded here. */
export function problemLines(error: unknown): string[] {
  if (error instanceof ApiError && !error.problem.errors?.length) {
    if (error.status === NETWORK_ERROR_STATUS) return [i18n.t('errors.network')];
    if (error.status === 403) return [i18n.t('accounts.errors.forbidden')];
    if (error.status === 404) return [i18n.t('accounts.errors.notFound')];
    if (error.status === 429) return [i18n.t('auth.tooManyAttempts')];
    return [i18n.t('accounts.errors.failed')];
  }
  return actionErrorLines(error);
}
