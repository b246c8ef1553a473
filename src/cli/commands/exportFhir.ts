// `manbing export fhir --county 330402 --out <dir> [--batch 500] [--json]` (issue 18, docs/fhir.md): a county's
// (or the city's) records as FHIR R4 NDJSON, a file per resource type as FHIR Bulk Data writes them, with the
// resident ID whole — the push to the provincial and national platforms. A line per file with its count, then
// the persons, resources, time and the process's peak memory.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { consoleActor } from '../../core/audit';
import { type ImportDeps, openDefault } from './import';

export function registerExport(program: Command, deps: ImportDeps = { open: openDefault }) {
  const command = program.command('export').description('Export records for other systems: FHIR R4 NDJSON (docs/fhir.md)');
  command
    .command('fhir')
    .description("A county's or the city's records as FHIR R4 NDJSON, a file per resource type (Patient, Coverage, CareTeam, Condition, Observation, MedicationRequest, MedicationDispense, ServiceRequest, ExplanationOfBenefit, Organization, Practitioner)")
    .requiredOption('--county <code>', 'the six-digit code of a county (or the city) of the region catalogue')
    .requiredOption('--out <dir>', 'the directory the .ndjson files are written to (made if missing; files of the same name replaced)')
    .option('--batch <n>', 'persons read and written at a time: the export holds one batch in memory', '500')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: { county: string; out: string; batch: string; json?: boolean }) => {
      const batchSize = Number(opts.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) {
        console.error(`--batch ${opts.batch}: a whole number from 1 to 5000`);
        process.exitCode = 2;
        return;
      }
      const { exportCounty } = await import('../../modules/fhir/export');
      const { ctx, close } = await deps.open();
      try {
        const progress = process.stderr.isTTY ? (n: number) => void process.stderr.write(`\r${n} persons`) : undefined;
        const report = await exportCounty(ctx, consoleActor(userInfo().username), { county: opts.county, out: opts.out, batchSize, onProgress: progress });
        if (progress) process.stderr.write('\n');
        const peakMiB = Math.round(process.resourceUsage().maxRSS / 1024);
        if (opts.json) console.log(JSON.stringify({ ...report, peakRssMiB: peakMiB }));
        else {
          for (const f of report.files) console.log(`${f.file}\t${f.count}`);
          console.log(`${report.persons} persons, ${report.resources} resources in ${report.seconds.toFixed(1)} s (${Math.round(report.resources / Math.max(report.seconds, 0.001))} resources/s), peak memory ${peakMiB} MiB → ${opts.out}`);
        }
      } finally {
        await close();
      }
    });
}
