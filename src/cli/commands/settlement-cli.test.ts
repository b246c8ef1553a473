// `manbing policy …` and `manbing settle-batch …` as a user runs them: output, messages, exit code.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

// Issue 11: `kill -9` in the middle of writing leaves the previous results byte for byte, and nothing
// that could pass for complete: the temporary says `.partial`, its header line stays blank until the
// last row, and the next run for the same output removes it (and any old `.tmp` of earlier versions).
describe('manbing settle-batch killed half-way', () => {
  const HEADER = 'claim_id,person_id,insurance_type,service_date,institution_level,scope,amount';
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

  it('keeps the previous results and leaves only a partial file, removed by the next run', async () => {
    const work = mkdtempSync(join(dir, 'killed-'));
    const out = join(work, 'results.csv');
    const small = join(work, 'small.csv');
    writeFileSync(small, `${HEADER}\nc1,p1,resident,2021-10-01,pharmacy,two_disease,100.00\n`);
    expect((await cli('settle-batch', '--policy', 'jiaxing-2021', '--in', small, '--out', out)).exitCode).toBe(0);
    const previous = readFileSync(out);

    // 400,000 claims: about 30 MB of results, written in 1 MiB chunks
    const big = join(work, 'big.csv');
    const lines = [HEADER];
    for (let i = 0; i < 400_000; i++) lines.push(`claim-${i},p${i % 40_000},resident,2021-${10 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')},grassroots,two_disease,${i % 500}.25`);
    writeFileSync(big, `${lines.join('\n')}\n`);

    const child = spawn(process.execPath, ['bin/manbing.js', 'settle-batch', '--policy', 'jiaxing-2021', '--in', big, '--out', out], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    const partial = join(work, `.results.csv.${child.pid}.partial`);
    // kill it once a few whole chunks of rows are on disk
    let sizeAtKill = 0;
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 1))) {
      const size = existsSync(partial) ? statSync(partial).size : 0;
      if (size >= 2 << 20) {
        child.kill('SIGKILL');
        sizeAtKill = size;
        break;
      }
      if (child.exitCode !== null) break;
    }
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(sizeAtKill).toBeGreaterThanOrEqual(2 << 20);

    expect(readFileSync(out).equals(previous)).toBe(true);
    const left = readFileSync(partial, 'utf8');
    expect(left.length).toBeGreaterThanOrEqual(2 << 20);
    expect(left.split('\n', 1)[0].trim()).toBe(''); // no header: not a results file
    expect(left).toContain('\nclaim-0,two_disease,'); // though whole rows were written

    // the next run removes what the killed one (and an older version) left
    const oldTmp = join(work, `.results.csv.${process.pid + 1}.tmp`);
    writeFileSync(oldTmp, 'claim_id,benefit\n');
    writeFileSync(join(work, '.other.csv.1.partial'), 'another output\n');
    const next = await cli('settle-batch', '--policy', 'jiaxing-2021', '--in', small, '--out', out);
    expect(next.exitCode).toBe(0);
    expect(readdirSync(work).sort()).toEqual(['.other.csv.1.partial', 'big.csv', 'results.csv', 'small.csv']);
    expect(readFileSync(out).equals(previous)).toBe(true);
  });
});
