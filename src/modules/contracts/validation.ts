// What makes a contract plausible (issue 11): its period, the consent's time, unique packages, and a
// scanned consent form that is what its name says (PDF, JPEG or PNG, by content) and at most 5 MiB.
// Rules that need "today" take it from the caller (ctx.now()), never from the system clock.
import { fileTypeFromBuffer } from 'file-type';
import { addDays, addMonths, shanghaiDate, type IsoDate } from '../../engine/calendar';
import { AppError, type FieldProblem } from '../../core/problem';

/** A contract may start at most this many days ago (a backdated signature)… */
export const MAX_BACKDATE_DAYS = 30;
/** …and at most this many months ahead. */
export const MAX_START_AHEAD_MONTHS = 12;
/** A contract runs at most this many months (the last day is the day before). */
export const MAX_TERM_MONTHS = 36;
/** Consent is given at most this many days before the contract starts (or is recorded, if it starts later). */
export const CONSENT_LEAD_DAYS = 30;
/** A consent time this far past the server's clock is still taken as "now" (the browser's clock may run ahead). */
export const CONSENT_CLOCK_SKEW_MS = 10 * 60_000;

/** The scanned consent form: at most 5 MiB (what the form promises), sent as base64 inside JSON. */
export const MAX_CONSENT_FORM_BYTES = 5 * 1024 * 1024;
/** The request body of sign and renew: the form's base64 (4/3 of its bytes) and room for the rest. */
export const CONTRACT_BODY_LIMIT = Math.ceil(MAX_CONSENT_FORM_BYTES / 3) * 4 + 256 * 1024;

export const lastDayOfTerm = (start: IsoDate, months: number) => addDays(addMonths(start, months), -1);

/** The period of a new contract: from 30 days ago to a year ahead, ending after it starts and within 3 years (no end given: a year, which fits). */
export function periodProblems(today: IsoDate, start: IsoDate, end: IsoDate | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (start < addDays(today, -MAX_BACKDATE_DAYS)) problems.push({ field: 'body.startDate', rule: 'not_backdated', message: `startDate is more than ${MAX_BACKDATE_DAYS} days ago` });
  const latestStart = addMonths(today, MAX_START_AHEAD_MONTHS);
  if (start > latestStart) problems.push({ field: 'body.startDate', rule: 'within_a_year', message: `startDate must be within a year of today (at the latest ${latestStart})` });
  if (end === undefined) return problems;
  // a start too far ahead is measured from the latest allowed one (9999-12-31 + 3 years is no calendar date)
  const latestEnd = lastDayOfTerm(start > latestStart ? latestStart : start, MAX_TERM_MONTHS);
  if (end <= start) problems.push({ field: 'body.endDate', rule: 'after_start', message: 'endDate must be after startDate' });
  else if (end > latestEnd) problems.push({ field: 'body.endDate', rule: 'at_most_three_years', message: `a contract runs at most 3 years: endDate at the latest ${latestEnd}` });
  return problems;
}

/** The consent: signed by now, and not long before the contract (its start, or today when it starts later). */
export function consentProblems(now: Date, signedAt: string, start: IsoDate): FieldProblem[] {
  const at = new Date(signedAt);
  if (Number.isNaN(at.getTime())) return [{ field: 'body.consent.signedAt', rule: 'datetime', message: 'signedAt is not a date-time' }];
  if (at.getTime() > now.getTime() + CONSENT_CLOCK_SKEW_MS) return [{ field: 'body.consent.signedAt', rule: 'not_in_future', message: 'consent cannot be signed in the future' }];
  const today = shanghaiDate(now);
  const earliest = addDays(start < today ? start : today, -CONSENT_LEAD_DAYS);
  if (shanghaiDate(at) < earliest)
    return [{ field: 'body.consent.signedAt', rule: 'consent_recent', message: `consent must be signed at most ${CONSENT_LEAD_DAYS} days before the contract: on ${earliest} or later` }];
  return [];
}

/** Each service package at most once. */
export function packageProblems(codes: string[]): FieldProblem[] {
  const repeated = [...new Set(codes.filter((c, i) => codes.indexOf(c) !== i))];
  return repeated.length ? [{ field: 'body.packages', rule: 'unique', message: `each package at most once: ${repeated.join(', ')} repeated` }] : [];
}

/** Detail for a 400: each field and its message. */
export const detailOf = (problems: FieldProblem[]) => problems.map((p) => `${p.field}: ${p.message}`).join('; ');

const ACCEPTED: Record<string, { label: string; extensions: string[] }> = {
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg'] },
  'image/png': { label: 'PNG', extensions: ['png'] },
};

const payloadTooLarge = (detail: string, errors: FieldProblem[]) => new AppError(413, 'Payload Too Large', detail, errors);
const unsupportedMediaType = (detail: string, errors: FieldProblem[]) => new AppError(415, 'Unsupported Media Type', detail, errors);

/**
 * The scanned form's bytes, once they are known to be a PDF, JPEG or PNG (by content, not by name)
 * of at most 5 MiB whose name ends as its content says: 413 when larger, 415 otherwise.
 */
export async function consentFormBytes(form: { name: string; contentBase64: string }): Promise<{ bytes: Buffer; mime: string }> {
  const bytes = Buffer.from(form.contentBase64, 'base64');
  if (bytes.length > MAX_CONSENT_FORM_BYTES) {
    const message = `the consent form is ${bytes.length} bytes; at most ${MAX_CONSENT_FORM_BYTES} (5 MB)`;
    throw payloadTooLarge(message, [{ field: 'body.consent.form.contentBase64', rule: 'max_size', message }]);
  }
  const type = await fileTypeFromBuffer(bytes);
  const accepted = type && ACCEPTED[type.mime];
  if (!type || !accepted) {
    const message = `the consent form must be a PDF, JPEG or PNG file; this one is ${type ? type.mime : 'none of them'}`;
    throw unsupportedMediaType(message, [{ field: 'body.consent.form.contentBase64', rule: 'media_type', message }]);
  }
  const extension = /\.([^./\\]+)$/.exec(form.name)?.[1]?.toLowerCase();
  if (!extension || !accepted.extensions.includes(extension)) {
    const message = `the consent form is a ${accepted.label} file; its name must end in .${accepted.extensions.join(' or .')}`;
    throw unsupportedMediaType(message, [{ field: 'body.consent.form.name', rule: 'media_type_matches_name', message }]);
  }
  return { bytes, mime: type.mime };
}
