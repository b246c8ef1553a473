// Writing a prescription (开方): anew, from the continuous prescription of the registration (连续处方),
// as a renewal (续方, after the follow-up and early-refill checks) or as an extension (延伸处方) of a
// tertiary hospital's prescription. The quantity comes from dose × frequency × days; the policy's
// longest supply applies, and a long one (over 30 days) says why the patient is stable enough.
// Every prescription is a cloud prescription (云处方): it names where it is filled.
import { addDays, shanghaiDate } from '../../engine/calendar';
import { registrationInForce } from '../../engine/eligibility';
import { checkRenewal } from '../../engine/prescription/renewal';
import { lineSupply, PER_DAY } from '../../engine/prescription/supply';
import { prescriptionParams } from '../../engine/prescription/params';
import { IllegalTransition, mustStep, type PrescriptionAction, type PrescriptionStatus } from '../../engine/prescription/status';
import type { FillPlace, Frequency, PrescriptionOrigin } from '../../db/schema';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { AppError, badRequest, conflict, type FieldProblem, forbidden, notFound } from '../../core/problem';
import { drugCatalogue } from './view';
import * as q from './queries';

/** A supply longer than this is a long prescription (长处方) and needs a stated reason. */
export const LONG_PRESCRIPTION_DAYS = 30;

export interface LineInput {
  drugCode: string;
  /** Units of the drug's unit per administration (0.5 = half a tablet). */
  dose: number;
  frequency: Frequency;
  daysSupply: number;
}

export interface PrescriptionInput {
  personId: string;
  origin: PrescriptionOrigin;
  renewalOf?: string | null;
  renewalRequestId?: string | null;
  source?: { prescriptionNo: string; institutionId: string } | null;
  lines?: LineInput[];
  stableReason?: string | null;
  fillPlace: FillPlace;
  fillInstitutionId?: string | null;
  deliveryAddress?: string | null;
  submit?: boolean;
}

const fail = (problems: FieldProblem[]) => badRequest(problems.map((p) => p.message).join('; '), problems);

/** The policy's prescription rules for the person on the date (the shipped policies all have them). */
export function rulesFor(ctx: AppContext, person: { region_code: string; insurance_type: 'resident' | 'employee' }, date: string) {
  const entry = ctx.policies.forRegion(person.region_code, date);
  const benefit = entry?.policy.schemes[person.insurance_type]?.benefits.two_disease;
  if (!entry || !benefit || !entry.policy.prescription) throw conflict('no_policy', `No policy with prescription rules is in force for region ${person.region_code} on ${date}`);
  return { policyId: entry.id, drugList: benefit.drug_list, extended: benefit.extended_prescription ?? null, ...prescriptionParams(entry.policy, person.insurance_type) };
}
export type PrescriptionRules = ReturnType<typeof rulesFor>;

/** The lines a prescription starts from when the doctor gives none: the continuous prescription, or the renewed one's. */
async function startingLines(db: Database, input: PrescriptionInput, personId: string): Promise<LineInput[]> {
  if (input.lines?.length) return input.lines;
  if (input.origin === 'continuous') {
    const rows = await db.selectFrom('continuous_prescription').select(['drug_code', 'frequency', 'days_supply']).where('person_id', '=', personId)
      .where('effective_to', 'is', null).orderBy('line_no').execute();
    if (!rows.length) throw conflict('no_continuous_prescription', 'The registration carries no continuous prescription');
    // the registration names drug, frequency and days; the dose is the catalogue's usual daily units spread over the frequency
    return rows.map((r) => {
      const drug = drugCatalogue().get(r.drug_code)!;
      const f = (r.frequency in PER_DAY ? r.frequency : 'qd') as Frequency;
      const dose = Math.max(0.001, Math.round((drug.dailyUnits * PER_DAY[f].d * 1000) / PER_DAY[f].n) / 1000);
      return { drugCode: r.drug_code, dose, frequency: f, daysSupply: r.days_supply };
    });
  }
  if (input.origin === 'renewal' && input.renewalOf) {
    const rows = await q.linesOf(db, personId, [input.renewalOf]);
    return rows.map((l) => ({ drugCode: l.drug_code, dose: l.dose_milli / 1000, frequency: l.frequency, daysSupply: l.days_supply }));
  }
  throw fail([{ field: 'body.lines', rule: 'at_least_one', message: 'name at least one drug line' }]);
}

