// Issue 14, the pharmacist's screens in Chromium at 1440 × 900, in Chinese: the doctor (through the API)
// writes and submits prescriptions for a hypertension patient of the team, to be filled at the
// pharmacist's chain pharmacy; the pharmacist reviews the one with two ARBs (D0008 + D0010) — approval
// is refused until an override (干预) reason is typed — and approves it; the dispensing counter refuses
// a hand-over with no stock, plainly; stock is received on the stock page; part of the prescription is
// dispensed and settled in one step, the quote's and the receipt's amounts equal the API's; the stock
// goes down by what was handed over, and the prescription shows what remains.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

const IRBESARTAN = 'D0008';
const LOSARTAN = 'D0010';

const fenOf = async (page: Page, testId: string) => Number(await page.getByTestId(testId).first().getAttribute('data-fen'));

async function noHorizontalOverflow(page: Page) {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, 'no horizontal scrolling at 1440 px').toBeLessThanOrEqual(inner);
}

describeBrowser('pharmacist: review, dispense and stock (browser)', () => {
  let b: BrowserApp;
  let page: Page;
  let doctor: string;
  let pharmacist: string;
  let patient: { id: string; name: string };
  let pharmacyId: string;
  let pairId: string;
  let pairNo: string;

  const inject = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) => {
    const res = await b.t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    [doctor, pharmacist] = await Promise.all([b.t.login('doctor'), b.t.login('pharmacist')]);
    pharmacyId = (await db.selectFrom('app_user').select('institution_id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).institution_id!;
    const me = (await inject('GET', '/api/auth/me', doctor)).body.user;
    // a patient of the doctor's team with hypertension confirmed (as test/api/prescriptions.test.ts finds one)
    const row = await sql<{ id: string; name: string }>`
      select p.id, p.name from person p join contract c on c.person_id = p.id join registration r on r.person_id = p.id
      where c.team_id = ${me.scope.id} and c.status = 'active' and c.start_date <= '2026-06-15' and c.end_date >= '2026-07-20'
        and r.disease_code = 'hypertension' and r.effective_to is null and p.insurance_type = 'resident'
        and not exists (select 1 from registration d where d.person_id = p.id and d.disease_code = 'diabetes')
      order by p.id limit 1`.execute(db);
    patient = row.rows[0];
    // earlier claims would count as supply on hand: the review should show the pair alone
    await sql`update claim set status = 'reversed', reversed_at = now(), reversal_reason = 'test reset' where person_id = ${patient.id}`.execute(db);
    // two ARBs for 56 days: 2 packs of 28 each, to be filled at the pharmacist's chain pharmacy
    const pair = await inject('POST', '/api/prescriptions', doctor, {
      personId: patient.id,
      origin: 'new',
      fillPlace: 'pharmacy',
      fillInstitutionId: pharmacyId,
      stableReason: '血压控制稳定三个月以上',
      lines: [
        { drugCode: IRBESARTAN, dose: 1, frequency: 'qd', daysSupply: 56 },
        { drugCode: LOSARTAN, dose: 1, frequency: 'qd', daysSupply: 56 },
      ],
      submit: true,
    });
    expect(pair.status, JSON.stringify(pair.body)).toBe(201);
    pairId = pair.body.id;
    pairNo = pair.body.prescriptionNo;
    page = await (await b.newContext()).newPage();
    await signIn(page, 'pharmacist');
  });
  afterAll(() => b?.close());

  it('lists the submitted prescription in the county’s review queue and opens it with its findings', async () => {
    await page.getByTestId('menu-rx-review').click();
    const row = page.locator(`[data-testid="rx-review-row"][data-rx-id="${pairId}"]`);
    await row.waitFor();
    await expectText(row, new RegExp(pairNo));
    await noHorizontalOverflow(page);
    await shot(page, 'pharm-review-queue');
    await row.click();
    const panel = page.getByTestId('rx-review-panel');
    await panel.waitFor();
    await expectText(page.getByTestId('rx-patient-name'), patient.name);
    await expect.poll(() => panel.getByTestId('rx-line').count()).toBe(2);
    // the duplicate therapy, blocking, on line 2, with both drugs and their class named
    const dup = page.locator('[data-testid="finding"][data-code="duplicate_therapy"][data-severity="block"]');
    await dup.waitFor();
    expect(await dup.getAttribute('data-line')).toBe('2');
    await expectText(dup.getByTestId('finding-severity'), '阻断');
    await expectText(dup.getByTestId('finding-pair'), /氯沙坦钾片（第 2 行）与厄贝沙坦片（第 1 行）/);
    await expectText(dup.getByTestId('finding-pair'), /血管紧张素Ⅱ受体拮抗剂/);
    await expectText(dup.getByTestId('finding-reference'), /处方审核规范/);
    await noHorizontalOverflow(page);
    await shot(page, 'pharm-review-open');
  });

  it('refuses approval without an override reason, then approves with one', async () => {
    await page.getByTestId('rx-approve').click();
    const item = page.locator('.ant-form-item', { has: page.getByTestId('rx-override-reason') });
    await expectText(item.locator('.ant-form-item-explain-error'), /干预理由/);
    expect((await inject('GET', `/api/prescriptions/${pairId}`, pharmacist)).body.status).toBe('under_review');
    await shot(page, 'pharm-review-refused');
    await page.getByTestId('rx-override-reason').fill('已与开方医生确认：改用氯沙坦，厄贝沙坦停用');
    await page.getByTestId('rx-approve').click();
    await page.getByTestId('rx-review-drawer').waitFor({ state: 'hidden' });
    await expect.poll(async () => (await inject('GET', `/api/prescriptions/${pairId}`, pharmacist)).body.status).toBe('approved');
    const approved = (await inject('GET', `/api/prescriptions/${pairId}`, pharmacist)).body;
    expect(approved.overrideReason).toContain('氯沙坦');
    await expect.poll(() => page.locator(`[data-testid="rx-review-row"][data-rx-id="${pairId}"]`).count()).toBe(0);
  });

  it('shows a hand-over with no stock refused plainly, and nothing dispensed', async () => {
    await page.getByTestId('menu-dispensing').click();
    const row = page.locator(`[data-testid="rx-fill-row"][data-rx-id="${pairId}"]`);
    await row.waitFor();
    await row.click();
    const desk = page.getByTestId('rx-fill-desk');
    await desk.waitFor();
    // hand over one pack of irbesartan now, none of losartan
    const lines = page.getByTestId('rx-fill-line');
    await expect.poll(() => lines.count()).toBe(2);
    await lines.nth(0).getByTestId('rx-line-now').fill('1');
    await lines.nth(1).getByTestId('rx-line-now').fill('0');
    await page.locator('[data-testid="rx-fill-quote"][data-state="ready"]').waitFor();
    await page.getByTestId('rx-dispense').click();
    const refused = page.getByTestId('rx-out-of-stock');
    await refused.waitFor();
    await expectText(refused, /库存不足/);
    await expectText(refused, /需 1 盒，库存 0 盒/);
    expect(await refused.innerText()).not.toMatch(/asked|stock/i);
    expect((await inject('GET', `/api/prescriptions/${pairId}`, pharmacist)).body.lines[0].dispensedQuantity).toBe(0);
    await shot(page, 'pharm-out-of-stock');
  });

  it('receives a batch on the stock page', async () => {
    await page.getByTestId('menu-stock').click();
    await page.getByTestId('stock-table').waitFor();
    await page.getByTestId('stock-rate').waitFor();
    // a chain pharmacy has no upper institution: the stock rate does not apply, and says so
    await page.locator('[data-testid="stock-rate"][data-state="not-applicable"]').waitFor();
    await page.getByTestId('stock-receive').click();
    const line = page.getByTestId('stock-receive-line').first();
    await line.getByTestId('stock-receive-drug').click();
    await page.keyboard.type('厄贝沙坦');
    await page.locator('.ant-select-item-option', { hasText: IRBESARTAN }).first().click();
    await line.getByTestId('stock-receive-batch').fill('IRB-2607');
    const expiry = line.getByTestId('stock-receive-expiry');
    await expiry.click();
    await expiry.fill('2027-06-30');
    await expiry.press('Enter');
    await line.getByTestId('stock-receive-qty').fill('5');
    await shot(page, 'pharm-stock-receive');
    await page.getByTestId('stock-receive-submit').click();
    const row = page.locator(`[data-testid="stock-row"][data-drug-code="${IRBESARTAN}"]`);
    await expect.poll(async () => (await row.count()) && row.getAttribute('data-on-hand')).toBe('5');
    await expectText(row.getByTestId('stock-received'), '5');
    const stock = (await inject('GET', '/api/stock', pharmacist)).body;
    expect(stock.items.find((i: { drugCode: string }) => i.drugCode === IRBESARTAN)).toMatchObject({ onHand: 5, received: 5, batches: [expect.objectContaining({ batchNo: 'IRB-2607', expiryDate: '2027-06-30' })] });
    await noHorizontalOverflow(page);
    await shot(page, 'pharm-stock');
  });

  it('dispenses part of the prescription and settles it: the quote and the receipt are the API’s', async () => {
    await page.getByTestId('menu-dispensing').click();
    await page.locator(`[data-testid="rx-fill-row"][data-rx-id="${pairId}"]`).click();
    const lines = page.getByTestId('rx-fill-line');
    await expect.poll(() => lines.count()).toBe(2);
    await lines.nth(0).getByTestId('rx-line-now').fill('1');
    await lines.nth(1).getByTestId('rx-line-now').fill('0');
    await page.locator('[data-testid="rx-fill-quote"][data-state="ready"]').waitFor();
    const apiQuote = await inject('POST', `/api/prescriptions/${pairId}/dispense-quote`, pharmacist, { lines: [{ lineNo: 1, quantity: 1 }] });
    expect(apiQuote.status).toBe(200);
    const q = apiQuote.body.quote;
    await expect.poll(() => fenOf(page, 'rx-quote-amount')).toBe(q.totals.amountFen);
    expect(await fenOf(page, 'rx-quote-fund')).toBe(q.totals.fundPayFen);
    expect(await fenOf(page, 'rx-quote-cash')).toBe(q.totals.selfPayFen);
    expect(await fenOf(page, 'rx-quote-account')).toBe(0);
    await noHorizontalOverflow(page);
    await shot(page, 'pharm-dispense-quote');

    await page.getByTestId('rx-dispense').click();
    const done = page.getByTestId('rx-dispense-done');
    await done.waitFor();
    await page.getByTestId('receipt').waitFor();
    // the batch and expiry handed over
    const batch = done.getByTestId('rx-handed-batch');
    await expect.poll(() => batch.count()).toBe(1);
    expect(await batch.getAttribute('data-batch-no')).toBe('IRB-2607');
    await expectText(batch, /2027-06-30/);
    // the receipt's figures are the claim's as the API gives it
    const claimId = (await page.getByTestId('receipt').getAttribute('data-claim-id'))!;
    const s = (await inject('GET', `/api/settlements/${claimId}`, pharmacist)).body;
    expect(s.totals).toEqual(q.totals);
    expect(await fenOf(page, 'receipt-amount')).toBe(s.totals.amountFen);
    expect(await fenOf(page, 'receipt-fund')).toBe(s.totals.fundPayFen);
    expect(await fenOf(page, 'receipt-self')).toBe(s.totals.selfPayFen);
    expect(await fenOf(page, 'receipt-pay-fund')).toBe(s.payers.fundFen);
    expect(await fenOf(page, 'receipt-pay-cash')).toBe(s.payers.cashFen);
    await expectText(page.getByTestId('receipt-number'), s.settlementNo);
    // the prescription: partly dispensed, one pack of line 1 left, line 2 untouched
    const p = (await inject('GET', `/api/prescriptions/${pairId}`, pharmacist)).body;
    expect(p.status).toBe('partly_dispensed');
    expect(p.lines.map((l: { remainingQuantity: number }) => l.remainingQuantity)).toEqual([1, 2]);
    await expect.poll(async () => lines.nth(0).getAttribute('data-remaining')).toBe('1');
    await page.locator('[data-testid="rx-dispense-row"][data-status="dispensed"]').waitFor();
    await noHorizontalOverflow(page);
    await shot(page, 'pharm-dispense-done');
  });

  it('shows the stock gone down by what was handed over', async () => {
    await page.getByTestId('menu-stock').click();
    const row = page.locator(`[data-testid="stock-row"][data-drug-code="${IRBESARTAN}"]`);
    await expect.poll(async () => (await row.count()) && row.getAttribute('data-on-hand')).toBe('4');
    await expectText(row.getByTestId('stock-dispensed'), '1');
    await row.locator('.ant-table-row-expand-icon').click();
    const batch = page.locator('[data-testid="stock-batch"][data-batch-no="IRB-2607"]');
    await expectText(batch.getByTestId('batch-on-hand'), '4');
    await noHorizontalOverflow(page);
    await shot(page, 'pharm-stock-after');
  });
});
