// Issue 15 in Chromium, the smart audit's screens (docs/smart-audit.md): on the demo city with one claim
// made irregular (a line of 120 days' supply, beyond Jiaxing's 84), the system administrator's run of the
// day finds it; the county's reviewer opens the findings queue, reads that finding's evidence as an
// official reads it (the drug, the days against the policy's longest supply, the rule and its national
// rule), confirms it with a deduction entered in yuan, and dismisses another (a renewal without a
// follow-up, which the demo city has of itself) with a reason — each showing its history; draws a sample
// of the unflagged claims, marks them, sees the extrapolation (checked here by hand) and closes it; the
// summary shows the confirmed deduction by institution and the doctor's assessment points. The
// administrator's rules page lists the rules and runs a date. Every screen at 1440 × 900 without
// sideways scrolling.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectNoOverflow, expectText, shot, signIn, startBrowserApp } from './browser';

const DAY = '2026-06-14'; // the day audited: the day before the test clock's (2026-06-15)
const DEDUCTION_YUAN = '10.50';
const DISMISS_REASON = '患者已在上级医院复诊，病历可查';

describeBrowser('smart audit screens (browser)', () => {
  let b: BrowserApp;
  let reviewer: Page;
  let reviewerCookie: string;
  let irregularClaimIds: string[];

  const api = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) => {
    const res = await b.t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body && res.headers['content-type']?.toString().includes('json') ? res.json() : res.body, headers: res.headers };
  };

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    const county = (await db.selectFrom('app_user').select('region_code').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).region_code!;
    // two claims of the day in the reviewer's county, each made to supply one in-scope drug for 120 days
    const lines = await sql<{ claim_id: string; line_no: number }>`
      select distinct on (c.id) l.claim_id, l.line_no from claim c join claim_line l on l.claim_id = c.id join institution i on i.id = c.institution_id
      where c.service_date = ${DAY} and c.status = 'settled' and i.county_code = ${county} and l.scope = 'two_disease' and l.fund_pay_fen > 0
      order by c.id, l.line_no limit 2`.execute(db);
    expect(lines.rows).toHaveLength(2);
    for (const l of lines.rows) await sql`update claim_line set days_supply = 120 where claim_id = ${l.claim_id} and line_no = ${l.line_no}`.execute(db);
    irregularClaimIds = lines.rows.map((l) => l.claim_id);
    const admin = await b.t.login('admin');
    const run = await api('POST', '/api/smart-audit/runs', admin, { date: DAY });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.byRule.over_max_days?.findings).toBe(2);
    reviewerCookie = await b.t.login('reviewer');
    reviewer = await (await b.newContext()).newPage();
    await signIn(reviewer, 'reviewer');
  });
  afterAll(() => b?.close());

  it('the queue: the evidence read as facts, one finding confirmed with a deduction and another dismissed, both with their history', { timeout: 180_000 }, async () => {
    // the reviewer's menu holds the three screens
    await reviewer.getByTestId('menu-smart-audit/findings').click();
    await reviewer.getByTestId('findings-filters').waitFor();
    await reviewer.goto(`/smart-audit/findings?from=${DAY}&to=${DAY}`);
    const rows = reviewer.locator('[data-testid="finding-row"][data-rule="over_max_days"]');
    await expect.poll(() => rows.count()).toBe(2);
    const row = rows.first();
    await expectText(row.getByTestId('finding-link'), '超长处方用药天数');
    await expectNoOverflow(reviewer, 'findings queue');
    await shot(reviewer, 'smart-audit-findings');

    await row.getByTestId('finding-link').click();
    const drawer = reviewer.getByTestId('finding-drawer');
    const detail = drawer.getByTestId('finding-detail');
    await detail.waitFor();
    // the rule: its description and its national rule; the evidence: the policy's 84 days against the line's 120, the drug by name
    await expect.poll(() => drawer.getByTestId('finding-rule-description').innerText()).toMatch(/\S{10,}/);
    const evidence = drawer.getByTestId('finding-evidence');
    await expectText(evidence.locator('[data-key="maxDaysSupply"]'), '84 天');
    const lines = evidence.getByTestId('evidence-table');
    await expect.poll(() => lines.innerText()).toContain('120 天');
    const drugName = (await drawer.getByTestId('finding-claim-line').first().locator('td').first().innerText()).trim();
    await expect.poll(() => lines.innerText()).toContain(drugName);
    expect(drugName).toMatch(/[\u4e00-\u9fff]/); // the drug by its name, not its code
    expect(await evidence.innerText()).not.toMatch(/[{}"]/); // facts, not JSON
    await expectNoOverflow(reviewer, 'finding drawer');
    await shot(reviewer, 'smart-audit-finding-evidence');

    // confirm with 10.50 yuan against the institution: stored as 1050 fen
    await drawer.getByTestId('finding-confirm').click();
    await reviewer.getByTestId('decision-deduction').fill(DEDUCTION_YUAN);
    await reviewer.getByTestId('decision-reason').fill('超长处方，按超出天数比例扣减');
    await shot(reviewer, 'smart-audit-confirm');
    await reviewer.getByTestId('decision-submit').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('confirmed');
    await expectText(drawer.getByTestId('finding-decision'), /扣减 ¥10\.50（扣机构）/);
    await expect.poll(() => drawer.getByTestId('finding-history-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['found', 'confirmed']);
    const confirmedId = (await detail.getAttribute('data-id'))!;
    const stored = (await api('GET', `/api/smart-audit/findings/${confirmedId}`, reviewerCookie)).body;
    expect(stored).toMatchObject({ status: 'confirmed', deductionFen: 1050, deductionAgainst: 'institution' });
    expect(irregularClaimIds).toContain(stored.claim.id);
    await drawer.getByTestId('finding-reopen').waitFor(); // a decided finding offers reopening instead
    await shot(reviewer, 'smart-audit-confirmed');

    // Back closes the drawer; the confirmed finding left the open queue
    await reviewer.goBack();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(() => rows.count()).toBe(1);

    // dismiss the other with the reason
    await rows.first().getByTestId('finding-link').click();
    await expect.poll(() => detail.getAttribute('data-id')).not.toBe(confirmedId);
    await drawer.getByTestId('finding-claim').waitFor();
    await drawer.getByTestId('finding-dismiss').click();
    await reviewer.getByTestId('decision-reason').waitFor();
    await reviewer.getByTestId('decision-submit').click(); // without a reason: refused at the field
    await shot(reviewer, 'smart-audit-dismiss-empty');
    await expectText(reviewer.locator('.ant-modal .ant-form-item-explain-error'), /请写明理由/);
    await reviewer.getByTestId('decision-reason').fill(DISMISS_REASON);
    await reviewer.getByTestId('decision-submit').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('dismissed');
    await expectText(drawer.getByTestId('finding-decision'), /已排除/);
    const entries = drawer.getByTestId('finding-history-entry');
    await expect.poll(() => entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['found', 'dismissed']);
    await expectText(entries.last().getByTestId('finding-history-reason'), DISMISS_REASON);
    await shot(reviewer, 'smart-audit-dismissed');

    // both are in the 全部 list with their states
    await reviewer.goto(`/smart-audit/findings?status=all&from=${DAY}&to=${DAY}&rule=over_max_days`);
    await expectText(reviewer.locator(`[data-testid="finding-row"][data-finding-id="${confirmedId}"]`).getByTestId('finding-status'), '已确认');
    await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')).sort())).toEqual(['confirmed', 'dismissed']);

    // the dismissed one reopened with a reason: open again, the dismissal kept in its history
    await reviewer.locator('[data-testid="finding-row"][data-status="dismissed"]').getByTestId('finding-link').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('dismissed');
    await drawer.getByTestId('finding-reopen').click();
    await reviewer.getByTestId('decision-reason').fill('病历未能提供，重新核查');
    await reviewer.getByTestId('decision-submit').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('open');
    await expect.poll(() => entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['found', 'dismissed', 'reopened']);
    await drawer.getByTestId('finding-confirm').waitFor();
  });

  it('in English the queue and the evidence speak English', { timeout: 120_000 }, async () => {
    const page = await (await b.newContext({ lang: 'en-US' })).newPage();
    await signIn(page, 'reviewer');
    await page.goto(`/smart-audit/findings?status=all&from=${DAY}&to=${DAY}&rule=over_max_days`);
    const link = page.getByTestId('finding-link').first();
    await expectText(link, 'Supply longer than allowed');
    await link.click();
    await expect.poll(() => page.getByTestId('finding-evidence').innerText()).toMatch(/Longest supply\s+84 days/);
    await expectNoOverflow(page, 'findings in English');
    await shot(page, 'smart-audit-finding-en');
  });

  it('a sample of unflagged claims: marked correct or wrong, the extrapolation as computed by hand, closed', { timeout: 180_000 }, async () => {
    await reviewer.goto('/smart-audit/samples');
    await reviewer.getByTestId('sample-draw').waitFor();
    await expectNoOverflow(reviewer, 'samples');
    // last month (the form's default period), three claims
    await reviewer.getByTestId('sample-mode').getByText('按数量').click();
    await reviewer.getByTestId('sample-size').fill('3');
    await reviewer.getByTestId('sample-draw-submit').click();
    const panel = reviewer.getByTestId('sample-panel');
    await panel.waitFor();
    const claims = panel.getByTestId('sample-claim');
    await expect.poll(() => claims.count()).toBe(3);
    const sampleId = (await panel.getAttribute('data-id'))!;
    const sample = (await api('GET', `/api/smart-audit/samples/${sampleId}`, reviewerCookie)).body;
    expect(sample).toMatchObject({ from: '2026-05-01', to: '2026-05-31', size: 3, status: 'open' });

    // one claim the fund paid for is wrong by 5.00 yuan (at most its fund payment), the others correct
    const all = sample.claims as Array<{ claimId: string; fundPayFen: number }>;
    const wrong = all.find((c) => c.fundPayFen > 0)!;
    const errorFen = Math.min(500, wrong.fundPayFen);
    const rowOf = (id: string) => reviewer.locator(`[data-testid="sample-claim"][data-claim-id="${id}"]`);
    const [first, last] = all.filter((c) => c !== wrong);
    await rowOf(first!.claimId).getByTestId('sample-mark-correct').click();
    await expect.poll(() => rowOf(first!.claimId).getAttribute('data-result')).toBe('correct');
    await rowOf(wrong.claimId).getByTestId('sample-mark-error').click();
    await reviewer.getByTestId('sample-error-yuan').fill((errorFen / 100).toFixed(2));
    await reviewer.getByTestId('sample-error-note').fill('超出登记病种用药');
    await reviewer.getByTestId('sample-error-submit').click();
    await expect.poll(() => rowOf(wrong.claimId).getAttribute('data-result')).toBe('error');
    expect(await reviewer.getByTestId('sample-close').isDisabled()).toBe(true); // one still pending
    await rowOf(last!.claimId).getByTestId('sample-mark-correct').click();
    await expect.poll(() => rowOf(last!.claimId).getAttribute('data-result')).toBe('correct');

    // by hand: rate = error ÷ sampled fund payment (bp, half up); proposed = unsampled × error ÷ sampled, half up, to the fen
    const sampled = (sample.claims as Array<{ fundPayFen: number }>).reduce((n, c) => n + c.fundPayFen, 0);
    const unsampled = sample.populationFundPayFen - sampled;
    const halfUp = (num: bigint, den: bigint) => Number((2n * num + den) / (2n * den));
    const rateBp = halfUp(BigInt(errorFen) * 10000n, BigInt(sampled));
    const proposed = halfUp(BigInt(unsampled) * BigInt(errorFen), BigInt(sampled));
    const line = panel.getByTestId('sample-extrapolation');
    await expect.poll(() => line.getAttribute('data-proposed-fen')).toBe(String(proposed));
    expect(await line.getAttribute('data-rate-bp')).toBe(String(rateBp));
    await expectText(
      panel.getByTestId('sample-extrapolation-line'),
      `抽样差错率 ${(rateBp / 100).toFixed(2)}% × 未抽样金额 ¥${(unsampled / 100).toFixed(2)} = 建议扣减 ¥${(proposed / 100).toFixed(2)}`,
    );
    await expectNoOverflow(reviewer, 'sample drawer');
    await shot(reviewer, 'smart-audit-sample');

    await reviewer.getByTestId('sample-close').click();
    await reviewer.getByTestId('sample-close-ok').click();
    await expect.poll(() => panel.getAttribute('data-status')).toBe('closed');
    await panel.getByTestId('sample-closed-at').waitFor();
    expect(await panel.getByTestId('sample-mark-correct').count()).toBe(0); // no more marking
    await reviewer.goBack();
    const listed = reviewer.locator(`[data-testid="sample-row"][data-id="${sampleId}"]`);
    await expect.poll(() => listed.getAttribute('data-status')).toBe('closed');
    await expectText(listed.getByTestId('sample-row-proposed'), `¥${(proposed / 100).toFixed(2)}`);
    await shot(reviewer, 'smart-audit-samples');
  });

  it('the summary shows the confirmed deduction by institution and the doctor’s assessment points; its CSV downloads', { timeout: 180_000 }, async () => {
    const confirmed = (await api('GET', `/api/smart-audit/findings?status=confirmed`, reviewerCookie)).body.items[0] as { institution: { id: string }; doctor: { id: string } | null };
    await reviewer.goto(`/smart-audit/summary?from=${DAY}&to=${DAY}`);
    const row = reviewer.locator(`[data-testid="summary-row"][data-institution-id="${confirmed.institution.id}"]`);
    await expectText(row.getByTestId('summary-deduction'), `¥${DEDUCTION_YUAN}`);
    await expectText(row.getByTestId('summary-confirmed'), '1');
    await expectNoOverflow(reviewer, 'summary by institution');
    await shot(reviewer, 'smart-audit-summary');
    // the CSV link is the server's export of the same rows
    const href = (await reviewer.getByTestId('summary-csv').getAttribute('href'))!;
    expect(href).toContain('format=csv');
    const csv = await api('GET', href, reviewerCookie);
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');

    await reviewer.getByTestId('summary-by-doctor').click();
    await expect.poll(() => new URL(reviewer.url()).searchParams.get('by')).toBe('doctor');
    await reviewer.getByTestId('summary-points').first().waitFor();
    if (confirmed.doctor) {
      const doctorRow = reviewer.locator(`[data-testid="summary-row"][data-doctor-id="${confirmed.doctor.id}"]`);
      await expect.poll(async () => Number(await doctorRow.getByTestId('summary-points').innerText())).toBeGreaterThan(0);
    }
    await expectNoOverflow(reviewer, 'summary by doctor');
    await shot(reviewer, 'smart-audit-summary-doctor');
  });

  it('the system administrator reads the rules and runs a date', { timeout: 180_000 }, async () => {
    const page = await (await b.newContext()).newPage();
    await signIn(page, 'admin');
    await page.getByTestId('menu-smart-audit/rules').click();
    const rules = page.getByTestId('rule-row');
    await expect.poll(() => rules.count()).toBeGreaterThanOrEqual(12);
    await expectText(page.locator('[data-testid="rule-row"][data-code="overlapping_supply"]'), /跨机构/);
    await page.getByTestId('run-row').first().waitFor();
    await page.getByTestId('run-submit').click(); // the form's default: yesterday, already audited — nothing new
    await expect.poll(() => page.locator('[data-testid="run-row"]').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator(`[data-testid="run-row"][data-date="${DAY}"]`).getByTestId('run-findings').allInnerTexts()).toContainEqual(expect.stringMatching(/新增 0/));
    await expectNoOverflow(page, 'rules');
    await shot(page, 'smart-audit-rules');
  });
});
