// `manbing payments --year 2026 [--quarter 3] [--county 330402] [--json]`: each payment model's figures per
// provider (docs/payments.md), the run stored with its inputs; `--verify <run id>` recomputes a stored run.
// Bad options exit 2 before anything is opened. While `manbing start` holds the embedded database the
// running server answers.
import type { Command } from 'commander';
import type { PaymentsOptions } from '../../modules/payments/console';

export function registerPayments(program: Command) {
  program
    .command('payments')
    .description('Provider payment of a quarter or a year: capitation, the medical community’s total budget with Luohu’s saving, contract fees, work equivalents')
    .option('--year <year>', 'the calendar year')
    .option('--quarter <n>', '1–4; omitted: the whole year (to date while it runs)')
    .option('--county <code>', 'one county (6-digit code); omitted: the whole city')
    .option('--json', 'print the run as one JSON object, as GET /api/payments answers')
    .option('--verify <run>', 'recompute a stored run from its own inputs and compare the fen (exit 1 when they differ)')
    .action(async (options: PaymentsOptions) => {
      const { paymentsQueryOf, paymentsLines } = await import('../../modules/payments/console');
      const checked = paymentsQueryOf(options);
      if ('error' in checked) {
        console.error(checked.error);
        process.exitCode = 2;
        return;
      }
      const { printLines } = await import('../printedLines');
      const { PAYMENTS_PATH } = await import('../../server/control');
      await printLines(PAYMENTS_PATH, { ...options, json: options.json === true }, (db, actor, now) => paymentsLines(db, actor, options, now));
    });
}
