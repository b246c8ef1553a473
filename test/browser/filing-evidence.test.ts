// Issue 13, the return-and-fix loop in Chromium: the reviewer opens a filing with a lab report (a PDF
// opened in a new tab), returns it with the preset reason 缺少诊断证明 asking for the certificate; the
// doctor sees the count on 认定登记, the reason and the request, cannot resubmit without the
// certificate, attaches it and resubmits; the reviewer sees the image inline and approves; the doctor
// sees it among the filings approved since last seen. No horizontal overflow at 1440×900.
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newResident } from '../helpers/people';
import { type BrowserApp, describeBrowser, expectText, shot, signIn, startBrowserApp } from './browser';

const NAME = '附件浏览测';

/** A real PNG (a 320×200 gradient), so that the reviewer's browser draws it. */
function gradientPng(width = 320, height = 200): Buffer {
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
    for (let x = 0; x < width; x++) rows.set([Math.round((x / width) * 255), 120, Math.round((y / height) * 255)], y * (width * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF')]);

async function fits(page: Page, what: string) {
  const r = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(r.scroll, `${what}: horizontal overflow`).toBeLessThanOrEqual(r.client);
}

describeBrowser('the return-and-fix loop with evidence (browser)', () => {
  let b: BrowserApp;
  let doctor: Page;
  let reviewer: Page;
  let filingId: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    const cookie = await b.t.login('doctor');
    const call = (method: 'GET' | 'POST', url: string, payload?: object) => b.t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    const town = (await call('GET', '/api/teams/mine')).json().region.code as string;
    const person = await newResident(b.t.database.db, { regionCode: town, diseases: ['hypertension'], name: NAME });
    expect((await call('POST', '/api/contracts', { personId: person.id, packages: ['basic', 'hypertension'], consent: { signer: 'self', signerName: NAME, signedAt: '2026-06-15T09:00:00+08:00' } })).statusCode).toBe(201);
    const drug = (await call('GET', '/api/drugs?disease=hypertension')).json()[0].code as string;
    const filed = await call('POST', '/api/filings', {
      personId: person.id, kind: 'initial',
      diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: { type: 'bp_readings', readings: [{ date: '2026-06-01', systolic: 152, diastolic: 94 }, { date: '2026-06-05', systolic: 148, diastolic: 92 }, { date: '2026-06-10', systolic: 150, diastolic: 96 }] } }],
      prescription: [{ drugCode: drug, dose: '5mg', frequency: 'qd', daysSupply: 30, dispensing: 'own' }],
      attachments: [{ kind: 'lab_report', name: '检验报告.pdf', contentBase64: pdf.toString('base64') }],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    filingId = filed.json().id;
    doctor = await (await b.newContext()).newPage();
    reviewer = await (await b.newContext()).newPage();
    await Promise.all([signIn(doctor, 'doctor'), signIn(reviewer, 'reviewer')]);
  });
  afterAll(() => b?.close());

  const openInQueue = async (status?: string) => {
    await reviewer.goto(`/review-queue?q=${encodeURIComponent(NAME)}${status ? `&status=${status}` : ''}`);
    await reviewer.locator(`[data-testid="queue-row"][data-filing-id="${filingId}"]`).getByTestId('queue-person-link').click();
    await reviewer.getByTestId('filing-detail').waitFor();
  };

  it('reviewer sees the lab report and returns the filing asking for the diagnosis certificate', async () => {
    await openInQueue();
    const drawer = reviewer.getByTestId('review-drawer');
    await expect.poll(() => drawer.getByTestId('attachment').count()).toBe(1);
    expect(await drawer.getByTestId('attachment-pdf').getAttribute('href')).toMatch(new RegExp(`/api/filings/${filingId}/attachments/`));
    expect(await drawer.getByTestId('attachment-pdf').getAttribute('target')).toBe('_blank');
    // the link opens the PDF with its own content type
    const type = await reviewer.evaluate(async (url) => (await fetch(url)).headers.get('content-type'), (await drawer.getByTestId('attachment-pdf').getAttribute('href'))!);
    expect(type).toBe('application/pdf');
    await reviewer.getByTestId('review-return').click();
    await reviewer.getByTestId('return-reason-code').click();
    await reviewer.locator('.ant-select-item-option', { hasText: '缺少诊断证明' }).click();
    // a missing certificate asks for one
    await expect.poll(() => reviewer.getByTestId('request-diagnosis_certificate').locator('xpath=ancestor::label').locator('input').isChecked()).toBe(true);
    await shot(reviewer, 'evidence-return');
    await reviewer.getByTestId('decision-submit').click();
    await reviewer.getByTestId('decision-submit').waitFor({ state: 'hidden' });
  });

  it('doctor sees the count, the reason and the request; attaches the certificate and resubmits', async () => {
    await doctor.goto('/registrations?status=returned');
    await expectText(doctor.getByTestId('returned-badge'), /^\d+$/);
    const row = doctor.locator(`[data-testid="filing-row"][data-filing-id="${filingId}"]`);
    await expectText(row.getByTestId('decision-reason'), /缺少诊断证明/);
    await expectText(row.getByTestId('requested-attachments'), /诊断证明/);
    await fits(doctor, 'returned list');
    await shot(doctor, 'evidence-returned-list');
    await row.getByTestId('filing-fix').click();
    const drawer = doctor.getByTestId('filing-drawer');
    await expectText(drawer.getByTestId('returned-reason'), /缺少诊断证明[\s\S]*诊断证明/);
    // switching the basis gives the rows that basis needs, and back
    await drawer.getByTestId('basis-type-hospital_diagnosis').click();
    await drawer.getByTestId('hospital-name').waitFor();
    expect(await drawer.getByTestId('bp-reading-row').count()).toBe(0);
    await drawer.getByTestId('basis-type-bp_readings').click();
    await expect.poll(() => drawer.getByTestId('bp-reading-row').count()).toBe(3);
    // without the certificate the form refuses, at the attachments
    await doctor.getByTestId('filing-submit').click();
    await expectText(drawer.getByTestId('attachment-picker').locator('.ant-form-item-explain-error'), /诊断证明/);
    await drawer.getByTestId('attachment-picker').locator('input[type=file]').setInputFiles({ name: '诊断证明.png', mimeType: 'image/png', buffer: gradientPng() });
    await expect.poll(() => drawer.getByTestId('attachment-pending').count()).toBe(1);
    await expectText(drawer.getByTestId('attachment-pending').locator('.ant-select-content, .ant-select-selection-item').first(), '诊断证明');
    await drawer.getByTestId('attachment-pending').scrollIntoViewIfNeeded();
    await shot(doctor, 'evidence-fix');
    await fits(doctor, 'fix drawer');
    await doctor.getByTestId('filing-submit').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('reviewer sees the certificate inline and approves', async () => {
    await openInQueue();
    const drawer = reviewer.getByTestId('review-drawer');
    const image = drawer.getByTestId('attachment-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    await image.scrollIntoViewIfNeeded();
    await shot(reviewer, 'evidence-inline');
    await fits(reviewer, 'review drawer');
    await reviewer.getByTestId('review-approve').click();
    await reviewer.getByTestId('decision-submit').click();
    await reviewer.getByTestId('decision-submit').waitFor({ state: 'hidden' });
    await reviewer.goto('/review-queue');
    await reviewer.getByTestId('queue-filter-basis').waitFor();
    await fits(reviewer, 'queue with filters');
    await shot(reviewer, 'evidence-queue');
  });

  it('doctor finds it among the filings approved since last seen', async () => {
    await doctor.goto('/registrations');
    const since = doctor.getByTestId('approved-since');
    await expectText(since, new RegExp(NAME));
    await fits(doctor, 'approved since');
    await shot(doctor, 'evidence-approved-since');
    await since.getByTestId('approved-since-seen').click();
    await since.waitFor({ state: 'hidden' });
    await doctor.reload();
    await doctor.getByTestId('status-returned').waitFor();
    await doctor.waitForLoadState('networkidle');
    expect(await doctor.getByTestId('approved-since').count()).toBe(0);
  });
});
