// Administration of the directory (issue 13): institutions and medical communities (the system
// administrator), family-doctor teams with their "3+X" members and practitioners (the system
// administrator everywhere, an institution's administrator within its own institution), and the
// read-only catalogues both look up (policies in force, drugs with their lists). Every use case
// starts with requireAccess; every change is written to the audit log with what changed; nothing
// referenced is deleted (409 naming what refers to it).
import { shanghaiDate } from '../../engine/calendar';
import { isIsoDate } from '../../engine/calendar';
import type { Database } from '../../db/connect';
import type { InstitutionKind, InstitutionLevel } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { AppError, badRequest, conflict, type FieldProblem, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import { grantOf, requireAccess } from '../../core/access';
import { loadDrugLists } from '../reference/service';
import * as q from './queries';
import { diseasesOf, policySummary, policyView } from './catalogue';
import { type Candidate, kindFitsLevel, LEVELS_OF_KIND, type MemberInput, memberProblems, PROFESSION_FOR_ROLE, type Profession, rankOf } from './rules';

export * from './rules';

// ---- shared ----

const fail = (problems: FieldProblem[]) => badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
/** A 409 that names the field whose value collides with a stored row (conflict() names none). */
const conflictAt = (field: string, rule: string, detail: string) => new AppError(409, 'Conflict', detail, [{ field, rule, message: detail }]);
/** A 409 listing everything that refers to the row, one rule each. */
const inUse = (what: string, reasons: Array<{ rule: string; message: string }>) =>
  new AppError(409, 'Conflict', `The ${what} is referenced: ${reasons.map((r) => r.message).join('; ')}`, reasons.map((r) => ({ field: '', ...r })));

/** The fields whose value differs, as { field: { from, to } } for the audit row. */
function changes(before: Record<string, unknown>, after: Record<string, unknown>) {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) if (v !== undefined && before[k] !== v) out[k] = { from: before[k] ?? null, to: v };
  return out;
}

/**
 * The database's refusals the checks above did not foresee (a race between two administrators):
 * a unique key as a 409 at its field, a foreign key as a 409 naming the reference, a CHECK as a 400.
 */
function mapConstraint(error: unknown): never {
  const e = error as { code?: string; constraint?: string };
  const c = e?.constraint ?? '';
  if (e?.code === '23505') {
    if (c.includes('license_no')) throw conflictAt('body.licenseNo', 'licence_unique', 'This licence number is already registered');
    if (c.includes('code')) throw conflictAt('body.code', 'code_unique', 'This institution code is already in use');
    throw conflict('unique', 'A row with these values exists already');
  }
  if (e?.code === '23503') throw conflict('referenced', `Another record refers to this one (${c || 'a foreign key'})`);
  if (e?.code === '23514') {
    const field = c.includes('phone') ? 'body.phone' : c.includes('address') ? 'body.address' : c.includes('name') ? 'body.name' : c.startsWith('institution_check') ? 'body.kind' : 'body';
    throw badRequest(`The value does not meet the rule ${c}`, [{ field, rule: c.includes('phone') ? 'phone_format' : 'check', message: `refused by ${c}` }]);
  }
  throw error;
}

async function write<T>(ctx: AppContext, work: (trx: Database) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction().execute(work);
  } catch (error) {
    if (error instanceof AppError) throw error;
    return mapConstraint(error);
  }
}

const today = (ctx: AppContext) => shanghaiDate(ctx.now());

// ---- regions (for the institution form) ----

export async function listRegions(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'catalogue.read');
  const rows = await q.regionsUnder(ctx.db, '', ['city', 'county', 'town']);
  return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, level: r.level as 'city' | 'county' | 'town', parentCode: r.parent_code }));
}

// ---- institutions (system administration) ----

export interface InstitutionInput {
  code: string;
  name: string;
  level: InstitutionLevel;
  kind: InstitutionKind;
  countyCode: string;
  regionCode: string;
  medicalCommunityId?: string | null;
  upperInstitutionId?: string | null;
  designated?: boolean;
  address?: string | null;
  phone?: string | null;
}

