// Family-doctor contracts: sign, renew (续约, history carried over), terminate (解约, with a reason).
// One current contract per person; every transition is kept in contract_event and the audit log.
import { refreshPerson } from '../indicators/service';
import { addDays, addMonths, daysBetween, shanghaiDate } from '../../engine/calendar';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { badRequest, conflict, forbidden, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import type { AuthUser } from '../../core/user';
import { requireAccess } from '../../core/access';
import * as q from './queries';
import { consentFormBytes, consentProblems, detailOf, packageProblems, periodProblems } from './validation';

/** Renewal opens this many days before a contract ends (the team's list shows them from then on). */
export const RENEWAL_WINDOW_DAYS = 30;

export interface Consent {
  signer: 'self' | 'guardian' | 'proxy';
  signerName: string;
  signedAt: string;
  form?: { name: string; contentBase64: string } | null;
}

export interface SignInput {
  personId: string;
  startDate?: string;
  endDate?: string;
  packages: string[];
  consent: Consent;
}

const oneYearFrom = (start: string) => addDays(addMonths(start, 12), -1);

/** The doctor's team and practitioner, once the access table has let a family doctor through. */
function teamOf(user: AuthUser) {
  if (!user.teamId || !user.practitionerId) throw forbidden('Only a family doctor of a team signs contracts for it');
  return { teamId: user.teamId, doctorId: user.practitionerId };
}

async function checkPackages(db: Database, codes: string[]) {
  const known = new Set((await q.servicePackages(db)).map((p) => p.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) throw badRequest(`Unknown service package: ${unknown.join(', ')}`, unknown.map((c) => ({ field: 'body.packages', rule: 'known_package', message: `unknown package ${c}` })));
  if (!codes.includes('basic')) throw badRequest('Every contract includes the basic package', [{ field: 'body.packages', rule: 'includes_basic', message: 'the basic package (基础包) is required' }]);
}

/** The consent's columns, its scanned form checked (413 over 5 MiB, 415 unless a PDF, JPEG or PNG its name agrees with). */
async function consentColumns(consent: Consent) {
  return {
    consent_signer: consent.signer,
    consent_signer_name: consent.signerName,
    consent_signed_at: consent.signedAt,
    consent_form_name: consent.form?.name ?? null,
    consent_form: consent.form ? (await consentFormBytes(consent.form)).bytes : null,
  };
}

export async function signContract(ctx: AppContext, actor: Actor, input: SignInput) {
  await requireAccess(ctx, actor, 'contract.sign', { personId: input.personId });
  const { teamId, doctorId } = teamOf(actor.user);
  const today = shanghaiDate(ctx.now());
  const start = input.startDate ?? today;
  const problems = [...periodProblems(today, start, input.endDate), ...consentProblems(ctx.now(), input.consent.signedAt, start), ...packageProblems(input.packages)];
  if (problems.length) throw badRequest(detailOf(problems), problems);
  const end = input.endDate ?? oneYearFrom(start);
  await checkPackages(ctx.db, input.packages);
  const consent = await consentColumns(input.consent);

  return ctx.db.transaction().execute(async (trx) => {
    const current = await q.activeContractForUpdate(trx, input.personId);
    if (current && current.end_date >= start) throw conflict('one_active_contract', `This person already has an active contract until ${current.end_date}; renew or terminate it first`);
    if (current) {
      // an expired contract that was never renewed: it lapses now that a new one is signed
      await q.setStatus(trx, current.id, 'lapsed');
      await q.recordEvent(trx, { at: ctx.now(), contract_id: current.id, person_id: input.personId, user_id: actor.user.id, action: 'lapse', from_status: 'active', to_status: 'lapsed' });
    }
    const created = await trx
      .insertInto('contract')
      .values({ person_id: input.personId, team_id: teamId, doctor_id: doctorId, start_date: start, end_date: end, packages: input.packages, ...consent, previous_contract_id: current?.id ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.recordEvent(trx, { at: ctx.now(), contract_id: created.id, person_id: input.personId, user_id: actor.user.id, action: 'sign', from_status: null, to_status: 'active' });
    await writeAudit(trx, actor, [{ action: 'create', entity: 'contract', entityId: created.id, personId: input.personId }]);
    await refreshPerson(trx, input.personId, start < today ? start : today);
    return contractView(trx, created.id, today);
  });
}

export async function renewContract(ctx: AppContext, actor: Actor, contractId: string, input: { packages?: string[]; consent: Consent }) {
  const personId = await mayChange(ctx, actor, contractId);
  const { teamId, doctorId } = teamOf(actor.user);
  const today = shanghaiDate(ctx.now());
  // a renewal starts today or later, so its consent is bounded by today
  const problems = [...consentProblems(ctx.now(), input.consent.signedAt, today), ...packageProblems(input.packages ?? [])];
  if (problems.length) throw badRequest(detailOf(problems), problems);
  const consent = await consentColumns(input.consent);
  return ctx.db.transaction().execute(async (trx) => {
    const old = await loadForChange(trx, personId, contractId);
    const current = await q.activeContractForUpdate(trx, old.person_id);
    if (!current || current.id !== old.id) throw conflict('renew_active_only', 'Only the current active contract can be renewed');
    if (daysBetween(today, old.end_date) > RENEWAL_WINDOW_DAYS) throw conflict('renewal_window', `Renewal opens ${RENEWAL_WINDOW_DAYS} days before the contract ends (${old.end_date})`);
    const packages = input.packages ?? old.packages;
    await checkPackages(trx, packages);
    const start = old.end_date < today ? today : addDays(old.end_date, 1);
    await q.setStatus(trx, old.id, 'renewed');
    await q.recordEvent(trx, { at: ctx.now(), contract_id: old.id, person_id: old.person_id, user_id: actor.user.id, action: 'renew', from_status: 'active', to_status: 'renewed' });
    const created = await trx
      .insertInto('contract')
      .values({ person_id: old.person_id, team_id: teamId, doctor_id: doctorId, start_date: start, end_date: oneYearFrom(start), packages, ...consent, previous_contract_id: old.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.recordEvent(trx, { at: ctx.now(), contract_id: created.id, person_id: old.person_id, user_id: actor.user.id, action: 'sign', from_status: null, to_status: 'active', reason: 'renewal' });
    await writeAudit(trx, actor, [{ action: 'create', entity: 'contract', entityId: created.id, personId: old.person_id, detail: { renews: old.id } }]);
    await refreshPerson(trx, old.person_id, today);
    return contractView(trx, created.id, today);
  });
}

export async function terminateContract(ctx: AppContext, actor: Actor, contractId: string, input: { reason: string; terminatedOn?: string }) {
  const personId = await mayChange(ctx, actor, contractId);
  const today = shanghaiDate(ctx.now());
  const on = input.terminatedOn ?? today;
  return ctx.db.transaction().execute(async (trx) => {
    const contract = await loadForChange(trx, personId, contractId);
    if (contract.status !== 'active') throw conflict('terminate_active_only', `A ${contract.status} contract cannot be terminated`);
    if (on < contract.start_date || on > contract.end_date) throw badRequest('The termination date must fall within the contract', [{ field: 'body.terminatedOn', rule: 'within_contract', message: `between ${contract.start_date} and ${contract.end_date}` }]);
    await q.setStatus(trx, contract.id, 'terminated', { terminated_on: on, termination_reason: input.reason });
    await q.recordEvent(trx, { at: ctx.now(), contract_id: contract.id, person_id: contract.person_id, user_id: actor.user.id, action: 'terminate', from_status: 'active', to_status: 'terminated', reason: input.reason });
    await writeAudit(trx, actor, [{ action: 'update', entity: 'contract', entityId: contract.id, personId: contract.person_id, detail: { terminate: input.reason } }]);
    await refreshPerson(trx, contract.person_id, on);
    return contractView(trx, contract.id, today);
  });
}

/**
 * contract.change is the contract's team's; checked before the transaction so that a refusal's audit row
 * stays. The URL's bare id is found through the primary key (id, person_id); the person it returns
 * names the contract from then on.
 */
async function mayChange(ctx: AppContext, actor: Actor, contractId: string) {
  const row = await ctx.db.selectFrom('contract').select(['person_id', 'team_id']).where('id', '=', contractId).executeTakeFirst();
  await requireAccess(ctx, actor, 'contract.change', { personId: row?.person_id ?? null, teamId: row?.team_id ?? null });
  return row?.person_id ?? null;
}

/** The contract, locked for the change (its team, which never changes, was checked by mayChange). */
async function loadForChange(db: Database, personId: string | null, contractId: string) {
  const row = personId === null ? undefined
    : await db.selectFrom('contract').select(q.contractColumns).where('person_id', '=', personId).where('id', '=', contractId).forUpdate().executeTakeFirst();
  if (!row) throw notFound('No such contract');
  return row;
}

export async function contractView(db: Database, id: string, today: string) {
  const c = (await q.findContract(db, id))!;
  return toView(c, today, await q.eventsOfContracts(db, [id]));
}

type ContractRow = NonNullable<Awaited<ReturnType<typeof q.findContract>>>;
type EventRow = Awaited<ReturnType<typeof q.eventsOfContracts>>[number];

function toView(c: ContractRow, today: string, events: EventRow[]) {
  return {
    id: c.id,
    personId: c.person_id,
    team: { id: c.team_id, name: c.team_name },
    doctor: { id: c.doctor_id, name: c.doctor_name },
    startDate: c.start_date,
    endDate: c.end_date,
    packages: c.packages,
    status: c.status,
    inForce: c.start_date <= today && today <= c.end_date && (c.status !== 'terminated' || (c.terminated_on !== null && today < c.terminated_on)),
    daysToEnd: daysBetween(today, c.end_date),
    consent: { signer: c.consent_signer, signerName: c.consent_signer_name, signedAt: new Date(c.consent_signed_at).toISOString(), formName: c.consent_form_name },
    previousContractId: c.previous_contract_id,
    terminatedOn: c.terminated_on,
    terminationReason: c.termination_reason,
    history: events.filter((e) => e.contract_id === c.id).map((e) => ({ at: new Date(e.at).toISOString(), action: e.action, from: e.from_status, to: e.to_status, reason: e.reason, by: e.by })),
  };
}

export async function contractsOfPerson(ctx: AppContext, actor: Actor, personId: string | null) {
  await requireAccess(ctx, actor, 'contract.read', { personId });
  if (!personId) throw notFound('No such person');
  const rows = await q.contractsOfPerson(ctx.db, personId);
  const events = await q.eventsOfContracts(ctx.db, rows.map((r) => r.id));
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'contract', personId }]);
  const today = shanghaiDate(ctx.now());
  return rows.map((r) => toView(r, today, events));
}

export async function consentForm(ctx: AppContext, actor: Actor, contractId: string) {
  const row = await ctx.db.selectFrom('contract').select(['person_id', 'team_id', 'consent_form', 'consent_form_name']).where('id', '=', contractId).executeTakeFirst();
  // the treating team, the reviewer of a filing in review, the patient: refused alike when there is no such contract
  await requireAccess(ctx, actor, 'contract.consentForm.read', { personId: row?.person_id ?? null, teamId: row?.team_id ?? null });
  if (!row) throw notFound('No such contract');
  if (!row.consent_form) throw notFound('No consent form was attached to this contract');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'consent_form', entityId: contractId, personId: row.person_id }]);
  return { name: row.consent_form_name!, content: row.consent_form };
}

