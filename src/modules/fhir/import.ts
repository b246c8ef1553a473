// FHIR import (数据导入, issue 18, docs/fhir.md): bundles from hospitals' systems into the health record. A Patient
// is matched to an insured person of the roster — by a resident ID identifier, or by the id map's row for one of
// its identifiers — and never invented; where the bundle's name, sex or birth date differ, the roster wins and
// the difference is reported. Diagnoses, readings and the outside medication are written with their source
// id, so the same bundle imported again finds every row there and changes nothing. A bundle with a structural
// fault writes nothing; the good bundles of the same import are written, each in its own transaction.
import { readFileSync } from 'node:fs';
import { type Actor, type AuditEntry, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { grantOf, mayAccess, requireAccess } from '../../core/access';
import type { Database } from '../../db/connect';
import { type BundleFault, type PatientPart, RESIDENT_ID_SYSTEMS, type ReadBundle, readBundle } from '../../engine/fhir/bundle';
import type { Ingredient } from '../../engine/fhir/clinical';
import { parseCsv } from '../../engine/roster/csv';
import { isValidResidentId, maskResidentId } from '../../engine/identity/residentId';
import { ALL_MONTHS, refreshPeople } from '../indicators/service';
import { loadDiseases, loadDrugs } from '../reference/service';

let ingredients: Ingredient[] | undefined;
const ingredientTable = () => (ingredients ??= (JSON.parse(readFileSync(new URL('../../../data/fhir-medications.json', import.meta.url), 'utf8')) as { ingredients: Ingredient[] }).ingredients);

const readContext = () => ({ diseases: loadDiseases().map((d) => ({ code: d.code, icd10: d.icd10 })), ingredients: ingredientTable(), drugCodes: new Set(loadDrugs().map((d) => d.code)) });

/** The id map (`system,value,id_number`): a source system's identifier to a resident ID, as a master patient index holds it. */
export type IdMap = Map<string, string>;
const mapKey = (system: string | null, value: string) => `${system ?? ''}|${value}`;

export function parseIdMap(text: string): { map: IdMap } | { problems: string[] } {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = records[0]?.fields.map((f) => f.trim().toLowerCase());
  if (!header || header.join(',') !== 'system,value,id_number') return { problems: ['line 1: the columns are system, value, id_number'] };
  const map: IdMap = new Map();
  const problems: string[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length === 1 && r.fields[0].trim() === '') continue;
    const [system, value, id] = r.fields.map((f) => f.trim());
    if (r.quoteProblem || r.fields.length !== 3) problems.push(`line ${r.line}: three fields: system, value, id_number`);
    else if (!value) problems.push(`line ${r.line}: value is empty`);
    else if (!isValidResidentId(id.toUpperCase())) problems.push(`line ${r.line}: id_number ${id} is not a valid resident ID number (GB 11643)`);
    else if (map.has(mapKey(system || null, value)) && map.get(mapKey(system || null, value)) !== id.toUpperCase()) problems.push(`line ${r.line}: ${system}|${value} is mapped twice`);
    else map.set(mapKey(system || null, value), id.toUpperCase());
  }
  return problems.length ? { problems } : { map };
}

type Counts = { diagnoses: number; readings: number; medications: number };
export interface PatientReport {
  sourceId: string;
  /** The person matched, masked; null: matched nobody, or nobody the importer may import for (skipped). */
  idNumber: string | null;
  matchedBy: 'resident_id' | 'id_map' | null;
  /** Matched a person who is not the importing institution's patient (an institution administrator's import): skipped. */
  outsideScope?: true;
  differences: Array<{ field: 'name' | 'sex' | 'birth_date'; roster: string; source: string }>;
  imported: Counts;
  unchanged: Counts;
  /** Medications kept as text: no catalogue drug for them. */
  unmapped: string[];
  skipped: Array<{ resourceType: string; sourceId: string; reason: string }>;
}
export interface BundleReport {
  source: string;
  /** Structural faults: the bundle was refused and nothing of it written. */
  faults: BundleFault[];
  read: Record<string, number>;
  notImported: Record<string, number>;
  patients: PatientReport[];
}
export interface ImportReport {
  importId: string | null;
  bundles: BundleReport[];
  totals: { read: Record<string, number>; imported: Counts; unchanged: Counts; skipped: number; notImported: Record<string, number>; unmatchedPatients: number; outsideScopePatients: number; refusedBundles: number };
}

const zero = (): Counts => ({ diagnoses: 0, readings: 0, medications: 0 });
const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

