// For property tests: random but valid policies — any ratios, deductibles and limits, shared or
// separate pools, either linkage, either scheme missing.
import fc from 'fast-check';
import { INSTITUTION_LEVELS, PolicySchema, type Policy } from '../policy/schema';

const local = 'test';
const ratios = fc
  .tuple(...INSTITUTION_LEVELS.map(() => fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined })))
  .map((bps) => Object.fromEntries(INSTITUTION_LEVELS.flatMap((level, i) => (bps[i] === undefined ? [] : [[level, { bp: bps[i], local }]]))))
  .filter((r) => Object.keys(r).length > 0);
const yuan = (max: number) => fc.integer({ min: 0, max }).map((fen) => ({ yuan: (fen / 100).toFixed(2), local }));

const scheme = fc
  .record({
    shared: fc.boolean(),
    refuse: fc.boolean(),
    withGeneral: fc.boolean(),
    deductible: yuan(50_000),
    generalDeductible: yuan(50_000),
    limit: yuan(300_000),
    generalLimit: yuan(300_000),
    ratios,
    generalRatios: ratios,
  })
  .map((s) => ({
    name: 'scheme',
    linkage: { out_of_scope: s.refuse || !s.withGeneral ? 'refuse' : 'general_outpatient', self_paid: 'counts_toward_critical_illness' },
    benefits: {
      two_disease: { name: '两病', pool: 'chronic', deductible: s.deductible, annual_limit: s.limit, ratios: s.ratios, diseases: ['hypertension', 'diabetes'], max_days_supply: { days: 60, local }, drug_list: 'x' },
      ...(s.withGeneral
        ? { general: { name: '普通门诊', pool: s.shared ? 'chronic' : 'general', deductible: s.shared ? s.deductible : s.generalDeductible, annual_limit: s.generalLimit, ratios: s.generalRatios, max_days_supply: { days: 30, local }, drug_list: 'y' } }
        : {}),
    },
  }));

/** Random valid policies: any ratios, deductibles, limits, shared or separate pools, either linkage. */
export const arbPolicy: fc.Arbitrary<Policy> = fc
  .record({ resident: fc.option(scheme, { nil: undefined }), employee: fc.option(scheme, { nil: undefined }) })
  .filter((s) => s.resident !== undefined || s.employee !== undefined)
  .map((schemes) => PolicySchema.parse({ id: 'random', region: { code: '00', name: 'x' }, name: 'random', effective: { from: '2020-01-01' }, schemes }));
