// Issue 14, prescription to the patient's hand through the API: the doctor writes (长处方 rules, the
// policy's longest supply), the county's pharmacist reviews with the pre-check (a blocking finding needs
// an override reason), the prescription is filled in parts at two places — each fill taking stock by
// batch and settling its claim in the same transaction, to the fen — a retry pays nothing twice, stock
// that runs out refuses, a taken-back dispense reverses its claim and gives the stock back, the renewal's
// checks name their dates, and an unfilled prescription expires.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let doctor: string;
let pharmacist: string;
let centrePharmacist: string;
let patientId: string;
let pharmacyId: string;
let centreId: string;

const AMLODIPINE = 'D0001'; // 苯磺酸氨氯地平片 5 mg × 28, 4.20 yuan a pack
const IRBESARTAN = 'D0008';
const LOSARTAN = 'D0010';

const post = (url: string, cookie: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
const put = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'PUT', url, headers: { cookie }, payload });
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

const rx = (over: object = {}) => ({
  personId: patientId, origin: 'new', fillPlace: 'pharmacy', fillInstitutionId: pharmacyId, stableReason: '血压控制稳定三个月以上',
  lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 56 }], ...over,
});

async function receive(cookie: string, lines: Array<{ drugCode: string; batchNo: string; expiryDate: string; quantity: number }>) {
  const res = await post('/api/stock/receipts', cookie, { lines });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function approved(body: object, overrideReason?: string) {
  const w = await post('/api/prescriptions', doctor, { ...body, submit: true });
  expect(w.statusCode, w.body).toBe(201);
  const id = w.json().id;
  const a = await post(`/api/prescriptions/${id}/approve`, pharmacist, overrideReason ? { overrideReason } : {});
  expect(a.statusCode, a.body).toBe(200);
  return a.json();
}

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  [doctor, pharmacist] = await Promise.all([t.login('doctor'), t.login('pharmacist')]);
  pharmacyId = (await db.selectFrom('app_user').select('institution_id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).institution_id!;
  const me = (await get('/api/auth/me', doctor)).json().user;
  const team = await db.selectFrom('family_doctor_team').select(['institution_id']).where('id', '=', me.scope.id).executeTakeFirstOrThrow();
  centreId = team.institution_id;
  // a patient of the doctor's team with hypertension confirmed, no diabetes, no claims of amlodipine's class on hand
  const row = await sql<{ id: string }>`
    select p.id from person p join contract c on c.person_id = p.id join registration r on r.person_id = p.id
    where c.team_id = ${me.scope.id} and c.status = 'active' and c.start_date <= '2026-06-15' and c.end_date >= '2026-07-20'
      and r.disease_code = 'hypertension' and r.effective_to is null and p.insurance_type = 'resident'
      and not exists (select 1 from registration d where d.person_id = p.id and d.disease_code = 'diabetes')
    order by p.id limit 1`.execute(db);
  patientId = row.rows[0].id;
  // the patient's earlier claims would count as supply on hand: this test starts from none
  await sql`update claim set status = 'reversed', reversed_at = now(), reversal_reason = 'test reset' where person_id = ${patientId}`.execute(db);
  // a pharmacist at the doctor's centre, the second place of a partial fill
  const practitioner = await db.selectFrom('practitioner').select('id').where('institution_id', '=', centreId).where('profession', '=', 'pharmacist').executeTakeFirstOrThrow();
  const hash = (await db.selectFrom('app_user').select('password_hash').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).password_hash;
  // (the demo city may have one already: the same account)
  await db.insertInto('app_user').values({ username: 'centre-pharmacist', display_name: '中心药师', role: 'pharmacist', institution_id: centreId, practitioner_id: practitioner.id, password_hash: hash, demo: true })
    .onConflict((oc) => oc.column('username').doNothing()).execute();
  expect((await db.selectFrom('app_user').select('institution_id').where('username', '=', 'centre-pharmacist').executeTakeFirstOrThrow()).institution_id).toBe(centreId);
  centrePharmacist = await t.login('centre-pharmacist');
  // the two counters start with no amlodipine, whatever the demo city stocked
  await db.deleteFrom('stock_batch').where('institution_id', 'in', [pharmacyId, centreId]).where('drug_code', '=', AMLODIPINE).execute();
  await db.deleteFrom('stock_movement').where('institution_id', 'in', [pharmacyId, centreId]).where('drug_code', '=', AMLODIPINE).execute();
});
afterAll(() => t.close());

describe('writing a prescription', () => {
  it('computes the packs from dose × frequency × days, and a long one says why the patient is stable', async () => {
    const noReason = await post('/api/prescriptions', doctor, rx({ stableReason: null }));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toContainEqual(expect.objectContaining({ field: 'body.stableReason', rule: 'long_prescription_reason' }));
    const res = await post('/api/prescriptions', doctor, rx({ lines: [{ drugCode: AMLODIPINE, dose: 1.5, frequency: 'qd', daysSupply: 56 }] }));
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    // 1.5 tablets a day for 56 days = 84 tablets = 3 packs of 28
    expect(p.lines[0]).toMatchObject({ quantity: 3, remainingQuantity: 3, dose: 1.5 });
    expect(p).toMatchObject({ status: 'draft', origin: 'new', daysSupply: 56, fillInstitution: { id: pharmacyId } });
    expect(p.prescriptionNo).toMatch(/^\d{6}-\d{4}-20260615-\d{6,}$/);
    // a 30-day supply is no long prescription: no reason needed
    const short = await post('/api/prescriptions', doctor, rx({ stableReason: null, lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 30 }] }));
    expect(short.statusCode, short.body).toBe(201);
    expect(short.json().lines[0].quantity).toBe(2); // 30 tablets: 2 packs
  });

  it('refuses a supply beyond the policy’s longest at the line, naming the policy', async () => {
    const res = await post('/api/prescriptions', doctor, rx({ lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 90 }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'body.lines.0.daysSupply', rule: 'max_days_supply' });
    expect(res.json().errors[0].facts).toEqual({ maxDaysSupply: 84, policyId: 'jiaxing-2021' });
    const none = await t.database.db.selectFrom('prescription').select('id').where('person_id', '=', patientId).where('days_supply', '=', 90).execute();
    expect(none).toEqual([]);
  });
});

