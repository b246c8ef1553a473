// Issue 14, 送药到家 (Hangzhou's path, seed 003) through the API: the fill institution's pharmacist turns an
// approved delivery prescription into an order to the county's provider — dispensed, settled and ordered
// in one transaction, the amounts to the fen against the claim; two different people recheck, one of them
// a pharmacist (the same person twice and two non-pharmacists refused); out for delivery; delivered with
// the signed receipt's photo (a PDF or a text renamed .jpg and an oversize image refused); a returned
// delivery reverses its claim and gives the stock back; nobody outside the provider reaches the order.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let doctor: string;
let reviewer: string; // the county's pharmacist who reviews (审方): the demo `pharmacist`, at a chain pharmacy
let centre: string; // a pharmacist of the doctor's centre, the fill institution of a delivery prescription
let courier: string; // `delivery`, of the county's provider
let courierB: string; // a second staff member of the same provider
let farCourier: string; // a provider's staff in another county
let admin: string;
let patient: string;
let patientId: string;
let centreId: string;
let county: string;
let providerId: string;
let secondProviderId: string;

const AMLODIPINE = 'D0001';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const post = (url: string, cookie: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

async function approvedDelivery(days = 28) {
  const w = await post('/api/prescriptions', doctor, {
    personId: patientId, origin: 'new', fillPlace: 'delivery', deliveryAddress: '嘉兴市南湖区测试路 8 号 2 单元 301', submit: true, stableReason: days > 30 ? '血压控制稳定三个月以上' : null,
    lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: days }],
  });
  expect(w.statusCode, w.body).toBe(201);
  const a = await post(`/api/prescriptions/${w.json().id}/approve`, reviewer, { overrideReason: '已与医生核对，测试处方' });
  expect(a.statusCode, a.body).toBe(200);
  return a.json().id as string;
}

