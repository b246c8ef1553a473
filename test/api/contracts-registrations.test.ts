// The chain that makes a benefit: sign → file → return → fix → approve → change → revoke,
// with eligibility checked at dates around each step and every transition kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyBook } from '../../src/core/policyBook';
import { testApp, type TestApp } from '../helpers/app';
import { newResident } from '../helpers/people';

let t: TestApp;
let doctor: string;
let reviewer: string;
beforeAll(async () => {
  t = await testApp();
  [doctor, reviewer] = await Promise.all([t.login('doctor'), t.login('reviewer')]);
});
afterAll(() => t.close());

const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
/** Moves the clock to 10:00 in Shanghai on that day, and signs in again (sessions last hours, not months). */
async function setToday(date: string) {
  t.clock.now = new Date(`${date}T02:00:00Z`);
  [doctor, reviewer] = await Promise.all([t.login('doctor'), t.login('reviewer')]);
}
async function doctorTown() {
  return (await call(doctor, 'GET', '/api/teams/mine')).json().region.code as string;
}
const consent = (name: string, signedAt = '2026-06-15T09:00:00+08:00') => ({ signer: 'self', signerName: name, signedAt });
const eligibility = async (personId: string, date: string) =>
  (await call(doctor, 'GET', `/api/people/${personId}/eligibility?date=${date}`)).json() as { benefits: Array<{ disease: string; applies: boolean; reason: string }>; contract: unknown; prescription: unknown[] };
const benefit = async (personId: string, date: string, disease = 'hypertension') => (await eligibility(personId, date)).benefits.find((b) => b.disease === disease)!;

const bpBasis = { type: 'bp_readings', readings: [{ date: '2026-06-01', systolic: 152, diastolic: 94 }, { date: '2026-06-05', systolic: 148, diastolic: 92 }, { date: '2026-06-10', systolic: 150, diastolic: 96 }] };