describe('extension of a tertiary hospital’s prescription (延伸处方)', () => {
  it('names the source at one of the city’s tertiary hospitals; a drug off the community’s list is refused where the policy extends none', async () => {
    const tertiary = (await get('/api/institutions?level=tertiary', doctor)).json();
    expect(tertiary.length).toBeGreaterThan(0);
    expect(tertiary.every((i: { level: string }) => i.level === 'tertiary')).toBe(true);
    const source = { prescriptionNo: 'JX1Y-2026-0601-0088', institutionId: tertiary[0].id };
    const ok = await post('/api/prescriptions', doctor, rx({ origin: 'extended', source }));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ origin: 'extended', source: { prescriptionNo: source.prescriptionNo, institution: { id: tertiary[0].id, level: 'tertiary' } } });
    // amoxicillin is on neither the chronic list nor a list the policy extends (Jiaxing's extends none)
    const off = await post('/api/prescriptions', doctor, rx({ origin: 'extended', source, lines: [{ drugCode: 'D0106', dose: 1, frequency: 'tid', daysSupply: 7 }], stableReason: null }));
    expect(off.statusCode).toBe(400);
    expect(off.json().errors[0]).toMatchObject({ field: 'body.lines.0.drugCode', rule: 'extendable_drug' });
    const notTertiary = await post('/api/prescriptions', doctor, rx({ origin: 'extended', source: { ...source, institutionId: centreId } }));
    expect(notTertiary.json().errors[0]).toMatchObject({ field: 'body.source.institutionId', rule: 'tertiary_source' });
  });
});

