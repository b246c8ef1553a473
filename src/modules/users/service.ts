// 用户管理: accounts with a role and exactly the scope that role works in (the app_user CHECK holds
// the same rule), created with a one-time password the user must change at first sign-in, edited,
// disabled (sessions end at once) and reset. The system administrator manages everyone; an
// institution's administrator only the doctors, pharmacists and administrators of its institution.
import { randomInt } from 'node:crypto';
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { badRequest, conflict, notFound, type FieldProblem } from '../../core/problem';
import type { Database } from '../../db/connect';
import type { Role } from '../../db/schema';
import { forgetSessionsOf, hashPassword } from '../auth/service';
import * as q from './queries';

export interface UserScopeInput {
  role: Role;
  teamId?: string | null;
  practitionerId?: string | null;
  institutionId?: string | null;
  regionCode?: string | null;
  personId?: string | null;
  deliveryProviderId?: string | null;
}
type ScopeColumns = { role: Role; team_id: string | null; practitioner_id: string | null; institution_id: string | null; region_code: string | null; person_id: string | null; delivery_provider_id: string | null };

/** The roles an institution's administrator may give: the people who work in an institution. */
const INSTITUTION_ROLES: readonly Role[] = ['family_doctor', 'pharmacist', 'institution_admin', 'specialist'];

const problem = (field: string, rule: string, message: string): FieldProblem => ({ field: `body.${field}`, rule, message });

/** Checks the scope against the directory and answers the columns it sets, and the institution it lies in. */
async function resolveScope(db: Database, s: UserScopeInput): Promise<{ columns: ScopeColumns; institutionId: string | null }> {
  const none: ScopeColumns = { role: s.role, team_id: null, practitioner_id: null, institution_id: null, region_code: null, person_id: null, delivery_provider_id: null };
  const fail = (field: string, rule: string, message: string) => badRequest(message, [problem(field, rule, message)]);
  switch (s.role) {
    case 'family_doctor': {
      if (!s.teamId) throw fail('teamId', 'required_for_role', 'A family doctor belongs to a team');
      if (!s.practitionerId) throw fail('practitionerId', 'required_for_role', 'A family doctor is a practitioner of the team');
      const team = await db.selectFrom('family_doctor_team').select('institution_id').where('id', '=', s.teamId).executeTakeFirst();
      if (!team) throw fail('teamId', 'unknown_team', 'No such team');
      const member = await db.selectFrom('team_member as m').innerJoin('practitioner as p', 'p.id', 'm.practitioner_id').select('p.profession')
        .where('m.team_id', '=', s.teamId).where('m.practitioner_id', '=', s.practitionerId).executeTakeFirst();
      if (!member || member.profession !== 'doctor') throw fail('practitionerId', 'doctor_of_team', 'The practitioner must be a doctor on the team');
      return { columns: { ...none, team_id: s.teamId, practitioner_id: s.practitionerId }, institutionId: team.institution_id };
    }
    case 'pharmacist':
    case 'institution_admin': {
      if (!s.institutionId) throw fail('institutionId', 'required_for_role', 'This role works in an institution');
      const inst = await db.selectFrom('institution').select('id').where('id', '=', s.institutionId).executeTakeFirst();
      if (!inst) throw fail('institutionId', 'unknown_institution', 'No such institution');
      if (s.practitionerId) {
        const p = await db.selectFrom('practitioner').select(['institution_id', 'profession']).where('id', '=', s.practitionerId).executeTakeFirst();
        if (!p || p.institution_id !== s.institutionId || (s.role === 'pharmacist' && p.profession !== 'pharmacist'))
          throw fail('practitionerId', 'practitioner_of_institution', 'The practitioner must work in the institution (a pharmacist for a pharmacist)');
      }
      return { columns: { ...none, institution_id: s.institutionId, practitioner_id: s.practitionerId ?? null }, institutionId: s.institutionId };
    }
    case 'specialist': {
      // a hospital doctor (医院医生): of a secondary or tertiary hospital, the upper level that receives referrals
      const inst = s.institutionId ? await db.selectFrom('institution').select(['id', 'level']).where('id', '=', s.institutionId).executeTakeFirst() : undefined;
      if (!inst) throw fail('institutionId', s.institutionId ? 'unknown_institution' : 'required_for_role', 'A hospital doctor works in a secondary or tertiary hospital');
      if (inst.level !== 'secondary' && inst.level !== 'tertiary') throw fail('institutionId', 'referral_hospital', 'A hospital doctor works in a secondary or tertiary hospital');
      if (s.practitionerId) {
        const p = await db.selectFrom('practitioner').select(['institution_id', 'profession']).where('id', '=', s.practitionerId).executeTakeFirst();
        if (!p || p.institution_id !== s.institutionId || p.profession !== 'doctor')
          throw fail('practitionerId', 'practitioner_of_institution', 'The practitioner must be a doctor of the hospital');
      }
      return { columns: { ...none, institution_id: s.institutionId!, practitioner_id: s.practitionerId ?? null }, institutionId: s.institutionId! };
    }
    case 'insurance_reviewer':
    case 'analyst': {
      const level = s.role === 'insurance_reviewer' ? 'county' : 'city';
      const region = s.regionCode ? await db.selectFrom('region').select('level').where('code', '=', s.regionCode).executeTakeFirst() : undefined;
      if (!region || region.level !== level)
        throw fail('regionCode', level === 'county' ? 'county_required' : 'city_required', `This role works for a ${level} (its region code)`);
      return { columns: { ...none, region_code: s.regionCode! }, institutionId: null };
    }
    case 'patient': {
      const person = s.personId ? await db.selectFrom('person').select('id').where('id', '=', s.personId).executeTakeFirst() : undefined;
      if (!person) throw fail('personId', 'unknown_person', 'A patient account belongs to an insured person');
      return { columns: { ...none, person_id: s.personId! }, institutionId: null };
    }
    case 'delivery': {
      const provider = s.deliveryProviderId ? await db.selectFrom('delivery_provider').select('id').where('id', '=', s.deliveryProviderId).executeTakeFirst() : undefined;
      if (!provider) throw fail('deliveryProviderId', 'unknown_provider', 'A delivery account belongs to a delivery provider');
      return { columns: { ...none, delivery_provider_id: s.deliveryProviderId! }, institutionId: null };
    }
    case 'system_admin':
      return { columns: none, institutionId: null };
  }
}

