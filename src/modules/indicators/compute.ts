// A period's indicators for every scope: the period's last month's rows summed per team in one scan, added
// up to institutions, counties and the city; the few counts kept by county beside (docs/indicators.md).
import type { Database } from '../../db/connect';
import { monthEnd, monthOf, type IsoDate } from '../../engine/calendar';
import { addCounters, emptyCounters, indicatorsOf, type Counters } from '../../engine/indicators/counters';
import { INDICATOR_VERSION } from '../../engine/indicators/patientMonth';
import { stockRate } from '../../engine/stock/stock';
import { CHRONIC_COMMON_LIST, loadDrugs } from '../reference/service';
import { ensureMonth } from './build';
import { auditFindings, countersByTeam, referralCompletion, stockedDrugs } from './queries';
import type { IndicatorReport, IndicatorScope, Ratio, ScopeLevel } from './types';

export interface ReportQuery { year: number; quarter: number | null; county?: string; insuranceType?: 'resident' | 'employee'; today: IsoDate }

/** The period's days, and the month whose rows answer it: its last, or today's while it runs. */
export function periodOf(q: Pick<ReportQuery, 'year' | 'quarter' | 'today'>) {
  const y = String(q.year).padStart(4, '0');
  const start = q.quarter ? `${y}-${String(q.quarter * 3 - 2).padStart(2, '0')}-01` : `${y}-01-01`;
  const lastMonth = q.quarter ? `${y}-${String(q.quarter * 3).padStart(2, '0')}` : `${y}-12`;
  const month = lastMonth <= monthOf(q.today) ? lastMonth : monthOf(q.today);
  return { start, end: monthEnd(month), month, complete: lastMonth < monthOf(q.today) };
}

interface Acc { level: ScopeLevel; code: string; parent?: string; counters: Counters }

export async function indicatorReport(db: Database, q: ReportQuery): Promise<IndicatorReport> {
  const period = periodOf(q);
  await ensureMonth(db, period.month);
  const [teams, names] = await Promise.all([
    countersByTeam(db, { month: period.month, county: q.county, insuranceType: q.insuranceType }, q.quarter === null),
    scopeNames(db),
  ]);

  const scopes = new Map<string, Acc>();
  const at = (level: ScopeLevel, code: string, parent?: string) => {
    const key = `${level}:${code}`;
    let s = scopes.get(key);
    if (!s) scopes.set(key, (s = { level, code, parent, counters: emptyCounters() }));
    return s;
  };
  const cityCode = q.county ? null : names.cityCode;
  if (q.county) at('county', q.county);
  // the person's county by address; their institution and team by contract
  for (const t of teams) {
    const chain = [
      ...(cityCode ? [at('city', cityCode)] : []),
      at('county', t.county_code, cityCode ?? undefined),
      ...(t.institution_id ? [at('institution', t.institution_id, names.institutionCounty.get(t.institution_id))] : []),
      ...(t.team_id && t.institution_id ? [at('team', t.team_id, t.institution_id)] : []),
    ];
    for (const s of chain) addCounters(s.counters, t.counters);
  }

  const claimsOf = (s: Acc | undefined) => (s ? s.counters.grassroots + s.counters.hospital + s.counters.pharmacy : 0);
  const beside = await countyCounts(db, period.start, period.end, q.today, q.county,
    (code) => claimsOf(code === null ? scopes.get(`city:${cityCode}`) : scopes.get(`county:${code}`)));
  const order: Record<ScopeLevel, number> = { city: 0, county: 1, institution: 2, team: 3 };
  const list: IndicatorScope[] = [...scopes.values()]
    .sort((a, b) => order[a.level] - order[b.level] || a.code.localeCompare(b.code))
    .map((s) => ({
      level: s.level, code: s.code, name: names.of(s.level, s.code), ...(s.parent ? { parent: s.parent } : {}),
      indicators: { ...indicatorsOf(s.counters), ...(s.level === 'county' || s.level === 'city' ? beside(s.level === 'city' ? null : s.code) : {}) },
    }));
  return {
    period: { year: q.year, quarter: q.quarter, start: period.start, end: period.end },
    version: INDICATOR_VERSION,
    ...(q.insuranceType ? { insuranceType: q.insuranceType } : {}),
    scopes: list,
  };
}

