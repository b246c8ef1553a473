// A county's FHIR export asked for over HTTP, as FHIR Bulk Data's asynchronous request pattern has it: the
// kick-off answers at once with the job's status address, the job runs in the server writing its NDJSON files
// under the data directory, the status answers "still running" (with how far) until the manifest of files is
// ready, and each file is fetched on its own. A job that was running when the server stopped is failed when
// next asked about: nothing resumes it.
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Actor } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { notFound } from '../../core/problem';
import { checkExport, exportCounty, type ExportReport } from './export';
import { EXPORT_TYPES, type ExportType } from './records';

/** The jobs this server process runs now. */
const running = new Set<string>();
const dirOf = (ctx: AppContext, id: string) => resolve(ctx.config.MANBING_DATA_DIR, 'fhir-exports', id);

export async function startExport(ctx: AppContext, actor: Actor, county: string, field = 'county'): Promise<{ id: string }> {
  await checkExport(ctx, actor, county, field);
  const { id } = await ctx.db.insertInto('fhir_export').values({
    county_code: county, requested_by: actor.user.id || null, requested_by_name: actor.user.username, requested_at: ctx.now(),
  }).returning('id').executeTakeFirstOrThrow();
  running.add(id);
  void exportCounty(ctx, actor, { county, out: dirOf(ctx, id), onProgress: (persons) => ctx.db.updateTable('fhir_export').set({ persons_done: persons }).where('id', '=', id).execute().then(() => undefined) })
    .then((report) => ctx.db.updateTable('fhir_export').set({ status: 'completed', finished_at: ctx.now(), report: JSON.stringify(report) }).where('id', '=', id).execute())
    .catch((e: Error) => ctx.db.updateTable('fhir_export').set({ status: 'failed', finished_at: ctx.now(), error: e.message.slice(0, 1000) }).where('id', '=', id).execute())
    // the database gone (the server stopping): the row stays running, and is failed when next asked about
    .catch(() => undefined)
    .finally(() => running.delete(id));
  return { id };
}

export interface ExportJob {
  id: string;
  county: string;
  requestedBy: string;
  requestedAt: Date;
  status: 'running' | 'completed' | 'failed';
  personsDone: number;
  finishedAt: Date | null;
  report: ExportReport | null;
  error: string | null;
}

export async function exportJob(ctx: AppContext, actor: Actor, id: string): Promise<ExportJob> {
  await requireAccess(ctx, actor, 'fhir.export');
  let row = await ctx.db.selectFrom('fhir_export').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('No such export');
  if (row.status === 'running' && !running.has(id)) {
    row = await ctx.db.updateTable('fhir_export').set({ status: 'failed', finished_at: ctx.now(), error: 'interrupted: the server stopped while the export ran' })
      .where('id', '=', id).where('status', '=', 'running').returningAll().executeTakeFirst() ?? row;
  }
  return {
    id: row.id, county: row.county_code, requestedBy: row.requested_by_name, requestedAt: row.requested_at, status: row.status, personsDone: row.persons_done,
    finishedAt: row.finished_at, report: (row.report as ExportReport | null) ?? null, error: row.error,
  };
}

/** The recent export jobs, newest first. */
export async function exportJobs(ctx: AppContext, actor: Actor): Promise<ExportJob[]> {
  await requireAccess(ctx, actor, 'fhir.export');
  const rows = await ctx.db.selectFrom('fhir_export').select('id').orderBy('requested_at', 'desc').limit(20).execute();
  return Promise.all(rows.map((r) => exportJob(ctx, actor, r.id)));
}

/** One file of a completed export. */
export async function exportFile(ctx: AppContext, actor: Actor, id: string, type: string) {
  const job = await exportJob(ctx, actor, id);
  const file = job.report?.files.find((f) => f.type === type);
  if (job.status !== 'completed' || !file || !(EXPORT_TYPES as readonly string[]).includes(type)) throw notFound('No such file of a completed export');
  const path = join(dirOf(ctx, id), `${type as ExportType}.ndjson`);
  if (!existsSync(path)) throw notFound('The export’s files were removed');
  return createReadStream(path);
}

/** Removes a finished export's files and its record (a running one is left to finish). */
export async function deleteExport(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const job = await exportJob(ctx, actor, id);
  if (job.status === 'running') return;
  rmSync(dirOf(ctx, id), { recursive: true, force: true });
  await ctx.db.deleteFrom('fhir_export').where('id', '=', id).execute();
}