function institutionView(r: q.InstitutionRow & object) {
  return {
    id: r.id, code: r.code, name: r.name, level: r.level, kind: r.kind,
    county: { code: r.county_code, name: r.county_name }, town: { code: r.region_code, name: r.town_name },
    medicalCommunity: r.medical_community_id ? { id: r.medical_community_id, name: r.medical_community_name! } : null,
    upperInstitution: r.upper_institution_id ? { id: r.upper_institution_id, name: r.upper_institution_name! } : null,
    designated: r.designated, address: r.address, phone: r.phone,
    practitioners: Number(r.practitioners ?? 0), teams: Number(r.teams ?? 0),
  };
}
export type InstitutionView = ReturnType<typeof institutionView>;

export async function listInstitutions(ctx: AppContext, actor: Actor, f: q.InstitutionFilter) {
  await requireAccess(ctx, actor, 'institution.manage');
  const { total, rows } = await q.listInstitutions(ctx.db, f);
  return { total, items: rows.map(institutionView) };
}

async function institutionOrRefuse(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.institution(ctx.db, id);
  await requireAccess(ctx, actor, 'institution.manage', { institutionId: row ? id : null });
  if (!row) throw notFound('No such institution');
  return row;
}

export async function getInstitution(ctx: AppContext, actor: Actor, id: string) {
  return institutionView(await institutionOrRefuse(ctx, actor, id));
}

/** Every rule an institution's fields must meet, each at its field (kind and level, county and town, community, upper institution). */
async function institutionProblems(db: Database, v: Required<Pick<InstitutionInput, 'level' | 'kind' | 'countyCode' | 'regionCode'>> & Pick<InstitutionInput, 'medicalCommunityId' | 'upperInstitutionId'>, selfId?: string) {
  const problems: FieldProblem[] = [];
  if (!kindFitsLevel(v.kind, v.level))
    problems.push({ field: 'body.kind', rule: 'kind_fits_level', message: `a ${v.kind} is ${LEVELS_OF_KIND[v.kind].join(' or ')}, not ${v.level}` });
  const regions = new Map((await q.regions(db, [v.countyCode, v.regionCode])).map((r) => [r.code, r]));
  if (regions.get(v.countyCode)?.level !== 'county') problems.push({ field: 'body.countyCode', rule: 'known_county', message: 'not a county (县、区) of the region catalogue' });
  const town = regions.get(v.regionCode);
  if (town?.level !== 'town' || town.parent_code !== v.countyCode) problems.push({ field: 'body.regionCode', rule: 'town_in_county', message: 'a town (乡镇、街道) of the chosen county' });
  if (v.medicalCommunityId) {
    const community = await q.medicalCommunity(db, v.medicalCommunityId);
    if (!community || community.county_code !== v.countyCode) problems.push({ field: 'body.medicalCommunityId', rule: 'community_in_county', message: 'a medical community of the chosen county' });
  }
  if (v.upperInstitutionId) {
    const upper = await q.institution(db, v.upperInstitutionId);
    const own = rankOf(v.kind, v.level);
    const theirs = upper ? rankOf(upper.kind, upper.level) : null;
    if (!upper || upper.id === selfId || own === null || theirs === null || theirs <= own || (selfId && (await q.upperChain(db, upper.id)).includes(selfId)))
      problems.push({ field: 'body.upperInstitutionId', rule: 'upper_is_higher', message: 'the upper institution ranks above this one (village clinic → centre → county hospital → tertiary hospital); a pharmacy has none' });
  }
  return problems;
}

export async function createInstitution(ctx: AppContext, actor: Actor, input: InstitutionInput) {
  await requireAccess(ctx, actor, 'institution.manage');
  const problems = await institutionProblems(ctx.db, input);
  if (problems.length) throw fail(problems);
  if (await q.institutionCodeTaken(ctx.db, input.code)) throw conflictAt('body.code', 'code_unique', 'This institution code is already in use');
  const values = {
    code: input.code, name: input.name, level: input.level, kind: input.kind, county_code: input.countyCode, region_code: input.regionCode,
    medical_community_id: input.medicalCommunityId ?? null, upper_institution_id: input.upperInstitutionId ?? null,
    designated: input.designated ?? true, address: input.address ?? null, phone: input.phone ?? null,
  };
  const id = await write(ctx, async (trx) => {
    const { id } = await trx.insertInto('institution').values(values).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'institution', entityId: id, detail: { created: values } }]);
    return id;
  });
  return institutionView((await q.institution(ctx.db, id))!);
}

