// Provider payment's cost (issue 17 names no figure; the analyst's screen computes a run's inputs on every
// visit, so its time matters): a payment run of the whole city — every input summed from the records and the
// four models computed — beside the bare SQL any correct run must at least do, one scan of the year's claim
// lines summing the fund's part. It builds its own PostgreSQL database with the demo city of N patients, or
// reuses it:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/payments.ts [patients=50000] [--reuse]
import { sql } from 'kysely';
import { openDemoCity, time } from './demoCity';
import { consoleActor } from '../src/core/audit';
import { computePayments } from '../src/engine/payment';
import { gatherInputs } from '../src/modules/payments/inputs';
import { parametersFor } from '../src/modules/payments/parameters';
import { paymentRunOf } from '../src/modules/payments/service';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const PATIENTS = Number(args[0] ?? 50000);
const AS_OF = '2026-10-15';
const NAME = `manbing_bench_payments_${PATIENTS}`;
const reuse = process.argv.includes('--reuse');
const connection = await openDemoCity({ name: NAME, patients: PATIENTS, asOf: AS_OF, reuse });
const db = connection.db;

const today = AS_OF;
const params = parametersFor(2026)!;
const size = (await sql<{ claims: number; lines: number }>`select (select count(*)::int from claim where service_date >= '2025-01-01') as claims,
  (select count(*)::int from claim_line l join claim c on c.person_id = l.person_id and c.id = l.claim_id where c.service_date >= '2025-01-01') as lines`.execute(db)).rows[0];
await gatherInputs(db, params, { year: 2026, quarter: null, today }); // the month rows built once, as the server's daily job does
const inputs = await time(3, () => gatherInputs(db, params, { year: 2026, quarter: null, today }));
const engine = await time(5, async () => computePayments(params, inputs.value));
const run = await time(3, () => paymentRunOf(db, consoleActor('bench'), { year: 2026 }, new Date(`${today}T04:00:00Z`)));
const bare = await time(3, async () => (await sql`select sum(l.fund_pay_fen) from claim c join claim_line l on l.person_id = c.person_id and l.claim_id = c.id
  where c.status = 'settled' and c.service_date between '2025-01-01' and ${today}::date`.execute(db)).rows);
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
console.log(`city of ${PATIENTS} patients: ${size.claims} claims (${size.lines} lines) of 2025 and 2026 to ${today}`);
console.log(`a payment run of 2026 (inputs + models), asked again (the stored run)  ${fmt(run.ms)}`);
console.log(`  of which the inputs summed from the records                          ${fmt(inputs.ms)}`);
console.log(`  of which the four models computed                                    ${fmt(engine.ms)}`);
console.log(`the bare SQL: one scan of both years' claim lines                      ${fmt(bare.ms)}  (ratio ${(inputs.ms / bare.ms).toFixed(1)})`);
console.log(`capitation townships ${inputs.value.capitation.length}, communities ${inputs.value.budget.length}, teams ${inputs.value.contract_fee.length}`);
await connection.close();
