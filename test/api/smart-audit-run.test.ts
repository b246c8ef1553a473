// Issue 15, the smart audit's run: on the demo city (whose ordinary claims and prescriptions must trip
// no rule), one irregularity of every rule is planted on one day beside clean claims of the same kinds —
// a refill at 89 % of its supply, a patient of both diseases with one drug for each, a reversed claim —
// and the audit, run through the CLI's entry, finds exactly the planted set; a second run finds the same
// and inserts nothing; a bad date writes nothing and exits 2; the API starts a run for the administrator
// only; the nightly job runs yesterday once.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';
import { auditRunCommand } from '../../src/cli/commands/audit';
import { runNightlyAudit } from '../../src/modules/smartAudit/service';
import { addDays } from '../../src/engine/calendar';

let t: TestApp;
const D = '2026-06-14';

interface Candidate {
  person_id: string;
  insurance_type: 'resident' | 'employee';
  team_id: string;
  centre_id: string;
  county_code: string;
  doctor_user: string;
  drugs: string[];
  diseases: string[];
}

let settledBy: string;
const used = new Set<string>();
let candidates: Candidate[] = [];
/** A patient not used yet whose registered diseases are `diseases` and who never bought any of `avoid`. */
function patient(diseases: string[], avoid: string[] = []): Candidate {
  const c = candidates.find((p) => !used.has(p.person_id) && p.diseases.sort().join() === [...diseases].sort().join() && !p.drugs.some((d) => avoid.includes(d)));
  if (!c) throw new Error(`no demo patient registered for ${diseases.join('+')}`);
  used.add(c.person_id);
  return c;
}

const PRICES: Record<string, number> = { D0001: 420, D0008: 600, D0010: 800, D0024: 320, D0033: 420, D0014: 1500, D0019: 1400 };
interface Line { drug: string; quantity: number; days: number; scope?: string; disease?: string }

/** A settled claim written as the counter writes one (60 % fund, 40 % copay per line); `rx` binds it to a doctor's dispensed prescription. */
async function claim(p: Candidate, date: string, lines: Line[], o: { institutionId?: string; level?: string; reversed?: boolean; hour?: number; rx?: boolean } = {}) {
  const db = t.database.db;
  const id = randomUUID();
  const rows = lines.map((l, i) => {
    const amount = l.quantity * PRICES[l.drug];
    const fund = Math.floor((amount * 6000 + 5000) / 10000);
    return { ...l, lineNo: i + 1, amount, fund, copay: amount - fund };
  });
  const total = (k: 'amount' | 'fund' | 'copay') => rows.reduce((s, r) => s + r[k], 0);
  const at = `${date}T${String(o.hour ?? 10).padStart(2, '0')}:00:00+08:00`;
  await db.insertInto('claim').values({
    id, person_id: p.person_id, institution_id: o.institutionId ?? p.centre_id, idempotency_key: `plant-${id}`, request_hash: 'plant', service_date: date,
    insurance_type: p.insurance_type, institution_level: (o.level ?? 'grassroots') as 'grassroots', policy_id: 'jiaxing-2021', status: o.reversed ? 'reversed' : 'settled',
    amount_fen: total('amount'), fund_pay_fen: total('fund'), deductible_fen: 0, copay_fen: total('copay'), over_limit_fen: 0, critical_illness_fen: 0,
    settled_by: settledBy, settled_at: at, reversed_by: o.reversed ? settledBy : null, reversed_at: o.reversed ? new Date(at) : null, reversal_reason: o.reversed ? '录入错误' : null,
  }).execute();
  await db.insertInto('claim_line').values(rows.map((r) => ({
    claim_id: id, person_id: p.person_id, line_no: r.lineNo, drug_code: r.drug, quantity: r.quantity, unit_price_fen: PRICES[r.drug], amount_fen: r.amount, days_supply: r.days,
    disease_code: r.disease ?? 'hypertension', scope: (r.scope ?? 'two_disease') as 'two_disease', scope_reason: 'registered_disease', benefit: 'two_disease', reason: 'two_disease', ratio_bp: 6000,
    fund_pay_fen: r.fund, deductible_fen: 0, copay_fen: r.copay, over_limit_fen: 0, fund_remaining_fen: null, explanation: 'planted', drug_lists: ['chronic-common'],
  }))).execute();
  if (o.rx) {
    const rxId = await prescription(p, date, lines.map((l) => ({ drug: l.drug, days: l.days, quantity: l.quantity })), { status: 'dispensed' });
    await db.insertInto('dispense').values({ person_id: p.person_id, prescription_id: rxId, institution_id: o.institutionId ?? p.centre_id, claim_id: id, dispensed_by: settledBy, dispensed_at: new Date(at) }).execute();
  }
  return { id, fundFen: total('fund') };
}