export type InstitutionChanges = Partial<InstitutionInput>;

export async function updateInstitution(ctx: AppContext, actor: Actor, id: string, input: InstitutionChanges) {
  const row = await institutionOrRefuse(ctx, actor, id);
  const next = {
    level: input.level ?? row.level, kind: input.kind ?? row.kind, countyCode: input.countyCode ?? row.county_code, regionCode: input.regionCode ?? row.region_code,
    medicalCommunityId: input.medicalCommunityId === undefined ? row.medical_community_id : input.medicalCommunityId,
    upperInstitutionId: input.upperInstitutionId === undefined ? row.upper_institution_id : input.upperInstitutionId,
  };
  const problems = await institutionProblems(ctx.db, next, id);
  if (problems.length) throw fail(problems);
  if (input.code !== undefined && input.code !== row.code) {
    if (await q.institutionCodeTaken(ctx.db, input.code, id)) throw conflictAt('body.code', 'code_unique', 'This institution code is already in use');
    const used = await q.institutionUse(ctx.db, id);
    if (used.length) throw conflictAt('body.code', 'code_in_use', `The code of an institution in use is kept (it has ${used.join(', ')})`);
  }
  const rank = rankOf(next.kind, next.level);
  if (rank !== rankOf(row.kind, row.level)) {
    const lower = await q.lowerInstitutions(ctx.db, id);
    const above = lower.filter((l) => { const r = rankOf(l.kind, l.level); return rank === null || r === null || r >= rank; });
    if (above.length) throw conflictAt('body.kind', 'lower_institutions_rank', `Institutions under this one would no longer rank below it: ${above.map((l) => l.name).join('、')}`);
  }
  const before = { code: row.code, name: row.name, level: row.level, kind: row.kind, county_code: row.county_code, region_code: row.region_code, medical_community_id: row.medical_community_id, upper_institution_id: row.upper_institution_id, designated: row.designated, address: row.address, phone: row.phone };
  const after = {
    code: input.code, name: input.name, level: input.level, kind: input.kind, county_code: input.countyCode, region_code: input.regionCode,
    medical_community_id: input.medicalCommunityId, upper_institution_id: input.upperInstitutionId, designated: input.designated, address: input.address, phone: input.phone,
  };
  const changed = changes(before, after);
  if (Object.keys(changed).length) {
    await write(ctx, async (trx) => {
      const set = Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, v.to]));
      await trx.updateTable('institution').set(set).where('id', '=', id).execute();
      await writeAudit(trx, actor, [{ action: 'update', entity: 'institution', entityId: id, detail: { changed } }]);
    });
  }
  return institutionView((await q.institution(ctx.db, id))!);
}

const USE_OF_INSTITUTION: Record<string, string> = {
  practitioners: 'practitioners work there', teams: 'family-doctor teams belong to it', lower_institutions: 'institutions sit under it',
  users: 'user accounts are scoped to it', claims: 'claims were settled there', prescriptions: 'continuous prescriptions name it as pharmacy',
  filings: 'filings name it as pharmacy', conditions: 'diagnoses were recorded there',
};

export async function deleteInstitution(ctx: AppContext, actor: Actor, id: string) {
  const row = await institutionOrRefuse(ctx, actor, id);
  const used = await q.institutionUse(ctx.db, id);
  if (used.length) throw inUse('institution', used.map((u) => ({ rule: `institution_has_${u}`, message: USE_OF_INSTITUTION[u] ?? u })));
  await write(ctx, async (trx) => {
    await trx.deleteFrom('institution').where('id', '=', id).execute();
    await writeAudit(trx, actor, [{ action: 'delete', entity: 'institution', entityId: id, detail: { deleted: { code: row.code, name: row.name } } }]);
  });
}

// ---- medical communities ----

export async function listMedicalCommunities(ctx: AppContext, actor: Actor, countyCode?: string) {
  await requireAccess(ctx, actor, 'institution.manage');
  const rows = await q.medicalCommunities(ctx.db, countyCode);
  return rows.map((m) => ({ id: m.id, name: m.name, county: { code: m.county_code, name: m.county_name }, institutions: Number(m.institutions ?? 0), leadHospital: m.lead_hospital ?? null }));
}

