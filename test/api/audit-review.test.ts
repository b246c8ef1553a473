// Issue 15, the smart audit's review through the API (docs/smart-audit.md): a county's reviewer works the
// findings — confirm with a deduction, dismiss with a reason, reopen — with the history kept and a second
// decision refused (409) until reopened, also when two reviewers decide at once; another county's reviewer
// is refused. Random samples of the unflagged claims are drawn again alike from the same seed, and their
// extrapolation is checked against the hand computation below; summaries count per institution and
// doctor, with the doctors' assessment points, and export as CSV.
//
// The test's own period is December 2024 (the demo city's claims are of 2025 and 2026): 42 claims at one
// institution of the reviewer's county, each 40.00 yuan of which the fund pays 25.00, and findings on
// some of them put in place as the audit run writes them.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditDate } from '../../src/modules/smartAudit/service';
import { loadDemoAuditReview } from '../../src/modules/demo/auditReview';
import { testApp, type TestApp } from '../helpers/app';
import { counterPatient } from '../helpers/people';

let t: TestApp;
let reviewer: string;
let colleague: string;
let farReviewer: string;
let admin: string;
let analyst: string;
let county: string;
let institutionId: string;
let doctorUserId: string;
let runId: string;
const claims: Array<{ id: string; person_id: string }> = [];
const F: Record<string, string> = {};
const points: Record<string, number> = {};

const FROM = '2024-12-01';
const TO = '2024-12-07';
const post = (url: string, cookie: string, payload: object = {}) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

async function ensureRule(code: string, subject: 'claim' | 'prescription' | 'doctor') {
  // the rules are synced from data/audit-rules.json at start; a database without the sync gets a stand-in
  await sql`insert into audit_rule (code, version, title_zh, title_en, description_zh, description_en, subject, params, points, active)
    values (${code}, 1, ${`测试规则 ${code}`}, ${`Test rule ${code}`}, '测试', 'test', ${subject}, '{}', 2, true) on conflict do nothing`.execute(t.database.db);
  const r = await t.database.db.selectFrom('audit_rule').select(['version', 'points']).where('code', '=', code).orderBy('version', 'desc').executeTakeFirstOrThrow();
  points[code] = r.points;
  return r.version;
}

