import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../policy/load';
import { prescriptionParams } from './params';

const policy = (id: string) => loadPolicy(readFileSync(new URL(`../../../policies/${id}.yaml`, import.meta.url), 'utf8'), `${id}.yaml`);

describe('prescriptionParams', () => {
  it('reads the benefit’s maximum days and the policy’s prescription rules', () => {
    expect(prescriptionParams(policy('zhenjiang-2021'), 'resident')).toEqual({ maxDaysSupply: 60, followUpWindowDays: 90, earlyRefillBp: 8000, validityDays: 30, onHandToleranceDays: 12 });
    expect(prescriptionParams(policy('national-2019'), 'resident')).toMatchObject({ maxDaysSupply: 84, onHandToleranceDays: 17 });
    expect(prescriptionParams(policy('shanghai-changning-2018'), 'resident').maxDaysSupply).toBe(60);
  });

  it('refuses a policy without the scheme or without prescription rules', () => {
    expect(() => prescriptionParams(policy('zhenjiang-2021'), 'employee')).toThrow(/no employee scheme/);
    expect(() => prescriptionParams({ ...policy('zhenjiang-2021'), prescription: undefined }, 'resident')).toThrow(/no prescription rules/);
  });
});
