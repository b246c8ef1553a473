import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { ContractStatus } from '../../db/schema';

export const contractColumns = [
  'contract.id', 'contract.person_id', 'contract.team_id', 'contract.doctor_id', 'contract.start_date', 'contract.end_date',
  'contract.packages', 'contract.consent_signer', 'contract.consent_signer_name', 'contract.consent_signed_at', 'contract.consent_form_name',
  'contract.status', 'contract.previous_contract_id', 'contract.terminated_on', 'contract.termination_reason', 'contract.created_at',
] as const;

/** The person's current contract, locked for the rest of the transaction. */
export function activeContractForUpdate(db: Database, personId: string) {
  return db.selectFrom('contract').select(contractColumns).where('person_id', '=', personId).where('status', '=', 'active').forUpdate().executeTakeFirst();
}

export function findContract(db: Database, id: string) {
  return db
    .selectFrom('contract')
    .innerJoin('family_doctor_team as t', 't.id', 'contract.team_id')
    .innerJoin('practitioner as d', 'd.id', 'contract.doctor_id')
    .select([...contractColumns, 't.name as team_name', 'd.name as doctor_name'])
    .where('contract.id', '=', id)
    .executeTakeFirst();
}

export function contractsOfPerson(db: Database, personId: string) {
  return db
    .selectFrom('contract')
    .innerJoin('family_doctor_team as t', 't.id', 'contract.team_id')
    .innerJoin('practitioner as d', 'd.id', 'contract.doctor_id')
    .select([...contractColumns, 't.name as team_name', 'd.name as doctor_name'])
    .where('contract.person_id', '=', personId)
    .orderBy('contract.start_date', 'desc')
    .execute();
}

export function eventsOfContracts(db: Database, contractIds: string[]) {
  if (contractIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('contract_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.contract_id', 'e.at', 'e.action', 'e.from_status', 'e.to_status', 'e.reason', 'u.display_name as by'])
    .where('e.contract_id', 'in', contractIds)
    .orderBy('e.id')
    .execute();
}

export async function setStatus(db: Database, id: string, status: ContractStatus, extra: { terminated_on?: string; termination_reason?: string } = {}) {
  await db.updateTable('contract').set({ status, ...extra }).where('id', '=', id).execute();
}

export async function recordEvent(
  db: Database,
  e: { at: Date; contract_id: string; person_id: string; user_id: string; action: 'sign' | 'renew' | 'terminate' | 'lapse'; from_status: string | null; to_status: string; reason?: string | null },
) {
  await db.insertInto('contract_event').values({ ...e, reason: e.reason ?? null }).execute();
}

export function servicePackages(db: Database) {
  return db.selectFrom('service_package').selectAll().orderBy(sql`kind = 'chronic'`).orderBy('code').execute();
}

export function teamWithMembers(db: Database, teamId: string) {
  return Promise.all([
    db
      .selectFrom('family_doctor_team as t')
      .innerJoin('institution as i', 'i.id', 't.institution_id')
      .innerJoin('region as r', 'r.code', 'i.region_code')
      .select(['t.id', 't.name', 't.phone', 'i.id as institution_id', 'i.name as institution_name', 'i.address as institution_address', 'i.phone as institution_phone', 'i.region_code', 'r.name as region_name'])
      .where('t.id', '=', teamId)
      .executeTakeFirst(),
    db
      .selectFrom('team_member as m')
      .innerJoin('practitioner as p', 'p.id', 'm.practitioner_id')
      .innerJoin('institution as i', 'i.id', 'p.institution_id')
      .select(['p.id', 'p.name', 'p.profession', 'm.member_role', 'i.name as institution_name'])
      .where('m.team_id', '=', teamId)
      .execute(),
    db
      .selectFrom('contract')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', teamId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow(),
  ]);
}
