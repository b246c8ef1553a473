// A policy is resolved once into a flat routing table so that settling a claim is an array lookup
// plus a few integer operations: (insurance type, institution level, cause) → route. A route says
// which benefit pays, at what ratio, against which accumulators, and carries its explanations pre-written.
import { INSTITUTION_LEVELS, INSURANCE_TYPES, type BenefitKind, type InstitutionLevel, type InsuranceType, type Policy, type Scheme } from '../policy/schema';

/** Why a cost went where it went; stable machine-readable codes for the explanation. */
export type Reason =
  | 'two_disease' // in scope: the two-disease benefit pays
  | 'specified_disease' // a specified-disease benefit (规定病 / 门诊大病) pays
  | 'scope_general' // outside the two-disease scope: general outpatient
  | 'level_not_covered' // the two-disease benefit does not cover this institution level: general outpatient
  | 'disease_not_covered' // the line's disease is not one the two-disease benefit covers: general outpatient
  | 'supply_too_long' // the line's days of supply exceed the two-disease maximum: general outpatient
  | 'drug_not_listed' // the drug is not on the two-disease benefit's drug list: general outpatient (seed 002 item 12)
  | 'grade_level_not_permitted' // the disease's grade is not managed at this level: general outpatient (Hangzhou, seed 003)
  | 'not_chosen_institution' // the benefit pays only at the patient's chosen institution: general outpatient (Qingdao, seed 003)
  | 'refused_out_of_scope' // outside the two-disease scope and the policy refuses such cost
  | 'refused_level_not_covered' // no benefit of the scheme that could take the cost covers this level
  | 'refused_not_listed' // the drug is on no list the scheme pays for: self-paid
  | 'refused_no_scheme'; // the policy has no scheme for this insurance type

/**
 * Why a cost might leave the two-disease benefit, before the institution level is considered. The
 * causes after these are the scheme's specified-disease benefits, one each, in the file's order.
 */
export const CAUSES = ['in_scope', 'scope_general', 'disease_not_covered', 'supply_too_long', 'drug_not_listed', 'grade_level_not_permitted', 'not_chosen_institution', 'not_on_general_list'] as const;
export const CAUSE_NOT_ON_GENERAL_LIST = 7;
export const CAUSE_SPECIFIED = CAUSES.length;
const CAUSE_REASON: Reason[] = ['level_not_covered', 'scope_general', 'disease_not_covered', 'supply_too_long', 'drug_not_listed', 'grade_level_not_permitted', 'not_chosen_institution'];

export interface Route {
  index: number;
  benefit: BenefitKind | 'none';
  /** The specified-disease benefit's key, for benefit 'specified'. */
  category: string | null;
  reason: Reason;
  /** Accumulator drawn on (its deductible and limit), as an index into pools; -1 when refused. */
  pool: number;
  /** Its key in PersonYearState.pools, or null when refused. */
  poolKey: string | null;
  /** A second limit the benefit may not pass within a shared pool (general outpatient's own limit), or -1. */
  capPool: number;
  /** Accumulator of cost passed on to critical-illness insurance (大病保险), or -1. */
  ciPool: number;
  /** Pool whose remaining limit is reported (for a refusal: the benefit the claim asked for), or -1. */
  shownPool: number;
  ratioBp: number;
  deductibleFen: number;
  /** Annual limit of the pool drawn on (or, for a refusal, of the pool shown); Infinity when there is none. */
  limitFen: number;
  capLimitFen: number;
  /** In-scope self-paid and over-limit cost count toward critical-illness insurance. */
  criticalIllness: boolean;
  /** Indexed by flags: 1 = some deductible was paid, 2 = the limit cut the fund's share. */
  explanations: [string, string, string, string];
}

export interface CompiledPool {
  key: string; // "<insurance type>.<pool id>", the key in PersonYearState.pools
  limitFen: number; // Infinity: no limit
  deductibleFen: number;
}

