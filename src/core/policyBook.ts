// The policies in force, loaded and compiled once at start-up: which one settles a claim is decided
// by the person's region (the longest matching region code; "00" is the national fallback) and
// the service date (the policy's effective period).
import type { InstitutionLevel, InsuranceType, Policy } from '../engine/policy/schema';
import { compilePolicy, type CompiledPolicy } from '../engine/settlement';
import { listPolicies } from './policyFiles';

export interface BookEntry {
  id: string;
  policy: Policy;
  compiled: CompiledPolicy;
}

/** What the policy in force says about registering and prescribing for the two-disease benefit. */
export interface BenefitRules {
  policyId: string;
  /** Diseases the benefit covers (the two diseases and, in Jiaxing, 11 more). */
  diseases: readonly string[];
  /** Longest supply one prescription may carry. */
  maxDaysSupply: number;
  /** Levels whose designated institutions confirm a registration themselves (一站式); empty: the agency reviews. */
  oneStopLevels: readonly InstitutionLevel[];
}

export class PolicyBook {
  private readonly entries: BookEntry[];

  constructor(policies: Array<{ id: string; policy: Policy }>) {
    this.entries = policies.map((p) => ({ ...p, compiled: compilePolicy(p.policy) }));
  }

  /** Every valid policy file; an invalid one stops start-up with its issues listed. */
  static load(dir?: string): PolicyBook {
    const listed = listPolicies(dir);
    const bad = listed.filter((l) => 'issues' in l);
    if (bad.length) throw new Error(`Invalid policy files:\n${bad.map((b) => `  ${b.file}: ${'issues' in b ? b.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : ''}`).join('\n')}`);
    return new PolicyBook(listed.flatMap((l) => ('policy' in l ? [{ id: l.id, policy: l.policy }] : [])));
  }

  get all(): readonly BookEntry[] {
    return this.entries;
  }

  byId(id: string): BookEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** The two-disease benefit's rules for a person of this region and insurance type on `date`; undefined when no policy covers them. */
  rulesFor(regionCode: string, insuranceType: InsuranceType, date: string): BenefitRules | undefined {
    const entry = this.forRegion(regionCode, date);
    const benefit = entry?.policy.schemes[insuranceType]?.benefits.two_disease;
    if (!entry || !benefit) return undefined;
    return { policyId: entry.id, diseases: benefit.diseases, maxDaysSupply: benefit.max_days_supply.days, oneStopLevels: entry.policy.registration?.one_stop_levels ?? [] };
  }

  /** The policy for a resident of `regionCode` on `date`, or undefined when none is in force. */
  forRegion(regionCode: string, date: string): BookEntry | undefined {
    let best: BookEntry | undefined;
    for (const e of this.entries) {
      const code = e.policy.region.code === '00' ? '' : e.policy.region.code;
      const inForce = e.policy.effective.from <= date && (!e.policy.effective.to || date <= e.policy.effective.to);
      if (inForce && regionCode.startsWith(code) && (!best || code.length > (best.policy.region.code === '00' ? 0 : best.policy.region.code.length))) best = e;
    }
    return best;
  }
}