export async function createMedicalCommunity(ctx: AppContext, actor: Actor, input: { name: string; countyCode: string }) {
  await requireAccess(ctx, actor, 'institution.manage');
  const [county] = await q.regions(ctx.db, [input.countyCode]);
  if (county?.level !== 'county') throw fail([{ field: 'body.countyCode', rule: 'known_county', message: 'not a county (县、区) of the region catalogue' }]);
  if (await q.communityNamed(ctx.db, input.countyCode, input.name)) throw conflictAt('body.name', 'community_name_unique', 'The county has a medical community of this name');
  const id = await write(ctx, async (trx) => {
    const { id } = await trx.insertInto('medical_community').values({ name: input.name, county_code: input.countyCode }).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'medical_community', entityId: id, detail: { created: { name: input.name, county_code: input.countyCode } } }]);
    return id;
  });
  return (await listMedicalCommunities(ctx, actor, input.countyCode)).find((m) => m.id === id)!;
}

// ---- the institution an administrator of teams and practitioners works in ----

/**
 * The institution a team or practitioner list keeps to: the one asked for (checked against the
 * caller's scope: 403 outside it), else the caller's own unless they may see every institution.
 */
async function institutionOfList(ctx: AppContext, actor: Actor, asked?: string): Promise<string | undefined> {
  if (asked) {
    await requireAccess(ctx, actor, 'team.manage', { institutionId: asked });
    return asked;
  }
  const everywhere = grantOf('team.manage', actor.user.role) === 'everywhere';
  await requireAccess(ctx, actor, 'team.manage', everywhere ? undefined : { institutionId: actor.user.institutionId });
  return everywhere ? undefined : actor.user.institutionId!;
}

/** An institution named in a request body: in the caller's scope (403), and one that exists (400 at the field). */
async function institutionForWrite(ctx: AppContext, actor: Actor, institutionId: string, field = 'body.institutionId') {
  await requireAccess(ctx, actor, 'team.manage', { institutionId });
  const inst = await q.institution(ctx.db, institutionId);
  if (!inst) throw fail([{ field, rule: 'known_institution', message: 'no such institution' }]);
  return inst;
}

// ---- practitioners ----

export interface PractitionerInput {
  name: string;
  profession: Profession;
  institutionId: string;
  licenseNo: string;
}

function practitionerView(p: NonNullable<Awaited<ReturnType<typeof q.practitioner>>>) {
  return {
    id: p.id, name: p.name, profession: p.profession, licenseNo: p.license_no,
    institution: { id: p.institution_id, name: p.institution_name },
    leadsTeams: Number(p.leads ?? 0), teams: Number(p.memberships ?? 0),
  };
}

export async function listPractitioners(ctx: AppContext, actor: Actor, f: Omit<q.PractitionerFilter, 'institutionId'> & { institutionId?: string }) {
  const institutionId = await institutionOfList(ctx, actor, f.institutionId);
  const { total, rows } = await q.listPractitioners(ctx.db, { ...f, institutionId });
  return { total, items: rows.map(practitionerView) };
}

async function practitionerOrRefuse(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.practitioner(ctx.db, id);
  await requireAccess(ctx, actor, 'team.manage', { institutionId: row?.institution_id ?? null });
  if (!row) throw notFound('No such practitioner');
  return row;
}

export async function getPractitioner(ctx: AppContext, actor: Actor, id: string) {
  return practitionerView(await practitionerOrRefuse(ctx, actor, id));
}

function professionFitsInstitution(profession: Profession, kind: InstitutionKind): FieldProblem[] {
  return kind === 'pharmacy' && profession !== 'pharmacist'
    ? [{ field: 'body.profession', rule: 'profession_fits_institution', message: 'a retail pharmacy’s staff are pharmacists' }]
    : [];
}

export async function createPractitioner(ctx: AppContext, actor: Actor, input: PractitionerInput) {
  const inst = await institutionForWrite(ctx, actor, input.institutionId);
  const problems = professionFitsInstitution(input.profession, inst.kind);
  if (problems.length) throw fail(problems);
  if (await q.licenceTaken(ctx.db, input.licenseNo)) throw conflictAt('body.licenseNo', 'licence_unique', 'This licence number is already registered');
  const values = { name: input.name, profession: input.profession, institution_id: input.institutionId, license_no: input.licenseNo };
  const id = await write(ctx, async (trx) => {
    const { id } = await trx.insertInto('practitioner').values(values).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'practitioner', entityId: id, detail: { created: values } }]);
    return id;
  });
  return practitionerView((await q.practitioner(ctx.db, id))!);
}