export interface CompiledScheme {
  diseases: ReadonlySet<string>;
  maxDaysSupply: number;
  /** Lists a drug must be on: the two-disease benefit's and the general benefit's (null: no general benefit). */
  drugList: string;
  generalDrugList: string | null;
  /** Disease → levels that may manage it, for diseases in a grade. */
  gradeLevels: ReadonlyMap<string, ReadonlySet<number>>;
  extended: { drugList: string; levels: ReadonlySet<number> } | null;
  chosenOnly: boolean;
  specified: Array<{ key: string; diseases: ReadonlySet<string>; maxDaysSupply: number; drugList: string; chosenOnly: boolean }>;
}

export interface CompiledPolicy {
  policy: Policy;
  pools: CompiledPool[];
  routes: Route[];
  /** routes by [insurance type][level][cause], flattened; see routeAt(). */
  table: Route[];
  causeCount: number;
  schemes: Array<CompiledScheme | undefined>;
}

// switch, not an object lookup: compiled to a few string comparisons on the hot path.
/** Index into INSURANCE_TYPES, or -1. */
export function typeIndex(type: string): number {
  switch (type) {
    case 'resident': return 0;
    case 'employee': return 1;
    default: return -1;
  }
}
/** Index into INSTITUTION_LEVELS, or -1. */
export function levelIndex(level: string): number {
  switch (level) {
    case 'grassroots': return 0;
    case 'secondary': return 1;
    case 'tertiary': return 2;
    case 'pharmacy': return 3;
    default: return -1;
  }
}

export function routeAt(c: CompiledPolicy, type: number, level: number, cause: number): Route {
  return c.table[(type * INSTITUTION_LEVELS.length + level) * c.causeCount + cause];
}

const LEVEL_ZH: Record<InstitutionLevel, string> = { grassroots: '基层医疗机构', secondary: '二级医疗机构', tertiary: '三级医疗机构', pharmacy: '连锁定点零售药店' };
const TYPE_ZH: Record<InsuranceType, string> = { resident: '城乡居民医保', employee: '职工医保' };
const REASON_ZH: Record<Reason, string> = {
  two_disease: '',
  specified_disease: '',
  scope_general: '不属于“两病”门诊用药保障范围，按普通门诊待遇结算',
  level_not_covered: '“两病”门诊用药保障不含该级别机构，按普通门诊待遇结算',
  disease_not_covered: '所治疾病不在“两病”保障病种内，按普通门诊待遇结算',
  supply_too_long: '用药天数超过长处方上限，按普通门诊待遇结算',
  drug_not_listed: '药品不在“两病”保障用药范围内，按普通门诊待遇结算',
  grade_level_not_permitted: '该病种分级管理不含该级别机构，按普通门诊待遇结算',
  not_chosen_institution: '非参保人选定的定点机构，按普通门诊待遇结算',
  refused_out_of_scope: '不属于“两病”门诊用药保障范围，本政策不予报销',
  refused_level_not_covered: '该级别机构不在本险种门诊待遇范围内，不予报销',
  refused_not_listed: '药品不在医保药品目录内，全部自费',
  refused_no_scheme: '本政策未设该险种方案，不予报销',
};

const yuan = (fen: number) => `${Math.floor(fen / 100)}${fen % 100 ? `.${String(fen % 100).padStart(2, '0')}` : ''}元`;
const percent = (bp: number) => `${bp / 100}%`;
const limitOf = (fen: number | null) => (fen === null ? Infinity : fen);

const cache = new WeakMap<Policy, CompiledPolicy>();

