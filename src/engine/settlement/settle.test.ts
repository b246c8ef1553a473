import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYuan } from '../money';
import { parse as parseYaml } from 'yaml';
import { INSTITUTION_LEVELS, INSURANCE_TYPES, PolicySchema, type Policy } from '../policy/schema';
import { settleClaims, type PersonClaim } from './batch';
import { SCOPES, type Claim, type PersonYearState } from './claim';
import { compilePolicy } from './compile';
import { settle, shareOut, type SettledLine, type Settlement } from './settle';
import { loadPolicy } from '../policy/load';
import { arbPolicy } from './arbitrary-policy';

const shippedPolicy = (id: string) => loadPolicy(readFileSync(new URL(`../../../policies/${id}.yaml`, import.meta.url), 'utf8'), `${id}.yaml`);

const jiaxingRaw = () => parseYaml(readFileSync(new URL('../../../policies/jiaxing-2021.yaml', import.meta.url), 'utf8'));
const jiaxing = shippedPolicy('jiaxing-2021');
const zhenjiang = shippedPolicy('zhenjiang-2021');
const national = shippedPolicy('national-2019');

type ClaimOpts = Pick<Claim, 'insuranceType' | 'institutionLevel'> & { scope?: Claim['scope']; date?: string };
function claim(yuan: string, c: ClaimOpts): Claim {
  return { claimId: `c-${yuan}`, serviceDate: c.date ?? '2021-10-01', insuranceType: c.insuranceType, institutionLevel: c.institutionLevel, scope: c.scope ?? 'two_disease', amountFen: parseYuan(yuan) };
}
/** Settles claims one after another for one person, threading the state. */
function run(policy: Policy, claims: Claim[], state: PersonYearState | null = null): Settlement[] {
  return claims.map((c) => {
    const s = settle(policy, state, c);
    state = s.newState;
    return s;
  });
}
const split = (s: Settlement) => {
  const l = s.lines[0];
  return { benefit: l.benefit, reason: l.reason, fundPay: l.fundPay, deductible: l.deductible, copay: l.copay, overLimit: l.overLimit, fundRemaining: l.fundRemaining };
};

