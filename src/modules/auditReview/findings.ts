// The reviewer's work on the smart audit's findings (审核处理): the county's queue with the evidence and
// what each finding is about, a finding's page with its history, and the decisions — confirm with a
// deduction against the institution or the doctor, dismiss with a reason, reopen — each kept as an event.
import { maskResidentId } from '../../engine/identity/residentId';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess, type Permission } from '../../core/access';
import { badRequest, conflict, notFound } from '../../core/problem';
import type { Database } from '../../db/connect';
import type { AuditFindingStatus } from '../../db/schema';
import * as q from './queries';

const iso = (t: Date | string | null) => (t === null ? null : new Date(t).toISOString());

export interface QueueQuery {
  status?: AuditFindingStatus;
  rule?: string;
  institutionId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** The findings of the reviewer's county (every county for the system administrator), open first, oldest first. */
export async function findingsQueue(ctx: AppContext, actor: Actor, query: QueueQuery) {
  await requireAccess(ctx, actor, 'smartAudit.findings.read');
  if (query.from && query.to && query.to < query.from) throw badRequest('The period ends before it starts', [{ field: 'query.to', rule: 'not_before_from', message: 'on or after from' }]);
  const filter = { prefix: actor.user.scope.regionPrefix ?? '', status: query.status, rule: query.rule, institutionId: query.institutionId, from: query.from, to: query.to };
  const [rows, total] = await Promise.all([q.findingsPage(ctx.db, filter, query.pageSize, (query.page - 1) * query.pageSize), q.findingsCount(ctx.db, filter)]);
  const items = await present(ctx.db, rows);
  const people = [...new Set(rows.map((r) => r.person_id).filter((p): p is string => !!p))];
  await writeAudit(ctx.db, actor, [
    { action: 'search', entity: 'audit_finding', detail: { ...filter, page: query.page } },
    ...people.map((personId) => ({ action: 'read' as const, entity: 'audit_finding', personId })),
  ]);
  return { total, page: query.page, pageSize: query.pageSize, items };
}

/** Findings as the queue shows them, with the claims and prescriptions they name. */
async function present(db: Database, rows: q.FindingRow[]) {
  const [claims, prescriptions] = await Promise.all([
    q.claimsWithLines(db, rows.map((r) => r.claim_id).filter((id): id is string => !!id)),
    q.prescriptionsWithLines(db, rows.map((r) => r.prescription_id).filter((id): id is string => !!id)),
  ]);
  const claimOf = new Map(claims.map((c) => [c.id, c]));
  const prescriptionOf = new Map(prescriptions.map((p) => [p.id, p]));
  return rows.map((r) => {
    const c = r.claim_id ? claimOf.get(r.claim_id) : undefined;
    const p = r.prescription_id ? prescriptionOf.get(r.prescription_id) : undefined;
    return {
      id: r.id, ruleCode: r.rule_code, ruleVersion: r.rule_version, ruleTitle: { zh: r.title_zh, en: r.title_en },
      serviceDate: r.service_date, countyCode: r.county_code, status: r.status, amountFen: Number(r.amount_fen),
      deductionFen: r.deduction_fen === null ? null : Number(r.deduction_fen), deductionAgainst: r.deduction_against, decisionReason: r.decision_reason,
      decidedBy: r.decided_by_name, decidedAt: iso(r.decided_at), foundAt: iso(r.found_at)!,
      person: r.person_id ? { id: r.person_id, name: r.person_name ?? '', idNumber: maskResidentId(r.id_number ?? '') } : null,
      institution: { id: r.institution_id, code: r.institution_code, name: r.institution_name, level: r.institution_level },
      doctor: r.doctor_id ? { id: r.doctor_id, name: r.doctor_name ?? '' } : null,
      claim: c ? {
        id: c.id, settlementNo: c.settlement_no, serviceDate: c.service_date, status: c.status, amountFen: Number(c.amount_fen), fundPayFen: Number(c.fund_pay_fen),
        lines: c.lines.map((l) => ({ ...l, amountFen: Number(l.amountFen), fundPayFen: Number(l.fundPayFen) })),
      } : null,
      prescription: p ? {
        id: p.id, prescriptionNo: p.prescription_no, writtenOn: p.written_on, status: p.status, daysSupply: p.days_supply,
        lines: p.lines.map(({ doseMilli, ...l }) => ({ ...l, dose: doseMilli / 1000 })),
      } : null,
      evidence: r.evidence as Record<string, unknown>,
    };
  });
}

/** The finding, through the access table: another county's answers 403, a missing one too (404 for the system administrator). */
async function findingFor(ctx: AppContext, actor: Actor, permission: Permission, id: string) {
  const f = await q.findingById(ctx.db, id);
  await requireAccess(ctx, actor, permission, { regionCode: f?.county_code ?? null, personId: f?.person_id ?? null, institutionId: f?.institution_id ?? null });
  if (!f) throw notFound('No such finding');
  return f;
}

/** Every `institutionId` the evidence names, at any depth (an overlap's other pharmacy may be in another county). */
function institutionIdsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) institutionIdsOf(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === 'institutionId' && typeof v === 'string') out.add(v);
      else institutionIdsOf(v, out);
    }
  return out;
}

