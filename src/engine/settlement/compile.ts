// A policy is resolved once into a flat routing table so that settling a claim is an array lookup
// plus a few integer operations: (insurance type, institution level, cause) → route. A route says
// which benefit pays, at what ratio, against which pool, and carries its explanations pre-written.
import { INSTITUTION_LEVELS, INSURANCE_TYPES, type BenefitKind, type InstitutionLevel, type InsuranceType, type Policy, type Scheme } from '../policy/schema';

/** Why a cost went where it went; stable machine-readable codes for the explanation. */
export type Reason =
  | 'two_disease' // in scope: the two-disease benefit pays
  | 'scope_general' // outside the two-disease scope: general outpatient
  | 'level_not_covered' // the two-disease benefit does not cover this institution level: general outpatient
  | 'disease_not_covered' // the line's disease is not one the two-disease benefit covers: general outpatient
  | 'supply_too_long' // the line's days of supply exceed the two-disease maximum: general outpatient
  | 'refused_out_of_scope' // outside the two-disease scope and the policy refuses such cost
  | 'refused_level_not_covered' // no benefit of the scheme that could take the cost covers this level
  | 'refused_no_scheme'; // the policy has no scheme for this insurance type

/** Why a cost might leave the two-disease benefit, before the institution level is considered. */
export const CAUSES = ['in_scope', 'scope_general', 'disease_not_covered', 'supply_too_long'] as const;
const CAUSE_REASON: Reason[] = ['level_not_covered', 'scope_general', 'disease_not_covered', 'supply_too_long'];

export interface Route {
  index: number;
  benefit: BenefitKind | 'none';
  reason: Reason;
  /** Pool drawn on, as an index into the person's accumulators; -1 when refused. */
  pool: number;
  /** Its key in PersonYearState.pools, or null when refused. */
  poolKey: string | null;
  /** Pool whose remaining limit is reported (for a refusal: the benefit the claim asked for), or -1. */
  shownPool: number;
  ratioBp: number;
  deductibleFen: number;
  /** Annual limit of the pool drawn on (or, for a refusal, of the pool shown). */
  limitFen: number;
  /** In-scope self-paid and over-limit cost count toward critical-illness insurance. */
  criticalIllness: boolean;
  /** Indexed by flags: 1 = some deductible was paid, 2 = the limit cut the fund's share. */
  explanations: [string, string, string, string];
}

export interface CompiledPool {
  key: string; // "<insurance type>.<pool id>", the key in PersonYearState.pools
  limitFen: number;
  deductibleFen: number;
}

export interface CompiledScheme {
  diseases: ReadonlySet<string>;
  maxDaysSupply: number;
}

