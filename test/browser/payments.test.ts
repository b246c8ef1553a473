// Issue 17 in Chromium, 医保支付 (src/modules/payments): the analyst opens /payments for the year to date —
// the four models' tabs with a row per township, medical community and team as GET /api/payments gives
// them; a township's drawer with the claims behind its package and referral pool, by month; a team's
// 五率一比 score lines and its contracted residents; a deduction the smart audit confirmed, listed behind the
// township's package and the community's spending; the run verified by recomputing it; the workbook
// downloaded as an .xlsx. The county reviewer, in English, sees their county only. 1440 × 900, no sideways
// scrolling, no page errors.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { confirmFinding, plantFinding, townshipClaim } from '../helpers/findings';
import { type BrowserApp, describeBrowser, expectNoOverflow, expectText, shot, signIn, startBrowserApp } from './browser';

type Json = Record<string, any>;

/** As the screen writes fen: "1,234.56", "-71.17". */
const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

describeBrowser('provider payment (browser)', () => {
  let b: BrowserApp;
  let city: Json;
  let recovery: { town: string; community: string; fen: number };

  const get = async (user: string, url: string) => {
    const res = await b.t.app.inject({ url, headers: { cookie: await b.t.login(user) } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const watch = (page: Page) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return errors;
  };

  beforeAll(async () => {
    b = await startBrowserApp();
    // a reviewer confirmed a deduction on a claim of the first township's resident this morning
    const first = (await get('analyst', '/api/payments?year=2026')).results.capitation[0];
    const claim = await townshipClaim(b.t, { counties: [first.county_code], town: first.town_code, from: '2026-01-01', to: '2026-06-14' });
    expect(claim, 'a claim of the township').toBeDefined();
    recovery = { town: claim!.town, community: claim!.community, fen: Math.floor(claim!.fund / 2) };
    await confirmFinding(b.t, await plantFinding(b.t, claim!), claim!.county_code, recovery.fen);
    city = await get('analyst', '/api/payments?year=2026');
  });
  afterAll(() => b?.close());

  it('the analyst: the four models, a township’s claims, a team’s score lines, the run verified, the workbook', { timeout: 120_000 }, async () => {
    const r = city.results;
    expect(r.capitation.length).toBeGreaterThan(0);
    expect(r.budget.length).toBeGreaterThan(0);
    expect(r.contract_fee.length).toBeGreaterThan(0);

    const page = await (await b.newContext()).newPage();
    const errors = watch(page);
    await signIn(page, 'analyst');
    await page.goto('/payments');

    // the four tabs, named in the domain's terms
    for (const [key, label] of [['capitation', '按人头打包付费（结余留用）'], ['budget', '医共体总额预算'], ['contractFee', '家庭医生签约服务费'], ['workEquivalent', '标化工作当量']])
      await expectText(page.getByTestId(`pay-tab-${key}`), label);
    // a quarter not yet begun on 2026-06-15 cannot be picked
    await expect.poll(() => page.locator('.ant-segmented-item-disabled [data-testid="pay-quarter-3"]').count()).toBe(1);

    // capitation: a row per township, its balance as the API gives it (red when overdrawn)
    await expect.poll(() => page.getByTestId('cap-row').count()).toBe(r.capitation.length);
    const town = r.capitation[0];
    const row = page.locator(`[data-testid="cap-row"][data-code="${town.town_code}"]`);
    await expectText(row.getByTestId('cap-balance'), yuan(town.balance_fen));
    expect(await row.getByTestId('cap-balance').getAttribute('data-negative')).toBe(town.balance_fen < 0 ? 'true' : null);
    await expectText(page.getByTestId('cap-totals-retained'), new RegExp(yuan(r.totals.capitation_retained_fen).replace('.', '\\.')));
    await expectText(page.getByTestId('pay-run-id'), city.run.id.slice(0, 8));
    await expectText(page.getByTestId('pay-as-of'), /2026-06-15/);
    await expectText(page.getByTestId('pay-parameters'), new RegExp(city.parameters.id));
    await expectNoOverflow(page, 'capitation');
    await shot(page, 'payments-capitation');

    // the run recomputed from what it stored gives the same fen
    await page.getByTestId('run-verify').click();
    await expect.poll(() => page.getByTestId('run-verify-result').getAttribute('data-same')).toBe('true');

    // the township's drawer: the claims behind its package, then its referral pool, then one month
    const claims = (pool: string, month?: string) =>
      get('analyst', `/api/payments/claims?year=2026&model=capitation&code=${town.town_code}&pool=${pool}${month ? `&month=${month}` : ''}&pageSize=20`);
    const packageClaims = await claims('package');
    expect(packageClaims.total).toBeGreaterThan(0);
    await row.click();
    const drawer = page.getByTestId('cap-drawer');
    await drawer.getByTestId('pay-claim-row').first().waitFor();
    await expectText(drawer.getByTestId('pay-claims-total'), `共 ${packageClaims.total.toLocaleString('en-US')} 笔`);
    await expect.poll(() => drawer.getByTestId('pay-claim-row').count()).toBe(Math.min(20, packageClaims.total));
    expect(await drawer.getByTestId('pay-claim-row').first().innerText()).toContain('*'); // masked
    await expectText(drawer.getByTestId('cap-inputs'), new RegExp(`${town.insured}`));
    await expectNoOverflow(page, 'the township’s drawer');
    await shot(page, 'payments-township');

    const referral = await claims('referral');
    await drawer.getByTestId('cap-pool-referral').click();
    await expectText(drawer.getByTestId('pay-claims-total'), `共 ${referral.total.toLocaleString('en-US')} 笔`);
    const march = await claims('package', '2026-03');
    await drawer.getByTestId('cap-pool-package').click();
    await drawer.getByTestId('pay-claims-month').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^3月$/ }).click();
    await expectText(drawer.getByTestId('pay-claims-total'), `共 ${march.total.toLocaleString('en-US')} 笔`);
    // what the smart audit recovered of its people's care, given back to the package
    expect(town.town_code).toBe(recovery.town);
    expect(town.package_recovered_fen).toBe(recovery.fen);
    await expectText(drawer.getByTestId('cap-inputs'), new RegExp(`打包 ${yuan(recovery.fen).replace('.', '\\.')}`));
    await drawer.getByTestId('cap-pool-recovered').click();
    await expect.poll(() => drawer.getByTestId('pay-recovery-row').count()).toBe(1);
    const recovered = await drawer.getByTestId('pay-recovery-row').innerText();
    expect(recovered).toContain(yuan(recovery.fen));
    expect(recovered).toContain('2026-06-15');
    expect(recovered).toContain('*'); // masked
    await drawer.getByTestId('pay-recoveries').scrollIntoViewIfNeeded();
    await expectNoOverflow(page, 'the township’s recoveries');
    await shot(page, 'payments-recoveries');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // the medical communities' budget
    await page.getByTestId('pay-tab-budget').click();
    await expect.poll(() => page.getByTestId('budget-row').count()).toBe(r.budget.length);
    await expect.poll(() => page.getByTestId('luohu-row').count()).toBe(r.budget.length);
    await expectText(page.getByTestId('budget-totals-budget'), new RegExp(yuan(r.totals.budget_fen).replace('.', '\\.')));
    await expectText(page.locator(`[data-testid="budget-row"][data-code="${recovery.community}"]`), new RegExp(`已扣审核追回 ${yuan(recovery.fen).replace('.', '\\.')}`));
    // the community's drawer: the month's recovery in its row, the recovery behind it listed
    await page.locator(`[data-testid="budget-row"][data-code="${recovery.community}"]`).first().click();
    const budgetDrawer = page.getByTestId('budget-drawer');
    await expectText(budgetDrawer.locator('[data-testid="budget-month-row"]').last(), new RegExp(`−${yuan(recovery.fen).replace('.', '\\.')}`));
    await budgetDrawer.getByTestId('budget-pool-recovered').click();
    await expect.poll(() => budgetDrawer.getByTestId('pay-recovery-row').count()).toBe(1);
    await budgetDrawer.getByTestId('pay-recoveries').scrollIntoViewIfNeeded();
    await expectNoOverflow(page, 'the community’s recoveries');
    await shot(page, 'payments-budget-recoveries');
    await page.keyboard.press('Escape');
    await budgetDrawer.waitFor({ state: 'hidden' });
    await expectNoOverflow(page, 'budget');
    await shot(page, 'payments-budget');

    // the contract fee: a team's six score lines adding up to its score, and its residents under contract
    await page.getByTestId('pay-tab-contractFee').click();
    await expect.poll(() => page.getByTestId('fee-row').count()).toBe(Math.min(20, r.contract_fee.length));
    // the trend through the year: the quarters begun by 2026-06-15, each its own run
    const quarters = await get('analyst', '/api/payments/quarters?year=2026');
    expect(quarters.quarters.length).toBe(2);
    await expect.poll(() => page.getByTestId('fee-trend').getByTestId('trend-quarters').getAttribute('data-n')).toBe('2');
    await expectText(page.getByTestId('fee-trend'), /第1季度、第2季度（至 2026-06-15）/);
    const team = r.contract_fee[0];
    await page.locator(`[data-testid="fee-row"][data-code="${team.team_id}"]`).click();
    const fee = page.getByTestId('fee-drawer');
    await expect.poll(() => fee.getByTestId('score-line').count()).toBe(6);
    await expect.poll(() => fee.getByTestId('team-trend').getByTestId('trend-quarters').getAttribute('data-n')).toBe('2');
    await expectText(fee.getByTestId('score-total'), (team.score / 100).toFixed(2));
    await expectText(fee.locator('[data-testid="score-line"][data-item="contracting"]'), /签约率/);
    await expectText(fee.getByTestId('fee-formula'), new RegExp(`= ${yuan(team.fee_fen).replace('.', '\\.')} 元`));
    const residents = await get('analyst', `/api/payments/contracted?year=2026&team=${team.team_id}&pageSize=20`);
    await expectText(fee.getByTestId('contracted-total'), new RegExp(`共 ${residents.total.toLocaleString('en-US')} 人`));
    if (residents.total > 0) await expect.poll(() => fee.getByTestId('contracted-row').count()).toBe(Math.min(20, residents.total));
    await expectNoOverflow(page, 'the team’s drawer');
    await shot(page, 'payments-team');
    // the indicator values behind the score, on the dashboard at this team
    expect(await fee.getByTestId('fee-indicators-link').getAttribute('href')).toBe(`/reports?year=2026&quarter=year&at=${team.team_id}`);
    await fee.getByTestId('fee-indicators-link').click();
    await expectText(page.getByTestId('crumb-current'), new RegExp(`^${team.name}`));
    await page.goBack();
    await page.getByTestId('fee-drawer').waitFor();
    await page.keyboard.press('Escape');
    await fee.waitFor({ state: 'hidden' });

    // work equivalents
    await page.getByTestId('pay-tab-workEquivalent').click();
    await expect.poll(() => page.getByTestId('work-row').count()).toBe(Math.min(20, r.work_equivalent.length));
    await expectText(page.getByTestId('work-legend'), /门诊随访 1/);
    await expectNoOverflow(page, 'work equivalents');
    await shot(page, 'payments-work');

    // what each institution is owed, the largest first
    await page.getByTestId('pay-tab-providers').click();
    await expect.poll(() => page.getByTestId('owed-row').count()).toBe(Math.min(20, r.providers.length));
    const largest = Math.max(...r.providers.map((p: Json) => p.total_fen));
    await expectText(page.getByTestId('owed-total'), yuan(largest));
    await expectText(page.getByTestId('owed-totals-total'), new RegExp(yuan(r.providers.reduce((s: number, p: Json) => s + p.total_fen, 0)).replace('.', '\\.')));
    await expectNoOverflow(page, 'by institution');
    await shot(page, 'payments-providers');

    // the workbook: the same query, an .xlsx
    const [download, response] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((res) => new URL(res.url()).pathname === '/api/payments/export'),
      page.getByTestId('pay-export').click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(new URL(response.url()).searchParams.get('year')).toBe('2026');
    expect(download.suggestedFilename()).toBe('payments-2026.xlsx');
    const file = await readFile((await download.path())!);
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip, as every .xlsx is
    expect(errors).toEqual([]);
  });

  it('the reviewer, in English: their county only', { timeout: 60_000 }, async () => {
    const mine = await get('reviewer', '/api/payments?year=2026');
    expect(mine.county).toMatch(/^\d{6}$/);
    const r = mine.results;
    expect(r.budget.length).toBeGreaterThan(0);
    expect(r.budget.every((x: Json) => x.county_code === mine.county)).toBe(true);
    expect(r.contract_fee.length).toBeLessThan(city.results.contract_fee.length);
    const me = (await get('reviewer', '/api/auth/me')).user;

    const page = await (await b.newContext({ lang: 'en-US' })).newPage();
    const errors = watch(page);
    await signIn(page, 'reviewer');
    await page.goto('/payments');
    await expectText(page.getByTestId('pay-tab-capitation'), 'Capitation (balance retained)');
    await expectText(page.getByTestId('pay-region'), me.scope.name);
    expect(await page.getByTestId('pay-county').count()).toBe(0); // no county to choose
    if (r.capitation.length) await expect.poll(() => page.getByTestId('cap-row').count()).toBe(r.capitation.length);
    else await page.getByTestId('pay-cap-empty').waitFor();
    await expectNoOverflow(page, 'the reviewer’s capitation');

    await page.getByTestId('pay-tab-budget').click();
    await expect.poll(() => page.getByTestId('budget-row').count()).toBe(r.budget.length);
    expect(await page.getByTestId('budget-row').first().getAttribute('data-code')).toBe(r.budget[0].community_id);

    await page.getByTestId('pay-tab-contractFee').click();
    await expect.poll(() => page.getByTestId('fee-row').count()).toBe(Math.min(20, r.contract_fee.length));
    const shown = await page.getByTestId('fee-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-code')));
    const theirs = new Set(r.contract_fee.map((x: Json) => x.team_id));
    expect(shown.every((id) => theirs.has(id))).toBe(true);
    await expectText(page.getByTestId('fee-totals-fee'), new RegExp(yuan(r.totals.contract_fee_fen).replace('.', '\\.')));
    await expectNoOverflow(page, 'the reviewer’s contract fee');
    await shot(page, 'payments-reviewer-en');

    // a refusal is said in the user's language: here, a year with no parameters in force
    await page.route('**/api/payments?**', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, code: 'bad_request', detail: '2025 年没有生效的支付参数', errors: [{ field: 'query.year', rule: 'in_force', message: '2025 年没有生效的支付参数' }] }),
      }),
    );
    await page.getByTestId('pay-year').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^2025$/ }).click();
    await expectText(page.getByTestId('pay-error'), /No payment parameters are in force for that year/);
    expect(errors).toEqual([]);
  });
});