/** A patient's own consent form (/api/people/me/…): the contract must be the signed-in patient's. */
export async function ownConsentForm(ctx: AppContext, actor: Actor, contractId: string) {
  const row = await ctx.db.selectFrom('contract').select('person_id').where('id', '=', contractId).executeTakeFirst();
  await requireAccess(ctx, actor, 'own.read', { personId: row?.person_id ?? null });
  return consentForm(ctx, actor, contractId);
}

/** The caller's team: a doctor's own, or the team a patient is contracted with today. */
export async function myTeamId(ctx: AppContext, actor: Actor): Promise<string> {
  const user = actor.user;
  if (user.role !== 'patient') {
    await requireAccess(ctx, actor, 'team.read', { teamId: user.teamId });
    if (!user.teamId) throw notFound('You belong to no family-doctor team');
    await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'team', entityId: user.teamId }]);
    return user.teamId;
  }
  await requireAccess(ctx, actor, 'own.read', { personId: user.personId });
  const contract = await ctx.db.selectFrom('contract').select('team_id').where('person_id', '=', user.personId).where('status', '=', 'active').executeTakeFirst();
  if (!contract) throw notFound('You have no active family-doctor contract');
  return contract.team_id;
}

/** The team: members ("3+X"), contracted load, and the doctor : patients ratio. */
export async function teamOverview(ctx: AppContext, teamId: string) {
  const [team, members, load] = await q.teamWithMembers(ctx.db, teamId);
  if (!team) throw notFound('No such team');
  const doctors = members.filter((m) => m.profession === 'doctor').length;
  return {
    id: team.id,
    name: team.name,
    phone: team.phone,
    institution: { id: team.institution_id, name: team.institution_name, address: team.institution_address, phone: team.institution_phone },
    region: { code: team.region_code, name: team.region_name },
    members: members.map((m) => ({ id: m.id, name: m.name, profession: m.profession, role: m.member_role, institution: m.institution_name })),
    contractedPatients: load.n,
    doctors,
    patientsPerDoctor: doctors ? Math.round(load.n / doctors) : null,
  };
}
