// `manbing policy list | show <id> | check <file>` — for an official to read and validate policy files.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadPolicy, PolicyError } from '../../engine/policy/load';
import { INSTITUTION_LEVELS, INSURANCE_TYPES, type Benefit, type Cite, type Policy, type Sourced } from '../../engine/policy/schema';
import { formatYuan } from '../../engine/money';
import { listPolicies, policiesDir, readPolicy } from '../../modules/settlement/policies';

export function registerPolicy(program: Command) {
  const policy = program.command('policy').description('Benefit policies (policies/*.yaml): list, show, check');

  policy
    .command('list')
    .description('List the policies with their region and effective period')
    .action(() => {
      const dir = policiesDir();
      for (const p of listPolicies(dir)) {
        if ('issues' in p) console.log(`${p.id.padEnd(18)} INVALID (${p.issues.length} problem(s)) — run: manbing policy check ${p.file}`);
        else console.log(`${p.id.padEnd(18)} ${p.policy.region.code.padEnd(6)} ${period(p.policy)}  ${Object.keys(p.policy.schemes).join('+').padEnd(17)} ${p.policy.name}`);
      }
    });

  policy
    .command('show <id>')
    .description('Show a policy: every benefit parameter with its source')
    .option('--json', 'print the parsed policy (amounts in fen) as JSON')
    .action((id: string, opts: { json?: boolean }) => {
      const p = readPolicy(id);
      console.log(opts.json ? JSON.stringify(p, null, 2) : describe(p));
    });

  policy
    .command('check <file>')
    .description('Validate a policy file; prints every problem with its field path (exit code 1 if any)')
    .action((file: string) => {
      try {
        const p = loadPolicy(readFileSync(file, 'utf8'), basename(file));
        console.log(`ok: ${p.id} — ${p.name}`);
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        for (const i of err.issues) console.error(`${file}: ${i.path || '(file)'}: ${i.message}`);
        console.error(`${err.issues.length} problem(s)`);
        process.exitCode = 1;
      }
    });
}

const period = (p: Policy) => `${p.effective.from} – ${p.effective.to ?? 'open'}`;
const source = (s: Sourced) => (s.cite ? `[${cite(s.cite)}]` : `[local: ${s.local}]`);
const cite = (c: Cite) => [c.seed ? `seed ${c.seed}` : c.doc, c.item && `item ${c.item}`, c.quote && `“${c.quote}”`].filter(Boolean).join(', ');
const pct = (bp: number) => `${bp / 100}%`;

function describe(p: Policy): string {
  const out = [`${p.id}  ${p.name}`, `region ${p.region.code} ${p.region.name}; effective ${period(p)}`];
  for (const type of INSURANCE_TYPES) {
    const s = p.schemes[type];
    if (!s) {
      out.push('', `${type}: no scheme (claims are refused)`);
      continue;
    }
    out.push('', `${type} — ${s.name}`, `  linkage: out of scope → ${s.linkage.out_of_scope}; in-scope self-paid and over-limit → ${s.linkage.self_paid}${s.linkage.cite ? ` [${cite(s.linkage.cite)}]` : ''}`);
    for (const [kind, b] of Object.entries(s.benefits) as Array<[string, Benefit | undefined]>) {
      if (!b) continue;
      out.push(`  ${kind} — ${b.name} (pool "${b.pool}")`);
      out.push(`    deductible    ${formatYuan(b.deductible.fen).padStart(10)} yuan  ${source(b.deductible)}`);
      out.push(`    annual limit  ${formatYuan(b.annual_limit.fen).padStart(10)} yuan  ${source(b.annual_limit)}`);
      for (const level of INSTITUTION_LEVELS) {
        const r = b.ratios[level];
        out.push(`    ${level.padEnd(13)} ${r ? `${pct(r.bp).padStart(10)}       ${source(r)}` : '   not covered'}`);
      }
      out.push(`    max supply    ${String(b.max_days_supply.days).padStart(10)} days  ${source(b.max_days_supply)}`);
      out.push(`    diseases      ${b.diseases?.join(', ') ?? 'any'}`, `    drug list     ${b.drug_list}`);
      if (b.note) out.push(`    note: ${b.note}`);
    }
    const pools = new Map<string, number>();
    for (const b of [s.benefits.two_disease, s.benefits.general]) if (b) pools.set(b.pool, (pools.get(b.pool) ?? 0) + b.annual_limit.fen);
    for (const [pool, fen] of pools) out.push(`  pool "${pool}": fund pays at most ${formatYuan(fen)} yuan a year`);
  }
  return out.join('\n');
}