describe('review, partial fills at two places, settlement in the same transaction', () => {
  let id: string;

  it('puts a submitted prescription in the county’s review queue; a clean one is approved without override', async () => {
    const w = await post('/api/prescriptions', doctor, { ...rx(), submit: true });
    expect(w.statusCode, w.body).toBe(201);
    id = w.json().id;
    expect(w.json().status).toBe('submitted');
    const queue = (await get('/api/prescriptions/review-queue', pharmacist)).json();
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(id);
    const opened = await post(`/api/prescriptions/${id}/review`, pharmacist);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().findings.filter((f: { severity: string }) => f.severity === 'block')).toEqual([]);
    const ok = await post(`/api/prescriptions/${id}/approve`, pharmacist, { note: '用法用量适宜' });
    expect(ok.statusCode, ok.body).toBe(200);
    // valid for 30 days from the approval, the approval day counted
    expect(ok.json()).toMatchObject({ status: 'approved', validUntil: '2026-07-14' });
    expect((await get('/api/dispensing/queue', pharmacist)).json().items.map((i: { id: string }) => i.id)).toContain(id);
  });

  it('refuses to dispense what is not in stock, and changes nothing', async () => {
    await receive(pharmacist, [{ drugCode: AMLODIPINE, batchNo: 'A2401', expiryDate: '2027-03-31', quantity: 1 }]);
    const res = await post(`/api/prescriptions/${id}/dispenses`, pharmacist, { idempotencyKey: 'rx-test-short-0001', lines: [{ lineNo: 1, quantity: 2 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].rule).toBe('out_of_stock');
    expect(res.json().errors[0].facts).toEqual({ short: [{ drugCode: AMLODIPINE, asked: 2, onHand: 1 }] });
    const claims = await t.database.db.selectFrom('claim').select('id').where('person_id', '=', patientId).where('idempotency_key', '=', 'rx-test-short-0001').execute();
    expect(claims).toEqual([]);
    const p = (await get(`/api/prescriptions/${id}`, pharmacist)).json();
    expect(p.lines[0].dispensedQuantity).toBe(0);
  });

  it('dispenses one pack at the pharmacy: the batch, the stock and the claim to the fen, in one step', async () => {
    const quote = await post(`/api/prescriptions/${id}/dispense-quote`, pharmacist, { lines: [{ lineNo: 1, quantity: 1 }] });
    expect(quote.statusCode, quote.body).toBe(200);
    const res = await post(`/api/prescriptions/${id}/dispenses`, pharmacist, { idempotencyKey: 'rx-test-fill-0001', lines: [{ lineNo: 1, quantity: 1 }] });
    expect(res.statusCode, res.body).toBe(201);
    const { settlement, prescription } = res.json();
    // the receipt is the quote: 1 pack × 4.20 yuan at the pharmacy's price, split by the Jiaxing policy
    expect(settlement.totals).toEqual(quote.json().quote.totals);
    expect(settlement.totals.amountFen).toBe(420);
    expect(settlement.totals.fundPayFen + settlement.totals.selfPayFen).toBe(420);
    expect(settlement.lines[0]).toMatchObject({ drugCode: AMLODIPINE, quantity: 1, daysSupply: 28 });
    expect(prescription.status).toBe('partly_dispensed');
    expect(prescription.lines[0]).toMatchObject({ dispensedQuantity: 1, remainingQuantity: 1 });
    expect(prescription.dispenses[0]).toMatchObject({ claimId: settlement.id, settlementNo: settlement.settlementNo, lines: [{ batchNo: 'A2401', expiryDate: '2027-03-31', quantity: 1 }] });
    const stock = (await get('/api/stock', pharmacist)).json();
    expect(stock.items.find((i: { drugCode: string }) => i.drugCode === AMLODIPINE)).toMatchObject({ onHand: 0, received: 1, dispensed: 1 });
    // the same hand-over sent again answers the first, and pays nothing twice
    const again = await post(`/api/prescriptions/${id}/dispenses`, pharmacist, { idempotencyKey: 'rx-test-fill-0001', lines: [{ lineNo: 1, quantity: 1 }] });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, dispenseId: res.json().dispenseId });
    const n = await t.database.db.selectFrom('dispense').select('id').where('person_id', '=', patientId).where('prescription_id', '=', id).execute();
    expect(n).toHaveLength(1);
  });

  it('fills the rest at the doctor’s centre, earliest expiry first; more than remains is refused', async () => {
    await receive(centrePharmacist, [
      { drugCode: AMLODIPINE, batchNo: 'LATE-1', expiryDate: '2027-12-31', quantity: 5 },
      { drugCode: AMLODIPINE, batchNo: 'SOON-1', expiryDate: '2026-09-30', quantity: 5 },
    ]);
    const over = await post(`/api/prescriptions/${id}/dispenses`, centrePharmacist, { idempotencyKey: 'rx-test-over-0001', lines: [{ lineNo: 1, quantity: 2 }] });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0]).toMatchObject({ field: 'body.lines.0.quantity', rule: 'over_remaining' });
    const res = await post(`/api/prescriptions/${id}/dispenses`, centrePharmacist, { idempotencyKey: 'rx-test-rest-0001' });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json().prescription;
    expect(p.status).toBe('dispensed');
    expect(p.dispenses.map((d: { institution: { id: string } }) => d.institution.id)).toEqual([pharmacyId, centreId]);
    expect(p.dispenses[1].lines).toEqual([expect.objectContaining({ batchNo: 'SOON-1', quantity: 1 })]);
    // every dispense has its claim, and each claim its dispense
    const { rows } = await sql<{ orphans: number }>`
      select count(*)::int as orphans from dispense d left join claim c on c.person_id = d.person_id and c.id = d.claim_id where d.person_id = ${patientId} and c.id is null`.execute(t.database.db);
    expect(rows[0].orphans).toBe(0);
  });

  it('takes a dispense back: its claim reversed, its batch back in stock, the prescription fillable again', async () => {
    const p = (await get(`/api/prescriptions/${id}`, centrePharmacist)).json();
    const dispense = p.dispenses[1];
    const elsewhere = await post(`/api/dispenses/${dispense.id}/return`, pharmacist, { reason: '患者退药' });
    expect(elsewhere.statusCode).toBe(403); // only where it was dispensed
    const res = await post(`/api/dispenses/${dispense.id}/return`, centrePharmacist, { reason: '患者退药' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'partly_dispensed', lines: [expect.objectContaining({ dispensedQuantity: 1, remainingQuantity: 1 })] });
    const claim = await t.database.db.selectFrom('claim').select('status').where('person_id', '=', patientId).where('id', '=', dispense.claimId).executeTakeFirstOrThrow();
    expect(claim.status).toBe('reversed');
    const stock = (await get('/api/stock', centrePharmacist)).json();
    const soon = stock.items.find((i: { drugCode: string }) => i.drugCode === AMLODIPINE).batches.find((b: { batchNo: string }) => b.batchNo === 'SOON-1');
    expect(soon.onHand).toBe(5);
    const twice = await post(`/api/dispenses/${dispense.id}/return`, centrePharmacist, { reason: '患者退药' });
    expect(twice.statusCode).toBe(409);
  });
});

