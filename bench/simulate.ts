// `manbing simulate` at city scale (issue 10: at least half the speed of reading the same rows alone):
// a year of stored claims replayed under two policies, beside the time of reading those rows without
// settling them — the same keyset-paged query, the same rows turned into engine claims.
//   DATABASE_URL=postgres://…/manbing_500k npx manbing demo --patients 500000
//   DATABASE_URL=postgres://…/manbing_500k npx tsx bench/simulate.ts [year] [policy] [vs]
import { loadConfig } from '../src/config';
import { connectPostgres } from '../src/db/connect';
import { forEachPersonYear, simulateYear } from '../src/modules/settlement/simulate';

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('Set DATABASE_URL to a database loaded with `manbing demo --patients 500000`');
const year = Number(process.argv[2] ?? new Date().getFullYear());
const policies = [process.argv[3] ?? 'jiaxing-2021', process.argv[4] ?? 'national-2019'];
const connection = await connectPostgres(config.DATABASE_URL);
const db = connection.db;

const time = async <T>(f: () => Promise<T>) => {
  const started = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - started) / 1000 };
};
// warm the cache once, then alternate so that neither run profits from the other's order
await forEachPersonYear(db, year, () => {});
const reads: number[] = [];
const sims: number[] = [];
let claims = 0;
let people = 0;
for (let run = 0; run < 3; run++) {
  const r = await time(() => forEachPersonYear(db, year, () => { people++; }));
  reads.push(r.seconds);
  const s = await time(() => simulateYear(db, year, policies));
  sims.push(s.seconds);
  claims = s.value.claims;
}
const best = (xs: number[]) => Math.min(...xs);
console.log(`${claims.toLocaleString('en')} claims of ${year}, ${(people / 3).toLocaleString('en')} people; best of 3 runs`);
console.log(`read the rows alone (limit):       ${best(reads).toFixed(2)} s  ${(claims / best(reads)).toFixed(0).padStart(8)} claims/s`);
console.log(`simulate under ${policies.join(' and ')}: ${best(sims).toFixed(2)} s  ${(claims / best(sims)).toFixed(0).padStart(8)} claims/s`);
console.log(`ratio (limit time / simulate time): ${(best(reads) / best(sims)).toFixed(2)}  (aim ≥ 0.5)`);
await connection.close();
