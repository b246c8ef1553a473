// Registration (认定登记), change (变更登记) and revocation filings: filed by the family doctor for a
// contracted patient, reviewed by the county agency (or confirmed one-stop where the county allows),
// with every transition kept in filing_event and the audit log.
import { refreshPerson } from '../indicators/service';
import { addDays, daysBetween, shanghaiDate } from '../../engine/calendar';
import type { Database } from '../../db/connect';
import type { AttachmentKind, FilingKind, FilingStatus, InsuranceType, ReturnReasonCode, RevocationReason } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { AppError, badRequest, conflict, notFound } from '../../core/problem';
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';
import type { AuthUser } from '../../core/user';
import { contractInForce } from '../../engine/eligibility';
import { applyApproval } from './apply';
import * as q from './queries';
import { checkFiling, type FilingContent } from './validate';
import type { BenefitRules } from '../../core/policyBook';
import { filingView, presentPerson } from './view';
import { type AttachmentInput, attachmentContent, checkAttachments, storeAttachments } from './attachments';

export { ATTACHMENT_KINDS, FILING_BODY_LIMIT } from './attachments';

export interface FileInput extends FilingContent {
  personId: string;
  revocationReason?: RevocationReason | null;
  /** A revocation for death: the date of death. */
  deathDate?: string | null;
  note?: string | null;
  /** Evidence sent with the filing (PDF, JPEG or PNG, ≤ 10 MiB each). */
  attachments?: AttachmentInput[];
}

const isDoctor = (user: AuthUser) => user.role === 'family_doctor' && !!user.teamId;

/** The contract that makes this doctor's team responsible for the person today. */
async function teamContract(db: Database, user: AuthUser, personId: string, today: string) {
  const contracts = await db
    .selectFrom('contract')
    .select(['id', 'team_id', 'start_date', 'end_date', 'status', 'terminated_on'])
    .where('person_id', '=', personId)
    .execute();
  const facts = contracts.map((c) => ({ id: c.id, teamId: c.team_id, teamName: '', startDate: c.start_date, endDate: c.end_date, status: c.status, terminatedOn: c.terminated_on }));
  const current = contractInForce(facts, today);
  if (!current) throw conflict('not_contracted', 'The patient has no family-doctor contract in force: sign one first');
  if (current.teamId !== user.teamId) throw conflict('contracted_with_other_team', 'The patient is contracted with another team');
  return current;
}

async function writeContent(db: Database, filingId: string, personId: string, held: Awaited<ReturnType<typeof checkFiling>>, content: FilingContent) {
  await db.deleteFrom('filing_disease').where('person_id', '=', personId).where('filing_id', '=', filingId).execute();
  await db.deleteFrom('filing_prescription_line').where('person_id', '=', personId).where('filing_id', '=', filingId).execute();
  if (held.length)
    await db
      .insertInto('filing_disease')
      .values(held.map((h) => ({ filing_id: filingId, person_id: personId, disease_code: h.code, action: h.action, diagnosed_on: h.diagnosedOn, basis: h.basis ? JSON.stringify(h.basis) : null })))
      .execute();
  const lines = content.prescription ?? [];
  if (lines.length)
    await db
      .insertInto('filing_prescription_line')
      .values(lines.map((l, i) => ({ filing_id: filingId, person_id: personId, line_no: i + 1, drug_code: l.drugCode, dose: l.dose, frequency: l.frequency, days_supply: l.daysSupply, dispensing: l.dispensing, pharmacy_id: l.pharmacyId ?? null })))
      .execute();
}

