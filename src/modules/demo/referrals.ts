// The demo city's two-way referrals (双向转诊), planted after the programme is loaded: a `specialist`
// (医院医生) at the city's tertiary hospital and `specialist-<county code>` at each county hospital, then
// up-referrals in every state — the urgent ones and the refer-and-check ones made from the visits that
// advised them, some waiting for days — and down-referrals after discharge, some followed up in time by
// the team's visit, some overdue. Deterministic: the candidates are read in id order and the choices
// drawn from a stream of their own, so the rest of the demo city is the same with or without them.
import { sql } from 'kysely';
import { addDays, compareDates, daysBetween } from '../../engine/calendar';
import { answerExpiry, attendExpiry, clinicalSummaryOf, departmentFor, followUpDue, urgencyOfVisitAction } from '../../engine/referral/rules';
import type { Database } from '../../db/connect';
import type { PrescriptionSnapshot, ReferralPriority, ReferralStatus } from '../../db/schema';
import { recordFollowUps } from '../referrals/service';
import type { DemoCity } from './city';
import { Random } from './random';

interface Candidate {
  person_id: string;
  region_code: string;
  team_id: string;
  team_institution_id: string;
  doctor_user_id: string;
  visit_id: string | null;
  visit_date: string | null;
  action: string | null;
  referral_advice: string | null;
  diseases: string[] | null;
  systolic: number | null;
  diastolic: number | null;
  fasting_glucose_tenths: number | null;
  hba1c_tenths: number | null;
  classification: string | null;
  urgent_signs: string[] | null;
  reasons: Array<{ text: string }> | null;
}

const at = (date: string, hour: number) => `${date}T${String(hour).padStart(2, '0')}:${String((hour * 7) % 60).padStart(2, '0')}:00+08:00`;
/** How many of the demo doctor's team's patients get a referral. */
const DEMO_TEAM_SHARE = 4;
const ALL_PRIORITIES: ReferralPriority[] = ['appointment', 'examination', 'admission', 'bed'];
const DECLINE_REASONS = ['专科号源已满，请转至县人民医院', '患者病情宜先在基层调整用药，两周后复诊', '所需检查本院暂不能开展'];
const ROUTINE_REASONS = ['血压波动较大，需专科评估调整方案', '血糖控制欠佳，建议内分泌专科就诊', '需行动态血压监测及靶器官损害评估'];

/** The hospitals' doctors: one demo user per hospital. */
function specialists(city: DemoCity) {
  return city.institutions.filter((i) => i.level === 'tertiary' || i.level === 'secondary').map((h) => {
    const doctor = city.practitioners.find((p) => p.institution_id === h.id && p.profession === 'doctor');
    return {
      username: h.level === 'tertiary' ? 'specialist' : `specialist-${h.county_code}`,
      display_name: doctor ? doctor.name : `${h.name}医生`, role: 'specialist' as const, institution_id: h.id, practitioner_id: doctor?.id ?? null, level: h.level, county: h.county_code,
    };
  });
}

/** Contracted patients with their team's latest visit: those whose visit advised a referral in the last 120 days, or anyone (the demo doctor's team first). */
async function candidates(db: Database, asOf: string, limit: number, firstTeam: string, advised: boolean) {
  const { rows } = await sql<Candidate>`
    select c.person_id, p.region_code, c.team_id, t.institution_id as team_institution_id, u.id as doctor_user_id,
      v.id as visit_id, v.visit_date::text as visit_date, v.action, v.referral_advice, v.diseases, v.systolic, v.diastolic,
      v.fasting_glucose_tenths, v.hba1c_tenths, v.final_classification as classification, v.urgent_signs, v.reasons
    from contract c
    join person p on p.id = c.person_id
    join family_doctor_team t on t.id = c.team_id
    join app_user u on u.team_id = c.team_id and u.role = 'family_doctor'
    ${advised ? sql`join` : sql`left join`} lateral (
      select * from followup_visit fv where fv.person_id = c.person_id and fv.team_id = c.team_id and fv.visit_date <= ${asOf}::date
        ${advised ? sql`and fv.action in ('urgent_referral', 'refer_and_check') and fv.visit_date >= ${asOf}::date - 120` : sql``}
      order by fv.visit_date desc, fv.created_at desc limit 1
    ) v on true
    where c.status = 'active' and c.start_date <= ${asOf}::date and c.end_date >= ${asOf}::date
      and not exists (select 1 from app_user pu where pu.person_id = c.person_id)
      ${advised ? sql`` : sql`and not exists (select 1 from followup_visit a where a.person_id = c.person_id and a.action in ('urgent_referral', 'refer_and_check') and a.visit_date >= ${asOf}::date - 120)`}
    order by (c.team_id = ${firstTeam}) desc, (v.action = 'urgent_referral') desc, c.person_id
    limit ${limit}`.execute(db);
  return rows;
}

