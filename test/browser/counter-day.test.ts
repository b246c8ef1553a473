// Issue 13 in Chromium at 1440×900: the sticky settle bar never covers the quote, even a long one and
// wherever the page is scrolled; the end-of-day list (日结) shows the API's totals, prints alone (no
// menus) and fits the screen without scrolling sideways.
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, shot, signIn, startBrowserApp } from './browser';
import { counterPatient } from '../helpers/people';

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollWidth <= el.clientWidth + 1;
  });

describeBrowser('counter: settle bar and end-of-day list (browser)', () => {
  let b: BrowserApp;
  let page: Page;
  let cookie: string;
  let person: { id: string };
  let numbers: string[] = [];

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    person = await counterPatient(db);
    cookie = await b.t.login('pharmacist');
    const amlodipine = await db.selectFrom('drug').select('code').where('generic_name_zh', '=', '苯磺酸氨氯地平片').executeTakeFirstOrThrow();
    for (const [i, quantity] of [2, 1].entries()) {
      const res = await b.t.app.inject({ method: 'POST', url: '/api/settlements', headers: { cookie }, payload: { personId: person.id, idempotencyKey: `browser-day-${i}-000`, lines: [{ drugCode: amlodipine.code, quantity }] } });
      expect(res.statusCode, res.body).toBe(201);
      numbers.push(res.json().settlementNo);
      if (i === 1) expect((await b.t.app.inject({ method: 'POST', url: `/api/settlements/${res.json().id}/reverse`, headers: { cookie }, payload: { reason: '患者退药' } })).statusCode).toBe(200);
    }
    page = await (await b.newContext()).newPage();
    await signIn(page, 'pharmacist');
  });
  afterAll(() => b?.close());

  it('keeps the settle bar off a long quote at every scroll position, with no sideways scrolling', async () => {
    // a long purchase: twelve lines of the chronic-disease list, put in hand as the counter keeps it
    const { rows } = await sql<{ code: string }>`select code from drug where 'hypertension' = any(diseases) or 'diabetes' = any(diseases) order by code limit 12`.execute(b.t.database.db);
    const purchase = { personId: person.id, key: '11111111-2222-4333-8444-555555555555', lines: rows.map((r, i) => ({ key: `l${i}`, drugCode: r.code, quantity: 1 })) };
    await page.goto('/settlements');
    await page.evaluate((p) => window.sessionStorage.setItem('manbing.counter.purchase', JSON.stringify(p)), purchase);
    await page.goto(`/settlements?person=${person.id}`);
    await page.locator('[data-testid="quote-panel"][data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('quote-line').count()).toBe(12);
    expect(await noSidewaysScroll(page)).toBe(true);
    const bar = page.getByTestId('settle-bar');
    const quote = page.getByTestId('quote-panel');
    const overlaps = async () => {
      const [a, q] = [await bar.boundingBox(), await quote.boundingBox()];
      if (!a || !q) throw new Error('settle bar or quote not on the page');
      return a.y < q.y + q.height - 0.5 && q.y < a.y + a.height - 0.5;
    };
    // from the top of the page to its end, a few hundred pixels at a time
    await page.mouse.move(400, 400);
    let seenStuck = false;
    for (let step = 0; step < 16; step++) {
      expect(await overlaps(), `scrolled ${step} steps`).toBe(false);
      const a = (await bar.boundingBox())!;
      if (Math.abs(a.y + a.height - 900) < 2) seenStuck = true;
      if (step === 0) await shot(page, 'counter-long-quote-top');
      await page.mouse.wheel(0, 250);
      await page.waitForTimeout(60);
    }
    await shot(page, 'counter-long-quote-end');
    expect(seenStuck || (await bar.boundingBox())!.y < 900).toBe(true); // the bar was on screen
    expect(await noSidewaysScroll(page)).toBe(true);
  });

  it('shows the day list with the API’s totals, prints it alone and fits the screen', async () => {
    await page.goto('/settlements');
    await page.getByTestId('counter-day-link').click();
    await page.getByTestId('day-list').waitFor();
    const api = (await b.t.app.inject({ url: '/api/settlements/day?date=2026-06-15', headers: { cookie } })).json();
    expect(await page.getByTestId('day-entry').count()).toBe(api.entries.length);
    expect(api.entries.length).toBe(3); // two sales and one reversal
    const shown = await page.getByTestId('day-number').allInnerTexts();
    for (const n of numbers) expect(shown).toContain(n);
    const total = page.getByTestId('day-total');
    expect(Number(await total.getAttribute('data-amount-fen'))).toBe(api.totals.amountFen);
    expect(Number(await total.getAttribute('data-fund-fen'))).toBe(api.totals.fundFen);
    expect(Number(await total.getAttribute('data-cash-fen'))).toBe(api.totals.cashFen);
    expect(await page.getByTestId('day-csv').getAttribute('href')).toContain('lang=zh');
    const text = await page.getByTestId('day-list').innerText();
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(await noSidewaysScroll(page)).toBe(true);
    await shot(page, 'counter-day');

    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByTestId('day-print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-sider').isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByTestId('day-print').isVisible()).toBe(false);
    expect(await page.getByTestId('day-list').isVisible()).toBe(true);
    await shot(page, 'counter-day-print');
    await page.emulateMedia({ media: 'screen' });
  });
});
