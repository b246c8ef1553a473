// The read-only catalogues an administrator looks up: the benefit policies in force (what
// `manbing policy show` prints, as data the web app renders in the reader's language), the drug
// catalogue with its lists, and the regions the institution form picks from. Amounts stay in fen and
// ratios in basis points; the reader formats them.
import { isIsoDate } from '../../engine/calendar';
import type { AppContext } from '../../core/context';
import { notFound } from '../../core/problem';
import type { Actor } from '../../core/audit';
import { requireAccess } from '../../core/access';
import type { BookEntry } from '../../core/policyBook';
import { INSTITUTION_LEVELS, INSURANCE_TYPES, type Benefit, type Cite, type Policy, type Sourced } from '../../engine/policy/schema';
import { loadDrugLists } from '../reference/service';
import * as q from './queries';
import { fail, today } from './shared';

/** Where a number comes from: a seed's (or another document's) item and words, or a local decision and why. */
export type SourceView = { kind: 'cite'; seed: string | null; doc: string | null; item: string | null; quote: string | null } | { kind: 'local'; reason: string };

const citeView = (c: Cite): SourceView => ({ kind: 'cite', seed: c.seed ?? null, doc: c.doc ?? null, item: c.item ?? null, quote: c.quote ?? null });
const sourceView = (s: Sourced): SourceView | null => (s.cite ? citeView(s.cite) : s.local ? { kind: 'local', reason: s.local } : null);

export function policySummary(e: BookEntry, date: string) {
  const p = e.policy;
  return {
    id: e.id,
    name: p.name,
    region: { code: p.region.code, name: p.region.name },
    effective: { from: p.effective.from, to: p.effective.to ?? null },
    inForce: p.effective.from <= date && (!p.effective.to || date <= p.effective.to),
    schemes: INSURANCE_TYPES.filter((t) => p.schemes[t]).map((t) => ({ type: t, name: p.schemes[t]!.name })),
  };
}

function benefitView(kind: 'two_disease' | 'general' | 'specified', key: string | null, b: Benefit) {
  const extra = b as Benefit & { chosen_institution_only?: boolean; category?: string; grades?: Record<string, { levels: string[]; diseases: string[] } & Sourced>; extended_prescription?: { drug_list: string; levels: string[] } & Sourced };
  return {
    kind,
    key,
    name: b.name,
    pool: b.pool,
    deductible: { fen: b.deductible.fen, source: sourceView(b.deductible) },
    annualLimit: { fen: b.annual_limit.fen, source: sourceView(b.annual_limit) },
    ratios: INSTITUTION_LEVELS.map((level) => {
      const r = b.ratios[level];
      return { level, bp: r ? r.bp : null, source: r ? sourceView(r) : null };
    }),
    maxDaysSupply: { days: b.max_days_supply.days, source: sourceView(b.max_days_supply) },
    /** null: any disease (a general-outpatient benefit without a list). */
    diseases: b.diseases ?? null,
    drugList: b.drug_list,
    chosenInstitutionOnly: extra.chosen_institution_only ?? false,
    category: extra.category ?? null,
    note: b.note ?? null,
    grades: Object.entries(extra.grades ?? {}).map(([grade, g]) => ({ grade, levels: g.levels, diseases: g.diseases, source: sourceView(g) })),
    extendedPrescription: extra.extended_prescription
      ? { drugList: extra.extended_prescription.drug_list, levels: extra.extended_prescription.levels, source: sourceView(extra.extended_prescription) }
      : null,
  };
}

/** A policy as `policy show` reads it: region and period, pricing, registration, and per scheme its benefits and pools. */
export function policyView(e: BookEntry, date: string) {
  const p: Policy = e.policy;
  return {
    ...policySummary(e, date),
    note: p.note ?? null,
    registration: p.registration ? { oneStopLevels: p.registration.one_stop_levels, source: sourceView(p.registration) } : null,
    pricing: {
      items: (['drugs', 'services'] as const).flatMap((kind) =>
        Object.entries(p.pricing?.[kind] ?? {}).map(([level, r]) => ({ kind, level, bp: r!.bp, source: sourceView(r!) })),
      ),
      note: p.pricing?.note ?? null,
    },
    schemeDetails: INSURANCE_TYPES.map((type) => {
      const s = p.schemes[type];
      if (!s) return { type, defined: false as const };
      const { two_disease, general, specified } = s.benefits;
      const benefits = [
        benefitView('two_disease', null, two_disease),
        ...(general ? [benefitView('general', null, general)] : []),
        ...Object.entries(specified ?? {}).map(([k, b]) => benefitView('specified', k, b)),
      ];
      // benefits naming one pool share its deductible and its limit, the sum of theirs (as policy show adds them)
      const pools = new Map<string, number | null>();
      for (const b of benefits) {
        const prev = pools.has(b.pool) ? pools.get(b.pool)! : 0;
        pools.set(b.pool, prev === null || b.annualLimit.fen === null ? null : prev + b.annualLimit.fen);
      }
      const generalShares = general && general.pool === two_disease.pool && general.annual_limit.fen !== null ? general.annual_limit.fen : null;
      return {
        type,
        defined: true as const,
        name: s.name,
        note: s.note ?? null,
        linkage: { outOfScope: s.linkage.out_of_scope, selfPaid: s.linkage.self_paid, source: s.linkage.cite ? citeView(s.linkage.cite) : null },
        benefits,
        pools: [...pools].map(([pool, limitFen]) => ({ pool, limitFen, generalAtMostFen: pool === two_disease.pool ? generalShares : null })),
      };
    }),
  };
}

