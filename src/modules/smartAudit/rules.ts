// The audit rules as data (data/audit-rules.json), synced into audit_rule: a rule whose text,
// parameters, national rule, points or activity changed gets the next version; earlier versions stay,
// so a finding always names the version it was found under. Synced before each run and each listing
// (twelve rows: cheaper than a stale catalogue).
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/connect';
import { AUDIT_RULE_CODES, type AuditRuleCode } from '../../engine/audit';

const ruleSchema = z.strictObject({
  code: z.enum(AUDIT_RULE_CODES),
  subject: z.enum(['claim', 'prescription', 'claim_or_prescription', 'doctor']),
  titleZh: z.string().min(2),
  titleEn: z.string().min(2),
  descriptionZh: z.string().min(10),
  descriptionEn: z.string().min(10),
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  nationalRule: z.string().min(4).nullable(),
  points: z.int().min(0),
  active: z.boolean().default(true),
});
const fileSchema = z.strictObject({ source: z.string(), rules: z.array(ruleSchema) });
export type AuditRuleData = z.infer<typeof ruleSchema>;

let cached: AuditRuleData[] | null = null;

/** data/audit-rules.json, validated: every rule code once, and every code of the engine present. */
export function loadAuditRules(): AuditRuleData[] {
  if (cached) return cached;
  const url = new URL('../../../data/audit-rules.json', import.meta.url);
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(url, 'utf8')));
  if (!parsed.success) throw new Error(`data/audit-rules.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const codes = parsed.data.rules.map((r) => r.code);
  const missing = AUDIT_RULE_CODES.filter((c) => !codes.includes(c));
  if (missing.length || new Set(codes).size !== codes.length) throw new Error(`data/audit-rules.json: every rule once (missing: ${missing.join(', ') || 'none'})`);
  return (cached = parsed.data.rules);
}

export interface StoredRule extends AuditRuleData {
  version: number;
}

/** Writes a new version of each rule that changed; returns the latest version of every rule. */
export async function syncAuditRules(db: Database): Promise<Map<AuditRuleCode, StoredRule>> {
  const rules = loadAuditRules();
  const { rows } = await sql<{ code: AuditRuleCode; version: number; title_zh: string; title_en: string; description_zh: string; description_en: string; subject: string; params: Record<string, unknown>; national_rule: string | null; points: number; active: boolean }>`
    select distinct on (code) code, version, title_zh, title_en, description_zh, description_en, subject, params, national_rule, points, active
    from audit_rule order by code, version desc`.execute(db);
  const latest = new Map(rows.map((r) => [r.code, r]));
  const out = new Map<AuditRuleCode, StoredRule>();
  const fresh: StoredRule[] = [];
  for (const rule of rules) {
    const stored = latest.get(rule.code);
    const same = stored && stored.title_zh === rule.titleZh && stored.title_en === rule.titleEn && stored.description_zh === rule.descriptionZh
      && stored.description_en === rule.descriptionEn && stored.subject === rule.subject && JSON.stringify(sortKeys(stored.params)) === JSON.stringify(sortKeys(rule.params))
      && stored.national_rule === rule.nationalRule && stored.points === rule.points && stored.active === rule.active;
    const version = same ? stored.version : (stored?.version ?? 0) + 1;
    out.set(rule.code, { ...rule, version });
    if (!same) fresh.push({ ...rule, version });
  }
  if (fresh.length)
    await db.insertInto('audit_rule').values(fresh.map((r) => ({
      code: r.code, version: r.version, title_zh: r.titleZh, title_en: r.titleEn, description_zh: r.descriptionZh, description_en: r.descriptionEn,
      subject: r.subject, params: JSON.stringify(r.params), national_rule: r.nationalRule, points: r.points, active: r.active,
    }))).onConflict((oc) => oc.columns(['code', 'version']).doNothing()).execute();
  return out;
}

const sortKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
