// Issue 13: each role starts where its work is, its menu lists what it can do and nothing else, and no
// screen scrolls sideways — at 1440 × 900 for every role, and at 390 × 844 (a phone) for the patient,
// whose menu, language switch and sign-out then live in a drawer. The patient's pages: the team's
// contact with tap-to-call links, the renewal prompt within 30 days of the contract's end, this year's
// purchases with what the fund and they paid, targets for their registered diseases only.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp, expectNoOverflow } from './browser';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** What shows that a screen has loaded. */
const READY: Record<string, string> = {
  '/follow-ups': '[data-testid="worklist-total"]',
  '/people': '[data-testid="person-search-input"]',
  '/contracts': '[data-testid="team-card"]',
  '/registrations': '.ant-table',
  '/review-queue': '[data-testid="queue-filter-kind"]',
  '/settlements': '[data-testid="counter-search-input"]',
  '/reports': '[data-testid="ind-kpis"]',
  '/payments': '[data-testid="pay-run"]',
  '/me': '[data-testid="my-followups"]',
  '/my-contract': '[data-testid="benefit"]',
  '/my-purchases': '[data-testid="my-purchases-totals"]',
  '/referrals': '[data-testid="referrals-page"]',
  '/referrals/incoming': '[data-testid="incoming-referrals-page"]',
  '/smart-audit/findings': '[data-testid="findings-filters"]',
  '/smart-audit/samples': '[data-testid="sample-draw"]',
  '/smart-audit/summary': '[data-testid="summary-by"]',
  '/smart-audit/rules': '[data-testid="audit-runs"]',
};

interface RoleCase {
  username: string;
  /** The menu's entries (paths), the home first. The administration pages (/admin…) are listed by another change: see below. */
  menu: string[];
  /** Where sign-in lands. */
  home: string;
}

const CASES: RoleCase[] = [
  { username: 'doctor', home: '/follow-ups', menu: ['/follow-ups', '/people', '/contracts', '/registrations', '/renewal-requests', '/referrals'] },
  { username: 'pharmacist', home: '/settlements', menu: ['/settlements', '/people', '/dispensing', '/rx-review', '/stock', '/delivery-orders'] },
  { username: 'delivery', home: '/deliveries', menu: ['/deliveries'] },
  // 医院医生 at the city hospital: the referrals to it (双向转诊)
  { username: 'specialist', home: '/referrals/incoming', menu: ['/referrals/incoming'] },
  { username: 'reviewer', home: '/review-queue', menu: ['/review-queue', '/people', '/settlements', '/reports', '/payments', '/smart-audit/findings', '/smart-audit/samples', '/smart-audit/summary'] },
  { username: 'analyst', home: '/reports', menu: ['/reports', '/payments', '/smart-audit/summary'] },
  { username: 'admin', home: '/admin', menu: ['/people', '/settlements', '/smart-audit/rules'] },
  { username: 'inst-admin', home: '/admin', menu: ['/smart-audit/summary'] },
  { username: 'patient', home: '/me', menu: ['/me', '/my-contract', '/my-purchases', '/my-prescriptions'] },
];

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** Uncaught errors of each page: none is expected. */
const pageErrors = new WeakMap<Page, string[]>();
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(`${error.message}\n${error.stack ?? ''}`));
  return errors;
}

/** The menu's entries as paths, in order. */
async function menuPaths(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid="side-menu"] li[data-testid^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return ids.filter((id) => !id.startsWith('menu-group-')).map((id) => `/${id.slice('menu-'.length)}`); // a group is a submenu, not a screen
}

/** Waits for the screen's marker and for its skeletons and spinners to go. */
async function settle(page: Page, path: string): Promise<void> {
  const ready = READY[path];
  if (ready) {
    await page
      .locator(ready)
      .first()
      .waitFor()
      .catch(async (error: unknown) => {
        await page.screenshot({ path: `/tmp/manbing-screens-failed${path.replaceAll('/', '-')}.png` });
        throw new Error(`${path} did not load: ${String(error)}; page errors: ${pageErrors.get(page)?.join(' | ') ?? 'none'}`);
      });
  }
  await expect.poll(() => page.locator('.app-content .ant-skeleton, .app-content .ant-spin-spinning').count(), { timeout: 20_000 }).toBe(0);
  await page.waitForTimeout(300); // charts and fonts
}

