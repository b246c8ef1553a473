// `manbing indicators --year 2026 [--quarter 3] [--county 330402] [--json]`: a period's indicators for the
// city, its counties, institutions and teams (docs/indicators.md). With --json one object, exactly as
// GET /api/indicators answers; without, a table of the counties' rates. Bad options: exit code 2 before
// anything is opened. While `manbing start` holds the embedded database the running server answers.
import type { Command } from 'commander';
import type { IndicatorsOptions } from '../../modules/indicators/console';

export function registerIndicators(program: Command) {
  program
    .command('indicators')
    .description('The indicators of a quarter or a year: contracting, registration, standardised management, control, grassroots visits, fund spending')
    .requiredOption('--year <year>', 'the calendar year')
    .option('--quarter <n>', '1–4; omitted: the whole year (to date while it runs)')
    .option('--county <code>', 'one county (6-digit code); omitted: the whole city')
    .option('--json', 'print the report as one JSON object')
    .action(async (options: IndicatorsOptions) => {
      const { indicatorsQueryOf, indicatorsLines } = await import('../../modules/indicators/console');
      const checked = indicatorsQueryOf(options);
      if ('error' in checked) {
        console.error(checked.error);
        process.exitCode = 2;
        return;
      }
      const { printLines } = await import('../printedLines');
      const { INDICATORS_PATH } = await import('../../server/control');
      await printLines(INDICATORS_PATH, { ...options, json: options.json === true }, (db, actor, now) => indicatorsLines(db, actor, options, now));
    });
}