/**
 * user.manage for the institution the account lies in. An institution admin managing a role that works
 * in no institution (a reviewer, a patient) is refused like an account outside its institution.
 */
async function mayManage(ctx: AppContext, actor: Actor, institutionId: string | null, role: Role) {
  const institutionRole = actor.user.role !== 'institution_admin' || INSTITUTION_ROLES.includes(role);
  await requireAccess(ctx, actor, 'user.manage', { institutionId: institutionRole ? institutionId : null });
}

/** 12 characters without look-alikes (0/O, 1/l/I), always with letters and digits. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const chars = [letters[randomInt(letters.length)], digits[randomInt(digits.length)], ...Array.from({ length: 10 }, () => all[randomInt(all.length)])];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export async function listUsers(ctx: AppContext, actor: Actor, f: Omit<q.UserFilter, 'institutionId'>) {
  await requireAccess(ctx, actor, 'user.manage');
  const institutionId = actor.user.role === 'institution_admin' ? actor.user.institutionId! : undefined;
  const { rows, total } = await q.listUsers(ctx.db, { ...f, institutionId });
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'app_user', detail: { ...f } }]);
  return { items: rows.map(userOut), total };
}

export async function createUser(ctx: AppContext, actor: Actor, input: UserScopeInput & { username: string; displayName: string }) {
  const { columns, institutionId } = await resolveScope(ctx.db, input);
  await mayManage(ctx, actor, institutionId, input.role);
  const password = temporaryPassword();
  const taken = await ctx.db.selectFrom('app_user').select('id').where('username', '=', input.username).executeTakeFirst();
  if (taken) throw conflict('username_taken', `The username ${input.username} is taken`);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('app_user')
      .values({ ...columns, username: input.username, display_name: input.displayName, password_hash: await hashPassword(password), must_change_password: true })
      .returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'app_user', entityId: row.id, detail: { username: input.username, ...columns } }]);
    return row.id;
  });
  return { user: userOut((await q.findUser(ctx.db, id))!), temporaryPassword: password };
}

/** The account, checked against the caller's scope before anything is read or changed. */
async function existing(ctx: AppContext, actor: Actor, id: string) {
  const user = await q.findUser(ctx.db, id);
  await mayManage(ctx, actor, user?.institution_id ?? null, user?.role ?? 'system_admin');
  if (!user) throw notFound('No such user');
  return user;
}

