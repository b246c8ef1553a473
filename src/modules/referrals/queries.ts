// Reads of referrals and of the facts their use cases need. A bare id is found through the primary key
// (id, person_id); every statement after it names the person (docs/scale.md).
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { ReferralStatus } from '../../db/schema';

export function findReferral(db: Database, id: string) {
  return db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirst();
}
export type ReferralRow = NonNullable<Awaited<ReturnType<typeof findReferral>>>;

const place = (alias: 'fi' | 'ti') => sql<{ id: string; name: string; level: string } | null>`
  case when ${sql.ref(`${alias}.id`)} is null then null else json_build_object('id', ${sql.ref(`${alias}.id`)}, 'name', ${sql.ref(`${alias}.name`)}, 'level', ${sql.ref(`${alias}.level`)}) end`;
const team = (alias: 'ft' | 'tt') => sql<{ id: string; name: string } | null>`
  case when ${sql.ref(`${alias}.id`)} is null then null else json_build_object('id', ${sql.ref(`${alias}.id`)}, 'name', ${sql.ref(`${alias}.name`)}) end`;

/** Referrals with the names they show: the person, the two sides and who sent it. */
export function referralHeads(db: Database) {
  return db.selectFrom('referral as r')
    .innerJoin('person as pe', 'pe.id', 'r.person_id')
    .innerJoin('institution as fi', 'fi.id', 'r.from_institution_id')
    .leftJoin('family_doctor_team as ft', 'ft.id', 'r.from_team_id')
    .leftJoin('app_user as fu', 'fu.id', 'r.from_user_id')
    .leftJoin('institution as ti', 'ti.id', 'r.to_institution_id')
    .leftJoin('family_doctor_team as tt', 'tt.id', 'r.to_team_id')
    .selectAll('r')
    .select(['pe.name as person_name', 'pe.sex', 'pe.birth_date', 'pe.id_number', 'fu.display_name as from_user_name'])
    .select([place('fi').as('from_institution'), team('ft').as('from_team'), place('ti').as('to_institution'), team('tt').as('to_team')]);
}
export type ReferralHead = Awaited<ReturnType<ReturnType<typeof referralHeads>['execute']>>[number];

export function headOf(db: Database, personId: string, id: string) {
  return referralHeads(db).where('r.person_id', '=', personId).where('r.id', '=', id).executeTakeFirstOrThrow();
}

export function eventsOf(db: Database, personId: string, referralId: string) {
  return db.selectFrom('referral_event as e').leftJoin('app_user as u', 'u.id', 'e.user_id')
    .select(['e.at', 'e.action', 'e.from_status', 'e.to_status', 'e.reason', 'e.detail', 'u.display_name as by'])
    .where('e.person_id', '=', personId).where('e.referral_id', '=', referralId).orderBy('e.at').orderBy('e.id').execute();
}

export interface ListFilter {
  box: 'out' | 'in' | 'down';
  /** The team (family doctor) or the hospital (specialist) whose box it is. */
  teamId: string | null;
  institutionId: string | null;
  statuses: ReferralStatus[];
  overdueOn?: string;
  limit: number;
  offset: number;
}

function boxQuery(db: Database, f: ListFilter) {
  let q = referralHeads(db).where('r.status', 'in', f.statuses);
  if (f.box === 'out') q = q.where('r.direction', '=', 'up').where('r.from_team_id', '=', f.teamId!);
  if (f.box === 'in') q = q.where('r.direction', '=', 'up').where('r.to_institution_id', '=', f.institutionId!);
  if (f.box === 'down')
    q = q.where('r.direction', '=', 'down').where(f.teamId ? 'r.to_team_id' : 'r.from_institution_id', '=', (f.teamId ?? f.institutionId)!);
  if (f.overdueOn) q = q.where('r.follow_up_due', '<', f.overdueOn).where('r.status', 'in', ['requested', 'accepted']);
  return q;
}

export async function listBox(db: Database, f: ListFilter) {
  let q = boxQuery(db, f);
  // the hospital's queue: urgent first, then the longest waiting; the team's follow-ups: the nearest due first
  if (f.box === 'in') q = q.orderBy(sql`case r.urgency when 'urgent' then 0 else 1 end`).orderBy('r.requested_at');
  else if (f.box === 'down') q = q.orderBy('r.follow_up_due').orderBy('r.requested_at');
  else q = q.orderBy('r.requested_at', 'desc');
  const [rows, count] = await Promise.all([
    q.orderBy('r.id').limit(f.limit).offset(f.offset).execute(),
    boxQuery(db, f).clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function personReferrals(db: Database, personId: string) {
  return referralHeads(db).where('r.person_id', '=', personId).orderBy('r.requested_at', 'desc').limit(100).execute();
}

/** The person's current medication: prescriptions still supplying (written, not yet run out), and the registration's continuous prescription. */
export async function currentMedication(db: Database, personId: string, today: string) {
  const [prescriptions, continuous] = await Promise.all([
    db.selectFrom('prescription as p').innerJoin('prescription_line as l', (j) => j.onRef('l.person_id', '=', 'p.person_id').onRef('l.prescription_id', '=', 'p.id'))
      .select(['p.id', 'p.prescription_no', 'p.written_on', 'l.line_no', 'l.drug_code', 'l.dose_milli', 'l.frequency', 'l.days_supply'])
      .where('p.person_id', '=', personId).where('p.status', 'in', ['submitted', 'under_review', 'approved', 'partly_dispensed', 'dispensed'])
      .where(sql<boolean>`p.written_on + p.days_supply >= ${today}::date`)
      .orderBy('p.written_on', 'desc').orderBy('p.id').orderBy('l.line_no').execute(),
    db.selectFrom('continuous_prescription').select(['line_no', 'drug_code', 'dose', 'frequency', 'days_supply'])
      .where('person_id', '=', personId).where('effective_to', 'is', null).orderBy('line_no').execute(),
  ]);
  return { prescriptions, continuous };
}

/** The first follow-up visit of the team on or after the day (the down-referral's follow-up). */
export function followUpVisit(db: Database, personId: string, teamId: string, from: string, visitId?: string) {
  return db.selectFrom('followup_visit').select(['id', 'visit_date', 'team_id'])
    .where('person_id', '=', personId).where('team_id', '=', teamId).where('visit_date', '>=', from)
    .$if(!!visitId, (qb) => qb.where('id', '=', visitId!))
    .orderBy('visit_date').orderBy('created_at').limit(1).executeTakeFirst();
}

/** The team the person is contracted with today. */
export function contractedTeam(db: Database, personId: string, today: string) {
  return db.selectFrom('contract').select('team_id').where('person_id', '=', personId).where('status', '=', 'active')
    .where('start_date', '<=', today).where('end_date', '>=', today).executeTakeFirst();
}