/** Checks the lines against the catalogue and the policy and gives their quantities. */
function priceLines(lines: LineInput[], rules: PrescriptionRules, origin: PrescriptionOrigin, level: string) {
  const problems: FieldProblem[] = [];
  const out = lines.map((l, i) => {
    const field = (k: string) => `body.lines.${i}.${k}`;
    const drug = drugCatalogue().get(l.drugCode);
    if (!drug) {
      problems.push({ field: field('drugCode'), rule: 'on_drug_list', message: `${l.drugCode} is not in the catalogue` });
      return null;
    }
    if (l.daysSupply > rules.maxDaysSupply)
      problems.push({ field: field('daysSupply'), rule: 'max_days_supply', message: `at most ${rules.maxDaysSupply} days under ${rules.policyId}`, facts: { maxDaysSupply: rules.maxDaysSupply, policyId: rules.policyId } });
    // 延伸处方: a drug of the tertiary list, continued where the policy lets the level continue it
    const onOwnList = drug.lists.includes(rules.drugList);
    const extendable = origin === 'extended' && !!rules.extended && rules.extended.levels.includes(level as never) && drug.lists.includes(rules.extended.drug_list);
    if (origin === 'extended' && !onOwnList && !extendable)
      problems.push({ field: field('drugCode'), rule: 'extendable_drug', message: `${drug.genericNameZh} is on neither the community's list nor the list the policy lets it extend` });
    const doseMilli = Math.round(l.dose * 1000);
    if (doseMilli < 1 || Math.abs(doseMilli - l.dose * 1000) > 1e-6)
      problems.push({ field: field('dose'), rule: 'thousandths', message: 'a dose in units, with at most 3 decimals' });
    const supply = lineSupply({ doseUnits: { n: Math.max(1, doseMilli), d: 1000 }, frequency: l.frequency, daysSupply: l.daysSupply }, drug.packSize);
    return { lineNo: i + 1, drugCode: l.drugCode, doseMilli, frequency: l.frequency, daysSupply: l.daysSupply, quantity: supply.packs, extended: extendable && !onOwnList };
  });
  if (problems.length) throw fail(problems);
  return out.filter((l) => l !== null);
}

/** Where it is filled: the writing institution, a designated chain pharmacy (外配), or delivered from the writing institution. */
async function fillPlaceOf(db: Database, input: Pick<PrescriptionInput, 'fillPlace' | 'fillInstitutionId' | 'deliveryAddress'>, writingInstitution: string, personAddress: string | null) {
  if (input.fillPlace === 'pharmacy') {
    const pharmacy = input.fillInstitutionId
      ? await db.selectFrom('institution').select(['id', 'level', 'designated']).where('id', '=', input.fillInstitutionId).executeTakeFirst()
      : undefined;
    if (!pharmacy || pharmacy.level !== 'pharmacy' || !pharmacy.designated)
      throw fail([{ field: 'body.fillInstitutionId', rule: 'designated_pharmacy', message: 'a designated (定点) chain pharmacy' }]);
    return { fillInstitutionId: pharmacy.id, deliveryAddress: null };
  }
  if (input.fillPlace === 'delivery') {
    const address = input.deliveryAddress?.trim() || personAddress;
    if (!address || address.length < 4) throw fail([{ field: 'body.deliveryAddress', rule: 'required_for_delivery', message: 'a delivery address' }]);
    return { fillInstitutionId: writingInstitution, deliveryAddress: address };
  }
  return { fillInstitutionId: writingInstitution, deliveryAddress: null };
}

/** The renewal's two checks (复诊核验, early refill), refused with every rule and its dates. */
async function checkRenewalOf(db: Database, personId: string, today: string, lines: Array<{ drugCode: string }>, rules: PrescriptionRules) {
  const facts = await q.personFacts(db, personId, addDays(today, -366));
  const refusals = checkRenewal(
    { date: today, followUpVisits: facts.lastVisitDate ? [facts.lastVisitDate] : [], lines, supplies: facts.supply.map((s) => ({ drugCode: s.drug_code, dispensedOn: s.service_date, daysSupply: s.days_supply })) },
    { followUpWindowDays: rules.followUpWindowDays, earlyRefillBp: rules.earlyRefillBp },
  );
  if (!refusals.length) return;
  const problems = refusals.map((r): FieldProblem =>
    r.rule === 'follow_up_required'
      ? { field: '', rule: r.rule, message: `last follow-up ${r.lastVisit ?? 'none'}, one on or after ${r.windowStart} is needed`, facts: { lastVisit: r.lastVisit, windowStart: r.windowStart } }
      : {
          field: `body.lines.${r.line}.drugCode`, rule: r.rule, message: `${r.drugCode} dispensed ${r.lastDispensedOn} for ${r.lastDaysSupply} days, renewable from ${r.earliest}`,
          facts: { drugCode: r.drugCode, lastDispensedOn: r.lastDispensedOn, lastDaysSupply: r.lastDaysSupply, earliest: r.earliest },
        });
  throw new AppError(409, 'Conflict', problems.map((p) => p.message).join('; '), problems);
}

