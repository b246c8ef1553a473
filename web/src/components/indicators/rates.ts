// The dashboard's indicators: where each one's numerator and denominator sit in the report, its target
// (seeds 000 and 002: contracting ≥ 80 %, standardised management ≥ 70 % per disease, grassroots visits
// ≥ 70 %, drug stock ≥ 70 %) and how a rate is written: numerator / denominator computed here, one decimal,
// with the counts beside; a denominator of 0 is "—".
import type { IndicatorScope, Indicators, PatientIndicator, Ratio, ScopeLevel } from '../../pages/indicators/types.ts';

/**
 * The targets, in per cent. Control has no national target: CONTROL_REFERENCE is a reference line only,
 * always labelled as such and never coloured met / not met (null: no reference drawn).
 */
export const TARGETS = { contracting: 80, standardisedManagement: 70, grassrootsVisits: 70, drugStock: 70 } as const;
export const CONTROL_REFERENCE: number | null = 60;

export type RateKey = 'contracting' | 'registered' | 'sm_ht' | 'sm_dm' | 'control_ht' | 'control_dm' | 'grassroots' | 'drug_stock' | 'delivered' | 'referral' | 'audit';

export type Goal = { kind: 'target'; value: number } | { kind: 'reference'; value: number } | { kind: 'none' };

export interface RateDef {
  key: RateKey;
  get: (i: Indicators) => Ratio | undefined;
  goal: Goal;
  /** The patient list behind it (GET /api/indicators/patients), when there is one. */
  patients?: PatientIndicator;
  /** Written per 1,000 (‰) instead of per cent. */
  perMille?: boolean;
  /** Only counties and the city have it. */
  countyOnly?: boolean;
}

const reference: Goal = CONTROL_REFERENCE === null ? { kind: 'none' } : { kind: 'reference', value: CONTROL_REFERENCE };

export const RATES: readonly RateDef[] = [
  { key: 'contracting', get: (i) => i.contracting, goal: { kind: 'target', value: TARGETS.contracting }, patients: 'contracting' },
  { key: 'sm_ht', get: (i) => i.standardised_management.hypertension, goal: { kind: 'target', value: TARGETS.standardisedManagement }, patients: 'standardised_management.hypertension' },
  { key: 'sm_dm', get: (i) => i.standardised_management.diabetes, goal: { kind: 'target', value: TARGETS.standardisedManagement }, patients: 'standardised_management.diabetes' },
  { key: 'grassroots', get: (i) => i.grassroots_visits, goal: { kind: 'target', value: TARGETS.grassrootsVisits } },
  { key: 'control_ht', get: (i) => i.control.hypertension, goal: reference, patients: 'control.hypertension' },
  { key: 'control_dm', get: (i) => i.control.diabetes, goal: reference, patients: 'control.diabetes' },
  { key: 'registered', get: (i) => i.registered, goal: { kind: 'none' }, patients: 'registered' },
  { key: 'drug_stock', get: (i) => i.drug_stock, goal: { kind: 'target', value: TARGETS.drugStock }, countyOnly: true },
  { key: 'delivered', get: (i) => i.delivered_share, goal: { kind: 'none' } },
  { key: 'referral', get: (i) => i.referral_completion, goal: { kind: 'none' }, countyOnly: true },
  { key: 'audit', get: (i) => i.audit_findings_per_1000_claims, goal: { kind: 'none' }, countyOnly: true, perMille: true },
];

export const rateDef = (key: RateKey): RateDef => RATES.find((r) => r.key === key)!;

/** The rates a level has (the county-only ones for counties and the city). */
export const ratesFor = (level: ScopeLevel): RateDef[] => RATES.filter((r) => !r.countyOnly || level === 'city' || level === 'county');

/** The rates the trend and the comparison offer (those with a target first). */
export const CHARTED: readonly RateKey[] = ['contracting', 'sm_ht', 'sm_dm', 'grassroots', 'control_ht', 'control_dm', 'registered', 'drug_stock'];

