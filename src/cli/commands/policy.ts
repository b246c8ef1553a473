// `manbing policy list | show <id> | check <file>` — for an official to read and validate policy files.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadPolicy, PolicyError } from '../../engine/policy/load';
import { INSTITUTION_LEVELS, INSURANCE_TYPES, type Benefit, type Cite, type Policy, type Sourced } from '../../engine/policy/schema';
import { formatYuan } from '../../engine/money';
import { listPolicies, policiesDir, readPolicy } from '../../core/policyFiles';

export function registerPolicy(program: Command) {
  const policy = program.command('policy').description('Benefit policies (policies/*.yaml): list, show, check');

  policy
    .command('list')
    .description('List the policies with their region and effective period')
    .action(() => {
      const listed = listPolicies(policiesDir());
      const width = Math.max(0, ...listed.map((p) => p.id.length)) + 1;
      for (const p of listed) {
        if ('issues' in p) console.log(`${p.id.padEnd(width)} INVALID (${p.issues.length} problem(s)) — run: manbing policy check ${p.file}`);
        else console.log(`${p.id.padEnd(width)} ${p.policy.region.code.padEnd(6)} ${period(p.policy)}  ${Object.keys(p.policy.schemes).join('+').padEnd(17)} ${p.policy.name}`);
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
  if (p.registration) out.push(`registration: confirmed without the agency's review at ${p.registration.one_stop_levels.join(', ')} ${source(p.registration)}`);
  for (const [kind, prices] of Object.entries(p.pricing ?? {}))
    if (typeof prices === 'object') for (const [level, r] of Object.entries(prices)) out.push(`pricing: ${kind} at ${level} cost ${pct(r!.bp)} of the catalogue price ${source(r!)}`);
  for (const type of INSURANCE_TYPES) {
    const s = p.schemes[type];
    if (!s) {
      out.push('', `${type}: no scheme (claims are refused)`);
      continue;
    }
    out.push('', `${type} — ${s.name}`, `  linkage: out of scope → ${s.linkage.out_of_scope}; in-scope self-paid and over-limit → ${s.linkage.self_paid}${s.linkage.cite ? ` [${cite(s.linkage.cite)}]` : ''}`);
    const { two_disease, general, specified } = s.benefits;
    const benefits: Array<[string, Benefit]> = [['two_disease', two_disease], ...(general ? [['general', general] as [string, Benefit]] : []), ...Object.entries(specified ?? {}).map(([k, b]) => [`specified ${k}`, b] as [string, Benefit])];
    for (const [kind, b] of benefits) out.push(...describeBenefit(kind, b));
    for (const [grade, g] of Object.entries(two_disease.grades ?? {})) out.push(`    grade ${grade}: ${g.diseases.join(', ')} — managed at ${g.levels.join(', ')} ${source(g)}`);
    const ext = two_disease.extended_prescription;
    if (ext) out.push(`    extended prescription (延伸处方): drugs on "${ext.drug_list}" at ${ext.levels.join(', ')} ${source(ext)}`);
    const pools = new Map<string, number>();
    for (const [, b] of benefits) pools.set(b.pool, (pools.get(b.pool) ?? 0) + (b.annual_limit.fen ?? Infinity));
    for (const [pool, fen] of pools) out.push(`  pool "${pool}": ${Number.isFinite(fen) ? `fund pays at most ${formatYuan(fen)} yuan a year` : 'no annual limit'}`);
    if (general && general.pool === two_disease.pool && general.annual_limit.fen !== null)
      out.push(`    of which general outpatient at most ${formatYuan(general.annual_limit.fen)} yuan; the rest only for two-disease cost`);
  }
  return out.join('\n');
}

function describeBenefit(kind: string, b: Benefit): string[] {
  const out = [`  ${kind} — ${b.name} (pool "${b.pool}")`];
  out.push(`    deductible    ${formatYuan(b.deductible.fen).padStart(10)} yuan  ${source(b.deductible)}`);
  out.push(`    annual limit  ${b.annual_limit.fen === null ? '      none' : `${formatYuan(b.annual_limit.fen).padStart(10)} yuan`}  ${source(b.annual_limit)}`);
  for (const level of INSTITUTION_LEVELS) {
    const r = b.ratios[level];
    out.push(`    ${level.padEnd(13)} ${r ? `${pct(r.bp).padStart(10)}       ${source(r)}` : '   not covered'}`);
  }
  out.push(`    max supply    ${String(b.max_days_supply.days).padStart(10)} days  ${source(b.max_days_supply)}`);
  out.push(`    diseases      ${b.diseases?.join(', ') ?? 'any'}`, `    drug list     ${b.drug_list}`);
  if ('chosen_institution_only' in b && b.chosen_institution_only) out.push('    paid only at the institution the patient chose');
  if (b.note) out.push(`    note: ${b.note}`);
  return out;
}