export async function fileRegistration(ctx: AppContext, actor: Actor, input: FileInput) {
  await requireAccess(ctx, actor, 'filing.submit', { personId: input.personId });
  const files = await checkAttachments(input.attachments ?? []);
  const today = shanghaiDate(ctx.now());
  if (input.deathDate && input.deathDate > today) throw badRequest('A death cannot be recorded ahead of its day', [{ field: 'body.deathDate', rule: 'not_in_future', message: `on or before ${today}` }]);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('person').select(['region_code', 'insurance_type', 'birth_date']).where('id', '=', input.personId).executeTakeFirst();
    if (!person) throw notFound('No such person');
    if (input.deathDate && input.deathDate < person.birth_date) throw badRequest('The date of death is before the birth date', [{ field: 'body.deathDate', rule: 'after_birth', message: `on or after ${person.birth_date}` }]);
    await q.lockPerson(trx, input.personId);
    const contract = await teamContract(trx, actor.user, input.personId, today);
    const county = person.region_code.slice(0, 6);
    const rules = benefitRules(ctx, person, today);
    const held = await checkFiling(trx, input.personId, county, input, today, rules);
    const filing = await trx
      .insertInto('registration_filing')
      .values({
        person_id: input.personId, contract_id: contract.id, team_id: actor.user.teamId!, county_code: county, kind: input.kind,
        change_reason: input.kind === 'change' ? input.changeReason! : null,
        revocation_reason: input.kind === 'revocation' ? input.revocationReason! : null,
        death_date: input.kind === 'revocation' && input.revocationReason === 'death' ? input.deathDate ?? null : null,
        note: input.note ?? null, filed_by: actor.user.id, submitted_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeContent(trx, filing.id, input.personId, held, input);
    await storeAttachments(trx, input.personId, filing.id, actor.user.id, ctx.now(), files);
    await q.recordFilingEvent(trx, { at: ctx.now(), filing_id: filing.id, person_id: input.personId, user_id: actor.user.id, from_status: null, to_status: 'submitted', detail: files.length ? { attachments: files.map((f) => f.kind) } : undefined });
    await writeAudit(trx, actor, [{ action: 'create', entity: 'registration_filing', entityId: filing.id, personId: input.personId, detail: { kind: input.kind, attachments: files.length } }]);
    await refreshPerson(trx, input.personId, today); // the filing counts in the period's activity
    // one-stop identification: where the policy says so, a designated institution of such a level confirms at once
    if (await oneStopApplies(trx, actor.user, rules)) {
      const row = (await q.lockFiling(trx, input.personId, filing.id))!;
      await decide(ctx, trx, actor, row, { to: 'approved', effectiveDate: today, confirmation: 'one_stop' });
    }
    return filing.id;
  });
  return filingView(ctx.db, id, ctx.now(), actor.user);
}

async function oneStopApplies(db: Database, user: AuthUser, rules: BenefitRules) {
  if (rules.oneStopLevels.length === 0 || !user.institutionId) return false;
  const inst = await db.selectFrom('institution').select(['level', 'designated']).where('id', '=', user.institutionId).executeTakeFirst();
  return !!inst && inst.designated && rules.oneStopLevels.includes(inst.level);
}

/** The policy in force for the person is the only source of the benefit's diseases, supply limit and confirmation. */
function benefitRules(ctx: AppContext, person: { region_code: string; insurance_type: InsuranceType }, today: string): BenefitRules {
  const rules = ctx.policies.rulesFor(person.region_code, person.insurance_type, today);
  if (!rules) throw conflict('no_policy', `No benefit policy is in force for region ${person.region_code} on ${today}`);
  return rules;
}

/** A returned filing, corrected by the doctor and submitted again. */
export async function resubmitFiling(ctx: AppContext, actor: Actor, filingId: string, input: Omit<FileInput, 'personId' | 'kind' | 'changeReason' | 'revocationReason'>) {
  const personId = await mayActOn(ctx, actor, 'filing.fix', filingId);
  const files = await checkAttachments(input.attachments ?? []);
  const today = shanghaiDate(ctx.now());
  await ctx.db.transaction().execute(async (trx) => {
    const filing = await lockExisting(trx, personId, filingId);
    if (filing.status !== 'returned') throw conflict('fix_returned_only', `Only a returned filing can be fixed and resubmitted (this one is ${filing.status})`);
    await q.lockPerson(trx, filing.person_id);
    await teamContract(trx, actor.user, filing.person_id, today);
    const content: FilingContent = { kind: filing.kind, changeReason: filing.change_reason, diseases: input.diseases, prescription: input.prescription };
    const person = await trx.selectFrom('person').select(['region_code', 'insurance_type']).where('id', '=', filing.person_id).executeTakeFirstOrThrow();
    const held = await checkFiling(trx, filing.person_id, filing.county_code, content, today, benefitRules(ctx, person, today), filing.id);
    // what the reviewer asked for comes with the fix, or was added since the return
    const since = await q.attachmentKindsSince(trx, filing.person_id, filing.id, filing.decided_at!);
    const missing = filing.requested_attachments.filter((k) => !since.includes(k) && !files.some((f) => f.kind === k));
    if (missing.length)
      throw badRequest(`The reviewer asked for: ${missing.join(', ')}`, missing.map((k) => ({ field: 'body.attachments', rule: 'requested_attachment_missing', message: `attach the requested ${k}` })));
    await writeContent(trx, filing.id, filing.person_id, held, content);
    await storeAttachments(trx, filing.person_id, filing.id, actor.user.id, ctx.now(), files);
    await trx
      .updateTable('registration_filing')
      .set({ status: 'submitted', note: input.note ?? filing.note, submitted_at: ctx.now(), decision_reason: null, decision_reason_code: null, requested_attachments: [], decided_at: null, decided_by: null })
      .where('person_id', '=', filing.person_id)
      .where('id', '=', filing.id)
      .execute();
    await q.recordFilingEvent(trx, { at: ctx.now(), filing_id: filing.id, person_id: filing.person_id, user_id: actor.user.id, from_status: 'returned', to_status: 'submitted', reason: 'resubmitted after correction', detail: files.length ? { attachments: files.map((f) => f.kind) } : undefined });
    await writeAudit(trx, actor, [{ action: 'update', entity: 'registration_filing', entityId: filing.id, personId: filing.person_id, detail: { resubmit: true, attachments: files.length } }]);
  });
  return filingView(ctx.db, filingId, ctx.now(), actor.user);
}

