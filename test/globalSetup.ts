// Builds one template database for the whole run: migrated, catalogues loaded and a small demo
// city in it. Each test file then starts from a cheap copy (see helpers/database.ts).
import { writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connectPglite, connectPostgres } from '../src/db/connect';
import { migrateToLatest } from '../src/db/migrate';
import { syncReferenceData } from '../src/modules/reference/sync';
import { loadDemoCity } from '../src/modules/demo/load';
import { runRaw, TEST_DEMO, withDatabase } from './helpers/database';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDump: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const connection = await connectPglite();
    await migrateToLatest(connection.db);
    await syncReferenceData(connection.db);
    await loadDemoCity(connection.db, TEST_DEMO);
    const dump = await connection.pglite.dumpDataDir('none');
    await connection.close();
    const file = join(tmpdir(), `manbing-template-${process.pid}.tar`);
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('templateDump', file);
    project.provide('templateDatabase', '');
    return () => rm(file, { force: true });
  }
  const name = `manbing_template_${process.pid}`;
  const admin = await connectPostgres(url, 1);
  await runRaw(admin, `drop database if exists ${name} with (force)`);
  await runRaw(admin, `create database ${name}`);
  const template = await connectPostgres(withDatabase(url, name), 2);
  await migrateToLatest(template.db);
  await syncReferenceData(template.db);
  await loadDemoCity(template.db, TEST_DEMO);
  await template.close();
  project.provide('templateDump', '');
  project.provide('templateDatabase', name);
  return async () => {
    await runRaw(admin, `drop database if exists ${name} with (force)`);
    await admin.close();
  };
}
