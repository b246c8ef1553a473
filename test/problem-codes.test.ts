// Issue 13, "Language": every problem the server sends carries a stable `code` and every field problem a
// `rule`, and the web app words each of them in zh-CN (and en-US) — it never shows the English detail.
// The rules and codes are collected from the sources, so a new `conflict('…')` or `rule: '…'` without a
// translation fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, badRequest, conflict, forbidden, notFound, PROBLEM_CODES, problemCodeOf, unauthorized } from '../src/core/problem';
import { PASSWORD_RULE_TEXT } from '../src/engine/identity/password';
import { REQUIRED_ROLES } from '../src/modules/directory/rules';
import enUS from '../web/src/i18n/en-US';
import zhCN from '../web/src/i18n/zh-CN';

const ROOT = new URL('..', import.meta.url).pathname;

/** Where problems are built: the modules, the server, core, and the engine checks whose rules they pass on. */
const SOURCES = ['src/modules', 'src/server', 'src/core', 'src/engine/registration', 'src/engine/followup/readings.ts', 'src/engine/identity'];
/** Sources that build no problem: the demo city's generator. */
const NOT_PROBLEMS = new Set(['src/modules/demo']);
/** Rules of the engine that a module throws as they come: the roster file's header problem (ImportFileError). */
const PASSED_ON = ['header'];

function sourceFiles(path: string): string[] {
  const abs = join(ROOT, path);
  if (statSync(abs).isFile()) return [abs];
  return readdirSync(abs).flatMap((f) => sourceFiles(join(path, f)));
}

const files = SOURCES.flatMap(sourceFiles)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .filter((f) => ![...NOT_PROBLEMS].some((n) => relative(ROOT, f).startsWith(n)));

/** Keys of an object literal `const NAME… = { a: '…', b: '…' }` in a source file. */
function literalKeys(file: string, name: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const body = new RegExp(`const ${name}[^=]*=\\s*\\{([\\s\\S]*?)\\n\\};`).exec(text)?.[1];
  if (!body) throw new Error(`${name} not found in ${file}`);
  return [...body.matchAll(/(?:^|[,{\s])([a-z_]+):/g)].map((m) => m[1]!);
}

/**
 * Rules built at run time, by the source text that builds them, and what they expand to. A new one fails
 * the test until it is listed here (and worded in the dictionaries).
 */
const DYNAMIC: Record<string, () => string[]> = {
  'rule: `${role}_required`': () => REQUIRED_ROLES.map((r) => `${r}_required`),
  'rule: `institution_has_${u}`': () => literalKeys('src/modules/directory/institutions.ts', 'USE_OF_INSTITUTION').map((u) => `institution_has_${u}`),
  'rule: `team_has_${u}`': () => literalKeys('src/modules/directory/teams.ts', 'USE_OF_TEAM').map((u) => `team_has_${u}`),
  'rule: u,': () => literalKeys('src/modules/directory/practitioners.ts', 'USE_OF_PRACTITIONER'),
  'map((rule) => ({': () => Object.keys(PASSWORD_RULE_TEXT),
};

/** Zod's issue codes: the error handler passes them on as the rule of a schema validation error. */
const ZOD_RULES = ['invalid_type', 'too_big', 'too_small', 'invalid_format', 'not_multiple_of', 'unrecognized_keys', 'invalid_union', 'invalid_key', 'invalid_element', 'invalid_value', 'custom'];

/** `c.includes('phone') ? 'phone_format' : 'check'` → its outcomes, not the condition's strings. */
const outcomes = (expression: string) => (expression.includes('?') ? expression.slice(expression.indexOf('?')) : expression);

interface Found {
  rules: Map<string, Set<string>>;
  unknownDynamic: string[];
}

function collect(): Found {
  const rules = new Map<string, Set<string>>();
  const add = (rule: string, file: string) => rules.set(rule, (rules.get(rule) ?? new Set()).add(relative(ROOT, file)));
  const unknownDynamic: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // rule: 'x' and rule: cond ? 'x' : 'y'
    for (const m of text.matchAll(/\brule:\s*([^,}\n]+)/g)) {
      const quoted = [...outcomes(m[1]!).matchAll(/'([a-z][a-z0-9_]*)'/g)];
      for (const q of quoted) add(q[1]!, file);
      const around = text.slice(m.index, m.index + 80);
      if (!quoted.length && /`/.test(m[1]!) && !Object.keys(DYNAMIC).some((d) => around.startsWith(d))) unknownDynamic.push(`${relative(ROOT, file)}: ${around}`);
    }
    // conflict('x', …), conflictAt(field, 'x', …), fail(field, 'x', …), problem(field, 'x', …), add(path, 'x', …)
    for (const m of text.matchAll(/\b(?:conflict|conflictAt|fail|problem|add)\(\s*(?:(?:'[^']*'|`[^`]*`|[\w.]+)\s*,\s*)?([^,()]*?'[a-z][a-z0-9_]*'[^,()]*?),/g))
      for (const q of outcomes(m[1]!).matchAll(/'([a-z][a-z0-9_]*)'/g)) add(q[1]!, file);
    for (const [source, expand] of Object.entries(DYNAMIC)) if (text.includes(source)) for (const r of expand()) add(r, file);
  }
  for (const r of ZOD_RULES) add(r, join(ROOT, 'src/server/errors.ts'));
  for (const r of PASSED_ON) add(r, join(ROOT, 'src/modules/roster/report.ts'));
  return { rules, unknownDynamic };
}

