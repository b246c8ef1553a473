// Reversal and back-dated claims keep a person's year consistent (issue 10 item 7): the pools equal
// settling the remaining claims in service-date order, the fund has paid in total what that
// re-settlement pays, and each change to a later claim is booked as an adjustment (补扣/补付).
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle, type PersonYearState } from '../../src/engine/settlement';
import { loadYear } from '../../src/modules/settlement/resettle';
import { testApp, type TestApp } from '../helpers/app';
import { counterPatient } from '../helpers/people';

let t: TestApp;
let pharmacist: string;
let person: { id: string };
let drug: { code: string; price_fen: number };
beforeAll(async () => {
  t = await testApp();
  pharmacist = await t.login('pharmacist');
  person = await counterPatient(t.database.db);
  // the dearest hypertension drug, so that a few purchases reach the 1,800 yuan limit
  drug = await t.database.db.selectFrom('drug').select(['code', 'price_fen']).where(sql<boolean>`'hypertension' = any(diseases) and 'chronic-common' = any(lists)`).orderBy('price_fen', 'desc').limit(1).executeTakeFirstOrThrow();
});
afterAll(() => t.close());

const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie: pharmacist }, payload });
let keys = 0;
/** Claims of the first test still settled, reversed before the next test so that it starts below the limit. */
const bought: string[] = [];
const buy = (packs: number, serviceDate?: string) =>
  post('/api/settlements', { personId: person.id, serviceDate, idempotencyKey: `resettle-${++keys}-key`, lines: [{ drugCode: drug.code, quantity: packs, daysSupply: 30 }] });
const reverse = (id: string) => post(`/api/settlements/${id}/reverse`, { reason: '患者退药' });

/** The invariant, computed independently of the service: fold the remaining claims through the engine. */
async function checkInvariant() {
  const db = t.database.db;
  const stored = await loadYear(db, person.id, 2026);
  let state: PersonYearState = { year: 2026, pools: {} };
  let fund = 0;
  for (const c of stored) {
    const s = settle(t.ctx.policies.byId(c.policyId)!.compiled, state, c.claim);
    state = s.newState;
    fund += s.totals.fundPay;
  }
  const acc = await db.selectFrom('benefit_accumulator').select('pools').where('person_id', '=', person.id).where('year', '=', 2026).executeTakeFirstOrThrow();
  expect(acc.pools).toEqual(state.pools);
  const paid = await db
    .selectFrom('claim as c')
    .select((eb) => [eb.fn.sum<number>('c.fund_pay_fen').as('f')])
    .where('c.person_id', '=', person.id).where('c.status', '=', 'settled').where('c.service_date', '>=', '2026-01-01')
    .executeTakeFirstOrThrow();
  const adjusted = await db
    .selectFrom('claim_adjustment as a').innerJoin('claim as c', 'c.id', 'a.claim_id')
    .select((eb) => [eb.fn.sum<number>('a.fund_pay_fen').as('f')])
    .where('a.person_id', '=', person.id).where('c.status', '=', 'settled').where('c.service_date', '>=', '2026-01-01')
    .executeTakeFirstOrThrow();
  expect(Number(paid.f ?? 0) + Number(adjusted.f ?? 0)).toBe(fund);
}

describe('re-settling a person’s year', () => {
  it('reversing an earlier purchase pays the later one what it should have had (补付), and the reversal says what the patient gets back', async () => {
    await checkInvariant(); // the demo's refills already agree with it
    const a = (await buy(100)).json();
    const b = (await buy(100)).json();
    bought.push(b.id);
    expect(b.totals.overLimitFen).toBeGreaterThan(0); // the second purchase ran into the limit
    const reversal = await reverse(a.id);
    expect(reversal.statusCode, reversal.body).toBe(200);
    const r = reversal.json();
    expect(r.caused).toHaveLength(1);
    expect(r.caused[0]).toMatchObject({ claimId: b.id, cause: 'reversal' });
    expect(r.caused[0].fundPayFen).toBeGreaterThan(0);
    // the patient gets back what they paid for a, and what the fund now pays more on b
    expect(r.netToPatientFen).toBe(a.totals.selfPayFen + r.caused[0].fundPayFen);
    const bNow = (await t.app.inject({ method: 'GET', url: `/api/settlements/${b.id}`, headers: { cookie: pharmacist } })).json();
    expect(bNow.adjustments).toHaveLength(1);
    expect(bNow.fundPayNowFen).toBe(b.totals.fundPayFen + r.caused[0].fundPayFen);
    await checkInvariant();
  });

  it('a back-dated purchase settles in its place, and the later ones are adjusted (补扣)', async () => {
    for (const id of bought.splice(0)) expect((await reverse(id)).statusCode).toBe(200);
    const later = (await buy(100)).json();
    expect(later.totals.fundPayFen).toBeGreaterThan(0);
    const early = await buy(100, '2026-06-01');
    expect(early.statusCode, early.body).toBe(201);
    const view = early.json();
    expect(view.serviceDate).toBe('2026-06-01');
    const onLater = view.caused.find((c: { claimId: string }) => c.claimId === later.id);
    expect(onLater.cause).toBe('backdated');
    expect(onLater.fundPayFen).toBeLessThan(0); // the earlier purchase now takes the limit first
    await checkInvariant();
  });

  it('holds after any sequence of purchases, back-dated purchases and reversals', async () => {
    const settled: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.record({ kind: fc.constant('buy' as const), packs: fc.integer({ min: 1, max: 100 }), back: fc.integer({ min: 0, max: 14 }) }), fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() })), { minLength: 1, maxLength: 6 }),
        async (ops) => {
          for (const op of ops) {
            if (op.kind === 'buy') {
              const date = `2026-06-${String(15 - op.back).padStart(2, '0')}`;
              const res = await buy(op.packs, date);
              expect(res.statusCode, res.body).toBe(201);
              settled.push(res.json().id);
            } else if (settled.length) {
              const [id] = settled.splice(op.pick % settled.length, 1);
              expect((await reverse(id)).statusCode).toBe(200);
            }
          }
          await checkInvariant();
        },
      ),
      { numRuns: 8, seed: 10 },
    );
  });
});
