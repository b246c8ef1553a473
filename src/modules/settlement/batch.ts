// settle-batch: claims CSV in, results CSV out, through the engine's column kernel.
// Every row is checked before anything is settled, and the results go to a temporary file
// (`.<out>.<pid>.partial`) that is fsynced and renamed only on success: a bad row, or a crash (even
// kill -9) half-way, leaves the previous results file untouched. The partial file's first line is
// blank until every row is written, so it never passes for a complete CSV; the next run for the same
// output removes what earlier runs left.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Policy } from '../../engine/policy/schema';
import { settleColumns } from '../../engine/settlement/batch';
import { compilePolicy } from '../../engine/settlement/compile';
import { OUT_WIDTH } from '../../engine/settlement/kernel';
import { CsvWriter, dateAt, readClaimsCsv, type RowError } from './batch-csv';
import { readPolicy } from '../../core/policyFiles';

export { INPUT_COLUMNS, type RowError } from './batch-csv';
export const OUTPUT_COLUMNS = ['claim_id', 'benefit', 'fund_pay', 'deductible', 'copay', 'over_limit', 'fund_remaining', 'reason', 'critical_illness'] as const;

export interface BatchOptions {
  /** A policy id (file in policies/), a path to a policy file, or a parsed policy. */
  policy: string | Policy;
  inPath: string;
  outPath: string;
  /** How many bad rows to list before only counting them. */
  maxErrors?: number;
}
export type BatchResult =
  | { ok: true; policyId: string; claims: number; people: number; fundPayFen: number; outsideEffective: number; seconds: number }
  | { ok: false; errors: RowError[]; errorCount: number };

/** A problem that is not a row's: a missing file or directory, an unknown policy. */
export class BatchError extends Error {}

/** The temporary file a run writes `outPath` through: hidden, named for the process, and saying it is partial. */
export const partialPathOf = (outPath: string, pid = process.pid) => join(dirname(outPath), `.${basename(outPath)}.${pid}.partial`);

/** Removes the temporaries earlier runs for the same output left (killed, crashed): any pid but ours; `.tmp` was the old name. */
export function removeStaleTemporaries(outPath: string): string[] {
  const prefix = `.${basename(outPath)}.`;
  const removed: string[] = [];
  for (const name of readdirSync(dirname(outPath))) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.(?:partial|tmp)$/.exec(name.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid) continue;
    rmSync(join(dirname(outPath), name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Makes a rename in the directory durable (where the platform lets a directory be fsynced). */
function fsyncDirectory(dir: string) {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported here (Windows): the rename stands, durable or not */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function runSettleBatch(options: BatchOptions): Promise<BatchResult> {
  const started = process.hrtime.bigint();
  const inPath = resolve(options.inPath);
  const outPath = resolve(options.outPath);
  if (!existsSync(inPath)) throw new BatchError(`input file not found: ${options.inPath}`);
  if (inPath === outPath) throw new BatchError('--out must not be the input file');
  if (!existsSync(dirname(outPath)) || !statSync(dirname(outPath)).isDirectory()) throw new BatchError(`output directory does not exist: ${dirname(outPath)}`);
  const policy = typeof options.policy === 'string' ? readPolicy(options.policy) : options.policy;
  removeStaleTemporaries(outPath);

  const { cols, ids, errors, errorCount } = await readClaimsCsv(inPath, options.maxErrors ?? 100);
  if (errorCount > 0) return { ok: false, errors, errorCount };

  const { out, route, routes } = settleColumns(compilePolicy(policy), cols);

  let fundPayFen = 0;
  let outsideEffective = 0;
  const from = dateAt(policy.effective.from, 0, 10);
  const to = policy.effective.to ? dateAt(policy.effective.to, 0, 10) : 99999999;
  for (let i = 0; i < cols.count; i++) {
    fundPayFen += out[i * OUT_WIDTH + 3];
    if (cols.date[i] < from || cols.date[i] > to) outsideEffective++;
  }

  const tmp = partialPathOf(outPath);
  const header = Buffer.from(`${OUTPUT_COLUMNS.join(',')}\n`);
  const fd = openSync(tmp, 'w');
  try {
    const w = new CsvWriter(fd);
    w.reserve(200);
    // the header's place stays blank until every row is written (below)
    w.text(`${' '.repeat(header.length - 1)}\n`);
    for (let i = 0; i < cols.count; i++) {
      const o = i * OUT_WIDTH;
      const r = routes[route[i]];
      const chunk = ids.chunks[ids.chunk[i]];
      w.reserve(3 * (ids.end[i] - ids.start[i]) + 200);
      // claim_id, benefit, fund_pay, deductible, copay, over_limit, fund_remaining, reason, critical_illness
      w.text(chunk, ids.start[i], ids.end[i]);
      w.byte(44);
      w.text(r.benefit);
      w.byte(44);
      w.yuan(out[o + 3]);
      w.byte(44);
      w.yuan(out[o]);
      w.byte(44);
      w.yuan(out[o + 1]);
      w.byte(44);
      w.yuan(out[o + 2]);
      w.byte(44);
      // empty when the policy has no scheme for the person, or the benefit no limit
      if (out[o + 4] >= 0 && out[o + 4] !== Infinity) w.yuan(out[o + 4]);
      w.byte(44);
      w.text(r.reason);
      w.byte(44);
      w.yuan(out[o + 5]);
      w.byte(10);
    }
    w.flush();
    writeSync(fd, header, 0, header.length, 0);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, outPath);
    fsyncDirectory(dirname(outPath));
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw err;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ok: true, policyId: policy.id, claims: cols.count, people: cols.persons, fundPayFen, outsideEffective, seconds };
}
