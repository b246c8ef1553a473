// Issue 3: a family doctor signs in in Chromium, finds a patient of their area and opens the
// patient card, which shows the resident ID masked; a reviewer reveals it deliberately (issue 11).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

describeBrowser('doctor finds a patient (browser)', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(() => b?.close());

  it('signs in, searches by name and opens the patient card with a masked ID', async () => {
    // a resident the doctor may see, as the API lists them
    const cookie = await b.t.login('doctor');
    const listed = (await b.t.app.inject({ url: '/api/people?limit=1', headers: { cookie } })).json().items[0];
    const row = await b.t.database.db.selectFrom('person').select(['id', 'name', 'id_number']).where('id', '=', listed.id).executeTakeFirstOrThrow();

    const page = await (await b.newContext()).newPage();
    await signIn(page, 'doctor');
    await expectText(page.getByTestId('user-role'), '家庭医生');

    await page.goto('/people');
    await page.getByTestId('person-search-input').fill(row.name);
    await page.getByTestId('person-search-button').click();
    const result = page.locator(`[data-testid="person-row"][data-person-id="${row.id}"]`);
    await result.click();

    await page.locator(`[data-testid="patient-card"][data-person-id="${row.id}"]`).waitFor();
    await expectText(page.getByTestId('patient-card-name'), row.name);
    const shown = await page.getByTestId('patient-card-id-number').innerText();
    expect(shown).toBe(`${row.id_number.slice(0, 6)}********${row.id_number.slice(14)}`);
    expect(await page.content()).not.toContain(row.id_number);
    expect(await page.getByTestId('reveal-id-number').count()).toBe(0); // a doctor's work does not need the full number
    // staff see the benefit answer for the day under the card
    await page.getByTestId('benefit').first().waitFor();
    await shot(page, 'doctor-finds-patient');

    // the same screen in English
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-option-en-US').click();
    await expectText(page.getByTestId('user-role'), 'Family doctor');
    await expectText(page.getByTestId('eligibility-panel').locator('.ant-card-head-title'), 'Two-disease medication benefit');
  });

  it('a reviewer sees the number masked and reveals it deliberately, audited; the doctor has no reveal', async () => {
    const cookie = await b.t.login('reviewer');
    const listed = (await b.t.app.inject({ url: '/api/people?limit=1', headers: { cookie } })).json().items[0];
    const row = await b.t.database.db.selectFrom('person').select(['id', 'name', 'id_number']).where('id', '=', listed.id).executeTakeFirstOrThrow();
    const page = await (await b.newContext()).newPage();
    await signIn(page, 'reviewer');
    await page.goto('/people');
    await page.getByTestId('person-search-input').fill(row.id_number);
    await page.getByTestId('person-search-button').click();
    await page.locator(`[data-testid="person-row"][data-person-id="${row.id}"]`).click();
    await page.locator(`[data-testid="patient-card"][data-person-id="${row.id}"]`).waitFor();
    expect(await page.getByTestId('patient-card-id-number').innerText()).toContain('********');
    await page.getByTestId('reveal-id-number').click();
    await expectText(page.getByTestId('patient-card-id-number'), row.id_number);
    await shot(page, 'reviewer-reveals-id');
    const audited = await b.t.database.db.selectFrom('person_audit').select('username').where('entity', '=', 'person.id_number').where('person_id', '=', row.id).execute();
    expect(audited).toEqual([{ username: 'reviewer' }]);
  });
});
