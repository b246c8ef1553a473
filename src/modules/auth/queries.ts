import { sql } from 'kysely';
import type { Database } from '../../db/connect';

export function findUserForLogin(db: Database, username: string) {
  return db.selectFrom('app_user').select(['id', 'password_hash', 'disabled_at']).where('username', '=', username).executeTakeFirst();
}

/**
 * Claims one sign-in attempt in a single statement: counts it as a failure and, from the fifth on,
 * locks the account for firstLockSeconds doubling per further failure up to maxLockSeconds — unless
 * it is locked already, when nothing changes and no row comes back. The password is checked only
 * after a claim, so parallel guesses cannot outrun the count. A success clears it (clearFailedLogins).
 */
export function claimLoginAttempt(db: Database, userId: string, now: Date, lock: { freeFailures: number; firstLockSeconds: number; maxLockSeconds: number }) {
  return db
    .updateTable('app_user')
    .set({
      failed_logins: sql<number>`failed_logins + 1`,
      locked_until: sql<Date | null>`case when failed_logins + 1 >= ${lock.freeFailures}
        then ${now}::timestamptz + make_interval(secs => least(${lock.firstLockSeconds}::float8 * power(2, least(failed_logins + 1 - ${lock.freeFailures}, 30)), ${lock.maxLockSeconds}::float8))
        else null end`,
    })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirst();
}

export async function clearFailedLogins(db: Database, userId: string) {
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function insertSession(db: Database, row: { token_hash: string; user_id: string; expires_at: Date; ip: string | null }) {
  await db.insertInto('user_session').values(row).execute();
}

export async function deleteSession(db: Database, tokenHash: string) {
  await db.deleteFrom('user_session').where('token_hash', '=', tokenHash).execute();
}

/**
 * The user behind a live session, with the names and region of their scope, in one round trip. It joins
 * the session with reference tables only (a patient's account names its person, whose name is the
 * account's display name), so on a sharded database it never reaches into a shard.
 */
export function findSessionUser(db: Database, tokenHash: string, now: Date) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .leftJoin('family_doctor_team as t', 't.id', 'u.team_id')
    .leftJoin('institution as ti', 'ti.id', 't.institution_id')
    .leftJoin('institution as i', 'i.id', 'u.institution_id')
    .leftJoin('region as r', 'r.code', 'u.region_code')
    .leftJoin('delivery_provider as dp', 'dp.id', 'u.delivery_provider_id')
    .select([
      'u.id', 'u.username', 'u.display_name', 'u.role', 'u.practitioner_id', 'u.team_id', 'u.institution_id',
      'u.region_code', 'u.person_id', 'u.must_change_password', 't.name as team_name', 'ti.region_code as team_region', 'ti.id as team_institution_id',
      'i.name as institution_name', 'i.county_code as institution_county', 'i.level as institution_level', 'r.name as region_name', 's.expires_at',
      'u.delivery_provider_id', 'dp.name as provider_name', 'dp.county_code as provider_county',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteExpiredSessions(db: Database, now: Date) {
  await db.deleteFrom('user_session').where('expires_at', '<=', now).execute();
}