export async function withdrawFiling(ctx: AppContext, actor: Actor, filingId: string) {
  const personId = await mayActOn(ctx, actor, 'filing.fix', filingId);
  await ctx.db.transaction().execute(async (trx) => {
    const filing = await lockExisting(trx, personId, filingId);
    if (filing.status !== 'submitted' && filing.status !== 'returned') throw conflict('withdraw_open_only', `A ${filing.status} filing cannot be withdrawn`);
    await trx.updateTable('registration_filing').set({ status: 'withdrawn' }).where('id', '=', filing.id).execute();
    await trx.updateTable('filing_disease').set({ open: false }).where('filing_id', '=', filing.id).execute();
    await q.recordFilingEvent(trx, { at: ctx.now(), filing_id: filing.id, person_id: filing.person_id, user_id: actor.user.id, from_status: filing.status, to_status: 'withdrawn' });
    await writeAudit(trx, actor, [{ action: 'update', entity: 'registration_filing', entityId: filing.id, personId: filing.person_id, detail: { withdraw: true } }]);
  });
  return filingView(ctx.db, filingId, ctx.now(), actor.user);
}

/**
 * The access check for a use case on a filing, before its transaction (a refusal is audited and must
 * not roll back); one that does not exist is refused alike. The team and county never change.
 */
async function mayActOn(ctx: AppContext, actor: Actor, permission: 'filing.fix' | 'filing.approve', filingId: string) {
  // the URL's bare id, found through the primary key (id, person_id); the person names the filing from here on
  const filing = await ctx.db.selectFrom('registration_filing').select(['person_id', 'team_id', 'county_code']).where('id', '=', filingId).executeTakeFirst();
  await requireAccess(ctx, actor, permission, { personId: filing?.person_id ?? null, teamId: filing?.team_id ?? null, regionCode: filing?.county_code ?? null });
  return filing?.person_id ?? null;
}

async function lockExisting(db: Database, personId: string | null, filingId: string) {
  const filing = personId === null ? undefined : await q.lockFiling(db, personId, filingId);
  if (!filing) throw notFound('No such filing');
  return filing;
}

type LockedFiling = NonNullable<Awaited<ReturnType<typeof q.lockFiling>>>;

