// `manbing simulate --year Y --policy <id> [--vs <id>]`: the stored claims of a year replayed under a
// policy (or two side by side): fund spend, out-of-pocket and people at the limit, by county and type.
import type { Command } from 'commander';
import { formatYuan } from '../../engine/money';

export function registerSimulate(program: Command) {
  program
    .command('simulate')
    .description('Replay the stored claims of a year under a policy (or two, side by side) by county and insurance type')
    .requiredOption('--year <year>', 'calendar year of the claims', (v) => {
      const y = Number(v);
      if (!Number.isInteger(y) || y < 2000 || y > 2100) throw new Error(`--year must be a year, got "${v}"`);
      return y;
    })
    .requiredOption('--policy <id>', 'policy id (a file in policies/) or a path to a policy file')
    .option('--vs <id>', 'a second policy to compare with')
    .action(async (opts: { year: number; policy: string; vs?: string }) => {
      const { loadConfig } = await import('../../config');
      const { openForCommand: openDatabase } = await import('../open');
      const { simulateYear } = await import('../../modules/settlement/simulate');
      const connection = await openDatabase(loadConfig());
      try {
        const ids = opts.vs ? [opts.policy, opts.vs] : [opts.policy];
        const started = Date.now();
        const { claims, results } = await simulateYear(connection.db, opts.year, ids, (n) => process.stderr.write(`\rclaims read: ${n}`));
        process.stderr.write('\n');
        const [a, b] = results;
        const head = ['county', 'insurance', 'people', 'claims', `fund ${a.policyId}`, `out-of-pocket ${a.policyId}`, `critical illness ${a.policyId}`, `at limit ${a.policyId}`];
        if (b) head.push(`fund ${b.policyId}`, `out-of-pocket ${b.policyId}`, `critical illness ${b.policyId}`, `at limit ${b.policyId}`, 'fund Δ');
        const table = a.rows.map((r, i) => {
          const row = [r.county, r.insuranceType, String(r.people), String(r.claims), formatYuan(r.fundPayFen), formatYuan(r.outOfPocketFen), formatYuan(r.criticalIllnessFen), String(r.peopleAtLimit)];
          if (b) {
            const o = b.rows[i];
            row.push(formatYuan(o.fundPayFen), formatYuan(o.outOfPocketFen), formatYuan(o.criticalIllnessFen), String(o.peopleAtLimit), formatYuan(o.fundPayFen - r.fundPayFen));
          }
          return row;
        });
        const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
        const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
        console.log(line(head));
        for (const r of table) console.log(line(r));
        console.log(`\n${claims} claims of ${opts.year} replayed in ${((Date.now() - started) / 1000).toFixed(1)} s (amounts in yuan)`);
      } finally {
        await connection.close();
      }
    });
}