describe('contract and registration chain', () => {
  let person: { id: string; name: string };
  let contractId: string;
  let filingId: string;
  let amlodipine: string;

  it('lists diagnosed residents of the team’s town who are not yet contracted', async () => {
    await setToday('2026-06-15');
    const seeded = await newResident(t.database.db, { regionCode: await doctorTown(), diseases: ['hypertension'], name: '签约测试' });
    const res = await call(doctor, 'GET', '/api/team/patients?list=unsigned&disease=hypertension&limit=200');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i: { contract: unknown; conditions: Array<{ code: string }> }) => i.contract === null && i.conditions.some((c) => c.code === 'hypertension'))).toBe(true);
    person = items.find((i: { person: { id: string } }) => i.person.id === seeded.id).person;
    const drugs = (await call(doctor, 'GET', '/api/drugs?disease=hypertension')).json();
    amlodipine = drugs.find((d: { genericNameZh: string }) => d.genericNameZh === '苯磺酸氨氯地平片').code;
  });

  it('refuses a filing before there is a contract', async () => {
    const res = await call(doctor, 'POST', '/api/filings', { personId: person.id, kind: 'initial', diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: bpBasis }], prescription: [{ drugCode: amlodipine, dose: '5mg', frequency: 'qd', daysSupply: 30, dispensing: 'own' }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].rule).toBe('not_contracted');
  });

  it('signs a contract with the basic and hypertension packages', async () => {
    const res = await call(doctor, 'POST', '/api/contracts', { personId: person.id, packages: ['basic', 'hypertension'], consent: consent(person.name) });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    contractId = c.id;
    expect(c).toMatchObject({ startDate: '2026-06-15', endDate: '2027-06-14', status: 'active', inForce: true });
    expect(c.history.map((h: { action: string }) => h.action)).toEqual(['sign']);
    const again = await call(doctor, 'POST', '/api/contracts', { personId: person.id, packages: ['basic'], consent: consent(person.name) });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].rule).toBe('one_active_contract');
    expect((await benefit(person.id, '2026-06-20')).reason).toBe('not_registered');
  });

  it('validates the filing: diagnosis basis, drug fit and supply days, each named', async () => {
    const res = await call(doctor, 'POST', '/api/filings', {
      personId: person.id, kind: 'initial',
      diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: { type: 'bp_readings', readings: [{ date: '2026-06-01', systolic: 300, diastolic: 94 }] } }],
      prescription: [{ drugCode: 'D0040', dose: '1片', frequency: 'qd', daysSupply: 90, dispensing: 'own' }],
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(fields).toContain('body.diseases.0.basis.readings.0.systolic:max');
    expect(fields).toContain('body.diseases.0.basis.readings:three_raised_days');
    expect(fields).toContain('body.prescription.0.daysSupply:max_days_supply');
    // nothing was written
    expect((await call(doctor, 'GET', '/api/filings?status=submitted')).json().items.some((f: { person: { id: string } }) => f.person.id === person.id)).toBe(false);
  });

  it('files a registration that waits for review', async () => {
    const res = await call(doctor, 'POST', '/api/filings', {
      personId: person.id, kind: 'initial',
      diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: bpBasis }],
      prescription: [{ drugCode: amlodipine, dose: '5mg', frequency: 'qd', daysSupply: 30, dispensing: 'own' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    filingId = res.json().id;
    expect(res.json().status).toBe('submitted');
    expect((await benefit(person.id, '2026-06-20')).reason).toBe('registration_pending');
    const second = await call(doctor, 'POST', '/api/filings', { personId: person.id, kind: 'initial', diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: bpBasis }], prescription: [{ drugCode: amlodipine, dose: '5mg', frequency: 'qd', daysSupply: 30, dispensing: 'own' }] });
    expect(second.statusCode).toBe(409);
    expect(second.json().errors[0].rule).toBe('open_filing_exists');
  });

  it('shows it in the county reviewer’s queue with its ageing, and the reviewer returns it', async () => {
    await setToday('2026-06-18');
    const queue = (await call(reviewer, 'GET', `/api/filings?q=${encodeURIComponent(person.name)}`)).json();
    const row = queue.items.find((f: { id: string }) => f.id === filingId);
    expect(row).toMatchObject({ status: 'submitted', ageDays: 3, kind: 'initial' });
    // the queue shows the number masked; the reviewer verifying identity reveals it, audited
    expect(row.person.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect((await call(reviewer, 'GET', `/api/people/${row.person.id}/id-number`)).json().idNumber).toMatch(/^\d{17}[\dX]$/);
    const res = await call(reviewer, 'POST', `/api/filings/${filingId}/return`, { reason: '请补充用药剂量说明' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('returned');
    expect((await benefit(person.id, '2026-06-20')).reason).toBe('registration_returned');
  });

  it('refuses to approve a returned filing', async () => {
    const res = await call(reviewer, 'POST', `/api/filings/${filingId}/approve`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].rule).toBe('filing_not_submitted');
  });

  it('lets the doctor see the reason, fix and resubmit', async () => {
    const attention = (await call(doctor, 'GET', '/api/team/patients?list=attention')).json();
    expect(attention.items.find((i: { person: { id: string } }) => i.person.id === person.id).registrations[0]).toMatchObject({ state: 'returned', filingId });
    const mine = (await call(doctor, 'GET', '/api/filings?status=returned')).json();
    expect(mine.items.find((f: { id: string }) => f.id === filingId).decisionReason).toBe('请补充用药剂量说明');
    const res = await call(doctor, 'PUT', `/api/filings/${filingId}`, {
      diseases: [{ code: 'hypertension', diagnosedOn: '2026-06-10', basis: bpBasis }],
      prescription: [{ drugCode: amlodipine, dose: '5mg 每日一次', frequency: 'qd', daysSupply: 60, dispensing: 'own' }],
      note: '已补充剂量说明',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('submitted');
  });

  it('approves with an effective date; the benefit applies from that day', async () => {
    await setToday('2026-06-20');
    const res = await call(reviewer, 'POST', `/api/filings/${filingId}/approve`, { effectiveDate: '2026-06-21' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', effectiveDate: '2026-06-21', confirmation: 'agency' });
    expect((await benefit(person.id, '2026-06-20')).reason).toBe('registration_not_yet_effective');
    const on = await eligibility(person.id, '2026-06-21');
    expect(on.benefits.find((b) => b.disease === 'hypertension')).toMatchObject({ applies: true, reason: 'eligible' });
    expect(on.prescription).toHaveLength(1);
    expect(on.benefits.find((b) => b.disease === 'diabetes')!.reason).toBe('not_registered');
    const history = (await call(reviewer, 'GET', `/api/filings/${filingId}`)).json().history.map((h: { from: string | null; to: string }) => `${h.from}>${h.to}`);
    expect(history).toEqual(['null>submitted', 'submitted>returned', 'returned>submitted', 'submitted>approved']);
  });

  it('files a medication change; the reviewer sees before → after; approval replaces the prescription', async () => {
    await setToday('2026-07-01');
    const drugs = (await call(doctor, 'GET', '/api/drugs?disease=hypertension')).json();
    const valsartan = drugs.find((d: { genericNameZh: string }) => d.genericNameZh.includes('缬沙坦')).code;
    const res = await call(doctor, 'POST', '/api/filings', { personId: person.id, kind: 'change', changeReason: 'medication_change', prescription: [{ drugCode: valsartan, dose: '80mg', frequency: 'qd', daysSupply: 30, dispensing: 'own' }] });
    expect(res.statusCode, res.body).toBe(201);
    const detail = (await call(reviewer, 'GET', `/api/filings/${res.json().id}`)).json();
    expect(detail.before.prescription.map((l: { drugCode: string }) => l.drugCode)).toEqual([amlodipine]);
    expect(detail.prescription.map((l: { drugCode: string }) => l.drugCode)).toEqual([valsartan]);
    expect(detail.before.registrations.map((r: { disease: string }) => r.disease)).toEqual(['hypertension']);
    const batch = await call(reviewer, 'POST', '/api/filings/approve', { ids: [res.json().id, filingId] });
    expect(batch.json().results.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]); // the second was approved already
    expect((await eligibility(person.id, '2026-07-02')).prescription.map((l) => (l as { drugCode: string }).drugCode)).toEqual([valsartan]);
    expect((await eligibility(person.id, '2026-06-25')).prescription.map((l) => (l as { drugCode: string }).drugCode)).toEqual([amlodipine]);
  });

  it('revokes the registration; the benefit ends on the effective date', async () => {
    await setToday('2026-08-01');
    const res = await call(doctor, 'POST', '/api/filings', { personId: person.id, kind: 'revocation', revocationReason: 'moved_out' });
    expect(res.statusCode, res.body).toBe(201);
    await call(reviewer, 'POST', `/api/filings/${res.json().id}/approve`, { effectiveDate: '2026-08-05' });
    expect((await benefit(person.id, '2026-08-04')).applies).toBe(true);
    expect(await benefit(person.id, '2026-08-05')).toMatchObject({ applies: false, reason: 'registration_ended' });
    expect((await eligibility(person.id, '2026-08-05')).prescription).toEqual([]);
  });

  it('renews only inside the last 30 days and terminates with a reason; history complete', async () => {
    await setToday('2027-05-01');
    const early = await call(doctor, 'POST', `/api/contracts/${contractId}/renew`, { consent: consent(person.name, '2027-05-01T09:00:00+08:00') });
    expect(early.statusCode).toBe(409);
    expect(early.json().errors[0].rule).toBe('renewal_window');
    await setToday('2027-05-20');
    const expiring = (await call(doctor, 'GET', '/api/team/patients?list=expiring&limit=200')).json();
    expect(expiring.items.some((i: { person: { id: string } }) => i.person.id === person.id)).toBe(true);
    const renewed = await call(doctor, 'POST', `/api/contracts/${contractId}/renew`, { consent: consent(person.name, '2027-05-20T09:00:00+08:00') });
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(renewed.json()).toMatchObject({ startDate: '2027-06-15', endDate: '2028-06-14', previousContractId: contractId });
    const terminated = await call(doctor, 'POST', `/api/contracts/${renewed.json().id}/terminate`, { reason: '迁出本辖区', terminatedOn: '2027-07-01' });
    expect(terminated.statusCode, terminated.body).toBe(200);
    expect((await eligibility(person.id, '2027-06-30')).contract).not.toBeNull();
    expect((await eligibility(person.id, '2027-07-01')).contract).toBeNull();
    const contracts = (await call(doctor, 'GET', `/api/people/${person.id}/contracts`)).json();
    expect(contracts.map((c: { status: string }) => c.status)).toEqual(['terminated', 'renewed']);
    expect(contracts[1].history.map((h: { action: string }) => h.action)).toEqual(['sign', 'renew']);
    expect(contracts[0].history.map((h: { action: string }) => h.action)).toEqual(['sign', 'terminate']);
    const terminateAgain = await call(doctor, 'POST', `/api/contracts/${renewed.json().id}/terminate`, { reason: '重复操作' });
    expect(terminateAgain.json().errors[0].rule).toBe('terminate_active_only');
  });
});

describe('roles and scope', () => {
  it('keeps reviewers from filing and doctors from reviewing', async () => {
    await setToday('2026-06-15');
    const anyFiling = (await call(reviewer, 'GET', '/api/filings')).json().items[0];
    expect((await call(doctor, 'POST', `/api/filings/${anyFiling.id}/approve`, {})).statusCode).toBe(403);
    expect((await call(reviewer, 'POST', '/api/contracts', { personId: anyFiling.person.id, packages: ['basic'], consent: consent('x') })).statusCode).toBe(403);
  });
  it('keeps another county’s reviewer out of this county’s filings', async () => {
    const other = await t.login('reviewer-330411');
    const mine = (await call(reviewer, 'GET', '/api/filings')).json().items[0];
    expect((await call(other, 'GET', `/api/filings/${mine.id}`)).statusCode).toBe(403);
    expect((await call(other, 'POST', `/api/filings/${mine.id}/approve`, {})).statusCode).toBe(403);
    expect((await call(other, 'GET', '/api/filings')).json().items.every((f: { id: string }) => f.id !== mine.id)).toBe(true);
  });
  it('keeps a doctor from signing a resident of another town', async () => {
    const me = (await call(doctor, 'GET', '/api/teams/mine')).json();
    const outsider = await t.database.db.selectFrom('person').select(['id', 'name']).where('region_code', '!=', me.region.code).limit(1).executeTakeFirstOrThrow();
    const res = await call(doctor, 'POST', '/api/contracts', { personId: outsider.id, packages: ['basic'], consent: consent(outsider.name) });
    expect(res.statusCode).toBe(403);
    expect(me.members.map((m: { role: string }) => m.role).sort()).toEqual(['gp', 'nurse', 'public_health', 'specialist']);
  });
  it('shows a patient their own contract and benefits', async () => {
    const patient = await t.login('patient');
    const contracts = (await call(patient, 'GET', '/api/people/me/contracts')).json();
    expect(contracts[0].status).toBe('active');
    const team = (await call(patient, 'GET', '/api/teams/mine')).json();
    expect(team.id).toBe(contracts[0].team.id);
    expect(team.members.length).toBeGreaterThanOrEqual(3);
    const elig = (await call(patient, 'GET', '/api/people/me/eligibility?date=2026-06-15')).json();
    expect(elig.benefits.find((b: { disease: string }) => b.disease === 'hypertension').applies).toBe(true);
  });
});

describe('one-stop identification', () => {
  it('lets a designated grassroots institution confirm directly where the policy says so (Zhenjiang, seed 001)', async () => {
    await setToday('2026-06-15');
    const me = (await call(doctor, 'GET', '/api/teams/mine')).json();
    // Jiaxing's file sets no one-stop confirmation; a policy book whose Jiaxing file does
    const shipped = t.ctx.policies;
    t.ctx.policies = new PolicyBook(shipped.all.map((e) => (e.id === 'jiaxing-2021' ? { id: e.id, policy: { ...e.policy, registration: { one_stop_levels: ['grassroots'], local: 'test' } } } : e)));
    const seeded = await newResident(t.database.db, { regionCode: me.region.code, diseases: ['diabetes'], name: '一站式' });
    const unsigned = { person: seeded };
    await call(doctor, 'POST', '/api/contracts', { personId: unsigned.person.id, packages: ['basic', 'diabetes'], consent: consent(unsigned.person.name) });
    const drugs = (await call(doctor, 'GET', '/api/drugs?disease=diabetes')).json();
    const res = await call(doctor, 'POST', '/api/filings', {
      personId: unsigned.person.id, kind: 'initial',
      diseases: [{ code: 'diabetes', diagnosedOn: '2026-06-01', basis: { type: 'glucose', date: '2026-06-01', fastingGlucose: 7.4 } }],
      prescription: [{ drugCode: drugs[0].code, dose: '0.5g', frequency: 'bid', daysSupply: 30, dispensing: 'own' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'approved', confirmation: 'one_stop', effectiveDate: '2026-06-15' });
    expect(res.json().diseases[0].basis.fastingGlucose).toBe(7.4);
    expect((await benefit(unsigned.person.id, '2026-06-15', 'diabetes')).applies).toBe(true);
    t.ctx.policies = shipped;
  });

  it('without one-stop confirmation in the policy, the filing waits for the agency', async () => {
    await setToday('2026-06-15');
    const me = (await call(doctor, 'GET', '/api/teams/mine')).json();
    const seeded = await newResident(t.database.db, { regionCode: me.region.code, diseases: ['diabetes'], name: '待审核' });
    await call(doctor, 'POST', '/api/contracts', { personId: seeded.id, packages: ['basic', 'diabetes'], consent: consent(seeded.name) });
    const drugs = (await call(doctor, 'GET', '/api/drugs?disease=diabetes')).json();
    const filing = (extra: object) => call(doctor, 'POST', '/api/filings', {
      personId: seeded.id, kind: 'initial',
      diseases: [{ code: 'diabetes', diagnosedOn: '2026-06-01', basis: { type: 'glucose', date: '2026-06-01', fastingGlucose: 7.4 } }],
      prescription: [{ drugCode: drugs[0].code, dose: '0.5g', frequency: 'bid', daysSupply: 30, dispensing: 'own', ...extra }],
    });
    // Jiaxing's file allows 84 days (12 weeks), not the 60 once hard-coded, and no more
    const tooLong = await filing({ daysSupply: 85 });
    expect(tooLong.json().errors[0]).toMatchObject({ field: 'body.prescription.0.daysSupply', rule: 'max_days_supply' });
    const res = await filing({ daysSupply: 84 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'submitted', confirmation: null });
  });
});

// Issue 11: a scanned consent form of up to 5 MB goes through (base64 in JSON, the route's own body
// limit), a larger one is 413, one that is not a PDF, JPEG or PNG by content (or whose name says
// otherwise) is 415; a patient downloads the form of their own contract and nobody else's.
describe('consent form upload and download', () => {
  const MiB = 1024 * 1024;
  const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(bytes - 15, 0x20), Buffer.from('\n%%EOF')]);
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fcff9f0100050001ff5d9bb1b70000000049454e44ae426082', 'hex');
  const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64), Buffer.from('ffd9', 'hex')]);
  const sign = async (form: { name: string; content: Buffer }) => {
    const person = await newResident(t.database.db, { regionCode: await doctorTown(), diseases: ['hypertension'], name: '扫描件' });
    return call(doctor, 'POST', '/api/contracts', { personId: person.id, packages: ['basic'], consent: { ...consent(person.name), form: { name: form.name, contentBase64: form.content.toString('base64') } } });
  };
  let signedWithForm: { id: string; personId: string };
  let formBytes: Buffer;

  it('accepts a 5 MB PDF (over the 1 MiB default body limit) and gives it back to staff', async () => {
    await setToday('2026-06-15');
    formBytes = pdf(5 * MiB);
    const res = await sign({ name: '签约协议.pdf', content: formBytes });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    signedWithForm = res.json();
    expect(res.json().consent.formName).toBe('签约协议.pdf');
    const file = await call(doctor, 'GET', `/api/contracts/${signedWithForm.id}/consent-form`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(formBytes)).toBe(true);
    expect((await sign({ name: 'scan.JPG', content: jpeg })).statusCode).toBe(201);
    expect((await sign({ name: 'scan.png', content: png })).statusCode).toBe(201);
  });

  it('refuses a larger file with 413 Payload Too Large, at the field or at the route’s body limit', async () => {
    const justOver = await sign({ name: 'big.pdf', content: pdf(5 * MiB + 1) });
    expect(justOver.statusCode).toBe(413);
    expect(justOver.headers['content-type']).toContain('application/problem+json');
    expect(justOver.json()).toMatchObject({ status: 413, title: 'Payload Too Large', errors: [{ field: 'body.consent.form.contentBase64', rule: 'max_size' }] });
    const far = await sign({ name: 'bigger.pdf', content: pdf(6 * MiB) });
    expect(far.statusCode).toBe(413);
    expect(far.headers['content-type']).toContain('application/problem+json');
    expect(far.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
  });

  it('checks the type by content: 415 Unsupported Media Type naming the field', async () => {
    const renamed = await sign({ name: 'scan.pdf', content: png });
    expect(renamed.statusCode).toBe(415);
    expect(renamed.headers['content-type']).toContain('application/problem+json');
    expect(renamed.json()).toMatchObject({ status: 415, title: 'Unsupported Media Type', errors: [{ field: 'body.consent.form.name', rule: 'media_type_matches_name' }] });
    const text = await sign({ name: 'consent.pdf', content: Buffer.from('I agree to the family-doctor contract.\n') });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ title: 'Unsupported Media Type', errors: [{ field: 'body.consent.form.contentBase64', rule: 'media_type' }] });
    const gif = await sign({ name: 'scan.gif', content: Buffer.from('474946383961010001000000002c00000000010001000002024401003b', 'hex') });
    expect(gif.json()).toMatchObject({ status: 415, errors: [{ field: 'body.consent.form.contentBase64', rule: 'media_type' }] });
  });

  it('lets a patient download the form of their own contract, and nobody else’s', async () => {
    const patient = await t.login('patient');
    const own = (await call(patient, 'GET', '/api/people/me/contracts')).json()[0] as { id: string; personId: string };
    const url = (id: string) => `/api/people/me/contracts/${id}/consent-form`;
    expect((await call(patient, 'GET', url(own.id))).statusCode).toBe(404); // no form attached yet
    await t.database.db.updateTable('contract').set({ consent_form: png, consent_form_name: '协议.png' }).where('id', '=', own.id).execute();
    const mine = await call(patient, 'GET', url(own.id));
    expect(mine.statusCode).toBe(200);
    expect(mine.rawPayload.equals(png)).toBe(true);
    expect(mine.headers['content-disposition']).toContain(encodeURIComponent('协议.png'));
    // another person's contract: not through the patient's route, nor the staff one
    expect(signedWithForm.personId).not.toBe(own.personId);
    expect((await call(patient, 'GET', url(signedWithForm.id))).statusCode).toBe(403);
    expect((await call(patient, 'GET', `/api/contracts/${signedWithForm.id}/consent-form`)).statusCode).toBe(403);
    expect((await call(patient, 'GET', url('00000000-0000-4000-8000-000000000000'))).statusCode).toBe(403); // refused alike: nobody learns which contracts exist
    // the patient route is the patient's only
    expect((await call(doctor, 'GET', url(own.id))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: url(own.id) })).statusCode).toBe(401);
  });
});

