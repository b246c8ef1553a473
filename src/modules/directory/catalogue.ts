// The read-only catalogues an administrator looks up: the benefit policies in force (what
// `manbing policy show` prints, as data the web app renders in the reader's language), and the drug
// catalogue with its lists. Amounts stay in fen and ratios in basis points; the reader formats them.
import type { BookEntry } from '../../core/policyBook';
import { INSTITUTION_LEVELS, INSURANCE_TYPES, type Benefit, type Cite, type Policy, type Sourced } from '../../engine/policy/schema';

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
