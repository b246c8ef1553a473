// A benchmark's own PostgreSQL database with the demo city of N patients: created, migrated and loaded, or
// reused as it is with --reuse (building a large city takes longer than the measurement). And the median of
// a few timed runs, the figure every benchmark prints.
import { sql } from 'kysely';
import { loadConfig } from '../src/config';
import { connectPostgres } from '../src/db/connect';
import { migrateToLatest } from '../src/db/migrate';
import { loadDemoCity } from '../src/modules/demo/load';
import { syncReferenceData } from '../src/modules/reference/sync';

export async function openDemoCity(o: { name: string; patients: number; asOf: string; reuse: boolean }) {
  const url = loadConfig().DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server (the bench creates its own database on it)');
  const admin = await connectPostgres(url, 1);
  const exists = (await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${o.name}`.execute(admin.db)).rows[0].n > 0;
  const build = !exists || !o.reuse;
  if (build) {
    await sql.raw(`drop database if exists ${o.name} with (force)`).execute(admin.db);
    await sql.raw(`create database ${o.name}`).execute(admin.db);
  }
  await admin.close();
  const u = new URL(url);
  u.pathname = `/${o.name}`;
  const connection = await connectPostgres(u.toString(), 4);
  if (build) {
    const started = performance.now();
    await migrateToLatest(connection.db);
    await syncReferenceData(connection.db);
    await loadDemoCity(connection.db, { patients: o.patients, seed: 1, asOf: o.asOf });
    console.log(`demo city of ${o.patients} patients loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return connection;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median time of `runs` runs, and the last run's value. */
export async function time<T>(runs: number, f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await f();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), value };
}
