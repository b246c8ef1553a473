// The family doctor's day at 1440×900 (issue 13): the contracts page's four lists and the follow-up
// worklist fit — no horizontal overflow, the action column whole inside the table's box; in the expiring
// list 续约 is the primary button; a tab shows a spinner, not 0, until its count arrives; Back closes an open
// drawer or dialog and leaves the list (tab, page) as it was; person search finds "name + last four".
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newResident } from '../helpers/people';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

const bpBasis = { type: 'bp_readings', readings: [{ date: '2026-06-01', systolic: 152, diastolic: 94 }, { date: '2026-06-05', systolic: 148, diastolic: 92 }, { date: '2026-06-10', systolic: 150, diastolic: 96 }] };

interface Fit {
  pageOverflow: number;
  tableOverflow: number;
  /** How far the last column's cells (and what they hold) reach past the table's right edge; ≤ 0 when inside. */
  lastColumnPastEdge: number;
  /** How far anything inside a last-column cell reaches past its cell. */
  contentPastCell: number;
  rows: number;
}

/** Geometry of the page's (first) list table. */
function measure(page: Page): Promise<Fit> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const table = document.querySelector('.list-card .ant-table') as HTMLElement;
    const content = (table.querySelector('.ant-table-content') ?? table.querySelector('.ant-table-body')) as HTMLElement;
    const box = table.getBoundingClientRect();
    let lastColumnPastEdge = -Infinity;
    let contentPastCell = -Infinity;
    const rows = [...table.querySelectorAll('tr')];
    for (const row of rows) {
      const cells = row.querySelectorAll(':scope > th, :scope > td');
      const last = cells[cells.length - 1] as HTMLElement | undefined;
      if (!last || last.classList.contains('ant-table-cell-scrollbar')) continue;
      const cell = last.getBoundingClientRect();
      lastColumnPastEdge = Math.max(lastColumnPastEdge, cell.right - box.right);
      for (const el of last.querySelectorAll('*')) {
        const r = (el as HTMLElement).getBoundingClientRect();
        if (r.width === 0) continue;
        contentPastCell = Math.max(contentPastCell, r.right - cell.right, r.right - box.right);
      }
    }
    return {
      pageOverflow: doc.scrollWidth - doc.clientWidth,
      tableOverflow: content.scrollWidth - content.clientWidth,
      lastColumnPastEdge,
      contentPastCell,
      rows: table.querySelectorAll('tbody tr[data-row-key]').length,
    };
  });
}

function expectFits(fit: Fit, what: string) {
  expect(fit.pageOverflow, `${what}: page overflow`).toBeLessThanOrEqual(0);
  expect(fit.tableOverflow, `${what}: table scrolls sideways`).toBeLessThanOrEqual(0);
  expect(fit.lastColumnPastEdge, `${what}: action column past the table`).toBeLessThanOrEqual(0.5);
  expect(fit.contentPastCell, `${what}: action cell content clipped`).toBeLessThanOrEqual(0.5);
}

/** The overlay the URL names, `?dialog=<name>` (hooks/overlay.ts), or null. */
const overlayInUrl = (page: Page) => new URL(page.url()).searchParams.get('dialog');

/** What a list shows: its rows' people, in order. */
const rowIds = (rows: Locator) => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-person-id')));

/** Waits until the list shows `expected` (the previous list stays on screen, dimmed, while the next loads). */
async function showsRows(rows: Locator, expected: string[]) {
  await expect.poll(() => rowIds(rows), { timeout: 30_000 }).toEqual(expected);
}

// Generous waits: on a small, busy machine a close animation or a re-render can take seconds. The URL
// is the overlay's truth (no animation); the overlay's content must then leave the page (destroyOnHidden).
const SLOW = { timeout: 30_000 };
const gone = (locator: Locator) => locator.waitFor({ state: 'detached', ...SLOW });

