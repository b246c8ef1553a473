// The return-and-fix loop (issue 13): evidence attached to a filing (by content, ≤ 10 MB), read by the
// reviewer with its content type and by no other team, a return with a preset reason asking for a
// certificate that reaches the doctor, the fix that attaches it and resubmits, and the queue's filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';
import { newResident } from '../helpers/people';

let t: TestApp;
let doctor: string;
let reviewer: string;
let otherDoctor: string;
beforeAll(async () => {
  t = await testApp();
  t.clock.now = new Date('2026-06-15T02:00:00Z');
  [doctor, reviewer, otherDoctor] = await Promise.all([t.login('doctor'), t.login('reviewer'), t.login('doctor-002')]);
});
afterAll(() => t.close());

const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const MiB = 1024 * 1024;
const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(bytes - 15, 0x20), Buffer.from('\n%%EOF')]);
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fcff9f0100050001ff5d9bb1b70000000049454e44ae426082', 'hex');
const file = (kind: string, name: string, content: Buffer) => ({ kind, name, contentBase64: content.toString('base64') });
const bpBasis = { type: 'bp_readings', readings: [{ date: '2026-06-01', systolic: 152, diastolic: 94 }, { date: '2026-06-05', systolic: 148, diastolic: 92 }, { date: '2026-06-10', systolic: 150, diastolic: 96 }] };

