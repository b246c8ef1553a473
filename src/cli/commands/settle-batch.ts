// `manbing settle-batch --policy <id> --in claims.csv --out results.csv`
// Exit code 0 and a results file, or exit code 1, every bad row on stderr, and no results file.
import type { Command } from 'commander';
import { formatYuan } from '../../engine/money';
import { INPUT_COLUMNS, OUTPUT_COLUMNS, runSettleBatch } from '../../modules/settlement/batch';

export function registerSettleBatch(program: Command) {
  program
    .command('settle-batch')
    .description('Settle a CSV of claims under a policy (per person in service-date order) and write one result row per claim')
    .requiredOption('--policy <id>', 'policy id (a file in policies/) or a path to a policy file')
    .requiredOption('--in <file>', `claims CSV with header: ${INPUT_COLUMNS.join(',')} (amount in yuan)`)
    .requiredOption('--out <file>', `results CSV: ${OUTPUT_COLUMNS.join(',')} (yuan), in input order`)
    .option('--max-errors <n>', 'bad rows to list before only counting them', (v) => Math.max(1, Number.parseInt(v, 10) || 100), 100)
    .action(async (opts: { policy: string; in: string; out: string; maxErrors: number }) => {
      const result = await runSettleBatch({ policy: opts.policy, inPath: opts.in, outPath: opts.out, maxErrors: opts.maxErrors });
      if (!result.ok) {
        for (const e of result.errors) console.error(`${opts.in}:${e.line}: ${e.message}`);
        if (result.errorCount > result.errors.length) console.error(`… and ${result.errorCount - result.errors.length} more bad rows`);
        console.error(`${result.errorCount} bad row(s); nothing was settled and ${opts.out} was not written.`);
        process.exitCode = 1;
        return;
      }
      if (result.outsideEffective > 0)
        console.error(`warning: ${result.outsideEffective} claim(s) fall outside the effective period of ${result.policyId}; settled under it anyway (as a simulation would)`);
      console.log(
        `settled ${result.claims} claims of ${result.people} people under ${result.policyId} → ${opts.out} in ${result.seconds.toFixed(2)} s; fund pays ${formatYuan(result.fundPayFen)} yuan`,
      );
    });
}
