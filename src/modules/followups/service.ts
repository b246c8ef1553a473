// The annual health check, the patient's chart (the story at a glance) and the patient's own view.
import { refreshPerson } from '../indicators/service';
import { ageOn, compareDates, shanghaiDate, type IsoDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import type { Disease } from '../../engine/followup/classify';
import { dueState, managementStatus, type ManagementVisit } from '../../engine/followup/management';
import { bmiTenths, validateReadings, type Readings } from '../../engine/followup/readings';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { badRequest, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import { seesFullIdNumber } from '../../core/user';
import { eligibilityOf } from '../eligibility/service';
import { maskPhone } from '../people/service';
import { loadPerson, personFor } from './scope';
import { requireAccess } from '../../core/access';
import { toVisitView, visitRows } from './visits';

export interface HealthCheckBody {
  checkDate?: IsoDate;
  readings: Readings & { waistTenthsCm?: number | null };
  labs?: { totalCholesterolTenths?: number | null; ldlTenths?: number | null; creatinineUmol?: number | null };
  ecg?: 'normal' | 'abnormal' | 'not_done';
  fundus?: 'normal' | 'abnormal' | 'not_done';
  findings?: string;
}

export async function recordHealthCheck(ctx: AppContext, actor: Actor, personId: string, body: HealthCheckBody) {
  const user = actor.user;
  await requireAccess(ctx, actor, 'person.followUp.write', { personId });
  const today = shanghaiDate(ctx.now());
  const checkDate = body.checkDate ?? today;
  if (compareDates(checkDate, today) > 0) throw badRequest('A check cannot be recorded ahead of its day', [{ field: 'body.checkDate', rule: 'not_in_future', message: `on or before ${today}` }]);
  const { waistTenthsCm, ...readings } = body.readings;
  const problems = validateReadings(readings).map((e) => ({ field: `body.readings.${e.field}`, rule: e.rule, message: e.message }));
  if (waistTenthsCm != null && (!Number.isInteger(waistTenthsCm) || waistTenthsCm < 300 || waistTenthsCm > 2000))
    problems.push({ field: 'body.readings.waistTenthsCm', rule: Number.isInteger(waistTenthsCm) ? (waistTenthsCm < 300 ? 'min' : 'max') : 'integer', message: '腰围应在 30.0 至 200.0 cm 之间' });
  if (problems.length) throw badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
  return ctx.db.transaction().execute(async (trx) => {
    const person = await loadPerson(trx, personId);
    if (compareDates(checkDate, person.birth_date) < 0) throw badRequest('The check is before the birth date', [{ field: 'body.checkDate', rule: 'after_birth', message: `on or after ${person.birth_date}` }]);
    const row = await trx
      .insertInto('health_check')
      .values({
        person_id: personId, check_date: checkDate, systolic: readings.systolic ?? null, diastolic: readings.diastolic ?? null, heart_rate: readings.heartRate ?? null,
        weight_tenths_kg: readings.weightTenthsKg ?? null, height_tenths_cm: readings.heightTenthsCm ?? null,
        bmi_tenths: readings.weightTenthsKg && readings.heightTenthsCm ? bmiTenths(readings.weightTenthsKg, readings.heightTenthsCm) : null,
        waist_tenths_cm: waistTenthsCm ?? null, fasting_glucose_tenths: readings.fastingGlucoseTenths ?? null, hba1c_tenths: readings.hba1cTenths ?? null,
        total_cholesterol_tenths: body.labs?.totalCholesterolTenths ?? null, ldl_tenths: body.labs?.ldlTenths ?? null, creatinine_umol: body.labs?.creatinineUmol ?? null,
        ecg: body.ecg ?? null, fundus: body.fundus ?? null, findings: body.findings ?? null, recorded_by: user.id, team_id: user.teamId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'health_check', entityId: row.id, personId }]);
    await refreshPerson(trx, personId, checkDate);
    return healthCheckView(row);
  });
}

type HealthCheckRow = Awaited<ReturnType<typeof healthChecksOf>>[number];
const healthChecksOf = (db: Database, personId: string) =>
  db.selectFrom('health_check').selectAll().where('person_id', '=', personId).orderBy('check_date', 'desc').limit(50).execute();

function healthCheckView(h: HealthCheckRow) {
  return {
    id: h.id, checkDate: h.check_date,
    readings: {
      systolic: h.systolic, diastolic: h.diastolic, heartRate: h.heart_rate, weightTenthsKg: h.weight_tenths_kg, heightTenthsCm: h.height_tenths_cm,
      bmiTenths: h.bmi_tenths, waistTenthsCm: h.waist_tenths_cm, fastingGlucoseTenths: h.fasting_glucose_tenths, hba1cTenths: h.hba1c_tenths,
    },
    labs: { totalCholesterolTenths: h.total_cholesterol_tenths, ldlTenths: h.ldl_tenths, creatinineUmol: h.creatinine_umol },
    ecg: h.ecg, fundus: h.fundus, findings: h.findings,
  };
}

const remindersOf = (db: Database, personId: string) =>
  db.selectFrom('followup_reminder').select(['id', 'kind', 'due_date', 'channel', 'status', 'message', 'created_at']).where('person_id', '=', personId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(50).execute();

const reminderView = (r: Awaited<ReturnType<typeof remindersOf>>[number]) => ({
  id: Number(r.id), kind: r.kind, dueDate: r.due_date, channel: r.channel, status: r.status, message: r.message, createdAt: new Date(r.created_at).toISOString(),
});

/** Targets drawn on the trend charts, at the patient's age today. */
export function targetsFor(age: number) {
  return { bp: { systolicBelow: age >= 65 ? 150 : 140, diastolicBelow: 90 }, fastingGlucoseTenthsBelow: 70 };
}

type Visits = Awaited<ReturnType<typeof visitRows>>;

function series(visits: Visits) {
  const asc = [...visits].reverse();
  return {
    bp: asc.filter((v) => v.systolic !== null).map((v) => ({ date: v.visit_date, systolic: v.systolic!, diastolic: v.diastolic! })),
    glucose: asc.filter((v) => v.fasting_glucose_tenths !== null || v.hba1c_tenths !== null)
      .map((v) => ({ date: v.visit_date, fastingGlucoseTenths: v.fasting_glucose_tenths, hba1cTenths: v.hba1c_tenths })),
  };
}

async function followupFacts(db: Database, personId: string) {
  const [visits, checks, reminders, state, conditions] = await Promise.all([
    visitRows(db, personId),
    healthChecksOf(db, personId),
    remindersOf(db, personId),
    db.selectFrom('followup_state').selectAll().where('person_id', '=', personId).executeTakeFirst(),
    db.selectFrom('person_condition as pc').innerJoin('disease as d', 'd.code', 'pc.disease_code').select(['d.code', 'd.name_zh', 'pc.diagnosed_on', 'pc.source']).where('pc.person_id', '=', personId).execute(),
  ]);
  return { visits, checks, reminders, state, conditions };
}

/** How many of a person's imported readings the chart shows: the latest. */
const IMPORTED_READINGS_SHOWN = 50;

/**
 * What hospitals' systems sent (FHIR import, docs/fhir.md): their readings, latest first, and the outside
 * medication list. Shown beside the follow-ups, never mixed into them: an imported reading is not a visit, so
 * it is in neither the series nor the management status.
 */
async function importedFacts(db: Database, personId: string) {
  const [readings, medications] = await Promise.all([
    db.selectFrom('imported_reading').select(['kind', 'reading_date', 'value', 'value2', 'source_system']).where('person_id', '=', personId)
      .orderBy('reading_date', 'desc').orderBy('kind').orderBy('source_id').limit(IMPORTED_READINGS_SHOWN).execute(),
    db.selectFrom('outside_medication as m').leftJoin('drug as d', 'd.code', 'm.drug_code')
      .select(['m.text', 'm.drug_code', 'd.generic_name_zh', 'm.status', 'm.authored_on', 'm.source_system']).where('m.person_id', '=', personId)
      .orderBy('m.authored_on', (o) => o.desc().nullsLast()).orderBy('m.source_system').orderBy('m.source_id').execute(),
  ]);
  return {
    importedReadings: readings.map((r) => ({ kind: r.kind, date: r.reading_date, value: r.value, value2: r.value2, sourceSystem: r.source_system })),
    outsideMedications: medications.map((m) => ({
      text: m.text, drugCode: m.drug_code, drugName: m.generic_name_zh, status: m.status, authoredOn: m.authored_on, sourceSystem: m.source_system,
    })),
  };
}

function management(visits: Visits, checkDates: IsoDate[], birthDate: IsoDate, diseases: string[], today: IsoDate) {
  const mv: ManagementVisit[] = visits.map((v) => ({
    date: v.visit_date, mode: v.mode, diseases: v.diseases as Disease[],
    readings: { systolic: v.systolic, diastolic: v.diastolic, fastingGlucoseTenths: v.fasting_glucose_tenths },
  }));
  return (['hypertension', 'diabetes'] as const)
    .filter((d) => diseases.includes(d))
    .map((disease) => managementStatus({ disease, year: Number(today.slice(0, 4)), birthDate, visits: mv, annualCheckDates: checkDates, asOf: today }));
}

function due(state: { last_visit_date: string; next_visit_date: string } | undefined, today: IsoDate) {
  return state ? dueState(state.last_visit_date, state.next_visit_date, today) : null;
}

export async function chart(ctx: AppContext, actor: Actor, personId: string) {
  const user = actor.user;
  const person = await personFor(ctx, actor, 'person.chart.read', personId);
  const today = shanghaiDate(ctx.now());
  const [facts, imported, eligibility] = await Promise.all([followupFacts(ctx.db, personId), importedFacts(ctx.db, personId), eligibilityOf(ctx, personId, today)]);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'followup_chart', personId }]);
  const age = ageOn(person.birth_date, today);
  const diseases = facts.conditions.map((c) => c.code);
  const dueNow = due(facts.state, today);
  const last = facts.visits[0];
  const flags: string[] = [];
  if (age >= 65) flags.push('age_65_plus');
  if (diseases.includes('hypertension') && diseases.includes('diabetes')) flags.push('both_diseases');
  if (!eligibility.contract) flags.push('no_contract');
  if (facts.state?.last_controlled === false) flags.push('uncontrolled');
  if (facts.state && (facts.state.last_action === 'refer_and_check' || facts.state.last_action === 'urgent_referral')) flags.push(facts.state.last_action === 'urgent_referral' ? 'urgent_referral' : 'referral_pending');
  if (last && last.adverse_reaction !== 'none') flags.push('adverse_reaction');
  if (dueNow?.state === 'overdue') flags.push('overdue');
  if (!last) flags.push('never_followed_up');
  return {
    person: {
      id: person.id, name: person.name, sex: person.sex, birthDate: person.birth_date, age,
      idNumber: seesFullIdNumber(user, person.id) ? person.id_number : maskResidentId(person.id_number),
      phone: person.phone && (user.role === 'analyst' ? maskPhone(person.phone) : person.phone), region: { code: person.region_code, name: person.region_name },
    },
    conditions: facts.conditions.map((c) => ({ code: c.code, name: c.name_zh, diagnosedOn: c.diagnosed_on, source: c.source })),
    contract: eligibility.contract,
    registrations: eligibility.registrations,
    riskFlags: flags,
    targets: targetsFor(age),
    series: series(facts.visits),
    visits: facts.visits.map(toVisitView),
    healthChecks: facts.checks.map(healthCheckView),
    prescription: eligibility.prescription,
    reminders: facts.reminders.map(reminderView),
    nextVisit: dueNow && { dueDate: dueNow.dueDate, state: dueNow.state, daysOverdue: dueNow.daysOverdue, daysUntilDue: dueNow.daysUntilDue },
    management: management(facts.visits, facts.checks.map((c) => c.check_date), person.birth_date, diseases, today),
    ...imported,
  };
}

