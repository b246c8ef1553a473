// The settle-batch contract: run on small CSVs in a temp dir.
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../../engine/money';
import { INSTITUTION_LEVELS, INSURANCE_TYPES } from '../../engine/policy/schema';
import { settleClaims, type PersonClaim } from '../../engine/settlement/batch';
import { SCOPES } from '../../engine/settlement/claim';
import { CsvWriter } from './batch-csv';
import { runSettleBatch, type BatchResult } from './batch';
import { readPolicy } from '../../core/policyFiles';

const dir = mkdtempSync(join(tmpdir(), 'manbing-batch-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HEADER = 'claim_id,person_id,insurance_type,service_date,institution_level,scope,amount';
let n = 0;

async function run(csv: string, policy = 'jiaxing-2021', maxErrors?: number): Promise<{ result: BatchResult; out: string; rows: string[][] }> {
  const inPath = join(dir, `in-${++n}.csv`);
  const out = join(dir, `out-${n}.csv`);
  writeFileSync(inPath, csv);
  const result = await runSettleBatch({ policy, inPath, outPath: out, maxErrors });
  const rows = existsSync(out) ? readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => l.split(',')) : [];
  return { result, out, rows };
}

describe('settle-batch', () => {
  it('settles per person in service-date order (input order on ties) and answers in input order', async () => {
    const { result, rows } = await run(
      [
        HEADER,
        'c1,p1,resident,2021-10-05,pharmacy,two_disease,100',
        'c2,p1,resident,2021-10-01,grassroots,two_disease,2983.33', // first for p1: fund 1,790.00 of 1,800
        'c3,p2,employee,2021-10-01,grassroots,two_disease,1200.00', // deductible 1,000, then 83 %
        'c4,p1,resident,2021-12-31,grassroots,two_disease,50',
        'c5,p1,resident,2022-01-01,grassroots,two_disease,50', // new year: limit reset
        'c6,p2,employee,2021-10-01,tertiary,general,10.5', // same day as c3, after it in the file
        'c7,p3,resident,2021-10-01,pharmacy,general,80', // general outpatient does not cover pharmacies
        '',
      ].join('\n'),
    );
    expect(result).toMatchObject({ ok: true, claims: 7, people: 3 });
    expect(rows).toEqual([
      ['claim_id', 'benefit', 'fund_pay', 'deductible', 'copay', 'over_limit', 'fund_remaining', 'reason', 'critical_illness'],
      // 10.00 left at 53 %: the fund's 10.00 covers 18.87 of the cost; the 81.13 beyond is over the limit
      ['c1', 'two_disease', '10.00', '0.00', '8.87', '81.13', '0.00', 'two_disease', '90.00'],
      ['c2', 'two_disease', '1790.00', '0.00', '1193.33', '0.00', '10.00', 'two_disease', '1193.33'],
      ['c3', 'two_disease', '166.00', '1000.00', '34.00', '0.00', '5634.00', 'two_disease', '1034.00'],
      ['c4', 'two_disease', '0.00', '0.00', '0.00', '50.00', '0.00', 'two_disease', '50.00'],
      ['c5', 'two_disease', '30.00', '0.00', '20.00', '0.00', '1770.00', 'two_disease', '20.00'],
      // general outpatient shares the employee pool but keeps to its own 4,000
      ['c6', 'general', '4.20', '0.00', '6.30', '0.00', '3995.80', 'scope_general', '0.00'],
      ['c7', 'none', '0.00', '0.00', '80.00', '0.00', '1000.00', 'refused_level_not_covered', '0.00'],
    ]);
  });

  it('agrees with the engine claim by claim, across read-chunk boundaries', async () => {
    const policy = readPolicy('jiaxing-2021');
    const claims = fc.sample(
      fc.record({
        claimId: fc.constant(''),
        personId: fc.integer({ min: 0, max: 2000 }).map((p) => `人${p}`), // non-ASCII ids too
        serviceDate: fc.date({ min: new Date('2021-06-01T00:00:00Z'), max: new Date('2022-06-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        insuranceType: fc.constantFrom(...INSURANCE_TYPES),
        institutionLevel: fc.constantFrom(...INSTITUTION_LEVELS),
        scope: fc.constantFrom(...SCOPES),
        amountFen: fc.integer({ min: 0, max: 300_000 }),
      }),
      { numRuns: 40_000, seed: 7 },
    ).map((c, i): PersonClaim => ({ ...c, claimId: i % 3 === 0 ? `理赔-${i}` : `claim-${i}-${'x'.repeat(i % 7)}` }));
    const csv = [HEADER, ...claims.map((c) => [c.claimId, c.personId, c.insuranceType, c.serviceDate, c.institutionLevel, c.scope, formatYuan(c.amountFen!)].join(','))].join('\r\n');
    expect(csv.length).toBeGreaterThan(2 << 20); // several 1 MiB chunks
    const { result, rows } = await run(`\ufeff${csv}`);
    expect(result.ok).toBe(true);
    const expected = settleClaims(policy, claims).map((r) => [r.claimId, r.benefit, ...[r.fundPay, r.deductible, r.copay, r.overLimit].map(formatYuan), r.fundRemaining === null ? '' : formatYuan(r.fundRemaining), r.reason, formatYuan(r.criticalIllness)]);
    expect(rows.slice(1)).toEqual(expected);
  });

  it('reports every bad row with its line number and writes nothing', async () => {
    const csv = [
      HEADER,
      'c1,p1,resident,2021-02-29,pharmacy,two_disease,100',
      'c2,p1,worker,2021-10-01,grassroots,two_disease,-1',
      'c3,"p2",employee,2021-10-01,grassroots,two_disease,1200.00',
      'c4,p1,resident,2021-12-31,grassroots',
      '',
      'c5,p1,resident,2021-12-31,clinic,general,1.234',
      'c6,,resident,2021-12-31,grassroots,chronic,1',
      'c7,p1,resident,2021-12-31,grassroots,general,1',
      'c7,p2,resident,2021-12-31,grassroots,general,1',
      'c8,p2,resident,2021-12-31,grassroots,general,100000000.01',
    ].join('\n');
    const { result, out } = await run(csv);
    expect(result).toEqual({
      ok: false,
      errorCount: 8,
      errors: [
        { line: 2, message: 'service_date "2021-02-29" is not a calendar date YYYY-MM-DD' },
        { line: 3, message: 'insurance_type "worker" is not resident or employee; amount "-1" is not a non-negative amount in yuan with at most 2 decimals' },
        { line: 4, message: expect.stringContaining('quoted fields are not supported') },
        { line: 5, message: 'expected 7 fields, found 5' },
        { line: 7, message: expect.stringMatching(/institution_level "clinic".*amount "1.234"/) },
        { line: 8, message: expect.stringMatching(/person_id is empty.*scope "chronic"/) },
        { line: 10, message: 'claim_id "c7" already appears on line 9' },
        { line: 11, message: 'amount "100000000.01" is over the 100000000 yuan a claim may carry' },
      ],
    });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.partial'))).toEqual([]);
  });

  it('leaves an existing results file alone when the input is bad', async () => {
    const inPath = join(dir, 'bad.csv');
    const outPath = join(dir, 'kept.csv');
    writeFileSync(inPath, `${HEADER}\nc1,p1,resident,2021-01-01,grassroots,two_disease,abc\n`);
    writeFileSync(outPath, 'earlier results\n');
    const result = await runSettleBatch({ policy: 'jiaxing-2021', inPath, outPath });
    expect(result.ok).toBe(false);
    expect(readFileSync(outPath, 'utf8')).toBe('earlier results\n');
  });

  it('lists bad rows up to the cap and counts the rest', async () => {
    const bad = Array.from({ length: 150 }, (_, i) => `c${i},p,resident,2021-01-01,grassroots,two_disease,x`);
    const { result } = await run([HEADER, ...bad].join('\n'), 'jiaxing-2021', 100);
    expect(result.ok === false && [result.errors.length, result.errorCount, result.errors[99].line]).toEqual([100, 150, 101]);
  });

  it('checks the header: missing, duplicated and extra columns; an empty file', async () => {
    const missing = await run('claim_id,person_id,insurance_type,service_date,scope,amount\nc1,p,resident,2021-01-01,two_disease,1\n');
    expect(missing.result).toEqual({ ok: false, errorCount: 1, errors: [{ line: 1, message: expect.stringContaining('header lacks column(s): institution_level') }] });
    const dup = await run(`${HEADER},amount\n`);
    expect(dup.result).toMatchObject({ ok: false, errors: [{ line: 1, message: expect.stringContaining('duplicate') }] });
    const empty = await run('');
    expect(empty.result).toMatchObject({ ok: false, errors: [{ line: 1, message: expect.stringContaining('empty file') }] });
    // Columns in another order, plus one the batch does not use: read by name.
    const reordered = await run('amount,note,scope,institution_level,service_date,insurance_type,person_id,claim_id\n100.00,hi,two_disease,pharmacy,2021-10-01,resident,p1,c1\n');
    expect(reordered.rows[1]).toEqual(['c1', 'two_disease', '53.00', '0.00', '47.00', '0.00', '1747.00', 'two_disease', '47.00']);
    const headerOnly = await run(`${HEADER}\n`);
    expect([headerOnly.result.ok, headerOnly.rows.length]).toEqual([true, 1]);
  });

  it('refuses claims of an insurance type the policy lacks, with an empty fund_remaining', async () => {
    const { rows } = await run(`${HEADER}\nc1,p1,employee,2021-10-01,grassroots,two_disease,10\n`, 'zhenjiang-2021');
    expect(rows[1]).toEqual(['c1', 'none', '0.00', '0.00', '10.00', '0.00', '', 'refused_no_scheme', '0.00']);
  });

  it('fails before reading when the policy, input or output directory is wrong', async () => {
    await expect(run(`${HEADER}\n`, 'atlantis-2021')).rejects.toThrow(/no policy "atlantis-2021"/);
    await expect(runSettleBatch({ policy: 'jiaxing-2021', inPath: join(dir, 'nope.csv'), outPath: join(dir, 'o.csv') })).rejects.toThrow(/not found/);
    writeFileSync(join(dir, 'x.csv'), `${HEADER}\n`);
    await expect(runSettleBatch({ policy: 'jiaxing-2021', inPath: join(dir, 'x.csv'), outPath: join(dir, 'no/such/dir.csv') })).rejects.toThrow(/directory/);
  });

  it('writes yuan exactly as formatYuan does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }))), (fens) => {
        const path = join(dir, 'yuan.txt');
        const fd = openSync(path, 'w');
        const w = new CsvWriter(fd);
        for (const f of fens) {
          w.reserve(64);
          w.yuan(f);
          w.byte(10);
        }
        w.flush();
        closeSync(fd);
        expect(readFileSync(path, 'utf8')).toBe(fens.map((f) => `${formatYuan(f)}\n`).join(''));
      }),
      { numRuns: 50 },
    );
  });
});
