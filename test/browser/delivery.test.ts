// Issue 14, 送药到家 in Chromium, in Chinese: the fill institution's pharmacist (1440 × 900) orders the
// delivery of an approved delivery prescription from the queue — dispensed, settled and ordered in one
// step — and does the first recheck; the provider's courier on a phone (390 × 844, no sideways
// scrolling, big targets) finds the order in their list, sees the address, the phone and the drugs, does
// the second recheck, goes out, photographs the signed receipt (the camera's file input) and confirms it
// delivered; the steps and the photo are there to see, and the database holds the proof.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp, expectNoOverflow } from './browser';

const PHONE = { width: 390, height: 844 };
const AMLODIPINE = 'D0001';
const ADDRESS = '嘉兴市南湖区测试路 18 号 3 幢 2 单元 502 室';
// a 24 × 24 PNG: what the phone's camera hands over, as far as the server can tell
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAADkUlEQVR4nBWTmxaFIRhEP47jOI7jOI7jeHP8cxzHcRzHcc9x1nmBWXPZI4IoRCMGsYhDPBKQiCQkIwUBqciHNKQjA5nIQjZykIs8RASlUBplUBblUB4VUBGVUBlVUKAq6kM1VEcN1EQt1EYd1EU9lAhaoTXaoC3aoT06oCM6oTO6oEFX9Idu6I4e6Ile6I0+6It+aBGMwmiMwViMw3hMwERMwmRMwYCpmA/TMB0zMBOzMBtzMBfzMCJYhdVYg7VYh/XYgI3YhM3YggVbsR+2YTt2YCd2YTf2YC/2YUVwCqdxBmdxDudxARdxCZdxBQeu4j5cw3XcwE3cwm3cwV3cw4ngFV7jDd7iHd7jAz7iEz7jCx58xX/4hu/4gZ/4hd/4g7/4hxchKIImGIIlOIInBEIkJEImFAKESvgIjdAJgzAJi7AJh3AJjyBCVERNNERLdERPDMRITMRMLESIlfgRG7ETB3ESF3ETD/ESH1GEpEiaZEiW5EieFEiRlEiZVEiQKukjNVInDdIkLdImHdIlPZIIWZE12ZAt2ZE9OZAjOZEzuZAhV/JHbuROHuRJXuRNPuRLfmQRiqJoiqFYiqN4SqBESqJkSqFAqZSP0iidMiiTsiibciiX8igi/C+g+WNn+U/t+dcb+UfK/GWACh806DBgwoINBy48EKEqqqYaqqU6qqcGaqQmaqaWv0it1I/aqJ06qJO6qJt6qJf6qCJ8ik/zGT7L5/g8X+CLfIkv85W/la/yfXyNr/MNvsm3+Dbf4bt8j0+EpmiaZmiW5mieFmiRlmiZVv6BWqV9tEbrtEGbtEXbtEO7tEcToSu6phu6pTu6pwd6pCd6ppd/Lb3SP3qjd/qgT/qib/qhX/qjizAUQzMMwzIcwzMCIzISIzPKv9xRGR+jMTpjMCZjMTbjMC7jMUSYiqmZhmmZjumZgRmZiZmZ5T/RrMyP2ZidOZiTuZibeZiX+ZgiLMXSLMOyLMfyrMCKrMTKrPIfelXWx2qszhqsyVqszTqsy3osEbZia7ZhW7Zje3ZgR3ZiZ3b547Ir+2M3dmcP9mQv9mYf9mU/tghHcTTHcCzHcTwncCIncTKn/KE7lfNxGqdzBmdyFmdzDudyHkeEq7iaa7iW67ieG7iRm7iZW/7o3sr9uI3buYM7uYu7uYd7uY8rwlM8zTM8y3M8zwu8yEu8zCv/A7zK+3iN13mDN3mLt3mHd3mP9wM6gROuaBs93QAAAABJRU5ErkJggg==',
  'base64',
);


/** The button is big enough to tap: at least 44 px high. */
async function expectTappable(page: Page, testId: string) {
  const box = await page.getByTestId(testId).boundingBox();
  expect(box?.height ?? 0, `${testId} height`).toBeGreaterThanOrEqual(44);
}