/** What the person, the doctor's team and the policy say before anything is written. */
async function prepare(ctx: AppContext, actor: Actor, input: PrescriptionInput, today: string) {
  await requireAccess(ctx, actor, 'prescription.write', { personId: input.personId });
  if (!actor.user.institutionId || !actor.user.teamId) throw forbidden('A family doctor of a team writes prescriptions');
  const person = await ctx.db.selectFrom('person').select(['id', 'region_code', 'insurance_type', 'address']).where('id', '=', input.personId).executeTakeFirst();
  if (!person) throw notFound('No such person');
  const institution = await ctx.db.selectFrom('institution').select(['id', 'level', 'county_code']).where('id', '=', actor.user.institutionId).executeTakeFirstOrThrow();
  const registrations = await ctx.db.selectFrom('registration').select(['disease_code', 'effective_from', 'effective_to']).where('person_id', '=', person.id).execute();
  if (!registrations.some((r) => registrationInForce({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to }, today)))
    throw conflict('not_registered', 'The patient has no registration (认定登记) in force: prescriptions under the programme are for registered patients');
  const rules = rulesFor(ctx, person, today);

  if (input.origin === 'renewal') {
    const previous = input.renewalOf ? await q.findPrescription(ctx.db, input.renewalOf) : undefined;
    if (!previous || previous.person_id !== person.id) throw fail([{ field: 'body.renewalOf', rule: 'prescription_of_person', message: 'the prescription renewed, of this patient' }]);
  }
  let source: { prescriptionNo: string; institutionId: string } | null = null;
  if (input.origin === 'extended') {
    const src = input.source ? await ctx.db.selectFrom('institution').select(['id', 'level']).where('id', '=', input.source.institutionId).executeTakeFirst() : undefined;
    if (!src || src.level !== 'tertiary') throw fail([{ field: 'body.source.institutionId', rule: 'tertiary_source', message: 'the tertiary hospital that started the prescription' }]);
    source = input.source!;
  }
  const lines = priceLines(await startingLines(ctx.db, input, person.id), rules, input.origin, institution.level);
  const days = Math.max(...lines.map((l) => l.daysSupply));
  const stableReason = input.stableReason?.trim() || null;
  if (days > LONG_PRESCRIPTION_DAYS && !stableReason)
    throw fail([{ field: 'body.stableReason', rule: 'long_prescription_reason', message: `a supply over ${LONG_PRESCRIPTION_DAYS} days (长处方) says why the patient is stable enough` }]);
  if (input.origin === 'renewal') await checkRenewalOf(ctx.db, person.id, today, lines, rules);
  const place = await fillPlaceOf(ctx.db, input, institution.id, person.address);
  return { person, institution, rules, lines, days, stableReason, source, place };
}

