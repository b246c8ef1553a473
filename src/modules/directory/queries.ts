// SQL of the directory: institutions, medical communities, practitioners, family-doctor teams and
// their members. Directory tables are reference tables (docs/scale.md): small, copied to every node.
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { InstitutionKind, InstitutionLevel } from '../../db/schema';

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

// ---- regions ----

export function regions(db: Database, codes: string[]) {
  if (!codes.length) return Promise.resolve([]);
  return db.selectFrom('region').select(['code', 'name', 'name_en', 'level', 'parent_code']).where('code', 'in', codes).execute();
}

export function regionsUnder(db: Database, prefix: string, levels: Array<'city' | 'county' | 'town'>) {
  return db.selectFrom('region').select(['code', 'name', 'name_en', 'level', 'parent_code']).where('level', 'in', levels).where('code', 'like', `${prefix}%`).orderBy('code').execute();
}

// ---- institutions ----

export interface InstitutionFilter {
  countyCode?: string;
  level?: InstitutionLevel;
  kind?: InstitutionKind;
  medicalCommunityId?: string;
  q?: string;
  limit: number;
  offset: number;
}

function institutionBase(db: Database) {
  return db
    .selectFrom('institution as i')
    .innerJoin('region as c', 'c.code', 'i.county_code')
    .innerJoin('region as t', 't.code', 'i.region_code')
    .leftJoin('medical_community as m', 'm.id', 'i.medical_community_id')
    .leftJoin('institution as u', 'u.id', 'i.upper_institution_id')
    .select([
      'i.id', 'i.code', 'i.name', 'i.level', 'i.kind', 'i.county_code', 'c.name as county_name', 'i.region_code', 't.name as town_name',
      'i.medical_community_id', 'm.name as medical_community_name', 'i.upper_institution_id', 'u.name as upper_institution_name',
      'i.designated', 'i.address', 'i.phone',
      (eb) => eb.selectFrom('practitioner as p').select((e) => e.fn.countAll<number>().as('n')).whereRef('p.institution_id', '=', 'i.id').as('practitioners'),
      (eb) => eb.selectFrom('family_doctor_team as ft').select((e) => e.fn.countAll<number>().as('n')).whereRef('ft.institution_id', '=', 'i.id').as('teams'),
    ]);
}
export type InstitutionRow = Awaited<ReturnType<typeof institution>>;

export async function listInstitutions(db: Database, f: InstitutionFilter) {
  let query = db.selectFrom('institution as i');
  if (f.countyCode) query = query.where('i.county_code', '=', f.countyCode);
  if (f.level) query = query.where('i.level', '=', f.level);
  if (f.kind) query = query.where('i.kind', '=', f.kind);
  if (f.medicalCommunityId) query = query.where('i.medical_community_id', '=', f.medicalCommunityId);
  if (f.q) query = query.where((eb) => eb.or([eb('i.name', 'like', like(f.q!)), eb('i.code', 'like', like(f.q!.toUpperCase()))]));
  const ids = query.select('i.id');
  const [total, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    institutionBase(db).where('i.id', 'in', ids).orderBy('i.county_code').orderBy('i.code').limit(f.limit).offset(f.offset).execute(),
  ]);
  return { total: total.n, rows };
}

export function institution(db: Database, id: string) {
  return institutionBase(db).where('i.id', '=', id).executeTakeFirst();
}

export function institutionCodeTaken(db: Database, code: string, exceptId?: string) {
  return db.selectFrom('institution').select('id').where('code', '=', code).$if(!!exceptId, (qb) => qb.where('id', '!=', exceptId!)).executeTakeFirst();
}