describe('settle — the seeds worked by hand', () => {
  const resident = { insuranceType: 'resident', institutionLevel: 'grassroots' } as const;

  it('Jiaxing resident at a chain pharmacy: 100.00 yuan → fund 53.00 (seed 002 item 11: 53 %)', () => {
    const s = settle(jiaxing, null, claim('100.00', { ...resident, institutionLevel: 'pharmacy' }));
    expect(split(s)).toEqual({ benefit: 'two_disease', reason: 'two_disease', fundPay: 5300, deductible: 0, copay: 4700, overLimit: 0, fundRemaining: 174700 });
    expect(s.lines[0].criticalIllness).toBe(4700); // item 12: in-scope self-paid goes on to 大病保险
    expect(s.lines[0].explanation).toContain('53%');
  });

  it('Jiaxing resident: grassroots 60 %, secondary 50 %, half a fen rounds up', () => {
    expect(split(settle(jiaxing, null, claim('123.45', resident))).fundPay).toBe(7407); // 7407.0
    expect(split(settle(jiaxing, null, claim('123.45', { ...resident, institutionLevel: 'secondary' }))).fundPay).toBe(6173); // 6172.5 → 6173
    expect(split(settle(jiaxing, null, claim('0.01', { ...resident, institutionLevel: 'pharmacy' }))).fundPay).toBe(1); // 0.53 fen → 1
  });

  it('Jiaxing resident near the 1,800 yuan limit: the fund pays what is left, the rest of its share is over-limit', () => {
    const [a, b, c] = run(jiaxing, [claim('2983.33', resident), claim('100.00', resident), claim('10.00', resident)]);
    // 2983.33 × 60 % = 1789.998 → 1790.00; 10.00 left
    expect(split(a)).toMatchObject({ fundPay: 179000, copay: 119333, overLimit: 0, fundRemaining: 1000 });
    // 100.00: share 60.00, only 10.00 left → fund 10.00, which covers 10.00 / 60 % = 16.67 of the cost:
    // the patient pays 6.67 of it, and the 83.33 above the limit wholly (item 11: 限额以上的医疗费用个人自付)
    expect(split(b)).toMatchObject({ fundPay: 1000, copay: 667, overLimit: 8333, fundRemaining: 0 });
    expect(b.lines[0].explanation).toContain('已达年度最高支付限额1800元');
    // nothing left: the whole cost is over the limit
    expect(split(c)).toMatchObject({ fundPay: 0, copay: 0, overLimit: 1000, fundRemaining: 0 });
  });

  it('Jiaxing resident at a tertiary hospital: outside the two-disease benefit, settled as general outpatient', () => {
    const s = settle(jiaxing, null, claim('400.00', { ...resident, institutionLevel: 'tertiary' }));
    // general outpatient (local parameters): deductible 300, then 30 %
    expect(split(s)).toEqual({ benefit: 'general', reason: 'level_not_covered', fundPay: 3000, deductible: 30000, copay: 7000, overLimit: 0, fundRemaining: 97000 });
    expect(s.lines[0].criticalIllness).toBe(0);
  });

  it('Jiaxing resident, general scope at a pharmacy: refused, all self-paid', () => {
    const s = settle(jiaxing, null, claim('80.00', { ...resident, institutionLevel: 'pharmacy', scope: 'general' }));
    expect(split(s)).toMatchObject({ benefit: 'none', reason: 'refused_level_not_covered', fundPay: 0, copay: 8000 });
    expect(s.newState).toEqual({ year: 2021, pools: {} });
  });

  it('Jiaxing employee: the general-outpatient deductible applies first, then 83 %, one pool shared with general outpatient', () => {
    const employee = { insuranceType: 'employee', institutionLevel: 'grassroots' } as const;
    const [a, b, c] = run(jiaxing, [claim('1200.00', employee), claim('100.00', { ...employee, scope: 'general' }), claim('100.00', { ...employee, institutionLevel: 'tertiary' })]);
    // deductible 1,000 (local parameter), eligible 200 × 83 % = 166; two-disease cost may draw general 4,000 + chronic 1,800
    expect(split(a)).toEqual({ benefit: 'two_disease', reason: 'two_disease', fundPay: 16600, deductible: 100000, copay: 3400, overLimit: 0, fundRemaining: 563400 });
    // general outpatient draws on the same pool but never past its own 4,000
    expect(split(b)).toEqual({ benefit: 'general', reason: 'scope_general', fundPay: 7000, deductible: 0, copay: 3000, overLimit: 0, fundRemaining: 393000 });
    expect(split(c)).toMatchObject({ benefit: 'two_disease', fundPay: 5000, fundRemaining: 551400 }); // other institutions 50 %
    expect(c.newState.pools).toEqual({
      'employee.outpatient': { fundPaid: 28600, deductibleMet: 100000 },
      'employee.outpatient.general': { fundPaid: 7000, deductibleMet: 0 },
      'employee.critical_illness': { fundPaid: 103400 + 5000, deductibleMet: 0 }, // two-disease self-paid, deductible included
    });
  });

  it('Jiaxing employee without a registration: general claims draw only the general limit (issue: 10000.00 → 4000.00, not 5800.00)', () => {
    const s = settle(jiaxing, null, claim('10000.00', { insuranceType: 'employee', institutionLevel: 'grassroots', scope: 'general' }));
    // deductible 1,000; 9,000 × 70 % = 6,300 > 4,000 left → fund 4,000, covering 4,000 / 70 % = 5,714.29
    expect(split(s)).toEqual({ benefit: 'general', reason: 'scope_general', fundPay: 400000, deductible: 100000, copay: 171429, overLimit: 328571, fundRemaining: 0 });
    // and the chronic 1,800 stays for two-disease cost once registered
    const after = settle(jiaxing, s.newState, claim('3000.00', { insuranceType: 'employee', institutionLevel: 'grassroots' }));
    expect(split(after)).toMatchObject({ benefit: 'two_disease', fundPay: 180000, fundRemaining: 0 });
  });

  it('over the limit is cost, not the cut-off fund share: 1,000.00 at 83 % with 232.00 left (issue 10 item 2)', () => {
    const state = { year: 2021, pools: { 'employee.outpatient': { fundPaid: 580000 - 23200, deductibleMet: 100000 } } };
    const s = settle(jiaxing, state, claim('1000.00', { insuranceType: 'employee', institutionLevel: 'grassroots' }));
    expect(split(s)).toMatchObject({ fundPay: 23200, copay: 4752, overLimit: 72048, fundRemaining: 0 });
    const usedUp = settle(jiaxing, s.newState, claim('100.00', { insuranceType: 'employee', institutionLevel: 'grassroots' }));
    expect(split(usedUp)).toMatchObject({ fundPay: 0, copay: 0, overLimit: 10000 });
    expect(usedUp.lines[0].criticalIllness).toBe(10000);
  });

  it('Zhenjiang resident: grassroots 50 %, no deductible, 2,500 yuan a year; other levels go to general outpatient', () => {
    const [a] = run(zhenjiang, [claim('6000.00', resident)]);
    // 6,000 × 50 % = 3,000 > 2,500: the fund's 2,500 covers 5,000 of the cost; the last 1,000 is over the limit
    expect(split(a)).toEqual({ benefit: 'two_disease', reason: 'two_disease', fundPay: 250000, deductible: 0, copay: 250000, overLimit: 100000, fundRemaining: 0 });
    expect(split(settle(zhenjiang, null, claim('100.00', { ...resident, institutionLevel: 'secondary' })))).toMatchObject({ benefit: 'general', reason: 'level_not_covered' });
  });

  it('Zhenjiang has no employee scheme: refused with a reason', () => {
    const s = settle(zhenjiang, null, claim('100.00', { insuranceType: 'employee', institutionLevel: 'grassroots' }));
    expect(split(s)).toEqual({ benefit: 'none', reason: 'refused_no_scheme', fundPay: 0, deductible: 0, copay: 10000, overLimit: 0, fundRemaining: null });
    expect(s.lines[0].explanation).toContain('不予报销');
  });

  it('national baseline: 50 % at grassroots and secondary, no deductible', () => {
    expect(split(settle(national, null, claim('99.99', { ...resident, institutionLevel: 'secondary' }))).fundPay).toBe(5000); // 4999.5 → 5000
  });

  it('a policy that refuses out-of-scope cost says why', () => {
    const strict = PolicySchema.parse({ ...jiaxingRaw(), schemes: { resident: { ...jiaxingRaw().schemes.resident, linkage: { out_of_scope: 'refuse', self_paid: 'none' } } } });
    expect(split(settle(strict, null, claim('10.00', { ...resident, scope: 'general' })))).toMatchObject({ benefit: 'none', reason: 'refused_out_of_scope', copay: 1000, fundRemaining: 180000 });
    expect(split(settle(strict, null, claim('10.00', { ...resident, institutionLevel: 'tertiary' })))).toMatchObject({ benefit: 'none', reason: 'refused_level_not_covered' });
    expect(settle(strict, null, claim('10.00', resident)).lines[0].criticalIllness).toBe(0);
  });

  it('refuses amounts that are not whole fen or too large to settle exactly', () => {
    expect(() => settle(jiaxing, null, { ...claim('1.00', resident), amountFen: 1.5 })).toThrow(RangeError);
    expect(() => settle(jiaxing, null, { ...claim('1.00', resident), amountFen: 10_000_000_001 })).toThrow(/10000000000/);
  });

  it('limits reset on 1 January', () => {
    const [, b] = run(zhenjiang, [claim('6000.00', { ...resident, date: '2021-12-31' }), claim('100.00', { ...resident, date: '2022-01-01' })]);
    expect(split(b)).toMatchObject({ fundPay: 5000, fundRemaining: 245000 });
    expect(b.newState).toEqual({ year: 2022, pools: { 'resident.chronic_14': { fundPaid: 5000, deductibleMet: 0 } } });
    expect(() => settle(zhenjiang, b.newState, claim('1.00', { ...resident, date: '2021-12-31' }))).toThrow(/2022/);
  });

  it('a counter claim with several lines: a drug for another disease goes to general outpatient, rounding once per benefit', () => {
    const s = settle(jiaxing, null, {
      claimId: 'k1',
      serviceDate: '2021-11-02',
      insuranceType: 'resident',
      institutionLevel: 'grassroots',
      scope: 'two_disease',
      lines: [
        { lineId: 'amlodipine', amountFen: 1001, disease: 'hypertension' },
        { lineId: 'metformin', amountFen: 1001, disease: 'diabetes', daysSupply: 84 },
        { lineId: 'cough syrup', amountFen: 35000, disease: 'bronchitis' },
        { lineId: 'long supply', amountFen: 500, disease: 'diabetes', daysSupply: 90 },
      ],
    });
    // two-disease: 20.02 × 60 % = 12.012 → 12.01, shared 6.01 / 6.00 (largest remainder, earlier line first)
    expect(s.lines.map((l) => [l.benefit, l.reason, l.fundPay, l.deductible, l.copay])).toEqual([
      ['two_disease', 'two_disease', 601, 0, 400],
      ['two_disease', 'two_disease', 600, 0, 401],
      ['general', 'disease_not_covered', 2500, 30000, 2500], // 350.00 = 300 deductible + 50 × 50 %
      ['general', 'supply_too_long', 250, 0, 250], // over 84 days; the deductible is already met
    ]);
    expect(s.totals).toEqual({ amount: 37502, fundPay: 1201 + 2500 + 250, deductible: 30000, copay: 801 + 2500 + 250, overLimit: 0, criticalIllness: 801 });
    expect(s.lines.map((l) => l.fundRemaining)).toEqual([180000 - 1201, 180000 - 1201, 100000 - 2750, 100000 - 2750]);
  });
});

