import { sql } from 'kysely';
import type { Database } from '../../db/connect';

/** Locks the person row: filings for one person are decided one at a time. */
export function lockPerson(db: Database, personId: string) {
  return db.selectFrom('person').select(['id', 'region_code']).where('id', '=', personId).forUpdate().executeTakeFirst();
}

export function openRegistrations(db: Database, personId: string) {
  return db.selectFrom('registration').selectAll().where('person_id', '=', personId).where('effective_to', 'is', null).execute();
}

export function openFilingDiseases(db: Database, personId: string) {
  return db
    .selectFrom('filing_disease as d')
    .innerJoin('registration_filing as f', (j) => j.onRef('f.person_id', '=', 'd.person_id').onRef('f.id', '=', 'd.filing_id'))
    .select(['d.disease_code', 'f.id as filing_id', 'f.status'])
    .where('d.person_id', '=', personId)
    .where('d.open', '=', true)
    .execute();
}

export function currentPrescription(db: Database, personId: string) {
  return db
    .selectFrom('continuous_prescription as p')
    .innerJoin('drug', 'drug.code', 'p.drug_code')
    .select(['p.line_no', 'p.drug_code', 'drug.generic_name_zh', 'drug.strength', 'p.dose', 'p.frequency', 'p.days_supply', 'p.dispensing', 'p.pharmacy_id', 'p.effective_from'])
    .where('p.person_id', '=', personId)
    .where('p.effective_to', 'is', null)
    .orderBy('p.line_no')
    .execute();
}

