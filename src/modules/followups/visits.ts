// Recording a follow-up visit: the engine classifies it and sets the next date (src/engine/followup),
// the doctor may override with a reason, and the patient's follow-up state (what the worklists and the
// reminder job read) moves on in the same transaction.
import { refreshPerson } from '../indicators/service';
import { sql } from 'kysely';
import { ageOn, compareDates, shanghaiDate, type IsoDate } from '../../engine/calendar';
import {
  applyOverride, classifyVisit, InvalidVisitError, isControlled,
  type Classification, type ClassifyResult, type Disease, type PreviousVisit,
} from '../../engine/followup/classify';
import { bmiTenths, type Readings } from '../../engine/followup/readings';
import type { StoredUrgentSign, UrgentSign } from '../../engine/followup/urgentSigns';
import type { Database } from '../../db/connect';
import type { FollowupAction, FollowupClassification } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { badRequest, type FieldProblem } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import { loadPerson, personFor } from './scope';
import { requireAccess } from '../../core/access';

export type VisitMode = 'clinic' | 'home' | 'phone' | 'online';

export interface Lifestyle {
  smokingPerDay?: number | null;
  drinkingMlPerDay?: number | null;
  exercisePerWeek?: number | null;
  exerciseMinutes?: number | null;
  saltIntake?: 'light' | 'moderate' | 'heavy' | null;
  stapleFoodGPerDay?: number | null;
  mentalState?: 'good' | 'fair' | 'poor' | null;
  adherence?: 'regular' | 'intermittent' | 'none' | null;
}

export interface VisitBody {
  visitDate?: IsoDate;
  diseases: Disease[];
  mode: VisitMode;
  symptoms?: string[];
  readings: Readings;
  lifestyle?: Lifestyle;
  drugs?: Array<{ name: string; dose?: string; frequency?: string }>;
  adverseReaction?: 'none' | 'present' | 'hard_to_control';
  adverseReactionNote?: string;
  complication?: 'none' | 'new_or_worse';
  urgentSigns?: UrgentSign[];
  referralAdvice?: string;
  note?: string;
  override?: { classification?: Classification; nextVisitDate?: IsoDate; reason?: string };
}

const DEFAULT_REFERRAL: Partial<Record<FollowupAction, string>> = {
  refer_and_check: '建议转诊至上级医院，2周内随访了解转诊结果',
  urgent_referral: '紧急转诊至上级医院',
};

/**
 * What the rules need from earlier visits: per disease, the latest earlier visit covering it — its date and
 * readings (the engine judges "two in a row" on that disease's readings) and the doctor's override.
 */
export async function previousVisits(db: Database, personId: string, before: IsoDate) {
  const rows = await db
    .selectFrom('followup_visit')
    .select(['visit_date', 'diseases', 'systolic', 'diastolic', 'fasting_glucose_tenths', 'override_classification'])
    .where('person_id', '=', personId)
    .where('visit_date', '<', before)
    .orderBy('visit_date', 'desc')
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
  const previous: Partial<Record<Disease, PreviousVisit>> = {};
  for (const disease of ['hypertension', 'diabetes'] as const) {
    const row = rows.find((r) => r.diseases.includes(disease));
    if (!row) continue;
    previous[disease] = {
      visitDate: row.visit_date,
      readings: { systolic: row.systolic, diastolic: row.diastolic, fastingGlucoseTenths: row.fasting_glucose_tenths },
      override: row.override_classification,
    };
  }
  return previous;
}

/** Visit-level control: false if any covered disease is uncontrolled, null if none had its reading. */
export function visitControlled(diseases: readonly string[], readings: Readings, age: number): boolean | null {
  let result: boolean | null = null;
  for (const d of diseases) {
    const c = isControlled(d as Disease, readings, age);
    if (c === false) return false;
    if (c === true) result = true;
  }
  return result;
}

/** Re-derives the patient's follow-up state from the latest visit (by date, then by entry). */
export async function refreshState(db: Database, personId: string, birthDate: IsoDate) {
  const last = await db
    .selectFrom('followup_visit')
    .select(['id', 'visit_date', 'diseases', 'final_classification', 'final_next_visit_date', 'action', 'systolic', 'diastolic', 'fasting_glucose_tenths'])
    .where('person_id', '=', personId)
    .orderBy('visit_date', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) return;
  const controlled = visitControlled(last.diseases, { systolic: last.systolic, diastolic: last.diastolic, fastingGlucoseTenths: last.fasting_glucose_tenths }, ageOn(birthDate, last.visit_date));
  const row = {
    person_id: personId, last_visit_id: last.id, last_visit_date: last.visit_date, next_visit_date: last.final_next_visit_date,
    due_date: last.final_next_visit_date, last_classification: last.final_classification, last_action: last.action, last_controlled: controlled,
  };
  await db.insertInto('followup_state').values(row).onConflict((oc) => oc.column('person_id').doUpdateSet(row)).execute();
}

