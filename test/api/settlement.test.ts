// Real-time settlement at the counter: quote, settle with idempotency, reverse, the annual limit,
// and concurrent settlements for one person that must never push the fund past it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../../src/core/user';
import { recordSettlement } from '../../src/modules/settlement/record';
import { testApp, type TestApp } from '../helpers/app';
import { counterPatient } from '../helpers/people';

let t: TestApp;
let pharmacist: string;
let resident: { id: string };
let amlodipine: { code: string; price_fen: number };
beforeAll(async () => {
  t = await testApp();
  pharmacist = await t.login('pharmacist');
  resident = await counterPatient(t.database.db);
  amlodipine = await t.database.db.selectFrom('drug').select(['code', 'price_fen']).where('generic_name_zh', '=', '苯磺酸氨氯地平片').executeTakeFirstOrThrow();
});
afterAll(() => t.close());

const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie: pharmacist }, payload });
const halfUp = (fen: number, bp: number) => Math.floor((fen * bp + 5000) / 10000);
const pools = async (personId: string) =>
  (await t.database.db.selectFrom('benefit_accumulator').select('pools').where('person_id', '=', personId).where('year', '=', 2026).executeTakeFirst())?.pools ?? {};
/** Fund already paid this year from the chronic pool (the demo city has this year's refills in it). */
const usedSoFar = async (personId: string) => (await pools(personId))['resident.chronic']?.fundPaid ?? 0;

