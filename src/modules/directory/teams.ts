// Family-doctor teams and their "3+X" members (issue 13: the system administrator everywhere, an
// institution's administrator within its own): a team works at a grassroots institution, is led by one
// of its doctors who is on the team, and has a GP, a nurse and a public-health worker, specialists from
// the institution or those above it; a member who signs in for the team stays on it.
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { conflict, type FieldProblem, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import * as q from './queries';
import { type Candidate, type MemberInput, memberProblems } from './rules';
import { changes, conflictAt, fail, inUse, institutionForWrite, institutionOfList, today, write } from './shared';

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
