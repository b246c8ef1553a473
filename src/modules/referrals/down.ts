// Down-referral (下转) after discharge: the hospital's doctor sends the patient back to the team they
// are contracted with (found by the server), with the discharge summary and the prescription to continue;
// it may close the up-referral that brought the patient. The team follows up within 2 weeks (a follow-up
// visit of the team on or after the discharge date: recorded automatically, upkeep.ts, or named here),
// turns the continued prescription into an extended prescription (延伸处方) in one step, and closes it.
import { compareDates, shanghaiDate } from '../../engine/calendar';
import { lineSupply } from '../../engine/prescription/supply';
import { followUpDue } from '../../engine/referral/rules';
import type { ContinueLine, FillPlace, Frequency } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { badRequest, conflict, type FieldProblem, forbidden, notFound } from '../../core/problem';
import { drugCatalogue, writePrescription } from '../prescriptions/service';
import * as q from './queries';
import { refuseStep, stepReferral } from './steps';
import { answerable } from './up';
import { recordFollowUps } from './upkeep';

export interface DownReferralInput {
  personId: string;
  dischargeDate: string;
  dischargeSummary: string;
  department?: string | null;
  upReferralId?: string | null;
  sourcePrescriptionNo?: string | null;
  continueLines?: Array<{ drugCode: string; dose: number; frequency: Frequency; daysSupply: number }>;
}

const fail = (problems: FieldProblem[]) => badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);

/** The continued lines with their packs, each checked against the catalogue. */
function continueLinesOf(lines: NonNullable<DownReferralInput['continueLines']>): ContinueLine[] {
  const problems: FieldProblem[] = [];
  const out = lines.map((l, i) => {
    const drug = drugCatalogue().get(l.drugCode);
    const doseMilli = Math.round(l.dose * 1000);
    if (!drug) problems.push({ field: `body.continueLines.${i}.drugCode`, rule: 'on_drug_list', message: `${l.drugCode} is not in the catalogue` });
    if (doseMilli < 1 || Math.abs(doseMilli - l.dose * 1000) > 1e-6) problems.push({ field: `body.continueLines.${i}.dose`, rule: 'thousandths', message: 'a dose in units, with at most 3 decimals' });
    const packs = drug ? lineSupply({ doseUnits: { n: Math.max(1, doseMilli), d: 1000 }, frequency: l.frequency, daysSupply: l.daysSupply }, drug.packSize).packs : 0;
    return { drug_code: l.drugCode, dose_milli: doseMilli, frequency: l.frequency, days_supply: l.daysSupply, quantity: packs };
  });
  if (problems.length) throw fail(problems);
  return out;
}

/** 下转: to the patient's contracted team, due to be followed up 14 days after discharge. */
export async function referDown(ctx: AppContext, actor: Actor, input: DownReferralInput): Promise<{ id: string; personId: string }> {
  await requireAccess(ctx, actor, 'referral.discharge', { personId: input.personId });
  const hospitalId = actor.user.institutionId;
  if (!hospitalId) throw forbidden('A hospital doctor refers patients down');
  const person = await ctx.db.selectFrom('person').select(['id', 'region_code']).where('id', '=', input.personId).executeTakeFirst();
  if (!person) throw notFound('No such person');
  const today = shanghaiDate(ctx.now());
  const problems: FieldProblem[] = [];
  if (compareDates(input.dischargeDate, today) > 0) problems.push({ field: 'body.dischargeDate', rule: 'not_in_future', message: `on or before ${today}` });
  const lines = input.continueLines ?? [];
  if (lines.length && !input.sourcePrescriptionNo?.trim())
    problems.push({ field: 'body.sourcePrescriptionNo', rule: 'required_with_continue_lines', message: 'the hospital’s prescription number the continued lines come from' });
  if (problems.length) throw fail(problems);
  const continueLines = continueLinesOf(lines);
  const team = await q.contractedTeam(ctx.db, person.id, today);
  if (!team) throw conflict('not_contracted', 'The patient has no family-doctor contract in force: there is no team to refer down to');
  const up = input.upReferralId ? await q.findReferral(ctx.db, input.upReferralId) : undefined;
  if (input.upReferralId && (!up || up.person_id !== person.id || up.direction !== 'up' || up.to_institution_id !== hospitalId))
    throw fail([{ field: 'body.upReferralId', rule: 'referral_of_person', message: 'an up-referral of this patient to your hospital' }]);
  if (up && up.status !== 'attended') refuseStep('up', up.status, 'complete');
  const hospital = await ctx.db.selectFrom('institution').select('level').where('id', '=', hospitalId).executeTakeFirstOrThrow();
  if (hospital.level !== 'secondary' && hospital.level !== 'tertiary') throw forbidden('A hospital doctor refers patients down');
  const at = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('referral').values((eb) => ({
      person_id: person.id, referral_no: eb.fn<string>('referral_no', [eb.val(hospitalId), eb.val(today)]), direction: 'down', urgency: 'routine',
      reason: '出院下转，回签约团队继续管理', from_institution_id: hospitalId, from_team_id: null, from_user_id: actor.user.id, to_team_id: team.team_id,
      department: input.department?.trim() || up?.appointment_department || up?.department || null, discharge_date: input.dischargeDate,
      discharge_summary: input.dischargeSummary.trim(), source_prescription_no: input.sourcePrescriptionNo?.trim() || null,
      continue_lines: JSON.stringify(continueLines), follow_up_due: followUpDue(input.dischargeDate), up_referral_id: up?.id ?? null,
      county_code: person.region_code.slice(0, 6), requested_at: at,
    })).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('referral_event').values({
      person_id: person.id, referral_id: row.id, at, user_id: actor.user.id, action: 'request', from_status: null, to_status: 'requested', reason: null,
      detail: JSON.stringify({ toTeamId: team.team_id, upReferralId: up?.id ?? null, lines: continueLines.length }),
    }).execute();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'referral', entityId: row.id, personId: person.id, detail: { direction: 'down' } }]);
    if (up) await stepReferral(trx, actor, up, 'complete', at, { completed_at: at }, null, { downReferralId: row.id });
    return { id: row.id, personId: person.id };
  });
}