async function finding(o: { rule: string; claimId?: string | null; personId: string | null; institutionId: string; countyCode: string; doctorId?: string | null; amountFen: number; date?: string; evidence?: object }) {
  const version = await ensureRule(o.rule, o.claimId ? 'claim' : 'doctor');
  const row = await t.database.db.insertInto('audit_finding').values({
    finding_key: `test:${o.rule}:${o.claimId ?? o.doctorId}:${o.date ?? FROM}`, rule_code: o.rule, rule_version: version, service_date: o.date ?? FROM, county_code: o.countyCode,
    claim_id: o.claimId ?? null, prescription_id: null, person_id: o.personId, institution_id: o.institutionId, doctor_id: o.doctorId ?? null,
    evidence: JSON.stringify(o.evidence ?? { planted: true, rule: o.rule }), amount_fen: o.amountFen, run_id: runId, found_at: new Date('2024-12-08T18:00:00Z'),
  }).returning('id').executeTakeFirstOrThrow();
  await t.database.db.insertInto('audit_finding_event').values({ finding_id: row.id, at: new Date('2024-12-08T18:00:00Z'), user_id: null, action: 'found', from_status: null, to_status: 'open', reason: null, detail: null }).execute();
  return row.id;
}

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  county = (await db.selectFrom('app_user').select('region_code').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).region_code!;
  const far = await db.selectFrom('app_user').select(['username', 'region_code']).where('role', '=', 'insurance_reviewer').where('region_code', '<>', county).orderBy('username').executeTakeFirstOrThrow();
  const hash = (await db.selectFrom('app_user').select('password_hash').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).password_hash;
  await db.insertInto('app_user').values({ username: 'reviewer-colleague', display_name: '同县审核员', role: 'insurance_reviewer', region_code: county, password_hash: hash, demo: true }).execute();
  [reviewer, colleague, farReviewer, admin, analyst] = await Promise.all([t.login('reviewer'), t.login('reviewer-colleague'), t.login(far.username), t.login('admin'), t.login('analyst')]);

  const doctor = await db.selectFrom('app_user as u').innerJoin('family_doctor_team as tm', 'tm.id', 'u.team_id').select(['u.id', 'tm.institution_id']).where('u.username', '=', 'doctor').executeTakeFirstOrThrow();
  doctorUserId = doctor.id;
  institutionId = doctor.institution_id;
  expect((await db.selectFrom('institution').select('county_code').where('id', '=', institutionId).executeTakeFirstOrThrow()).county_code).toBe(county);
  const template = await db.selectFrom('claim').selectAll().where('institution_id', '=', institutionId).limit(1).executeTakeFirstOrThrow();
  const people = await db.selectFrom('person').select('id').where('region_code', 'like', `${county}%`).orderBy('id').limit(42).execute();
  for (const [i, p] of people.entries()) {
    const day = `2024-12-0${1 + (i % 7)}`;
    const c = await db.insertInto('claim').values({
      person_id: p.id, institution_id: institutionId, idempotency_key: `audit-review-${String(i).padStart(4, '0')}`, request_hash: 'test', service_date: day,
      insurance_type: template.insurance_type, institution_level: template.institution_level, policy_id: template.policy_id,
      amount_fen: 4000, fund_pay_fen: 2500, deductible_fen: 0, copay_fen: 1500, over_limit_fen: 0, critical_illness_fen: 0, settled_by: template.settled_by,
    }).returning(['id', 'person_id']).executeTakeFirstOrThrow();
    claims.push(c);
  }
  runId = (await db.insertInto('audit_run').values({ service_date: FROM, trigger: 'cli', started_at: new Date('2024-12-08T18:00:00Z'), finished_at: new Date('2024-12-08T18:00:01Z'), rule_versions: '{}' })
    .returning('id').executeTakeFirstOrThrow()).id;
  // findings on the first claim (two rules), on the second, a doctor's outlier finding, and one in another county
  const elsewhere = await db.selectFrom('claim as c').innerJoin('institution as i', 'i.id', 'c.institution_id').select(['c.id', 'c.person_id', 'i.id as institution_id', 'i.county_code'])
    .where('i.county_code', '<>', county).limit(1).executeTakeFirstOrThrow();
  F.early = await finding({ rule: 'early_refill', claimId: claims[0]!.id, personId: claims[0]!.person_id, institutionId, countyCode: county, doctorId: doctorUserId, amountFen: 1260 });
  // the last supply was bought in another county (a pharmacy there): the evidence names it by id
  F.overlap = await finding({
    rule: 'overlapping_supply', claimId: claims[0]!.id, personId: claims[0]!.person_id, institutionId, countyCode: county, amountFen: 800, date: '2024-12-02',
    evidence: { drugs: [{ drugCode: 'D0001', lastSupply: { claimId: elsewhere.id, serviceDate: '2024-11-20', institutionId: elsewhere.institution_id, daysSupply: 60 }, daysLeft: 48 }] },
  });
  F.split = await finding({ rule: 'split_claims', claimId: claims[1]!.id, personId: claims[1]!.person_id, institutionId, countyCode: county, doctorId: doctorUserId, amountFen: 2500 });
  F.outlier = await finding({ rule: 'prescriber_outlier', personId: null, institutionId, countyCode: county, doctorId: doctorUserId, amountFen: 0, date: '2024-12-03' });
  F.elsewhereInstitution = elsewhere.institution_id;
  F.far = await finding({ rule: 'early_refill', claimId: elsewhere.id, personId: elsewhere.person_id, institutionId: elsewhere.institution_id, countyCode: elsewhere.county_code, amountFen: 500 });
});
afterAll(() => t.close());