async function matchPerson(db: Database, p: PatientPart, idMap: IdMap) {
  let idNumber = p.residentId;
  let matchedBy: PatientReport['matchedBy'] = idNumber ? 'resident_id' : null;
  let system = idNumber ? RESIDENT_ID_SYSTEMS[0] : null;
  if (!idNumber) {
    const hit = p.identifiers.find((i) => idMap.has(mapKey(i.system, i.value)));
    if (hit) [idNumber, matchedBy, system] = [idMap.get(mapKey(hit.system, hit.value))!, 'id_map', hit.system ?? 'urn:unknown'];
  }
  if (!idNumber) return null;
  const person = await db.selectFrom('person').select(['id', 'name', 'sex', 'birth_date', 'id_number']).where('id_number', '=', idNumber).executeTakeFirst();
  return person ? { person, matchedBy: matchedBy!, system: system! } : null;
}

/** A bundle as read, before anything of it is written: what it holds, or the faults that refuse it. */
const reportOf = (source: string, read: ReadBundle): BundleReport => ({ source, faults: read.faults, read: read.read, notImported: read.notImported, patients: [] });

/** One bundle's rows written in one transaction (a bundle without faults). */
async function importBundle(trx: Database, importId: string, source: string, read: ReadBundle, idMap: IdMap, inScope: (trx: Database, personId: string) => Promise<boolean>, audit: AuditEntry[], touched: Set<string>): Promise<BundleReport> {
  const report = reportOf(source, read);
  for (const p of read.patients) {
    const r: PatientReport = { sourceId: p.sourceId, idNumber: null, matchedBy: null, differences: [], imported: zero(), unchanged: zero(), unmapped: [], skipped: p.skipped };
    report.patients.push(r);
    const match = await matchPerson(trx, p, idMap);
    if (!match) continue;
    const { person, system } = match;
    // an institution's administrator imports for its own patients: another's is skipped, and not named
    if (!(await inScope(trx, person.id))) {
      r.outsideScope = true;
      continue;
    }
    Object.assign(r, { idNumber: maskResidentId(person.id_number), matchedBy: match.matchedBy });
    if (p.name && p.name !== person.name) r.differences.push({ field: 'name', roster: person.name, source: p.name });
    if (p.sex && p.sex !== person.sex) r.differences.push({ field: 'sex', roster: person.sex, source: p.sex });
    if (p.birthDate && p.birthDate !== person.birth_date) r.differences.push({ field: 'birth_date', roster: person.birth_date, source: p.birthDate });

    // a diagnosis the record has already (whatever its source) stays as it is: the earliest word on it is the programme's
    const diseases = new Map<string, (typeof p.diagnoses)[number]>();
    for (const d of p.diagnoses) {
      const seen = diseases.get(d.disease);
      if (!seen || (d.onset && (!seen.onset || d.onset < seen.onset))) diseases.set(d.disease, d);
    }
    r.unchanged.diagnoses = p.diagnoses.length - diseases.size;
    for (const d of diseases.values()) {
      const added = await trx.insertInto('person_condition').values({
        person_id: person.id, disease_code: d.disease, diagnosed_on: d.onset ?? person.birth_date, source: 'import', institution_id: null, recorded_at: new Date(),
        source_system: system, source_id: d.sourceId,
      }).onConflict((oc) => oc.columns(['person_id', 'disease_code']).doNothing()).returning('disease_code').executeTakeFirst();
      if (added) r.imported.diagnoses++;
      else r.unchanged.diagnoses++;
    }
    if (p.readings.length) {
      const rows = p.readings.map((x) => ({ person_id: person.id, source_system: system, source_id: x.sourceId, kind: x.kind, reading_date: x.date, value: x.value, value2: x.value2, import_id: importId }));
      const added = await trx.insertInto('imported_reading').values(rows).onConflict((oc) => oc.columns(['person_id', 'source_system', 'source_id']).doNothing()).returning('source_id').execute();
      r.imported.readings = added.length;
      r.unchanged.readings = rows.length - added.length;
    }
    if (p.medications.length) {
      const rows = p.medications.map((m) => ({ person_id: person.id, source_system: system, source_id: m.sourceId, text: m.text.slice(0, 500), rxnorm: m.rxnorm, atc: m.atc, drug_code: m.drugCode, status: m.status, authored_on: m.authoredOn, import_id: importId }));
      const added = await trx.insertInto('outside_medication').values(rows).onConflict((oc) => oc.columns(['person_id', 'source_system', 'source_id']).doNothing()).returning('source_id').execute();
      r.imported.medications = added.length;
      r.unchanged.medications = rows.length - added.length;
    }
    r.unmapped = [...new Set(p.medications.filter((m) => !m.drugCode).map((m) => m.text))];
    const changed = r.imported.diagnoses + r.imported.readings + r.imported.medications;
    if (changed) audit.push({ action: 'create', entity: 'fhir.import', entityId: importId, personId: person.id, detail: { source, imported: r.imported } });
    if (r.imported.diagnoses) touched.add(person.id);
  }
  return report;
}

