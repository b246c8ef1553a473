import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadPolicy } from '../policy/load';
import { compilePolicy } from './compile';
import { YearSimulation } from './simulate';
import type { Claim } from './claim';

const readPolicy = (id: string) => loadPolicy(readFileSync(new URL(`../../../policies/${id}.yaml`, import.meta.url), 'utf8'), `${id}.yaml`);
const jiaxing = compilePolicy(readPolicy('jiaxing-2021'));
const claim = (day: string, amountFen: number, insuranceType: 'resident' | 'employee' = 'resident'): Claim => ({
  claimId: day, serviceDate: day, insuranceType, institutionLevel: 'grassroots', scope: 'two_disease', amountFen,
});

describe('year simulation', () => {
  it('sums fund and out-of-pocket per county and counts people who hit the limit', () => {
    const sim = new YearSimulation(jiaxing);
    sim.addPerson('330402', [claim('2026-01-05', 100000), claim('2026-03-05', 300000)]); // 600 + 1,200 (capped) yuan
    sim.addPerson('330402', [claim('2026-02-01', 10000)]);
    sim.addPerson('330411', [claim('2026-02-01', 12345)]);
    const [nanhu, xiuzhou, total] = sim.result();
    expect(nanhu).toMatchObject({ county: '330402', people: 2, claims: 3, amountFen: 410000, fundPayFen: 60000 + 120000 + 6000, peopleAtLimit: 1 });
    expect(nanhu.outOfPocketFen).toBe(410000 - 186000);
    expect(xiuzhou.fundPayFen).toBe(7407);
    expect(total).toMatchObject({ people: 3, claims: 4, fundPayFen: 186000 + 7407, peopleAtLimit: 1 });
  });
  it('answers "what if the limit were higher" by replaying the same claims', () => {
    const raised = readPolicy('jiaxing-2021');
    raised.schemes.resident!.benefits.two_disease.annual_limit.fen = 250000;
    const base = new YearSimulation(jiaxing);
    const what = new YearSimulation(compilePolicy(raised));
    for (const sim of [base, what]) sim.addPerson('330402', [claim('2026-01-05', 400000)]);
    expect(base.result()[0].fundPayFen).toBe(180000);
    expect(what.result()[0].fundPayFen).toBe(240000);
    expect(what.result()[0].peopleAtLimit).toBe(0);
  });
});
