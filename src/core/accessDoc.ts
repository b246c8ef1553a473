// docs/access.md's table, rendered from the access table itself (src/core/access.test.ts keeps the
// document and the code the same; `npm run docs:access` rewrites it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Role } from '../db/schema';
import { ACCESS, SCOPE_RULES, type Permission, type ScopeRule } from './access';

const ROLES: Array<[Role, string]> = [
  ['family_doctor', '家庭医生'], ['pharmacist', '药师'], ['insurance_reviewer', '医保经办审核'], ['analyst', '分析员'],
  ['institution_admin', '机构管理员'], ['system_admin', '系统管理员'], ['patient', '参保人'],
];
const BEGIN = '<!-- access table: generated from src/core/access.ts -->';
const END = '<!-- end of access table -->';
export const ACCESS_DOC = fileURLToPath(new URL('../../docs/access.md', import.meta.url));

export function renderAccessTable(): string {
  const head = `| 权限 permission | ${ROLES.map(([r, zh]) => `${zh} ${r}`).join(' | ')} |`;
  const rule = `|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = (Object.keys(ACCESS) as Permission[]).map((p) => {
    const grants = ACCESS[p].grants as Partial<Record<Role, ScopeRule>>;
    return `| **${ACCESS[p].zh}** ${ACCESS[p].en} \`${p}\` | ${ROLES.map(([r]) => (grants[r] ? SCOPE_RULES[grants[r]].zh : '—')).join(' | ')} |`;
  });
  const legend = (Object.keys(SCOPE_RULES) as ScopeRule[]).map((r) => `- **${SCOPE_RULES[r].zh}** (\`${r}\`): ${SCOPE_RULES[r].en}`);
  return [BEGIN, '', head, rule, ...rows, '', 'Scope rules:', '', ...legend, '', END].join('\n');
}

/** The document's current table, or null when its markers are missing. */
export function documentedTable(): string | null {
  const text = readFileSync(ACCESS_DOC, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  return a < 0 || b < 0 ? null : text.slice(a, b + END.length);
}

export function writeAccessDoc(): void {
  const text = readFileSync(ACCESS_DOC, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  writeFileSync(ACCESS_DOC, a < 0 ? `${text.trimEnd()}\n\n${renderAccessTable()}\n` : text.slice(0, a) + renderAccessTable() + text.slice(b + END.length));
}
