// Issue 16's speed: every indicator for every county, institution and team for a quarter (limit: under
// 1 s on PostgreSQL for a city of 700,000 registered patients), kept current as records change, and the
// quarterly workbook (limit: under 10 s). Beside each figure, the plainest correct SQL computing the same
// numbers from the raw tables with no precomputation (bench/indicatorsRaw.ts), and a check that they agree.
// It builds its own PostgreSQL database — migrated, the demo city of N patients loaded — or reuses it:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/indicators.ts [patients=50000] [--reuse]
import { sql } from 'kysely';
import { openDemoCity, time } from './demoCity';
import { indicatorReport, refreshPerson } from '../src/modules/indicators/service';
import { countersByTeam } from '../src/modules/indicators/queries';
import { rawCounters } from './indicatorsRaw';
import { buildQuarterly, renderQuarterly } from '../src/modules/reports/service';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const PATIENTS = Number(args[0] ?? 50000);
const AS_OF = '2026-10-15';
const NAME = `manbing_bench_indicators_${PATIENTS}`;
const REPORT_LIMIT_MS = 1000;
const WORKBOOK_LIMIT_MS = 10000;
const reuse = process.argv.includes('--reuse');
const connection = await openDemoCity({ name: NAME, patients: PATIENTS, asOf: AS_OF, reuse });
const db = connection.db;

const sizes = (await sql<{ registered: number; visits: number; claims: number; rows: number }>`
  select (select count(distinct person_id)::int from registration) as registered, (select count(*)::int from followup_visit) as visits,
         (select count(*)::int from claim) as claims, (select count(*)::int from indicator_month where month = '2026-09-01') as rows`.execute(db)).rows[0];
console.log(`city: ${sizes.registered} registered patients, ${sizes.visits} follow-ups, ${sizes.claims} claims; ${sizes.rows} month rows for 2026-09`);

const q = { year: 2026, quarter: 3, today: AS_OF };
const report = await time(5, () => indicatorReport(db, q));
const counters = await time(5, () => countersByTeam(db, { month: '2026-09' }, false));
const raw = await time(1, () => rawCounters(db, { start: '2026-07-01', end: '2026-09-30', fullYear: false }));

// the two agree number by number, per (county, team)
let differences = 0;
const keys = new Set([...counters.value.map((c) => `${c.county_code}|${c.team_id ?? ''}`), ...raw.value.keys()]);
for (const key of keys) {
  const a = counters.value.find((c) => `${c.county_code}|${c.team_id ?? ''}` === key)?.counters;
  const b = raw.value.get(key);
  for (const name of Object.keys(a ?? b ?? {})) if ((a as Record<string, number> | undefined)?.[name] !== (b as Record<string, number> | undefined)?.[name]) differences++;
}

// the city's quarterly workbook: the indicators once per insurance type, the tables, the .xlsx
const workbook = await time(3, async () => renderQuarterly(await buildQuarterly(db, { year: 2026, quarter: 3, regionName: '嘉兴市' }, AS_OF), 'xlsx'));
const countyWorkbook = await time(3, async () => renderQuarterly(await buildQuarterly(db, { year: 2026, quarter: 3, county: '330402', regionName: '嘉兴市南湖区' }, AS_OF), 'xlsx'));

// kept current: one patient's rows written again after a change, as a visit's transaction does
const someone = (await sql<{ person_id: string }>`select person_id from registration order by person_id limit 50`.execute(db)).rows.map((r) => r.person_id);
let i = 0;
const refresh = await time(someone.length, () => refreshPerson(db, someone[i++ % someone.length], '2026-10-01'));

const ratio = (a: number, b: number) => (a / b).toFixed(3);
console.log(`\nquarter 2026-Q3, every scope (${report.value.scopes.length} scopes):`);
console.log(`  report (month rows + the counts kept by county)  ${report.ms.toFixed(0)} ms   limit ${REPORT_LIMIT_MS} ms`);
console.log(`  the month rows' sum alone                        ${counters.ms.toFixed(0)} ms`);
console.log(`  plain SQL over the raw tables                    ${raw.ms.toFixed(0)} ms   ratio report / plain ${ratio(report.ms, raw.ms)}`);
console.log(`  agreement: ${keys.size} (county, team) groups, ${differences} differing counts`);
console.log(`  the city's workbook (.xlsx, both insurances)   ${workbook.ms.toFixed(0)} ms   limit ${WORKBOOK_LIMIT_MS} ms (${workbook.value.length} bytes)`);
console.log(`  a county's workbook (.xlsx)                      ${countyWorkbook.ms.toFixed(0)} ms`);
console.log(`  one patient kept current (a visit's refresh)     ${refresh.ms.toFixed(1)} ms (median of ${someone.length})`);
await connection.close();
if (differences) process.exitCode = 1;