export async function updatePractitioner(ctx: AppContext, actor: Actor, id: string, input: Partial<PractitionerInput>) {
  const row = await practitionerOrRefuse(ctx, actor, id);
  const movesTo = input.institutionId !== undefined && input.institutionId !== row.institution_id ? await institutionForWrite(ctx, actor, input.institutionId) : null;
  const profession = input.profession ?? row.profession;
  const kind = movesTo?.kind ?? (await q.institution(ctx.db, row.institution_id))!.kind;
  const problems = professionFitsInstitution(profession, kind);
  if (problems.length) throw fail(problems);
  if (input.licenseNo !== undefined && input.licenseNo !== row.license_no && (await q.licenceTaken(ctx.db, input.licenseNo, id)))
    throw conflictAt('body.licenseNo', 'licence_unique', 'This licence number is already registered');
  const teams = await q.teamsOfPractitioner(ctx.db, id);
  if (profession !== row.profession) {
    const misfit = teams.filter((t) => (t.member_role && PROFESSION_FOR_ROLE[t.member_role] !== profession) || (t.leader_id === id && profession !== 'doctor'));
    if (misfit.length) throw conflictAt('body.profession', 'profession_in_use', `Their role on ${misfit.map((t) => t.name).join('、')} needs the present profession; change the team first`);
  }
  if (movesTo) {
    if (teams.some((t) => t.leader_id === id)) throw conflictAt('body.institutionId', 'leads_team', 'A team leader stays at the team’s institution; give the team another leader first');
    if (teams.length) throw conflictAt('body.institutionId', 'on_a_team', `They are on ${teams.map((t) => t.name).join('、')}; take them off the team first`);
  }
  const changed = changes({ name: row.name, profession: row.profession, license_no: row.license_no, institution_id: row.institution_id }, { name: input.name, profession: input.profession, license_no: input.licenseNo, institution_id: input.institutionId });
  if (Object.keys(changed).length) {
    await write(ctx, async (trx) => {
      await trx.updateTable('practitioner').set(Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, v.to]))).where('id', '=', id).execute();
      await writeAudit(trx, actor, [{ action: 'update', entity: 'practitioner', entityId: id, detail: { changed } }]);
    });
  }
  return practitionerView((await q.practitioner(ctx.db, id))!);
}

const USE_OF_PRACTITIONER: Record<string, string> = {
  team_leader: 'they lead a family-doctor team', team_member: 'they are a member of a family-doctor team',
  contract_doctor: 'they are the doctor of signed contracts', user_account: 'a user account is theirs',
};

export async function deletePractitioner(ctx: AppContext, actor: Actor, id: string) {
  const row = await practitionerOrRefuse(ctx, actor, id);
  const used = await q.practitionerUse(ctx.db, id);
  if (used.length) throw inUse('practitioner', used.map((u) => ({ rule: u, message: USE_OF_PRACTITIONER[u] ?? u })));
  await write(ctx, async (trx) => {
    await trx.deleteFrom('practitioner').where('id', '=', id).execute();
    await writeAudit(trx, actor, [{ action: 'delete', entity: 'practitioner', entityId: id, detail: { deleted: { name: row.name, license_no: row.license_no, institution_id: row.institution_id } } }]);
  });
}

// ---- family-doctor teams ----

async function teamViews(db: Database, rows: Array<NonNullable<Awaited<ReturnType<typeof q.team>>>>) {
  const members = await q.membersOf(db, rows.map((r) => r.id));
  return rows.map((t) => ({
    id: t.id, name: t.name, phone: t.phone,
    institution: { id: t.institution_id, name: t.institution_name },
    leader: { id: t.leader_id, name: t.leader_name },
    members: members.filter((m) => m.team_id === t.id).map((m) => ({
      practitionerId: m.id, name: m.name, profession: m.profession, role: m.member_role, licenseNo: m.license_no, institution: { id: m.institution_id, name: m.institution_name },
    })),
    contracted: Number(t.contracted ?? 0),
  }));
}