async function decide(
  ctx: AppContext,
  db: Database,
  actor: Actor,
  filing: LockedFiling,
  decision: { to: 'approved'; effectiveDate: string; confirmation: 'agency' | 'one_stop' } | ({ to: 'returned' } & ReturnDecision),
) {
  if (filing.status !== 'submitted') throw conflict('filing_not_submitted', `Only a submitted filing can be decided (this one is ${filing.status})`);
  const base = { decided_at: ctx.now(), decided_by: actor.user.id };
  const today = shanghaiDate(ctx.now());
  let changedFrom = today;
  if (decision.to === 'approved') {
    await db.updateTable('registration_filing').set({ ...base, status: 'approved', effective_date: decision.effectiveDate, confirmation: decision.confirmation }).where('id', '=', filing.id).execute();
    const from = await applyApproval(db, filing, decision.effectiveDate);
    if (from < changedFrom) changedFrom = from;
  } else {
    await db
      .updateTable('registration_filing')
      .set({ ...base, status: 'returned', decision_reason: decision.reason ?? null, decision_reason_code: decision.reasonCode ?? null, requested_attachments: decision.requestAttachments ?? [] })
      .where('person_id', '=', filing.person_id)
      .where('id', '=', filing.id)
      .execute();
  }
  await q.recordFilingEvent(db, { at: ctx.now(),
    filing_id: filing.id, person_id: filing.person_id, user_id: actor.user.id, from_status: 'submitted', to_status: decision.to,
    reason: decision.to === 'returned' ? (decision.reason ?? null) : null,
    detail:
      decision.to === 'approved'
        ? { effectiveDate: decision.effectiveDate, confirmation: decision.confirmation }
        : { reasonCode: decision.reasonCode ?? null, requestAttachments: decision.requestAttachments ?? [] },
  });
  await writeAudit(db, actor, [{ action: 'update', entity: 'registration_filing', entityId: filing.id, personId: filing.person_id, detail: { decision: decision.to } }]);
  await refreshPerson(db, filing.person_id, changedFrom);
}

/** The effective date may go back to the day of submission, and at most 90 days ahead. */
function checkEffectiveDate(filing: LockedFiling, effectiveDate: string, today: string) {
  const submitted = shanghaiDate(new Date(filing.submitted_at));
  if (effectiveDate < submitted) throw badRequest('The effective date cannot be before the filing was submitted', [{ field: 'body.effectiveDate', rule: 'not_before_submission', message: `on or after ${submitted}` }]);
  if (effectiveDate > addDays(today, 90)) throw badRequest('The effective date is at most 90 days ahead', [{ field: 'body.effectiveDate', rule: 'max_90_days_ahead', message: `on or before ${addDays(today, 90)}` }]);
}

export async function approveFiling(ctx: AppContext, actor: Actor, filingId: string, effectiveDate?: string) {
  const today = shanghaiDate(ctx.now());
  const personId = await mayActOn(ctx, actor, 'filing.approve', filingId);
  await ctx.db.transaction().execute(async (trx) => {
    const filing = await lockExisting(trx, personId, filingId);
    await q.lockPerson(trx, filing.person_id);
    if (filing.status === 'submitted') checkEffectiveDate(filing, effectiveDate ?? today, today);
    await decide(ctx, trx, actor, filing, { to: 'approved', effectiveDate: effectiveDate ?? today, confirmation: 'agency' });
  });
  return filingView(ctx.db, filingId, ctx.now(), actor.user);
}

/** A return: a preset reason (shown in the doctor's language) and/or free text, and the evidence asked for. */
export interface ReturnDecision {
  reasonCode?: ReturnReasonCode;
  reason?: string;
  requestAttachments?: AttachmentKind[];
}

export async function returnFiling(ctx: AppContext, actor: Actor, filingId: string, decision: ReturnDecision) {
  const personId = await mayActOn(ctx, actor, 'filing.approve', filingId);
  // "other" (or no preset) needs the words; a preset may stand alone
  if ((!decision.reasonCode || decision.reasonCode === 'other') && !decision.reason)
    throw badRequest('Say why the filing is returned', [{ field: 'body.reason', rule: 'reason_required', message: 'a return without a preset reason (or with "other") needs the reason in words' }]);
  const requestAttachments = [...new Set(decision.requestAttachments ?? [])];
  await ctx.db.transaction().execute(async (trx) => {
    const filing = await lockExisting(trx, personId, filingId);
    await decide(ctx, trx, actor, filing, { to: 'returned', ...decision, requestAttachments });
  });
  return filingView(ctx.db, filingId, ctx.now(), actor.user);
}

/** Approves each filing in its own transaction; one refusal does not undo the others. */
export async function approveMany(ctx: AppContext, actor: Actor, ids: string[], effectiveDate?: string) {
  await requireAccess(ctx, actor, 'filing.approve'); // the role; each filing's county is checked on its own
  const results = [];
  for (const id of ids) {
    try {
      const view = await approveFiling(ctx, actor, id, effectiveDate);
      results.push({ id, ok: true, status: view.status });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ id, ok: false, error: { title: err.title, detail: err.message, errors: err.errors } });
    }
  }
  return { results };
}