describeBrowser('the doctor’s day at 1440×900 (browser)', () => {
  let b: BrowserApp;
  let doctor: Page;
  let cookie: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    cookie = await b.t.login('doctor');
    const call = async (who: string, method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await b.t.app.inject({ method, url, headers: { cookie: who }, ...(payload ? { payload } : {}) });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    // a patient with both diseases whose hypertension filing came back: the attention list, with the longest actions
    const town = (await call(cookie, 'GET', '/api/teams/mine')).region.code as string;
    const returned = await newResident(b.t.database.db, { regionCode: town, diseases: ['hypertension', 'diabetes'], name: '欧阳慧敏' });
    await call(cookie, 'POST', '/api/contracts', { personId: returned.id, packages: ['basic', 'two_disease'], consent: { signer: 'self', signerName: returned.name, signedAt: '2026-06-15T09:00:00+08:00' } });
    const drug = (await call(cookie, 'GET', '/api/drugs?disease=hypertension')).find((d: { genericNameZh: string }) => d.genericNameZh === '苯磺酸氨氯地平片').code;
    const filing = await call(cookie, 'POST', '/api/filings', { personId: returned.id, kind: 'initial', diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: bpBasis }], prescription: [{ drugCode: drug, dose: '5mg', frequency: 'qd', daysSupply: 30, dispensing: 'own' }] });
    await call(await b.t.login('reviewer'), 'POST', `/api/filings/${filing.id}/return`, { reason: '请补充用药剂量说明' });
    doctor = await (await b.newContext()).newPage();
    await signIn(doctor, 'doctor');
  });
  afterAll(() => b?.close());

  const total = async (url: string) => ((await b.t.app.inject({ url, headers: { cookie } })).json() as { total: number }).total;
  /** The people of a list's first page, as the server lists them. */
  const firstPage = async (url: string) => ((await b.t.app.inject({ url: `${url}&limit=20&offset=0`, headers: { cookie } })).json() as { items: Array<{ person: { id: string } }> }).items.map((i) => i.person.id);

  it('contracts: a tab shows loading until its count arrives, then the count', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await doctor.route(/\/api\/team\/patients\?.*list=expiring.*limit=1(&|$)/, async (route) => {
      await held;
      await route.continue();
    });
    await doctor.goto('/contracts');
    await doctor.getByTestId('list-count-loading-expiring').waitFor();
    expect(await doctor.getByTestId('list-count-expiring').count()).toBe(0);
    await shot(doctor, 'doctor-day-tab-loading');
    release();
    const expiring = await total('/api/team/patients?list=expiring&limit=1');
    await expectText(doctor.getByTestId('list-count-expiring'), String(expiring));
    expect(await doctor.getByTestId('list-count-loading-expiring').count()).toBe(0);
    await doctor.unroute(/\/api\/team\/patients/);
  });

  it('contracts: every list fits at 1440 px, its action column whole', async () => {
    for (const list of ['contracted', 'unsigned', 'expiring', 'attention']) {
      expect(await total(`/api/team/patients?list=${list}&limit=1`), list).toBeGreaterThan(0);
      await doctor.goto(`/contracts?list=${list}`);
      await doctor.getByTestId('team-patient-row').first().waitFor();
      await doctor.waitForTimeout(300);
      await shot(doctor, `doctor-day-contracts-${list}`);
      const fit = await measure(doctor);
      expect(fit.rows, list).toBeGreaterThan(0);
      expectFits(fit, list);
    }
  });

  it('contracts: in the expiring list 续约 is the primary action', async () => {
    await doctor.goto('/contracts?list=expiring');
    const rows = doctor.getByTestId('team-patient-row');
    await rows.first().waitFor();
    const n = await rows.count();
    for (let i = 0; i < n; i++) {
      const primary = rows.nth(i).locator('.row-actions .ant-btn-primary');
      await expectText(primary, /^续\s*约$/);
      expect(await primary.getAttribute('data-testid')).toBe('action-renew');
    }
  });

  it('contracts: Back closes an open dialog or drawer and leaves the list as it was; closing it from the UI leaves no entry', async () => {
    await doctor.goto('/contracts?list=contracted&disease=hypertension');
    const rows = doctor.getByTestId('team-patient-row');
    const before = await firstPage('/api/team/patients?list=contracted&disease=hypertension');
    expect(before.length).toBeGreaterThan(0);
    await showsRows(rows, before);
    const url = doctor.url();

    // the patient's history drawer
    await rows.first().getByTestId('patient-name').click();
    const drawer = doctor.getByTestId('history-drawer').locator('.ant-drawer-body');
    await drawer.waitFor(SLOW);
    await expect.poll(() => overlayInUrl(doctor), SLOW).toBe('person-history');
    await shot(doctor, 'doctor-day-history-open');
    await doctor.goBack();
    await expect.poll(() => doctor.url(), SLOW).toBe(url);
    await gone(drawer);
    await showsRows(rows, before);

    // the renew dialog, from the expiring list
    await doctor.getByTestId('list-expiring').click();
    await expect.poll(() => doctor.url(), SLOW).toContain('list=expiring');
    const expiringRows = await firstPage('/api/team/patients?list=expiring');
    await showsRows(rows, expiringRows);
    const expiringUrl = doctor.url();
    await rows.first().getByTestId('action-renew').click();
    const modal = doctor.getByTestId('contract-submit'); // the dialog's own button: the modal root has no box
    await modal.waitFor(SLOW);
    await expect.poll(() => overlayInUrl(doctor), SLOW).toBe('sign-contract');
    await shot(doctor, 'doctor-day-renew-open');
    await doctor.goBack();
    await expect.poll(() => doctor.url(), SLOW).toBe(expiringUrl);
    await gone(modal);
    await showsRows(rows, expiringRows);

    // closed from the dialog itself, its entry goes too: Back then leaves the expiring list for the one before it
    await rows.first().getByTestId('action-renew').click();
    await modal.waitFor(SLOW);
    await expect.poll(() => overlayInUrl(doctor), SLOW).toBe('sign-contract');
    await doctor.keyboard.press('Escape');
    await gone(modal);
    await expect.poll(() => doctor.url(), SLOW).toBe(expiringUrl);
    await doctor.goBack();
    await expect.poll(() => doctor.url(), SLOW).toBe(url);
    await showsRows(rows, before);

    // a reload or a shared link naming a dialog has nothing to show: the param goes, in place
    await doctor.goto(`${expiringUrl}&dialog=sign-contract`);
    await expect.poll(() => doctor.url(), SLOW).toBe(expiringUrl);
    await showsRows(rows, expiringRows);
    expect(await modal.count()).toBe(0);
  });

  it('worklist: every list fits at 1440 px; a tab loads before its count; Back closes the visit form; the form’s banner clears when the field is fixed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await doctor.route(/\/api\/team\/worklist\?.*list=overdue.*limit=1(&|$)/, async (route) => {
      await held;
      await route.continue();
    });
    await doctor.goto('/follow-ups?list=due_this_week');
    await doctor.getByTestId('worklist-count-loading-overdue').waitFor();
    release();
    await expectText(doctor.getByTestId('worklist-count-overdue'), String(await total('/api/team/worklist?list=overdue&limit=1')));
    await doctor.unroute(/\/api\/team\/worklist/);

    for (const list of ['due_this_week', 'overdue', 'referral_pending', 'uncontrolled', 'not_seen_this_quarter']) {
      if ((await total(`/api/team/worklist?list=${list}&limit=1`)) === 0) continue;
      await doctor.goto(`/follow-ups?list=${list}`);
      await doctor.getByTestId('worklist-row').first().waitFor();
      await doctor.waitForTimeout(300);
      await shot(doctor, `doctor-day-worklist-${list}`);
      expectFits(await measure(doctor), list);
    }

    await doctor.goto('/follow-ups?list=overdue');
    const rows = doctor.getByTestId('worklist-row');
    const before = await firstPage('/api/team/worklist?list=overdue');
    await showsRows(rows, before);
    const url = doctor.url();
    await rows.first().getByTestId('action-record-visit').click();
    const drawer = doctor.getByTestId('visit-drawer').locator('.ant-drawer-body');
    await drawer.waitFor(SLOW);
    await expect.poll(() => overlayInUrl(doctor), SLOW).toBe('visit');
    await shot(doctor, 'doctor-day-visit-open');
    await doctor.goBack();
    await expect.poll(() => doctor.url(), SLOW).toBe(url);
    await gone(drawer);
    await showsRows(rows, before);

    // the banner above the form goes once the marked field is fixed
    await rows.first().getByTestId('action-record-visit').click();
    await doctor.getByTestId('visit-form').waitFor();
    const form = doctor.getByTestId('visit-drawer');
    for (const d of ['hypertension', 'diabetes']) {
      const box = form.getByTestId(`visit-disease-${d}`);
      if ((await box.count()) && (await box.isChecked()) !== (d === 'hypertension')) await box.click();
    }
    await form.getByTestId('visit-systolic').fill('300');
    await form.getByTestId('visit-diastolic').fill('95');
    await doctor.getByTestId('visit-submit').click();
    const banner = form.getByTestId('form-alert');
    await banner.waitFor();
    await shot(doctor, 'doctor-day-visit-banner');
    await form.getByTestId('visit-systolic').fill('150');
    await banner.waitFor({ state: 'hidden' });
    // closed from the form's own Cancel: no entry left behind, Back leaves for the page before
    await form.getByRole('button', { name: /取\s*消/ }).click();
    await gone(drawer);
    await expect.poll(() => doctor.url(), SLOW).toBe(url);
  });

  it('person search finds a patient by name and the last four ID digits', async () => {
    const mine = (await b.t.app.inject({ url: '/api/people?limit=1', headers: { cookie } })).json().items[0] as { id: string; name: string };
    const row = await b.t.database.db.selectFrom('person').select(['id_number']).where('id', '=', mine.id).executeTakeFirstOrThrow();
    await doctor.goto('/people');
    await doctor.getByTestId('person-search-input').fill(`${mine.name} ${row.id_number.slice(-4)}`);
    await doctor.getByTestId('person-search-button').click();
    await doctor.locator(`[data-row-key="${mine.id}"]`).waitFor();
    await shot(doctor, 'doctor-day-person-search');
  });
});
