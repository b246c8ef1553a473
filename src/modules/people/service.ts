// Finding and showing insured persons, always within the caller's scope, with ID numbers masked
// unless the role needs them, and every person shown written to the audit log.
import { ageOn, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import type { Actor } from '../audit/service';
import { writeAudit } from '../audit/service';
import { seesFullIdNumber, type AuthUser } from '../../core/user';
import type { AppContext } from '../../core/context';
import { forbidden, notFound } from '../../core/problem';
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
    idNumber: seesFullIdNumber(user, row.id) ? row.id_number : maskResidentId(row.id_number),
    phone: row.phone && (user.role === 'analyst' ? maskPhone(row.phone) : row.phone),
    insuranceType: row.insurance_type,
    region: { code: row.region_code, name: row.region_name },
    contract: contract ? { teamId: contract.team_id, teamName: contract.team_name, endDate: contract.end_date } : null,
    diseases: records.conditions.filter((c) => c.person_id === row.id).map((c) => ({ code: c.code, name: c.name_zh, status: diseaseStatus(records, row.id, c.code) })),
  };
}

export async function searchPeople(ctx: AppContext, actor: Actor, text: string | undefined, limit: number, offset: number) {
  const user = actor.user;
  const query = q.parsePersonQuery(text);
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
  const row = await q.findPerson(ctx.db, scopeOf(actor.user), id);
  if (!row) {
    // tell "not yours" from "not there" only to those who could know it exists anyway
    if (await q.personExists(ctx.db, id)) throw forbidden('This person is outside your scope');
    throw notFound(`No person with id ${id}`);
  }
  const records = await recordsOf(ctx.db, [row.id]);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'person', entityId: row.id, personId: row.id }]);
  return { ...summary(actor.user, row, records, shanghaiDate(ctx.now())), address: row.address, insuredSince: row.insured_since };
}
