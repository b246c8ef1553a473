// Issue 16 in Chromium, 指标看板 (docs/indicators.md): the analyst lands on the city's indicators for the
// running quarter — each rate computed on screen from the API's numerator and denominator with the counts
// beside and met / not met against its target, control against a labelled reference only — the counties
// side by side (a CSV of the table, UTF-8 with a BOM), drill-down county → institution → team, the
// patients behind a number (masked for the analyst); the county reviewer, in English, sees their county
// only, downloads the quarterly workbook, and a refused patient list is said politely. 1440 × 900, no
// sideways scrolling.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectNoOverflow, expectText, shot, signIn, startBrowserApp } from './browser';

type Ratio = { numerator: number; denominator: number };
type Scope = { level: string; code: string; name: string; parent?: string; indicators: Record<string, any> };

/** As the screen writes it: "78.4 % (1,234 / 1,574)". */
const rateText = (r: Ratio) => `${(Math.round((r.numerator * 1000) / r.denominator) / 10).toFixed(1)} % (${r.numerator.toLocaleString('en-US')} / ${r.denominator.toLocaleString('en-US')})`;

describeBrowser('indicators dashboard (browser)', () => {
  let b: BrowserApp;
  let city: Scope[];

  const report = async (user: string) => {
    const res = await b.t.app.inject({ url: '/api/indicators?year=2026&quarter=2', headers: { cookie: await b.t.login(user) } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().scopes as Scope[];
  };
  const card = (page: Page, key: string) => page.getByTestId(`ind-card-${key}`);

  beforeAll(async () => {
    b = await startBrowserApp();
    city = await report('analyst');
  });
  afterAll(() => b?.close());

  it('the analyst: the city against its targets, the counties side by side, drill-down and the patients behind a number', { timeout: 60_000 }, async () => {
    const page = await (await b.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'analyst');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/reports'); // the analyst's home
    await page.getByTestId('ind-kpis').waitFor();
    const top = city.find((s) => s.level === 'city')!;

    // contracting: the rate from the counts, coloured by the 80 % target
    const c: Ratio = top.indicators.contracting;
    await expectText(card(page, 'contracting').getByTestId('ind-rate'), rateText(c).split(' (')[0]);
    expect(await card(page, 'contracting').innerText()).toContain(rateText(c).split(' % ')[1]);
    expect(await card(page, 'contracting').getAttribute('data-status')).toBe(c.numerator * 100 >= 80 * c.denominator ? 'met' : 'not_met');
    const sm: Ratio = top.indicators.standardised_management.hypertension;
    expect(await card(page, 'sm_ht').getAttribute('data-status')).toBe(sm.denominator === 0 ? 'no_data' : sm.numerator * 100 >= 70 * sm.denominator ? 'met' : 'not_met');
    // control: no national target, a reference clearly labelled, never met / not met
    expect(await card(page, 'control_ht').getAttribute('data-status')).toMatch(/^(reference|no_data)$/);
    await expectText(card(page, 'control_ht').getByTestId('reference-label'), /参考值 60%/);
    expect(await card(page, 'control_ht').locator('.ant-tag-success, .ant-tag-error').count()).toBe(0);
    // fund spending in yuan with 2 decimals
    const fen: number = top.indicators.fund_spending.amount_fen;
    await expectText(page.getByTestId('ind-fund-amount'), `¥${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`);

    // the counties side by side, the city's total below; two quarters begun on 2026-06-15
    const counties = city.filter((s) => s.level === 'county');
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(counties.length);
    await expectText(page.getByTestId('compare-total'), /合计（嘉兴市）/);
    await expect.poll(() => page.getByTestId('ind-trend').getAttribute('data-quarters')).toBe('2');
    await expectNoOverflow(page, 'the city');
    await shot(page, 'indicators-city');

    // the table as CSV: a BOM, a header, a row per county and the total
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-csv').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^名称,签约率（%）,签约率 分子,签约率 分母/);
    expect(lines).toHaveLength(counties.length + 2);
    const first = counties.sort((a, b) => a.code.localeCompare(b.code))[0];
    expect(lines[1].startsWith(`${first.name},`)).toBe(true);
    expect(lines[1]).toContain(`,${first.indicators.contracting.numerator},${first.indicators.contracting.denominator},`);

    // drill-down: county → institution → team, the breadcrumb following
    await page.locator(`[data-testid="compare-row"][data-code="${first.code}"]`).click();
    await expectText(page.getByTestId('crumb-current'), new RegExp(`^${first.name}`));
    const institution = page.locator('[data-testid="compare-row"][data-level="institution"]').first();
    await institution.waitFor();
    // the patients behind the county's uncontrolled blood pressure: masked names, the count the report gives
    await card(page, 'control_ht').getByTestId('ind-patients-control_ht').click();
    const drawer = page.getByTestId('patients-drawer');
    const uncontrolled: number = first.indicators.control.hypertension.groups.uncontrolled;
    await expectText(drawer.getByTestId('patients-group-uncontrolled'), `未达标 ${uncontrolled}`);
    if (uncontrolled > 0) {
      await expectText(drawer.getByTestId('patients-total'), `共 ${uncontrolled} 人`);
      expect(await drawer.getByTestId('patient-row').first().locator('td').first().innerText()).toContain('*');
    }
    await drawer.getByTestId('patients-group-numerator').click();
    await expectText(drawer.getByTestId('patients-total'), `共 ${first.indicators.control.hypertension.numerator.toLocaleString('en-US')} 人`);
    await expectNoOverflow(page, 'the patients drawer');
    await shot(page, 'indicators-patients');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    const institutionCode = (await institution.getAttribute('data-code'))!;
    await institution.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe(institutionCode);
    const team = page.locator('[data-testid="compare-row"][data-level="team"]').first();
    const teamCode = (await team.getAttribute('data-code'))!;
    await team.click();
    await page.getByTestId('ind-compare-empty').waitFor(); // a team is the smallest unit
    expect(await page.getByTestId('ind-kpis').getAttribute('data-scope')).toBe(teamCode);
    await expect.poll(() => page.getByTestId('crumb').count()).toBe(3); // 嘉兴市 › county › institution
    await page.getByTestId('crumb').first().click();
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(counties.length);
    expect(errors).toEqual([]);
  });

  it('the reviewer, in English: their county only, the quarterly workbook, a refused list said politely', { timeout: 60_000 }, async () => {
    const mine = await report('reviewer');
    expect(mine.some((s) => s.level === 'city')).toBe(false);
    const county = mine.find((s) => s.level === 'county')!;
    const page = await (await b.newContext({ lang: 'en-US' })).newPage();
    await signIn(page, 'reviewer');
    await page.goto('/reports');
    await page.getByTestId('ind-kpis').waitFor();
    expect(await page.getByTestId('ind-kpis').getAttribute('data-scope')).toBe(county.code);
    await expectText(card(page, 'contracting').locator('.ind-card__name'), 'Contracting rate');
    await expectText(page.getByTestId('crumb-current'), new RegExp(`^${county.name}`));
    await expect.poll(() => page.locator('[data-testid="compare-row"][data-level="institution"]').count()).toBe(mine.filter((s) => s.level === 'institution' && s.parent === county.code).length);
    await expectNoOverflow(page, 'the county in English');
    await shot(page, 'indicators-county-en');

    // the workbook of the quarter, their county
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('workbook-download').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`2026Q2-${county.code}\\.xlsx$`));

    // a 403 from the patient list: said politely, no table
    await page.route('**/api/indicators/patients?**', (route) =>
      route.fulfill({ status: 403, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden' }) }),
    );
    await card(page, 'contracting').getByTestId('ind-patients-contracting').click();
    await expectText(page.getByTestId('patients-forbidden'), /Sorry — your role or area does not allow/);
  });
});
