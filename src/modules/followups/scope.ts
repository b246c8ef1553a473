// The person a follow-up use case is about, once the access table allows it: the treating team
// writes (person.followUp.write), the treating team, the reviewer of a filing in review and the
// patient read (person.chart.read).
import type { Database } from '../../db/connect';
import { requireAccess, type Permission } from '../../core/access';
import type { Actor } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { notFound } from '../../core/problem';
import { personById } from '../people/service';

export type PersonRow = NonNullable<Awaited<ReturnType<typeof personById>>>;

/** Checks access (outside any transaction: a refusal is audited and must not roll back), then reads the person. */
export async function personFor(ctx: AppContext, actor: Actor, permission: Permission, personId: string): Promise<PersonRow> {
  await requireAccess(ctx, actor, permission, { personId });
  return loadPerson(ctx.db, personId);
}

/** The person, inside a transaction whose use case has already checked access. */
export async function loadPerson(db: Database, personId: string): Promise<PersonRow> {
  const row = await personById(db, personId);
  if (!row) throw notFound('No such person');
  return row;
}