/** 下转随访: the team's visit on or after discharge (the one named, else the first) marks it followed up. */
export async function followUpReferral(ctx: AppContext, actor: Actor, id: string, visitId: string | null) {
  const r = await answerable(ctx, actor, id);
  if (r.direction !== 'down') refuseStep('up', r.status, 'follow_up');
  if (r.status !== 'requested' && r.status !== 'accepted') refuseStep('down', r.status, 'follow_up');
  const visit = await q.followUpVisit(ctx.db, r.person_id, r.to_team_id!, r.discharge_date!, visitId ?? undefined);
  if (!visit) {
    if (visitId) throw fail([{ field: 'body.visitId', rule: 'visit_after_discharge', message: `a follow-up visit of your team on or after ${r.discharge_date}` }]);
    throw conflict('no_follow_up_visit', `No follow-up visit of the team on or after the discharge (${r.discharge_date}): record the visit first`);
  }
  const at = ctx.now();
  await ctx.db.transaction().execute((trx) =>
    stepReferral(trx, actor, r, 'follow_up', at, { attended_at: at, followed_up_visit_id: visit.id, followed_up_on: visit.visit_date }, null, { visitId: visit.id, visitDate: visit.visit_date }));
}

/** 结束: the hospital closes an attended up-referral; the team a followed-up down-referral (its visit found now if need be). */
export async function completeReferral(ctx: AppContext, actor: Actor, id: string, note: string | null) {
  const r = await answerable(ctx, actor, id);
  if (r.direction === 'down' && (r.status === 'requested' || r.status === 'accepted')) {
    await recordFollowUps(ctx, { referralId: r.id, personId: r.person_id });
    const now = await q.findReferral(ctx.db, id);
    if (now!.status !== 'attended') throw conflict('not_followed_up', `Follow the patient up first (a visit of the team on or after ${r.discharge_date})`);
  }
  const at = ctx.now();
  await ctx.db.transaction().execute((trx) => stepReferral(trx, actor, r, 'complete', at, { completed_at: at }, note));
}

export interface ExtendInput {
  fillPlace: FillPlace;
  fillInstitutionId?: string | null;
  deliveryAddress?: string | null;
  stableReason?: string | null;
  submit?: boolean;
}

/**
 * 转延伸处方: the continued lines become the team's prescription in one step — an extension (延伸处方) of a
 * tertiary hospital's prescription, naming it; a secondary hospital's lines are written as a new
 * prescription of the team (the policy extends only tertiary hospitals' prescriptions).
 */
export async function extendReferral(ctx: AppContext, actor: Actor, id: string, input: ExtendInput) {
  const r = await answerable(ctx, actor, id);
  if (r.direction !== 'down' || !r.continue_lines.length) throw conflict('no_continue_lines', 'The referral carries no prescription to continue');
  if (r.extended_prescription_id) throw conflict('already_extended', 'The continued prescription has been written already');
  if (r.status === 'declined' || r.status === 'expired') refuseStep('down', r.status, 'follow_up');
  const source = await ctx.db.selectFrom('institution').select(['id', 'level']).where('id', '=', r.from_institution_id).executeTakeFirstOrThrow();
  const extended = source.level === 'tertiary';
  const prescriptionId = await writePrescription(ctx, actor, {
    personId: r.person_id, origin: extended ? 'extended' : 'new', source: extended ? { prescriptionNo: r.source_prescription_no!, institutionId: source.id } : null,
    lines: r.continue_lines.map((l) => ({ drugCode: l.drug_code, dose: l.dose_milli / 1000, frequency: l.frequency, daysSupply: l.days_supply })),
    stableReason: input.stableReason ?? null, fillPlace: input.fillPlace, fillInstitutionId: input.fillInstitutionId ?? null,
    deliveryAddress: input.deliveryAddress ?? null, submit: input.submit ?? false,
  });
  const at = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    // linked once: a second extend racing this one finds the link and is refused above on its retry
    const linked = await trx.updateTable('referral').set({ extended_prescription_id: prescriptionId })
      .where('person_id', '=', r.person_id).where('id', '=', r.id).where('extended_prescription_id', 'is', null).returning('status').executeTakeFirst();
    if (!linked) throw conflict('already_extended', 'The continued prescription has been written already');
    await trx.insertInto('referral_event').values({
      person_id: r.person_id, referral_id: r.id, at, user_id: actor.user.id, action: 'extend', from_status: linked.status, to_status: linked.status, reason: null,
      detail: JSON.stringify({ prescriptionId, origin: extended ? 'extended' : 'new' }),
    }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'referral', entityId: r.id, personId: r.person_id, detail: { extend: prescriptionId } }]);
  });
  return prescriptionId;
}
