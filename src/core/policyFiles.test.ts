// Every shipped policy file against its seeds: it validates, and every quote it cites is the seed's
// own wording, character for character (officials check the numbers against the notices).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Cite } from '../engine/policy/schema';
import { listPolicies } from './policyFiles';

const seedsDir = fileURLToPath(new URL('../../../shared/seeds', import.meta.url));
const seedText = (seed: string) => {
  const file = readdirSync(seedsDir).find((f) => f.startsWith(`${seed}_`));
  if (!file) throw new Error(`no seed ${seed} in ${seedsDir}`);
  return readFileSync(join(seedsDir, file), 'utf8');
};

/** Every cite object anywhere in a parsed policy. */
function cites(value: unknown, path: string, out: Array<{ path: string; cite: Cite }> = []) {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'cite' && v && typeof v === 'object') out.push({ path, cite: v as Cite });
      else cites(v, path ? `${path}.${k}` : k, out);
    }
  }
  return out;
}

describe('shipped policies', () => {
  const listing = listPolicies();
  it('all validate', () => {
    expect(listing.flatMap((p) => ('issues' in p ? [`${p.id}: ${JSON.stringify(p.issues)}`] : []))).toEqual([]);
  });
  it.runIf(existsSync(seedsDir))('quote their seeds verbatim', () => {
    const wrong: string[] = [];
    for (const p of listing) {
      if (!('policy' in p)) continue;
      for (const { path, cite } of cites(p.policy, '')) if (cite.seed && cite.quote && !seedText(cite.seed).includes(cite.quote)) wrong.push(`${p.id} ${path}: “${cite.quote}” is not in seed ${cite.seed}`);
    }
    expect(wrong).toEqual([]);
  });
});