// Issue 11: implausible contracts are refused — each a 400 naming the field and the rule — in sign and renew.
describe('plausible contract dates, consent and packages', () => {
  const rules = (res: { json(): { errors?: Array<{ field: string; rule: string }> } }) => (res.json().errors ?? []).map((e) => `${e.field}:${e.rule}`);
  const resident = async () => newResident(t.database.db, { regionCode: await doctorTown(), diseases: ['hypertension'], name: '日期测试' });
  const sign = async (body: object, consentAt?: string) => {
    const person = await resident();
    return call(doctor, 'POST', '/api/contracts', { personId: person.id, packages: ['basic'], consent: consent(person.name, consentAt), ...body });
  };

  it('refuses an end in 9999, a start in 2099, consent signed in 1900 or tomorrow, and a package three times', async () => {
    await setToday('2026-06-15');
    const farEnd = await sign({ endDate: '9999-12-31' });
    expect(farEnd.statusCode).toBe(400);
    expect(rules(farEnd)).toEqual(['body.endDate:at_most_three_years']);
    const farStart = await sign({ startDate: '2099-01-01' });
    expect(rules(farStart)).toEqual(['body.startDate:within_a_year']);
    expect(rules(await sign({}, '1900-01-01T09:00:00+08:00'))).toEqual(['body.consent.signedAt:consent_recent']);
    expect(rules(await sign({}, '2026-06-16T09:00:00+08:00'))).toEqual(['body.consent.signedAt:not_in_future']);
    expect(rules(await sign({ packages: ['basic', 'hypertension', 'hypertension', 'hypertension'] }))).toEqual(['body.packages:unique']);
    expect(rules(await sign({ startDate: '2026-06-15', endDate: '2026-06-15' }))).toEqual(['body.endDate:after_start']);
    // every broken rule at once
    const all = await sign({ startDate: '2099-01-01', endDate: '9999-12-31', packages: ['basic', 'basic'] }, '1900-01-01T00:00:00+08:00');
    expect(all.statusCode).toBe(400);
    expect(rules(all).sort()).toEqual(['body.consent.signedAt:consent_recent', 'body.endDate:at_most_three_years', 'body.packages:unique', 'body.startDate:within_a_year']);
  });

  it('accepts the edges: a start a year ahead, a 3-year term, consent 30 days before the start', async () => {
    const ahead = await sign({ startDate: '2027-06-15', endDate: '2030-06-14' });
    expect(ahead.statusCode, ahead.body).toBe(201);
    expect(rules(await sign({ startDate: '2027-06-16' }))).toEqual(['body.startDate:within_a_year']);
    expect(rules(await sign({ startDate: '2026-07-01', endDate: '2029-07-01' }))).toEqual(['body.endDate:at_most_three_years']);
    // backdated 30 days, consent given 30 days before that start; one day earlier is too early
    expect((await sign({ startDate: '2026-05-16' }, '2026-04-16T09:00:00+08:00')).statusCode).toBe(201);
    expect(rules(await sign({ startDate: '2026-05-16' }, '2026-04-15T09:00:00+08:00'))).toEqual(['body.consent.signedAt:consent_recent']);
    // a start 31 days back is still refused as before
    expect(rules(await sign({ startDate: '2026-05-15' }))).toEqual(['body.startDate:not_backdated']);
  });

  it('applies the consent and package rules to renewals too', async () => {
    const signed = await sign({ startDate: '2026-05-16', endDate: '2026-07-10' });
    expect(signed.statusCode, signed.body).toBe(201);
    const name = signed.json().consent.signerName as string;
    const renew = (body: object) => call(doctor, 'POST', `/api/contracts/${signed.json().id}/renew`, body);
    expect(rules(await renew({ consent: consent(name, '1900-01-01T09:00:00+08:00') }))).toEqual(['body.consent.signedAt:consent_recent']);
    expect(rules(await renew({ consent: consent(name, '2027-01-01T09:00:00+08:00') }))).toEqual(['body.consent.signedAt:not_in_future']);
    expect(rules(await renew({ packages: ['basic', 'basic', 'basic'], consent: consent(name) }))).toEqual(['body.packages:unique']);
    const renewed = await renew({ consent: consent(name) });
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(renewed.json()).toMatchObject({ startDate: '2026-07-11', endDate: '2027-07-10' });
  });
});