const onHand = async () =>
  Number((await sql<{ n: number }>`select coalesce(sum(on_hand), 0)::int as n from stock_batch where institution_id = ${centreId} and drug_code = ${AMLODIPINE}`.execute(t.database.db)).rows[0].n);

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  [doctor, reviewer, admin, patient] = await Promise.all([t.login('doctor'), t.login('pharmacist'), t.login('admin'), t.login('patient')]);
  const me = (await get('/api/auth/me', doctor)).json().user;
  const team = await db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id').select(['i.id', 'i.county_code']).where('t.id', '=', me.scope.id).executeTakeFirstOrThrow();
  centreId = team.id;
  county = team.county_code;
  const hash = (await db.selectFrom('app_user').select('password_hash').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).password_hash;
  // the centre's pharmacist (the demo has one; made here when it does not)
  let centreUser = await db.selectFrom('app_user').select('username').where('role', '=', 'pharmacist').where('institution_id', '=', centreId).orderBy('username').executeTakeFirst();
  if (!centreUser) {
    const practitioner = await db.selectFrom('practitioner').select('id').where('institution_id', '=', centreId).where('profession', '=', 'pharmacist').executeTakeFirst();
    await db.insertInto('app_user').values({ username: 'centre-pharmacist', display_name: '中心药师', role: 'pharmacist', institution_id: centreId, practitioner_id: practitioner?.id ?? null, password_hash: hash, demo: true }).execute();
    centreUser = { username: 'centre-pharmacist' };
  }
  centre = await t.login(centreUser.username);
  // the county's provider and its `delivery` user (the demo's when it has them)
  const demoCourier = await db.selectFrom('app_user as u').innerJoin('delivery_provider as p', 'p.id', 'u.delivery_provider_id')
    .select(['u.username', 'p.id']).where('u.role', '=', 'delivery').where('p.county_code', '=', county).orderBy('u.username').executeTakeFirst();
  if (demoCourier) {
    providerId = demoCourier.id;
  } else {
    providerId = (await db.insertInto('delivery_provider').values({ code: 'TEST-PS-1', name: '测试医药配送', county_code: county, phone: '0573-82000001' }).returning('id').executeTakeFirstOrThrow()).id;
    const name = (await db.selectFrom('app_user').select('id').where('username', '=', 'delivery').executeTakeFirst()) ? 'delivery-test' : 'delivery';
    await db.insertInto('app_user').values({ username: name, display_name: '配送员甲', role: 'delivery', delivery_provider_id: providerId, password_hash: hash, demo: true }).execute();
  }
  const courierName = demoCourier?.username ?? ((await db.selectFrom('app_user').select('username').where('delivery_provider_id', '=', providerId).executeTakeFirstOrThrow()).username);
  courier = await t.login(courierName);
  await db.insertInto('app_user').values({ username: 'delivery-b', display_name: '配送员乙', role: 'delivery', delivery_provider_id: providerId, password_hash: hash, demo: true }).execute();
  courierB = await t.login('delivery-b');
  const otherCounty = (await db.selectFrom('region').select('code').where('level', '=', 'county').where('code', '!=', county).orderBy('code').executeTakeFirstOrThrow()).code;
  const far = (await db.insertInto('delivery_provider').values({ code: 'TEST-FAR-1', name: '外县医药配送', county_code: otherCounty, phone: null }).returning('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('app_user').values({ username: 'delivery-far', display_name: '外县配送员', role: 'delivery', delivery_provider_id: far, password_hash: hash, demo: true }).execute();
  farCourier = await t.login('delivery-far');
  // the demo patient (whose account tracks the order) when registered with the team, else one who is
  const own = await db.selectFrom('app_user').select('person_id').where('username', '=', 'patient').executeTakeFirstOrThrow();
  const row = await sql<{ id: string }>`
    select p.id from person p join contract c on c.person_id = p.id join registration r on r.person_id = p.id
    where c.team_id = ${me.scope.id} and c.status = 'active' and c.start_date <= '2026-06-15' and c.end_date >= '2026-07-20'
      and r.disease_code = 'hypertension' and r.effective_to is null
    order by (p.id = ${own.person_id}) desc, p.id limit 1`.execute(db);
  patientId = row.rows[0].id;
  if (patientId !== own.person_id) await db.updateTable('app_user').set({ person_id: patientId }).where('username', '=', 'patient').execute();
  patient = await t.login('patient');
  await sql`update claim set status = 'reversed', reversed_at = now(), reversal_reason = 'test reset' where person_id = ${patientId}`.execute(db);
  // stock at the centre
  const receipt = await post('/api/stock/receipts', centre, { lines: [{ drugCode: AMLODIPINE, batchNo: 'DLV-0601', expiryDate: '2027-05-31', quantity: 20 }] });
  expect(receipt.statusCode, receipt.body).toBe(200);
});
afterAll(() => t.close());

