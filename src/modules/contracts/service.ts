// Family-doctor contracts: sign, renew (续约, history carried over), terminate (解约, with a reason).
// One current contract per person; every transition is kept in contract_event and the audit log.
import { addDays, addMonths, daysBetween, shanghaiDate } from '../../engine/calendar';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { badRequest, conflict, forbidden, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../audit/service';
import type { AuthUser } from '../../core/user';
import * as people from '../people/queries';
import { scopeOf } from '../people/service';
import * as q from './queries';

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

function requireTeam(user: AuthUser) {
  if (user.role !== 'family_doctor' || !user.teamId || !user.practitionerId) throw forbidden('Only a family doctor signs contracts for their team');
  return { teamId: user.teamId, doctorId: user.practitionerId };
}

async function checkPackages(db: Database, codes: string[]) {
  const known = new Set((await q.servicePackages(db)).map((p) => p.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) throw badRequest(`Unknown service package: ${unknown.join(', ')}`, unknown.map((c) => ({ field: 'body.packages', rule: 'known_package', message: `unknown package ${c}` })));
  if (!codes.includes('basic')) throw badRequest('Every contract includes the basic package', [{ field: 'body.packages', rule: 'includes_basic', message: 'the basic package (基础包) is required' }]);
}

function consentColumns(consent: Consent) {
  return {
    consent_signer: consent.signer,
    consent_signer_name: consent.signerName,
    consent_signed_at: consent.signedAt,
    consent_form_name: consent.form?.name ?? null,
    consent_form: consent.form ? Buffer.from(consent.form.contentBase64, 'base64') : null,
  };
}

export async function signContract(ctx: AppContext, actor: Actor, input: SignInput) {
  const { teamId, doctorId } = requireTeam(actor.user);
  const today = shanghaiDate(ctx.now());
  const start = input.startDate ?? today;
  const end = input.endDate ?? oneYearFrom(start);
  if (end <= start) throw badRequest('The contract must end after it starts', [{ field: 'body.endDate', rule: 'after_start', message: 'endDate must be after startDate' }]);
  if (start < addDays(today, -30)) throw badRequest('A contract cannot start more than 30 days in the past', [{ field: 'body.startDate', rule: 'not_backdated', message: 'startDate is more than 30 days ago' }]);
  await checkPackages(ctx.db, input.packages);

  return ctx.db.transaction().execute(async (trx) => {
    const person = await people.findPerson(trx, scopeOf(actor.user), input.personId);
    if (!person) throw (await people.personExists(trx, input.personId)) ? forbidden('This person is outside your team’s area') : notFound('No such person');
    const current = await q.activeContractForUpdate(trx, input.personId);
    if (current && current.end_date >= start) throw conflict('one_active_contract', `This person already has an active contract until ${current.end_date}; renew or terminate it first`);
    if (current) {
      // an expired contract that was never renewed: it lapses now that a new one is signed
      await q.setStatus(trx, current.id, 'lapsed');
      await q.recordEvent(trx, { at: ctx.now(), contract_id: current.id, person_id: input.personId, user_id: actor.user.id, action: 'lapse', from_status: 'active', to_status: 'lapsed' });
    }
    const created = await trx
      .insertInto('contract')
      .values({ person_id: input.personId, team_id: teamId, doctor_id: doctorId, start_date: start, end_date: end, packages: input.packages, ...consentColumns(input.consent), previous_contract_id: current?.id ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.recordEvent(trx, { at: ctx.now(), contract_id: created.id, person_id: input.personId, user_id: actor.user.id, action: 'sign', from_status: null, to_status: 'active' });
    await writeAudit(trx, actor, [{ action: 'create', entity: 'contract', entityId: created.id, personId: input.personId }]);
    return contractView(trx, created.id, today);
  });
}

export async function renewContract(ctx: AppContext, actor: Actor, contractId: string, input: { packages?: string[]; consent: Consent }) {
  const { teamId, doctorId } = requireTeam(actor.user);
  const today = shanghaiDate(ctx.now());
  return ctx.db.transaction().execute(async (trx) => {
    const old = await loadForChange(trx, actor.user, contractId);
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
      .values({ person_id: old.person_id, team_id: teamId, doctor_id: doctorId, start_date: start, end_date: oneYearFrom(start), packages, ...consentColumns(input.consent), previous_contract_id: old.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q.recordEvent(trx, { at: ctx.now(), contract_id: created.id, person_id: old.person_id, user_id: actor.user.id, action: 'sign', from_status: null, to_status: 'active', reason: 'renewal' });
    await writeAudit(trx, actor, [{ action: 'create', entity: 'contract', entityId: created.id, personId: old.person_id, detail: { renews: old.id } }]);
    return contractView(trx, created.id, today);
  });
}

export async function terminateContract(ctx: AppContext, actor: Actor, contractId: string, input: { reason: string; terminatedOn?: string }) {
  requireTeam(actor.user);
  const today = shanghaiDate(ctx.now());
  const on = input.terminatedOn ?? today;
  return ctx.db.transaction().execute(async (trx) => {
    const contract = await loadForChange(trx, actor.user, contractId);
    if (contract.status !== 'active') throw conflict('terminate_active_only', `A ${contract.status} contract cannot be terminated`);
    if (on < contract.start_date || on > contract.end_date) throw badRequest('The termination date must fall within the contract', [{ field: 'body.terminatedOn', rule: 'within_contract', message: `between ${contract.start_date} and ${contract.end_date}` }]);
    await q.setStatus(trx, contract.id, 'terminated', { terminated_on: on, termination_reason: input.reason });
    await q.recordEvent(trx, { at: ctx.now(), contract_id: contract.id, person_id: contract.person_id, user_id: actor.user.id, action: 'terminate', from_status: 'active', to_status: 'terminated', reason: input.reason });
    await writeAudit(trx, actor, [{ action: 'update', entity: 'contract', entityId: contract.id, personId: contract.person_id, detail: { terminate: input.reason } }]);
    return contractView(trx, contract.id, today);
  });
}

/** A contract the doctor's team holds, locked for the change. */
async function loadForChange(db: Database, user: AuthUser, contractId: string) {
  const row = await db.selectFrom('contract').select(q.contractColumns).where('id', '=', contractId).forUpdate().executeTakeFirst();
  if (!row) throw notFound('No such contract');
  if (row.team_id !== user.teamId) throw forbidden('This contract belongs to another team');
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

export async function contractsOfPerson(ctx: AppContext, actor: Actor, personId: string) {
  const person = await people.findPerson(ctx.db, scopeOf(actor.user), personId);
  if (!person) throw (await people.personExists(ctx.db, personId)) ? forbidden('This person is outside your scope') : notFound('No such person');
  const rows = await q.contractsOfPerson(ctx.db, personId);
  const events = await q.eventsOfContracts(ctx.db, rows.map((r) => r.id));
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'contract', personId }]);
  const today = shanghaiDate(ctx.now());
  return rows.map((r) => toView(r, today, events));
}

export async function consentForm(ctx: AppContext, actor: Actor, contractId: string) {
  const row = await ctx.db.selectFrom('contract').select(['person_id', 'team_id', 'consent_form', 'consent_form_name']).where('id', '=', contractId).executeTakeFirst();
  if (!row) throw notFound('No such contract');
  if (!(await people.findPerson(ctx.db, scopeOf(actor.user), row.person_id))) throw forbidden('This contract is outside your scope');
  if (!row.consent_form) throw notFound('No consent form was attached to this contract');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'consent_form', entityId: contractId, personId: row.person_id }]);
  return { name: row.consent_form_name!, content: row.consent_form };
}

/** The caller's team: a doctor's own, or the team a patient is contracted with today. */
export async function myTeamId(ctx: AppContext, user: AuthUser): Promise<string> {
  if (user.role !== 'patient') {
    if (!user.teamId) throw notFound('You belong to no family-doctor team');
    return user.teamId;
  }
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
    institution: { id: team.institution_id, name: team.institution_name },
    region: { code: team.region_code, name: team.region_name },
    members: members.map((m) => ({ id: m.id, name: m.name, profession: m.profession, role: m.member_role, institution: m.institution_name })),
    contractedPatients: load.n,
    doctors,
    patientsPerDoctor: doctors ? Math.round(load.n / doctors) : null,
  };
}