/** The institutions above this one, nearest first (its upper institution, that one's, …). */
export async function upperChain(db: Database, id: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive up(id, depth) as (
      select upper_institution_id, 1 from institution where id = ${id} and upper_institution_id is not null
      union all
      select i.upper_institution_id, up.depth + 1 from institution i join up on i.id = up.id where i.upper_institution_id is not null and up.depth < 10
    )
    select id from up order by depth`.execute(db);
  return rows.map((r) => r.id);
}

/** Institutions whose upper institution this is. */
export function lowerInstitutions(db: Database, id: string) {
  return db.selectFrom('institution').select(['id', 'name', 'kind', 'level']).where('upper_institution_id', '=', id).execute();
}

/** What refers to an institution, by kind of reference; a used institution keeps its code. */
export async function institutionUse(db: Database, id: string) {
  const { rows } = await sql<{ what: string; n: number }>`
    select 'practitioners' as what, count(*)::int as n from practitioner where institution_id = ${id}
    union all select 'teams', count(*)::int from family_doctor_team where institution_id = ${id}
    union all select 'lower_institutions', count(*)::int from institution where upper_institution_id = ${id}
    union all select 'users', count(*)::int from app_user where institution_id = ${id}
    union all select 'claims', (select count(*)::int from (select 1 from claim where institution_id = ${id} limit 1) c)
    union all select 'prescriptions', (select count(*)::int from (select 1 from continuous_prescription where pharmacy_id = ${id} limit 1) c)
    union all select 'filings', (select count(*)::int from (select 1 from filing_prescription_line where pharmacy_id = ${id} limit 1) c)
    union all select 'conditions', (select count(*)::int from (select 1 from person_condition where institution_id = ${id} limit 1) c)`.execute(db);
  return rows.filter((r) => r.n > 0).map((r) => r.what);
}

// ---- medical communities ----

export function medicalCommunities(db: Database, countyCode?: string) {
  return db
    .selectFrom('medical_community as m')
    .innerJoin('region as c', 'c.code', 'm.county_code')
    .select(['m.id', 'm.name', 'm.county_code', 'c.name as county_name',
      (eb) => eb.selectFrom('institution as i').select((e) => e.fn.countAll<number>().as('n')).whereRef('i.medical_community_id', '=', 'm.id').as('institutions'),
      // the hospital most of the community's institutions sit under (the county hospital, 牵头医院)
      (eb) => eb.selectFrom('institution as i').select('i.name').whereRef('i.medical_community_id', '=', 'm.id').where('i.kind', '=', 'hospital')
        .orderBy(sql`(select count(*) from institution l where l.upper_institution_id = i.id)`, 'desc').orderBy('i.code').limit(1).as('lead_hospital'),
    ])
    .$if(!!countyCode, (qb) => qb.where('m.county_code', '=', countyCode!))
    .orderBy('m.county_code')
    .orderBy('m.name')
    .execute();
}

export function medicalCommunity(db: Database, id: string) {
  return db.selectFrom('medical_community').select(['id', 'name', 'county_code']).where('id', '=', id).executeTakeFirst();
}

export function communityNamed(db: Database, countyCode: string, name: string) {
  return db.selectFrom('medical_community').select('id').where('county_code', '=', countyCode).where('name', '=', name).executeTakeFirst();
}

// ---- practitioners ----

export interface PractitionerFilter {
  institutionId?: string;
  profession?: string;
  q?: string;
  limit: number;
  offset: number;
}

function practitionerBase(db: Database) {
  return db
    .selectFrom('practitioner as p')
    .innerJoin('institution as i', 'i.id', 'p.institution_id')
    .select(['p.id', 'p.name', 'p.profession', 'p.license_no', 'p.institution_id', 'i.name as institution_name',
      (eb) => eb.selectFrom('family_doctor_team as t').select((e) => e.fn.countAll<number>().as('n')).whereRef('t.leader_id', '=', 'p.id').as('leads'),
      (eb) => eb.selectFrom('team_member as m').select((e) => e.fn.countAll<number>().as('n')).whereRef('m.practitioner_id', '=', 'p.id').as('memberships'),
    ]);
}

export async function listPractitioners(db: Database, f: PractitionerFilter) {
  let query = db.selectFrom('practitioner as p');
  if (f.institutionId) query = query.where('p.institution_id', '=', f.institutionId);
  if (f.profession) query = query.where('p.profession', '=', f.profession as never);
  if (f.q) query = query.where((eb) => eb.or([eb('p.name', 'like', like(f.q!)), eb('p.license_no', 'like', `${f.q!.toUpperCase().replace(/[\\%_]/g, '')}%`)]));
  const ids = query.select('p.id');
  const [total, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    practitionerBase(db).where('p.id', 'in', ids).orderBy('i.code').orderBy('p.profession').orderBy('p.name').orderBy('p.id').limit(f.limit).offset(f.offset).execute(),
  ]);
  return { total: total.n, rows };
}

export function practitioner(db: Database, id: string) {
  return practitionerBase(db).where('p.id', '=', id).executeTakeFirst();
}

export function practitionersByIds(db: Database, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('practitioner').select(['id', 'name', 'profession', 'institution_id']).where('id', 'in', ids).execute();
}

export function licenceTaken(db: Database, licenseNo: string, exceptId?: string) {
  return db.selectFrom('practitioner').select('id').where('license_no', '=', licenseNo).$if(!!exceptId, (qb) => qb.where('id', '!=', exceptId!)).executeTakeFirst();
}

/** The teams a practitioner leads or serves on, with the role and the team's institution. */
export function teamsOfPractitioner(db: Database, id: string) {
  return db
    .selectFrom('family_doctor_team as t')
    .leftJoin('team_member as m', (j) => j.onRef('m.team_id', '=', 't.id').on('m.practitioner_id', '=', id))
    .select(['t.id', 't.name', 't.institution_id', 't.leader_id', 'm.member_role'])
    .where((eb) => eb.or([eb('t.leader_id', '=', id), eb('m.practitioner_id', '=', id)]))
    .execute();
}

/** What refers to a practitioner that a deletion would break. */
export async function practitionerUse(db: Database, id: string) {
  const { rows } = await sql<{ what: string; n: number }>`
    select 'team_leader' as what, count(*)::int as n from family_doctor_team where leader_id = ${id}
    union all select 'team_member', count(*)::int from team_member where practitioner_id = ${id}
    union all select 'contract_doctor', (select count(*)::int from (select 1 from contract where doctor_id = ${id} limit 1) c)
    union all select 'user_account', count(*)::int from app_user where practitioner_id = ${id}`.execute(db);
  return rows.filter((r) => r.n > 0).map((r) => r.what);
}

/** Practitioners a team of this institution may take on: its own staff, and the doctors of the institutions above it. */
export function teamCandidates(db: Database, institutionId: string, upper: string[]) {
  return db
    .selectFrom('practitioner as p')
    .innerJoin('institution as i', 'i.id', 'p.institution_id')
    .select(['p.id', 'p.name', 'p.profession', 'p.license_no', 'p.institution_id', 'i.name as institution_name'])
    .where((eb) => eb.or([
      eb('p.institution_id', '=', institutionId),
      ...(upper.length ? [eb.and([eb('p.institution_id', 'in', upper), eb('p.profession', '=', 'doctor')])] : []),
    ]))
    .where('p.profession', '!=', 'pharmacist')
    .orderBy(sql`p.institution_id = ${institutionId}`, 'desc')
    .orderBy('p.profession')
    .orderBy('p.name')
    .execute();
}

// ---- teams ----

export interface TeamFilter {
  institutionId?: string;
  countyCode?: string;
  q?: string;
  limit: number;
  offset: number;
}

function teamBase(db: Database, today: string) {
  return db
    .selectFrom('family_doctor_team as t')
    .innerJoin('institution as i', 'i.id', 't.institution_id')
    .innerJoin('practitioner as l', 'l.id', 't.leader_id')
    .select(['t.id', 't.name', 't.phone', 't.institution_id', 'i.name as institution_name', 'i.region_code', 't.leader_id', 'l.name as leader_name',
      (eb) => eb.selectFrom('contract as c').select((e) => e.fn.countAll<number>().as('n')).whereRef('c.team_id', '=', 't.id').where('c.status', '=', 'active').where('c.end_date', '>=', today).as('contracted'),
    ]);
}

export async function listTeams(db: Database, f: TeamFilter, today: string) {
  let query = db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id');
  if (f.institutionId) query = query.where('t.institution_id', '=', f.institutionId);
  if (f.countyCode) query = query.where('i.county_code', '=', f.countyCode);
  if (f.q) query = query.where('t.name', 'like', like(f.q));
  const ids = query.select('t.id');
  const [total, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    teamBase(db, today).where('t.id', 'in', ids).orderBy('i.code').orderBy('t.name').orderBy('t.id').limit(f.limit).offset(f.offset).execute(),
  ]);
  return { total: total.n, rows };
}

export function team(db: Database, id: string, today: string) {
  return teamBase(db, today).where('t.id', '=', id).executeTakeFirst();
}

export function teamNamed(db: Database, institutionId: string, name: string, exceptId?: string) {
  return db.selectFrom('family_doctor_team').select('id').where('institution_id', '=', institutionId).where('name', '=', name).$if(!!exceptId, (qb) => qb.where('id', '!=', exceptId!)).executeTakeFirst();
}

export function membersOf(db: Database, teamIds: string[]) {
  if (!teamIds.length) return Promise.resolve([]);
  return db
    .selectFrom('team_member as m')
    .innerJoin('practitioner as p', 'p.id', 'm.practitioner_id')
    .innerJoin('institution as i', 'i.id', 'p.institution_id')
    .select(['m.team_id', 'm.member_role', 'p.id', 'p.name', 'p.profession', 'p.license_no', 'p.institution_id', 'i.name as institution_name'])
    .where('m.team_id', 'in', teamIds)
    .orderBy(sql`case m.member_role when 'gp' then 1 when 'nurse' then 2 when 'public_health' then 3 else 4 end`)
    .orderBy('p.name')
    .execute();
}

/** What refers to a team that a deletion would break (its members go with it). */
export async function teamUse(db: Database, id: string) {
  const { rows } = await sql<{ what: string; n: number }>`
    select 'contracts' as what, (select count(*)::int from (select 1 from contract where team_id = ${id} limit 1) c) as n
    union all select 'filings', (select count(*)::int from (select 1 from registration_filing where team_id = ${id} limit 1) c)
    union all select 'followups', (select count(*)::int from (select 1 from followup_visit where team_id = ${id} limit 1) c)
    union all select 'health_checks', (select count(*)::int from (select 1 from health_check where team_id = ${id} limit 1) c)
    union all select 'users', count(*)::int from app_user where team_id = ${id}`.execute(db);
  return rows.filter((r) => r.n > 0).map((r) => r.what);
}