function overrideProblems(body: VisitBody, visitDate: IsoDate): FieldProblem[] {
  const o = body.override;
  if (!o) return [];
  const problems: FieldProblem[] = [];
  if (!o.reason || !o.reason.trim()) problems.push({ field: 'body.override.reason', rule: 'required', message: 'an override needs a reason (覆盖系统判定须填写理由)' });
  if (o.classification === undefined && o.nextVisitDate === undefined)
    problems.push({ field: 'body.override', rule: 'changes_something', message: 'an override changes the classification or the next visit date' });
  if (o.nextVisitDate !== undefined && compareDates(o.nextVisitDate, visitDate) <= 0)
    problems.push({ field: 'body.override.nextVisitDate', rule: 'after_visit', message: `the next visit date must be after the visit (${visitDate})` });
  return problems;
}

export async function recordVisit(ctx: AppContext, actor: Actor, personId: string, body: VisitBody) {
  const user = actor.user;
  await requireAccess(ctx, actor, 'person.followUp.write', { personId });
  const today = shanghaiDate(ctx.now());
  const visitDate = body.visitDate ?? today;
  if (compareDates(visitDate, today) > 0)
    throw badRequest('A visit cannot be recorded ahead of its day', [{ field: 'body.visitDate', rule: 'not_in_future', message: `on or before ${today}` }]);

  return ctx.db.transaction().execute(async (trx) => {
    const person = await loadPerson(trx, personId);
    // one visit recorded for a person at a time, so "previous" and the state never race
    await sql`select id from person where id = ${personId} for update`.execute(trx);
    if (compareDates(visitDate, person.birth_date) < 0)
      throw badRequest('The visit is before the birth date', [{ field: 'body.visitDate', rule: 'after_birth', message: `on or after ${person.birth_date}` }]);
    const problems = overrideProblems(body, visitDate);
    const readings: Readings = { ...body.readings };
    const urgentSigns = [...new Set(body.urgentSigns ?? [])];
    let result: ClassifyResult;
    try {
      result = classifyVisit({
        visitDate, birthDate: person.birth_date, diseases: body.diseases, readings,
        adverseReaction: body.adverseReaction ?? 'none', complication: body.complication ?? 'none', urgentSigns,
        previous: await previousVisits(trx, personId, visitDate),
      });
    } catch (e) {
      if (!(e instanceof InvalidVisitError)) throw e;
      const fields: FieldProblem[] = e.errors.map((x) => ({ field: `body.readings.${x.field}`, rule: x.rule, message: x.message }));
      throw badRequest(fields.concat(problems).map((p) => `${p.field}: ${p.message}`).join('; '), fields.concat(problems));
    }
    if (problems.length) throw badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
    const final = body.override ? applyOverride(result, { classification: body.override.classification, nextVisitDate: body.override.nextVisitDate, reason: body.override.reason! }) : result;
    const bmi = readings.weightTenthsKg && readings.heightTenthsCm ? bmiTenths(readings.weightTenthsKg, readings.heightTenthsCm) : null;
    const l = body.lifestyle ?? {};
    const referral = body.referralAdvice?.trim() || DEFAULT_REFERRAL[result.action] || null;
    const inserted = await trx
      .insertInto('followup_visit')
      .values({
        person_id: personId, visit_date: visitDate, diseases: [...new Set(body.diseases)], mode: body.mode, symptoms: body.symptoms ?? [],
        systolic: readings.systolic ?? null, diastolic: readings.diastolic ?? null, heart_rate: readings.heartRate ?? null,
        weight_tenths_kg: readings.weightTenthsKg ?? null, height_tenths_cm: readings.heightTenthsCm ?? null, bmi_tenths: bmi,
        fasting_glucose_tenths: readings.fastingGlucoseTenths ?? null, hba1c_tenths: readings.hba1cTenths ?? null,
        smoking_per_day: l.smokingPerDay ?? null, drinking_ml_per_day: l.drinkingMlPerDay ?? null, exercise_per_week: l.exercisePerWeek ?? null,
        exercise_minutes: l.exerciseMinutes ?? null, salt_intake: l.saltIntake ?? null, staple_food_g_per_day: l.stapleFoodGPerDay ?? null,
        mental_state: l.mentalState ?? null, adherence: l.adherence ?? null,
        drugs: JSON.stringify(body.drugs ?? []), adverse_reaction: body.adverseReaction ?? 'none', adverse_reaction_note: body.adverseReactionNote ?? null,
        complication: body.complication ?? 'none', urgent_signs: urgentSigns,
        classification: result.classification, action: result.action, next_visit_date: result.nextVisitDate,
        per_disease: JSON.stringify(result.perDisease.map((p) => ({ disease: p.disease, classification: p.classification, action: p.action, nextVisitDate: p.nextVisitDate }))),
        reasons: JSON.stringify(result.codes.map((code, i) => ({ code, text: result.reasons[i] }))),
        override_classification: final.override?.classification?.to ?? null,
        override_next_visit_date: final.override?.nextVisitDate?.to ?? null,
        override_reason: final.override?.reason ?? null,
        referral_advice: referral, note: body.note ?? null, recorded_by: user.id, team_id: user.teamId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await refreshState(trx, personId, person.birth_date);
    await refreshPerson(trx, personId, visitDate);
    await writeAudit(trx, actor, [{ action: 'create', entity: 'followup_visit', entityId: inserted.id, personId, detail: { classification: final.classification, override: !!final.override } }]);
    const [row] = await visitRows(trx, personId, inserted.id);
    return toVisitView(row);
  });
}

export function visitRows(db: Database, personId: string, id?: string) {
  return db
    .selectFrom('followup_visit as v')
    .leftJoin('app_user as u', 'u.id', 'v.recorded_by')
    .selectAll('v')
    .select('u.display_name as recorded_by_name')
    .where('v.person_id', '=', personId)
    .$if(id !== undefined, (qb) => qb.where('v.id', '=', id!))
    .orderBy('v.visit_date', 'desc')
    .orderBy('v.created_at', 'desc')
    .limit(500)
    .execute();
}

type VisitRow = Awaited<ReturnType<typeof visitRows>>[number];

export function toVisitView(v: VisitRow) {
  return {
    id: v.id,
    visitDate: v.visit_date,
    diseases: v.diseases,
    mode: v.mode,
    symptoms: v.symptoms,
    readings: {
      systolic: v.systolic, diastolic: v.diastolic, heartRate: v.heart_rate, weightTenthsKg: v.weight_tenths_kg, heightTenthsCm: v.height_tenths_cm,
      bmiTenths: v.bmi_tenths, fastingGlucoseTenths: v.fasting_glucose_tenths, hba1cTenths: v.hba1c_tenths,
    },
    lifestyle: {
      smokingPerDay: v.smoking_per_day, drinkingMlPerDay: v.drinking_ml_per_day, exercisePerWeek: v.exercise_per_week, exerciseMinutes: v.exercise_minutes,
      saltIntake: v.salt_intake, stapleFoodGPerDay: v.staple_food_g_per_day, mentalState: v.mental_state, adherence: v.adherence,
    },
    drugs: v.drugs,
    adverseReaction: v.adverse_reaction,
    adverseReactionNote: v.adverse_reaction_note,
    complication: v.complication,
    urgentSigns: v.urgent_signs as StoredUrgentSign[], // the CHECK allows only these
    rules: { classification: v.classification, action: v.action, nextVisitDate: v.next_visit_date, perDisease: v.per_disease, reasons: v.reasons },
    override: v.override_reason
      ? { classification: v.override_classification, nextVisitDate: v.override_next_visit_date, reason: v.override_reason }
      : null,
    classification: v.final_classification as FollowupClassification,
    action: v.action,
    nextVisitDate: v.final_next_visit_date,
    referralAdvice: v.referral_advice,
    note: v.note,
    recordedBy: v.recorded_by_name,
    teamId: v.team_id,
    createdAt: new Date(v.created_at).toISOString(),
  };
}

export async function listVisits(ctx: AppContext, actor: Actor, personId: string) {
  await personFor(ctx, actor, 'person.chart.read', personId);
  const rows = await visitRows(ctx.db, personId);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'followup_visit', personId }]);
  return rows.map(toVisitView);
}