describe('a delivery from order to the signed receipt', () => {
  let rxId: string;
  let orderId: string;
  let shareBefore: { dispensed: number; delivered: number };

  it('orders to the county’s provider: dispensed, settled and ordered in one step, to the fen', async () => {
    shareBefore = (await get(`/api/delivery/share?countyCode=${county}&from=2026-06-01&to=2026-06-30`, admin)).json();
    rxId = await approvedDelivery(56); // 2 packs
    // a second provider in the county: the order must name one
    secondProviderId = (await post('/api/admin/delivery-providers', admin, { code: 'test-ps-2', name: '第二配送企业', countyCode: county, phone: '0573-82000002' })).json().id;
    expect(secondProviderId).toBeTruthy();
    const choose = await post(`/api/prescriptions/${rxId}/delivery-orders`, centre, { idempotencyKey: 'dlv-test-0001' });
    expect(choose.statusCode, choose.body).toBe(400);
    expect(choose.json().errors[0]).toMatchObject({ field: 'body.providerId', rule: 'provider_choice_required' });
    // the pharmacist of another institution (the reviewing pharmacy) may not order it
    const elsewhere = await post(`/api/prescriptions/${rxId}/delivery-orders`, reviewer, { idempotencyKey: 'dlv-test-0001', providerId });
    expect(elsewhere.statusCode).toBe(403);
    const before = await onHand();
    const quote = await post(`/api/prescriptions/${rxId}/dispense-quote`, centre, {});
    expect(quote.statusCode, quote.body).toBe(200);
    const res = await post(`/api/prescriptions/${rxId}/delivery-orders`, centre, { idempotencyKey: 'dlv-test-0001', providerId });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json().order;
    orderId = order.id;
    expect(order).toMatchObject({ status: 'ordered', provider: { id: providerId }, institution: { id: centreId }, address: '嘉兴市南湖区测试路 8 号 2 单元 301', rechecks: [] });
    expect(order.lines).toEqual([expect.objectContaining({ drugCode: AMLODIPINE, batchNo: 'DLV-0601', quantity: 2 })]);
    // the claim, to the fen: what the quote said, what the claim row holds, split into fund and self
    const claim = await t.database.db.selectFrom('claim').selectAll().where('person_id', '=', patientId).where('id', '=', order.claim.id).executeTakeFirstOrThrow();
    const q = quote.json().quote.totals;
    expect(order.claim).toMatchObject({ status: 'settled', amountFen: claim.amount_fen, fundPayFen: claim.fund_pay_fen, selfPayFen: claim.amount_fen - claim.fund_pay_fen });
    expect([claim.amount_fen, claim.fund_pay_fen]).toEqual([q.amountFen, q.fundPayFen]);
    const lines = await t.database.db.selectFrom('claim_line').select(['quantity', 'amount_fen']).where('person_id', '=', patientId).where('claim_id', '=', claim.id).execute();
    expect(lines.reduce((s, l) => s + Number(l.amount_fen), 0)).toBe(claim.amount_fen);
    expect(claim.amount_fen).toBeGreaterThan(0);
    const dispense = await t.database.db.selectFrom('dispense').select(['delivery', 'status']).where('person_id', '=', patientId).where('id', '=', order.dispenseId).executeTakeFirstOrThrow();
    expect(dispense).toEqual({ delivery: true, status: 'dispensed' });
    expect(await onHand()).toBe(before - 2);
    // the same order sent again answers the first and settles nothing twice
    const again = await post(`/api/prescriptions/${rxId}/delivery-orders`, centre, { idempotencyKey: 'dlv-test-0001', providerId });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ replayed: true, order: { id: orderId } });
    expect(await onHand()).toBe(before - 2);
  });

  it('is in the provider’s list, not in another provider’s; outside the provider it is refused', async () => {
    const mine = (await get('/api/delivery-orders?status=ordered', courier)).json();
    expect(mine.items.map((o: { id: string }) => o.id)).toContain(orderId);
    expect(mine.counts.ordered).toBeGreaterThanOrEqual(1);
    const theirs = (await get('/api/delivery-orders?status=open', farCourier)).json();
    expect(theirs.items.map((o: { id: string }) => o.id)).not.toContain(orderId);
    for (const [url, body] of [[`/api/delivery-orders/${orderId}`, null], [`/api/delivery-orders/${orderId}/recheck`, {}], [`/api/delivery-orders/${orderId}/returned`, { reason: '不是本企业的单' }]] as const) {
      const res = body ? await post(url, farCourier, body) : await get(url, farCourier);
      expect(res.statusCode, url).toBe(403);
    }
    expect((await get(`/api/delivery-orders/${orderId}`, reviewer)).statusCode).toBe(403); // a pharmacist of another institution
    const inst = (await get('/api/delivery-orders?status=all', centre)).json();
    expect(inst.items.map((o: { id: string }) => o.id)).toContain(orderId);
  });

  it('is rechecked by two different people, one a pharmacist', async () => {
    const first = await post(`/api/delivery-orders/${orderId}/recheck`, courier, { note: '药品、数量、批号核对无误' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'ordered', rechecks: [{ role: 'delivery' }], recheckedByMe: true });
    const twice = await post(`/api/delivery-orders/${orderId}/recheck`, courier, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('recheck_same_person');
    const noPharmacist = await post(`/api/delivery-orders/${orderId}/recheck`, courierB, {});
    expect(noPharmacist.statusCode).toBe(409);
    expect(noPharmacist.json().code).toBe('recheck_pharmacist_required');
    // out before the second recheck: refused
    expect((await post(`/api/delivery-orders/${orderId}/out`, courier)).json().code).toBe('delivery_state');
    const second = await post(`/api/delivery-orders/${orderId}/recheck`, centre, {});
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ status: 'rechecked', rechecks: [{ role: 'delivery' }, { role: 'pharmacist' }] });
    const row = await t.database.db.selectFrom('delivery_order').select(['recheck1_by', 'recheck2_by']).where('id', '=', orderId).executeTakeFirstOrThrow();
    expect(row.recheck1_by).not.toBe(row.recheck2_by);
  });

  it('goes out with the provider’s staff only', async () => {
    expect((await post(`/api/delivery-orders/${orderId}/out`, centre)).statusCode).toBe(403);
    const out = await post(`/api/delivery-orders/${orderId}/out`, courier);
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json().status).toBe('out_for_delivery');
  });

  it('refuses a receipt photo that is no image, or too large, by its content', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const asPdf = await post(`/api/delivery-orders/${orderId}/delivered`, courier, { proof: { name: 'receipt.jpg', contentBase64: pdf.toString('base64') } });
    expect(asPdf.statusCode).toBe(415);
    expect(asPdf.json().errors[0]).toMatchObject({ field: 'body.proof.contentBase64', rule: 'proof_media_type' });
    const text = await post(`/api/delivery-orders/${orderId}/delivered`, courier, { proof: { name: 'signed.jpg', contentBase64: Buffer.from('患者已签收，这不是照片').toString('base64') } });
    expect(text.statusCode).toBe(415);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(big);
    const large = await post(`/api/delivery-orders/${orderId}/delivered`, courier, { proof: { name: 'big.jpg', contentBase64: big.toString('base64') } });
    expect(large.statusCode).toBe(413);
    expect(large.json().errors[0].rule).toBe('proof_max_size');
    const row = await t.database.db.selectFrom('delivery_order').select(['status', 'proof']).where('id', '=', orderId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'out_for_delivery', proof: null });
  });

  it('is delivered with the signed receipt, which the prescription’s readers get back as an image', async () => {
    const res = await post(`/api/delivery-orders/${orderId}/delivered`, courier, { proof: { name: 'IMG_0001.png', contentBase64: PNG.toString('base64') } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'delivered', proof: { mediaType: 'image/png', sizeBytes: PNG.length } });
    for (const cookie of [patient, centre, courier, doctor]) {
      const proof = await get(`/api/delivery-orders/${orderId}/proof`, cookie);
      expect(proof.statusCode).toBe(200);
      expect(proof.headers['content-type']).toBe('image/png');
      expect(proof.rawPayload.equals(PNG)).toBe(true);
    }
    expect((await get(`/api/delivery-orders/${orderId}/proof`, farCourier)).statusCode).toBe(403);
    // the patient tracks every step, with who and when
    const mine = (await get('/api/me/deliveries', patient)).json().items.find((o: { id: string }) => o.id === orderId);
    expect(mine.events.map((e: { step: string }) => e.step)).toEqual(['ordered', 'recheck1', 'recheck2', 'out_for_delivery', 'delivered']);
    expect(mine.events.every((e: { by: string | null; at: string }) => e.by && e.at)).toBe(true);
    expect(mine.events[1].reason).toBe('药品、数量、批号核对无误');
    const onRx = (await get(`/api/prescriptions/${rxId}/delivery-orders`, patient)).json().items;
    expect(onRx.map((o: { id: string }) => o.id)).toEqual([orderId]);
    // the step is audited beside the person
    const audit = await t.database.db.selectFrom('person_audit').select('entity').where('person_id', '=', patientId).where('entity', '=', 'delivery_order').where('action', '=', 'update').execute();
    expect(audit.length).toBeGreaterThanOrEqual(4);
    // a delivered order is done
    expect((await post(`/api/delivery-orders/${orderId}/returned`, courier, { reason: '患者要求退回' })).json().code).toBe('delivery_state');
  });

  it('counts in the share of prescriptions delivered', async () => {
    const after = (await get(`/api/delivery/share?countyCode=${county}&from=2026-06-01&to=2026-06-30`, admin)).json();
    expect(after.dispensed).toBe(shareBefore.dispensed + 1);
    expect(after.delivered).toBe(shareBefore.delivered + 1);
    expect(after.shareBp).toBe(Math.round((after.delivered / after.dispensed) * 10000));
  });
});