/** Every disease code a policy names (benefits and grades), for the reader's disease names. */
export function diseasesOf(view: ReturnType<typeof policyView>): string[] {
  const codes = new Set<string>();
  for (const s of view.schemeDetails)
    if (s.defined) for (const b of s.benefits) for (const d of [...(b.diseases ?? []), ...b.grades.flatMap((g) => g.diseases)]) codes.add(d);
  return [...codes];
}

// ---- regions (for the institution form) ----

export async function listRegions(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'catalogue.read');
  const rows = await q.regionsUnder(ctx.db, '', ['city', 'county', 'town']);
  return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, level: r.level as 'city' | 'county' | 'town', parentCode: r.parent_code }));
}

// ---- read-only catalogues ----

/** Every policy with its period and whether it is in force on the date; for a region, the one that applies there. */
export async function listPolicies(ctx: AppContext, actor: Actor, f: { regionCode?: string; date?: string }) {
  await requireAccess(ctx, actor, 'catalogue.read');
  const date = f.date ?? today(ctx);
  if (!isIsoDate(date)) throw fail([{ field: 'query.date', rule: 'invalid_date', message: 'a calendar date YYYY-MM-DD' }]);
  const applying = f.regionCode ? ctx.policies.forRegion(f.regionCode, date) : undefined;
  return {
    date,
    regionCode: f.regionCode ?? null,
    applies: f.regionCode ? (applying?.id ?? null) : null,
    items: ctx.policies.all.map((e) => policySummary(e, date)).sort((a, b) => a.region.code.localeCompare(b.region.code) || a.effective.from.localeCompare(b.effective.from)),
  };
}

export async function getPolicy(ctx: AppContext, actor: Actor, id: string) {
  await requireAccess(ctx, actor, 'catalogue.read');
  const entry = ctx.policies.byId(id);
  if (!entry) throw notFound('No such policy');
  const view = policyView(entry, today(ctx));
  const codes = diseasesOf(view);
  const diseases = codes.length ? await ctx.db.selectFrom('disease').select(['code', 'name_zh', 'name_en']).where('code', 'in', codes).execute() : [];
  const lists = loadDrugLists();
  return {
    ...view,
    diseaseNames: diseases.map((d) => ({ code: d.code, nameZh: d.name_zh, nameEn: d.name_en })),
    drugLists: lists.map((l) => ({ id: l.id, nameZh: l.nameZh, nameEn: l.nameEn })),
  };
}

export interface DrugFilter {
  list?: string;
  disease?: string;
  vbp?: boolean;
  q?: string;
}

/** The drug catalogue with the names of its lists (药品目录), filtered by list, disease, volume-based procurement (集采) and name or code. */
export async function listDrugs(ctx: AppContext, actor: Actor, f: DrugFilter) {
  await requireAccess(ctx, actor, 'catalogue.read');
  let query = ctx.db.selectFrom('drug').selectAll().orderBy('code');
  if (f.disease) query = query.where((eb) => eb(eb.val(f.disease!), '=', eb.fn.any('diseases')));
  if (f.list === 'none') query = query.where((eb) => eb(eb.fn('cardinality', ['lists']), '=', 0));
  else if (f.list) query = query.where((eb) => eb(eb.val(f.list!), '=', eb.fn.any('lists')));
  if (f.vbp !== undefined) query = query.where('vbp', '=', f.vbp);
  if (f.q) {
    const text = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('generic_name_zh', 'like', text), eb('generic_name_en', 'ilike', text), eb('code', 'ilike', text), eb('atc', 'ilike', text)]));
  }
  const [rows, diseases] = await Promise.all([query.execute(), ctx.db.selectFrom('disease').select(['code', 'name_zh', 'name_en']).orderBy('code').execute()]);
  return {
    lists: loadDrugLists().map((l) => ({ id: l.id, nameZh: l.nameZh, nameEn: l.nameEn })),
    diseases: diseases.map((d) => ({ code: d.code, nameZh: d.name_zh, nameEn: d.name_en })),
    items: rows.map((d) => ({
      code: d.code, genericNameZh: d.generic_name_zh, genericNameEn: d.generic_name_en, form: d.form, strength: d.strength, packSize: d.pack_size,
      unit: d.unit, atc: d.atc, diseases: d.diseases, vbp: d.vbp, priceFen: d.price_fen, lists: d.lists,
    })),
  };
}
