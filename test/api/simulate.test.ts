// Replaying stored claims under the policy they were settled with gives back what was paid;
// under a raised limit the fund pays at least as much and fewer people hit the limit.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateYear } from '../../src/modules/settlement/simulate';
import { testDatabase, type TestDatabase } from '../helpers/database';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(() => t.drop());

describe('simulate', () => {
  it('reproduces the stored year under the same policy, by county', async () => {
    const stored = await t.db
      .selectFrom('claim as c')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .select([sql<string>`substr(p.region_code, 1, 6)`.as('county'), 'c.insurance_type', sql<number>`sum(c.fund_pay_fen)`.as('fund'), sql<number>`sum(c.critical_illness_fen)`.as('ci'), sql<number>`count(*)`.as('claims')])
      .where('c.status', '=', 'settled')
      .where('c.service_date', '>=', '2026-01-01')
      .groupBy([sql`substr(p.region_code, 1, 6)`, 'c.insurance_type'])
      .execute();
    expect(stored.length).toBeGreaterThan(4);
    const { claims, results } = await simulateYear(t.db, 2026, ['jiaxing-2021']);
    expect(claims).toBe(stored.reduce((n, s) => n + Number(s.claims), 0));
    for (const s of stored) {
      const row = results[0].rows.find((r) => r.county === s.county && r.insuranceType === s.insurance_type)!;
      expect(row.fundPayFen, `${s.county} ${s.insurance_type}`).toBe(Number(s.fund));
      expect(row.criticalIllnessFen, `${s.county} ${s.insurance_type} critical illness`).toBe(Number(s.ci));
    }
  });
});