export interface QueueFilter {
  status?: FilingStatus;
  /** reviewer: one team, or the teams of one institution, of the county */
  teamId?: string;
  institutionId?: string;
  basis?: 'bp_readings' | 'glucose' | 'hospital_diagnosis';
  /** decided at or after this instant (the doctor's "approved since last seen") */
  decidedSince?: string;
  kind?: FilingKind;
  disease?: string;
  minAgeDays?: number;
  q?: string;
  limit: number;
  offset: number;
}

export async function listFilings(ctx: AppContext, actor: Actor, filter: QueueFilter) {
  const user = actor.user;
  await requireAccess(ctx, actor, 'filing.read');
  const now = ctx.now();
  const { rows, total } = await q.queue(ctx.db, {
    ...filter,
    status: filter.status ?? (user.role === 'insurance_reviewer' ? 'submitted' : undefined),
    countyCode: user.role === 'insurance_reviewer' ? user.scope.id! : undefined,
    // a doctor sees the own team's filings whatever the filter says
    teamId: isDoctor(user) ? user.teamId! : filter.teamId,
    institutionId: isDoctor(user) ? undefined : filter.institutionId,
    decidedSince: filter.decidedSince ? new Date(filter.decidedSince) : undefined,
    submittedBefore: filter.minAgeDays ? new Date(now.getTime() - filter.minAgeDays * 86_400_000) : undefined,
  });
  const diseases = await q.diseasesOfFilings(ctx.db, rows.map((r) => r.id));
  await writeAudit(ctx.db, actor, rows.map((r) => ({ action: 'search', entity: 'registration_filing', entityId: r.id, personId: r.person_id })));
  const today = shanghaiDate(now);
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      person: presentPerson(user, r, today),
      team: { id: r.team_id, name: r.team_name },
      institution: { id: r.institution_id, name: r.institution_name },
      kind: r.kind,
      changeReason: r.change_reason,
      revocationReason: r.revocation_reason,
      diseases: diseases.filter((d) => d.filing_id === r.id).map((d) => ({ code: d.disease_code, name: d.name_zh, action: d.action })),
      status: r.status,
      submittedAt: new Date(r.submitted_at).toISOString(),
      ageDays: daysBetween(shanghaiDate(new Date(r.submitted_at)), today),
      decisionReason: r.decision_reason,
      decisionReasonCode: r.decision_reason_code,
      requestedAttachments: r.requested_attachments,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    })),
  };
}

/** The reviewer's filter options: the county's teams (with their institution) that have filings in the status, and how many. */
export async function queueTeams(ctx: AppContext, actor: Actor, status: FilingStatus) {
  await requireAccess(ctx, actor, 'filing.approve');
  const rows = await q.queueTeams(ctx.db, actor.user.scope.id!, status);
  return rows.map((r) => ({ team: { id: r.team_id, name: r.team_name }, institution: { id: r.institution_id, name: r.institution_name }, filings: Number(r.n) }));
}

/** One attachment's bytes, for whoever may read the filing (filing.read), audited. */
export async function filingAttachment(ctx: AppContext, actor: Actor, filingId: string, attachmentId: string) {
  const filing = await q.findFiling(ctx.db, filingId);
  await requireAccess(ctx, actor, 'filing.read', { personId: filing?.person_id ?? null, teamId: filing?.team_id ?? null, regionCode: filing?.county_code ?? null });
  const file = filing ? await attachmentContent(ctx.db, filing.person_id, filingId, attachmentId) : undefined;
  if (!filing || !file) throw notFound('No such attachment');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'filing_attachment', entityId: attachmentId, personId: filing.person_id }]);
  return { name: file.name, mediaType: file.media_type, content: file.content };
}

export async function getFiling(ctx: AppContext, actor: Actor, filingId: string) {
  const filing = await q.findFiling(ctx.db, filingId);
  await requireAccess(ctx, actor, 'filing.read', { personId: filing?.person_id ?? null, teamId: filing?.team_id ?? null, regionCode: filing?.county_code ?? null });
  if (!filing) throw notFound('No such filing');
  const user = actor.user;
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'registration_filing', entityId: filingId, personId: filing.person_id }]);
  return filingView(ctx.db, filingId, ctx.now(), user);
}

