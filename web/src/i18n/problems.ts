// The server's problems in the user's language. Every problem+json answer carries a stable `code` (a
// 409's state rule, else its status's code: bad_request, forbidden, not_found, …) and each field problem
// a `rule`; both are worded here through the dictionaries (serverCodes, serverRules). `title`, `detail`
// and `message` are the server's English for developers: en-US may show them where no wording is known,
// zh-CN never does — it falls back to a generic Chinese sentence for the status.
import type { Problem } from '../types.ts';
import i18n, { currentLanguage } from './index.ts';

type FieldProblem = NonNullable<Problem['errors']>[number];

/** Latin-letter tokens that are at home in Chinese text: units, file formats, codes. */
const AT_HOME = /\b(?:mmHg|mmol\/L|mmol|kg|cm|mg|ml|mL|MB|KB|GB|PDF|JPEG|JPG|PNG|CSV|xlsx|xls|UTF-8|UTF-16|GBK|GB18030|ID|BMI|HbA1c|LDL|HDL|Excel|Unicode)\b/g;

/** Whether a text holds English words (two or more Latin letters that are not a unit or a format). */
export function hasForeignWords(text: string): boolean {
  return /[A-Za-z]{2,}/.test(text.replace(AT_HOME, ''));
}

/** The problem's code: sent by the server, or (from an older server, a proxy) derived from the status. */
export function problemCode(problem: Problem): string {
  const sent = problem.code;
  if (typeof sent === 'string' && sent) return sent;
  return statusCode(problem.status);
}

const STATUS_CODES: Record<number, string> = {
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

function statusCode(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : status >= 400 ? 'bad_request' : 'unknown');
}

const english = () => currentLanguage() === 'en-US';

/** A text of the server's, if the user may read it as it is: always in en-US, in zh-CN only without English words. */
function asIs(text: string | undefined): string | null {
  if (!text) return null;
  return english() || !hasForeignWords(text) ? text : null;
}

/** The wording of a code (serverCodes, then serverRules), or null. */
function codeWording(code: string): string | null {
  for (const key of [`serverCodes.${code}`, `serverRules.${code}`]) if (i18n.exists(key)) return i18n.t(key);
  return null;
}

/** A field problem's rule in the user's language, else the server's message when readable, else a generic line. */
export function ruleText(rule: string, message: string): string {
  const key = `serverRules.${rule}`;
  if (i18n.exists(key)) return i18n.t(key);
  return asIs(message) ?? i18n.t('serverRules.fallback');
}

/** A problem as a whole, for a problem that lists no field problems. */
export function codeText(problem: Problem): string {
  const code = problemCode(problem);
  const worded = codeWording(code);
  // en-US keeps the server's own detail (it names the record, the date, the region); zh-CN the wording
  if (english() && problem.detail) return problem.detail;
  return worded ?? asIs(problem.detail) ?? codeWording(statusCode(problem.status)) ?? i18n.t('serverCodes.unknown');
}

/** Lines a person can act on: each field problem's rule worded, else the problem's code worded. */
export function problemLines(problem: Problem): string[] {
  const errors: FieldProblem[] = problem.errors ?? [];
  if (!errors.length) return [codeText(problem)];
  return [...new Set(errors.map((e) => ruleText(e.rule, e.message)))];
}

/** Any text for the screen: the text itself when readable in the user's language, else the fallback. */
export function readableOr(text: string | undefined | null, fallback: string): string {
  return (text && asIs(text)) ?? fallback;
}