const dict = (messages: unknown, path: string): Record<string, unknown> => {
  let at = messages as Record<string, unknown>;
  for (const p of path.split('.')) at = (at?.[p] ?? {}) as Record<string, unknown>;
  return at;
};

/** English words on a Chinese screen: two or more Latin letters that are not a unit or a file format. */
const FOREIGN = (text: string) =>
  /[A-Za-z]{2,}/.test(text.replace(/\b(?:mmHg|mmol\/L|kg|cm|MB|PDF|JPEG|PNG|CSV|xlsx|xls|UTF-8|UTF-16|GBK|GB18030|ID|Excel|Unicode)\b/g, ''));

describe('problem codes and rules have both languages', () => {
  const { rules, unknownDynamic } = collect();

  it('finds the rules the modules send (the collector works)', () => {
    for (const r of ['one_active_contract', 'username_taken', 'not_in_future', 'member_once', 'gp_required', 'team_has_contracts', 'team_leader', 'too_short', 'invalid_text'])
      expect([...rules.keys()], r).toContain(r);
    expect(rules.size).toBeGreaterThan(100);
  });

  it('knows how every rule built at run time expands', () => {
    expect(unknownDynamic, 'a rule built from a template: list its expansion in DYNAMIC').toEqual([]);
  });

  it('words every rule in zh-CN (in Chinese) and in en-US', () => {
    const zh = dict(zhCN, 'serverRules');
    const en = dict(enUS, 'serverRules');
    const missing = [...rules].filter(([r]) => typeof zh[r] !== 'string').map(([r, where]) => `${r} (${[...where].join(', ')})`);
    expect(missing, 'add these to serverRules in web/src/i18n/zh-CN.ts and en-US.ts').toEqual([]);
    const english = [...rules.keys()].filter((r) => FOREIGN(String(zh[r])));
    expect(english, 'zh-CN wordings with English words').toEqual([]);
    expect([...rules.keys()].filter((r) => typeof en[r] !== 'string')).toEqual([]);
  });

  it('words every problem code in zh-CN (in Chinese) and in en-US', () => {
    const codes = [...Object.values(PROBLEM_CODES), 'login_refused', 'unknown'];
    for (const [lang, messages] of [['zh-CN', zhCN], ['en-US', enUS]] as const) {
      const words = dict(messages, 'serverCodes');
      expect(codes.filter((c) => typeof words[c] !== 'string'), `serverCodes in ${lang}`).toEqual([]);
      if (lang === 'zh-CN') expect(codes.filter((c) => FOREIGN(String(words[c])))).toEqual([]);
    }
    expect(typeof dict(zhCN, 'serverRules').fallback).toBe('string');
  });

  it('gives each problem a stable code: a lone state rule, else the status', () => {
    expect(conflict('one_active_contract', 'x').code).toBe('one_active_contract');
    expect(badRequest('x', [{ field: 'body.a', rule: 'too_small', message: 'x' }]).code).toBe('bad_request');
    expect(notFound().code).toBe('not_found');
    expect(forbidden().code).toBe('forbidden');
    expect(unauthorized().code).toBe('unauthorized');
    expect(new AppError(409, 'Conflict', 'x', [{ field: '', rule: 'a', message: 'x' }, { field: '', rule: 'b', message: 'y' }]).code).toBe('conflict');
    expect(problemCodeOf(418)).toBe('bad_request');
    expect(problemCodeOf(502)).toBe('internal_error');
  });
});
