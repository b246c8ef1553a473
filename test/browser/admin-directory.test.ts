// Issue 13 in Chromium, as the system administrator and an institution's administrator: the
// administration home shows the sections the role may use; the administrator sets up a "3+X" team
// through the member editor (a server refusal shown at its field in Chinese, then corrected) and sees
// it listed with its members; a duplicate licence number is refused at its field; the catalogues read
// in Chinese (amounts in yuan, ratios in %). Every screen fits 1440×900 without horizontal scrolling.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

const TEAM = '浏览器测试家庭医生团队';

/** The page is no wider than the window: nothing scrolls sideways. */
async function expectNoHorizontalOverflow(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, `${what}: page ${scroll}px wide in a ${client}px window`).toBeLessThanOrEqual(client);
}

/** Picks an option of an antd select by its text (typing narrows the list first); a multiple select's list is closed after. */
async function pick(page: Page, select: ReturnType<Page['getByTestId']>, text: string, multiple = false) {
  await select.click();
  await page.keyboard.type(text.slice(0, 2));
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
  if (multiple) await select.locator('input').press('Escape');
}

describeBrowser('administration: directory and catalogues (browser)', () => {
  let b: BrowserApp;
  let admin: Page;
  let centre: { id: string; name: string };
  const staff = {} as { gp: string; nurse: string; publicHealth: string; specialist: string; existingTeam: string; takenLicence: string };

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    const c = await db.selectFrom('institution as i').select(['i.id', 'i.name', 'i.upper_institution_id']).where('i.kind', '=', 'township_health_centre')
      .where((eb) => eb.exists(eb.selectFrom('family_doctor_team as t').select('t.id').whereRef('t.institution_id', '=', 'i.id'))).orderBy('i.code').executeTakeFirstOrThrow();
    centre = { id: c.id, name: c.name };
    const name = async (institutionId: string, profession: 'doctor' | 'nurse' | 'public_health') =>
      (await db.selectFrom('practitioner').select('name').where('institution_id', '=', institutionId).where('profession', '=', profession).orderBy('license_no', 'desc').executeTakeFirstOrThrow()).name;
    staff.gp = await name(c.id, 'doctor');
    staff.nurse = await name(c.id, 'nurse');
    staff.publicHealth = await name(c.id, 'public_health');
    staff.specialist = await name(c.upper_institution_id!, 'doctor');
    staff.existingTeam = (await db.selectFrom('family_doctor_team').select('name').where('institution_id', '=', c.id).executeTakeFirstOrThrow()).name;
    staff.takenLicence = (await db.selectFrom('practitioner').select('license_no').where('institution_id', '=', c.id).executeTakeFirstOrThrow()).license_no;
    await db.insertInto('app_user').values({ username: 'centre-admin', display_name: '卫生院管理员', role: 'institution_admin', institution_id: c.id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true }).execute();
    admin = await (await b.newContext()).newPage();
    admin.on('pageerror', (e) => console.error('[pageerror]', e.message)); // a script error fails loudly in the log
    await signIn(admin, 'admin');
  });
  afterAll(() => b?.close());

  it('the home lists the administration sections as cards', async () => {
    await admin.goto('/admin');
    await admin.getByTestId('admin-home').waitFor();
    for (const key of ['institutions', 'teams', 'practitioners', 'drugs', 'policies', 'servicePackages']) await admin.getByTestId(`admin-card-${key}`).waitFor();
    await shot(admin, 'admin-home');
    await expectNoHorizontalOverflow(admin, 'admin home');
    await admin.getByTestId('admin-card-institutions').click();
    await admin.getByTestId('institutions-page').waitFor();
    await admin.getByTestId('institution-row').nth(5).waitFor();
    await shot(admin, 'admin-institutions');
    await expectNoHorizontalOverflow(admin, 'institutions');
    await admin.getByTestId('institution-row').first().getByTestId('institution-edit').click();
    await admin.getByTestId('institution-drawer').getByTestId('institution-code').waitFor();
    await shot(admin, 'admin-institution-edit');
    await expectNoHorizontalOverflow(admin, 'institution drawer');
    await admin.goto('/admin/institutions?tab=communities');
    await expectText(admin.locator('.ant-table-tbody tr').first(), /医共体/);
    await shot(admin, 'admin-communities');
    await expectNoHorizontalOverflow(admin, 'medical communities');
  });

  it('sets up a "3+X" team with the member editor; a refusal shows at its field until corrected', async () => {
    await admin.goto(`/admin/teams?institution=${centre.id}`);
    await admin.getByTestId('team-row').nth(0).waitFor();
    await shot(admin, 'admin-teams');
    await expectNoHorizontalOverflow(admin, 'teams');
    await admin.getByTestId('team-add').click();
    const drawer = admin.getByTestId('team-drawer');
    await drawer.getByTestId('team-name').fill(staff.existingTeam); // taken at this institution: the server says so at the name
    await drawer.getByTestId('team-phone').fill('0573-81230000');
    await pick(admin, drawer.getByTestId('team-gp'), staff.gp, true);
    await pick(admin, drawer.getByTestId('team-nurse'), staff.nurse, true);
    await pick(admin, drawer.getByTestId('team-public_health'), staff.publicHealth, true);
    await pick(admin, drawer.getByTestId('team-specialist'), staff.specialist, true);
    // the leader defaults to the GP
    await expectText(drawer.getByTestId('team-leader'), staff.gp);
    await shot(admin, 'admin-team-editor');
    await expectNoHorizontalOverflow(admin, 'team editor');
    await admin.getByTestId('team-submit').click();
    const nameItem = drawer.locator('.ant-form-item', { has: admin.getByTestId('team-name') });
    await expectText(nameItem.locator('.ant-form-item-explain-error'), '本机构已有同名团队');
    await shot(admin, 'admin-team-error');

    await drawer.getByTestId('team-name').fill(TEAM);
    await admin.getByTestId('team-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = admin.locator(`[data-testid="team-row"][data-team-name="${TEAM}"]`);
    await expectText(row.getByTestId('team-members'), new RegExp(`全科医生：${staff.gp}.*护士：${staff.nurse}.*公卫人员：${staff.publicHealth}.*专科医生：${staff.specialist}`, 's'));
    await expectText(row.getByTestId('team-contracted'), '0');
    await shot(admin, 'admin-team-created');

    // edit: the specialist leaves the team
    await row.getByTestId('team-edit').click();
    await expectText(drawer.getByTestId('team-institution-name'), centre.name);
    await drawer.getByTestId('team-specialist').locator('.anticon-close').first().click();
    await admin.getByTestId('team-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await row.getByTestId('team-members').innerText()).includes('专科医生')).toBe(false);
    const saved = await b.t.database.db.selectFrom('family_doctor_team as t').innerJoin('team_member as m', 'm.team_id', 't.id').select(['m.member_role']).where('t.name', '=', TEAM).execute();
    expect(saved.map((m) => m.member_role).sort()).toEqual(['gp', 'nurse', 'public_health']);
    const audit = await b.t.database.db.selectFrom('audit_log').select(['action', 'username']).where('entity', '=', 'team').orderBy('id').execute();
    expect(audit).toEqual([{ action: 'create', username: 'admin' }, { action: 'update', username: 'admin' }]);
  });

  it('refuses a licence number already registered, at its field, in Chinese', async () => {
    await admin.goto(`/admin/practitioners?institution=${centre.id}`);
    await admin.getByTestId('practitioner-row').nth(0).waitFor();
    await shot(admin, 'admin-practitioners');
    await expectNoHorizontalOverflow(admin, 'practitioners');
    await admin.getByTestId('practitioner-add').click();
    await admin.getByTestId('practitioner-name').fill('浏览器测医生');
    await pick(admin, admin.getByTestId('practitioner-profession'), '医师');
    await admin.getByTestId('practitioner-licence').fill(staff.takenLicence);
    await admin.getByTestId('practitioner-submit').click();
    const licenceItem = admin.locator('.ant-form-item', { has: admin.getByTestId('practitioner-licence') });
    await expectText(licenceItem.locator('.ant-form-item-explain-error'), '该执业证书编号已登记');
    await shot(admin, 'admin-practitioner-error');
    await admin.getByTestId('practitioner-licence').fill('330499999999001');
    await admin.getByTestId('practitioner-submit').click();
    await admin.locator('[data-testid="practitioner-row"][data-licence="330499999999001"]').waitFor();
  });

  it('reads the drug catalogue with its list tags, the policies in yuan and %, and the service packages', async () => {
    await admin.goto('/admin/drugs?vbp=true&disease=hypertension');
    await admin.getByTestId('drug-row').nth(0).waitFor();
    await expectText(admin.getByTestId('drug-row').first().getByTestId('drug-lists'), /慢病常用药/);
    await shot(admin, 'admin-drugs');
    await expectNoHorizontalOverflow(admin, 'drugs');

    await admin.goto('/admin/policies?region=330402&date=2026-06-15');
    await expectText(admin.getByTestId('policy-applies'), /嘉兴/);
    await shot(admin, 'admin-policies');
    await expectNoHorizontalOverflow(admin, 'policies');
    await admin.locator('[data-testid="policy-row"][data-policy-id="jiaxing-2021"]').getByTestId('policy-open').click();
    const resident = admin.getByTestId('policy-detail').getByTestId('scheme-resident').getByTestId('benefit-two_disease');
    await expectText(resident, /每年最高支付 1,800 元/);
    expect(await resident.innerText()).toMatch(/基层医疗机构报销比例\s*基金支付 60%/);
    expect(await resident.innerText()).toContain('不设起付线');
    await shot(admin, 'admin-policy-detail');
    await expectNoHorizontalOverflow(admin, 'policy detail');

    await admin.goto('/admin/service-packages');
    await admin.getByTestId('package-row').nth(3).waitFor();
    expect(await admin.getByTestId('package-row').count()).toBe(4);
    await expectText(admin.locator('[data-testid="package-row"][data-code="hypertension"]'), /每年 120 元/);
    await shot(admin, 'admin-packages');
    await expectNoHorizontalOverflow(admin, 'service packages');
  });

  it('an institution administrator sees their own sections only and their own teams', async () => {
    const page = await (await b.newContext()).newPage();
    await signIn(page, 'centre-admin');
    await page.goto('/admin');
    await page.getByTestId('admin-card-teams').waitFor();
    expect(await page.getByTestId('admin-card-institutions').count()).toBe(0);
    await shot(page, 'admin-home-institution');
    await page.goto('/admin/teams');
    await page.getByTestId('team-row').nth(0).waitFor();
    await expectText(page.locator(`[data-testid="team-row"][data-team-name="${TEAM}"]`), new RegExp(staff.gp));
    await expectNoHorizontalOverflow(page, 'teams (institution administrator)');
    await page.goto('/admin/institutions');
    await expectText(page.locator('.ant-result-title'), /无权访问/);
  });
});