async function view(ctx: AppContext, f: q.FindingRow) {
  const ids = [...institutionIdsOf(f.evidence)];
  const [[item], events, institutions] = await Promise.all([
    present(ctx.db, [f]),
    q.findingEvents(ctx.db, f.id),
    ids.length ? ctx.db.selectFrom('institution').select(['id', 'name']).where('id', 'in', ids).execute() : Promise.resolve([]),
  ]);
  return {
    ...item!,
    /** The names of the institutions the evidence names by id (institutions are public; no person in them). */
    institutionNames: Object.fromEntries(institutions.map((i) => [i.id, i.name])),
    rule: {
      code: f.rule_code, version: f.rule_version, titleZh: f.title_zh, titleEn: f.title_en, descriptionZh: f.description_zh, descriptionEn: f.description_en,
      nationalRule: f.national_rule, points: f.points, params: f.params as Record<string, unknown>,
    },
    runId: f.run_id,
    history: events.map((e) => ({ at: iso(e.at)!, action: e.action, from: e.from_status, to: e.to_status, reason: e.reason, by: e.by, detail: e.detail ?? null })),
  };
}

export async function getFinding(ctx: AppContext, actor: Actor, id: string) {
  const f = await findingFor(ctx, actor, 'smartAudit.findings.read', id);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'audit_finding', entityId: id, personId: f.person_id }]);
  return view(ctx, f);
}

export interface ConfirmInput {
  deductionFen: number;
  against: 'institution' | 'doctor';
  reason?: string | null;
}

/**
 * 确认: the irregularity stands, with a deduction. Above the amount at stake only with a reason (the
 * whole claim disallowed, the agreement's penalty); zero is allowed (points for the doctor's assessment
 * without money back).
 */
export async function confirmFinding(ctx: AppContext, actor: Actor, id: string, input: ConfirmInput) {
  const f = await findingFor(ctx, actor, 'smartAudit.findings.decide', id);
  const reason = input.reason?.trim() || null;
  if (input.deductionFen > Number(f.amount_fen) && !reason)
    throw badRequest('A deduction above the amount at stake needs a reason', [{
      field: 'body.deductionFen', rule: 'deduction_over_amount_at_stake', message: `at most ${f.amount_fen} fen without a reason`, facts: { amountFen: Number(f.amount_fen) },
    }]);
  if (input.against === 'doctor' && !f.doctor_id)
    throw badRequest('The finding names no doctor', [{ field: 'body.against', rule: 'finding_has_no_doctor', message: 'the finding names no prescriber: deduct from the institution' }]);
  await decide(ctx, actor, f, 'confirmed', reason, { deduction_fen: input.deductionFen, deduction_against: input.against }, { deductionFen: input.deductionFen, against: input.against });
  return view(ctx, (await q.findingById(ctx.db, id))!);
}

/** 排除: not an irregularity, and why. */
export async function dismissFinding(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const f = await findingFor(ctx, actor, 'smartAudit.findings.decide', id);
  await decide(ctx, actor, f, 'dismissed', reason.trim(), { deduction_fen: null, deduction_against: null }, null);
  return view(ctx, (await q.findingById(ctx.db, id))!);
}

/**
 * The decision is an update conditional on the finding being open, so of two reviewers deciding at
 * once one wins and the other is told it was decided; its event and audit row land with it.
 */
async function decide(
  ctx: AppContext, actor: Actor, f: q.FindingRow, to: 'confirmed' | 'dismissed', reason: string | null,
  deduction: { deduction_fen: number | null; deduction_against: 'institution' | 'doctor' | null }, detail: Record<string, unknown> | null,
) {
  await ctx.db.transaction().execute(async (trx) => {
    const at = ctx.now();
    const done = await trx.updateTable('audit_finding')
      .set({ status: to, ...deduction, decision_reason: reason, decided_by: actor.user.id || null, decided_at: at })
      .where('id', '=', f.id).where('status', '=', 'open').returning('id').executeTakeFirst();
    if (!done) throw conflict('finding_decided', 'The finding has been decided already: reopen it first');
    await trx.insertInto('audit_finding_event').values({
      finding_id: f.id, at, user_id: actor.user.id || null, action: to, from_status: 'open', to_status: to, reason, detail: detail ? JSON.stringify(detail) : null,
    }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'audit_finding', entityId: f.id, personId: f.person_id, detail: { rule: f.rule_code, to, ...detail } }]);
  });
}

/** 重新打开: a decided finding back to open; the decision it had stays in the history. */
export async function reopenFinding(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const f = await findingFor(ctx, actor, 'smartAudit.findings.decide', id);
  await ctx.db.transaction().execute(async (trx) => {
    const at = ctx.now();
    const before = await trx.selectFrom('audit_finding').select(['status', 'deduction_fen', 'deduction_against', 'decision_reason'])
      .where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (before.status === 'open') throw conflict('finding_not_decided', 'The finding is open: there is no decision to reopen');
    await trx.updateTable('audit_finding')
      .set({ status: 'open', deduction_fen: null, deduction_against: null, decision_reason: null, decided_by: null, decided_at: null })
      .where('id', '=', id).execute();
    const previous = { status: before.status, deductionFen: before.deduction_fen, against: before.deduction_against, reason: before.decision_reason };
    await trx.insertInto('audit_finding_event').values({
      finding_id: id, at, user_id: actor.user.id || null, action: 'reopened', from_status: before.status, to_status: 'open', reason: reason.trim(), detail: JSON.stringify({ previous }),
    }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'audit_finding', entityId: id, personId: f.person_id, detail: { rule: f.rule_code, to: 'open', previous } }]);
  });
  return view(ctx, (await q.findingById(ctx.db, id))!);
}
