// Practitioners with their licence numbers (issue 13: the system administrator everywhere, an
// institution's administrator within its own): a retail pharmacy's staff are pharmacists, a licence
// number is registered once, and a team member's profession and institution are kept while the team needs them.
import type { InstitutionKind } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { type FieldProblem, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import * as q from './queries';
import { PROFESSION_FOR_ROLE, type Profession } from './rules';
import { changes, conflictAt, fail, inUse, institutionForWrite, institutionOfList, write } from './shared';

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
