// The follow-up tables refuse impossible rows by themselves, the demo city's history is believable and
// consistent with the rules, and the in-process scheduler runs the reminder job once a day.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m0008 from '../../src/db/migrations/0008-followup-urgent-signs';
import { classifyVisit, type Disease } from '../../src/engine/followup/classify';
import { STORED_URGENT_SIGN_CODES } from '../../src/engine/followup/urgentSigns';
import { startReminderScheduler } from '../../src/modules/followups/reminders';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const refused = async (fn: () => Promise<unknown>) => {
  // inside a savepoint-free copy: each attempt is its own statement, so a failure leaves nothing behind
  await expect(fn()).rejects.toThrow(/violates|check constraint|unique|duplicate/i);
};

describe('constraints', () => {
  it('refuses impossible visits, overrides without a reason and a second reminder for one due date', async () => {
    const db = t.database.db;
    const v = await db.selectFrom('followup_visit').selectAll().limit(1).executeTakeFirstOrThrow();
    const copy = (change: Record<string, unknown>) => {
      const { id: _id, final_classification: _f, final_next_visit_date: _n, created_at: _c, ...rest } = v;
      return db.insertInto('followup_visit').values({ ...rest, drugs: JSON.stringify(rest.drugs), per_disease: JSON.stringify(rest.per_disease), reasons: JSON.stringify(rest.reasons), ...change }).execute();
    };
    await expect(copy({})).resolves.toBeDefined(); // the copy itself is fine
    await refused(() => copy({ systolic: 300 }));
    await refused(() => copy({ systolic: 120, diastolic: 120 }));
    await refused(() => copy({ systolic: null, diastolic: null, diseases: ['hypertension'] }));
    await refused(() => copy({ fasting_glucose_tenths: 0 }));
    await refused(() => copy({ diseases: ['asthma'] }));
    await refused(() => copy({ next_visit_date: v.visit_date }));
    await refused(() => copy({ override_classification: 'satisfactory' }));
    await refused(() => copy({ override_classification: 'satisfactory', override_reason: '  ' }));
    await refused(() => copy({ action: 'urgent_referral', referral_advice: null }));
    // the CHECK knows exactly the engine's sign codes
    await expect(copy({ urgent_signs: [...STORED_URGENT_SIGN_CODES] })).resolves.toBeDefined();
    await refused(() => copy({ urgent_signs: ['chest_tightness', 'headache'] }));
    const r = { person_id: v.person_id, kind: 'due_soon' as const, due_date: '2030-01-01', channel: 'database', message: '提醒' };
    await db.insertInto('followup_reminder').values(r).execute();
    await refused(() => db.insertInto('followup_reminder').values(r).execute());
    await refused(() => db.insertInto('followup_reminder').values({ ...r, kind: 'due_soon', due_date: '2030-01-02', message: '' }).execute());
  });
});

