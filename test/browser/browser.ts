// Browser tests drive Debian's Chromium with playwright-core against the real server (Fastify
// listening on a free port, serving web/dist built by `npm test`'s pretest) on its own test
// database. Without /usr/bin/chromium they are skipped, except in CI where they must run.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { describe, expect } from 'vitest';
import { type TestApp, testApp } from '../helpers/app';

export const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const webBuilt = existsSync(new URL('../../web/dist/index.html', import.meta.url));

/**
 * Why the browser tests cannot run here, or null. In CI nothing is skipped (a missing browser fails)
 * unless BROWSER_TESTS=skip says so: CI's PostgreSQL pass, because the screens run on the same server
 * code as on the embedded database's pass, and the API tests cover every query on both.
 */
export const skipReason: string | null = process.env.BROWSER_TESTS === 'skip'
  ? 'BROWSER_TESTS=skip'
  : process.env.CI
  ? null
  : !available
    ? `${CHROMIUM} is missing (apt-get install -y chromium); browser tests skipped`
    : !webBuilt
      ? 'web/dist is not built (npm run build:web); browser tests skipped'
      : null;

if (skipReason) console.warn(`[browser] ${skipReason}`);

export const describeBrowser = describe.skipIf(skipReason !== null);

/** Waits until the locator's text (trimmed) equals or contains the expected text. */
export async function expectText(locator: Locator, expected: string | RegExp, options: { timeout?: number } = {}): Promise<void> {
  await expect
    .poll(async () => ((await locator.count()) ? (await locator.first().innerText()).trim() : null), { timeout: options.timeout ?? 20_000 })
    .toSatisfy((text: string | null) => text !== null && (typeof expected === 'string' ? text === expected : expected.test(text)));
}

export interface BrowserApp {
  t: TestApp;
  base: string;
  browser: Browser;
  /** A fresh browser profile (cookies, storage) at the server's day and in Shanghai's time zone. */
  newContext(options?: { lang?: 'zh-CN' | 'en-US' }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  const t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  } catch (error) {
    await t.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    t,
    base,
    browser,
    async newContext(options = {}) {
      const context = await browser.newContext({
        baseURL: base,
        viewport: { width: 1440, height: 900 },
        timezoneId: 'Asia/Shanghai',
        locale: options.lang ?? 'zh-CN',
        // the app honours prefers-reduced-motion (no drawer or modal animations): the tests wait on no animation
        reducedMotion: 'reduce',
      });
      // the page's "today" is the server's: forms default their dates to it
      await context.clock.install({ time: t.clock.now });
      // The session cookie expires by the server's (test) clock, which Chromium's cookie store,
      // running on the real clock, would take as already past: keep it for the browser session.
      await context.route('**/api/auth/login', async (route) => {
        const response = await route.fetch();
        const headers = Object.fromEntries(
          response
            .headersArray()
            .map(({ name, value }) => [name, name.toLowerCase() === 'set-cookie' ? value.replace(/;\s*expires=[^;]*/i, '') : value]),
        );
        await route.fulfill({ response, headers });
      });
      if (options.lang) await context.addInitScript((lang) => window.localStorage.setItem('manbing.lang', lang), options.lang);
      context.setDefaultTimeout(20_000); // generous: CI machines are small and busy
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await t.close();
    },
  };
}

/** Signs in through the login form and waits for the signed-in layout. */
export async function signIn(page: Page, username: string, password = 'manbing-demo'): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-display-name').waitFor();
}

/** Screenshots while developing: SCREENSHOTS=1 writes /tmp/manbing-<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  await page.waitForTimeout(400); // let enter animations finish
  await page.screenshot({ path: `/tmp/manbing-${name}.png`, fullPage: false });
}

/** No sideways scrolling: the page is no wider than the viewport; a failure names the widest elements. */
export async function expectNoOverflow(page: Page, label: string): Promise<void> {
  const r = await page.evaluate(() => {
    const vw = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')]
      .map((el) => ({ el, right: el.getBoundingClientRect().right }))
      .filter((x) => x.right > vw + 0.5)
      .slice(0, 5)
      .map((x) => `${x.el.tagName.toLowerCase()}.${String(x.el.className).slice(0, 50)} → ${Math.round(x.right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, wide };
  });
  expect(r.scrollWidth <= r.innerWidth, `${label}: scrollWidth ${r.scrollWidth} > ${r.innerWidth}: ${r.wide.join('; ')}`).toBe(true);
}