/** A bundle to import, read when the import comes to it: its JSON, or the reason its file could not be read as one (refused like a faulty bundle). */
export interface BundleInput { source: string; load: () => { input: unknown } | { unreadable: string } }
export interface ImportInput { source: string; bundles: Iterable<BundleInput>; idMap: IdMap }

/**
 * Imports the bundles one after the other, each read once and written all or nothing in its own transaction;
 * the import is recorded with its report at its first bundle that can be written — a refused bundle writes
 * nothing, not even the record of an import.
 */
export async function importFhir(ctx: AppContext, actor: Actor, job: ImportInput): Promise<ImportReport> {
  await requireAccess(ctx, actor, 'fhir.import');
  const everywhere = grantOf('fhir.import', actor.user.role) === 'everywhere';
  const inScope = (trx: Database, personId: string) => (everywhere ? Promise.resolve(true) : mayAccess({ ...ctx, db: trx }, actor, 'fhir.import', { personId }));
  const context = readContext();
  let importId: string | null = null;
  const bundles: BundleReport[] = [];
  for (const b of job.bundles) {
    const loaded = b.load();
    const read = 'unreadable' in loaded ? { patients: [], read: {}, notImported: {}, faults: [{ entry: null, message: loaded.unreadable }] } : readBundle(loaded.input, context);
    if (read.faults.length) {
      bundles.push(reportOf(b.source, read));
      continue;
    }
    importId ??= (await ctx.db.insertInto('fhir_import').values({
      source: job.source.slice(0, 300), imported_by: actor.user.id || null, imported_by_name: actor.user.username, imported_at: ctx.now(), report: '{}',
    }).returning('id').executeTakeFirstOrThrow()).id;
    const id = importId;
    const audit: AuditEntry[] = [];
    const touched = new Set<string>();
    bundles.push(await ctx.db.transaction().execute(async (trx) => {
      const report = await importBundle(trx, id, b.source, read, job.idMap, inScope, audit, touched);
      // a new diagnosis makes a patient of the indicators: their month rows, as the roster's diagnoses do
      if (touched.size) await refreshPeople(trx, [...touched], ALL_MONTHS);
      await writeAudit(trx, actor, audit);
      return report;
    }));
  }
  const totals = totalsOf(bundles);
  const report: ImportReport = { importId, bundles, totals };
  if (importId) {
    await ctx.db.updateTable('fhir_import').set({ report: JSON.stringify(report) }).where('id', '=', importId).execute();
    await writeAudit(ctx.db, actor, [{ action: 'create', entity: 'fhir.import', entityId: importId, detail: { source: job.source, bundles: bundles.length, imported: totals.imported } }]);
  }
  return report;
}

/** The import's totals over its bundles' reports. */
function totalsOf(bundles: BundleReport[]): ImportReport['totals'] {
  const totals: ImportReport['totals'] = { read: {}, imported: zero(), unchanged: zero(), skipped: 0, notImported: {}, unmatchedPatients: 0, outsideScopePatients: 0, refusedBundles: 0 };
  for (const b of bundles) {
    if (b.faults.length) totals.refusedBundles++;
    add(totals.read, b.read);
    add(totals.notImported, b.notImported);
    for (const p of b.patients) {
      if (p.outsideScope) totals.outsideScopePatients++;
      else if (!p.idNumber) totals.unmatchedPatients++;
      add(totals.imported, p.imported);
      add(totals.unchanged, p.unchanged);
      totals.skipped += p.skipped.length;
    }
  }
  return totals;
}

/** An OperationOutcome of a refused bundle: an issue per fault, naming the entry. */
export function operationOutcome(faults: BundleFault[]) {
  return {
    resourceType: 'OperationOutcome' as const,
    issue: faults.map((f) => ({ severity: 'error' as const, code: 'invalid' as const, diagnostics: f.message, ...(f.entry === null ? {} : { expression: [`Bundle.entry[${f.entry}]`] }) })),
  };
}