export interface CompiledPolicy {
  policy: Policy;
  pools: CompiledPool[];
  routes: Route[];
  /** routes by [insurance type][level][cause], flattened; see routeIndex(). */
  table: Route[];
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

export function routeIndex(type: number, level: number, cause: number): number {
  return (type * INSTITUTION_LEVELS.length + level) * CAUSES.length + cause;
}

const LEVEL_ZH: Record<InstitutionLevel, string> = { grassroots: '基层医疗机构', secondary: '二级医疗机构', tertiary: '三级医疗机构', pharmacy: '连锁定点零售药店' };
const TYPE_ZH: Record<InsuranceType, string> = { resident: '城乡居民医保', employee: '职工医保' };
const REASON_ZH: Record<Reason, string> = {
  two_disease: '',
  scope_general: '不属于“两病”门诊用药保障范围，按普通门诊待遇结算',
  level_not_covered: '“两病”门诊用药保障不含该级别机构，按普通门诊待遇结算',
  disease_not_covered: '所治疾病不在“两病”保障病种内，按普通门诊待遇结算',
  supply_too_long: '用药天数超过长处方上限，按普通门诊待遇结算',
  refused_out_of_scope: '不属于“两病”门诊用药保障范围，本政策不予报销',
  refused_level_not_covered: '该级别机构不在本险种门诊待遇范围内，不予报销',
  refused_no_scheme: '本政策未设该险种方案，不予报销',
};

const yuan = (fen: number) => `${Math.floor(fen / 100)}${fen % 100 ? `.${String(fen % 100).padStart(2, '0')}` : ''}元`;
const percent = (bp: number) => `${bp / 100}%`;

const cache = new WeakMap<Policy, CompiledPolicy>();

/** Resolves a policy once; the result is cached per policy object. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const hit = cache.get(policy);
  if (hit) return hit;
  const pools: CompiledPool[] = [];
  const poolIndex = new Map<string, number>();
  for (const type of INSURANCE_TYPES) {
    const scheme = policy.schemes[type];
    if (!scheme) continue;
    for (const benefit of [scheme.benefits.two_disease, scheme.benefits.general]) {
      if (!benefit) continue;
      const key = `${type}.${benefit.pool}`;
      const at = poolIndex.get(key);
      // Benefits sharing a pool add their limits together (Jiaxing employees: chronic limit on top of the general one).
      if (at !== undefined) pools[at].limitFen += benefit.annual_limit.fen;
      else {
        poolIndex.set(key, pools.length);
        pools.push({ key, limitFen: benefit.annual_limit.fen, deductibleFen: benefit.deductible.fen });
      }
    }
  }

  const routes: Route[] = [];
  const table: Route[] = [];
  const schemes: Array<CompiledScheme | undefined> = [];
  INSURANCE_TYPES.forEach((type, t) => {
    const scheme = policy.schemes[type];
    schemes[t] = scheme && { diseases: new Set(scheme.benefits.two_disease.diseases), maxDaysSupply: scheme.benefits.two_disease.max_days_supply.days };
    INSTITUTION_LEVELS.forEach((level, l) => {
      CAUSES.forEach((_, c) => {
        const route = resolve(type, scheme, level, c, pools, poolIndex);
        const same = routes.find((r) => sameRoute(r, route));
        if (same) table[routeIndex(t, l, c)] = same;
        else {
          route.index = routes.length;
          routes.push(route);
          table[routeIndex(t, l, c)] = route;
        }
      });
    });
  });
  const compiled = { policy, pools, routes, table, schemes };
  cache.set(policy, compiled);
  return compiled;
}

function resolve(type: InsuranceType, scheme: Scheme | undefined, level: InstitutionLevel, cause: number, pools: CompiledPool[], poolIndex: Map<string, number>): Route {
  const refuse = (reason: Reason, shownPool = -1): Route => {
    const text = `${TYPE_ZH[type]}｜${LEVEL_ZH[level]}：${REASON_ZH[reason]}`;
    const limitFen = shownPool < 0 ? 0 : pools[shownPool].limitFen;
    return { index: -1, benefit: 'none', reason, pool: -1, poolKey: null, shownPool, ratioBp: 0, deductibleFen: 0, limitFen, criticalIllness: false, explanations: [text, text, text, text] };
  };
  if (!scheme) return refuse('refused_no_scheme');
  const { two_disease, general } = scheme.benefits;
  const poolOf = (pool: string) => poolIndex.get(`${type}.${pool}`)!;
  const twoRatio = two_disease.ratios[level];
  let kind: BenefitKind;
  let reason: Reason;
  if (cause === 0 && twoRatio) {
    kind = 'two_disease';
    reason = 'two_disease';
  } else if (scheme.linkage.out_of_scope === 'refuse' || !general) {
    return refuse(cause === 0 ? 'refused_level_not_covered' : 'refused_out_of_scope', poolOf(two_disease.pool));
  } else if (!general.ratios[level]) {
    return refuse('refused_level_not_covered', poolOf(cause === 0 ? two_disease.pool : general.pool));
  } else {
    kind = 'general';
    reason = CAUSE_REASON[cause];
  }
  const benefit = kind === 'two_disease' ? two_disease : general!;
  const pool = poolOf(benefit.pool);
  const { limitFen, deductibleFen } = pools[pool];
  const ratioBp = benefit.ratios[level]!.bp;
  const head = `${TYPE_ZH[type]}｜${LEVEL_ZH[level]}：${reason === 'two_disease' ? '' : `${REASON_ZH[reason]}；`}${benefit.name}，报销比例${percent(ratioBp)}`;
  const ded = deductibleFen > 0 ? `；先自付起付线（年度${yuan(deductibleFen)}）` : '';
  const over = `；已达年度最高支付限额${yuan(limitFen)}，超限部分自付`;
  const head0 = `${head}${deductibleFen > 0 ? '' : '，不设起付线'}`;
  return {
    index: -1,
    benefit: kind,
    reason,
    pool,
    poolKey: pools[pool].key,
    shownPool: pool,
    ratioBp,
    deductibleFen,
    limitFen,
    criticalIllness: kind === 'two_disease' && scheme.linkage.self_paid === 'counts_toward_critical_illness',
    explanations: [head0, head0 + ded, head0 + over, head0 + ded + over],
  };
}

function sameRoute(a: Route, b: Route): boolean {
  return a.benefit === b.benefit && a.reason === b.reason && a.pool === b.pool && a.shownPool === b.shownPool && a.ratioBp === b.ratioBp && a.explanations[0] === b.explanations[0];
}