export async function listTeams(ctx: AppContext, actor: Actor, f: Omit<q.TeamFilter, 'institutionId'> & { institutionId?: string }) {
  const institutionId = await institutionOfList(ctx, actor, f.institutionId);
  const { total, rows } = await q.listTeams(ctx.db, { ...f, institutionId }, today(ctx));
  return { total, items: await teamViews(ctx.db, rows) };
}

async function teamOrRefuse(ctx: AppContext, actor: Actor, id: string) {
  const row = await q.team(ctx.db, id, today(ctx));
  await requireAccess(ctx, actor, 'team.manage', { institutionId: row?.institution_id ?? null });
  if (!row) throw notFound('No such team');
  return row;
}

export async function getTeam(ctx: AppContext, actor: Actor, id: string) {
  return (await teamViews(ctx.db, [await teamOrRefuse(ctx, actor, id)]))[0];
}

/** Who a team of the institution may take on, role by role: its staff, and the doctors of the institutions above it as specialists. */
export async function teamCandidates(ctx: AppContext, actor: Actor, institutionId: string) {
  await institutionForWrite(ctx, actor, institutionId, 'query.institutionId');
  const upper = await q.upperChain(ctx.db, institutionId);
  const rows = await q.teamCandidates(ctx.db, institutionId, upper);
  return rows.map((p) => ({ id: p.id, name: p.name, profession: p.profession, licenseNo: p.license_no, institution: { id: p.institution_id, name: p.institution_name }, ownInstitution: p.institution_id === institutionId }));
}

async function leaderProblems(db: Database, leaderId: string, institutionId: string): Promise<FieldProblem[]> {
  const [leader] = await q.practitionersByIds(db, [leaderId]);
  return leader && leader.profession === 'doctor' && leader.institution_id === institutionId
    ? []
    : [{ field: 'body.leaderId', rule: 'leader_doctor_of_institution', message: 'the team leader is a doctor of the team’s institution' }];
}

/** The "3+X" rules, and the leader kept on the team. */
async function membersCheck(db: Database, members: MemberInput[], institutionId: string, leaderId: string): Promise<FieldProblem[]> {
  const upper = await q.upperChain(db, institutionId);
  const known = new Map<string, Candidate>((await q.practitionersByIds(db, [...new Set(members.map((m) => m.practitionerId))])).map((p) => [p.id, { id: p.id, profession: p.profession, institutionId: p.institution_id }]));
  const problems = memberProblems(members, known, institutionId, upper);
  if (!members.some((m) => m.practitionerId === leaderId))
    problems.push({ field: 'body.members', rule: 'leader_on_team', message: 'the team leader is one of its members' });
  return problems;
}

export interface TeamInput {
  name: string;
  institutionId: string;
  leaderId: string;
  phone?: string | null;
  /** The "3+X" members; left out, the team starts with its leader as the GP and is completed later. */
  members?: MemberInput[];
}

export async function createTeam(ctx: AppContext, actor: Actor, input: TeamInput) {
  const inst = await institutionForWrite(ctx, actor, input.institutionId);
  const problems: FieldProblem[] = [];
  if (inst.level !== 'grassroots') problems.push({ field: 'body.institutionId', rule: 'grassroots_institution', message: 'family-doctor teams work at grassroots institutions (社区卫生服务中心、乡镇卫生院、村卫生室)' });
  problems.push(...(await leaderProblems(ctx.db, input.leaderId, input.institutionId)));
  const members = input.members ?? [{ practitionerId: input.leaderId, role: 'gp' as const }];
  if (input.members && problems.length === 0) problems.push(...(await membersCheck(ctx.db, members, input.institutionId, input.leaderId)));
  if (problems.length) throw fail(problems);
  if (await q.teamNamed(ctx.db, input.institutionId, input.name)) throw conflictAt('body.name', 'team_name_unique', 'The institution has a team of this name');
  const values = { name: input.name, institution_id: input.institutionId, leader_id: input.leaderId, phone: input.phone ?? null };
  const id = await write(ctx, async (trx) => {
    const { id } = await trx.insertInto('family_doctor_team').values(values).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('team_member').values(members.map((m) => ({ team_id: id, practitioner_id: m.practitionerId, member_role: m.role }))).execute();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'team', entityId: id, detail: { created: values, members: members.map((m) => ({ practitioner_id: m.practitionerId, role: m.role })) } }]);
    return id;
  });
  return getTeam(ctx, actor, id);
}