/** The patient's own readings and next visit. */
export async function myFollowups(ctx: AppContext, actor: Actor) {
  const personId = actor.user.personId;
  await requireAccess(ctx, actor, 'own.read', { personId });
  if (!personId) throw notFound('No such person');
  const person = (await ctx.db.selectFrom('person').select(['birth_date']).where('id', '=', personId).executeTakeFirstOrThrow());
  const today = shanghaiDate(ctx.now());
  const facts = await followupFacts(ctx.db, personId);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'followup_visit', personId }]);
  const dueNow = due(facts.state, today);
  return {
    targets: targetsFor(ageOn(person.birth_date, today)),
    nextVisit: dueNow && { dueDate: dueNow.dueDate, state: dueNow.state, daysOverdue: dueNow.daysOverdue, daysUntilDue: dueNow.daysUntilDue },
    series: series(facts.visits),
    visits: facts.visits.map((v) => ({
      visitDate: v.visit_date, mode: v.mode, diseases: v.diseases, systolic: v.systolic, diastolic: v.diastolic, heartRate: v.heart_rate,
      fastingGlucoseTenths: v.fasting_glucose_tenths, hba1cTenths: v.hba1c_tenths, classification: v.final_classification, nextVisitDate: v.final_next_visit_date,
    })),
    management: management(facts.visits, facts.checks.map((c) => c.check_date), person.birth_date, facts.conditions.map((c) => c.code), today),
  };
}

export async function myReminders(ctx: AppContext, actor: Actor) {
  const personId = actor.user.personId;
  await requireAccess(ctx, actor, 'own.read', { personId });
  if (!personId) throw notFound('No such person');
  const rows = await remindersOf(ctx.db, personId);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'followup_reminder', personId }]);
  return rows.map(reminderView);
}
