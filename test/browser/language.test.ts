// Issue 13, "Language": in zh-CN nothing English reaches the screen. The server's problems carry a stable
// `code` and field `rule`s that the web app words in Chinese; their English `title`, `detail` and
// `message`s never show. Each role's main screens are visited with every list failing (a 500 with an
// English detail), then real refusals of the server are provoked (a wrong password, a counter search the
// server refuses); no word of any problem's English may be on the screen. The policy view labels the
// policy files' English local reasons and notes in Chinese (the English stays in a tooltip).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, shot, signIn, startBrowserApp } from './browser';

/** Latin-letter tokens at home on a Chinese screen: units, formats, codes. */
const AT_HOME = new Set(['mmhg', 'mmol', 'csv', 'pdf', 'jpeg', 'png', 'xlsx', 'utf', 'gbk', 'hba', 'bmi', 'excel', 'unicode']);

/** The English words of every problem+json answer the page received (title, detail, messages). */
function watchProblems(page: Page): Set<string> {
  const words = new Set<string>();
  page.on('response', async (response) => {
    if (!(response.headers()['content-type'] ?? '').includes('problem+json')) return;
    const body = (await response.json().catch(() => null)) as { title?: string; detail?: string; errors?: Array<{ message?: string }> } | null;
    if (!body) return;
    for (const text of [body.title, body.detail, ...(body.errors ?? []).map((e) => e.message)])
      for (const w of String(text ?? '').match(/[A-Za-z]{3,}/g) ?? []) if (!AT_HOME.has(w.toLowerCase())) words.add(w.toLowerCase());
  });
  return words;
}

/** Server words on the screen (toasts included), and any Latin word in an error element. */
async function englishOnScreen(page: Page, serverWords: Set<string>): Promise<{ fromServer: string[]; inErrors: string[] }> {
  const text = await page.locator('body').innerText();
  const fromServer = [...new Set((text.match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase()).filter((w) => serverWords.has(w)))];
  const errors = await page.locator('.ant-message-notice, .ant-alert, .ant-result, .ant-form-item-explain-error').allInnerTexts();
  const inErrors = [...new Set(errors.join('\n').match(/\b[A-Za-z]{2,}\b/g) ?? [])].filter((w) => !AT_HOME.has(w.toLowerCase()));
  return { fromServer, inErrors };
}

const FAILURE = {
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
  detail: 'The roster query timed out while joining the contracts; it has been logged',
  code: 'internal_error',
};

/** Every API call but the session's fails, as the server's 500 would. */
async function failEveryList(page: Page): Promise<void> {
  await page.route(/\/api\/(?!auth\/)/, (route) =>
    route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify(FAILURE) }),
  );
}

/** Visits a screen whose loads fail and waits until it has said so. */
async function visitFailing(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.getByTestId('user-display-name').waitFor();
  await expect
    .poll(() => page.locator('.ant-message-notice, .ant-alert-error, .ant-result-error, .ant-result-500').count(), { timeout: 20_000 })
    .toBeGreaterThan(0);
  await page.waitForTimeout(300);
}

const SCREENS: Record<string, string[]> = {
  doctor: ['/follow-ups', '/contracts', '/registrations'], // /people loads nothing before a search
  pharmacist: ['/settlements'],
  reviewer: ['/review-queue'],
  admin: ['/admin/users', '/admin/teams', '/admin/policies', '/admin/service-packages', '/admin/audit'],
};

describeBrowser('zh-CN: no English from the server on the screen', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  for (const [username, screens] of Object.entries(SCREENS)) {
    it(`${username}: failed loads are told in Chinese`, async () => {
      const page = await (await b.newContext({ lang: 'zh-CN' })).newPage();
      const words = watchProblems(page);
      await signIn(page, username);
      await failEveryList(page);
      for (const path of screens) {
        await visitFailing(page, path);
        await shot(page, `language-${username}${path.replaceAll('/', '-')}`);
        const found = await englishOnScreen(page, words);
        expect(found, `${path}: English on the screen`).toEqual({ fromServer: [], inErrors: [] });
        expect(await page.locator('body').innerText()).toContain('服务器未能完成请求');
      }
      expect(words.has('roster')).toBe(true); // the failures were seen
    });
  }

  it('a refused sign-in and a refused counter search are told in Chinese', async () => {
    const page = await (await b.newContext({ lang: 'zh-CN' })).newPage();
    const words = watchProblems(page);
    await page.goto('/login');
    await page.getByTestId('login-username').fill('pharmacist');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.locator('.ant-alert').count()).toBeGreaterThan(0);
    expect(await page.locator('.ant-alert').first().innerText()).toContain('用户名或密码错误');
    expect(words.has('wrong')).toBe(true);
    expect(await englishOnScreen(page, words)).toEqual({ fromServer: [], inErrors: [] });

    await signIn(page, 'pharmacist');
    // a bare name is not enough at the counter: the server answers 400 counter_search_terms in English
    const refused = page.waitForResponse((r) => r.url().includes('/api/people') && r.status() === 400);
    await page.getByTestId('counter-search-input').fill('王');
    await page.getByTestId('counter-search-input').press('Enter');
    await refused;
    await expect.poll(() => page.locator('.ant-message-notice, .ant-alert').count()).toBeGreaterThan(0);
    await shot(page, 'language-counter-refused');
    expect(await page.locator('body').innerText()).toContain('柜台查询请输入完整身份证号');
    expect(words.has('counter')).toBe(true);
    expect(await englishOnScreen(page, words)).toEqual({ fromServer: [], inErrors: [] });
  });

  it('the policy view labels the English local reasons and notes in Chinese, and keeps them for en-US', async () => {
    const zh = await (await b.newContext({ lang: 'zh-CN' })).newPage();
    await signIn(zh, 'admin');
    await zh.goto('/admin/policies?policy=jiaxing-2021');
    const drawer = zh.getByTestId('policy-detail');
    await drawer.waitFor();
    await expect.poll(() => drawer.getByTestId('policy-source-local').count()).toBeGreaterThan(0);
    await shot(zh, 'language-policy-zh');
    const text = await drawer.innerText();
    expect(text).toContain('本地参数');
    expect(text.match(/\b[A-Za-z]{3,}\b/g) ?? []).toEqual([]);
    // the reason itself is a hover away
    await drawer.getByTestId('policy-source-local').first().hover();
    await expect.poll(() => zh.locator('.ant-tooltip').filter({ hasText: /[a-z]{3,}/ }).count()).toBeGreaterThan(0);

    await zh.goto('/admin/service-packages');
    await zh.getByTestId('package-row').first().waitFor();
    // the packages' codes (basic, hypertension, …) are identifiers in their own column; nothing else is Latin
    const packagesText = await zh.getByTestId('service-packages-page').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const code of copy.querySelectorAll('.mono')) code.remove();
      return copy.innerText ?? copy.textContent ?? '';
    });
    expect(packagesText.match(/\b[A-Za-z]{3,}\b/g) ?? []).toEqual([]);

    const en = await (await b.newContext({ lang: 'en-US' })).newPage();
    await signIn(en, 'admin');
    await en.goto('/admin/policies?policy=jiaxing-2021');
    await en.getByTestId('policy-detail').waitFor();
    await expect.poll(async () => en.getByTestId('policy-detail').innerText()).toContain('Local parameter: ');
    await en.goto('/admin/service-packages');
    await en.getByTestId('package-row').first().waitFor();
    expect(await en.getByTestId('service-packages-page').innerText()).toContain('At least 4 face-to-face follow-ups a year');
  });
});
