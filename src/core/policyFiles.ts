// Reads policy files from policies/ (or MANBING_POLICIES_DIR). Parsing and validation are the engine's
// (loadPolicy); this file only finds and reads files.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy, PolicyError, type PolicyIssue } from '../engine/policy/load';
import type { Policy } from '../engine/policy/schema';

const POLICY_FILE = /\.(ya?ml|json)$/i;

export function policiesDir(): string {
  return process.env.MANBING_POLICIES_DIR ?? fileURLToPath(new URL('../../policies', import.meta.url));
}

export type PolicyListing = { id: string; file: string; policy: Policy } | { id: string; file: string; issues: PolicyIssue[] };

/** Every policy file in the directory, valid or not (an invalid one carries its issues). */
export function listPolicies(dir = policiesDir()): PolicyListing[] {
  return readdirSync(dir)
    .filter((f) => POLICY_FILE.test(f))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const id = f.replace(POLICY_FILE, '');
      try {
        return { id, file, policy: readPolicyFile(file) };
      } catch (err) {
        if (err instanceof PolicyError) return { id, file, issues: err.issues };
        throw err;
      }
    });
}

export function readPolicyFile(file: string): Policy {
  return loadPolicy(readFileSync(file, 'utf8'), basename(file));
}

/** A policy by id (the file's base name in the policies directory), or by path when given one. */
export function readPolicy(idOrPath: string, dir = policiesDir()): Policy {
  if (POLICY_FILE.test(idOrPath) || idOrPath.includes('/')) return readPolicyFile(resolve(idOrPath));
  const file = readdirSync(dir).find((f) => POLICY_FILE.test(f) && f.replace(POLICY_FILE, '') === idOrPath);
  if (!file) throw new Error(`no policy "${idOrPath}" in ${dir} (have: ${readdirSync(dir).filter((f) => POLICY_FILE.test(f)).map((f) => f.replace(POLICY_FILE, '')).join(', ') || 'none'})`);
  return readPolicyFile(join(dir, file));
}