/** Resolves a policy once; the result is cached per policy object. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const hit = cache.get(policy);
  if (hit) return hit;
  const pools: CompiledPool[] = [];
  const poolIndex = new Map<string, number>();
  const addPool = (key: string, limitFen: number, deductibleFen: number) => {
    const at = poolIndex.get(key);
    if (at !== undefined) {
      // Benefits sharing a pool add their limits together (Jiaxing employees: chronic limit on top of the general one).
      pools[at].limitFen += limitFen;
      return at;
    }
    poolIndex.set(key, pools.length);
    pools.push({ key, limitFen, deductibleFen });
    return pools.length - 1;
  };
  for (const type of INSURANCE_TYPES) {
    const scheme = policy.schemes[type];
    if (!scheme) continue;
    const { two_disease, general, specified } = scheme.benefits;
    for (const b of [two_disease, general, ...Object.values(specified ?? {})]) if (b) addPool(`${type}.${b.pool}`, limitOf(b.annual_limit.fen), b.deductible.fen);
    // In a shared pool, general outpatient keeps its own limit as a cap of its own.
    if (general && general.pool === two_disease.pool) addPool(`${type}.${general.pool}.general`, limitOf(general.annual_limit.fen), 0);
    if (scheme.linkage.self_paid === 'counts_toward_critical_illness') addPool(`${type}.critical_illness`, Infinity, 0);
  }

  // at least one specified cause, so that a specified-disease claim (the batch's scope) has a column even where none is declared
  const causeCount = CAUSE_SPECIFIED + Math.max(1, ...INSURANCE_TYPES.map((t) => Object.keys(policy.schemes[t]?.benefits.specified ?? {}).length));
  const routes: Route[] = [];
  const table: Route[] = [];
  const schemes: Array<CompiledScheme | undefined> = [];
  INSURANCE_TYPES.forEach((type, t) => {
    const scheme = policy.schemes[type];
    schemes[t] = scheme && compileScheme(scheme);
    INSTITUTION_LEVELS.forEach((level, l) => {
      for (let c = 0; c < causeCount; c++) {
        const route = resolve(type, scheme, level, c, pools, poolIndex);
        const same = routes.find((r) => sameRoute(r, route));
        const at = (t * INSTITUTION_LEVELS.length + l) * causeCount + c;
        if (same) table[at] = same;
        else {
          route.index = routes.length;
          routes.push(route);
          table[at] = route;
        }
      }
    });
  });
  const compiled = { policy, pools, routes, table, causeCount, schemes };
  cache.set(policy, compiled);
  return compiled;
}

const levelSet = (levels: InstitutionLevel[]) => new Set(levels.map(levelIndex));

function compileScheme(scheme: Scheme): CompiledScheme {
  const { two_disease, general, specified } = scheme.benefits;
  const gradeLevels = new Map<string, Set<number>>();
  for (const g of Object.values(two_disease.grades ?? {})) for (const d of g.diseases) gradeLevels.set(d, levelSet(g.levels));
  const ext = two_disease.extended_prescription;
  return {
    diseases: new Set(two_disease.diseases),
    maxDaysSupply: two_disease.max_days_supply.days,
    drugList: two_disease.drug_list,
    generalDrugList: general?.drug_list ?? null,
    gradeLevels,
    extended: ext ? { drugList: ext.drug_list, levels: levelSet(ext.levels) } : null,
    chosenOnly: two_disease.chosen_institution_only === true,
    specified: Object.entries(specified ?? {}).map(([key, b]) => ({ key, diseases: new Set(b.diseases), maxDaysSupply: b.max_days_supply.days, drugList: b.drug_list, chosenOnly: b.chosen_institution_only === true })),
  };
}

function resolve(type: InsuranceType, scheme: Scheme | undefined, level: InstitutionLevel, cause: number, pools: CompiledPool[], poolIndex: Map<string, number>): Route {
  const ci = poolIndex.get(`${type}.critical_illness`) ?? -1;
  const refuse = (reason: Reason, shownPool = -1): Route => {
    const text = `${TYPE_ZH[type]}｜${LEVEL_ZH[level]}：${REASON_ZH[reason]}`;
    const limitFen = shownPool < 0 ? 0 : pools[shownPool].limitFen;
    return { index: -1, benefit: 'none', category: null, reason, pool: -1, poolKey: null, capPool: -1, ciPool: -1, shownPool, ratioBp: 0, deductibleFen: 0, limitFen, capLimitFen: Infinity, criticalIllness: false, explanations: [text, text, text, text] };
  };
  if (!scheme) return refuse('refused_no_scheme');
  const { two_disease, general } = scheme.benefits;
  const specified = Object.entries(scheme.benefits.specified ?? {});
  const poolOf = (pool: string) => poolIndex.get(`${type}.${pool}`)!;
  // a specified-disease claim where the scheme declares no such benefit: as a disease the benefit does not cover
  if (cause >= CAUSE_SPECIFIED && cause - CAUSE_SPECIFIED >= specified.length) cause = 2;
  const [category, chosen] = cause >= CAUSE_SPECIFIED ? specified[cause - CAUSE_SPECIFIED] : [null, cause === 0 ? two_disease : null];
  let kind: BenefitKind;
  let reason: Reason;
  if (chosen && chosen.ratios[level]) {
    kind = category === null ? 'two_disease' : 'specified';
    reason = category === null ? 'two_disease' : 'specified_disease';
  } else if (cause === CAUSE_NOT_ON_GENERAL_LIST) {
    return refuse('refused_not_listed', general ? poolOf(general.pool) : poolOf(two_disease.pool));
  } else if (scheme.linkage.out_of_scope === 'refuse' || !general) {
    return refuse(chosen ? 'refused_level_not_covered' : 'refused_out_of_scope', poolOf((chosen ?? two_disease).pool));
  } else if (!general.ratios[level]) {
    return refuse('refused_level_not_covered', poolOf(chosen ? chosen.pool : general.pool));
  } else {
    kind = 'general';
    reason = cause >= CAUSE_SPECIFIED ? 'level_not_covered' : CAUSE_REASON[cause];
  }
  const benefit = kind === 'general' ? general! : chosen!;
  const pool = poolOf(benefit.pool);
  const capPool = kind === 'general' ? (poolIndex.get(`${type}.${general!.pool}.general`) ?? -1) : -1;
  const { limitFen, deductibleFen } = pools[pool];
  const capLimitFen = capPool < 0 ? Infinity : pools[capPool].limitFen;
  const shownLimit = Math.min(limitFen, capLimitFen);
  const ratioBp = benefit.ratios[level]!.bp;
  const criticalIllness = kind === 'two_disease' && ci >= 0;
  const head = `${TYPE_ZH[type]}｜${LEVEL_ZH[level]}：${reason === 'two_disease' || reason === 'specified_disease' ? '' : `${REASON_ZH[reason]}；`}${benefit.name}，报销比例${percent(ratioBp)}`;
  const ded = deductibleFen > 0 ? `；先自付起付线（年度${yuan(deductibleFen)}）` : '';
  const over = Number.isFinite(shownLimit) ? `；已达年度最高支付限额${yuan(shownLimit)}，限额以上费用自付` : '';
  const head0 = `${head}${deductibleFen > 0 ? '' : '，不设起付线'}${Number.isFinite(shownLimit) ? '' : '，不设年度限额'}`;
  return {
    index: -1,
    benefit: kind,
    category,
    reason,
    pool,
    poolKey: pools[pool].key,
    capPool,
    ciPool: criticalIllness ? ci : -1,
    shownPool: pool,
    ratioBp,
    deductibleFen,
    limitFen,
    capLimitFen,
    criticalIllness,
    explanations: [head0, head0 + ded, head0 + over, head0 + ded + over],
  };
}

function sameRoute(a: Route, b: Route): boolean {
  return a.benefit === b.benefit && a.category === b.category && a.reason === b.reason && a.pool === b.pool && a.capPool === b.capPool && a.shownPool === b.shownPool && a.ratioBp === b.ratioBp && a.explanations[0] === b.explanations[0];
}