describeBrowser('home delivery: the pharmacist orders, the courier delivers on a phone (browser)', () => {
  let b: BrowserApp;
  let rxId: string;
  let patientName: string;
  let centreUser: string;
  let courierUser: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    const inject = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) => {
      const res = await b.t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
      return res.json();
    };
    const [doctor, reviewer] = await Promise.all([b.t.login('doctor'), b.t.login('pharmacist')]);
    const me = (await inject('GET', '/api/auth/me', doctor)).user;
    const team = await db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id').select(['i.id', 'i.county_code']).where('t.id', '=', me.scope.id).executeTakeFirstOrThrow();
    const hash = (await db.selectFrom('app_user').select('password_hash').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).password_hash;
    // the centre's pharmacist and the county's courier: the demo's, else made here
    const centre = await db.selectFrom('app_user').select('username').where('role', '=', 'pharmacist').where('institution_id', '=', team.id).orderBy('username').executeTakeFirst();
    centreUser = centre?.username ?? 'centre-pharmacist';
    if (!centre) await db.insertInto('app_user').values({ username: centreUser, display_name: '中心药师', role: 'pharmacist', institution_id: team.id, password_hash: hash, demo: true }).execute();
    const courier = await db.selectFrom('app_user as u').innerJoin('delivery_provider as p', 'p.id', 'u.delivery_provider_id').select('u.username')
      .where('u.role', '=', 'delivery').where('p.county_code', '=', team.county_code).orderBy('u.username').executeTakeFirst();
    courierUser = courier?.username ?? 'delivery';
    if (!courier) {
      const provider = (await db.insertInto('delivery_provider').values({ code: 'TEST-PS-1', name: '顺心医药配送', county_code: team.county_code, phone: '0573-82000001' }).returning('id').executeTakeFirstOrThrow()).id;
      await db.insertInto('app_user').values({ username: courierUser, display_name: '配送员', role: 'delivery', delivery_provider_id: provider, password_hash: hash, demo: true }).execute();
    }
    const row = await sql<{ id: string; name: string }>`
      select p.id, p.name from person p join contract c on c.person_id = p.id join registration r on r.person_id = p.id
      where c.team_id = ${me.scope.id} and c.status = 'active' and c.start_date <= '2026-06-15' and c.end_date >= '2026-07-20'
        and r.disease_code = 'hypertension' and r.effective_to is null
      order by p.id limit 1`.execute(db);
    const patient = row.rows[0];
    patientName = patient.name;
    await sql`update claim set status = 'reversed', reversed_at = now(), reversal_reason = 'test reset' where person_id = ${patient.id}`.execute(db);
    await inject('POST', '/api/stock/receipts', await b.t.login(centreUser), { lines: [{ drugCode: AMLODIPINE, batchNo: 'BR-0601', expiryDate: '2027-05-31', quantity: 10 }] });
    const w = await inject('POST', '/api/prescriptions', doctor, {
      personId: patient.id, origin: 'new', fillPlace: 'delivery', deliveryAddress: ADDRESS, submit: true, stableReason: '血压控制稳定三个月以上',
      lines: [{ drugCode: AMLODIPINE, dose: 1, frequency: 'qd', daysSupply: 56 }],
    });
    rxId = w.id;
    await inject('POST', `/api/prescriptions/${rxId}/approve`, reviewer, { overrideReason: '已与医生核对，测试处方' });
  });
  afterAll(() => b?.close());

  it('the pharmacist orders the delivery from the queue and does the first recheck (1440)', async () => {
    const page = await (await b.newContext()).newPage();
    await signIn(page, centreUser);
    await page.goto('/delivery-orders');
    const row = page.getByTestId('delivery-queue').locator('tr', { hasText: ADDRESS });
    await row.waitFor();
    await shot(page, 'delivery-pharmacist-queue');
    await row.getByTestId('delivery-order-create').click();
    const provider = page.getByTestId('delivery-order-provider');
    if (await provider.isVisible().catch(() => false)) {
      await provider.click();
      await page.locator('.ant-select-item-option').first().click();
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
    }
    const order = page.getByTestId('delivery-orders').locator('tr', { hasText: ADDRESS });
    await order.waitFor();
    await expectText(order.getByTestId('delivery-status'), '待复核');
    await order.getByTestId('delivery-recheck').click();
    await expectText(order.getByTestId('delivery-recheck'), '已复核');
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(scroll).toBeLessThanOrEqual(inner);
    await shot(page, 'delivery-pharmacist-orders');
  });

  it('the courier rechecks, goes out, photographs the signed receipt and delivers, on a phone (390)', async () => {
    const page = await (await b.newContext()).newPage();
    await page.setViewportSize(PHONE);
    await signIn(page, courierUser);
    // the delivery role lands on its orders
    await page.getByTestId('courier-list').waitFor();
    expect(new URL(page.url()).pathname).toBe('/deliveries');
    const card = page.getByTestId('courier-order').filter({ hasText: ADDRESS });
    await card.waitFor();
    await expectNoOverflow(page, 'courier list');
    await shot(page, 'delivery-courier-list');
    await card.click();
    await page.getByTestId('courier-detail').waitFor();
    await expectText(page.getByTestId('courier-address'), ADDRESS);
    await expectText(page.getByTestId('courier-person'), patientName);
    await expect.poll(() => page.getByTestId('courier-drug').count()).toBe(1);
    await expectText(page.getByTestId('courier-drug'), /苯磺酸氨氯地平片[\s\S]*2 盒/);
    await expectTappable(page, 'courier-recheck');
    await expectNoOverflow(page, 'courier order, to recheck');
    await shot(page, 'delivery-courier-order');

    await page.getByTestId('courier-recheck').click();
    await expectText(page.getByTestId('delivery-status'), '已复核');
    await expectTappable(page, 'courier-out');
    await shot(page, 'delivery-courier-rechecked');
    await page.getByTestId('courier-out').click();
    await expectText(page.getByTestId('delivery-status'), '配送中');

    // the camera's input: image/*, the back camera
    const input = page.getByTestId('courier-photo');
    expect(await input.getAttribute('accept')).toBe('image/*');
    expect(await input.getAttribute('capture')).toBe('environment');
    expect(await page.getByTestId('courier-delivered').isDisabled()).toBe(true);
    await input.setInputFiles({ name: 'IMG_0612.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('courier-photo-preview').waitFor();
    await expectTappable(page, 'courier-delivered');
    await expectNoOverflow(page, 'courier order, out with the photo');
    await shot(page, 'delivery-courier-photo');
    await page.getByTestId('courier-delivered').click();
    await expectText(page.getByTestId('delivery-status'), '已签收');
    await page.getByTestId('delivery-step-delivered').waitFor();
    await page.getByTestId('delivery-proof').first().waitFor();
    for (const s of ['ordered', 'recheck1', 'recheck2', 'out_for_delivery']) await page.getByTestId(`delivery-step-${s}`).waitFor();
    await expectNoOverflow(page, 'courier order, delivered');
    await page.getByTestId('delivery-steps').scrollIntoViewIfNeeded();
    await shot(page, 'delivery-courier-delivered');

    const stored = await b.t.database.db.selectFrom('delivery_order').select(['status', 'proof_media_type', 'recheck1_by', 'recheck2_by']).where('prescription_id', '=', rxId).executeTakeFirstOrThrow();
    expect(stored.status).toBe('delivered');
    expect(stored.proof_media_type).toBe('image/png');
    expect(stored.recheck1_by).not.toBe(stored.recheck2_by);
  });
  it('the system administrator adds a provider and a delivery account for it (1440)', async () => {
    const page = await (await b.newContext()).newPage();
    await signIn(page, 'admin');
    await page.goto('/admin/delivery-providers');
    await page.getByTestId('providers-table').waitFor();
    await page.getByTestId('provider-add').click();
    await page.getByTestId('provider-code').fill('jx-ps-9');
    await page.getByTestId('provider-name').fill('嘉禾送药到家');
    await page.getByTestId('provider-county').click();
    await page.keyboard.type('南湖');
    await page.locator('.ant-select-item-option').filter({ hasText: '南湖' }).first().click();
    await page.getByTestId('provider-phone').fill('0573-82000009');
    await page.getByTestId('provider-submit').click();
    const row = page.getByTestId('providers-table').locator('tr', { hasText: 'JX-PS-9' });
    await expectText(row, /嘉禾送药到家/);
    await shot(page, 'delivery-admin-providers');

    await page.goto('/admin/users');
    await page.getByTestId('user-create').click();
    const drawer = page.getByTestId('user-drawer');
    await drawer.getByTestId('user-username').fill('courier-new');
    await drawer.getByTestId('user-display-name-input').fill('新配送员');
    await drawer.getByTestId('user-role-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: /^配送人员$/ }).click();
    await drawer.getByTestId('user-provider').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '嘉禾送药到家' }).click();
    await shot(page, 'delivery-admin-user');
    await drawer.getByTestId('user-submit').click();
    await page.getByTestId('one-time-password-modal').getByTestId('one-time-password').waitFor();
    const stored = await b.t.database.db.selectFrom('app_user as u').innerJoin('delivery_provider as p', 'p.id', 'u.delivery_provider_id').select(['u.role', 'p.code']).where('u.username', '=', 'courier-new').executeTakeFirstOrThrow();
    expect(stored).toEqual({ role: 'delivery', code: 'JX-PS-9' });
  });
});