describe('the findings queue', () => {
  it('shows the county’s findings, open first and oldest first, with the rule, the claim and the person masked', async () => {
    const res = await get(`/api/smart-audit/findings?from=${FROM}&to=${TO}`, reviewer);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const ids = body.items.map((i: { id: string }) => i.id);
    expect(body.total).toBe(4);
    expect(ids).not.toContain(F.far);
    expect(body.items.map((i: { serviceDate: string }) => i.serviceDate)).toEqual(['2024-12-01', '2024-12-01', '2024-12-02', '2024-12-03']);
    const early = body.items.find((i: { id: string }) => i.id === F.early);
    expect(early.ruleTitle.zh.length).toBeGreaterThan(0);
    expect(early.person.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(early.claim).toMatchObject({ id: claims[0]!.id, amountFen: 4000, fundPayFen: 2500, serviceDate: '2024-12-01', status: 'settled' });
    expect(early.doctor.id).toBe(doctorUserId);
    expect(early.evidence).toEqual({ planted: true, rule: 'early_refill' });
    const outlier = body.items.find((i: { id: string }) => i.id === F.outlier);
    expect([outlier.person, outlier.claim]).toEqual([null, null]);
    // the persons on the page were read, and that is audited beside their records
    const audited = await t.database.db.selectFrom('person_audit').select('person_id').where('entity', '=', 'audit_finding').where('username', '=', 'reviewer').execute();
    expect(audited.map((a) => a.person_id)).toEqual(expect.arrayContaining([claims[0]!.person_id, claims[1]!.person_id]));
  });

  it('filters by rule and pages without overlap', async () => {
    const byRule = (await get(`/api/smart-audit/findings?from=${FROM}&to=${TO}&rule=split_claims`, reviewer)).json();
    expect(byRule.items.map((i: { id: string }) => i.id)).toEqual([F.split]);
    const [p1, p2] = await Promise.all([1, 2].map((page) => get(`/api/smart-audit/findings?from=${FROM}&to=${TO}&pageSize=2&page=${page}`, reviewer)));
    const ids = [...p1!.json().items, ...p2!.json().items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('refuses another county’s reviewer the finding (403), and a role without the permission', async () => {
    expect((await get(`/api/smart-audit/findings/${F.early}`, farReviewer)).statusCode).toBe(403);
    expect((await get(`/api/smart-audit/findings/${F.early}`, analyst)).statusCode).toBe(403);
    const farQueue = (await get(`/api/smart-audit/findings?from=${FROM}&to=${TO}`, farReviewer)).json();
    expect(farQueue.items.map((i: { id: string }) => i.id)).not.toContain(F.early);
    expect((await get(`/api/smart-audit/findings/${F.far}`, reviewer)).statusCode).toBe(403);
    expect((await get(`/api/smart-audit/findings/${F.far}`, admin)).statusCode).toBe(200);
    expect((await get('/api/smart-audit/findings/00000000-0000-4000-8000-000000000000', admin)).statusCode).toBe(404);
    expect((await get('/api/smart-audit/findings/00000000-0000-4000-8000-000000000000', reviewer)).statusCode).toBe(403);
  });

  it('names every institution its evidence names, another county’s included', async () => {
    const other = await t.database.db.selectFrom('institution').select(['name', 'county_code']).where('id', '=', F.elsewhereInstitution!).executeTakeFirstOrThrow();
    expect(other.county_code).not.toBe(county);
    const detail = (await get(`/api/smart-audit/findings/${F.overlap}`, reviewer)).json();
    expect(detail.institutionNames).toEqual({ [F.elsewhereInstitution!]: other.name });
    expect((await get(`/api/smart-audit/findings/${F.early}`, reviewer)).json().institutionNames).toEqual({});
  });
});

describe('deciding a finding', () => {
  it('refuses a deduction above the amount at stake without a reason, and one against a doctor the finding does not name', async () => {
    const over = await post(`/api/smart-audit/findings/${F.overlap}/confirm`, reviewer, { deductionFen: 801, against: 'institution' });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0]).toMatchObject({ field: 'body.deductionFen', rule: 'deduction_over_amount_at_stake', facts: { amountFen: 800 } });
    const noDoctor = await post(`/api/smart-audit/findings/${F.overlap}/confirm`, reviewer, { deductionFen: 800, against: 'doctor' });
    expect(noDoctor.json().errors[0]).toMatchObject({ field: 'body.against', rule: 'finding_has_no_doctor' });
    const fraction = await post(`/api/smart-audit/findings/${F.overlap}/confirm`, reviewer, { deductionFen: 8.5, against: 'institution' });
    expect(fraction.statusCode).toBe(400);
    const unknown = await post(`/api/smart-audit/findings/${F.overlap}/confirm`, reviewer, { deductionFen: 8, against: 'institution', extra: 1 });
    expect(unknown.statusCode).toBe(400);
  });

  it('confirms with a deduction, refuses a second decision (409), reopens and dismisses, keeping every step', async () => {
    const confirmed = await post(`/api/smart-audit/findings/${F.early}/confirm`, reviewer, { deductionFen: 1260, against: 'doctor' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', deductionFen: 1260, deductionAgainst: 'doctor', decidedBy: '医保经办审核员' });
    for (const again of [
      await post(`/api/smart-audit/findings/${F.early}/confirm`, reviewer, { deductionFen: 100, against: 'institution' }),
      await post(`/api/smart-audit/findings/${F.early}/dismiss`, reviewer, { reason: '经核实属正常购药' }),
    ]) {
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('finding_decided');
    }
    expect((await post(`/api/smart-audit/findings/${F.split}/reopen`, reviewer, { reason: '复查' })).json().code).toBe('finding_not_decided');
    expect((await post(`/api/smart-audit/findings/${F.early}/dismiss`, reviewer, {})).statusCode).toBe(400);

    const reopened = await post(`/api/smart-audit/findings/${F.early}/reopen`, reviewer, { reason: '医院提交了补充材料' });
    expect(reopened.json()).toMatchObject({ status: 'open', deductionFen: null, deductionAgainst: null });
    const dismissed = await post(`/api/smart-audit/findings/${F.early}/dismiss`, reviewer, { reason: '补充材料证明为住院出院带药' });
    expect(dismissed.statusCode).toBe(200);
    const history = dismissed.json().history.map((h: { action: string; from: string | null; to: string; reason: string | null }) => [h.action, h.from, h.to, h.reason]);
    expect(history).toEqual([
      ['found', null, 'open', null],
      ['confirmed', 'open', 'confirmed', null],
      ['reopened', 'confirmed', 'open', '医院提交了补充材料'],
      ['dismissed', 'open', 'dismissed', '补充材料证明为住院出院带药'],
    ]);
    expect(dismissed.json().history[1].detail).toEqual({ deductionFen: 1260, against: 'doctor' });
    expect(dismissed.json().history[2].detail.previous).toMatchObject({ status: 'confirmed', deductionFen: 1260, against: 'doctor' });
    const audit = await t.database.db.selectFrom('person_audit').select('detail').where('entity', '=', 'audit_finding').where('entity_id', '=', F.early).where('action', '=', 'update').execute();
    expect(audit).toHaveLength(3);
    // a second finding of the same claim, over the amount with the reason why
    const withReason = await post(`/api/smart-audit/findings/${F.overlap}/confirm`, reviewer, { deductionFen: 2500, against: 'institution', reason: '整单不予支付' });
    expect(withReason.json()).toMatchObject({ status: 'confirmed', deductionFen: 2500, decisionReason: '整单不予支付' });
  });

  it('of two reviewers deciding at once, one wins and the other is told it was decided', async () => {
    const [a, b] = await Promise.all([
      post(`/api/smart-audit/findings/${F.split}/confirm`, reviewer, { deductionFen: 2500, against: 'doctor' }),
      post(`/api/smart-audit/findings/${F.split}/dismiss`, colleague, { reason: '同一天两次购药为不同处方' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const events = await t.database.db.selectFrom('audit_finding_event').select('action').where('finding_id', '=', F.split).execute();
    expect(events).toHaveLength(2);
    // whoever won, the split finding ends confirmed for the summary below
    if (a.statusCode !== 200) {
      await post(`/api/smart-audit/findings/${F.split}/reopen`, reviewer, { reason: '复查' });
      expect((await post(`/api/smart-audit/findings/${F.split}/confirm`, reviewer, { deductionFen: 2500, against: 'doctor' })).statusCode).toBe(200);
    }
    expect((await post(`/api/smart-audit/findings/${F.outlier}/confirm`, reviewer, { deductionFen: 0, against: 'doctor' })).statusCode).toBe(200);
    expect((await post(`/api/smart-audit/findings/${F.far}/confirm`, reviewer, { deductionFen: 0, against: 'institution' })).statusCode).toBe(403);
  });
});

describe('random sampling of unflagged claims', () => {
  // Population: the 42 claims of the period less the 2 that findings name = 40 claims × 2 500 fen = 100 000 fen.
  // Plus one more unflagged claim below makes 41 × 2 500 = 102 500 fen. A sample of 4 pays 4 × 2 500 = 10 000 fen.
  // Errors found: 300 + 98 = 398 fen. Error rate = 398 / 10 000 = 3.98 % = 398 bp.
  // Unsampled = 102 500 − 10 000 = 92 500 fen. Proposed deduction = 92 500 × 398 / 10 000 = 36 815 000 / 10 000
  // = 3 681.5 fen → half up → 3 682 fen (36.82 yuan).
  let sampleId: string;
  let drawn: string[];

  it('draws the same claims again from the same seed, others from another seed, and never a flagged one', async () => {
    const template = await t.database.db.selectFrom('claim').selectAll().where('id', '=', claims[2]!.id).executeTakeFirstOrThrow();
    const person = await t.database.db.selectFrom('person').select('id').where('region_code', 'like', `${county}%`).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await t.database.db.insertInto('claim').values({
      person_id: person.id, institution_id: institutionId, idempotency_key: 'audit-review-extra', request_hash: 'test', service_date: '2024-12-07', insurance_type: template.insurance_type,
      institution_level: template.institution_level, policy_id: template.policy_id, amount_fen: 4000, fund_pay_fen: 2500, deductible_fen: 0, copay_fen: 1500, over_limit_fen: 0,
      critical_illness_fen: 0, settled_by: template.settled_by,
    }).execute();
    // a claim the fund paid nothing for (all below the deductible) is not in the population
    const unpaid = await t.database.db.insertInto('claim').values({
      person_id: person.id, institution_id: institutionId, idempotency_key: 'audit-review-unpaid', request_hash: 'test', service_date: '2024-12-07', insurance_type: template.insurance_type,
      institution_level: template.institution_level, policy_id: template.policy_id, amount_fen: 3000, fund_pay_fen: 0, deductible_fen: 3000, copay_fen: 0, over_limit_fen: 0,
      critical_illness_fen: 0, settled_by: template.settled_by,
    }).returning('id').executeTakeFirstOrThrow();
    const first = await post('/api/smart-audit/samples', reviewer, { from: FROM, to: TO, size: 4, seed: 20251208 });
    expect(first.statusCode, first.body).toBe(201);
    const s = first.json();
    expect(s).toMatchObject({ countyCode: county, seed: 20251208, size: 4, rateBp: null, status: 'open', populationClaims: 41, populationFundPayFen: 102_500, sampledClaims: 4, pending: 4 });
    drawn = s.claims.map((c: { claimId: string }) => c.claimId);
    expect(drawn).not.toContain(claims[0]!.id);
    expect(drawn).not.toContain(claims[1]!.id);
    const everyone = (await post('/api/smart-audit/samples', reviewer, { from: FROM, to: TO, size: 50, seed: 1 })).json();
    expect(everyone.claims.map((c: { claimId: string }) => c.claimId)).not.toContain(unpaid.id);
    expect(everyone.sampledClaims).toBe(41);
    await t.database.db.deleteFrom('claim').where('id', '=', unpaid.id).execute(); // the summary below counts the period's claims
    expect(s.claims[0].person.idNumber).toMatch(/\*{8}/);
    const again = (await post('/api/smart-audit/samples', reviewer, { from: FROM, to: TO, size: 4, seed: 20251208 })).json();
    expect(again.claims.map((c: { claimId: string }) => c.claimId)).toEqual(drawn);
    const other = (await post('/api/smart-audit/samples', reviewer, { from: FROM, to: TO, size: 4, seed: 7 })).json();
    expect(other.claims.map((c: { claimId: string }) => c.claimId)).not.toEqual(drawn);
    // by rate: 41 × 1 000 bp = 4.1 → 4 claims; without a seed one is drawn and kept
    const byRate = (await post('/api/smart-audit/samples', reviewer, { from: FROM, to: TO, rateBp: 1000 })).json();
    expect([byRate.sampledClaims, byRate.rateBp, Number.isInteger(byRate.seed)]).toEqual([4, 1000, true]);
    sampleId = s.id;
  });

  it('refuses a bad request: both or neither of rate and size, a period backwards or empty', async () => {
    expect((await post('/api/smart-audit/samples', reviewer, { from: FROM, to: TO, size: 4, rateBp: 100 })).json().errors[0].rule).toBe('one_of_rate_or_size');
    expect((await post('/api/smart-audit/samples', reviewer, { from: FROM, to: TO })).json().errors[0].rule).toBe('one_of_rate_or_size');
    expect((await post('/api/smart-audit/samples', reviewer, { from: TO, to: FROM, size: 4 })).json().errors[0].rule).toBe('not_before_from');
    expect((await post('/api/smart-audit/samples', reviewer, { from: '2024-01-01', to: '2025-12-31', size: 4 })).json().errors[0].rule).toBe('period_too_long');
    const empty = await post('/api/smart-audit/samples', reviewer, { from: '2020-01-01', to: '2020-01-31', size: 4 });
    expect([empty.statusCode, empty.json().code]).toEqual([409, 'sample_population_empty']);
    expect((await post('/api/smart-audit/samples', analyst, { from: FROM, to: TO, size: 4 })).statusCode).toBe(403);
  });

  it('marks the claims, refuses closing while any is pending, and extrapolates as worked by hand', async () => {
    const mark = (claimId: string, body: object) => post(`/api/smart-audit/samples/${sampleId}/claims/${claimId}`, reviewer, body);
    expect((await mark(drawn[0]!, { result: 'error' })).json().errors[0].rule).toBe('error_amount_required');
    const over = await mark(drawn[0]!, { result: 'error', errorAmountFen: 2501 });
    expect(over.json().errors[0]).toMatchObject({ rule: 'over_fund_pay', facts: { fundPayFen: 2500 } });
    expect((await mark(drawn[0]!, { result: 'correct', errorAmountFen: 5 })).json().errors[0].rule).toBe('not_for_correct');
    expect((await mark(claims[0]!.id, { result: 'correct' })).statusCode).toBe(404);
    expect((await get(`/api/smart-audit/samples/${sampleId}`, farReviewer)).statusCode).toBe(403);

    expect((await mark(drawn[0]!, { result: 'error', errorAmountFen: 300, note: '超量' })).statusCode).toBe(200);
    await mark(drawn[1]!, { result: 'error', errorAmountFen: 98 });
    await mark(drawn[2]!, { result: 'correct' });
    const pending = await post(`/api/smart-audit/samples/${sampleId}/close`, reviewer);
    expect([pending.statusCode, pending.json().code]).toEqual([409, 'sample_pending_claims']);
    const last = (await mark(drawn[3]!, { result: 'correct' })).json();
    expect(last).toMatchObject({ reviewed: 4, pending: 0, errors: 2, errorFen: 398, sampledFundPayFen: 10_000, errorRateBp: 398, unsampledFundPayFen: 92_500, proposedDeductionFen: 3682 });

    const closed = await post(`/api/smart-audit/samples/${sampleId}/close`, reviewer);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', proposedDeductionFen: 3682 });
    expect(closed.json().closedAt).not.toBeNull();
    const row = await t.database.db.selectFrom('audit_sample').select(['proposed_deduction_fen']).where('id', '=', sampleId).executeTakeFirstOrThrow();
    expect(Number(row.proposed_deduction_fen)).toBe(3682);
    const after = await mark(drawn[2]!, { result: 'error', errorAmountFen: 1 });
    expect([after.statusCode, after.json().code]).toEqual([409, 'sample_closed']);
    expect((await post(`/api/smart-audit/samples/${sampleId}/close`, reviewer)).json().code).toBe('sample_closed');
    const list = (await get('/api/smart-audit/samples?status=closed', reviewer)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(sampleId);
    expect((await get('/api/smart-audit/samples', farReviewer)).json().items.map((i: { id: string }) => i.id)).not.toContain(sampleId);
  });
});

describe('the summaries', () => {
  it('counts an institution’s claims, flags, decisions and deductions in the period', async () => {
    const res = await get(`/api/smart-audit/summary?from=${FROM}&to=${TO}&by=institution`, reviewer);
    expect(res.statusCode, res.body).toBe(200);
    const row = res.json().items.find((i: { institution: { id: string } }) => i.institution.id === institutionId);
    // 43 claims of 4 000 fen (2 500 from the fund); claims 0 and 1 flagged; findings: early (dismissed), overlap (2 500), split (2 500 against the doctor), outlier (0)
    expect(row).toMatchObject({
      claims: 43, amountFen: 172_000, fundPayFen: 107_500, flaggedClaims: 2, flaggedShareBp: 465, findings: 4, confirmed: 3, dismissed: 1, open: 0,
      deductionFen: 5000, deductionInstitutionFen: 2500, deductionDoctorFen: 2500, points: null, doctor: null,
    });
    expect(res.json().regionCode).toBe(county);
  });

  it('gives the doctor the rules’ points of their confirmed findings', async () => {
    const res = await get(`/api/smart-audit/summary?from=${FROM}&to=${TO}&by=doctor&sort=points`, reviewer);
    const row = res.json().items.find((i: { doctor: { id: string } }) => i.doctor.id === doctorUserId);
    // the doctor's findings: early (dismissed), split and outlier (confirmed); no claim of theirs in December 2024
    expect(row).toMatchObject({ findings: 3, confirmed: 2, dismissed: 1, claims: 0, deductionFen: 2500, points: points.split_claims! + points.prescriber_outlier! });
    expect(row.institution.id).toBe(institutionId);
  });

  it('keeps each role to its scope: the analyst’s city, an institution administrator’s institution', async () => {
    const city = await get(`/api/smart-audit/summary?from=${FROM}&to=${TO}`, analyst);
    expect(city.statusCode).toBe(200);
    expect(city.json().items.some((i: { institution: { id: string } }) => i.institution.id === institutionId)).toBe(true);
    expect((await get(`/api/smart-audit/summary?from=${FROM}&to=${TO}&regionCode=${county.slice(0, 4)}`, reviewer)).statusCode).toBe(403);
    const hash = (await t.database.db.selectFrom('app_user').select('password_hash').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).password_hash;
    await t.database.db.insertInto('app_user').values({ username: 'centre-admin', display_name: '中心管理员', role: 'institution_admin', institution_id: institutionId, password_hash: hash, demo: true }).execute();
    const centreAdmin = await t.login('centre-admin');
    const own = (await get(`/api/smart-audit/summary?from=${FROM}&to=${TO}`, centreAdmin)).json();
    expect(own.items.map((i: { institution: { id: string } }) => i.institution.id)).toEqual([institutionId]);
    const elsewhere = await t.database.db.selectFrom('institution').select('id').where('id', '<>', institutionId).limit(1).executeTakeFirstOrThrow();
    expect((await get(`/api/smart-audit/summary?from=${FROM}&to=${TO}&institutionId=${elsewhere.id}`, centreAdmin)).statusCode).toBe(403);
  });

  it('exports the CSV with its columns', async () => {
    const res = await get(`/api/smart-audit/summary?from=${FROM}&to=${TO}&by=doctor&format=csv`, reviewer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"county_code","institution_code","institution_name","level","doctor_name","claims","amount_yuan","fund_pay_yuan","flagged_claims","flagged_share_pct","findings","confirmed","dismissed","open","deduction_yuan","deduction_institution_yuan","deduction_doctor_yuan","points"');
    const doctorName = (await t.database.db.selectFrom('app_user').select('display_name').where('id', '=', doctorUserId).executeTakeFirstOrThrow()).display_name;
    const line = lines.find((l) => l.includes(`"${doctorName}"`))!;
    expect(line).toContain(`"25.00","0.00","25.00","${points.split_claims! + points.prescriber_outlier!}"`);
  });
});

describe('the findings of a real audit run', () => {
  it('reach the county’s reviewer with their rule and evidence; a second run of the day keeps the decision and adds nothing', async () => {
    // an early refill planted at the demo pharmacy: the same drug for 28 days, bought twice on the day
    const pharmacist = await t.login('pharmacist');
    const patient = await counterPatient(t.database.db);
    const date = '2026-06-15';
    for (const key of ['audit-review-refill-1', 'audit-review-refill-2']) {
      const res = await post('/api/settlements', pharmacist, { personId: patient.id, idempotencyKey: key, lines: [{ drugCode: 'D0001', quantity: 1, daysSupply: 28 }] });
      expect(res.statusCode, res.body).toBe(201);
    }
    await auditDate(t.ctx, { date, trigger: 'cli' });
    const queue: { total: number; items: Array<{ id: string; ruleCode: string; amountFen: number; evidence: object; ruleTitle: { zh: string }; person: { id: string } | null }> } =
      (await get(`/api/smart-audit/findings?from=${date}&to=${date}&pageSize=100`, reviewer)).json();
    const first = queue.items.find((i) => i.person?.id === patient.id)!;
    expect(first, JSON.stringify(queue.items.map((i) => i.ruleCode))).toBeDefined();
    const rule = await t.database.db.selectFrom('audit_finding as f').innerJoin('audit_rule as r', (j) => j.onRef('r.code', '=', 'f.rule_code').onRef('r.version', '=', 'f.rule_version'))
      .select(['r.title_zh']).where('f.id', '=', first.id).executeTakeFirstOrThrow();
    expect(first.ruleTitle.zh).toBe(rule.title_zh);
    expect(Object.keys(first.evidence).length).toBeGreaterThan(0);
    const confirmed = await post(`/api/smart-audit/findings/${first.id}/confirm`, reviewer, { deductionFen: first.amountFen, against: 'institution' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const rerun = await auditDate(t.ctx, { date, trigger: 'cli' });
    expect(rerun.run.findingsNew).toBe(0);
    const again = (await get(`/api/smart-audit/findings?from=${date}&to=${date}&pageSize=100`, reviewer)).json();
    expect(again.total).toBe(queue.total);
    const detail = (await get(`/api/smart-audit/findings/${first.id}`, reviewer)).json();
    expect(detail).toMatchObject({ status: 'confirmed', deductionFen: first.amountFen, deductionAgainst: 'institution' });
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['found', 'confirmed']);
  });
});

describe('the demo city’s review (src/modules/demo/auditReview.ts)', () => {
  it('leaves the county’s reviewer with decided and open findings, a closed sample and an open one', async () => {
    const db = t.database.db;
    const reviewerId = (await db.selectFrom('app_user').select('id').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).id;
    // six open findings of the county for the demo's reviewer to work
    for (const c of claims.slice(10, 16)) await finding({ rule: 'abnormal_frequency', claimId: c.id, personId: c.person_id, institutionId, countyCode: county, amountFen: 2500 });
    const openBefore = await db.selectFrom('audit_finding').select('id').where('county_code', '=', county).where('status', '=', 'open').execute();
    const before = await db.selectFrom('audit_sample').select('id').execute();
    await loadDemoAuditReview(db, { asOf: '2026-06-15', seed: 7 });
    const samples = await db.selectFrom('audit_sample').selectAll().where('id', 'not in', before.map((b) => b.id)).orderBy('period_from').execute();
    expect(samples.map((x) => [x.status, x.period_from, x.period_to, x.created_by])).toEqual([
      ['closed', '2026-05-01', '2026-05-31', reviewerId], ['open', '2026-06-01', '2026-06-14', reviewerId],
    ]);
    expect(samples[0]!.proposed_deduction_fen).not.toBeNull();
    const decided = await db.selectFrom('audit_finding').select('status').where('id', 'in', openBefore.map((f) => f.id)).where('decided_by', '=', reviewerId).execute();
    expect(decided.length).toBe(Math.ceil(openBefore.length / 3) + Math.floor(openBefore.length / 6));
  });
});
