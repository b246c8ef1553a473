import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { Role } from '../../db/schema';

/** What a user looks like to its administrator: role, scope and the names that make it readable. */
export function usersQuery(db: Database) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('family_doctor_team as t', 't.id', 'u.team_id')
    .leftJoin('institution as i', (j) => j.on((eb) => eb('i.id', '=', eb.fn.coalesce('u.institution_id', 't.institution_id'))))
    .leftJoin('region as r', 'r.code', 'u.region_code')
    .leftJoin('practitioner as p', 'p.id', 'u.practitioner_id')
    .leftJoin('delivery_provider as dp', 'dp.id', 'u.delivery_provider_id')
    .select([
      'u.id', 'u.username', 'u.display_name', 'u.role', 'u.team_id', 't.name as team_name', 'i.id as institution_id', 'i.name as institution_name',
      'u.region_code', 'r.name as region_name', 'u.person_id', 'u.practitioner_id', 'p.name as practitioner_name', 'u.demo', 'u.disabled_at',
      'u.delivery_provider_id', 'dp.name as provider_name', 'u.must_change_password', 'u.locked_until', 'u.created_at', 'u.password_changed_at',
    ]);
}
export type UserRow = Awaited<ReturnType<ReturnType<typeof usersQuery>['executeTakeFirstOrThrow']>>;

export interface UserFilter {
  role?: Role;
  q?: string;
  status?: 'active' | 'disabled';
  institutionId?: string;
  limit: number;
  offset: number;
}

export async function listUsers(db: Database, f: UserFilter) {
  const escaped = f.q?.replace(/[\\%_]/g, '\\$&');
  const base = usersQuery(db)
    .$if(!!f.role, (qb) => qb.where('u.role', '=', f.role!))
    .$if(f.status === 'active', (qb) => qb.where('u.disabled_at', 'is', null))
    .$if(f.status === 'disabled', (qb) => qb.where('u.disabled_at', 'is not', null))
    .$if(!!f.institutionId, (qb) => qb.where('i.id', '=', f.institutionId!))
    .$if(!!escaped, (qb) => qb.where((eb) => eb.or([eb('u.username', 'like', `${escaped}%`), eb('u.display_name', 'like', `%${escaped}%`)])));
  const [rows, total] = await Promise.all([
    base.orderBy('u.username').limit(f.limit).offset(f.offset).execute(),
    base.clearSelect().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export const findUser = (db: Database, id: string) => usersQuery(db).where('u.id', '=', id).executeTakeFirst();

export async function endSessions(db: Database, userId: string, except?: string) {
  await db.deleteFrom('user_session').where('user_id', '=', userId).$if(!!except, (qb) => qb.where('token_hash', '!=', except!)).execute();
}
