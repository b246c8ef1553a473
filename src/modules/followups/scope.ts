// The person a follow-up use case is about, once the access table allows it: the treating team
// writes (person.followUp.write), the treating team, the reviewer of a filing in review and the
// patient read (person.chart.read).
import type { Database } from '../../db/connect';
import { requireAccess, type Permission } from '../../core/access';
import type { Actor } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { notFound } from '../../core/problem';

export type PersonRow = NonNullable<Awaited<ReturnType<typeof personRow>>>;

const personRow = (db: Database, personId: string) =>
  db
    .selectFrom('person')
    .innerJoin('region', 'region.code', 'person.region_code')
    .select(['person.id', 'person.name', 'person.sex', 'person.birth_date', 'person.id_number', 'person.phone', 'person.insurance_type', 'person.region_code', 'region.name as region_name', 'person.address', 'person.insured_since'])
    .where('person.id', '=', personId)
    .executeTakeFirst();

/** Checks access (outside any transaction: a refusal is audited and must not roll back), then reads the person. */
export async function personFor(ctx: AppContext, actor: Actor, permission: Permission, personId: string): Promise<PersonRow> {
  await requireAccess(ctx, actor, permission, { personId });
  return loadPerson(ctx.db, personId);
}

/** The person, inside a transaction whose use case has already checked access. */
export async function loadPerson(db: Database, personId: string): Promise<PersonRow> {
  const row = await personRow(db, personId);
  if (!row) throw notFound('No such person');
  return row;
}