export async function updateUser(ctx: AppContext, actor: Actor, id: string, input: { displayName?: string; scope?: UserScopeInput }) {
  const user = await existing(ctx, actor, id);
  if (user.id === actor.user.id && input.scope && input.scope.role !== user.role) throw conflict('own_role', 'You cannot change your own role');
  const scope = input.scope ? await resolveScope(ctx.db, input.scope) : null;
  if (scope) await mayManage(ctx, actor, scope.institutionId, input.scope!.role);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ ...(input.displayName ? { display_name: input.displayName } : {}), ...(scope?.columns ?? {}) }).where('id', '=', id).execute();
    // a changed role or scope takes effect now: the old sessions carried the old one
    if (scope) await q.endSessions(trx, id);
    await writeAudit(trx, actor, [{ action: 'update', entity: 'app_user', entityId: id, detail: { displayName: input.displayName, ...(scope?.columns ?? {}) } }]);
  });
  if (scope) forgetSessionsOf(ctx, id);
  return userOut((await q.findUser(ctx.db, id))!);
}

export async function setDisabled(ctx: AppContext, actor: Actor, id: string, disabled: boolean) {
  const user = await existing(ctx, actor, id);
  if (user.id === actor.user.id) throw conflict('own_account', 'You cannot disable your own account');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ disabled_at: disabled ? ctx.now() : null }).where('id', '=', id).execute();
    if (disabled) await q.endSessions(trx, id);
    await writeAudit(trx, actor, [{ action: 'update', entity: 'app_user', entityId: id, detail: { disabled } }]);
  });
  forgetSessionsOf(ctx, id);
  return userOut((await q.findUser(ctx.db, id))!);
}

/** A new one-time password, shown once to the administrator; the user must change it at next sign-in. */
export async function resetPassword(ctx: AppContext, actor: Actor, id: string) {
  await existing(ctx, actor, id);
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ password_hash: hash, must_change_password: true, failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    await q.endSessions(trx, id);
    await writeAudit(trx, actor, [{ action: 'update', entity: 'app_user.password', entityId: id, detail: { reset: true } }]);
  });
  forgetSessionsOf(ctx, id);
  return { temporaryPassword: password };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function userOut(u: q.UserRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    team: u.team_id ? { id: u.team_id, name: u.team_name ?? '' } : null,
    institution: u.institution_id ? { id: u.institution_id, name: u.institution_name ?? '' } : null,
    region: u.region_code ? { code: u.region_code, name: u.region_name ?? '' } : null,
    practitioner: u.practitioner_id ? { id: u.practitioner_id, name: u.practitioner_name ?? '' } : null,
    personId: u.person_id,
    deliveryProvider: u.delivery_provider_id ? { id: u.delivery_provider_id, name: u.provider_name ?? '' } : null,
    demo: u.demo,
    disabledAt: iso(u.disabled_at),
    mustChangePassword: u.must_change_password,
    lockedUntil: iso(u.locked_until),
    createdAt: iso(u.created_at)!,
    passwordChangedAt: iso(u.password_changed_at),
  };
}