export function findFiling(db: Database, id: string) {
  return db.selectFrom('registration_filing').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockFiling(db: Database, personId: string, id: string) {
  return db.selectFrom('registration_filing').selectAll().where('person_id', '=', personId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function filingDiseases(db: Database, filingId: string) {
  return db
    .selectFrom('filing_disease as d')
    .innerJoin('disease', 'disease.code', 'd.disease_code')
    .select(['d.disease_code', 'disease.name_zh', 'disease.name_en', 'd.action', 'd.diagnosed_on', 'd.basis'])
    .where('d.filing_id', '=', filingId)
    .execute();
}

export function filingLines(db: Database, filingId: string) {
  return db
    .selectFrom('filing_prescription_line as l')
    .innerJoin('drug', 'drug.code', 'l.drug_code')
    .leftJoin('institution as ph', 'ph.id', 'l.pharmacy_id')
    .select(['l.line_no', 'l.drug_code', 'drug.generic_name_zh', 'drug.strength', 'l.dose', 'l.frequency', 'l.days_supply', 'l.dispensing', 'l.pharmacy_id', 'ph.name as pharmacy_name'])
    .where('l.filing_id', '=', filingId)
    .orderBy('l.line_no')
    .execute();
}

export function filingEvents(db: Database, filingId: string) {
  return db
    .selectFrom('filing_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.user_id')
    .select(['e.at', 'e.from_status', 'e.to_status', 'e.reason', 'e.detail', 'u.display_name as by', 'u.role'])
    .where('e.filing_id', '=', filingId)
    .orderBy('e.id')
    .execute();
}

export async function recordFilingEvent(
  db: Database,
  e: { at: Date; filing_id: string; person_id: string; user_id: string; from_status: string | null; to_status: string; reason?: string | null; detail?: unknown },
) {
  await db.insertInto('filing_event').values({ ...e, reason: e.reason ?? null, detail: e.detail === undefined ? null : JSON.stringify(e.detail) }).execute();
}

export function drugsByCode(db: Database, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('drug').select(['code', 'diseases', 'generic_name_zh']).where('code', 'in', codes).execute();
}

export function institutionsById(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('institution').select(['id', 'kind', 'level', 'county_code', 'designated']).where('id', 'in', ids).execute();
}

export function knownDiseases(db: Database) {
  return db.selectFrom('disease').select(['code', 'name_zh']).execute();
}

export interface QueueQuery {
  status?: string;
  kind?: string;
  disease?: string;
  q?: string;
  countyCode?: string;
  teamId?: string;
  institutionId?: string;
  basis?: string;
  decidedSince?: Date;
  submittedBefore?: Date;
  limit: number;
  offset: number;
}

/** Filings with their person and team, oldest first: the reviewer's queue and the team's list. */
export async function queue(db: Database, f: QueueQuery) {
  // the filter reads only the filings (and, for a name search, their person), so the count joins nothing
  let filtered = db.selectFrom('registration_filing as f');
  if (f.countyCode) filtered = filtered.where('f.county_code', '=', f.countyCode);
  if (f.teamId) filtered = filtered.where('f.team_id', '=', f.teamId);
  // an institution's teams, from the directory (a reference table): the queue index (county, status, team, submitted) answers it
  if (f.institutionId) filtered = filtered.where('f.team_id', 'in', (eb) => eb.selectFrom('family_doctor_team as it').select('it.id').where('it.institution_id', '=', f.institutionId!));
  if (f.decidedSince) filtered = filtered.where('f.decided_at', '>=', f.decidedSince);
  if (f.status) filtered = filtered.where('f.status', '=', f.status as never);
  if (f.kind) filtered = filtered.where('f.kind', '=', f.kind as never);
  if (f.submittedBefore) filtered = filtered.where('f.submitted_at', '<=', f.submittedBefore);
  if (f.q) {
    const prefix = `${f.q.replace(/[\\%_]/g, '\\$&')}%`;
    filtered = filtered.where((eb) => eb.exists(eb.selectFrom('person as named').select('named.id').whereRef('named.id', '=', 'f.person_id').where(sql`named.name collate "C"`, 'like', prefix)));
  }
  if (f.basis)
    filtered = filtered.where((eb) =>
      eb.exists(
        eb.selectFrom('filing_disease as b').select('b.filing_id').whereRef('b.filing_id', '=', 'f.id').whereRef('b.person_id', '=', 'f.person_id').where(sql`b.basis ->> 'type'`, '=', f.basis!),
      ),
    );
  if (f.disease) filtered = filtered.where((eb) => eb.exists(eb.selectFrom('filing_disease as d').select('d.filing_id').whereRef('d.filing_id', '=', 'f.id').where('d.disease_code', '=', f.disease!)));
  const [rows, count] = await Promise.all([
    filtered
      .innerJoin('person as p', 'p.id', 'f.person_id')
      .innerJoin('family_doctor_team as t', 't.id', 'f.team_id')
      .innerJoin('institution as i', 'i.id', 't.institution_id')
      .select([
        'f.id', 'f.person_id', 'f.kind', 'f.change_reason', 'f.revocation_reason', 'f.status', 'f.submitted_at', 'f.decision_reason', 'f.team_id',
        'f.decision_reason_code', 'f.requested_attachments', 'f.decided_at',
        't.name as team_name', 'i.id as institution_id', 'i.name as institution_name',
        'p.name', 'p.sex', 'p.birth_date', 'p.id_number', 'p.insurance_type',
      ])
      .orderBy('f.submitted_at')
      .orderBy('f.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function diseasesOfFilings(db: Database, filingIds: string[]) {
  if (filingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('filing_disease as d')
    .innerJoin('disease', 'disease.code', 'd.disease_code')
    .select(['d.filing_id', 'd.disease_code', 'disease.name_zh', 'd.action'])
    .where('d.filing_id', 'in', filingIds)
    .execute();
}

export function registrationsOf(db: Database, personId: string) {
  return db
    .selectFrom('registration as r')
    .innerJoin('disease', 'disease.code', 'r.disease_code')
    .select(['r.disease_code', 'disease.name_zh', 'r.effective_from', 'r.effective_to', 'r.diagnosed_on'])
    .where('r.person_id', '=', personId)
    .orderBy('r.effective_from')
    .execute();
}

/** The kinds of evidence attached to a filing at or after an instant (since its return). */
export async function attachmentKindsSince(db: Database, personId: string, filingId: string, since: Date | string) {
  const rows = await db
    .selectFrom('filing_attachment')
    .select('kind')
    .distinct()
    .where('person_id', '=', personId)
    .where('filing_id', '=', filingId)
    .where('uploaded_at', '>=', new Date(since))
    .execute();
  return rows.map((r) => r.kind as string);
}

/** The county's teams with filings in a status, and how many: the queue index (county, status, team) alone counts them. */
export function queueTeams(db: Database, countyCode: string, status: string) {
  const counted = db
    .selectFrom('registration_filing')
    .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('county_code', '=', countyCode)
    .where('status', '=', status as never)
    .groupBy('team_id')
    .as('c');
  return db
    .selectFrom(counted)
    .innerJoin('family_doctor_team as t', 't.id', 'c.team_id')
    .innerJoin('institution as i', 'i.id', 't.institution_id')
    .select(['c.team_id', 'c.n', 't.name as team_name', 'i.id as institution_id', 'i.name as institution_name'])
    .orderBy('i.name')
    .orderBy('t.name')
    .execute();
}
