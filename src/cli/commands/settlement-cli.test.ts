// `manbing policy …` and `manbing settle-batch …` as a user runs them: output, messages, exit code.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerPolicy } from './policy';
import { registerSettleBatch } from './settle-batch';

const dir = mkdtempSync(join(tmpdir(), 'manbing-cli-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function cli(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void stderr.push(a.join(' ')));
  const program = new Command('manbing').exitOverride();
  registerPolicy(program);
  registerSettleBatch(program);
  await program.parseAsync(['node', 'manbing', ...args]);
  const exitCode = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { stdout: stdout.join('\n'), stderr: stderr.join('\n'), exitCode };
}

describe('manbing policy', () => {
  it('list shows the shipped policies', async () => {
    const { stdout, exitCode } = await cli('policy', 'list');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/jiaxing-2021\s+3304\s+2021-09-01/);
    expect(stdout).toContain('zhenjiang-2021');
    expect(stdout).toContain('national-2019');
  });

  it('show prints each parameter with its source', async () => {
    const { stdout } = await cli('policy', 'show', 'zhenjiang-2021');
    expect(stdout).toMatch(/annual limit\s+2500\.00 yuan\s+\[seed 001/);
    expect(stdout).toMatch(/secondary\s+not covered/);
    expect(stdout).toContain('employee: no scheme');
  });

  it('check prints every problem with its field path and exits 1', async () => {
    const file = join(dir, 'jiaxing-2021.yaml');
    const text = readFileSync(new URL('../../../policies/jiaxing-2021.yaml', import.meta.url), 'utf8');
    writeFileSync(file, text.replace('bp: 6000', 'bp: 60000').replace('yuan: 1800\n', 'yuan: -1800\n'));
    const bad = await cli('policy', 'check', file);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`${file}: schemes.resident.benefits.two_disease.ratios.grassroots.bp: Too big`);
    expect(bad.stderr).toContain(`${file}: schemes.resident.benefits.two_disease.annual_limit.yuan:`);
    expect(bad.stderr).toContain('2 problem(s)');
    writeFileSync(file, text);
    expect(await cli('policy', 'check', file)).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('ok: jiaxing-2021') });
  });
});

describe('manbing settle-batch', () => {
  const HEADER = 'claim_id,person_id,insurance_type,service_date,institution_level,scope,amount';

  it('writes the results and says what it did', async () => {
    writeFileSync(join(dir, 'ok.csv'), `${HEADER}\nc1,p1,resident,2021-10-01,pharmacy,two_disease,100.00\n`);
    const r = await cli('settle-batch', '--policy', 'jiaxing-2021', '--in', join(dir, 'ok.csv'), '--out', join(dir, 'ok-out.csv'));
    expect(r).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('settled 1 claims of 1 people under jiaxing-2021') });
    expect(readFileSync(join(dir, 'ok-out.csv'), 'utf8')).toBe('claim_id,benefit,fund_pay,deductible,copay,over_limit,fund_remaining,reason,critical_illness\nc1,two_disease,53.00,0.00,47.00,0.00,1747.00,two_disease,47.00\n');
  });

  it('on bad rows: file:line messages on stderr, exit code 1, no results file', async () => {
    const input = join(dir, 'bad.csv');
    writeFileSync(input, `${HEADER}\nc1,p1,resident,2021-10-01,pharmacy,two_disease,100.00\nc2,p1,resident,2021-13-01,pharmacy,two_disease,1\n`);
    const r = await cli('settle-batch', '--policy', 'jiaxing-2021', '--in', input, '--out', join(dir, 'bad-out.csv'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${input}:3: service_date "2021-13-01" is not a calendar date`);
    expect(r.stderr).toContain('nothing was settled');
    expect(existsSync(join(dir, 'bad-out.csv'))).toBe(false);
  });
});
