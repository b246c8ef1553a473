// Payment runs kept with what they read (migration 0020): a run is known by the hash of its rules' version, its
// parameters and its inputs, so asking again with nothing changed finds the same run, and a run recomputed
// from what it stored must give what it gave.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../../core/audit';
import type { Database } from '../../db/connect';
import { computePayments, PAYMENT_VERSION, type PaymentInputs, type PaymentParameters } from '../../engine/payment';
import type { PaymentResults } from '../../engine/payment';

export interface StoredRun {
  id: string;
  year: number;
  quarter: number | null;
  as_of: string;
  version: string;
  parameters_id: string;
  parameters: PaymentParameters;
  inputs: PaymentInputs;
  results: PaymentResults;
  inputs_hash: string;
  created_by_name: string;
  created_at: Date;
}

/** JSON with every object's keys in order: the same values give the same text whatever order they were built in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export const runHash = (version: string, parameters: PaymentParameters, inputs: PaymentInputs) =>
  createHash('sha256').update(canonical({ version, parameters, inputs })).digest('hex');

const columns = ['id', 'year', 'quarter', 'as_of', 'version', 'parameters_id', 'parameters', 'inputs', 'results', 'inputs_hash', 'created_by_name', 'created_at'] as const;

/** The run of these inputs: the stored one when they were run before, else computed now and stored. */
export async function runFor(db: Database, actor: Actor, parameters: PaymentParameters, inputs: PaymentInputs, now: Date): Promise<{ run: StoredRun; reused: boolean }> {
  const hash = runHash(PAYMENT_VERSION, parameters, inputs);
  const found = await db.selectFrom('payment_run').select(columns).where('inputs_hash', '=', hash).executeTakeFirst();
  if (found) return { run: found as unknown as StoredRun, reused: true };
  const results = computePayments(parameters, inputs);
  const inserted = await db.insertInto('payment_run').values({
    year: inputs.year, quarter: inputs.quarter, as_of: inputs.asOf, version: PAYMENT_VERSION, parameters_id: parameters.id,
    parameters: JSON.stringify(parameters), inputs: JSON.stringify(inputs), results: JSON.stringify(results), inputs_hash: hash,
    created_by: actor.user.id || null, created_by_name: actor.user.username, created_at: now,
  }).onConflict((oc) => oc.column('inputs_hash').doNothing()).returning(columns).executeTakeFirst();
  // two asking at once: the other stored it first
  const run = inserted ?? (await db.selectFrom('payment_run').select(columns).where('inputs_hash', '=', hash).executeTakeFirstOrThrow());
  return { run: run as unknown as StoredRun, reused: !inserted };
}

export async function storedRun(db: Database, id: string): Promise<StoredRun | null> {
  const run = await db.selectFrom('payment_run').select(columns).where('id', '=', id).executeTakeFirst();
  return (run as unknown as StoredRun) ?? null;
}

/** The recomputed value cut to the keys the stored one has: what a later version adds is not a difference. */
function shapedLike(value: unknown, stored: unknown): unknown {
  if (Array.isArray(value) && Array.isArray(stored)) return value.map((v, i) => shapedLike(v, stored[i]));
  if (value && stored && typeof value === 'object' && typeof stored === 'object' && !Array.isArray(stored))
    return Object.fromEntries(Object.keys(stored).map((k) => [k, shapedLike((value as Record<string, unknown>)[k], (stored as Record<string, unknown>)[k])]));
  return value;
}

/**
 * A stored run recomputed from its own parameters and inputs: the same fen, and the same hash, or what differs.
 * A run of an earlier rules version is recomputed under this one and compared on the figures it gave.
 */
export function verify(run: StoredRun): { same: boolean; hashSame: boolean; differences: string[] } {
  const again = computePayments(run.parameters, run.inputs);
  const older = run.version !== PAYMENT_VERSION;
  const differences: string[] = [];
  for (const model of ['capitation', 'budget', 'contract_fee', 'work_equivalent', 'providers', 'totals'] as const) {
    if (older && run.results[model] === undefined) continue; // a part the earlier version did not give
    const stored = JSON.parse(canonical(run.results[model]));
    const recomputed = JSON.parse(canonical(again[model]));
    if (!isDeepStrictEqual(older ? shapedLike(recomputed, stored) : recomputed, stored)) differences.push(model);
  }
  const hashSame = run.version === PAYMENT_VERSION ? runHash(run.version, run.parameters, run.inputs) === run.inputs_hash : true;
  return { same: differences.length === 0, hashSame, differences };
}
