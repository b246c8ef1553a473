import type { Database } from '../../db/connect';

export function findUserForLogin(db: Database, username: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'failed_logins', 'locked_until'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function recordFailedLogin(db: Database, userId: string, failures: number, lockedUntil: Date | null) {
  await db.updateTable('app_user').set({ failed_logins: failures, locked_until: lockedUntil }).where('id', '=', userId).execute();
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

/** The user behind a live session, with the names and region of their scope, in one round trip. */
export function findSessionUser(db: Database, tokenHash: string, now: Date) {
  return db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .leftJoin('family_doctor_team as t', 't.id', 'u.team_id')
    .leftJoin('institution as ti', 'ti.id', 't.institution_id')
    .leftJoin('institution as i', 'i.id', 'u.institution_id')
    .leftJoin('region as r', 'r.code', 'u.region_code')
    .leftJoin('person as p', 'p.id', 'u.person_id')
    .select([
      'u.id', 'u.username', 'u.display_name', 'u.role', 'u.practitioner_id', 'u.team_id', 'u.institution_id',
      'u.region_code', 'u.person_id', 't.name as team_name', 'ti.region_code as team_region', 'ti.id as team_institution_id',
      'i.name as institution_name', 'i.county_code as institution_county', 'r.name as region_name', 'p.name as person_name', 's.expires_at',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteExpiredSessions(db: Database, now: Date) {
  await db.deleteFrom('user_session').where('expires_at', '<=', now).execute();
}
