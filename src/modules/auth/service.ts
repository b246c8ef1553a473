// Sign-in with argon2id passwords, sessions kept in the database as hashes of random tokens,
// and a lock that doubles with each failure past the fifth (up to 15 minutes) so guessing is slowed
// to a crawl. Each attempt is counted in the database before the password is checked, so parallel
// guesses cannot outrun the lock; and a locked account answers exactly like a wrong password or an
// unknown username, so the lock tells no one which usernames exist.
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { badRequest, unauthorized } from '../../core/problem';
import { PASSWORD_RULE_TEXT, passwordProblems } from '../../engine/identity/password';
import { hashPassword, verifyPassword, unknownUserHash } from './password';

/** Hashing a password is the auth module's: the demo loader and (later) user administration ask here. */
export { hashPassword } from './password';
import * as q from './queries';
import type { AuthUser, ScopeKind } from '../../core/user';

const FREE_FAILURES = 5;
const FIRST_LOCK_SECONDS = 15;
const MAX_LOCK_SECONDS = 15 * 60;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** How long an account stays locked after its n-th consecutive failure (0 = not locked); q.claimLoginAttempt computes the same in SQL. */
export function lockSecondsAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(FIRST_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES), MAX_LOCK_SECONDS);
}

/** The one answer to an unknown username, a wrong password and a locked account alike. */
export const LOGIN_REFUSED = 'Wrong username or password (after repeated failures, sign-in is paused for a while)';

export async function login(ctx: AppContext, username: string, password: string, ip: string | null) {
  const now = ctx.now();
  const user = await q.findUserForLogin(ctx.db, username);
  const claim = user
    ? await q.claimLoginAttempt(ctx.db, user.id, now, { freeFailures: FREE_FAILURES, firstLockSeconds: FIRST_LOCK_SECONDS, maxLockSeconds: MAX_LOCK_SECONDS })
    : undefined;
  // unknown and locked are verified against a stand-in hash, so every refusal takes as long; a disabled
  // account is refused like a wrong password (it tells no one the account exists)
  const ok = await verifyPassword(user && claim ? user.password_hash : await unknownUserHash, password);
  if (!user || !claim || !ok || user.disabled_at) throw unauthorized(LOGIN_REFUSED);
  await q.clearFailedLogins(ctx.db, user.id);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ctx.config.SESSION_HOURS * 3600_000);
  await q.insertSession(ctx.db, { token_hash: hashToken(token), user_id: user.id, expires_at: expiresAt, ip });
  const authUser = await userForToken(ctx, token);
  return { token, expiresAt, user: authUser! };
}

/** Forgets the cached sessions of a user whose sessions were ended, role changed or password reset. */
export function forgetSessionsOf(ctx: AppContext, userId: string) {
  const cache = sessionCache(ctx);
  for (const [hash, s] of cache) if (s.user.id === userId) cache.delete(hash);
}

/**
 * 修改密码: the user's own, with the current one; after a reset it is the only thing the account may do
 * (server/auth.ts). The user's other sessions end; this one goes on without the restriction.
 */
export async function changeOwnPassword(ctx: AppContext, actor: Actor, token: string, current: string, next: string) {
  const row = await ctx.db.selectFrom('app_user').select(['password_hash']).where('id', '=', actor.user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, current)))
    throw badRequest('The current password is wrong', [{ field: 'body.currentPassword', rule: 'wrong_password', message: 'the current password is wrong' }]);
  const problems = passwordProblems(next, actor.user.username, current);
  if (problems.length)
    throw badRequest('The new password does not meet the rules', problems.map((rule) => ({ field: 'body.newPassword', rule, message: PASSWORD_RULE_TEXT[rule].en })));
  const hash = await hashPassword(next);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ password_hash: hash, must_change_password: false, password_changed_at: ctx.now() }).where('id', '=', actor.user.id).execute();
    await trx.deleteFrom('user_session').where('user_id', '=', actor.user.id).where('token_hash', '!=', hashToken(token)).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'app_user.password', entityId: actor.user.id }]);
  });
  forgetSessionsOf(ctx, actor.user.id);
}

export async function logout(ctx: AppContext, token: string) {
  const tokenHash = hashToken(token);
  sessionCache(ctx).delete(tokenHash);
  await q.deleteSession(ctx.db, tokenHash);
}

// Every API call resolves its session, and a sale at the counter should not wait on a database round
// trip for it: a process remembers a session for a few seconds. Logout forgets it at once; a session
// ended by another process lives on here for at most SESSION_CACHE_MS.
const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;
type CachedSession = { user: AuthUser; expiresAt: Date; freshUntil: number };
const sessionCaches = new WeakMap<AppContext, Map<string, CachedSession>>();

function sessionCache(ctx: AppContext) {
  let cache = sessionCaches.get(ctx);
  if (!cache) sessionCaches.set(ctx, (cache = new Map()));
  return cache;
}

export async function userForToken(ctx: AppContext, token: string): Promise<AuthUser | null> {
  const tokenHash = hashToken(token);
  const now = ctx.now();
  const cache = sessionCache(ctx);
  const hit = cache.get(tokenHash);
  if (hit && hit.freshUntil > now.getTime() && hit.expiresAt > now) return hit.user;
  const row = await q.findSessionUser(ctx.db, tokenHash, now);
  if (!row) {
    cache.delete(tokenHash);
    return null;
  }
  const user = authUserOf(row);
  if (cache.size >= SESSION_CACHE_MAX) cache.clear();
  cache.set(tokenHash, { user, expiresAt: new Date(row.expires_at), freshUntil: now.getTime() + SESSION_CACHE_MS });
  return user;
}

function authUserOf(row: SessionRow): AuthUser {
  const scope = scopeOf(row);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    scope,
    practitionerId: row.practitioner_id,
    teamId: row.team_id,
    institutionId: row.institution_id ?? row.team_institution_id,
    personId: row.person_id,
    deliveryProviderId: row.delivery_provider_id,
    mustChangePassword: row.must_change_password,
  };
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof q.findSessionUser>>>;

/** Each role works in one scope; the region prefix is what decides which people it may see. */
function scopeOf(row: SessionRow): AuthUser['scope'] {
  const scope = (kind: ScopeKind, id: string | null, name: string | null, regionPrefix: string | null) => ({ kind, id, name: name ?? '', regionPrefix });
  switch (row.role) {
    case 'family_doctor': // the team's catchment: the town its institution serves
      return scope('team', row.team_id, row.team_name, row.team_region);
    case 'pharmacist':
    case 'institution_admin': // anyone insured in the institution's county may come to its counter
      return scope('institution', row.institution_id, row.institution_name, row.institution_county);
    case 'specialist': // a hospital doctor: a tertiary (city) hospital serves the city, a secondary one its county
      return scope('institution', row.institution_id, row.institution_name, row.institution_level === 'tertiary' ? (row.institution_county?.slice(0, 4) ?? null) : row.institution_county);
    case 'insurance_reviewer':
      return scope('county', row.region_code, row.region_name, row.region_code);
    case 'analyst':
      return scope('city', row.region_code, row.region_name, row.region_code);
    case 'patient':
      return scope('person', row.person_id, row.display_name, null);
    case 'delivery': // the provider delivers to the county it serves
      return scope('provider', row.delivery_provider_id, row.provider_name, row.provider_county);
    case 'system_admin':
      return scope('all', null, '全部', '');
  }
}