describe('the pre-check', () => {
  it('blocks two drugs of one class (two ARBs) until the pharmacist records an override reason', async () => {
    const w = await post('/api/prescriptions', doctor, { ...rx({ lines: [{ drugCode: IRBESARTAN, dose: 1, frequency: 'qd', daysSupply: 28 }, { drugCode: LOSARTAN, dose: 1, frequency: 'qd', daysSupply: 28 }], stableReason: null }), submit: true });
    expect(w.statusCode, w.body).toBe(201);
    const id = w.json().id;
    const findings = (await post(`/api/prescriptions/${id}/review`, pharmacist)).json().findings;
    expect(findings).toContainEqual(expect.objectContaining({ code: 'duplicate_therapy', severity: 'block', line: 2 }));
    const refused = await post(`/api/prescriptions/${id}/approve`, pharmacist, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors.map((e: { rule: string }) => e.rule)).toEqual(['blocking_findings', 'duplicate_therapy']);
    const ok = await post(`/api/prescriptions/${id}/approve`, pharmacist, { overrideReason: '与医生确认：氯沙坦替换厄贝沙坦，已告知停用' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', overrideReason: expect.stringContaining('氯沙坦') });
    expect(ok.json().history.map((h: { action: string }) => h.action)).toEqual(['write', 'submit', 'start_review', 'approve']);
  });

  it('returns to the doctor with the reason; the doctor revises and submits again', async () => {
    const w = await post('/api/prescriptions', doctor, { ...rx(), submit: true });
    const id = w.json().id;
    const back = await post(`/api/prescriptions/${id}/return`, pharmacist, { reason: '剂量请核对' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'returned', reviewNote: '剂量请核对' });
    const fixed = await put(`/api/prescriptions/${id}`, doctor, { ...rx({ lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 28 }], stableReason: null }), submit: true });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ status: 'submitted', lines: [expect.objectContaining({ daysSupply: 28, quantity: 1 })] });
  });
});

