// Writing patients' month rows (indicator_month): for everyone when a month is first built, and for one
// patient whenever their record changes — in the transaction that changed it, so a rate read right after
// already counts the change. A claim adds to the rows in the counter's own statement (claimUpdate).
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import { insertMany } from '../../db/bulk';
import { addMonthsToMonth, monthOf, type IsoDate } from '../../engine/calendar';
import { INDICATOR_VERSION, patientMonth, type PatientMonth } from '../../engine/indicators/patientMonth';
import { loadFacts } from './facts';

const BATCH = 2000;
/** A `from` before every month: a change that touches all of a person's rows (their county, a diagnosis). */
export const ALL_MONTHS = '1900-01-01';

const COLUMNS = {
  person_id: 'uuid', month: 'date', version: 'text', county_code: 'text', insurance_type: 'text', team_id: 'uuid', institution_id: 'uuid',
  alive: 'boolean', diagnosed: 'boolean', registered: 'boolean', annual_check: 'boolean',
  ht_diagnosed: 'boolean', dm_diagnosed: 'boolean', ht_registered: 'boolean', dm_registered: 'boolean', ht_owed: 'smallint', dm_owed: 'smallint',
  ht_face_to_face: 'smallint', dm_face_to_face: 'smallint', ht_control: 'text', dm_control: 'text',
  q_grassroots: 'integer', q_hospital: 'integer', q_pharmacy: 'integer', q_amount_fen: 'bigint', q_fund_pay_fen: 'bigint',
  y_grassroots: 'integer', y_hospital: 'integer', y_pharmacy: 'integer', y_amount_fen: 'bigint', y_fund_pay_fen: 'bigint',
  q_filed: 'smallint', q_confirmed: 'smallint', q_returned: 'smallint', q_dispensed: 'smallint', q_delivered: 'smallint',
  y_filed: 'smallint', y_confirmed: 'smallint', y_returned: 'smallint', y_dispensed: 'smallint', y_delivered: 'smallint',
  registered_year_before: 'boolean',
} as const;

const rowOf = (m: PatientMonth) => ({
  person_id: m.personId, month: `${m.month}-01`, version: m.version, county_code: m.countyCode, insurance_type: m.insuranceType, team_id: m.teamId, institution_id: m.institutionId,
  alive: m.alive, diagnosed: m.diagnosed, registered: m.registered, annual_check: m.annualCheck,
  ht_diagnosed: m.hypertension.diagnosed, dm_diagnosed: m.diabetes.diagnosed, ht_registered: m.hypertension.registered, dm_registered: m.diabetes.registered,
  ht_owed: m.hypertension.owed, dm_owed: m.diabetes.owed, ht_face_to_face: m.hypertension.faceToFace, dm_face_to_face: m.diabetes.faceToFace,
  ht_control: m.hypertension.control, dm_control: m.diabetes.control,
  q_grassroots: m.quarter.grassroots, q_hospital: m.quarter.hospital, q_pharmacy: m.quarter.pharmacy, q_amount_fen: m.quarter.amountFen, q_fund_pay_fen: m.quarter.fundPayFen,
  y_grassroots: m.year.grassroots, y_hospital: m.year.hospital, y_pharmacy: m.year.pharmacy, y_amount_fen: m.year.amountFen, y_fund_pay_fen: m.year.fundPayFen,
  q_filed: m.quarter.filed, q_confirmed: m.quarter.confirmed, q_returned: m.quarter.returned, q_dispensed: m.quarter.dispensed, q_delivered: m.quarter.delivered,
  y_filed: m.year.filed, y_confirmed: m.year.confirmed, y_returned: m.year.returned, y_dispensed: m.year.dispensed, y_delivered: m.year.delivered,
  registered_year_before: m.registeredYearBefore,
});

/** Rewrites the rows of these people for these months ('YYYY-MM'), month by month so each month's rows lie together. */
async function writeRows(db: Database, personIds: string[], months: string[]) {
  const facts = await loadFacts(db, personIds);
  const firstDays = months.map((m) => `${m}-01`);
  await sql`delete from indicator_month where person_id = any(${personIds}::uuid[]) and month = any(${firstDays}::date[])`.execute(db);
  let written = 0;
  for (const month of months) {
    const rows = facts.map((f) => patientMonth(f, month)).filter((m): m is PatientMonth => m !== null).map(rowOf);
    await insertMany(db, 'indicator_month', COLUMNS, rows);
    written += rows.length;
  }
  return written;
}