async function medication(db: Database, personId: string): Promise<PrescriptionSnapshot[]> {
  const lines = await db.selectFrom('continuous_prescription as c').innerJoin('drug as d', 'd.code', 'c.drug_code')
    .select(['c.drug_code', 'd.generic_name_zh', 'c.dose', 'c.frequency', 'c.days_supply'])
    .where('c.person_id', '=', personId).where('c.effective_to', 'is', null).orderBy('c.line_no').execute();
  return lines.length ? [{ source: 'continuous', prescriptionNo: null, writtenOn: null, lines: lines.map((l) => ({ drugCode: l.drug_code, drugName: l.generic_name_zh, dose: l.dose, frequency: l.frequency, daysSupply: l.days_supply })) }] : [];
}

export async function loadDemoReferrals(db: Database, city: DemoCity, options: { passwordHash: string; asOf: string; seed: number; patients: number }) {
  const rng = new Random(options.seed + 16);
  const doctors = specialists(city);
  const users = await db.insertInto('app_user')
    .values(doctors.map((d) => ({ username: d.username, display_name: d.display_name, role: d.role, institution_id: d.institution_id, practitioner_id: d.practitioner_id, password_hash: options.passwordHash, demo: true })))
    .returning(['id', 'institution_id']).execute();
  const userAt = new Map(users.map((u) => [u.institution_id!, u.id]));
  const tertiary = doctors.find((d) => d.level === 'tertiary');
  const countyHospital = new Map(doctors.filter((d) => d.level === 'secondary').map((d) => [d.county, d.institution_id]));
  const asOf = options.asOf;
  const count = Math.min(400, Math.max(40, Math.floor(options.patients / 50)));
  const advised = await candidates(db, asOf, Math.ceil(count / 3), city.teams[0]!.id, true);
  const others = await candidates(db, asOf, count - advised.length + DEMO_TEAM_SHARE * 2, city.teams[0]!.id, false);
  // every advised visit becomes an up-referral; the others alternate up, up, down. The demo doctor's team
  // gets a few (its screens show every box) and keeps most of its patients free of referrals
  let ofDemoTeam = 0;
  const rows = [...advised.map((c) => ({ ...c, advised: true })), ...others.map((c) => ({ ...c, advised: false }))]
    .filter((c) => c.team_id !== city.teams[0]!.id || ++ofDemoTeam <= DEMO_TEAM_SHARE).slice(0, count);

  let planted = 0;
  for (const [i, c] of rows.entries()) {
    const county = c.region_code.slice(0, 6);
    const toHospital = (tertiary && (i % 5 < 3 || !countyHospital.has(county)) ? tertiary.institution_id : countyHospital.get(county)) ?? tertiary?.institution_id;
    if (!toHospital) break;
    const specialist = userAt.get(toHospital)!;
    const fromVisit = c.advised ? c : null;
    const kind = !c.advised && i % 3 === 2 ? 'down' : 'up';
    if (kind === 'up') {
      // a visit's advice is referred the day it was given; others over the last six weeks
      const requestedOn = fromVisit ? fromVisit.visit_date! : addDays(asOf, -rng.weighted([[rng.int(0, 6), 3], [rng.int(8, 22), 2], [rng.int(23, 40), 2]] as const));
      const age = daysBetween(requestedOn, asOf);
      const status: ReferralStatus = age <= 7
        ? rng.weighted([['requested', 3], ['accepted', 2], ['declined', 1]] as const)
        : age <= 22 ? rng.weighted([['accepted', 1], ['attended', 2], ['declined', 1], ['expired', 1]] as const) : rng.weighted([['completed', 3], ['attended', 1], ['declined', 1], ['expired', 1]] as const);
      const urgency = fromVisit ? urgencyOfVisitAction(fromVisit.action!)! : rng.chance(0.15) ? 'urgent' : 'routine';
      const hours = urgency === 'urgent' ? rng.int(1, 20) : rng.int(4, 70);
      const answeredAt = new Date(Math.min(new Date(at(requestedOn, 9)).getTime() + hours * 3_600_000, new Date(at(asOf, 8)).getTime()));
      const acceptedOn = answeredAt.toISOString().slice(0, 10);
      // an accepted one that ran out was accepted long enough ago for its appointment to have passed by 14 days
      const expiredAccepted = status === 'expired' && age > 24 && rng.chance(0.5);
      const accepted = status === 'accepted' || status === 'attended' || status === 'completed' || expiredAccepted;
      let appointment = addDays(acceptedOn, urgency === 'urgent' ? 1 : rng.int(2, 7));
      if (status === 'accepted') appointment = [acceptedOn, addDays(asOf, rng.int(-3, 5))].sort()[1]!;
      else if (compareDates(appointment, asOf) > 0) appointment = asOf;
      const priorities = accepted ? (urgency === 'urgent' ? ALL_PRIORITIES : rng.shuffle(ALL_PRIORITIES).slice(0, rng.int(1, 2))) : [];
      const department = departmentFor(fromVisit?.diseases ?? c.diseases ?? []);
      const summary = fromVisit
        ? clinicalSummaryOf({ visitDate: fromVisit.visit_date!, diseases: fromVisit.diseases ?? [], systolic: fromVisit.systolic, diastolic: fromVisit.diastolic, fastingGlucoseTenths: fromVisit.fasting_glucose_tenths, hba1cTenths: fromVisit.hba1c_tenths, classification: fromVisit.classification ?? '', urgentSigns: fromVisit.urgent_signs ?? [], reasons: fromVisit.reasons ?? [] })
        : null;
      const attendedOn = status === 'attended' || status === 'completed' ? appointment : null;
      const completedOn = status === 'completed' ? [addDays(attendedOn!, rng.int(1, 5)), asOf].sort()[0]! : null;
      const declineReason = status === 'declined' ? rng.pick(DECLINE_REASONS) : null;
      const expiredOn = status === 'expired' ? addDays(expiredAccepted ? attendExpiry(appointment) : answerExpiry(requestedOn), 1) : null;
      const row = await db.insertInto('referral').values((eb) => ({
        person_id: c.person_id, referral_no: eb.fn<string>('referral_no', [eb.val(c.team_institution_id), eb.val(requestedOn)]), direction: 'up', status, urgency,
        reason: fromVisit?.referral_advice ?? rng.pick(ROUTINE_REASONS), from_institution_id: c.team_institution_id, from_team_id: c.team_id, from_user_id: c.doctor_user_id,
        to_institution_id: toHospital, department, clinical_summary: summary, prescriptions: '[]', followup_visit_id: fromVisit?.visit_id ?? null, county_code: county,
        requested_at: at(requestedOn, 9), accepted_at: accepted ? answeredAt : null, accepted_by: accepted ? specialist : null,
        appointment_date: accepted ? appointment : null, appointment_department: accepted ? department : null, priorities,
        declined_at: declineReason ? answeredAt : null, declined_by: declineReason ? specialist : null, decline_reason: declineReason,
        attended_at: attendedOn ? at(attendedOn, 10) : null, completed_at: completedOn ? at(completedOn, 16) : null,
        expires_on: status === 'requested' ? answerExpiry(requestedOn) : status === 'accepted' ? attendExpiry(appointment) : null,
      })).returning('id').executeTakeFirstOrThrow();
      await db.updateTable('referral').set({ prescriptions: JSON.stringify(await medication(db, c.person_id)) }).where('person_id', '=', c.person_id).where('id', '=', row.id).execute();
      const events: Array<{ on: string; user: string | null; action: string; from: string | null; to: string; reason?: string | null }> = [{ on: at(requestedOn, 9), user: c.doctor_user_id, action: 'request', from: null, to: 'requested' }];
      if (accepted) events.push({ on: answeredAt.toISOString(), user: specialist, action: 'accept', from: 'requested', to: 'accepted' });
      if (declineReason) events.push({ on: answeredAt.toISOString(), user: specialist, action: 'decline', from: 'requested', to: 'declined', reason: declineReason });
      if (expiredOn) events.push({ on: at(expiredOn, 1), user: null, action: 'expire', from: expiredAccepted ? 'accepted' : 'requested', to: 'expired' });
      if (attendedOn) events.push({ on: at(attendedOn, 10), user: specialist, action: 'attend', from: 'accepted', to: 'attended' });
      if (completedOn) events.push({ on: at(completedOn, 16), user: specialist, action: 'complete', from: 'attended', to: 'completed' });
      await db.insertInto('referral_event').values(events.map((e) => ({
        person_id: c.person_id, referral_id: row.id, at: e.on, user_id: e.user, action: e.action, from_status: e.from, to_status: e.to, reason: e.reason ?? null, detail: null,
      }))).execute();
    } else {
      // a discharge: followed up in time when the team's last visit came after it, else still to follow up (overdue or not yet due)
      const seenAfter = c.visit_date && daysBetween(c.visit_date, asOf) <= 40 && rng.chance(0.5);
      const dischargeDate = seenAfter ? addDays(c.visit_date!, -rng.int(2, 12)) : addDays(asOf, -rng.weighted([[rng.int(16, 30), 1], [rng.int(0, 10), 1]] as const));
      if (c.visit_date && !seenAfter && compareDates(c.visit_date, dischargeDate) >= 0) continue; // a visit since would make it followed up
      const hospitalUser = specialist;
      const lines = await db.selectFrom('continuous_prescription').select(['drug_code', 'frequency', 'days_supply']).where('person_id', '=', c.person_id).where('effective_to', 'is', null).orderBy('line_no').limit(3).execute();
      const continueLines = lines.filter((l) => ['qd', 'bid', 'tid'].includes(l.frequency)).map((l) => ({ drug_code: l.drug_code, dose_milli: 1000, frequency: l.frequency as 'qd', days_supply: 28, quantity: 1 }));
      const requestedAt = at(dischargeDate, 15);
      const row = await db.insertInto('referral').values((eb) => ({
        person_id: c.person_id, referral_no: eb.fn<string>('referral_no', [eb.val(toHospital), eb.val(dischargeDate)]), direction: 'down', urgency: 'routine',
        reason: '出院下转，回签约团队继续管理', from_institution_id: toHospital, from_user_id: hospitalUser, to_team_id: c.team_id, department: departmentFor(c.diseases ?? []),
        discharge_date: dischargeDate, discharge_summary: '住院期间完善检查，调整降压/降糖方案，病情稳定出院。出院后继续规律服药，监测血压、血糖，2周内社区随访。',
        source_prescription_no: continueLines.length ? `CY-${dischargeDate.replaceAll('-', '')}-${String(i + 1).padStart(4, '0')}` : null,
        continue_lines: JSON.stringify(continueLines), follow_up_due: followUpDue(dischargeDate), county_code: county, requested_at: requestedAt,
      })).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('referral_event').values({ person_id: c.person_id, referral_id: row.id, at: requestedAt, user_id: hospitalUser, action: 'request', from_status: null, to_status: 'requested', reason: null, detail: null }).execute();
    }
    planted++;
  }
  // the team's visits since a discharge are its follow-ups (as the product records them), and half of those are closed
  const clock = { db, now: () => new Date(at(asOf, 8)) };
  await recordFollowUps(clock);
  await sql`
    with closing as (
      select id, person_id from (select id, person_id, row_number() over (order by id) as n from referral where direction = 'down' and status = 'attended') o where n % 2 = 0
    ), closed as (
      update referral r set status = 'completed', completed_at = r.attended_at + interval '2 hours' from closing c where r.id = c.id and r.person_id = c.person_id
      returning r.id, r.person_id, r.to_team_id, r.completed_at
    )
    insert into referral_event (person_id, referral_id, at, user_id, action, from_status, to_status, reason, detail)
    select c.person_id, c.id, c.completed_at, (select u.id from app_user u where u.team_id = c.to_team_id and u.role = 'family_doctor' limit 1), 'complete', 'attended', 'completed', null, null
    from closed c`.execute(db);
  return { specialists: users.length, referrals: planted };
}
