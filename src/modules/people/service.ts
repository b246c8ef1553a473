// Finding and showing insured persons, always within the caller's scope, with ID numbers masked
// unless the role needs them, and every person shown written to the audit log.
import { ageOn, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import type { Actor } from '../../core/audit';
import { writeAudit } from '../../core/audit';
import { seesFullIdNumber, type AuthUser } from '../../core/user';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { badRequest, notFound } from '../../core/problem';
import * as q from './queries';

type PersonRow = NonNullable<Awaited<ReturnType<typeof q.findPerson>>>;

/** What the list and card show beside each person: conditions, contract, registration state. */
async function recordsOf(db: AppContext['db'], ids: string[]) {
  const [conditions, contracts, [registrations, filings]] = await Promise.all([q.conditionsOf(db, ids), q.activeContractsOf(db, ids), q.registrationStatesOf(db, ids)]);
  return { conditions, contracts, registrations, filings };
}
type Records = Awaited<ReturnType<typeof recordsOf>>;

/** confirmed > pending / returned (an open filing) > diagnosed only */
function diseaseStatus(records: Records, personId: string, disease: string): 'confirmed' | 'pending' | 'returned' | 'diagnosed' {
  if (records.registrations.some((r) => r.person_id === personId && r.disease_code === disease)) return 'confirmed';
  const filing = records.filings.find((f) => f.person_id === personId && f.disease_code === disease);
  if (filing) return filing.status === 'returned' ? 'returned' : 'pending';
  return 'diagnosed';
}

const ALL: q.PersonScope = { regionPrefix: '', personId: null };

export { insertPeople, type NewPerson } from './queries';

/** A person's row, for a use case that has checked access itself (the follow-ups' chart and forms). */
export const personById = (db: AppContext['db'], id: string) => q.findPerson(db, ALL, id);

/** 查看完整身份证号: the full number, for the roles whose work needs it, each reveal audited. */
export async function revealIdNumber(ctx: AppContext, actor: Actor, id: string) {
  await requireAccess(ctx, actor, 'person.idNumber.reveal', { personId: id });
  const row = await ctx.db.selectFrom('person').select('id_number').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`No person with id ${id}`);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'person.id_number', entityId: id, personId: id }]);
  return { idNumber: row.id_number };
}

export function scopeOf(user: AuthUser): q.PersonScope {
  return { regionPrefix: user.scope.regionPrefix, personId: user.personId };
}

export const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

function summary(user: AuthUser, row: PersonRow, records: Records, today: string) {
  const contract = records.contracts.find((c) => c.person_id === row.id && c.end_date >= today);
  return {
    id: row.id,
    name: row.name,
    sex: row.sex,
    birthDate: row.birth_date,
    age: ageOn(row.birth_date, today),
    // lists and cards show masked numbers to every role; the full one is a deliberate, audited reveal
    idNumber: seesFullIdNumber(user, row.id) ? row.id_number : maskResidentId(row.id_number),
    phone: row.phone && (user.role === 'analyst' ? maskPhone(row.phone) : row.phone),
    insuranceType: row.insurance_type,
    region: { code: row.region_code, name: row.region_name },
    contract: contract ? { teamId: contract.team_id, teamName: contract.team_name, endDate: contract.end_date } : null,
    diseases: records.conditions.filter((c) => c.person_id === row.id).map((c) => ({ code: c.code, name: c.name_zh, status: diseaseStatus(records, row.id, c.code) })),
  };
}

export async function searchPeople(ctx: AppContext, actor: Actor, text: string | undefined, limit: number, offset: number) {
  await requireAccess(ctx, actor, 'person.search');
  const user = actor.user;
  const query = q.parsePersonQuery(text);
  // a counter finds the person in front of it, it does not browse the county
  if (user.role === 'pharmacist' && query.kind !== 'id_number' && query.kind !== 'name_digits')
    throw badRequest('At the counter, search by the full ID number, or by name and the last digits of the ID or phone number', [
      { field: 'query.q', rule: 'counter_search_terms', message: 'a full ID number, or a name followed by at least 4 digits of the ID or phone number' },
    ]);
  const { rows, total, totalCapped } = await q.searchPeople(ctx.db, scopeOf(user), query, limit, offset);
  const records = await recordsOf(ctx.db, rows.map((r) => r.id));
  const today = shanghaiDate(ctx.now());
  await writeAudit(
    ctx.db,
    actor,
    rows.map((r) => ({ action: 'search', entity: 'person', entityId: r.id, personId: r.id, detail: { query: query.kind } })),
  );
  return { items: rows.map((r) => summary(user, r, records, today)), total, totalCapped };
}

export async function getPerson(ctx: AppContext, actor: Actor, id: string) {
  await requireAccess(ctx, actor, 'person.read', { personId: id });
  const row = await q.findPerson(ctx.db, ALL, id);
  if (!row) throw notFound(`No person with id ${id}`);
  const records = await recordsOf(ctx.db, [row.id]);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'person', entityId: row.id, personId: row.id }]);
  return { ...summary(actor.user, row, records, shanghaiDate(ctx.now())), address: row.address, insuredSince: row.insured_since };
}