/** An approved prescription of the patient's team doctor. */
async function prescription(p: Candidate, date: string, lines: Array<{ drug: string; days: number; quantity: number; doseMilli?: number }>, o: { origin?: 'new' | 'renewal'; renewalOf?: string; status?: 'approved' | 'dispensed' } = {}) {
  const db = t.database.db;
  const id = randomUUID();
  const days = Math.max(...lines.map((l) => l.days));
  await db.insertInto('prescription').values({
    id, person_id: p.person_id, prescription_no: `PLANT-${id.slice(0, 8)}`, origin: o.origin ?? 'new', institution_id: p.centre_id, county_code: p.county_code, team_id: p.team_id,
    doctor_id: p.doctor_user, written_on: date, valid_until: addDays(date, 29), days_supply: days, stable_reason: days > 30 ? '血压控制稳定' : null, renewal_of: o.renewalOf ?? null,
    fill_place: 'own', fill_institution_id: p.centre_id, status: o.status ?? 'approved', findings: '[]', submitted_at: new Date(`${date}T09:00:00+08:00`), approved_at: new Date(`${date}T09:30:00+08:00`),
  }).execute();
  await db.insertInto('prescription_line').values(lines.map((l, i) => ({
    prescription_id: id, line_no: i + 1, person_id: p.person_id, drug_code: l.drug, dose_milli: l.doseMilli ?? 1000, frequency: 'qd' as const, days_supply: l.days, quantity: l.quantity,
  }))).execute();
  return id;
}

/** What the planted set must be: rule → subject id. */
const planted: Array<{ rule: string; subject: string }> = [];
const expectFinding = (rule: string, subject: string) => planted.push({ rule, subject });