describe('a returned delivery', () => {
  it('reverses its claim and gives the stock and the packs back, in the order’s own step', async () => {
    const rxId = await approvedDelivery(28);
    const before = await onHand();
    const res = await post(`/api/prescriptions/${rxId}/delivery-orders`, centre, { idempotencyKey: 'dlv-test-0002', providerId });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json().order;
    expect(await onHand()).toBe(before - 1);
    // two pharmacists of the institution could recheck too; here the pharmacist first, then the courier
    expect((await post(`/api/delivery-orders/${order.id}/recheck`, centre, {})).statusCode).toBe(200);
    expect((await post(`/api/delivery-orders/${order.id}/recheck`, courierB, {})).json().status).toBe('rechecked');
    expect((await post(`/api/delivery-orders/${order.id}/out`, courierB)).statusCode).toBe(200);
    const tooShort = await post(`/api/delivery-orders/${order.id}/returned`, courierB, { reason: 'x' });
    expect(tooShort.statusCode).toBe(400);
    const back = await post(`/api/delivery-orders/${order.id}/returned`, courierB, { reason: '患者拒收：已在医院配过药' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'returned', failureReason: '患者拒收：已在医院配过药', claim: { status: 'reversed' } });
    const claim = await t.database.db.selectFrom('claim').select(['status', 'reversal_reason']).where('person_id', '=', patientId).where('id', '=', order.claim.id).executeTakeFirstOrThrow();
    expect(claim.status).toBe('reversed');
    expect(claim.reversal_reason).toContain('患者拒收');
    const batch = await t.database.db.selectFrom('stock_batch').select('on_hand').where('institution_id', '=', centreId).where('drug_code', '=', AMLODIPINE).where('batch_no', '=', 'DLV-0601').executeTakeFirstOrThrow();
    expect(await onHand()).toBe(before);
    expect(batch.on_hand).toBe(20 - 2); // only the delivered order's two packs are gone
    const dispense = await t.database.db.selectFrom('dispense').select(['status', 'return_reason']).where('person_id', '=', patientId).where('id', '=', order.dispenseId).executeTakeFirstOrThrow();
    expect(dispense.status).toBe('returned');
    const rx = (await get(`/api/prescriptions/${rxId}`, centre)).json();
    expect(rx).toMatchObject({ status: 'approved', lines: [expect.objectContaining({ dispensedQuantity: 0, remainingQuantity: 1 })] });
    const events = (await get(`/api/delivery-orders/${order.id}`, courierB)).json().events;
    expect(events.at(-1)).toMatchObject({ step: 'returned', reason: '患者拒收：已在医院配过药', by: '配送员乙' });
  });

  it('refuses an order for a prescription the patient collects', async () => {
    const w = await post('/api/prescriptions', doctor, { personId: patientId, origin: 'new', fillPlace: 'own', submit: true, lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 28 }] });
    await post(`/api/prescriptions/${w.json().id}/approve`, reviewer, { overrideReason: '已与医生核对，测试处方' });
    const res = await post(`/api/prescriptions/${w.json().id}/delivery-orders`, centre, { idempotencyKey: 'dlv-test-0003', providerId });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('not_for_delivery');
  });
});

describe('delivery providers in the directory', () => {
  it('are listed and added by the system administrator only', async () => {
    const list = (await get(`/api/admin/delivery-providers?countyCode=${county}`, admin)).json();
    expect(list.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([providerId, secondProviderId]));
    expect(list.items.find((p: { code: string }) => p.code === 'TEST-PS-2')).toMatchObject({ county: { code: county }, staff: 0 });
    expect((await post('/api/admin/delivery-providers', admin, { code: 'TEST-PS-2', name: '重复', countyCode: county })).json().code).toBe('provider_code_taken');
    expect((await post('/api/admin/delivery-providers', admin, { code: 'TEST-PS-3', name: '无此县', countyCode: '999999' })).json().errors[0].rule).toBe('known_county');
    expect((await get('/api/admin/delivery-providers', centre)).statusCode).toBe(403);
    // the counter sees the providers serving its county
    const mine = (await get('/api/delivery/providers', centre)).json();
    expect(mine.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([providerId, secondProviderId]));
    // a delivery account belongs to a provider
    const user = await post('/api/admin/users', admin, { username: 'delivery-new', displayName: '新配送员', role: 'delivery', deliveryProviderId: secondProviderId });
    expect(user.statusCode, user.body).toBe(201);
  });
});
