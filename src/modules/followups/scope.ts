// Who may see or follow up a patient: everyone in the caller's people scope (a team's town, a county,
// the city …) and, for a family doctor, also the patients contracted with their team wherever they live.
import type { Database } from '../../db/connect';
import { forbidden, notFound } from '../../core/problem';
import type { AuthUser } from '../../core/user';
import * as people from '../people/queries';
import { scopeOf } from '../people/service';

export type PersonRow = NonNullable<Awaited<ReturnType<typeof people.findPerson>>>;

export async function personInScope(db: Database, user: AuthUser, personId: string): Promise<PersonRow> {
  const row = await people.findPerson(db, scopeOf(user), personId);
  if (row) return row;
  if (user.role === 'family_doctor' && user.teamId) {
    const contracted = await db
      .selectFrom('contract').select('id')
      .where('person_id', '=', personId).where('team_id', '=', user.teamId).where('status', '=', 'active')
      .executeTakeFirst();
    if (contracted) return (await people.findPerson(db, { regionPrefix: '', personId: null }, personId))!;
  }
  throw (await people.personExists(db, personId)) ? forbidden('This person is outside your scope') : notFound('No such person');
}