describe('filing evidence and the return-and-fix loop', () => {
  let person: { id: string; name: string };
  let filing: { id: string; team: { id: string }; attachments: Array<{ id: string; kind: string; mediaType: string; url: string }> };
  let body: (attachments?: object[]) => object;
  const labReport = pdf(64 * 1024);

  it('refuses an attachment that is not what its name says, or over 10 MB', async () => {
    const town = (await call(doctor, 'GET', '/api/teams/mine')).json().region.code as string;
    person = await newResident(t.database.db, { regionCode: town, diseases: ['hypertension'], name: '附件测试' });
    const signed = await call(doctor, 'POST', '/api/contracts', { personId: person.id, packages: ['basic', 'hypertension'], consent: { signer: 'self', signerName: person.name, signedAt: '2026-06-15T09:00:00+08:00' } });
    expect(signed.statusCode, signed.body).toBe(201);
    const drugs = (await call(doctor, 'GET', '/api/drugs?disease=hypertension')).json();
    const amlodipine = drugs.find((d: { genericNameZh: string }) => d.genericNameZh === '苯磺酸氨氯地平片').code;
    body = (attachments) => ({
      personId: person.id, kind: 'initial', diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: bpBasis }],
      prescription: [{ drugCode: amlodipine, dose: '5mg', frequency: 'qd', daysSupply: 30, dispensing: 'own' }],
      ...(attachments ? { attachments } : {}),
    });

    const renamed = await call(doctor, 'POST', '/api/filings', body([file('lab_report', '化验单.pdf', png)]));
    expect(renamed.statusCode).toBe(415);
    expect(renamed.json()).toMatchObject({ title: 'Unsupported Media Type', errors: [{ field: 'body.attachments.0.name', rule: 'media_type_matches_name' }] });
    const text = await call(doctor, 'POST', '/api/filings', body([file('lab_report', 'report.pdf', Buffer.from('not really a PDF\n'))]));
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ errors: [{ field: 'body.attachments.0.contentBase64', rule: 'media_type' }] });
    const big = await call(doctor, 'POST', '/api/filings', body([file('lab_report', 'big.pdf', pdf(10 * MiB + 1))]));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ status: 413, title: 'Payload Too Large', errors: [{ field: 'body.attachments.0.contentBase64', rule: 'attachment_max_size' }] });
    // nothing was filed by the refusals
    expect((await call(doctor, 'GET', `/api/filings?status=submitted&q=${encodeURIComponent(person.name)}&limit=200`)).json().items.filter((i: { person: { id: string } }) => i.person.id === person.id)).toHaveLength(0);
  });

  it('accepts a 10 MB PDF and a lab report with the filing, and lists them', async () => {
    const res = await call(doctor, 'POST', '/api/filings', body([file('lab_report', '检验报告.pdf', labReport), file('other', 'scan.png', png)]));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    filing = res.json();
    expect(filing.attachments.map((a) => [a.kind, a.mediaType])).toEqual([['lab_report', 'application/pdf'], ['other', 'image/png']]);
    // the limit itself passes (on a filing of its own person: one open filing per disease)
    const other = await newResident(t.database.db, { regionCode: (await call(doctor, 'GET', '/api/teams/mine')).json().region.code, diseases: ['hypertension'], name: '大附件' });
    await call(doctor, 'POST', '/api/contracts', { personId: other.id, packages: ['basic'], consent: { signer: 'self', signerName: other.name, signedAt: '2026-06-15T09:00:00+08:00' } });
    const limit = await call(doctor, 'POST', '/api/filings', { ...body([file('discharge_summary', '出院小结.pdf', pdf(10 * MiB))]), personId: other.id });
    expect(limit.statusCode, limit.body.slice(0, 300)).toBe(201);
  });

  it('gives the reviewer each attachment inline with its content type, and another team 403', async () => {
    const seen = (await call(reviewer, 'GET', `/api/filings/${filing.id}`)).json();
    expect(seen.attachments).toHaveLength(2);
    const byKind = (kind: string) => (seen.attachments as Array<{ kind: string; url: string }>).find((a) => a.kind === kind)!;
    const pdfRes = await call(reviewer, 'GET', byKind('lab_report').url);
    expect(pdfRes.statusCode).toBe(200);
    expect(pdfRes.headers['content-type']).toBe('application/pdf');
    expect(pdfRes.headers['content-disposition']).toMatch(/^inline; filename\*=UTF-8''/);
    expect(pdfRes.rawPayload.equals(labReport)).toBe(true);
    const pngRes = await call(reviewer, 'GET', byKind('other').url);
    expect(pngRes.headers['content-type']).toBe('image/png');
    expect(pngRes.rawPayload.equals(png)).toBe(true);
    expect((await call(doctor, 'GET', byKind('lab_report').url)).statusCode).toBe(200);
    expect((await call(otherDoctor, 'GET', byKind('lab_report').url)).statusCode).toBe(403);
    expect((await call(otherDoctor, 'GET', `/api/filings/${filing.id}`)).statusCode).toBe(403);
    // an attachment id of another filing is not found through this one
    expect((await call(reviewer, 'GET', `/api/filings/${filing.id}/attachments/${crypto.randomUUID()}`)).statusCode).toBe(404);
  });

  it('narrows the queue by team, institution and diagnosis basis', async () => {
    const teams = (await call(reviewer, 'GET', '/api/filings/teams')).json() as Array<{ team: { id: string }; institution: { id: string }; filings: number }>;
    const mine = teams.find((x) => x.team.id === filing.team.id)!;
    expect(mine.filings).toBeGreaterThanOrEqual(2);
    const ids = async (query: string) => {
      const res = await call(reviewer, 'GET', `/api/filings?limit=200&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; items: Array<{ id: string; team: { id: string }; institution: { id: string } }> };
    };
    const all = await ids('');
    const byTeam = await ids(`teamId=${mine.team.id}`);
    expect(byTeam.total).toBe(mine.filings);
    expect(byTeam.items.every((i) => i.team.id === mine.team.id)).toBe(true);
    expect(byTeam.items.map((i) => i.id)).toContain(filing.id);
    const byInstitution = await ids(`institutionId=${mine.institution.id}`);
    expect(byInstitution.items.every((i) => i.institution.id === mine.institution.id)).toBe(true);
    expect(byInstitution.total).toBe(teams.filter((x) => x.institution.id === mine.institution.id).reduce((n, x) => n + x.filings, 0));
    expect(byInstitution.total).toBeLessThanOrEqual(all.total);
    const bp = await ids(`teamId=${mine.team.id}&basis=bp_readings`);
    expect(bp.items.map((i) => i.id)).toContain(filing.id);
    const glucose = await ids(`teamId=${mine.team.id}&basis=glucose`);
    expect(glucose.items.map((i) => i.id)).not.toContain(filing.id);
    expect(bp.total + glucose.total).toBeLessThanOrEqual(byTeam.total + glucose.total); // a filing may rest on both
    const hospital = await ids('basis=hospital_diagnosis');
    expect(hospital.total + bp.total).toBeGreaterThan(0);
    // another team's id narrows to none of this team's
    const other = teams.find((x) => x.team.id !== mine.team.id);
    if (other) expect((await ids(`teamId=${other.team.id}`)).items.map((i) => i.id)).not.toContain(filing.id);
    // a doctor cannot widen the list to another team
    const doctorList = (await call(doctor, 'GET', `/api/filings?status=submitted&limit=200&teamId=${other?.team.id ?? mine.team.id}`)).json();
    expect(doctorList.items.every((i: { team: { id: string } }) => i.team.id === filing.team.id)).toBe(true);
    expect((await call(doctor, 'GET', '/api/filings/teams')).statusCode).toBe(403);
  });

  it('returns with a preset reason and a request for the diagnosis certificate, which reaches the doctor', async () => {
    const bare = await call(reviewer, 'POST', `/api/filings/${filing.id}/return`, { reasonCode: 'other' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors).toMatchObject([{ field: 'body.reason', rule: 'reason_required' }]);
    const res = await call(reviewer, 'POST', `/api/filings/${filing.id}/return`, { reasonCode: 'missing_certificate', requestAttachments: ['diagnosis_certificate'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'returned', decisionReasonCode: 'missing_certificate', decisionReason: null, requestedAttachments: ['diagnosis_certificate'] });
    const returned = (await call(doctor, 'GET', '/api/filings?status=returned&limit=200')).json().items.find((i: { id: string }) => i.id === filing.id);
    expect(returned).toMatchObject({ decisionReasonCode: 'missing_certificate', requestedAttachments: ['diagnosis_certificate'] });
    const detail = (await call(doctor, 'GET', `/api/filings/${filing.id}`)).json();
    expect(detail.history.at(-1)).toMatchObject({ to: 'returned', reasonCode: 'missing_certificate', requestedAttachments: ['diagnosis_certificate'] });
  });

  it('refuses the fix without the requested certificate, and resubmits with it', async () => {
    const { personId: _p, kind: _k, ...fix } = body() as Record<string, unknown>;
    const without = await call(doctor, 'PUT', `/api/filings/${filing.id}`, fix);
    expect(without.statusCode).toBe(400);
    expect(without.json().errors).toMatchObject([{ field: 'body.attachments', rule: 'requested_attachment_missing' }]);
    expect((await call(otherDoctor, 'PUT', `/api/filings/${filing.id}`, { ...fix, attachments: [file('diagnosis_certificate', 'cert.png', png)] })).statusCode).toBe(403);
    const res = await call(doctor, 'PUT', `/api/filings/${filing.id}`, { ...fix, attachments: [file('diagnosis_certificate', '诊断证明.png', png)] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'submitted', decisionReasonCode: null, requestedAttachments: [] });
    expect(res.json().attachments.map((a: { kind: string }) => a.kind).sort()).toEqual(['diagnosis_certificate', 'lab_report', 'other']);
    expect(res.json().history.at(-1)).toMatchObject({ from: 'returned', to: 'submitted', attachments: ['diagnosis_certificate'] });
  });

  it('approves, and the doctor finds it among the filings approved since last seen', async () => {
    const before = t.clock.now.toISOString();
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    expect((await call(reviewer, 'POST', `/api/filings/${filing.id}/approve`, {})).statusCode).toBe(200);
    const since = (await call(doctor, 'GET', `/api/filings?status=approved&decidedSince=${encodeURIComponent(before)}&limit=200`)).json();
    expect(since.items.map((i: { id: string }) => i.id)).toContain(filing.id);
    const later = new Date(t.clock.now.getTime() + 1000).toISOString();
    const none = (await call(doctor, 'GET', `/api/filings?status=approved&decidedSince=${encodeURIComponent(later)}`)).json();
    expect(none.items.map((i: { id: string }) => i.id)).not.toContain(filing.id);
  });
});
