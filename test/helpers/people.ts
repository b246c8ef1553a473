// Test people: a resident seeded with chosen diagnoses through the same tables the product writes, and
// a demo patient the counter can settle for.
import { randomInt, randomUUID } from 'node:crypto';
import { checkDigit } from '../../src/engine/identity/residentId';
import type { Database } from '../../src/db/connect';
import { insertPeople } from '../../src/modules/people/service';

export async function newResident(db: Database, options: { regionCode: string; diseases: string[]; name?: string; birthDate?: string; sex?: 'male' | 'female' }) {
  const birthDate = options.birthDate ?? '1958-04-12';
  const sex = options.sex ?? 'female';
  for (;;) {
    const seq = randomInt(0, 500) * 2 + (sex === 'male' ? 1 : 0);
    const body = `${options.regionCode.slice(0, 6)}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
    const idNumber = body + checkDigit(body);
    if (await db.selectFrom('person_id_number').select('person_id').where('id_number', '=', idNumber).executeTakeFirst()) continue;
    const person = { id: randomUUID(), name: options.name ?? '测试居民', id_number: idNumber };
    await db.transaction().execute((trx) =>
      insertPeople(trx, [{ ...person, sex, birth_date: birthDate, phone: '13800000000', region_code: options.regionCode, address: null, insurance_type: 'resident', insured_since: '2012-01-01' }]));
    for (const disease of options.diseases)
      await db.insertInto('person_condition').values({ person_id: person.id, disease_code: disease, diagnosed_on: '2020-03-01', source: 'screening', institution_id: null }).execute();
    return person;
  }
}

/**
 * A resident-insured patient of the demo pharmacy's county (330402), contracted over the test's days
 * (2026-06-10 to 06-15) with hypertension confirmed and no diabetes registration.
 */
export function counterPatient(db: Database, options: { not?: string } = {}) {
  return db
    .selectFrom('person as p')
    .innerJoin('registration as r', 'r.person_id', 'p.id')
    .innerJoin('contract as c', 'c.person_id', 'p.id')
    .select(['p.id', 'p.name', 'p.id_number'])
    .where('p.insurance_type', '=', 'resident')
    .where('p.region_code', 'like', '330402%')
    .where('r.disease_code', '=', 'hypertension')
    .where('r.effective_to', 'is', null)
    .where('r.effective_from', '<=', '2026-06-10')
    .where('c.status', '=', 'active')
    .where('c.start_date', '<=', '2026-06-10')
    .where('c.end_date', '>=', '2026-06-15')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('registration as d').select('d.id').whereRef('d.person_id', '=', 'p.id').where('d.disease_code', '=', 'diabetes'))))
    .$if(!!options.not, (qb) => qb.where('p.id', '<>', options.not!))
    .orderBy('p.id')
    .limit(1)
    .executeTakeFirstOrThrow();
}