// ---------------------------------------------------------------------------------------------

const arbClaim = (people: number): fc.Arbitrary<PersonClaim> =>
  fc.record({
    claimId: fc.uuid(),
    personId: fc.integer({ min: 0, max: people - 1 }).map((p) => `p${p}`),
    serviceDate: fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2022-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    insuranceType: fc.constantFrom(...INSURANCE_TYPES),
    institutionLevel: fc.constantFrom(...INSTITUTION_LEVELS),
    scope: fc.constantFrom(...SCOPES),
    amountFen: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 10_000_000 })),
  });
const arbPolicyAny = fc.oneof(arbPolicy, fc.constantFrom(jiaxing, zhenjiang, national));

/** Reference: each person's claims in date order (input order on ties), folded through settle(). */
function foldPerPerson(policy: Policy, claims: PersonClaim[]) {
  const order = claims.map((c, i) => i).sort((a, b) => claims[a].serviceDate.localeCompare(claims[b].serviceDate) || a - b);
  const state = new Map<string, PersonYearState>();
  const results: ReturnType<typeof settleClaims> = new Array(claims.length);
  const lines: SettledLine[] = new Array(claims.length);
  for (const i of order) {
    const c = claims[i];
    const s = settle(policy, state.get(c.personId), c);
    state.set(c.personId, s.newState);
    const l = (lines[i] = s.lines[0]);
    results[i] = { claimId: c.claimId, benefit: l.benefit, reason: l.reason, deductible: l.deductible, copay: l.copay, overLimit: l.overLimit, fundPay: l.fundPay, fundRemaining: l.fundRemaining, criticalIllness: l.criticalIllness };
  }
  return { results, lines, state };
}

