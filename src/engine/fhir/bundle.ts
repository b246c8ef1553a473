// A FHIR R4 Bundle (a transaction or batch) or a list of resources (NDJSON) read into what manbing imports
// (issue 18, docs/fhir.md): per Patient its identifiers, name, sex and birth date, its two-disease and catalogue
// diagnoses, its readings and its outside medication, each with the source id it keeps; every other resource
// counted as not imported. A structural fault — not a Bundle, an entry without a resource, a resource of another
// type than its request says, a subject that refers to no Patient of the bundle — refuses the whole bundle.
import type { Condition, HumanName, Identifier, MedicationRequest, Observation, Patient } from '@medplum/fhirtypes';
import { isValidResidentId } from '../identity/residentId';
import { type CatalogueDisease, type Diagnosis, diagnosisOf, type Ingredient, medicationOf, type OutsideMedication } from './clinical';
import { type Reading, readingOf } from './readings';
import { MB, RESIDENT_ID, V2_0203 } from './systems';

/** An identifier whose system is one of these, or whose type is HL7 v2-0203 NNCHN (national person identifier, China), holds a resident ID number. */
export const RESIDENT_ID_SYSTEMS = [RESIDENT_ID, MB.residentId];

export interface BundleFault { entry: number | null; message: string }
type Sourced<T> = T & { sourceId: string };

export interface PatientPart {
  /** The Patient's own id (or fullUrl): the source id of the person's record. */
  sourceId: string;
  identifiers: Array<{ system: string | null; value: string }>;
  /** A valid resident ID number among the identifiers (by system or by type NNCHN), if any. */
  residentId: string | null;
  name: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  diagnoses: Array<Sourced<Diagnosis>>;
  readings: Array<Sourced<Reading>>;
  medications: Array<Sourced<OutsideMedication>>;
  skipped: Array<{ resourceType: string; sourceId: string; reason: string }>;
}

export interface ReadBundle {
  patients: PatientPart[];
  /** Resources read, by type. */
  read: Record<string, number>;
  /** Resources of types manbing does not import (Encounter, Claim, …) and of the imported types that carry nothing it keeps. */
  notImported: Record<string, number>;
  faults: BundleFault[];
}

interface Context { diseases: CatalogueDisease[]; ingredients: Ingredient[]; drugCodes: ReadonlySet<string> }
interface Entry { index: number; fullUrl: string | null; resource: Record<string, unknown> & { resourceType: string; id?: string } }

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

function nameOf(names: HumanName[] | undefined): string | null {
  const n = names?.find((x) => x.use === 'official') ?? names?.[0];
  if (!n) return null;
  if (n.text) return n.text;
  const family = n.family ?? '';
  const given = (n.given ?? []).join('');
  // a Chinese name is family then given without a space; a name in Latin letters keeps the order it is read in
  return /[\u4e00-\u9fff]/.test(family + given) ? `${family}${given}` : [...(n.given ?? []), family].filter(Boolean).join(' ') || null;
}

function residentIdOf(ids: Identifier[]): string | null {
  for (const i of ids) {
    const byType = i.type?.coding?.some((c) => c.system === V2_0203 && c.code === 'NNCHN');
    if ((byType || (i.system && RESIDENT_ID_SYSTEMS.includes(i.system))) && i.value && isValidResidentId(i.value.toUpperCase())) return i.value.toUpperCase();
  }
  return null;
}

