// FHIR export (信息推送, issue 18, docs/fhir.md). A county's records as NDJSON, a file per resource type as FHIR
// Bulk Data writes them, read a batch of persons at a time (keyset by person id) and written with the files'
// backpressure, so the memory an export needs is one batch's whatever the county's size; and one patient's
// record as a searchset Bundle (Patient/:id/$everything) within the caller's access. Every person exported
// is audited as read.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { badRequest, notFound } from '../../core/problem';
import { seesFullIdNumber } from '../../core/user';
import { directoryOf, EXPORT_TYPES, type ExportType, recordsOf } from './records';

export interface ExportReport {
  county: string;
  out: string;
  persons: number;
  resources: number;
  files: Array<{ type: ExportType; file: string; count: number }>;
  seconds: number;
}

export interface ExportOptions {
  county: string;
  out: string;
  /** Persons read and written at a time (the memory bound). */
  batchSize?: number;
  onProgress?: (persons: number) => void | Promise<void>;
}

/** NDJSON files, one per resource type, opened when their first resource comes. */
class NdjsonFiles {
  private streams = new Map<ExportType, WriteStream>();
  readonly counts = new Map<ExportType, number>();
  constructor(private readonly dir: string) {}

  async write(resource: Resource) {
    const type = resource.resourceType as ExportType;
    let stream = this.streams.get(type);
    if (!stream) this.streams.set(type, (stream = createWriteStream(join(this.dir, `${type}.ndjson`))));
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
    if (!stream.write(`${JSON.stringify(resource)}\n`)) await once(stream, 'drain');
  }

  async close() {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())))));
  }
}

/** The export's access check and its county: a county or the city of the region catalogue (`field` names it in a refusal). */
export async function checkExport(ctx: AppContext, actor: Actor, county: string, field = 'county'): Promise<void> {
  await requireAccess(ctx, actor, 'fhir.export', { regionCode: county });
  const region = await ctx.db.selectFrom('region').select(['code', 'level']).where('code', '=', county).executeTakeFirst();
  if (!region || (region.level !== 'county' && region.level !== 'city')) {
    throw badRequest('No such county or city', [{ field, rule: 'unknown_county', message: `${county} is not the code of a county or city of the region catalogue` }]);
  }
}

export async function exportCounty(ctx: AppContext, actor: Actor, options: ExportOptions): Promise<ExportReport> {
  const { county, out, batchSize = 500 } = options;
  await checkExport(ctx, actor, county);
  const started = Date.now();
  mkdirSync(out, { recursive: true });
  const files = new NdjsonFiles(out);
  const organizations = new Set<string>();
  const practitioners = new Set<string>();
  let persons = 0;
  try {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const ids = (await ctx.db.selectFrom('person').select('id').where('region_code', 'like', `${county}%`).where('id', '>', after).orderBy('id').limit(batchSize).execute()).map((r) => r.id);
      if (!ids.length) break;
      const batch = await recordsOf(ctx.db, ids, false);
      for (const r of batch.resources) await files.write(r);
      for (const id of batch.organizations) organizations.add(id);
      for (const id of batch.practitioners) practitioners.add(id);
      await writeAudit(ctx.db, actor, ids.map((personId) => ({ action: 'export' as const, entity: 'fhir.export', personId, detail: { county } })));
      persons += ids.length;
      after = ids[ids.length - 1];
      await options.onProgress?.(persons);
    }
    for (const r of await directoryOf(ctx.db, organizations, practitioners)) await files.write(r);
  } finally {
    await files.close();
  }
  const report: ExportReport = {
    county, out, persons, resources: [...files.counts.values()].reduce((a, b) => a + b, 0),
    files: EXPORT_TYPES.filter((t) => files.counts.has(t)).map((type) => ({ type, file: `${type}.ndjson`, count: files.counts.get(type)! })),
    seconds: (Date.now() - started) / 1000,
  };
  await writeAudit(ctx.db, actor, [{ action: 'export', entity: 'fhir.export', entityId: county, detail: { out, persons, resources: report.resources } }]);
  return report;
}

/** Patient/:id/$everything: the patient's record and the institutions and staff it names, as a searchset Bundle. */
export async function everything(ctx: AppContext, actor: Actor, personId: string, base: string): Promise<Bundle> {
  await requireAccess(ctx, actor, 'fhir.patient.read', { personId });
  const batch = await recordsOf(ctx.db, [personId], !seesFullIdNumber(actor.user, personId));
  if (!batch.resources.length) throw notFound('No such patient');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'fhir.everything', personId }]);
  const resources = [...batch.resources, ...(await directoryOf(ctx.db, batch.organizations, batch.practitioners))];
  return {
    resourceType: 'Bundle', type: 'searchset', total: resources.length,
    link: [{ relation: 'self', url: `${base}/Patient/${personId}/$everything` }],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource,
      search: { mode: resource.resourceType === 'Patient' ? ('match' as const) : ('include' as const) },
    })),
  };
}
