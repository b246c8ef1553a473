// The roster's good lines against what is stored, by ID number (person_id_number): a number not held
// is a new person, written through insertPeople; a held one is updated when a roster column differs,
// else unchanged. Inside the caller's transaction: all of it is written or none.
import { ALL_MONTHS, refreshPeople } from '../indicators/service';
import { randomUUID } from 'node:crypto';
import { type Actor, type AuditEntry, writeAudit } from '../../core/audit';
import type { Database } from '../../db/connect';
import type { RosterRow } from '../../engine/roster/roster';
import { insertPeople, type NewPerson } from '../people/service';
import * as q from './queries';
import type { ImportSummary } from './report';

/** person_audit rows per statement (writeAudit sends 9 parameters a row; PostgreSQL takes 65,535). */
const AUDIT_CHUNK = 5_000;

const COMPARED = ['name', 'phone', 'region_code', 'insurance_type', 'insured_since'] as const;

export interface RosterPlan {
  added: NewPerson[];
  updated: Array<{ row: q.StoredPerson; fields: string[] }>;
  unchanged: number;
}

export async function planRoster(trx: Database, rows: RosterRow[]): Promise<RosterPlan> {
  const held = await q.personIdsByNumber(trx, rows.map((r) => r.id_number));
  const stored = await q.peopleByIds(trx, [...held.values()]);
  const plan: RosterPlan = { added: [], updated: [], unchanged: 0 };
  for (const r of rows) {
    const id = held.get(r.id_number);
    const current = id === undefined ? undefined : stored.get(id);
    if (!current) {
      plan.added.push({ id: randomUUID(), name: r.name, sex: r.sex, birth_date: r.birth_date, id_number: r.id_number, phone: r.phone, region_code: r.region_code, address: null, insurance_type: r.insurance_type, insured_since: r.insured_since });
      continue;
    }
    // an empty phone means the agency does not know one: a number recorded here (by the team) stays
    const next: q.StoredPerson = { ...current, name: r.name, phone: r.phone ?? current.phone, region_code: r.region_code, insurance_type: r.insurance_type, insured_since: r.insured_since };
    const fields = COMPARED.filter((f) => next[f] !== current[f]);
    if (fields.length) plan.updated.push({ row: next, fields });
    else plan.unchanged++;
  }
  return plan;
}

export async function writeRoster(trx: Database, actor: Actor, importId: string, plan: RosterPlan, onProgress?: (done: number, total: number) => void): Promise<void> {
  // progress counts each person twice: their row, then their audit row
  const total = 2 * (plan.added.length + plan.updated.length);
  let done = 0;
  const step = (n: number) => onProgress?.((done += n), total);
  for (const part of q.chunks(plan.added)) {
    await insertPeople(trx, part);
    step(part.length);
  }
  for (const part of q.chunks(plan.updated)) {
    await q.updatePeople(trx, part.map((u) => u.row));
    step(part.length);
  }
  const entries: AuditEntry[] = [
    ...plan.added.map((p): AuditEntry => ({ action: 'create', entity: 'person', entityId: p.id, personId: p.id, detail: { import: importId } })),
    ...plan.updated.map((u): AuditEntry => ({ action: 'update', entity: 'person', entityId: u.row.id, personId: u.row.id, detail: { import: importId, fields: u.fields } })),
  ];
  for (const part of q.chunks(entries, AUDIT_CHUNK)) {
    await writeAudit(trx, actor, part);
    step(part.length);
  }
  // an address (the county) or an insurance type changed: the indicators' rows of every month kept follow
  await refreshPeople(trx, plan.updated.filter((u) => u.fields.some((f) => f === 'region_code' || f === 'insurance_type')).map((u) => u.row.id), ALL_MONTHS);
}

export const summaryOf = (plan: { added: unknown[]; updated: unknown[]; unchanged: number }, refused: number): ImportSummary => ({
  added: plan.added.length,
  updated: plan.updated.length,
  unchanged: plan.unchanged,
  refused,
});
