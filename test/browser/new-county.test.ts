// Issue 13's "How it will be checked", walked in Chromium the way a new county starts, all of it in the
// UI: the system administrator registers a grassroots centre's GP, nurse and public-health worker, sets
// up their "3+X" family-doctor team, creates the team's doctor and the county's reviewer (one-time
// passwords); imports the insurance roster (bad lines reported with their line numbers, the good ones
// added) and the diagnoses file; the new doctor must change the one-time password first, then signs a
// contract with an imported, diagnosed resident and files a registration with a lab report attached; the
// new reviewer returns it asking for a diagnosis certificate; the doctor sees it returned, adds the
// certificate and resubmits; the reviewer approves it and the doctor sees the registration confirmed.
import { deflateSync } from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkDigit, isValidResidentId } from '../../src/engine/identity/residentId';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

const TEAM = '新县启航家庭医生团队';
const STAFF = {
  gp: { name: '龚启明', profession: '医师', licence: '330900000000101' },
  nurse: { name: '闻秀兰', profession: '护士', licence: '330900000000102' },
  publicHealth: { name: '缪公卫', profession: '公共卫生医师', licence: '330900000000103' },
};
const DOCTOR = { username: 'gong.qiming', name: '龚启明医生', password: 'Qiming2026go' };
const REVIEWER = { username: 'qu.shenhe', name: '瞿审核', password: 'Shenhe2026qu' };
const PATIENT = '新县居民甲';

