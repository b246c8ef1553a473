// Up-referral (上转): the family doctor refers a contracted patient to a secondary or tertiary hospital —
// in one step from a follow-up visit's referral advice — with the reason, the urgency, the clinical
// summary and a snapshot of the current medication; the hospital's doctor accepts with the appointment
// and the four priorities (四优先), or declines with a reason, records that the patient came, and closes it.
import { compareDates, shanghaiDate } from '../../engine/calendar';
import { answerExpiry, attendExpiry, clinicalSummaryOf, departmentFor, urgencyOfVisitAction, type Urgency } from '../../engine/referral/rules';
import type { PrescriptionSnapshot, ReferralPriority } from '../../db/schema';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { badRequest, conflict, forbidden, notFound } from '../../core/problem';
import { drugCatalogue } from '../prescriptions/service';
import * as q from './queries';
import { refuseStep, stepReferral } from './steps';

export interface UpReferralInput {
  personId: string;
  toInstitutionId: string;
  fromVisitId?: string | null;
  urgency?: Urgency | null;
  reason?: string | null;
  department?: string | null;
  requestedDate?: string | null;
  clinicalSummary?: string | null;
}

const fail = (field: string, rule: string, message: string) => badRequest(message, [{ field: `body.${field}`, rule, message }]);

/** A secondary or tertiary hospital: the levels that receive up-referrals. */
export async function referralHospital(db: Database, id: string | null | undefined, field: string) {
  const inst = id ? await db.selectFrom('institution').select(['id', 'level', 'county_code']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!inst || (inst.level !== 'secondary' && inst.level !== 'tertiary'))
    throw fail(field, 'referral_hospital', 'a secondary or tertiary hospital (a grassroots institution or a pharmacy receives no up-referral)');
  return inst;
}

const FREQUENCY_ZH: Record<string, string> = { qd: '每日1次', bid: '每日2次', tid: '每日3次', qid: '每日4次', qn: '每晚1次', qw: '每周1次' };

/** What the patient takes now, as the receiving doctor reads it: the prescriptions still supplying, and the registration's continuous prescription. */
async function medicationSnapshot(db: Database, personId: string, today: string): Promise<PrescriptionSnapshot[]> {
  const { prescriptions, continuous } = await q.currentMedication(db, personId, today);
  const name = (code: string) => drugCatalogue().get(code)?.genericNameZh ?? code;
  const unit = (code: string) => drugCatalogue().get(code)?.unit ?? '';
  const out: PrescriptionSnapshot[] = [];
  for (const p of prescriptions) {
    let snap = out.find((s) => s.prescriptionNo === p.prescription_no);
    if (!snap) out.push((snap = { source: 'prescription', prescriptionNo: p.prescription_no, writtenOn: p.written_on, lines: [] }));
    snap.lines.push({ drugCode: p.drug_code, drugName: name(p.drug_code), dose: `${p.dose_milli / 1000}${unit(p.drug_code)}`, frequency: FREQUENCY_ZH[p.frequency] ?? p.frequency, daysSupply: p.days_supply });
  }
  if (continuous.length)
    out.push({ source: 'continuous', prescriptionNo: null, writtenOn: null, lines: continuous.map((c) => ({ drugCode: c.drug_code, drugName: name(c.drug_code), dose: c.dose, frequency: c.frequency, daysSupply: c.days_supply })) });
  return out;
}