/** No sideways scrolling: the document is no wider than the window; else the widest culprits, to say why. */

/** SCREENSHOTS=1: the whole page too, to look at what is below the fold on a phone. */
async function fullShot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `/tmp/manbing-${name}-full.png`, fullPage: true });
}

/** Words in Latin letters on the screen, other than units (readings, drug strengths). */
async function latinWords(page: Page, selector = '.app-layout'): Promise<string[]> {
  const text = await page.locator(selector).first().innerText();
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['mmHg', 'mmol', 'mg', 'ml', 'IU'].includes(w));
}

describeBrowser('each role’s screens (browser)', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
    // an institution's administrator at the pharmacist's institution (the demo city has none)
    const db = b.t.database.db;
    const pharmacy = await db.selectFrom('app_user').select('institution_id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow();
    await db
      .insertInto('app_user')
      .values({ username: 'inst-admin', display_name: '机构管理员', role: 'institution_admin', institution_id: pharmacy.institution_id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true })
      .execute();
  });
  afterAll(() => b?.close());

  for (const c of CASES) {
    it(`${c.username}: lands on its home, its menu lists its work, no screen overflows at 1440`, { timeout: 180_000 }, async () => {
      const page = await (await b.newContext()).newPage();
      const errors = watchErrors(page);
      await page.setViewportSize(DESKTOP);
      await signIn(page, c.username);

      // administration is built by another change: its pages (/admin…) head the administrators' menus
      // once they exist; until then the administrator starts at the first screen it may open
      const menu = await menuPaths(page);
      const adminPages = menu.filter((p) => p === '/admin' || p.startsWith('/admin/'));
      expect(menu.filter((p) => !adminPages.includes(p)), `${c.username}'s menu`).toEqual(c.menu);
      if (!c.home.startsWith('/admin')) expect(adminPages).toEqual([]);
      expect(menu, 'the home area first').toEqual([...adminPages, ...c.menu]);
      const home = c.home === '/admin' && !adminPages.includes('/admin') ? (adminPages[0] ?? c.menu[0] ?? '/') : c.home;

      await expect.poll(() => pathOf(page)).toBe(home);
      if (home === '/') await page.getByTestId('no-screens').waitFor(); // a role with no screen is told so
      // '/' goes home too
      await page.goto('/');
      await expect.poll(() => pathOf(page)).toBe(home);
      // the home is the first entry of the menu, and it is the one selected
      if (menu.length) {
        expect(menu[0]).toBe(home);
        // visible, even inside a group (a submenu opens on its screens), and only once on the page
        await expect.poll(() => page.getByTestId(`menu-${home.slice(1)}`).isVisible()).toBe(true);
        await expect.poll(() => page.locator('[data-testid="side-menu"] .ant-menu-item-selected').getAttribute('data-testid')).toBe(`menu-${home.slice(1)}`);
      }

      for (const path of menu) {
        await page.goto(path);
        await settle(page, path);
        await expect.poll(() => page.getByTestId('side-menu').locator('.ant-menu-item-selected').getAttribute('data-testid')).toBe(`menu-${path.slice(1)}`);
        await expectNoOverflow(page, `${c.username} ${path} at 1440`);
        await shot(page, `screens-${c.username}-${path.slice(1).replaceAll('/', '-') || 'home'}`);
      }
      if (home === '/') await shot(page, `screens-${c.username}-home`);
      expect(errors).toEqual([]);
    });
  }

  it('the analyst’s home is the indicators dashboard, in Chinese', async () => {
    const page = await (await b.newContext()).newPage();
    await signIn(page, 'analyst');
    await settle(page, '/reports');
    expect(await page.locator('[data-testid^="ind-card-"]').count()).toBeGreaterThanOrEqual(7);
    expect((await latinWords(page)).filter((w) => w !== 'CSV')).toEqual([]); // 导出 CSV, as every list says it
  });

  it('the patient at 390 × 844: a drawer menu, no sideways scrolling, contact, purchases and targets', { timeout: 240_000 }, async () => {
    const db = b.t.database.db;
    const cookie = await b.t.login('patient');
    const get = async (url: string) => (await b.t.app.inject({ url, headers: { cookie } })).json();
    const me = await get('/api/people/me');
    const team = await get('/api/teams/mine');
    const claims = await get(`/api/people/${me.id}/claims?year=2026`);
    const contracts = (await get('/api/people/me/contracts')) as Array<{ id: string; inForce: boolean; endDate: string }>;
    const current = contracts.find((x) => x.inForce);
    expect(current, 'the demo patient has a contract in force').toBeTruthy();
    expect(team.phone).toBeTruthy();

    const context = await b.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.setViewportSize(PHONE);
    await signIn(page, 'patient');
    await expect.poll(() => pathOf(page)).toBe('/me');

    // no side menu on a phone: a button opens the drawer with the menu, the language switch and sign-out
    expect(await page.locator('.app-sider').count()).toBe(0);
    await page.getByTestId('menu-toggle').click();
    await page.locator('.app-drawer [data-testid="side-menu"]').waitFor();
    expect(await menuPaths(page)).toEqual(['/me', '/my-contract', '/my-purchases', '/my-prescriptions']);
    await page.locator('.app-drawer [data-testid="logout-button"]').waitFor();
    await page.locator('.app-drawer [data-testid="lang-switch"]').waitFor();
    await shot(page, 'screens-patient-phone-drawer');
    await page.getByTestId('menu-my-contract').click();
    await expect.poll(() => pathOf(page)).toBe('/my-contract');
    await expect.poll(() => page.locator('.app-drawer [data-testid="side-menu"]').isVisible()).toBe(false);

    // 我的签约: the team's service phone and the institution's, to tap and call; no renewal prompt yet
    await settle(page, '/my-contract');
    await expect.poll(() => page.getByTestId('my-team-phone').locator('a').getAttribute('href')).toBe(`tel:${team.phone.replace(/[^\d+]/g, '')}`);
    expect(await page.getByTestId('my-team-call').getAttribute('href')).toBe(`tel:${team.phone.replace(/[^\d+]/g, '')}`);
    if (team.institution.phone) expect(await page.getByTestId('my-institution-phone').getAttribute('href')).toBe(`tel:${team.institution.phone.replace(/[^\d+]/g, '')}`);
    if (team.institution.address) await expectText(page.getByTestId('my-team-institution'), new RegExp(team.institution.address));
    // the continuous prescription is a list on a phone, not a table
    await page.getByTestId('my-prescription').waitFor();
    expect(await page.getByTestId('eligibility-prescription').count()).toBe(0);
    expect(await page.getByTestId('renewal-prompt').count()).toBe(0);
    await expectNoOverflow(page, 'patient /my-contract at 390');
    expect(await latinWords(page)).toEqual([]);
    await shot(page, 'screens-patient-phone-my-contract');
    await fullShot(page, 'screens-patient-phone-my-contract');

    // 我的信息: targets only for the diseases registered on the record
    await page.goto('/me');
    await settle(page, '/me');
    const registered = (me.diseases as Array<{ code: string; status: string }>).filter((d) => d.status === 'confirmed').map((d) => d.code);
    expect(await page.getByTestId('my-target-bp').count()).toBe(registered.includes('hypertension') ? 1 : 0);
    expect(await page.getByTestId('my-target-glucose').count()).toBe(registered.includes('diabetes') ? 1 : 0);
    expect(await page.locator('[data-testid="my-followups"] .ant-table').count()).toBe(0); // visits as a list
    await expectNoOverflow(page, 'patient /me at 390');
    expect(await latinWords(page)).toEqual([]);
    await shot(page, 'screens-patient-phone-me');
    await fullShot(page, 'screens-patient-phone-me');

    // 我的购药: this year's purchases, what the fund paid and what the patient paid, as the API says
    await page.goto('/my-purchases');
    await settle(page, '/my-purchases');
    const list = claims.claims as Array<{ id: string; status: string; amountFen: number; fundPayFen: number }>;
    const settled = list.filter((x) => x.status === 'settled');
    expect(settled.length, 'the demo patient bought drugs this year').toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('purchase-row').count()).toBe(Math.min(list.length, 10));
    const fund = settled.reduce((s, x) => s + x.fundPayFen, 0);
    const amount = settled.reduce((s, x) => s + x.amountFen, 0);
    expect(Number(await page.getByTestId('my-purchases-fund').getAttribute('data-fen'))).toBe(fund);
    expect(Number(await page.getByTestId('my-purchases-self').getAttribute('data-fen'))).toBe(amount - fund);
    const first = list[0]!;
    const row = page.locator(`[data-testid="purchase-row"][data-claim-id="${first.id}"]`);
    expect(Number(await row.getByTestId('purchase-fund').getAttribute('data-fen'))).toBe(first.fundPayFen);
    expect(Number(await row.getByTestId('purchase-self').getAttribute('data-fen'))).toBe(first.amountFen - first.fundPayFen);
    await expectNoOverflow(page, 'patient /my-purchases at 390');
    expect(await latinWords(page)).toEqual([]);
    await shot(page, 'screens-patient-phone-my-purchases');
    await fullShot(page, 'screens-patient-phone-my-purchases');
    // a purchase opens its drugs
    await row.click();
    await page.getByTestId('purchase-line').first().waitFor();
    await expectNoOverflow(page, 'patient purchase receipt at 390');
    expect(await latinWords(page, '.purchase-receipt .ant-drawer-section')).toEqual([]);
    await shot(page, 'screens-patient-phone-receipt');
    await page.keyboard.press('Escape');

    // 我的处方: the demo city's prescriptions of the patient, each as a card, in Chinese
    await page.goto('/my-prescriptions');
    await settle(page, '/my-prescriptions');
    const rx = (await get(`/api/people/${me.id}/prescriptions`)).items as unknown[];
    expect(rx.length, 'the demo patient has prescriptions').toBeGreaterThan(0);
    await expectNoOverflow(page, 'patient /my-prescriptions at 390');
    expect(await latinWords(page)).toEqual([]);
    await shot(page, 'screens-patient-phone-my-prescriptions');

    // the contract ends in 20 days (the test clock's today is 2026-06-15): every page of the patient's prompts to renew, with the team's phone
    await db.updateTable('contract').set({ end_date: '2026-07-05' }).where('id', '=', current!.id).execute();
    for (const path of ['/me', '/my-contract', '/my-purchases']) {
      await page.goto(path);
      await settle(page, path);
      await page.getByTestId('renewal-prompt').waitFor();
      expect(await page.getByTestId('renewal-prompt').getAttribute('data-days')).toBe('20');
      await expect.poll(() => page.getByTestId('renewal-call').getAttribute('href')).toBe(`tel:${team.phone.replace(/[^\d+]/g, '')}`);
      await expectNoOverflow(page, `patient ${path} with the renewal prompt at 390`);
      expect(await latinWords(page)).toEqual([]);
    }
    await expectText(page.getByTestId('renewal-prompt'), /2026-07-05/);
    await page.goto('/me');
    await settle(page, '/me');
    await shot(page, 'screens-patient-phone-renewal');
    await fullShot(page, 'screens-patient-phone-renewal');

    // the same at 1440: a table of purchases, the prompt above
    await page.setViewportSize(DESKTOP);
    await page.goto('/my-purchases');
    await settle(page, '/my-purchases');
    await page.locator('[data-testid="my-purchases"] .ant-table').waitFor();
    await page.getByTestId('renewal-prompt').waitFor();
    await expectNoOverflow(page, 'patient /my-purchases with the prompt at 1440');
    await shot(page, 'screens-patient-desktop-my-purchases-renewal');

    // back on the phone: the language switch and sign-out in the drawer work
    await page.setViewportSize(PHONE);
    await page.getByTestId('menu-toggle').click();
    await page.locator('.app-drawer [data-testid="lang-switch"]').click();
    await page.getByTestId('lang-option-en-US').click();
    await expectText(page.getByTestId('page-title'), 'My purchases');
    await expectText(page.locator('.app-drawer [data-testid="logout-button"]'), 'Sign out');
    await page.locator('.app-drawer .ant-drawer-close').click();
    await expect.poll(() => page.locator('.app-drawer [data-testid="side-menu"]').isVisible()).toBe(false);
    await expectNoOverflow(page, 'patient /my-purchases in English at 390');
    await page.getByTestId('menu-toggle').click();
    await page.locator('.app-drawer [data-testid="lang-switch"]').click();
    await page.getByTestId('lang-option-zh-CN').click();
    await expectText(page.getByTestId('page-title'), '我的购药');
    await page.locator('.app-drawer [data-testid="logout-button"]').click();
    await expect.poll(() => pathOf(page)).toBe('/login');
    expect(errors).toEqual([]);
  });
});