/** The people the indicators know: a two-disease diagnosis, registration or claim. */
async function knownPeople(db: Database, after: string | null, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select p.id from person p
    where (${after}::uuid is null or p.id > ${after}::uuid)
      and (exists (select 1 from person_condition c where c.person_id = p.id and c.disease_code in ('hypertension', 'diabetes'))
        or exists (select 1 from registration r where r.person_id = p.id and r.disease_code in ('hypertension', 'diabetes')))
    order by p.id limit ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

export const builtMonths = async (db: Database): Promise<string[]> =>
  (await db.selectFrom('indicator_built_month').select('month').orderBy('month').execute()).map((r) => r.month.slice(0, 7));

/**
 * Builds these months for everyone (the demo after loading, a month on its first day or first asked for).
 * Each batch is its own statement group; call it inside a transaction when it must be all or nothing.
 */
export async function buildMonths(db: Database, months: string[], onProgress?: (done: number) => void) {
  if (!months.length) return 0;
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const ids = await knownPeople(db, after, BATCH);
    if (!ids.length) break;
    await writeRows(db, ids, months);
    done += ids.length;
    after = ids[ids.length - 1];
    onProgress?.(done);
  }
  for (const month of months)
    await sql`insert into indicator_built_month (month, version, patients) values (${`${month}-01`}::date, ${INDICATOR_VERSION}, ${done})
      on conflict (month) do update set version = excluded.version, patients = excluded.patients, built_at = now()`.execute(db);
  return done;
}

/** Makes sure a month's rows exist for everyone; one builder at a time (the marker row is the lock). */
export async function ensureMonth(db: Database, month: string) {
  const first = `${month}-01`;
  const have = await db.selectFrom('indicator_built_month').select('month').where('month', '=', first).executeTakeFirst();
  if (have) return false;
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('indicator_month'))`.execute(trx);
    const again = await trx.selectFrom('indicator_built_month').select('month').where('month', '=', first).executeTakeFirst();
    if (!again) await buildMonths(trx, [month]);
  });
  return true;
}

/**
 * After a change to one person's record dated `from`: their rows of every built month from that month on
 * are written again from their records. Call inside the transaction that made the change.
 */
export async function refreshPerson(db: Database, personId: string, from: IsoDate) {
  const months = (await builtMonths(db)).filter((m) => m >= monthOf(from));
  if (months.length) await writeRows(db, [personId], months);
}

/** The same for many people at once (an import): every built month from `from` on, a batch at a time. */
export async function refreshPeople(db: Database, personIds: string[], from: IsoDate) {
  const months = (await builtMonths(db)).filter((m) => m >= monthOf(from));
  if (!months.length) return;
  for (let i = 0; i < personIds.length; i += BATCH) await writeRows(db, personIds.slice(i, i + BATCH), months);
}

/** The months from January of the year before `today` to today's month: what the demo builds. */
export function recentMonths(today: IsoDate): string[] {
  const months: string[] = [];
  for (let m = `${Number(today.slice(0, 4)) - 1}-01`; m <= monthOf(today); m = addMonthsToMonth(m, 1)) months.push(m);
  return months;
}

/**
 * The counter's claim, added to the person's rows inside the counter's one statement (settlement/record.ts
 * puts it after the claim's insert, whose CTE is `c`): its month and the later built months of its
 * quarter (q_) and year (y_). Only its two-disease lines count; a claim without one adds nothing (null).
 * A reversal or a back-dated claim re-settles the year and refreshes the person instead (refreshPerson).
 */
export function claimUpdate(c: { personId: string; serviceDate: IsoDate; level: string; lines: Array<{ scope: string; amount_fen: number; fund_pay_fen: number }> }) {
  const two = c.lines.filter((l) => l.scope === 'two_disease');
  if (!two.length) return null;
  const amount = two.reduce((s, l) => s + l.amount_fen, 0);
  const fund = two.reduce((s, l) => s + l.fund_pay_fen, 0);
  const month = `${monthOf(c.serviceDate)}-01`;
  const year = c.serviceDate.slice(0, 4);
  const quarterEnd = `${year}-${String(Math.ceil(Number(c.serviceDate.slice(5, 7)) / 3) * 3).padStart(2, '0')}-01`;
  const [g, h, p] = [+(c.level === 'grassroots'), +(c.level === 'secondary' || c.level === 'tertiary'), +(c.level === 'pharmacy')];
  const q = (column: string, n: number) => sql`${sql.ref(column)} = ${sql.ref(column)} + case when m.month <= ${quarterEnd}::date then ${n}::bigint else 0 end`;
  const y = (column: string, n: number) => sql`${sql.ref(column)} = ${sql.ref(column)} + ${n}::bigint`;
  return sql`update indicator_month m set
      ${q('q_grassroots', g)}, ${q('q_hospital', h)}, ${q('q_pharmacy', p)}, ${q('q_amount_fen', amount)}, ${q('q_fund_pay_fen', fund)},
      ${y('y_grassroots', g)}, ${y('y_hospital', h)}, ${y('y_pharmacy', p)}, ${y('y_amount_fen', amount)}, ${y('y_fund_pay_fen', fund)}
    from c where m.person_id = ${c.personId}::uuid and m.month between ${month}::date and ${`${year}-12-01`}::date`;
}