/** 上转: a referral to a hospital, from a visit's advice when `fromVisitId` is given. */
export async function referUp(ctx: AppContext, actor: Actor, input: UpReferralInput): Promise<{ id: string; personId: string }> {
  await requireAccess(ctx, actor, 'referral.create', { personId: input.personId });
  const { teamId, institutionId } = actor.user;
  if (!teamId || !institutionId) throw forbidden('A family doctor of a team refers patients');
  const person = await ctx.db.selectFrom('person').select(['id', 'region_code']).where('id', '=', input.personId).executeTakeFirst();
  if (!person) throw notFound('No such person');
  const today = shanghaiDate(ctx.now());
  const hospital = await referralHospital(ctx.db, input.toInstitutionId, 'toInstitutionId');
  const visit = input.fromVisitId
    ? await ctx.db.selectFrom('followup_visit').selectAll().where('person_id', '=', person.id).where('id', '=', input.fromVisitId).executeTakeFirst()
    : undefined;
  if (input.fromVisitId && !visit) throw fail('fromVisitId', 'visit_of_person', 'a follow-up visit of this patient');
  if (input.requestedDate && compareDates(input.requestedDate, today) < 0) throw fail('requestedDate', 'not_before_today', `on or after ${today}`);
  const reason = input.reason?.trim() || visit?.referral_advice?.trim() || '';
  if (reason.length < 2) throw fail('reason', 'reason_required', 'the reason for the referral (or a visit with referral advice)');
  const conditions = visit ? visit.diseases : (await ctx.db.selectFrom('person_condition').select('disease_code').where('person_id', '=', person.id).execute()).map((c) => c.disease_code);
  const urgency: Urgency = input.urgency ?? (visit ? urgencyOfVisitAction(visit.action) : null) ?? 'routine';
  const summary = input.clinicalSummary?.trim() || (visit
    ? clinicalSummaryOf({
        visitDate: visit.visit_date, diseases: visit.diseases, systolic: visit.systolic, diastolic: visit.diastolic, fastingGlucoseTenths: visit.fasting_glucose_tenths,
        hba1cTenths: visit.hba1c_tenths, classification: visit.final_classification, urgentSigns: visit.urgent_signs, reasons: visit.reasons,
      })
    : null);
  const prescriptions = await medicationSnapshot(ctx.db, person.id, today);
  const at = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    // one referral per visit, one in force per hospital (the unique indexes hold it under races too)
    if (visit && (await trx.selectFrom('referral').select('id').where('person_id', '=', person.id).where('followup_visit_id', '=', visit.id).executeTakeFirst()))
      throw conflict('referral_from_visit_used', 'This visit’s referral advice has been made into a referral already');
    const open = await trx.selectFrom('referral').select('id').where('person_id', '=', person.id).where('direction', '=', 'up')
      .where('to_institution_id', '=', hospital.id).where('status', 'in', ['requested', 'accepted', 'attended']).executeTakeFirst();
    if (open) throw conflict('referral_open', 'The patient has a referral to this hospital in force already');
    const row = await trx.insertInto('referral').values((eb) => ({
      person_id: person.id, referral_no: eb.fn<string>('referral_no', [eb.val(institutionId), eb.val(today)]), direction: 'up', urgency, reason,
      from_institution_id: institutionId, from_team_id: teamId, from_user_id: actor.user.id, to_institution_id: hospital.id,
      department: input.department?.trim() || departmentFor(conditions), requested_date: input.requestedDate ?? null, clinical_summary: summary,
      prescriptions: JSON.stringify(prescriptions), followup_visit_id: visit?.id ?? null, county_code: person.region_code.slice(0, 6),
      requested_at: at, expires_on: answerExpiry(today),
    })).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('referral_event').values({
      person_id: person.id, referral_id: row.id, at, user_id: actor.user.id, action: 'request', from_status: null, to_status: 'requested', reason: null,
      detail: JSON.stringify({ urgency, toInstitutionId: hospital.id, fromVisitId: visit?.id ?? null }),
    }).execute();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'referral', entityId: row.id, personId: person.id, detail: { direction: 'up', urgency, fromVisit: !!visit } }]);
    return { id: row.id, personId: person.id };
  });
}

/** The referral, once the caller may answer for its side: the receiving hospital of an up-, the receiving team of a down-referral. */
export async function answerable(ctx: AppContext, actor: Actor, id: string) {
  const r = await q.findReferral(ctx.db, id);
  if (r?.direction === 'down') await requireAccess(ctx, actor, 'referral.followUp', { teamId: r.to_team_id, personId: r.person_id });
  else await requireAccess(ctx, actor, 'referral.handle', { institutionId: r?.to_institution_id ?? null, personId: r?.person_id ?? null });
  if (!r) throw notFound('No such referral');
  return r;
}

export interface AcceptInput {
  appointmentDate?: string | null;
  department?: string | null;
  priorities?: ReferralPriority[];
}

/** 接诊: the hospital schedules the appointment and gives the priorities; the team acknowledges a down-referral. */
export async function acceptReferral(ctx: AppContext, actor: Actor, id: string, input: AcceptInput) {
  const r = await answerable(ctx, actor, id);
  const today = shanghaiDate(ctx.now());
  if (r.direction === 'up') {
    if (!input.appointmentDate) throw fail('appointmentDate', 'appointment_required', 'the appointment date the hospital gives');
    if (compareDates(input.appointmentDate, today) < 0) throw fail('appointmentDate', 'not_before_today', `on or after ${today}`);
  }
  const priorities = [...new Set(input.priorities ?? [])];
  const at = ctx.now();
  await ctx.db.transaction().execute((trx) =>
    stepReferral(trx, actor, r, 'accept', at, {
      accepted_at: at, accepted_by: actor.user.id,
      ...(r.direction === 'up'
        ? { appointment_date: input.appointmentDate!, appointment_department: input.department?.trim() || r.department, priorities, expires_on: attendExpiry(input.appointmentDate!) }
        : {}),
    }, null, r.direction === 'up' ? { appointmentDate: input.appointmentDate, priorities } : undefined));
}

/** 拒绝: with the reason the sending side reads. */
export async function declineReferral(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const r = await answerable(ctx, actor, id);
  const at = ctx.now();
  await ctx.db.transaction().execute((trx) => stepReferral(trx, actor, r, 'decline', at, { declined_at: at, declined_by: actor.user.id, decline_reason: reason, expires_on: null }, reason));
}

/** 就诊: the patient came to the hospital. */
export async function attendReferral(ctx: AppContext, actor: Actor, id: string) {
  const r = await answerable(ctx, actor, id);
  if (r.direction === 'down') refuseStep('down', r.status, 'attend');
  const at = ctx.now();
  await ctx.db.transaction().execute((trx) => stepReferral(trx, actor, r, 'attend', at, { attended_at: at, expires_on: null }));
}
