// The pharmacist's settlement counter (结算台) in Chromium: find a registered patient, add a drug
// from the catalogue, see the quote (试算) the API gives for the same lines, settle (结算) — with the
// first answer lost on the way back, so that the retry must not pay twice — print the receipt (结算单)
// whose figures are the API's own for the claim, reverse it (冲正) with a reason, and see the annual
// limit restored.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';
import { counterPatient } from '../helpers/people';

const yuanText = (fen: number) => `${(fen / 100).toFixed(2)} 元`;
const fenOf = async (page: Page, testId: string, attr = 'data-fen') => Number(await page.getByTestId(testId).getAttribute(attr));

describeBrowser('settlement counter (browser)', () => {
  let b: BrowserApp;
  let page: Page;
  let cookie: string;
  let person: { id: string; name: string; id_number: string };
  let amlodipine: { code: string; price_fen: number };
  /** The chronic pool's fund paid this year before the test, and the quote's remaining limit for the line. */
  let usedBefore: number;
  let firstQuote: { fundPayFen: number; selfPayFen: number; amountFen: number; remainingFen: number };
  let claimId: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    person = await counterPatient(db);
    amlodipine = await db.selectFrom('drug').select(['code', 'price_fen']).where('generic_name_zh', '=', '苯磺酸氨氯地平片').executeTakeFirstOrThrow();
    const pools = (await db.selectFrom('benefit_accumulator').select('pools').where('person_id', '=', person.id).where('year', '=', 2026).executeTakeFirst())?.pools ?? {};
    usedBefore = pools['resident.chronic']?.fundPaid ?? 0;
    cookie = await b.t.login('pharmacist');
    page = await (await b.newContext()).newPage();
    await signIn(page, 'pharmacist');
  });
  afterAll(() => b?.close());

  const apiQuote = async (quantity: number) => {
    const res = await b.t.app.inject({ method: 'POST', url: '/api/settlements/quote', headers: { cookie }, payload: { personId: person.id, lines: [{ drugCode: amlodipine.code, quantity }] } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const claimsOfPerson = () => b.t.database.db.selectFrom('claim').select(['id', 'idempotency_key', 'status']).where('person_id', '=', person.id).execute();

  it('finds the registered patient and sees the benefit and this year’s claims', async () => {
    await page.getByTestId('menu-settlements').click();
    await page.getByTestId('counter-search-input').fill(person.id_number);
    await page.getByTestId('counter-search-button').click();
    await page.locator(`[data-testid="counter-person-row"][data-person-id="${person.id}"]`).click();
    await expectText(page.getByTestId('patient-card-name'), person.name);
    await page.locator('[data-testid="benefit"][data-disease="hypertension"][data-applies="true"]').waitFor();
    // what the chronic pool has paid this year, as the claims API says
    await expect.poll(async () => Number((await page.getByTestId('claims-pool').first().getAttribute('data-fen')) ?? -1)).toBe(usedBefore);
  });

  it('adds a drug from the catalogue and sees the same quote as the API', async () => {
    await page.getByTestId('cart-add').click();
    const line = page.getByTestId('cart-line').last();
    await line.getByTestId('cart-drug').click();
    await page.keyboard.type('氨氯地平');
    await page.locator('.ant-select-item-option', { hasText: '苯磺酸氨氯地平片' }).first().click();
    await line.getByTestId('cart-quantity').fill('3');
    await page.locator('[data-testid="quote-panel"][data-state="ready"]').waitFor();
    await expect.poll(() => fenOf(page, 'quote-amount')).toBe(3 * amlodipine.price_fen);

    const q = await apiQuote(3);
    firstQuote = { fundPayFen: q.totals.fundPayFen, selfPayFen: q.totals.selfPayFen, amountFen: q.totals.amountFen, remainingFen: q.lines[0].fundRemainingFen };
    expect(await fenOf(page, 'quote-fund')).toBe(q.totals.fundPayFen);
    expect(await fenOf(page, 'quote-self')).toBe(q.totals.selfPayFen);
    expect(await fenOf(page, 'quote-remaining')).toBe(q.lines[0].fundRemainingFen);
    expect(await fenOf(page, 'quote-remaining', 'data-before-fen')).toBe(180000 - usedBefore);
    // the split per line, with the policy's explanation (pharmacy ratio 53 %)
    const row = page.getByTestId('quote-line').first();
    expect(await row.getAttribute('data-benefit')).toBe('two_disease');
    await expectText(row.getByTestId('line-fund'), (q.lines[0].fundPayFen / 100).toFixed(2));
    await expectText(row.getByTestId('line-explanation'), /53%/);
    await expectText(page.getByTestId('quote-fund').locator('.ant-statistic-content'), (q.totals.fundPayFen / 100).toFixed(2));
    await shot(page, 'counter-quote');
  });

  it('settles once even when the first answer is lost and the request is sent again', async () => {
    const key = await page.getByTestId('purchase-key').getAttribute('data-key');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const before = (await claimsOfPerson()).length;
    // the server settles the first request, but its answer never reaches the browser
    let sent = 0;
    await page.route('**/api/settlements', async (route) => {
      sent += 1;
      expect(route.request().postDataJSON().idempotencyKey).toBe(key);
      if (sent === 1) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.getByTestId('settle-button').click();
    await page.getByTestId('settle-confirm').click();
    await page.getByTestId('receipt').waitFor({ timeout: 40_000 }); // a lost answer, a retry after a pause, a busy machine
    await page.unroute('**/api/settlements');
    expect(sent).toBe(2);
    const after = await claimsOfPerson();
    expect(after.length).toBe(before + 1); // paid once
    claimId = (await page.getByTestId('receipt').getAttribute('data-claim-id'))!;
    expect(after.find((c) => c.id === claimId)?.idempotency_key).toBe(key);
  });

  it('shows the receipt with the figures the API gives for the claim, ready to print', async () => {
    const res = await b.t.app.inject({ url: `/api/settlements/${claimId}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.totals.fundPayFen).toBe(firstQuote.fundPayFen);
    // the readable number, the institution's code and the policy's name; no technical id on the page
    await expectText(page.getByTestId('receipt-number'), s.settlementNo);
    expect(s.settlementNo).toMatch(new RegExp(`^${s.institution.code}-20260615-\\d{6,}$`));
    await expectText(page.getByTestId('receipt-institution-code'), s.institution.code);
    await expectText(page.getByTestId('receipt-policy'), s.policy.name);
    expect(s.policy.name).not.toBe(s.policyId);
    const printed = await page.getByTestId('receipt').innerText();
    expect(printed).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(printed).not.toContain(s.idempotencyKey);
    expect(printed).not.toContain(s.policyId);
    // the split by payer: fund and cash (no shipped policy draws on a personal account, so no such line)
    expect(await fenOf(page, 'receipt-pay-fund')).toBe(s.payers.fundFen);
    expect(await fenOf(page, 'receipt-pay-cash')).toBe(s.payers.cashFen);
    expect(await page.getByTestId('receipt-pay-account').count()).toBe(0);
    await expectText(page.getByTestId('receipt-institution'), s.institution.name);
    await expectText(page.getByTestId('receipt-person-name'), person.name);
    await expectText(page.getByTestId('receipt-person-id'), s.person.idNumber);
    expect(s.person.idNumber).toBe(`${person.id_number.slice(0, 6)}********${person.id_number.slice(14)}`);
    await expectText(page.getByTestId('receipt-fund'), yuanText(s.totals.fundPayFen));
    await expectText(page.getByTestId('receipt-self'), yuanText(s.totals.selfPayFen));
    await expectText(page.getByTestId('receipt-amount'), yuanText(s.totals.amountFen));
    await expectText(page.getByTestId('receipt-remaining'), yuanText(s.lines[0].fundRemainingFen));
    expect(s.lines[0].fundRemainingFen).toBe(firstQuote.remainingFen);
    await expectText(page.getByTestId('receipt-settled-at'), /^2026-06-15 10:00/);
    expect(await page.getByTestId('receipt-line').count()).toBe(s.lines.length);
    expect(await page.content()).not.toContain(person.id_number);

    // 打印结算单 calls window.print; the print stylesheet shows the receipt alone
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByTestId('receipt-print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-sider').isVisible()).toBe(false);
    expect(await page.getByTestId('receipt-print').isVisible()).toBe(false);
    expect(await page.getByTestId('receipt').isVisible()).toBe(true);
    await shot(page, 'counter-receipt-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('reverses the claim with a reason, and the annual limit is restored', async () => {
    await page.getByTestId('receipt-reverse').click();
    await page.getByTestId('reverse-submit').click(); // no reason: refused by the form
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await page.getByTestId('reverse-reason').fill('患者退药');
    await page.getByTestId('reverse-submit').click();
    await page.locator('[data-testid="receipt"][data-status="reversed"]').waitFor();
    await page.getByTestId('receipt-reversed-stamp').waitFor();
    await expectText(page.getByTestId('receipt-reversal-reason'), '患者退药');
    const s = (await b.t.app.inject({ url: `/api/settlements/${claimId}`, headers: { cookie } })).json();
    expect(s.status).toBe('reversed');
    expect(await page.getByTestId('receipt-reverse').count()).toBe(0);
    // what the patient gets back at this counter: the receipt says the API's figure
    await expect.poll(() => page.getByTestId('receipt-net').getAttribute('data-fen')).toBe(String(s.netToPatientFen));
    expect(s.netToPatientFen).toBe(s.totals.selfPayFen + s.caused.reduce((a: number, c: { fundPayFen: number }) => a + c.fundPayFen, 0));
    await shot(page, 'counter-reversed');

    // back at the counter: the claim is listed as reversed and the pool is back where it was
    await page.getByTestId('receipt-back').click();
    const row = page.locator(`[data-testid="claim-row"][data-claim-id="${claimId}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('reversed');
    expect(await row.getByTestId('claim-reverse').count()).toBe(0);
    await expect.poll(async () => Number(await page.getByTestId('claims-pool').first().getAttribute('data-fen'))).toBe(usedBefore);

    // the same purchase quoted again leaves exactly the limit the first quote did
    await page.getByTestId('cart-add').click();
    const line = page.getByTestId('cart-line').last();
    await line.getByTestId('cart-drug').click();
    await page.keyboard.type('氨氯地平');
    await page.locator('.ant-select-item-option', { hasText: '苯磺酸氨氯地平片' }).first().click();
    await line.getByTestId('cart-quantity').fill('3');
    await page.locator('[data-testid="quote-panel"][data-state="ready"]').waitFor();
    await expect.poll(() => fenOf(page, 'quote-remaining')).toBe(firstQuote.remainingFen);
    expect(await fenOf(page, 'quote-remaining', 'data-before-fen')).toBe(180000 - usedBefore);
    // a new purchase has a new idempotency key
    const key = await page.getByTestId('purchase-key').getAttribute('data-key');
    expect((await claimsOfPerson()).some((c) => c.idempotency_key === key)).toBe(false);
    await shot(page, 'counter-after-reversal');
  });
});