describe('migration 0008', () => {
  it('keeps a ticked danger-signs checkbox as the sign "unspecified", and nothing for the others', async () => {
    const db = t.database.db;
    const [a, b] = await db.selectFrom('followup_visit').select('id').orderBy('id').limit(2).execute();
    await m0008.down(db as never);
    await sql`update followup_visit set danger_signs = true where id = ${a.id}`.execute(db);
    await m0008.up(db as never);
    const rows = await db.selectFrom('followup_visit').select(['id', 'urgent_signs']).where('id', 'in', [a.id, b.id]).orderBy('id').execute();
    expect(rows).toEqual([{ id: a.id, urgent_signs: ['unspecified'] }, { id: b.id, urgent_signs: [] }]);
    const left = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name = 'followup_visit' and column_name = 'danger_signs'`.execute(db);
    expect(left.rows[0].n).toBe(0);
  });
});

describe('demo history', () => {
  it('gives most registered patients 3–5 follow-ups in the past year, a share overdue, classified as the rules say', async () => {
    const db = t.database.db;
    const asOf = '2026-06-15';
    const perPatient = await sql<{ n: number; overdue: boolean }>`
      select (select count(*)::int from followup_visit v where v.person_id = r.person_id and v.visit_date > ${asOf}::date - 365) as n,
             coalesce((select s.due_date < ${asOf}::date from followup_state s where s.person_id = r.person_id), true) as overdue
      from (select distinct person_id from registration where effective_to is null) r`.execute(db);
    const rows = perPatient.rows;
    const share = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
    expect(rows.length).toBeGreaterThan(500);
    const hist = new Map<number, number>();
    for (const r of rows) hist.set(Math.min(r.n, 9), (hist.get(Math.min(r.n, 9)) ?? 0) + 1);
    expect(share((r) => r.n >= 3 && r.n <= 5), JSON.stringify([...hist].sort((a, b) => a[0] - b[0]))).toBeGreaterThan(0.5);
    expect(share((r) => r.overdue)).toBeGreaterThan(0.05);
    // one in five lapsed and rechecks often weeks late (docs/demo.md): a real share, not most
    expect(share((r) => r.overdue)).toBeLessThan(0.5);
    // BP responds to treatment: on average the last visit's systolic is below the first's
    const trend = await sql<{ first: number; last: number }>`
      select avg(first)::float as first, avg(last)::float as last from (
        select (array_agg(systolic order by visit_date))[1] as first, (array_agg(systolic order by visit_date desc))[1] as last
        from followup_visit group by person_id having count(*) >= 3) x`.execute(db);
    expect(trend.rows[0].last).toBeLessThan(trend.rows[0].first);
    // every stored classification is the engine's (sampled)
    const sample = await db.selectFrom('followup_visit as v').innerJoin('person as p', 'p.id', 'v.person_id')
      .select(['v.person_id', 'v.visit_date', 'v.diseases', 'v.systolic', 'v.diastolic', 'v.fasting_glucose_tenths', 'v.adverse_reaction', 'v.classification', 'v.next_visit_date', 'p.birth_date'])
      .orderBy('v.id').limit(300).execute();
    for (const s of sample) {
      const prev = await db.selectFrom('followup_visit').select(['per_disease', 'visit_date', 'systolic', 'diastolic', 'fasting_glucose_tenths']).where('person_id', '=', s.person_id).where('visit_date', '<', s.visit_date)
        .orderBy('visit_date', 'desc').limit(1).executeTakeFirst();
      const prevReadings = prev && { systolic: prev.systolic, diastolic: prev.diastolic, fastingGlucoseTenths: prev.fasting_glucose_tenths };
      const r = classifyVisit({
        visitDate: s.visit_date, birthDate: s.birth_date, diseases: s.diseases as Disease[],
        readings: { systolic: s.systolic, diastolic: s.diastolic, fastingGlucoseTenths: s.fasting_glucose_tenths },
        adverseReaction: s.adverse_reaction, previous: Object.fromEntries((prev?.per_disease ?? []).map((p) => [p.disease, { visitDate: prev!.visit_date, readings: prevReadings! }])),
      });
      expect([r.classification, r.nextVisitDate]).toEqual([s.classification, s.next_visit_date]);
    }
    const state = await db.selectFrom('followup_state as s').innerJoin('followup_visit as v', 'v.id', 's.last_visit_id')
      .select((eb) => eb.fn.countAll<number>().as('n')).whereRef('s.due_date', '!=', 'v.next_visit_date').executeTakeFirstOrThrow();
    expect(Number(state.n)).toBe(0);
  });
});

describe('scheduler', () => {
  it('runs the reminder job once a day, on the injected clock', async () => {
    const clock = { now: new Date('2026-06-15T02:00:00Z') };
    const ctx = { db: t.database.db, now: () => clock.now };
    let failure: unknown = null;
    const s = startReminderScheduler(ctx, { everyMs: 3_600_000, onError: (e) => { failure = e; } });
    try {
      await s.tick();
      await s.tick();
      const runs = async () => (await t.database.db.selectFrom('job_run').select(['run_date', 'result']).where('job', '=', 'reminders').orderBy('run_date').execute());
      expect((await runs()).map((r) => r.run_date)).toEqual(['2026-06-15']);
      const created = Number((await t.database.db.selectFrom('followup_reminder').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(created).toBeGreaterThan(10);
      clock.now = new Date('2026-06-16T02:00:00Z');
      await s.tick();
      expect((await runs()).map((r) => r.run_date)).toEqual(['2026-06-15', '2026-06-16']);
      expect((await runs())[1].result).toMatchObject({ date: '2026-06-16' });
      expect(failure).toBeNull();
    } finally {
      s.stop();
    }
  });
});
