import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadPolicy, PolicyError, type PolicyIssue } from './load';

const text = (id: string) => readFileSync(new URL(`../../../policies/${id}.yaml`, import.meta.url), 'utf8');
const jiaxing = () => parse(text('jiaxing-2021'));

function issues(data: unknown, filename = 'jiaxing-2021.yaml'): PolicyIssue[] {
  try {
    loadPolicy(typeof data === 'string' ? data : stringify(data), filename);
  } catch (err) {
    if (err instanceof PolicyError) return err.issues;
    throw err;
  }
  return [];
}

describe('policy files', () => {
  it.each(['jiaxing-2021', 'zhenjiang-2021', 'national-2019'])('%s loads, every number with its source', (id) => {
    const p = loadPolicy(text(id), `${id}.yaml`);
    expect(p.id).toBe(id);
    for (const scheme of Object.values(p.schemes))
      for (const b of Object.values(scheme!.benefits))
        for (const n of [b!.deductible, b!.annual_limit, b!.max_days_supply, ...Object.values(b!.ratios)]) expect(Boolean(n!.cite) !== Boolean(n!.local)).toBe(true);
  });

  it('carries the seeds’ numbers in fen and basis points', () => {
    const p = loadPolicy(text('jiaxing-2021'), 'jiaxing-2021.yaml');
    const r = p.schemes.resident!.benefits.two_disease;
    expect([r.deductible.fen, r.annual_limit.fen, r.ratios.grassroots?.bp, r.ratios.secondary?.bp, r.ratios.pharmacy?.bp, r.ratios.tertiary]).toEqual([0, 180000, 6000, 5000, 5300, undefined]);
    const e = p.schemes.employee!.benefits.two_disease;
    expect([e.ratios.grassroots?.bp, e.ratios.secondary?.bp, e.ratios.tertiary?.bp, e.ratios.pharmacy?.bp]).toEqual([8300, 5000, 5000, 8300]);
    const z = loadPolicy(text('zhenjiang-2021'), 'zhenjiang-2021.yaml').schemes.resident!.benefits.two_disease;
    expect([z.deductible.fen, z.annual_limit.fen, z.ratios.grassroots?.bp, Object.keys(z.ratios), z.max_days_supply.days]).toEqual([0, 250000, 5000, ['grassroots'], 60]);
  });

  it('every shipped policy sets its prescription rules, each number with its source', () => {
    const ids = ['hangzhou-2018', 'jiaxing-2021', 'national-2019', 'qingdao-2018', 'shanghai-changning-2018', 'shenzhen-luohu-2018', 'zhenjiang-2021'];
    for (const id of ids) {
      const rx = loadPolicy(text(id), `${id}.yaml`).prescription;
      expect(rx, id).toBeDefined();
      for (const n of [rx!.follow_up_window, rx!.early_refill, rx!.validity, rx!.on_hand_tolerance]) expect(Boolean(n.cite) !== Boolean(n.local), id).toBe(true);
    }
    const z = loadPolicy(text('zhenjiang-2021'), 'zhenjiang-2021.yaml').prescription!;
    expect([z.follow_up_window.days, z.early_refill.bp, z.validity.days, z.on_hand_tolerance.days]).toEqual([90, 8000, 30, 12]);
    expect(loadPolicy(text('national-2019'), 'national-2019.yaml').prescription!.on_hand_tolerance.days).toBe(17); // 20 % of 84 days, rounded up
  });

  it('also reads JSON', () => {
    expect(loadPolicy(JSON.stringify({ ...jiaxing(), id: 'j' }), 'j.json').id).toBe('j');
  });
});

describe('validation errors name the field', () => {
  it('reports every problem at once, each with its path', () => {
    const p = jiaxing();
    p.schemes.resident.benefits.two_disease.ratios.grassroots.bp = 16000;
    p.schemes.resident.benefits.two_disease.annual_limit.yuan = '18.001';
    delete p.schemes.employee.benefits.two_disease.drug_list;
    p.schemes.employee.benefits.general.ratios.pharmacy = { bp: 100 };
    p.schemes.employee.typo = 1;
    expect(issues(p)).toEqual(
      expect.arrayContaining([
        { path: 'schemes.resident.benefits.two_disease.ratios.grassroots.bp', message: expect.stringContaining('10000') },
        { path: 'schemes.resident.benefits.two_disease.annual_limit.yuan', message: expect.stringContaining('2 decimals') },
        { path: 'schemes.employee.benefits.two_disease.drug_list', message: 'required' },
        { path: 'schemes.employee.benefits.general.ratios.pharmacy', message: expect.stringContaining('cite') },
        { path: 'schemes.employee', message: expect.stringContaining('typo') },
      ]),
    );
  });

  it('a number needs a citation or a local flag, not both', () => {
    const p = jiaxing();
    p.schemes.resident.benefits.two_disease.deductible.local = 'also local';
    expect(issues(p)).toEqual([{ path: 'schemes.resident.benefits.two_disease.deductible', message: expect.stringContaining('either cite') }]);
  });

  it('prescription rules are optional, but when given each is checked and sourced', () => {
    const p = jiaxing();
    delete p.prescription;
    expect(issues(p)).toEqual([]);
    const q = jiaxing();
    q.prescription.early_refill.bp = 12000;
    q.prescription.validity = { days: 0, local: 'x' };
    delete q.prescription.follow_up_window.local;
    q.prescription.on_hand_tolerance.days = 0; // no tolerance is allowed
    q.prescription.typo = 1;
    expect(issues(q)).toEqual(
      expect.arrayContaining([
        { path: 'prescription.early_refill.bp', message: expect.stringContaining('10000') },
        { path: 'prescription.validity.days', message: expect.any(String) },
        { path: 'prescription.follow_up_window', message: expect.stringContaining('either cite') },
        { path: 'prescription', message: expect.stringContaining('typo') },
      ]),
    );
    expect(issues(q)).toHaveLength(4);
  });

  it('benefits sharing a pool must share the deductible', () => {
    const p = jiaxing();
    p.schemes.employee.benefits.general.deductible.yuan = 800;
    expect(issues(p)).toEqual([{ path: 'schemes.employee.benefits.general.deductible.yuan', message: expect.stringContaining('outpatient') }]);
  });

  it('out-of-scope cost sent to general outpatient needs a general benefit', () => {
    const p = jiaxing();
    delete p.schemes.resident.benefits.general;
    expect(issues(p)).toEqual([{ path: 'schemes.resident.linkage.out_of_scope', message: expect.any(String) }]);
  });

  it('dates, period, region code and the id matching the file name', () => {
    const p = jiaxing();
    p.effective = { from: '2021-02-30', to: null };
    p.region.code = '33040';
    expect(issues(p).map((i) => i.path)).toEqual(['region.code', 'effective.from']);
    expect(issues({ ...jiaxing(), effective: { from: '2022-01-01', to: '2021-12-31' } })).toEqual([{ path: 'effective.to', message: 'ends before it starts' }]);
    expect(issues(jiaxing(), 'other.yaml')).toEqual([{ path: 'id', message: expect.stringContaining('other.yaml') }]);
  });

  it('unparseable text and unknown extensions are reported against the file', () => {
    expect(issues('id: [a\n')).toEqual([{ path: '', message: expect.stringContaining('cannot parse') }]);
    expect(issues('{}', 'x.txt')).toEqual([{ path: '', message: expect.stringContaining('.yaml') }]);
  });
});