async function scopeNames(db: Database) {
  const [regions, institutions, teams] = await Promise.all([
    db.selectFrom('region').select(['code', 'name', 'level', 'parent_code']).where('level', 'in', ['city', 'county']).execute(),
    db.selectFrom('institution').select(['id', 'name', 'county_code']).execute(),
    db.selectFrom('family_doctor_team').select(['id', 'name']).execute(),
  ]);
  const region = new Map(regions.map((r) => [r.code, r.name]));
  const institution = new Map(institutions.map((i) => [i.id, i.name]));
  const team = new Map(teams.map((t) => [t.id, t.name]));
  const counties = new Set(institutions.map((i) => i.county_code));
  // the city the deployment serves: the one its institutions' counties belong to
  const cityCode = regions.find((r) => r.level === 'county' && counties.has(r.code))?.parent_code ?? '';
  return {
    cityCode,
    institutionCounty: new Map(institutions.map((i) => [i.id, i.county_code])),
    of: (level: ScopeLevel, code: string) => (level === 'institution' ? institution.get(code) : level === 'team' ? team.get(code) : region.get(code)) ?? code,
  };
}

/** The counts kept by county: the stock rate, referrals completed, audit findings. */
async function countyCounts(db: Database, from: IsoDate, to: IsoDate, today: IsoDate, county: string | undefined, claims: (code: string | null) => number) {
  const [referrals, findings, stocked, institutions] = await Promise.all([
    referralCompletion(db, from, to, county),
    auditFindings(db, from, to, county),
    stockedDrugs(db, today),
    db.selectFrom('institution').select(['id', 'county_code', 'upper_institution_id', 'level', 'kind']).execute(),
  ]);
  const chronic = new Set(loadDrugs().filter((d) => d.lists.includes(CHRONIC_COMMON_LIST)).map((d) => d.code));
  const held = new Map<string, string[]>();
  for (const s of stocked) if (chronic.has(s.drug_code)) held.set(s.institution_id, [...(held.get(s.institution_id) ?? []), s.drug_code]);
  // 备药率: a grassroots centre of a medical community against its upper institution (seed 002: ≥ 70 %)
  const stock = new Map<string, Ratio>();
  for (const i of institutions) {
    if (i.level !== 'grassroots' || !i.upper_institution_id || i.kind === 'village_clinic') continue;
    const rate = stockRate(held.get(i.upper_institution_id) ?? [], held.get(i.id) ?? []);
    if (rate.meetsTarget === null) continue;
    const r = stock.get(i.county_code) ?? { numerator: 0, denominator: 0 };
    stock.set(i.county_code, { numerator: r.numerator + +rate.meetsTarget, denominator: r.denominator + 1 });
  }
  const sum = <T>(rows: T[], code: string | null, key: (r: T) => string, num: (r: T) => number, den: (r: T) => number): Ratio =>
    rows.filter((r) => code === null || key(r) === code).reduce((a, r) => ({ numerator: a.numerator + num(r), denominator: a.denominator + den(r) }), { numerator: 0, denominator: 0 });
  return (code: string | null) => ({
    drug_stock: sum([...stock.entries()], code, ([c]) => c, ([, r]) => r.numerator, ([, r]) => r.denominator),
    referral_completion: sum(referrals, code, (r) => r.county_code, (r) => r.completed, (r) => r.requested),
    // per 1,000 of the period's two-disease claims (the rows' count: what the audit looks at)
    audit_findings_per_1000_claims: { numerator: sum(findings, code, (f) => f.county_code, (f) => f.findings, () => 0).numerator, denominator: claims(code) },
  });
}