describe('renewal (续方)', () => {
  it('needs a follow-up within the window and refuses the same drug while enough of the last supply is left, naming the dates', async () => {
    const previous = (await t.database.db.selectFrom('prescription').select('id').where('person_id', '=', patientId).where('status', '=', 'partly_dispensed').executeTakeFirstOrThrow()).id;
    await sql`delete from followup_state where person_id = ${patientId}`.execute(t.database.db);
    await sql`delete from followup_visit where person_id = ${patientId}`.execute(t.database.db);
    const renewal = { personId: patientId, origin: 'renewal', renewalOf: previous, fillPlace: 'own', stableReason: '血压控制稳定' };
    const res = await post('/api/prescriptions', doctor, renewal);
    expect(res.statusCode).toBe(409);
    expect(res.json().errors.map((e: { rule: string }) => e.rule)).toEqual(['follow_up_required', 'early_refill']);
    // the window's first day: 90 days before
    expect(res.json().errors[0].facts).toEqual({ lastVisit: null, windowStart: '2026-03-17' });
    // amlodipine, 28 days dispensed today (the centre's fill was taken back): renewable from day 23 (80 %)
    expect(res.json().errors[1]).toMatchObject({ field: 'body.lines.0.drugCode', facts: { drugCode: AMLODIPINE, lastDispensedOn: '2026-06-15', lastDaysSupply: 28, earliest: '2026-07-08' } });

    // a follow-up today: the visit rule holds, the early refill still refuses the day before the earliest
    const visit = await post(`/api/people/${patientId}/followups`, doctor, { diseases: ['hypertension'], mode: 'clinic', readings: { systolic: 132, diastolic: 82, heartRate: 72 } });
    expect(visit.statusCode, visit.body).toBe(201);
    try {
      t.clock.now = new Date('2026-07-07T02:00:00Z');
      const before = await post('/api/prescriptions', await t.login('doctor'), renewal);
      expect(before.json().errors.map((e: { rule: string }) => e.rule)).toEqual(['early_refill']);
      t.clock.now = new Date('2026-07-08T02:00:00Z');
      const on = await post('/api/prescriptions', await t.login('doctor'), renewal);
      expect(on.statusCode, on.body).toBe(201);
      expect(on.json()).toMatchObject({ origin: 'renewal', renewalOf: previous, lines: [expect.objectContaining({ drugCode: AMLODIPINE, daysSupply: 56 })] });
    } finally {
      t.clock.now = new Date('2026-06-15T02:00:00Z');
    }
  });
});

describe('online renewal requests (线上续方)', () => {
  it('go to the team’s queue; the doctor declines with a reason or renews the very prescription asked for', async () => {
    const db = t.database.db;
    const hash = (await db.selectFrom('app_user').select('password_hash').where('username', '=', 'patient').executeTakeFirstOrThrow()).password_hash;
    await db.insertInto('app_user').values({ username: 'rx-patient', display_name: '测试患者', role: 'patient', person_id: patientId, password_hash: hash, demo: true }).execute();
    const patient = await t.login('rx-patient');
    const previous = (await db.selectFrom('prescription').select('id').where('person_id', '=', patientId).where('status', '=', 'partly_dispensed').executeTakeFirstOrThrow()).id;
    const asked = await post(`/api/prescriptions/${previous}/renewal-requests`, patient, { note: '药快吃完了' });
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await post(`/api/prescriptions/${previous}/renewal-requests`, patient, {})).json().errors[0].rule).toBe('renewal_already_requested');
    const queue = (await get('/api/team/renewal-requests', doctor)).json().items;
    expect(queue).toContainEqual(expect.objectContaining({ id: asked.json().id, personId: patientId, note: '药快吃完了', prescriptionId: previous }));
    const declined = await post(`/api/renewal-requests/${asked.json().id}/decline`, doctor, { reason: '请先来复诊' });
    expect(declined.statusCode, declined.body).toBe(204);
    expect((await get('/api/me/renewal-requests', patient)).json().items[0]).toMatchObject({ status: 'declined', declineReason: '请先来复诊' });
    // asked again: renewing another prescription does not answer it
    const again = (await post(`/api/prescriptions/${previous}/renewal-requests`, patient, {})).json();
    const other = (await db.selectFrom('prescription').select('id').where('person_id', '=', patientId).where('status', '=', 'approved').executeTakeFirstOrThrow()).id;
    const wrong = await post('/api/prescriptions', doctor, { personId: patientId, origin: 'renewal', renewalOf: other, renewalRequestId: again.id, fillPlace: 'own', stableReason: '稳定' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'body.renewalOf', rule: 'renews_requested' });
  });
});

