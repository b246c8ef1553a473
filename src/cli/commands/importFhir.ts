// `manbing import fhir --in <bundle.json | dir | file.ndjson> [--id-map map.csv] [--json]` (issue 18, docs/fhir.md):
// hospitals' FHIR R4 bundles into the health record. A line per bundle and per patient — matched, unmatched
// (skipped), the differences from the roster, what was imported and what was already there — and a line per
// fault naming the file and the entry. Exit code 1 when a bundle was refused or a patient matched nobody.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { consoleActor } from '../../core/audit';
import type { ImportDeps } from './import';

const count = (c: { diagnoses: number; readings: number; medications: number }) => `${c.diagnoses} diagnoses, ${c.readings} readings, ${c.medications} medications`;
const types = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';

export function registerImportFhir(command: Command, deps: ImportDeps) {
  command
    .command('fhir')
    .description('FHIR R4 bundles (transaction or batch, .json) or resources (.ndjson), or a directory of them: diagnoses, readings and outside medication of Patients matched to the roster (docs/fhir.md)')
    .requiredOption('--in <path>', 'a bundle (.json), an NDJSON file (.ndjson) or a directory of them')
    .option('--id-map <file>', 'a CSV with the columns system, value, id_number: a source system’s patient identifier to a resident ID number')
    .option('--as <username>', "the account the import is done as and audited under (a system_admin, or an institution_admin for its own patients); without it, the console's operating-system user, as system administrator")
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: { in: string; idMap?: string; as?: string; json?: boolean }) => {
      const { parseIdMap, importFhir } = await import('../../modules/fhir/import');
      const { readFhirInputs } = await import('../../modules/fhir/files');
      let idMap = new Map<string, string>();
      if (opts.idMap) {
        const parsed = parseIdMap(readFileSync(opts.idMap, 'utf8'));
        if ('problems' in parsed) {
          for (const p of parsed.problems) console.error(`${opts.idMap}: ${p}`);
          process.exitCode = 2;
          return;
        }
        idMap = parsed.map;
      }
      let bundles;
      try {
        bundles = readFhirInputs(opts.in);
      } catch (e) {
        console.error(`${opts.in}: ${(e as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const { ctx, close } = await deps.open();
      try {
        const { actorOfAccount } = await import('../../modules/roster/service');
        const actor = opts.as ? await actorOfAccount(ctx, opts.as) : consoleActor(userInfo().username);
        if (!actor) {
          console.error(`no usable account ${opts.as}`);
          process.exitCode = 2;
          return;
        }
        const report = await importFhir(ctx, actor, { source: opts.in, bundles, idMap });
        if (opts.json) console.log(JSON.stringify(report));
        else {
          for (const b of report.bundles) {
            for (const f of b.faults) console.error(`${b.source}: ${f.entry === null ? '' : `entry ${f.entry}: `}${f.message}`);
            if (b.faults.length) console.error(`${b.source}: refused, nothing written`);
            for (const p of b.patients) {
              if (p.outsideScope) console.error(`${b.source}: Patient ${p.sourceId} is not a patient of your institution: skipped`);
              else if (!p.idNumber) console.error(`${b.source}: Patient ${p.sourceId} matches no insured person of the roster: skipped`);
              else {
                console.log(`${b.source}: Patient ${p.sourceId} → ${p.idNumber} (${p.matchedBy}): imported ${count(p.imported)}; already there ${count(p.unchanged)}`);
                for (const d of p.differences) console.log(`  ${d.field}: the roster's ${d.roster} kept (the source says ${d.source})`);
                for (const s of p.skipped) console.log(`  ${s.resourceType} ${s.sourceId} skipped: ${s.reason}`);
                if (p.unmapped.length) console.log(`  kept as text, no catalogue drug: ${p.unmapped.join('; ')}`);
              }
            }
            if (!b.faults.length) console.log(`  not imported: ${types(b.notImported)}`);
          }
          const t = report.totals;
          console.log(`read ${types(t.read)}; imported ${count(t.imported)}; already there ${count(t.unchanged)}; skipped ${t.skipped}; unmatched patients ${t.unmatchedPatients}; outside your institution ${t.outsideScopePatients}; refused bundles ${t.refusedBundles}`);
        }
        if (report.totals.refusedBundles || report.totals.unmatchedPatients || report.totals.outsideScopePatients) process.exitCode = 1;
      } finally {
        await close();
      }
    });
}