/** A real PNG (a small gradient), so that the reviewer's browser draws it. */
function gradientPng(width = 96, height = 64): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) rows.set([Math.round((x / width) * 255), 140, Math.round((y / height) * 255)], y * (width * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const labReportPdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF')]);

async function fits(page: Page, what: string) {
  const r = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(r.scroll, `${what}: horizontal overflow`).toBeLessThanOrEqual(r.client);
}

/** The option of the open select's dropdown (closed ones stay in the page, hidden). */
const option = (page: Page, text: string | RegExp) =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();

/**
 * Picks an option of an antd select by its text, typing part of it first to narrow the list, until the
 * select shows `shown`: on a loaded machine a click can land while the dropdown is still opening.
 */
async function pick(page: Page, select: Locator, text: string | RegExp, typed?: string, shown: string | RegExp = text) {
  const showing = async () => {
    const now = (await select.innerText()).trim();
    return typeof shown === 'string' ? now.includes(shown) : shown.test(now);
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await page.keyboard.press('Escape');
    await select.click();
    if (typed) await page.keyboard.type(typed);
    await option(page, text).click();
    if (await expect.poll(showing, { timeout: 5_000 }).toBe(true).then(() => true, () => false)) return;
  }
  expect(await showing(), `the select shows ${shown}`).toBe(true);
}

/**
 * Picks the user's role. On a loaded machine a click can land while the dropdown is still opening: pick
 * again until the role's scope field is there (the choice is what is tested, not the animation).
 */
async function pickRole(page: Page, drawer: Locator, role: RegExp, scopeField: string) {
  for (let attempt = 0; attempt < 3 && !(await drawer.getByTestId(scopeField).isVisible()); attempt++) {
    await drawer.getByTestId('user-role-select').click();
    await option(page, role).click();
    await drawer.getByTestId(scopeField).waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await drawer.getByTestId(scopeField).waitFor();
}

/** Types a date into an antd DatePicker and commits it. */
async function pickDate(input: Locator, date: string) {
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** An ID number of `region` (its county's address code) for the birth date and sex, with its check digit. */
function idNumber(region: string, birthDate: string, sex: 'male' | 'female', seq: number): string {
  const body = `${region.slice(0, 6)}${birthDate.replaceAll('-', '')}${String(seq * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0')}`;
  return body + checkDigit(body);
}

interface Resident { name: string; sex: 'male' | 'female'; birthDate: string; id: string }

describeBrowser('a new county starts on manbing (browser)', () => {
  let b: BrowserApp;
  let admin: Page;
  let doctor: Page;
  let reviewer: Page;
  let centre: { id: string; code: string; name: string; town: string; county: string; countyName: string };
  let people: { a: Resident; b: Resident; c: Resident; d: Resident; e: Resident; notOnRoster: Resident };
  const oneTime = { doctor: '', reviewer: '' };
  let personId: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    const db = b.t.database.db;
    // a grassroots centre of the city's last county (not the demo reviewer's), and its town
    const c = await db
      .selectFrom('institution as i')
      .innerJoin('region as r', 'r.code', 'i.county_code')
      .select(['i.id', 'i.code', 'i.name', 'i.region_code', 'i.county_code', 'r.name as county_name'])
      .where('i.kind', 'in', ['township_health_centre', 'community_health_centre'])
      .orderBy('i.county_code', 'desc')
      .orderBy('i.code')
      .executeTakeFirstOrThrow();
    centre = { id: c.id, code: c.code, name: c.name, town: c.region_code, county: c.county_code, countyName: c.county_name };
    expect(centre.county).not.toBe('330402');
    // residents the roster brings in: numbers no one holds yet
    const free = async (name: string, sex: 'male' | 'female', birthDate: string): Promise<Resident> => {
      for (let seq = 420; ; seq++) {
        const id = idNumber(centre.town, birthDate, sex, seq);
        if (!(await db.selectFrom('person_id_number').select('person_id').where('id_number', '=', id).executeTakeFirst())) return { name, sex, birthDate, id };
      }
    };
    people = {
      a: await free(PATIENT, 'female', '1961-03-08'),
      b: await free('新县居民乙', 'male', '1955-11-21'),
      c: await free('新县居民丙', 'female', '1970-07-02'),
      d: await free('新县居民丁', 'female', '1972-09-15'),
      e: await free('新县居民戊', 'male', '1949-12-01'),
      notOnRoster: await free('新县居民己', 'male', '1966-01-30'),
    };
    for (const p of Object.values(people)) expect(isValidResidentId(p.id), p.id).toBe(true);
    admin = await (await b.newContext()).newPage();
    admin.on('pageerror', (e) => console.error('[pageerror admin]', e.message));
    await signIn(admin, 'admin');
  });
  afterAll(() => b?.close());

  it('the administrator registers the centre’s staff and sets up their "3+X" team', async () => {
    await admin.goto(`/admin/practitioners?institution=${centre.id}`);
    await admin.getByTestId('practitioner-row').first().waitFor();
    for (const s of [STAFF.gp, STAFF.nurse, STAFF.publicHealth]) {
      await admin.getByTestId('practitioner-add').click();
      await admin.getByTestId('practitioner-name').fill(s.name);
      await pick(admin, admin.getByTestId('practitioner-profession'), new RegExp(`^${s.profession}$`), undefined, s.profession);
      await admin.getByTestId('practitioner-licence').fill(s.licence);
      await admin.getByTestId('practitioner-submit').click();
      await admin.locator(`[data-testid="practitioner-row"][data-licence="${s.licence}"]`).waitFor();
    }
    await shot(admin, 'new-county-practitioners');

    await admin.goto(`/admin/teams?institution=${centre.id}`);
    await admin.getByTestId('team-row').first().waitFor();
    await admin.getByTestId('team-add').click();
    const drawer = admin.getByTestId('team-drawer');
    await drawer.getByTestId('team-name').fill(TEAM);
    await drawer.getByTestId('team-phone').fill('0573-86660001');
    for (const [role, s] of [['gp', STAFF.gp], ['nurse', STAFF.nurse], ['public_health', STAFF.publicHealth]] as const) {
      const select = drawer.getByTestId(`team-${role}`);
      await pick(admin, select, s.licence, s.name.slice(0, 2));
      await select.locator('input').press('Escape');
    }
    await expectText(drawer.getByTestId('team-leader'), STAFF.gp.name); // the leader defaults to the GP
    await shot(admin, 'new-county-team-editor');
    await admin.getByTestId('team-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = admin.locator(`[data-testid="team-row"][data-team-name="${TEAM}"]`);
    await expectText(row.getByTestId('team-members'), new RegExp(`全科医生：${STAFF.gp.name}.*护士：${STAFF.nurse.name}.*公卫人员：${STAFF.publicHealth.name}`, 's'));
    await fits(admin, 'teams');
  });

  it('the administrator creates the team’s doctor and the county’s reviewer, each with a one-time password', async () => {
    const readOneTime = async () => {
      const modal = admin.getByTestId('one-time-password-modal');
      await modal.getByTestId('one-time-password').waitFor();
      const password = (await modal.getByTestId('one-time-password').innerText()).trim();
      expect(password).toMatch(/^[A-Za-z2-9]{12}$/);
      await modal.getByTestId('one-time-password-close').click();
      await modal.getByTestId('one-time-password').waitFor({ state: 'hidden' });
      return password;
    };
    await admin.goto('/admin/users');
    await admin.getByTestId('users-page').waitFor();

    await admin.getByTestId('user-create').click();
    const drawer = admin.getByTestId('user-drawer');
    await drawer.getByTestId('user-username').fill(DOCTOR.username);
    await drawer.getByTestId('user-display-name-input').fill(DOCTOR.name);
    await pickRole(admin, drawer, /^家庭医生$/, 'user-team');
    await pick(admin, drawer.getByTestId('user-team'), TEAM, TEAM.slice(0, 4));
    // the doctor is one of the team's own doctors
    await pick(admin, drawer.getByTestId('user-practitioner'), STAFF.gp.name);
    await shot(admin, 'new-county-doctor-user');
    await drawer.getByTestId('user-submit').click();
    oneTime.doctor = await readOneTime();

    await admin.getByTestId('user-create').click();
    await drawer.getByTestId('user-username').fill(REVIEWER.username);
    await drawer.getByTestId('user-display-name-input').fill(REVIEWER.name);
    await pickRole(admin, drawer, /^医保审核员$/, 'user-region');
    await pick(admin, drawer.getByTestId('user-region'), `（${centre.county}）`, centre.countyName.replace(/(区|县|市)$/, ''));
    await drawer.getByTestId('user-submit').click();
    oneTime.reviewer = await readOneTime();

    const db = b.t.database.db;
    const doctorRow = await db
      .selectFrom('app_user as u')
      .innerJoin('family_doctor_team as t', 't.id', 'u.team_id')
      .innerJoin('practitioner as p', 'p.id', 'u.practitioner_id')
      .select(['u.role', 't.name as team', 'p.license_no', 'u.must_change_password'])
      .where('u.username', '=', DOCTOR.username)
      .executeTakeFirstOrThrow();
    expect(doctorRow).toEqual({ role: 'family_doctor', team: TEAM, license_no: STAFF.gp.licence, must_change_password: true });
    const reviewerRow = await db.selectFrom('app_user').select(['role', 'region_code', 'must_change_password']).where('username', '=', REVIEWER.username).executeTakeFirstOrThrow();
    expect(reviewerRow).toEqual({ role: 'insurance_reviewer', region_code: centre.county, must_change_password: true });
  });

  it('the administrator imports the roster — bad lines reported by number, the good ones added — and the diagnoses', async () => {
    const { a, b: pb, c, d, e, notOnRoster } = people;
    const line = (p: Resident, overrides: Partial<Record<'sex' | 'region', string>> = {}) =>
      [p.name, overrides.sex ?? p.sex, p.birthDate, p.id, '13905730001', overrides.region ?? centre.town, 'resident', '2015-01-01'].join(',');
    const badChecksum = `${notOnRoster.id.slice(0, 17)}${notOnRoster.id[17] === '0' ? '1' : '0'}`;
    const roster = [
      'name,sex,birth_date,id_number,phone,region_code,insurance_type,insured_since',
      line(a), // 2
      [notOnRoster.name, notOnRoster.sex, notOnRoster.birthDate, badChecksum, '13905730002', centre.town, 'resident', '2015-01-01'].join(','), // 3: check digit
      line(pb), // 4
      line(d, { sex: d.sex === 'male' ? 'female' : 'male' }), // 5: sex disagrees with the number
      line(e, { region: '339999001' }), // 6: no such town
      line(c), // 7
    ].join('\n');
    const refusedRosterLines = [3, 5, 6];

    await admin.goto('/admin/import');
    const upload = admin.locator('.ant-upload input[type=file]');
    await upload.setInputFiles({ name: '参保人员名单.csv', mimeType: 'text/csv', buffer: Buffer.from(`${roster}\n`, 'utf8') });
    const card = admin.locator('.ant-card', { hasText: '检查结果（尚未写入）' });
    await card.waitFor();
    const stat = (title: string) => card.locator('.ant-statistic', { hasText: title }).locator('.ant-statistic-content');
    await expectText(stat('新增'), '3');
    await expectText(stat('拒绝'), '3');
    const problemLines = async () => [...new Set((await card.locator('.ant-table-tbody tr td:first-child').allInnerTexts()).map((s) => Number(s.trim())))];
    await expect.poll(problemLines).toEqual(refusedRosterLines);
    await expectText(card.locator('.ant-table-tbody tr', { hasText: 'id_checksum' }).first(), /^3\b/);
    await expectText(card.locator('.ant-table-tbody tr', { hasText: 'known_region' }).first(), /^6\b/);
    await shot(admin, 'new-county-roster-preview');
    await fits(admin, 'roster preview');
    await card.getByRole('button', { name: /确认导入（3 行）/ }).click();
    const result = admin.locator('.ant-card', { hasText: '导入结果' });
    await result.waitFor();
    await expectText(result.locator('.ant-statistic', { hasText: '新增' }).locator('.ant-statistic-content'), '3');
    const db = b.t.database.db;
    const stored = await db.selectFrom('person_id_number').select('id_number').where('id_number', 'in', [a.id, pb.id, c.id, d.id, e.id, badChecksum, notOnRoster.id]).execute();
    expect(stored.map((r) => r.id_number).sort()).toEqual([a.id, pb.id, c.id].sort());

    // the diagnoses: the person not on the roster is refused at line 5, the others added
    const diagnoses = [
      'id_number,disease_code,diagnosed_on,source,institution_code',
      `${a.id},hypertension,2026-05-20,screening,${centre.code}`,
      `${pb.id},diabetes,2026-04-02,hospital,${centre.code}`,
      `${c.id},hypertension,2025-11-12,follow_up,${centre.code}`,
      `${notOnRoster.id},hypertension,2026-05-20,screening,${centre.code}`,
    ].join('\n');
    await result.getByRole('button', { name: /导入其他文件/ }).click();
    await admin.locator('.ant-segmented-item', { hasText: '诊断' }).click();
    await admin.getByText('id_number, disease_code, diagnosed_on, source, institution_code').waitFor();
    await upload.setInputFiles({ name: '诊断.csv', mimeType: 'text/csv', buffer: Buffer.from(`${diagnoses}\n`, 'utf8') });
    await card.waitFor();
    await expectText(stat('新增'), '3');
    await expectText(stat('拒绝'), '1');
    await expect.poll(problemLines).toEqual([5]);
    await expectText(card.locator('.ant-table-tbody tr').first(), /person_exists/);
    await shot(admin, 'new-county-diagnoses-preview');
    await card.getByRole('button', { name: /确认导入（3 行）/ }).click();
    await result.waitFor();
    const person = await db.selectFrom('person_id_number').select('person_id').where('id_number', '=', a.id).executeTakeFirstOrThrow();
    personId = person.person_id;
    const conditions = await db.selectFrom('person_condition').select(['disease_code', 'diagnosed_on']).where('person_id', '=', personId).execute();
    expect(conditions.map((r) => r.disease_code)).toEqual(['hypertension']);
  });

  it('the new doctor changes the one-time password, signs the imported resident and files with a lab report', async () => {
    doctor = await (await b.newContext()).newPage();
    doctor.on('pageerror', (e) => console.error('[pageerror doctor]', e.message));
    await doctor.goto('/login');
    await doctor.getByTestId('login-username').fill(DOCTOR.username);
    await doctor.getByTestId('login-password').fill(oneTime.doctor);
    await doctor.getByTestId('login-submit').click();
    await doctor.locator('[data-testid="change-password-page"][data-forced="true"]').waitFor();
    await doctor.getByTestId('password-current').fill(oneTime.doctor);
    await doctor.getByTestId('password-new').fill(DOCTOR.password);
    await doctor.getByTestId('password-repeat').fill(DOCTOR.password);
    await doctor.getByTestId('password-submit').click();
    await expectText(doctor.getByTestId('user-display-name'), DOCTOR.name);
    await expect.poll(() => new URL(doctor.url()).pathname).toBe('/follow-ups'); // a doctor starts at the worklist

    // the imported, diagnosed resident is in the team's to-sign list
    await doctor.goto(`/contracts?list=unsigned&q=${encodeURIComponent(PATIENT)}`);
    await expectText(doctor.getByTestId('team-card'), new RegExp(TEAM));
    const row = doctor.locator(`[data-testid="team-patient-row"][data-person-id="${personId}"]`);
    await row.getByTestId('action-sign').click();
    const modal = doctor.getByTestId('sign-contract-modal');
    await modal.getByTestId('package-basic').waitFor();
    expect(await modal.getByTestId('package-hypertension').locator('input').isChecked()).toBe(true);
    await shot(doctor, 'new-county-sign');
    await doctor.getByTestId('contract-submit').click();
    await modal.waitFor({ state: 'hidden' });

    // the list may still be moving its own URL after the signature: a navigation it aborts is made again
    const contracted = `/contracts?list=contracted&q=${encodeURIComponent(PATIENT)}`;
    await doctor.goto(contracted).catch(async (e: Error) => {
      if (!e.message.includes('ERR_ABORTED')) throw e;
      await doctor.goto(contracted);
    });
    await expectText(row.getByTestId('registration-tag'), /高血压\s*未登记/);
    await row.getByTestId('action-register').click();
    const drawer = doctor.getByTestId('filing-drawer');
    const card = drawer.getByTestId('disease-card-hypertension');
    await card.waitFor();
    await pickDate(card.getByTestId('diagnosed-on'), '2026-06-12');
    const readings = card.getByTestId('bp-reading-row');
    for (const [i, [date, sys, dia]] of ([['2026-06-01', 152, 94], ['2026-06-05', 148, 92], ['2026-06-10', 150, 96]] as const).entries()) {
      await pickDate(readings.nth(i).getByTestId('reading-date'), date);
      await readings.nth(i).getByTestId('reading-systolic').fill(String(sys));
      await readings.nth(i).getByTestId('reading-diastolic').fill(String(dia));
    }
    const line = drawer.getByTestId('prescription-line').first();
    await line.getByTestId('rx-drug').click();
    await doctor.keyboard.type('氨氯地平');
    await doctor.locator('.ant-select-item-option', { hasText: '苯磺酸氨氯地平片' }).first().click();
    await line.getByTestId('rx-dose').fill('5mg');
    // the lab report, marked as such (the first file is taken for a certificate)
    await drawer.getByTestId('attachment-picker').locator('input[type=file]').setInputFiles({ name: '检验报告.pdf', mimeType: 'application/pdf', buffer: labReportPdf });
    const pending = drawer.getByTestId('attachment-pending');
    await expect.poll(() => pending.count()).toBe(1);
    await pick(doctor, pending.getByTestId('attachment-kind'), /^检验报告$/, undefined, '检验报告');
    await expectText(pending.first().locator('.ant-select-content, .ant-select-selection-item').first(), '检验报告');
    await shot(doctor, 'new-county-filing');
    await doctor.getByTestId('filing-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expectText(row.getByTestId('registration-tag'), /高血压\s*待审核/);
  });

  it('the new reviewer signs in, sees the lab report and returns the filing asking for a diagnosis certificate', async () => {
    reviewer = await (await b.newContext()).newPage();
    reviewer.on('pageerror', (e) => console.error('[pageerror reviewer]', e.message));
    await reviewer.goto('/login');
    await reviewer.getByTestId('login-username').fill(REVIEWER.username);
    await reviewer.getByTestId('login-password').fill(oneTime.reviewer);
    await reviewer.getByTestId('login-submit').click();
    await reviewer.locator('[data-testid="change-password-page"][data-forced="true"]').waitFor();
    await reviewer.getByTestId('password-current').fill(oneTime.reviewer);
    await reviewer.getByTestId('password-new').fill(REVIEWER.password);
    await reviewer.getByTestId('password-repeat').fill(REVIEWER.password);
    await reviewer.getByTestId('password-submit').click();
    await expectText(reviewer.getByTestId('user-display-name'), REVIEWER.name);
    await expect.poll(() => new URL(reviewer.url()).pathname).toBe('/review-queue'); // a reviewer starts at the queue

    await reviewer.goto(`/review-queue?q=${encodeURIComponent(PATIENT)}`);
    await reviewer.locator(`[data-testid="queue-row"][data-person-name="${PATIENT}"]`).getByTestId('queue-person-link').click();
    await reviewer.getByTestId('filing-detail').waitFor();
    const drawer = reviewer.getByTestId('review-drawer');
    await expect.poll(() => drawer.locator('[data-testid="attachment"][data-kind="lab_report"]').count()).toBe(1);
    await reviewer.getByTestId('review-return').click();
    await pick(reviewer, reviewer.getByTestId('return-reason-code'), '缺少诊断证明');
    await expect.poll(() => reviewer.getByTestId('request-diagnosis_certificate').locator('xpath=ancestor::label').locator('input').isChecked()).toBe(true);
    await shot(reviewer, 'new-county-return');
    await reviewer.getByTestId('decision-submit').click();
    await reviewer.getByTestId('decision-submit').waitFor({ state: 'hidden' });
    await reviewer.getByTestId('review-drawer').waitFor({ state: 'hidden' });
  });

  it('the doctor sees it returned with the reason, adds the certificate and resubmits', async () => {
    await doctor.goto('/registrations?status=returned');
    await expectText(doctor.getByTestId('returned-badge'), '1');
    const row = doctor.locator('[data-testid="filing-row"]', { hasText: PATIENT });
    await expectText(row.getByTestId('decision-reason'), /缺少诊断证明/);
    await expectText(row.getByTestId('requested-attachments'), /诊断证明/);
    await fits(doctor, 'returned list');
    await row.getByTestId('filing-fix').click();
    const drawer = doctor.getByTestId('filing-drawer');
    await expectText(drawer.getByTestId('returned-reason'), /缺少诊断证明[\s\S]*诊断证明/);
    await drawer.getByTestId('attachment-picker').locator('input[type=file]').setInputFiles({ name: '诊断证明.png', mimeType: 'image/png', buffer: gradientPng() });
    const pending = drawer.getByTestId('attachment-pending');
    await expect.poll(() => pending.count()).toBe(1);
    await expectText(pending.first().locator('.ant-select-content, .ant-select-selection-item').first(), '诊断证明');
    await shot(doctor, 'new-county-fix');
    await doctor.getByTestId('filing-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(() => row.count()).toBe(0);
  });

  it('the reviewer sees the certificate inline and approves; the doctor sees the registration confirmed', async () => {
    await reviewer.goto(`/review-queue?q=${encodeURIComponent(PATIENT)}`);
    await reviewer.locator(`[data-testid="queue-row"][data-person-name="${PATIENT}"]`).getByTestId('queue-person-link').click();
    const drawer = reviewer.getByTestId('review-drawer');
    const image = drawer.getByTestId('attachment-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
    expect(await drawer.locator('[data-testid="attachment"][data-kind="lab_report"]').count()).toBe(1);
    await shot(reviewer, 'new-county-approve');
    await reviewer.getByTestId('review-approve').click();
    await reviewer.getByTestId('decision-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    const events = await b.t.database.db.selectFrom('filing_event').select('to_status').where('person_id', '=', personId).orderBy('id').execute();
    expect(events.map((e) => e.to_status)).toEqual(['submitted', 'returned', 'submitted', 'approved']);

    await doctor.goto(`/contracts?list=contracted&q=${encodeURIComponent(PATIENT)}`);
    await expectText(doctor.locator(`[data-testid="team-patient-row"][data-person-id="${personId}"]`).getByTestId('registration-tag'), /高血压\s*已确认/);
    await shot(doctor, 'new-county-confirmed');
  });
});