describe('expiry', () => {
  it('refuses to dispense a prescription past its validity and records it expired', async () => {
    const p = await approved({ ...rx({ fillInstitutionId: pharmacyId, lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 28 }], stableReason: null }) }, '已核对');
    t.clock.now = new Date('2026-07-20T02:00:00Z');
    try {
      const pharmacist = await t.login('pharmacist'); // the session of 06-15 has ended
      const res = await post(`/api/prescriptions/${p.id}/dispenses`, pharmacist, { idempotencyKey: 'rx-test-expired-01' });
      expect(res.statusCode).toBe(409);
      expect(res.json().errors[0].rule).toBe('prescription_expired');
      expect((await get(`/api/prescriptions/${p.id}`, pharmacist)).json().status).toBe('expired');
    } finally {
      t.clock.now = new Date('2026-06-15T02:00:00Z');
    }
  });
});

describe('stock', () => {
  it('computes the grassroots stock rate against the upper institution by hand', async () => {
    const db = t.database.db;
    const centre = await db.selectFrom('institution').select(['upper_institution_id']).where('id', '=', centreId).executeTakeFirstOrThrow();
    const upper = centre.upper_institution_id!;
    // from a known start: the demo city's stock of the two goes, the batches this file received stay
    await db.deleteFrom('stock_batch').where('institution_id', '=', upper).execute();
    await db.deleteFrom('stock_batch').where('institution_id', '=', centreId).where('batch_no', 'not in', ['LATE-1', 'SOON-1']).execute();
    // the upper hospital stocks 4 chronic drugs; the centre holds amlodipine already (above) and gets 2 more of them
    for (const [code, batch] of [[AMLODIPINE, 'H1'], [IRBESARTAN, 'H2'], [LOSARTAN, 'H3'], ['D0024', 'H4']])
      await db.insertInto('stock_batch').values({ institution_id: upper, drug_code: code, batch_no: batch, expiry_date: '2027-06-30', received: 10, on_hand: 10 }).execute();
    await receive(centrePharmacist, [{ drugCode: IRBESARTAN, batchNo: 'C1', expiryDate: '2027-06-30', quantity: 3 }, { drugCode: 'D0002', batchNo: 'C2', expiryDate: '2027-06-30', quantity: 3 }]);
    const res = await get('/api/stock/rate', centrePharmacist);
    expect(res.statusCode, res.body).toBe(200);
    // of the upper's 4, the centre stocks amlodipine and irbesartan: 2 / 4 = 50 %, under the 70 % target; D0002 is not the upper's
    expect(res.json()).toMatchObject({ upperInstitution: { id: upper }, upperCount: 4, stockedCount: 2, rateBp: 5000, meetsTarget: false, targetBp: 7000 });
    expect(res.json().missing.map((m: { drugCode: string }) => m.drugCode)).toEqual([LOSARTAN, 'D0024']);
  });

  it('refuses an expired batch at receipt and names the field', async () => {
    const res = await post('/api/stock/receipts', pharmacist, { lines: [{ drugCode: AMLODIPINE, batchNo: 'OLD-1', expiryDate: '2026-06-01', quantity: 5 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'body.lines.0.expiryDate', rule: 'not_expired' });
  });
});
