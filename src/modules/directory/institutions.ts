// Institutions and medical communities (issue 13, the system administrator): an institution's kind
// fits its level, its town lies in its county, its medical community in its county and its upper
// institution ranks above it; a code in use is kept, and nothing referenced is deleted.
import type { Database } from '../../db/connect';
import type { InstitutionKind, InstitutionLevel } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { type FieldProblem, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import * as q from './queries';
import { kindFitsLevel, LEVELS_OF_KIND, rankOf } from './rules';
import { changes, conflictAt, fail, inUse, write } from './shared';

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