export async function updateTeam(ctx: AppContext, actor: Actor, id: string, input: { name?: string; leaderId?: string; phone?: string | null }) {
  const row = await teamOrRefuse(ctx, actor, id);
  if (input.leaderId !== undefined && input.leaderId !== row.leader_id) {
    const problems = await leaderProblems(ctx.db, input.leaderId, row.institution_id);
    const members = await q.membersOf(ctx.db, [id]);
    if (!problems.length && !members.some((m) => m.id === input.leaderId))
      problems.push({ field: 'body.leaderId', rule: 'leader_on_team', message: 'the team leader is one of its members; add them first' });
    if (problems.length) throw fail(problems);
  }
  if (input.name !== undefined && input.name !== row.name && (await q.teamNamed(ctx.db, row.institution_id, input.name, id)))
    throw conflictAt('body.name', 'team_name_unique', 'The institution has a team of this name');
  const changed = changes({ name: row.name, leader_id: row.leader_id, phone: row.phone }, { name: input.name, leader_id: input.leaderId, phone: input.phone });
  if (Object.keys(changed).length) {
    await write(ctx, async (trx) => {
      await trx.updateTable('family_doctor_team').set(Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, v.to]))).where('id', '=', id).execute();
      await writeAudit(trx, actor, [{ action: 'update', entity: 'team', entityId: id, detail: { changed } }]);
    });
  }
  return getTeam(ctx, actor, id);
}

/**
 * Replaces the team's members ("3+X": GP, nurse and public-health worker required, specialists
 * optional), and with them, when given, the leader (one of the new members), in one change.
 */
export async function setTeamMembers(ctx: AppContext, actor: Actor, id: string, members: MemberInput[], leaderId?: string) {
  const row = await teamOrRefuse(ctx, actor, id);
  const leader = leaderId ?? row.leader_id;
  const problems = leader !== row.leader_id ? await leaderProblems(ctx.db, leader, row.institution_id) : [];
  problems.push(...(await membersCheck(ctx.db, members, row.institution_id, leader)));
  if (problems.length) throw fail(problems);
  const before = await q.membersOf(ctx.db, [id]);
  // a family doctor's account is of this team: they stay on it until the account is moved
  const accounts = await ctx.db.selectFrom('app_user').select(['practitioner_id', 'username']).where('team_id', '=', id).where('practitioner_id', 'is not', null).execute();
  const leaving = accounts.filter((a) => !members.some((m) => m.practitionerId === a.practitioner_id));
  if (leaving.length) throw conflict('member_has_account', `A member signs in for this team (${leaving.map((a) => a.username).join(', ')}); move their account to another team first`);
  const key = (m: { practitionerId: string; role: string }) => `${m.practitionerId}:${m.role}`;
  const was = before.map((m) => ({ practitionerId: m.id, role: m.member_role }));
  const added = members.filter((m) => !was.some((w) => key(w) === key(m)));
  const removed = was.filter((w) => !members.some((m) => key(w) === key(m)));
  const newLeader = leader !== row.leader_id;
  if (added.length || removed.length || newLeader) {
    await write(ctx, async (trx) => {
      await trx.deleteFrom('team_member').where('team_id', '=', id).execute();
      await trx.insertInto('team_member').values(members.map((m) => ({ team_id: id, practitioner_id: m.practitionerId, member_role: m.role }))).execute();
      if (newLeader) await trx.updateTable('family_doctor_team').set({ leader_id: leader }).where('id', '=', id).execute();
      await writeAudit(trx, actor, [{
        action: 'update', entity: 'team', entityId: id,
        detail: {
          members: { added: added.map((m) => ({ practitioner_id: m.practitionerId, role: m.role })), removed: removed.map((m) => ({ practitioner_id: m.practitionerId, role: m.role })) },
          ...(newLeader ? { changed: { leader_id: { from: row.leader_id, to: leader } } } : {}),
        },
      }]);
    });
  }
  return getTeam(ctx, actor, id);
}

const USE_OF_TEAM: Record<string, string> = {
  contracts: 'residents signed contracts with it', filings: 'it filed registrations', followups: 'it recorded follow-up visits',
  health_checks: 'it recorded health checks', users: 'family doctors sign in for it',
};

