// The language a response speaks when it is a file for people (CSV exports): ?lang= if given, else
// the request's Accept-Language (its first entry); Chinese unless English is asked for.
import type { FastifyRequest } from 'fastify';

export type Language = 'zh' | 'en';

/** The values a `lang` query parameter of an export accepts. */
export const LANG_PARAM_VALUES = ['zh', 'en', 'zh-CN', 'en-US'] as const;

export function languageOf(request: Pick<FastifyRequest, 'headers'>, lang: string | undefined): Language {
  const asked = lang ?? request.headers['accept-language']?.split(',')[0]?.trim() ?? '';
  return /^en\b/i.test(asked) ? 'en' : 'zh';
}
