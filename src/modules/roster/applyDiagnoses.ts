// The diagnoses' good lines against the health record: the person is found by ID number (a line for
// someone not on the roster is refused), the condition by person and disease — new, updated when its
// date, source or institution differs, else unchanged. Inside the caller's transaction.
import { ALL_MONTHS, refreshPeople } from '../indicators/service';
import { type Actor, type AuditEntry, writeAudit } from '../../core/audit';
import type { Database } from '../../db/connect';
import { type DiagnosisRow, lookupProblems } from '../../engine/roster/diagnoses';
import type { LineProblem } from '../../engine/roster/lines';
import * as q from './queries';

const AUDIT_CHUNK = 5_000;
const COMPARED = ['diagnosed_on', 'source', 'institution_id'] as const;

export interface DiagnosesPlan {
  added: q.StoredCondition[];
  updated: Array<{ row: q.StoredCondition; fields: string[] }>;
  unchanged: number;
  /** Lines refused once looked up: no such person. */
  problems: LineProblem[];
}

export async function planDiagnoses(trx: Database, rows: DiagnosisRow[], institutions: Map<string, string>): Promise<DiagnosesPlan> {
  const persons = await q.personIdsByNumber(trx, [...new Set(rows.map((r) => r.id_number))]);
  const stored = await q.conditionsOf(trx, [...persons.values()]);
  const plan: DiagnosesPlan = { added: [], updated: [], unchanged: 0, problems: [] };
  for (const r of rows) {
    const personId = persons.get(r.id_number);
    if (personId === undefined) {
      plan.problems.push(lookupProblems.personNotFound(r.line));
      continue;
    }
    const next: q.StoredCondition = { person_id: personId, disease_code: r.disease_code, diagnosed_on: r.diagnosed_on, source: r.source, institution_id: r.institution_code === null ? null : institutions.get(r.institution_code)! };
    const current = stored.get(q.conditionKey(next));
    if (!current) {
      plan.added.push(next);
      continue;
    }
    const fields = COMPARED.filter((f) => next[f] !== current[f]);
    if (fields.length) plan.updated.push({ row: next, fields });
    else plan.unchanged++;
  }
  return plan;
}

export async function writeDiagnoses(trx: Database, actor: Actor, importId: string, plan: DiagnosesPlan, onProgress?: (done: number, total: number) => void): Promise<void> {
  const total = 2 * (plan.added.length + plan.updated.length);
  let done = 0;
  const step = (n: number) => onProgress?.((done += n), total);
  for (const part of q.chunks(plan.added)) {
    await q.insertConditions(trx, part);
    step(part.length);
  }
  for (const part of q.chunks(plan.updated)) {
    await q.updateConditions(trx, part.map((u) => u.row));
    step(part.length);
  }
  const entry = (action: 'create' | 'update', c: q.StoredCondition, fields?: string[]): AuditEntry => ({
    action, entity: 'person_condition', entityId: c.disease_code, personId: c.person_id, detail: { import: importId, ...(fields ? { fields } : {}) },
  });
  const entries = [...plan.added.map((c) => entry('create', c)), ...plan.updated.map((u) => entry('update', u.row, u.fields))];
  for (const part of q.chunks(entries, AUDIT_CHUNK)) {
    await writeAudit(trx, actor, part);
    step(part.length);
  }
  // a new or changed diagnosis changes who the indicators count, in every month kept
  await refreshPeople(trx, [...new Set([...plan.added.map((c) => c.person_id), ...plan.updated.map((u) => u.row.person_id)])], ALL_MONTHS);
}