describe('counter settlement', () => {
  it('quotes at the pharmacy ratio (53 %) with nothing committed', async () => {
    const res = await post('/api/settlements/quote', { personId: resident.id, lines: [{ drugCode: amlodipine.code, quantity: 3 }] });
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json();
    const amount = 3 * amlodipine.price_fen;
    const used = await usedSoFar(resident.id);
    expect(q.policy.id).toBe('jiaxing-2021');
    expect(q.lines[0]).toMatchObject({ scope: 'two_disease', scopeReason: 'registered_disease', disease: 'hypertension', ratioBp: 5300, amountFen: amount, fundPayFen: halfUp(amount, 5300) });
    expect(q.totals.fundPayFen + q.totals.deductibleFen + q.totals.copayFen + q.totals.overLimitFen).toBe(amount);
    expect(q.lines[0].fundRemainingFen).toBe(180000 - used - halfUp(amount, 5300));
    expect(await usedSoFar(resident.id)).toBe(used); // a quote commits nothing
  });

  it('settles once per idempotency key, refuses the key for another claim, and reverses', async () => {
    const body = { personId: resident.id, lines: [{ drugCode: amlodipine.code, quantity: 2 }], idempotencyKey: 'counter-1-0001' };
    const used = await usedSoFar(resident.id);
    const first = await post('/api/settlements', body);
    expect(first.statusCode, first.body).toBe(201);
    const fund = first.json().totals.fundPayFen;
    expect(fund).toBe(halfUp(2 * amlodipine.price_fen, 5300));
    // the answer is the receipt as stored, and the sale is in the person's audit trail
    const receipt = await t.app.inject({ method: 'GET', url: `/api/settlements/${first.json().id}`, headers: { cookie: pharmacist } });
    expect(receipt.json()).toEqual(first.json());
    const audited = await t.database.db.selectFrom('person_audit').select(['action', 'username']).where('entity', '=', 'claim').where('entity_id', '=', first.json().id).where('action', '=', 'create').execute();
    expect(audited).toEqual([{ action: 'create', username: 'pharmacist' }]);
    // the county's agency may read the receipt; another county's may not
    const asReviewer = async (username: string) => (await t.app.inject({ method: 'GET', url: `/api/settlements/${first.json().id}`, headers: { cookie: await t.login(username) } })).statusCode;
    expect(await asReviewer('reviewer')).toBe(200);
    expect(await asReviewer('reviewer-330411')).toBe(403);
    const again = await post('/api/settlements', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(await usedSoFar(resident.id)).toBe(used + fund); // paid once
    // still the first result when settling it anew would be refused: 31 days on, outside the counter's window
    const today = t.clock.now;
    t.clock.now = new Date(today.getTime() + 31 * 86_400_000);
    const lateCookie = await t.login('pharmacist'); // the morning's session has long expired
    const late = await t.app.inject({ method: 'POST', url: '/api/settlements', headers: { cookie: lateCookie }, payload: { ...body, serviceDate: '2026-06-15' } });
    t.clock.now = today;
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json().id).toBe(first.json().id);
    const reused = await post('/api/settlements', { ...body, lines: [{ drugCode: amlodipine.code, quantity: 5 }] });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().errors[0].rule).toBe('idempotency_key_reused');
    // a key is the person's (unique with person_id, so a sharded database checks it on one shard): the
    // same key for another person at this counter is that person's purchase, and pays from their year
    const other = await counterPatient(t.database.db, { not: resident.id });
    const otherUsed = await usedSoFar(other.id);
    const theirs = await post('/api/settlements', { ...body, personId: other.id });
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.json().id).not.toBe(first.json().id);
    expect(await usedSoFar(other.id)).toBe(otherUsed + fund);
    expect(await usedSoFar(resident.id)).toBe(used + fund);

    const reversed = await post(`/api/settlements/${first.json().id}/reverse`, { reason: '患者退药' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(reversed.json().status).toBe('reversed');
    expect(reversed.json().history.map((h: { to: string }) => h.to)).toEqual(['settled', 'reversed']);
    expect(await usedSoFar(resident.id)).toBe(used);
    const twice = await post(`/api/settlements/${first.json().id}/reverse`, { reason: '重复' });
    expect(twice.json().errors[0].rule).toBe('already_reversed');
  });

  it('never lets concurrent settlements for one person pass the 1,800 yuan limit', async () => {
    const used = await usedSoFar(resident.id);
    // each claim's fund share is about an eighth of the limit: twelve of them must hit it
    const claims = Array.from({ length: 12 }, (_, i) => post('/api/settlements', { personId: resident.id, lines: [{ drugCode: amlodipine.code, quantity: 100, daysSupply: 60 }], idempotencyKey: `burst-${String(i).padStart(4, '0')}` }));
    const results = await Promise.all(claims);
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const paid = results.reduce((sum, r) => sum + r.json().totals.fundPayFen, 0);
    expect(await usedSoFar(resident.id)).toBe(180000); // exactly the limit, never past it
    const amount = 100 * amlodipine.price_fen;
    expect(paid).toBe(180000 - used);
    const over = results.reduce((sum, r) => sum + r.json().totals.overLimitFen, 0);
    expect(12 * halfUp(amount, 5300)).toBeGreaterThan(180000); // the burst does exceed the limit
    expect(over).toBeGreaterThan(0);
    // the stored claims add up to the accumulator too
    const sum = await t.database.db.selectFrom('claim').select(sql<number>`coalesce(sum(fund_pay_fen), 0)`.as('s')).where('person_id', '=', resident.id).where('status', '=', 'settled').where('service_date', '>=', '2026-01-01').executeTakeFirstOrThrow();
    expect(Number(sum.s)).toBe(180000);
  });

  it('writes nothing when the accumulator changed since it was read', async () => {
    const acc = await t.database.db.selectFrom('benefit_accumulator').select(['version', 'pools']).where('person_id', '=', resident.id).where('year', '=', 2026).executeTakeFirstOrThrow();
    const user = await t.database.db.selectFrom('app_user').selectAll().where('username', '=', 'pharmacist').executeTakeFirstOrThrow();
    const actor = { user: { id: user.id, username: user.username, role: user.role } as AuthUser, ip: null };
    const claimId = randomUUID();
    const stale = {
      claimId, personId: resident.id, institutionId: user.institution_id!, idempotencyKey: 'stale-read-0001', requestHash: 'x', serviceDate: '2026-06-15',
      insuranceType: 'resident', institutionLevel: 'pharmacy', policyId: 'jiaxing-2021', atChosenInstitution: true, totals: { amount: 0, fundPay: 0, deductible: 0, copay: 0, overLimit: 0, criticalIllness: 0 },
      poolDeltas: {}, lines: [], pools: {}, readVersion: acc.version - 1, at: new Date('2026-06-15T02:00:00Z'),
    };
    expect(await recordSettlement(t.database.db, actor, stale)).toBe(false);
    expect(await t.database.db.selectFrom('claim').select('id').where('id', '=', claimId).execute()).toEqual([]);
    expect(await pools(resident.id)).toEqual(acc.pools);
  });

  it('sends a drug for an unregistered disease to general outpatient, which does not cover pharmacies in Jiaxing', async () => {
    const metformin = await t.database.db.selectFrom('drug').select('code').where('generic_name_zh', 'like', '盐酸二甲双胍片%').executeTakeFirstOrThrow();
    const q = (await post('/api/settlements/quote', { personId: resident.id, lines: [{ drugCode: metformin.code, quantity: 1 }] })).json();
    expect(q.lines[0]).toMatchObject({ scope: 'general', scopeReason: 'not_registered', fundPayFen: 0 });
    expect(q.lines[0].explanation).toContain('按普通门诊');
  });

  it('validates input and scope', async () => {
    const bad = await post('/api/settlements/quote', { personId: resident.id, lines: [{ drugCode: 'D9999', quantity: 1 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'body.lines.0.drugCode', rule: 'on_drug_list' });
    const zero = await post('/api/settlements/quote', { personId: resident.id, lines: [{ drugCode: amlodipine.code, quantity: 0 }] });
    expect(zero.json().errors[0].field).toBe('body.lines.0.quantity');
    const future = await post('/api/settlements/quote', { personId: resident.id, serviceDate: '2027-01-01', lines: [{ drugCode: amlodipine.code, quantity: 1 }] });
    expect(future.json().errors[0].rule).toBe('not_in_future');
    const outsider = await t.database.db.selectFrom('person').select('id').where('region_code', 'not like', '330402%').limit(1).executeTakeFirstOrThrow();
    expect((await post('/api/settlements/quote', { personId: outsider.id, lines: [{ drugCode: amlodipine.code, quantity: 1 }] })).statusCode).toBe(403);
    const reviewer = await t.login('reviewer');
    expect((await t.app.inject({ method: 'POST', url: '/api/settlements/quote', headers: { cookie: reviewer }, payload: { personId: resident.id, lines: [{ drugCode: amlodipine.code, quantity: 1 }] } })).statusCode).toBe(403);
  });
});