/** The entries of a Bundle (or the resources of an NDJSON file), or the faults that refuse it. */
function entriesOf(input: unknown): { entries: Entry[]; faults: BundleFault[] } {
  const faults: BundleFault[] = [];
  const list: unknown[] = [];
  if (Array.isArray(input)) list.push(...input.map((resource) => ({ resource })));
  else if (input && typeof input === 'object' && (input as { resourceType?: unknown }).resourceType === 'Bundle') {
    const b = input as { type?: unknown; entry?: unknown };
    if (!['transaction', 'batch', 'collection'].includes(String(b.type))) faults.push({ entry: null, message: `Bundle.type must be transaction, batch or collection, not ${JSON.stringify(b.type ?? null)}` });
    if (b.entry !== undefined && !Array.isArray(b.entry)) faults.push({ entry: null, message: 'Bundle.entry must be an array' });
    else list.push(...((b.entry as unknown[] | undefined) ?? []));
  } else {
    const type = input && typeof input === 'object' ? (input as { resourceType?: unknown }).resourceType : undefined;
    return { entries: [], faults: [{ entry: null, message: type === undefined ? 'not a FHIR resource (no resourceType)' : `resourceType must be Bundle, not ${JSON.stringify(type)}` }] };
  }
  const entries: Entry[] = [];
  list.forEach((raw, index) => {
    const e = raw as { fullUrl?: unknown; resource?: unknown; request?: { url?: unknown } } | null;
    const r = e?.resource as Entry['resource'] | undefined;
    if (!r || typeof r !== 'object' || typeof r.resourceType !== 'string') return void faults.push({ entry: index, message: 'entry without a resource with a resourceType' });
    const expected = typeof e?.request?.url === 'string' ? e.request.url.split(/[/?]/)[0] : null;
    if (expected && expected !== r.resourceType) faults.push({ entry: index, message: `the request is for ${expected} but the resource is a ${r.resourceType}` });
    if (r.id !== undefined && (typeof r.id !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(r.id))) faults.push({ entry: index, message: `${r.resourceType}.id ${JSON.stringify(r.id)} is not a FHIR id` });
    entries.push({ index, fullUrl: typeof e?.fullUrl === 'string' ? e.fullUrl : null, resource: r });
  });
  return { entries, faults };
}

export function readBundle(input: unknown, ctx: Context): ReadBundle {
  const { entries, faults } = entriesOf(input);
  const out: ReadBundle = { patients: [], read: {}, notImported: {}, faults };
  if (faults.length && !entries.length) return out;
  // a subject refers to its Patient by fullUrl (urn:uuid:… in a transaction) or by Patient/<id>
  const patients = new Map<string, PatientPart>();
  for (const e of entries.filter((x) => x.resource.resourceType === 'Patient')) {
    const p = e.resource as unknown as Patient;
    const sourceId = p.id ?? e.fullUrl;
    if (!sourceId) {
      faults.push({ entry: e.index, message: 'a Patient without an id or a fullUrl cannot keep its source id' });
      continue;
    }
    const identifiers = (p.identifier ?? []).filter((i) => i.value).map((i) => ({ system: i.system ?? null, value: i.value! }));
    const part: PatientPart = {
      sourceId, identifiers, residentId: residentIdOf(p.identifier ?? []), name: nameOf(p.name),
      sex: p.gender === 'male' || p.gender === 'female' ? p.gender : null, birthDate: p.birthDate ?? null,
      diagnoses: [], readings: [], medications: [], skipped: [],
    };
    out.patients.push(part);
    for (const key of [e.fullUrl, p.id ? `Patient/${p.id}` : null]) if (key) patients.set(key, part);
  }
  for (const e of entries) {
    const r = e.resource;
    bump(out.read, r.resourceType);
    if (r.resourceType === 'Patient') continue;
    if (!['Condition', 'Observation', 'MedicationRequest'].includes(r.resourceType)) {
      bump(out.notImported, r.resourceType);
      continue;
    }
    const subject = (r as { subject?: { reference?: string } }).subject?.reference;
    const patient = subject ? patients.get(subject) : undefined;
    if (!patient) {
      faults.push({ entry: e.index, message: subject ? `${r.resourceType}.subject ${subject} refers to no Patient in the bundle` : `${r.resourceType} without a subject` });
      continue;
    }
    const sourceId = r.id ?? e.fullUrl;
    if (!sourceId) {
      faults.push({ entry: e.index, message: `a ${r.resourceType} without an id or a fullUrl cannot keep its source id` });
      continue;
    }
    const skip = (reason: string) => patient.skipped.push({ resourceType: r.resourceType, sourceId, reason });
    if (r.resourceType === 'Condition') {
      const d = diagnosisOf(r as unknown as Condition, ctx.diseases);
      if ('diagnosis' in d) patient.diagnoses.push({ ...d.diagnosis, sourceId });
      else if ('skipped' in d) skip(d.skipped);
      else bump(out.notImported, 'Condition');
    } else if (r.resourceType === 'Observation') {
      const o = readingOf(r as unknown as Observation);
      if ('reading' in o) patient.readings.push({ ...o.reading, sourceId });
      else if ('skipped' in o) skip(o.skipped);
      else bump(out.notImported, 'Observation');
    } else {
      const m = medicationOf(r as unknown as MedicationRequest, ctx.ingredients, ctx.drugCodes);
      if ('skipped' in m) skip(m.skipped);
      else patient.medications.push({ ...m, sourceId });
    }
  }
  return out;
}