async function runCli(args: { date?: string; from?: string; to?: string; json?: boolean }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditRunCommand(t.ctx, args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  settledBy = (await db.selectFrom('app_user').select('id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow()).id;
  candidates = (await sql<Candidate>`
    select p.id as person_id, p.insurance_type, c.team_id, t.institution_id as centre_id, i.county_code,
      (select u.id from app_user u where u.team_id = c.team_id and u.role = 'family_doctor' order by u.username limit 1) as doctor_user,
      array(select distinct l.drug_code from claim_line l where l.person_id = p.id) as drugs,
      array(select r.disease_code from registration r where r.person_id = p.id and r.effective_to is null and r.effective_from <= ${addDays(D, -90)}::date) as diseases
    from person p
    join contract c on c.person_id = p.id and c.status = 'active' and c.start_date <= ${addDays(D, -90)}::date and c.end_date >= ${addDays(D, 30)}::date
    join family_doctor_team t on t.id = c.team_id
    join institution i on i.id = t.institution_id
    where not exists (select 1 from claim x where x.person_id = p.id and x.service_date >= ${addDays(D, -40)}::date)
      and not exists (select 1 from prescription x where x.person_id = p.id and x.written_on >= ${addDays(D, -40)}::date)
      and not exists (select 1 from registration r where r.person_id = p.id and (r.effective_to is not null or r.effective_from > ${addDays(D, -90)}::date))
    order by p.id`.execute(db)).rows;
  // a patient contracted but never registered (the programme's 5 % not yet filed)
  const unregistered = (await sql<Candidate>`
    select p.id as person_id, p.insurance_type, c.team_id, t.institution_id as centre_id, i.county_code, null as doctor_user, '{}'::text[] as drugs, '{}'::text[] as diseases
    from person p join contract c on c.person_id = p.id and c.status = 'active' and c.start_date <= ${addDays(D, -30)}::date and c.end_date >= ${D}::date
    join family_doctor_team t on t.id = c.team_id join institution i on i.id = t.institution_id
    where not exists (select 1 from registration r where r.person_id = p.id) and not exists (select 1 from claim x where x.person_id = p.id)
    order by p.id limit 1`.execute(db)).rows[0];
  const pharmacy = async (county: string) => (await sql<{ id: string }>`select id from institution where kind = 'pharmacy' and county_code = ${county} order by code limit 1`.execute(db)).rows[0].id;

  // --- planted: one irregularity of each rule, on D ---
  // duplicate_therapy: two ARBs in one purchase
  const dup = patient(['hypertension'], ['D0008', 'D0010']);
  expectFinding('duplicate_therapy', (await claim(dup, D, [{ drug: 'D0008', quantity: 1, days: 28 }, { drug: 'D0010', quantity: 1, days: 28 }])).id);
  // overlapping_supply: 60 days bought at a chain pharmacy 10 days ago, the same drug at the centre today (50 days left)
  const overlap = patient(['hypertension'], ['D0001']);
  await claim(overlap, addDays(D, -10), [{ drug: 'D0001', quantity: 3, days: 60 }], { institutionId: await pharmacy(overlap.county_code), level: 'pharmacy' });
  expectFinding('overlapping_supply', (await claim(overlap, D, [{ drug: 'D0001', quantity: 1, days: 28 }])).id);
  // early_refill: a 60-day supply refilled at the same centre after 20 days (earliest: day 48)
  const early = patient(['hypertension'], ['D0001']);
  await claim(early, addDays(D, -20), [{ drug: 'D0001', quantity: 3, days: 60 }]);
  expectFinding('early_refill', (await claim(early, D, [{ drug: 'D0001', quantity: 3, days: 60 }])).id);
  // over_max_days: 120 days where Jiaxing allows 84
  const long = patient(['hypertension'], ['D0001']);
  expectFinding('over_max_days', (await claim(long, D, [{ drug: 'D0001', quantity: 5, days: 120 }])).id);
  // dose_over_max: 5 packs of 28 for 28 days (5 a day; the label's maximum is 2, i.e. 2 packs)
  const dose = patient(['hypertension'], ['D0001']);
  expectFinding('dose_over_max', (await claim(dose, D, [{ drug: 'D0001', quantity: 5, days: 28 }])).id);
  // drug_not_for_registered_disease: metformin under the chronic benefit for a hypertension-only patient
  const offLabel = patient(['hypertension'], ['D0033']);
  expectFinding('drug_not_for_registered_disease', (await claim(offLabel, D, [{ drug: 'D0033', quantity: 2, days: 30, disease: 'diabetes' }])).id);
  // not_registered_on_service_date: a contracted patient never registered, settled under the benefit
  expectFinding('not_registered_on_service_date', (await claim(unregistered, D, [{ drug: 'D0001', quantity: 1, days: 28 }])).id);
  // not_contracted_on_service_date: the contract was terminated (解约) five days ago
  const ended = patient(['hypertension'], ['D0001']);
  await db.updateTable('contract').set({ status: 'terminated', terminated_on: addDays(D, -5), termination_reason: '迁出本辖区' }).where('person_id', '=', ended.person_id).where('status', '=', 'active').execute();
  expectFinding('not_contracted_on_service_date', (await claim(ended, D, [{ drug: 'D0001', quantity: 1, days: 28 }])).id);
  // abnormal_frequency: the same drug a third time in 20 days, 7 days' supply each (no refill is early)
  const frequent = patient(['hypertension'], ['D0001']);
  await claim(frequent, addDays(D, -20), [{ drug: 'D0001', quantity: 1, days: 7 }]);
  await claim(frequent, addDays(D, -10), [{ drug: 'D0001', quantity: 1, days: 7 }]);
  expectFinding('abnormal_frequency', (await claim(frequent, D, [{ drug: 'D0001', quantity: 1, days: 7 }])).id);
  // no_followup_before_renewal: a renewal whose patient's last follow-up is over 90 days old
  const lapsed = (await sql<{ person_id: string }>`
    select p.id as person_id from person p
    where exists (select 1 from prescription x where x.person_id = p.id)
      and not exists (select 1 from followup_visit v where v.person_id = p.id and v.visit_date >= ${addDays(D, -90)}::date)
    order by p.id`.execute(db)).rows.map((r) => r.person_id);
  const renewalPatient = candidates.find((c) => lapsed.includes(c.person_id) && !used.has(c.person_id) && c.diseases.join() === 'hypertension' && !c.drugs.includes('D0001'))!;
  used.add(renewalPatient.person_id);
  const previous = (await db.selectFrom('prescription').select('id').where('person_id', '=', renewalPatient.person_id).orderBy('written_on', 'desc').executeTakeFirstOrThrow()).id;
  expectFinding('no_followup_before_renewal', await prescription(renewalPatient, D, [{ drug: 'D0001', days: 28, quantity: 1 }], { origin: 'renewal', renewalOf: previous }));
  // split_claims: one visit settled as two claims, an hour apart
  const split = patient(['hypertension'], ['D0001', 'D0024']);
  const firstPart = await claim(split, D, [{ drug: 'D0001', quantity: 1, days: 28 }], { hour: 9 });
  await claim(split, D, [{ drug: 'D0024', quantity: 1, days: 28 }], { hour: 10 });
  expectFinding('split_claims', firstPart.id);
  // prescriber_outlier: the demo doctor with the most dispensed claims this month gets 4 flagged ones
  // (120-day supplies, on earlier days: found there, when the run audits its unaudited window first)
  const busiest = (await sql<{ doctor_id: string; n: number }>`
    select p.doctor_id, count(*)::int as n from claim c join dispense d on d.person_id = c.person_id and d.claim_id = c.id
    join prescription p on p.person_id = d.person_id and p.id = d.prescription_id
    where c.status = 'settled' and c.service_date between ${addDays(D, -29)}::date and ${D}::date group by 1 order by 2 desc, 1 limit 1`.execute(db)).rows[0];
  const theirs = (await sql<Candidate>`
    select p.id as person_id, p.insurance_type, pr.team_id, pr.institution_id as centre_id, pr.county_code, pr.doctor_id as doctor_user, '{}'::text[] as drugs, '{}'::text[] as diseases
    from person p join lateral (select * from prescription x where x.person_id = p.id and x.doctor_id = ${busiest.doctor_id} order by written_on desc limit 1) pr on true
    where not exists (select 1 from claim_line l where l.person_id = p.id and l.drug_code = 'D0014')
      and exists (select 1 from registration r where r.person_id = p.id and r.disease_code = 'hypertension' and r.effective_to is null and r.effective_from <= ${addDays(D, -40)}::date)
    order by p.id`.execute(db)).rows.filter((c) => !used.has(c.person_id));
  expect(theirs.length).toBeGreaterThanOrEqual(4);
  for (const [k, c] of theirs.slice(0, 4).entries()) {
    used.add(c.person_id);
    await claim(c, addDays(D, -(5 + k * 4)), [{ drug: 'D0014', quantity: 4, days: 120 }], { rx: true });
  }
  expectFinding('prescriber_outlier', busiest.doctor_id);

  // --- clean claims of the same kinds on D: none may be found ---
  // a refill at 89 % of a 56-day supply, at the same centre
  const onTime = patient(['hypertension'], ['D0001']);
  await claim(onTime, addDays(D, -50), [{ drug: 'D0001', quantity: 2, days: 56 }]);
  await claim(onTime, D, [{ drug: 'D0001', quantity: 2, days: 56 }]);
  // both diseases registered, one drug for each
  const both = patient(['diabetes', 'hypertension'], ['D0001', 'D0033']);
  await claim(both, D, [{ drug: 'D0001', quantity: 1, days: 28 }, { drug: 'D0033', quantity: 2, days: 30, disease: 'diabetes' }]);
  // two ARBs, but the claim was reversed (冲正): not audited
  const reversed = patient(['hypertension'], ['D0008', 'D0010']);
  await claim(reversed, D, [{ drug: 'D0008', quantity: 1, days: 28 }, { drug: 'D0010', quantity: 1, days: 28 }], { reversed: true });
  // a general-outpatient line of a drug for no registered disease, outside the benefit
  const general = patient(['hypertension'], ['D0033']);
  await claim(general, D, [{ drug: 'D0033', quantity: 1, days: 15, scope: 'general', disease: 'diabetes' }]);
}, 120_000);
afterAll(async () => t?.close());

describe('the smart audit run (manbing audit run)', () => {
  let first: { date: string; findings: Array<{ rule: string; claim_id?: string; prescription_id?: string; doctor_id: string | null; person_id: string | null; amount_fen: number; finding_id: string; new: boolean; evidence: Record<string, unknown> }>; run: { findings_new: number; backfilled: string[] } };

  it('refuses a bad date with exit code 2 and writes nothing', async () => {
    for (const args of [{ date: '2026-02-30' }, { date: '14/06/2026' }, {}, { from: '2026-06-14', to: '2026-06-01' }]) {
      const r = await runCli({ ...args, json: true });
      expect(r.code, JSON.stringify(args)).toBe(2);
      expect(r.err).toMatch(/--date|--to|--from/);
    }
    const { n } = await t.database.db.selectFrom('audit_run').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(0);
  });

  it('finds every planted irregularity on the day, and nothing else', async () => {
    const r = await runCli({ date: D, json: true });
    expect(r.code, r.err).toBe(0);
    first = JSON.parse(r.out);
    expect(first.date).toBe(D);
    const found = first.findings.map((f) => ({ rule: f.rule, subject: f.claim_id ?? f.prescription_id ?? f.doctor_id! })).sort((a, b) => a.rule.localeCompare(b.rule));
    expect(found).toEqual([...planted].sort((a, b) => a.rule.localeCompare(b.rule)));
    expect(first.findings.every((f) => f.new)).toBe(true);
    // the outlier's window was audited first: the four flagged claims were found on their own days
    expect(first.run.backfilled.length).toBeGreaterThan(20);
    const outlier = first.findings.find((f) => f.rule === 'prescriber_outlier')!;
    expect(outlier.person_id).toBeNull();
    expect(outlier.evidence).toMatchObject({ flagged: 4, peerFlagged: 0 });
  });

  it('names the amount at stake: the fund’s payment of the offending lines', async () => {
    const by = (rule: string) => first.findings.find((f) => f.rule === rule)!;
    expect(by('over_max_days').amount_fen).toBe(Math.floor((5 * 420 * 6000 + 5000) / 10000));
    expect(by('duplicate_therapy').amount_fen).toBe(Math.floor((800 * 6000 + 5000) / 10000)); // the later ARB only
    expect(by('split_claims').amount_fen).toBe(Math.floor((420 * 6000 + 5000) / 10000) + Math.floor((320 * 6000 + 5000) / 10000));
    expect(by('no_followup_before_renewal').amount_fen).toBe(0); // not dispensed yet
    expect(by('early_refill').evidence).toMatchObject({ drugs: [{ drugCode: 'D0001', earliest: addDays(D, 28), earlyRefillBp: 8000 }] });
    expect(by('overlapping_supply').evidence).toMatchObject({ drugs: [{ drugCode: 'D0001', daysLeft: 50, toleranceDays: 17 }] });
  });

  it('finds the same on a second run and inserts nothing', async () => {
    const before = await t.database.db.selectFrom('audit_finding').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await runCli({ date: D, json: true });
    const again = JSON.parse(r.out);
    expect(again.findings.map((f: { finding_id: string }) => f.finding_id)).toEqual(first.findings.map((f) => f.finding_id));
    expect(again.findings.every((f: { new: boolean }) => !f.new)).toBe(true);
    expect(again.run.findings_new).toBe(0);
    expect(again.run.backfilled).toEqual([]);
    const after = await t.database.db.selectFrom('audit_finding').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const events = await sql<{ n: number }>`select count(*)::int as n from audit_finding_event where action = 'found' group by finding_id having count(*) > 1`.execute(t.database.db);
    expect(events.rows).toEqual([]);
  });

  it('prints a table per rule without --json', async () => {
    const r = await runCli({ date: D });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/duplicate_therapy\s+1\s+0/);
    expect(r.out).toMatch(/prescriber_outlier\s+1\s+0/);
  });
});

describe('the audit over HTTP and at night', () => {
  it('starts a run for the system administrator only; reviewers read the rules and runs', async () => {
    const [admin, reviewer] = await Promise.all([t.login('admin'), t.login('reviewer')]);
    const refused = await t.app.inject({ method: 'POST', url: '/api/smart-audit/runs', headers: { cookie: reviewer }, payload: { date: D } });
    expect(refused.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'POST', url: '/api/smart-audit/runs', headers: { cookie: admin }, payload: { date: '2026-13-01' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toMatch(/date/);
    const ok = await t.app.inject({ method: 'POST', url: '/api/smart-audit/runs', headers: { cookie: admin }, payload: { date: D } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ run: { date: D, findingsNew: 0, findingsTotal: planted.length }, byRule: { split_claims: { findings: 1, new: 0 } } });
    const rules = await t.app.inject({ method: 'GET', url: '/api/smart-audit/rules', headers: { cookie: reviewer } });
    expect(rules.json().items).toHaveLength(12);
    expect(rules.json().items.find((r: { code: string }) => r.code === 'abnormal_frequency')).toMatchObject({ version: 1, params: { windowDays: 30, minFills: 3 } });
    const runs = await t.app.inject({ method: 'GET', url: `/api/smart-audit/runs?from=${D}&to=${D}`, headers: { cookie: reviewer } });
    expect(runs.json().items.map((r: { trigger: string }) => r.trigger).sort()).toEqual(['api', 'cli', 'cli', 'cli']);
  });

  it('the nightly job audits yesterday (Asia/Shanghai) once', async () => {
    t.clock.now = new Date('2026-06-15T17:30:00Z'); // 01:30 on the 16th in Shanghai
    const first = await runNightlyAudit(t.ctx);
    expect(first?.run.date).toBe('2026-06-15');
    expect(await runNightlyAudit(t.ctx)).toBeNull();
    const job = await t.database.db.selectFrom('job_run').select('result').where('job', '=', 'smart_audit').executeTakeFirstOrThrow();
    expect(job.result).toMatchObject({ runId: first!.run.runId });
  });
});
