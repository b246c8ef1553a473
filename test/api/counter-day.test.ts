// Issue 13, the pharmacist's friction: a readable settlement number on every claim, and the counter's
// end-of-day list (日结) of its own institution — totals by benefit and payer that are the sum of the
// day's claims with reversals netted, printable and exportable as CSV.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';
import { counterPatient } from '../helpers/people';

let t: TestApp;
let pharmacist: string;
let pharmacyId: string;
const settled: Array<{ id: string; settlementNo: string; totals: { amountFen: number; fundPayFen: number } }> = [];
let reversedId: string;

beforeAll(async () => {
  t = await testApp();
  pharmacist = await t.login('pharmacist');
  const db = t.database.db;
  pharmacyId = (await db.selectFrom('app_user').select('institution_id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).institution_id!;
  const a = await counterPatient(db);
  const b = await counterPatient(db, { not: a.id });
  const amlodipine = await db.selectFrom('drug').select('code').where('generic_name_zh', '=', '苯磺酸氨氯地平片').executeTakeFirstOrThrow();
  const metformin = await db.selectFrom('drug').select('code').where('generic_name_zh', 'like', '盐酸二甲双胍片%').executeTakeFirstOrThrow();
  const buys = [
    { personId: a.id, lines: [{ drugCode: amlodipine.code, quantity: 2 }] },
    { personId: b.id, lines: [{ drugCode: amlodipine.code, quantity: 3 }, { drugCode: metformin.code, quantity: 1 }] },
    { personId: a.id, lines: [{ drugCode: amlodipine.code, quantity: 1 }] },
  ];
  for (const [i, body] of buys.entries()) {
    const res = await t.app.inject({ method: 'POST', url: '/api/settlements', headers: { cookie: pharmacist }, payload: { ...body, idempotencyKey: `day-test-${i}-0000` } });
    expect(res.statusCode, res.body).toBe(201);
    settled.push(res.json());
  }
  reversedId = settled[2].id;
  const rev = await t.app.inject({ method: 'POST', url: `/api/settlements/${reversedId}/reverse`, headers: { cookie: pharmacist }, payload: { reason: '患者退药' } });
  expect(rev.statusCode, rev.body).toBe(200);
});
afterAll(() => t.close());

const get = (url: string, cookie = pharmacist, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { cookie, ...headers } });

describe('the settlement number', () => {
  it('is readable — institution code, service date, sequence — and distinct for every claim, the demo city’s too', async () => {
    const code = (await t.database.db.selectFrom('institution').select('code').where('id', '=', pharmacyId).executeTakeFirstOrThrow()).code;
    for (const s of settled) expect(s.settlementNo).toMatch(new RegExp(`^${code}-20260615-\\d{6,}$`));
    expect(new Set(settled.map((s) => s.settlementNo)).size).toBe(settled.length);
    const receipt = (await get(`/api/settlements/${settled[0].id}`)).json();
    expect(receipt.settlementNo).toBe(settled[0].settlementNo);
    expect(receipt.institution.code).toBe(code);
    expect(receipt.policy).toEqual({ id: 'jiaxing-2021', name: expect.stringContaining('嘉兴') });
    expect(receipt.payers).toEqual({ fundFen: receipt.totals.fundPayFen, accountFen: 0, cashFen: receipt.totals.amountFen - receipt.totals.fundPayFen });
    // the demo's claims were numbered when loaded (the trigger); none shares a number
    const { rows } = await sql<{ n: number; distinct: number; bad: number }>`
      select count(*)::int as n, count(distinct settlement_no)::int as distinct, count(*) filter (where settlement_no !~ '^[0-9]{6}-[0-9]{4}-[0-9]{8}-[0-9]{6,}$')::int as bad from claim`.execute(t.database.db);
    expect(rows[0].n).toBeGreaterThan(100);
    expect(rows[0].distinct).toBe(rows[0].n);
    expect(rows[0].bad).toBe(0);
  });
});

describe('the end-of-day list (日结)', () => {
  it('lists the day’s settlements and reversals with totals that are their sum, reversals netted', async () => {
    const res = await get('/api/settlements/day?date=2026-06-15');
    expect(res.statusCode, res.body).toBe(200);
    const day = res.json();
    expect(day.institution.id).toBe(pharmacyId);
    const ids = day.entries.map((e: { claimId: string; kind: string }) => `${e.kind}:${e.claimId}`);
    for (const s of settled) expect(ids).toContain(`settlement:${s.id}`);
    expect(ids).toContain(`reversal:${reversedId}`);
    // the totals are the rows' sum; the rows are the claims' splits, a reversal negative
    const sum = (k: string) => day.entries.reduce((a: number, e: Record<string, number>) => a + e[k], 0);
    for (const k of ['amountFen', 'fundFen', 'accountFen', 'cashFen']) expect(day.totals[k], k).toBe(sum(k));
    expect(day.totals.cashFen + day.totals.fundFen + day.totals.accountFen).toBe(day.totals.amountFen);
    // and they agree with the claims table: settled today minus reversed today, at this institution
    const from = new Date('2026-06-15T00:00:00+08:00');
    const to = new Date('2026-06-16T00:00:00+08:00');
    const { rows } = await sql<{ amount: string; fund: string }>`
      select coalesce(sum(amount_fen) filter (where settled_at >= ${from} and settled_at < ${to}), 0) - coalesce(sum(amount_fen) filter (where reversed_at >= ${from} and reversed_at < ${to}), 0) as amount,
             coalesce(sum(fund_pay_fen) filter (where settled_at >= ${from} and settled_at < ${to}), 0) - coalesce(sum(fund_pay_fen) filter (where reversed_at >= ${from} and reversed_at < ${to}), 0) as fund
      from claim where institution_id = ${pharmacyId}`.execute(t.database.db);
    expect(day.totals.amountFen).toBe(Number(rows[0].amount));
    expect(day.totals.fundFen).toBe(Number(rows[0].fund));
    const kept = settled.filter((s) => s.id !== reversedId);
    expect(day.totals.amountFen).toBe(kept.reduce((a, s) => a + s.totals.amountFen, 0));
    expect(day.totals.fundFen).toBe(kept.reduce((a, s) => a + s.totals.fundPayFen, 0));
    // by benefit: the two-disease and general lines add up to the day too
    const benefits = Object.values(day.totals.byBenefit) as Array<{ amountFen: number; fundFen: number }>;
    expect(benefits.reduce((a, b) => a + b.amountFen, 0)).toBe(day.totals.amountFen);
    expect(benefits.reduce((a, b) => a + b.fundFen, 0)).toBe(day.totals.fundFen);
    expect(day.totals.byBenefit.two_disease.fundFen).toBeGreaterThan(0);
    // metformin, unregistered: general outpatient, which Jiaxing does not pay at a pharmacy (self-paid)
    expect(day.totals.byBenefit.general.amountFen + day.totals.byBenefit.none.amountFen).toBeGreaterThan(0);
    expect(day.totals.byBenefit.general.fundFen + day.totals.byBenefit.none.fundFen).toBe(0);
    expect({ settlements: day.totals.settlements, reversals: day.totals.reversals }).toEqual({ settlements: 3, reversals: 1 });
    // technical ids stay out of what a person reads: names masked
    for (const e of day.entries) expect(e.person.idNumber).toMatch(/\*{8}/);
  });

  it('keeps to the caller’s institution', async () => {
    const day = (await get('/api/settlements/day?date=2026-06-15')).json();
    const ids: string[] = day.entries.map((e: { claimId: string }) => e.claimId);
    const elsewhere = await t.database.db.selectFrom('claim').select('id').where('id', 'in', ids).where('institution_id', '!=', pharmacyId).execute();
    expect(elsewhere).toEqual([]);
    // the doctor's centre has the demo's refills; the pharmacy's sales are not among them
    const doctor = await t.login('doctor');
    const demoDay = (await t.database.db.selectFrom('claim').innerJoin('app_user as u', 'u.id', 'claim.settled_by').select(sql<string>`(claim.settled_at at time zone 'Asia/Shanghai')::date::text`.as('d'))
      .where('u.username', '=', 'doctor').orderBy('claim.settled_at', 'desc').limit(1).executeTakeFirst())?.d ?? '2026-06-15';
    const theirs = (await get(`/api/settlements/day?date=${demoDay}`, doctor)).json();
    const theirIds: string[] = theirs.entries.map((e: { claimId: string }) => e.claimId);
    for (const s of settled) expect(theirIds).not.toContain(s.id);
    expect(theirs.institution.id).not.toBe(pharmacyId);
  });

  it('exports CSV with Chinese headers by default, English when asked, UTF-8 with a BOM', async () => {
    const zh = await get('/api/settlements/day.csv?date=2026-06-15');
    expect(zh.statusCode, zh.body).toBe(200);
    expect(zh.headers['content-type']).toContain('text/csv');
    expect(zh.body.charCodeAt(0)).toBe(0xfeff);
    const [head, ...rest] = zh.body.slice(1).trim().split('\r\n');
    expect(head).toBe('"结算单号","类型","时间（北京时间）","就诊日期","参保人","身份证号（脱敏）","险种","待遇政策","医疗费用（元）","统筹基金（元）","个人账户（元）","现金（元）","冲正原因"');
    expect(rest.some((l) => l.startsWith(`"${settled[0].settlementNo}","结算"`))).toBe(true);
    expect(rest.some((l) => l.startsWith(`"${settled[2].settlementNo}","冲正"`))).toBe(true);
    expect(rest.find((l) => l.startsWith('"合计"'))).toBeDefined();
    expect(zh.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/); // no UUIDs
    const en = await get('/api/settlements/day.csv?date=2026-06-15', pharmacist, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.body.slice(1).split('\r\n')[0]).toMatch(/^"Settlement no\.","Kind"/);
    expect((await get('/api/settlements/day.csv?date=2026-06-15&lang=zh', pharmacist, { 'accept-language': 'en' })).body.slice(1)).toMatch(/^"结算单号"/);
  });

  it('is refused to a role without it', async () => {
    for (const username of ['reviewer', 'analyst', 'patient']) {
      const cookie = await t.login(username);
      expect((await get('/api/settlements/day?date=2026-06-15', cookie)).statusCode, username).toBe(403);
      expect((await get('/api/settlements/day.csv?date=2026-06-15', cookie)).statusCode, username).toBe(403);
    }
  });
});