export type Status = 'met' | 'not_met' | 'reference' | 'none' | 'no_data';

/** Met or not against the target, on the exact fraction (numerator × 100 ≥ target × denominator). */
export function statusOf(r: Ratio | undefined, goal: Goal): Status {
  if (!r || r.denominator === 0) return 'no_data';
  if (goal.kind === 'target') return r.numerator * 100 >= goal.value * r.denominator ? 'met' : 'not_met';
  return goal.kind;
}

export const STATUS_COLOR: Record<Status, string> = {
  met: '#389e0d',
  not_met: '#cf1322',
  reference: '#0e7c86',
  none: '#0e7c86',
  no_data: '#bfbfbf',
};

const integer = new Intl.NumberFormat('en-US');
/** 1234 → "1,234". */
export const count = (n: number): string => integer.format(n);

/** Integer fen as yuan with 2 decimals and thousands separators: 15853570 → "158,535.70". */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${count(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** The rate in per cent (per mille) rounded half up to one decimal, or null for a denominator of 0. */
export function rateValue(r: Ratio | undefined, perMille = false): number | null {
  if (!r || r.denominator === 0) return null;
  const scale = perMille ? 10_000 : 1_000;
  return Math.round((r.numerator * scale) / r.denominator) / 10;
}

/** "78.4 %" ("2.3 ‰"), or "—". */
export function rateText(r: Ratio | undefined, perMille = false): string {
  const v = rateValue(r, perMille);
  return v === null ? '—' : `${v.toFixed(1)} ${perMille ? '‰' : '%'}`;
}

/** "(1,234 / 1,574)". */
export const countsText = (r: Ratio): string => `(${count(r.numerator)} / ${count(r.denominator)})`;

/** "78.4 % (1,234 / 1,574)", or "—" for a denominator of 0. */
export function rateWithCounts(r: Ratio | undefined, perMille = false): string {
  if (!r || r.denominator === 0) return '—';
  return `${rateText(r, perMille)} ${countsText(r)}`;
}

/** The tree of a report's flat scope list: children by parent, level by level. */
export interface ScopeTree {
  byCode: Map<string, IndicatorScope>;
  /** The caller's top scope: the city for the analyst, the county for a reviewer. */
  root: IndicatorScope | undefined;
  children: (code: string) => IndicatorScope[];
  /** The scope and those above it, the top first. */
  path: (code: string) => IndicatorScope[];
}

const BELOW: Record<ScopeLevel, ScopeLevel | null> = { city: 'county', county: 'institution', institution: 'team', team: null };
export const levelBelow = (level: ScopeLevel): ScopeLevel | null => BELOW[level];

export function scopeTree(scopes: readonly IndicatorScope[]): ScopeTree {
  const byCode = new Map(scopes.map((s) => [s.code, s]));
  const kids = new Map<string, IndicatorScope[]>();
  for (const s of scopes) {
    if (!s.parent) continue;
    const list = kids.get(s.parent) ?? [];
    list.push(s);
    kids.set(s.parent, list);
  }
  for (const list of kids.values()) list.sort((a, b) => (a.level === 'county' ? a.code.localeCompare(b.code) : a.name.localeCompare(b.name, 'zh-CN')));
  const root = scopes.find((s) => s.level === 'city') ?? scopes.find((s) => s.level === 'county') ?? scopes[0];
  return {
    byCode,
    root,
    children: (code) => {
      const s = byCode.get(code);
      const below = s ? BELOW[s.level] : null;
      return (kids.get(code) ?? []).filter((c) => c.level === below);
    },
    path: (code) => {
      const out: IndicatorScope[] = [];
      let s = byCode.get(code);
      while (s && out.length < 5) {
        out.unshift(s);
        s = s.parent ? byCode.get(s.parent) : undefined;
      }
      return out;
    },
  };
}