export async function deleteTeam(ctx: AppContext, actor: Actor, id: string) {
  const row = await teamOrRefuse(ctx, actor, id);
  const used = await q.teamUse(ctx.db, id);
  if (used.length) throw inUse('team', used.map((u) => ({ rule: `team_has_${u}`, message: USE_OF_TEAM[u] ?? u })));
  await write(ctx, async (trx) => {
    await trx.deleteFrom('family_doctor_team').where('id', '=', id).execute(); // its members go with it (on delete cascade)
    await writeAudit(trx, actor, [{ action: 'delete', entity: 'team', entityId: id, detail: { deleted: { name: row.name, institution_id: row.institution_id } } }]);
  });
}

// ---- read-only catalogues ----

/** Every policy with its period and whether it is in force on the date; for a region, the one that applies there. */
export async function listPolicies(ctx: AppContext, actor: Actor, f: { regionCode?: string; date?: string }) {
  await requireAccess(ctx, actor, 'catalogue.read');
  const date = f.date ?? today(ctx);
  if (!isIsoDate(date)) throw fail([{ field: 'query.date', rule: 'invalid_date', message: 'a calendar date YYYY-MM-DD' }]);
  const applying = f.regionCode ? ctx.policies.forRegion(f.regionCode, date) : undefined;
  return {
    date,
    regionCode: f.regionCode ?? null,
    applies: f.regionCode ? (applying?.id ?? null) : null,
    items: ctx.policies.all.map((e) => policySummary(e, date)).sort((a, b) => a.region.code.localeCompare(b.region.code) || a.effective.from.localeCompare(b.effective.from)),
  };
}

export async function getPolicy(ctx: AppContext, actor: Actor, id: string) {
  await requireAccess(ctx, actor, 'catalogue.read');
  const entry = ctx.policies.byId(id);
  if (!entry) throw notFound('No such policy');
  const view = policyView(entry, today(ctx));
  const codes = diseasesOf(view);
  const diseases = codes.length ? await ctx.db.selectFrom('disease').select(['code', 'name_zh', 'name_en']).where('code', 'in', codes).execute() : [];
  const lists = loadDrugLists();
  return {
    ...view,
    diseaseNames: diseases.map((d) => ({ code: d.code, nameZh: d.name_zh, nameEn: d.name_en })),
    drugLists: lists.map((l) => ({ id: l.id, nameZh: l.nameZh, nameEn: l.nameEn })),
  };
}

export interface DrugFilter {
  list?: string;
  disease?: string;
  vbp?: boolean;
  q?: string;
}

/** The drug catalogue with the names of its lists (药品目录), filtered by list, disease, volume-based procurement (集采) and name or code. */
export async function listDrugs(ctx: AppContext, actor: Actor, f: DrugFilter) {
  await requireAccess(ctx, actor, 'catalogue.read');
  let query = ctx.db.selectFrom('drug').selectAll().orderBy('code');
  if (f.disease) query = query.where((eb) => eb(eb.val(f.disease!), '=', eb.fn.any('diseases')));
  if (f.list === 'none') query = query.where((eb) => eb(eb.fn('cardinality', ['lists']), '=', 0));
  else if (f.list) query = query.where((eb) => eb(eb.val(f.list!), '=', eb.fn.any('lists')));
  if (f.vbp !== undefined) query = query.where('vbp', '=', f.vbp);
  if (f.q) {
    const text = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('generic_name_zh', 'like', text), eb('generic_name_en', 'ilike', text), eb('code', 'ilike', text), eb('atc', 'ilike', text)]));
  }
  const [rows, diseases] = await Promise.all([query.execute(), ctx.db.selectFrom('disease').select(['code', 'name_zh', 'name_en']).orderBy('code').execute()]);
  return {
    lists: loadDrugLists().map((l) => ({ id: l.id, nameZh: l.nameZh, nameEn: l.nameEn })),
    diseases: diseases.map((d) => ({ code: d.code, nameZh: d.name_zh, nameEn: d.name_en })),
    items: rows.map((d) => ({
      code: d.code, genericNameZh: d.generic_name_zh, genericNameEn: d.generic_name_en, form: d.form, strength: d.strength, packSize: d.pack_size,
      unit: d.unit, atc: d.atc, diseases: d.diseases, vbp: d.vbp, priceFen: d.price_fen, lists: d.lists,
    })),
  };
}