describe('settle — properties', () => {
  it('amounts always add up, to the fen, and no part is negative', () => {
    fc.assert(
      fc.property(arbPolicyAny, fc.array(arbClaim(1), { maxLength: 30 }), (policy, claims) => {
        const { results } = foldPerPerson(policy, claims);
        results.forEach((r, i) => {
          for (const part of [r.deductible, r.copay, r.overLimit, r.fundPay]) expect(Number.isInteger(part) && part >= 0).toBe(true);
          expect(r.deductible + r.copay + r.overLimit + r.fundPay).toBe(claims[i].amountFen);
        });
      }),
    );
  });

  it('the fund never pays past a limit, and the deductible is never more than the policy says', () => {
    fc.assert(
      fc.property(arbPolicyAny, fc.array(arbClaim(1), { maxLength: 40 }), (policy, claims) => {
        const pools = compilePolicy(policy).pools;
        const sorted = [...claims].sort((a, b) => a.serviceDate.localeCompare(b.serviceDate));
        let state: PersonYearState | null = null;
        for (const c of sorted) {
          const before: PersonYearState['pools'] = state && state.year === Number(c.serviceDate.slice(0, 4)) ? state.pools : {};
          const s = settle(policy, state, c);
          state = s.newState;
          const l = s.lines[0];
          for (const p of pools) {
            const use = s.newState.pools[p.key] ?? { fundPaid: 0, deductibleMet: 0 };
            expect(use.fundPaid).toBeLessThanOrEqual(p.limitFen);
            expect(use.deductibleMet).toBeLessThanOrEqual(p.deductibleFen);
          }
          if (l.pool === null) expect(l.fundPay + l.deductible).toBe(0);
          else expect(s.newState.pools[l.pool]?.fundPaid ?? 0).toBe((before[l.pool]?.fundPaid ?? 0) + l.fundPay);
          if (l.fundRemaining !== null) expect(l.fundRemaining).toBeGreaterThanOrEqual(0);
          // over the limit only when the fund has nothing left for this benefit
          if (l.overLimit > 0) expect(l.fundRemaining).toBe(0);
        }
      }),
    );
  });

  it("settling a year's claims one by one equals settling them in one batch", () => {
    fc.assert(
      fc.property(arbPolicyAny, fc.array(arbClaim(5), { maxLength: 60 }), (policy, claims) => {
        expect(settleClaims(policy, claims)).toEqual(foldPerPerson(policy, claims).results);
      }),
    );
  });

  it('the order of unrelated people never matters', () => {
    fc.assert(
      fc.property(arbPolicyAny, fc.array(arbClaim(4), { maxLength: 40 }), fc.infiniteStream(fc.nat()), (policy, claims, picks) => {
        // Interleave the people differently while keeping each person's own order.
        const queues = new Map<string, PersonClaim[]>();
        for (const c of claims) queues.set(c.personId, [...(queues.get(c.personId) ?? []), c]);
        const shuffled: PersonClaim[] = [];
        const it = picks[Symbol.iterator]();
        while (queues.size > 0) {
          const keys = [...queues.keys()];
          const key = keys[it.next().value! % keys.length];
          const q = queues.get(key)!;
          shuffled.push(q.shift()!);
          if (q.length === 0) queues.delete(key);
        }
        const byId = (rs: ReturnType<typeof settleClaims>) => new Map(rs.map((r) => [r.claimId, r]));
        expect(byId(settleClaims(policy, shuffled))).toEqual(byId(settleClaims(policy, claims)));
      }),
    );
  });

  it('a new year starts afresh: next year settles as if nothing had been used', () => {
    fc.assert(
      fc.property(arbPolicyAny, fc.array(arbClaim(1), { maxLength: 20 }), fc.array(arbClaim(1), { maxLength: 20 }), (policy, before, after) => {
        const thisYear = before.map((c) => ({ ...c, serviceDate: `2021${c.serviceDate.slice(4)}` }));
        const nextYear = after.map((c) => ({ ...c, serviceDate: `2022${c.serviceDate.slice(4)}` }));
        const alone = foldPerPerson(policy, nextYear).results;
        expect(foldPerPerson(policy, [...thisYear, ...nextYear]).results.slice(thisYear.length)).toEqual(alone);
      }),
    );
  });

  it('lines taking one route settle like one claim of their sum, and add up', () => {
    fc.assert(
      fc.property(arbPolicyAny, arbClaim(1), fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 6 }), (policy, base, amounts) => {
        const whole = settle(policy, null, { ...base, amountFen: amounts.reduce((a, b) => a + b, 0) });
        const { amountFen: _, ...rest } = base;
        const parts = settle(policy, null, { ...rest, lines: amounts.map((amountFen) => ({ amountFen })) });
        expect(parts.totals).toEqual(whole.totals);
        expect(parts.newState).toEqual(whole.newState);
        parts.lines.forEach((l, i) => expect(l.deductible + l.copay + l.overLimit + l.fundPay).toBe(amounts[i]));
      }),
    );
  });

  it('shareOut gives out exactly the total, in proportion, never above a weight', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, f) => {
        const sum = weights.reduce((a, b) => a + b, 0);
        const total = Math.floor(sum * f);
        const parts = shareOut(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((p, i) => expect(p >= 0 && p <= weights[i] && Math.abs(p - (total * weights[i]) / (sum || 1)) < 1).toBe(true));
      }),
    );
  });
});