/** 开方: a draft, or submitted for review at once (`submit`). */
export async function writePrescription(ctx: AppContext, actor: Actor, input: PrescriptionInput) {
  const today = shanghaiDate(ctx.now());
  const p = await prepare(ctx, actor, input, today);
  const at = ctx.now();
  const status = input.submit ? 'submitted' : 'draft';
  const id = await ctx.db.transaction().execute(async (trx) => {
    const request = input.renewalRequestId
      ? await trx.selectFrom('renewal_request').select(['id', 'status', 'team_id', 'prescription_id']).where('person_id', '=', p.person.id).where('id', '=', input.renewalRequestId).forUpdate().executeTakeFirst()
      : undefined;
    if (input.renewalRequestId && (!request || request.status !== 'open' || request.team_id !== actor.user.teamId))
      throw conflict('renewal_request_not_open', 'The renewal request is not open in your team’s queue');
    if (request && (input.origin !== 'renewal' || request.prescription_id !== input.renewalOf))
      throw badRequest('A renewal request is answered by renewing its prescription', [{ field: 'body.renewalOf', rule: 'renews_requested', message: 'the prescription the patient asked to renew' }]);
    const row = await trx.insertInto('prescription').values((eb) => ({
      person_id: p.person.id, prescription_no: eb.fn<string>('prescription_no', [eb.val(p.institution.id), eb.val(today)]), origin: input.origin,
      institution_id: p.institution.id, county_code: p.institution.county_code, team_id: actor.user.teamId, doctor_id: actor.user.id,
      written_on: today, valid_until: addDays(today, p.rules.validityDays), days_supply: p.days, stable_reason: p.stableReason,
      renewal_of: input.origin === 'renewal' ? input.renewalOf! : null, source_prescription_no: p.source?.prescriptionNo ?? null,
      source_institution_id: p.source?.institutionId ?? null, fill_place: input.fillPlace, fill_institution_id: p.place.fillInstitutionId,
      delivery_address: p.place.deliveryAddress, status, created_at: at, submitted_at: input.submit ? at : null,
    })).returning('id').executeTakeFirstOrThrow();
    await insertLines(trx, p.person.id, row.id, p.lines);
    await trx.insertInto('prescription_event').values([
      { person_id: p.person.id, prescription_id: row.id, at, user_id: actor.user.id, action: 'write', from_status: null, to_status: 'draft', reason: null, detail: JSON.stringify({ origin: input.origin }) },
      ...(input.submit ? [{ person_id: p.person.id, prescription_id: row.id, at, user_id: actor.user.id, action: 'submit', from_status: 'draft', to_status: 'submitted', reason: null, detail: null }] : []),
    ]).execute();
    if (request) await trx.updateTable('renewal_request').set({ status: 'renewed', handled_by: actor.user.id, handled_at: at, renewal_id: row.id }).where('person_id', '=', p.person.id).where('id', '=', request.id).execute();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'prescription', entityId: row.id, personId: p.person.id, detail: { origin: input.origin, submit: !!input.submit } }]);
    return row.id;
  });
  return id;
}

async function insertLines(trx: Database, personId: string, prescriptionId: string, lines: ReturnType<typeof priceLines>) {
  await trx.insertInto('prescription_line').values(lines.map((l) => ({
    prescription_id: prescriptionId, line_no: l.lineNo, person_id: personId, drug_code: l.drugCode, dose_milli: l.doseMilli, frequency: l.frequency, days_supply: l.daysSupply, quantity: l.quantity,
  }))).execute();
}

/** A prescription the caller may change: found, theirs to write, in one of `states`. */
async function ownPrescription(ctx: AppContext, actor: Actor, id: string, states?: readonly string[]) {
  const p = await q.findPrescription(ctx.db, id);
  await requireAccess(ctx, actor, 'prescription.write', { personId: p?.person_id ?? null });
  if (!p) throw notFound('No such prescription');
  if (states && !states.includes(p.status)) throw conflict('prescription_state', `A ${p.status} prescription cannot be changed this way`);
  return p;
}

/** 修改: a draft or a returned prescription gets new content (and is submitted again with `submit`). */
export async function reviseDraft(ctx: AppContext, actor: Actor, id: string, input: PrescriptionInput) {
  const current = await ownPrescription(ctx, actor, id, ['draft', 'returned']);
  if (input.personId !== current.person_id || input.origin !== current.origin) throw fail([{ field: 'body.personId', rule: 'same_prescription', message: 'the same patient and origin as the prescription revised' }]);
  const today = shanghaiDate(ctx.now());
  const p = await prepare(ctx, actor, { ...input, renewalOf: current.renewal_of }, today);
  const at = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('prescription').select('status').where('person_id', '=', current.person_id).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== current.status) throw conflict('prescription_state', 'The prescription changed meanwhile');
    const to = input.submit ? step(locked.status, locked.status === 'returned' ? 'resubmit' : 'submit') : locked.status;
    await trx.deleteFrom('prescription_line').where('person_id', '=', current.person_id).where('prescription_id', '=', id).execute();
    await insertLines(trx, current.person_id, id, p.lines);
    await trx.updateTable('prescription').set({
      days_supply: p.days, stable_reason: p.stableReason, fill_place: input.fillPlace, fill_institution_id: p.place.fillInstitutionId, delivery_address: p.place.deliveryAddress,
      source_prescription_no: p.source?.prescriptionNo ?? null, source_institution_id: p.source?.institutionId ?? null,
      written_on: today, valid_until: addDays(today, p.rules.validityDays), status: to, submitted_at: input.submit ? at : null, findings: '[]', reviewed_by: null, reviewed_at: null,
    }).where('person_id', '=', current.person_id).where('id', '=', id).execute();
    await trx.insertInto('prescription_event').values({ person_id: current.person_id, prescription_id: id, at, user_id: actor.user.id, action: input.submit ? (locked.status === 'returned' ? 'resubmit' : 'submit') : 'revise', from_status: locked.status, to_status: to, reason: null, detail: null }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'prescription', entityId: id, personId: current.person_id, detail: { submit: !!input.submit } }]);
  });
}

