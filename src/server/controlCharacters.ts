// Control characters never reach a handler or the database: every string in a request's params,
// query and body (and every key) is checked before the route's schema runs, and a NUL or other
// control character (C0, DEL, C1) or a lone UTF-16 surrogate is a 400 naming the field. Tab, line feed
// and carriage return stay allowed: multi-line text (notes, reasons, CSV) legitimately holds them.
// The walk uses its own stack, so a body nested 10,000 deep is refused, not a stack overflow.
import type { FastifyRequest } from 'fastify';
import { AppError, type FieldProblem } from '../core/problem';

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Deeper than any request of ours needs: a body nested further is refused as such. */
const MAX_DEPTH = 64;
const MAX_REPORTED = 20;

export const NO_CONTROL_CHARACTERS = 'no_control_characters';

/** Paths (`body.lines.0.note`) of the strings and keys in `value` that hold a control character, or that nest too deep. */
export function controlCharacterPaths(value: unknown, path: string, found: string[] = []): string[] {
  const stack: Array<[unknown, string, number]> = [[value, path, 0]];
  while (stack.length && found.length < MAX_REPORTED) {
    const [v, p, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (CONTROL.test(v)) found.push(p);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      if (depth >= MAX_DEPTH) {
        found.push(p);
        continue;
      }
      const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
      for (let k = entries.length - 1; k >= 0; k--) {
        const [key, item] = entries[k];
        // a key is named with its control characters escaped, so the answer itself holds none
        const shown = key.replace(new RegExp(CONTROL.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        if (shown !== key) found.push(`${p}.${shown}`);
        else stack.push([item, `${p}.${key}`, depth + 1]);
      }
    }
  }
  return found;
}

/** A preValidation hook: refuses the request when any text in it holds a control character. */
export async function refuseControlCharacters(request: FastifyRequest) {
  const found: string[] = badlyEncodedQuery(request.raw.url ?? '');
  controlCharacterPaths(request.params, 'params', found);
  controlCharacterPaths(request.query, 'query', found);
  controlCharacterPaths(request.body, 'body', found);
  if (found.length === 0) return;
  const message = `must not contain control characters (U+0000–U+001F other than tab and line breaks, U+007F–U+009F) or lone surrogates, nor nest deeper than ${MAX_DEPTH}`;
  const errors: FieldProblem[] = found.map((field) => ({ field, rule: NO_CONTROL_CHARACTERS, message }));
  throw new AppError(400, 'Bad Request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/**
 * Query parameters whose percent-encoding is not UTF-8 (a lone surrogate's bytes ED A0 80, a cut-off
 * %E0%A4): the query parser would quietly put U+FFFD in their place, so they are refused by name.
 */
function badlyEncodedQuery(url: string): string[] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  const bad: string[] = [];
  for (const part of url.slice(at + 1).split('&')) {
    const [key, value = ''] = part.split('=', 2);
    try {
      decodeURIComponent(key.replace(/\+/g, ' '));
      decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      let name = key;
      try {
        name = decodeURIComponent(key);
      } catch {
        name = '?';
      }
      bad.push(`query.${name.replace(new RegExp(CONTROL.source, 'g'), '?')}`);
    }
  }
  return bad;
}