/** 提交: a draft goes to the county's review queue. */
export async function submitPrescription(ctx: AppContext, actor: Actor, id: string) {
  const p = await ownPrescription(ctx, actor, id);
  await transition(ctx.db, actor, p, 'submit', null, ctx.now(), { submitted_at: ctx.now() });
}

/** 作废: the doctor cancels a prescription nothing was dispensed from. */
export async function cancelPrescription(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const p = await ownPrescription(ctx, actor, id);
  await transition(ctx.db, actor, p, 'cancel', reason, ctx.now(), {});
}

/** The state machine's next state (engine/prescription/status.ts), refused as a 409 naming the state. */
export function step(from: PrescriptionStatus, action: PrescriptionAction): PrescriptionStatus {
  try {
    return mustStep(from, action);
  } catch (err) {
    if (err instanceof IllegalTransition) throw conflict('prescription_state', `A ${from} prescription cannot ${action.replace('_', ' ')}`);
    throw err;
  }
}

/** States in which the place a prescription is filled may still change. */
const PLACEABLE: readonly PrescriptionStatus[] = ['draft', 'submitted', 'under_review', 'returned', 'approved', 'partly_dispensed'];

/** One step of the state machine under the row's lock, with its event and audit row; 'place' and 'take_over' keep the state. */
export async function transition(
  db: Database, actor: Actor, p: { id: string; person_id: string }, action: PrescriptionAction | 'place' | 'take_over', reason: string | null, at: Date,
  set: Record<string, unknown>, detail?: unknown,
) {
  await db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('prescription').select('status').where('person_id', '=', p.person_id).where('id', '=', p.id).forUpdate().executeTakeFirstOrThrow();
    if (action === 'place' && !PLACEABLE.includes(locked.status)) throw conflict('prescription_state', `A ${locked.status} prescription is not filled anywhere any more`);
    if (action === 'take_over' && locked.status !== 'under_review') throw conflict('prescription_state', `A ${locked.status} prescription is not under review`);
    const next = action === 'place' || action === 'take_over' ? locked.status : step(locked.status, action);
    await trx.updateTable('prescription').set({ ...set, status: next as never }).where('person_id', '=', p.person_id).where('id', '=', p.id).execute();
    await trx.insertInto('prescription_event').values({ person_id: p.person_id, prescription_id: p.id, at, user_id: actor.user.id, action, from_status: locked.status, to_status: next, reason, detail: detail === undefined ? null : JSON.stringify(detail) }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'prescription', entityId: p.id, personId: p.person_id, detail: { [action]: reason ?? true } }]);
  });
}

/** 选择取药地点: the patient or their doctor moves an approved prescription to another place (what is left of it). */
export async function choosePlace(ctx: AppContext, actor: Actor, id: string, input: Pick<PrescriptionInput, 'fillPlace' | 'fillInstitutionId' | 'deliveryAddress'>) {
  const p = await q.findPrescription(ctx.db, id);
  await requireAccess(ctx, actor, 'prescription.place', { personId: p?.person_id ?? null });
  if (!p) throw notFound('No such prescription');
  const person = await ctx.db.selectFrom('person').select('address').where('id', '=', p.person_id).executeTakeFirstOrThrow();
  const place = await fillPlaceOf(ctx.db, input, p.institution_id, person.address);
  await transition(ctx.db, actor, p, 'place', null, ctx.now(),
    { fill_place: input.fillPlace, fill_institution_id: place.fillInstitutionId, delivery_address: place.deliveryAddress }, { fillPlace: input.fillPlace, fillInstitutionId: place.fillInstitutionId });
}
