// A smart-audit finding planted on a real claim of the demo city and confirmed with a deduction through the
// API, as a county reviewer would: what the provider-payment tests need to see a recovery (the test city runs
// no audit of its own).
import { sql } from 'kysely';
import type { TestApp } from './app';

export interface PlantedClaim { id: string; person_id: string; institution_id: string; county_code: string; service_date: string; town: string; community: string; fund: number }

/**
 * A settled claim between the days, of a pilot township's resident (a township with a health centre) at a
 * grassroots member of a medical community in one of the counties, paid something by the fund.
 */
export async function townshipClaim(t: TestApp, o: { counties: string[]; from: string; to: string; town?: string }): Promise<PlantedClaim | undefined> {
  const { rows } = await sql<PlantedClaim>`
    select c.id, c.person_id, c.institution_id, i.county_code, c.service_date::text, substr(p.region_code, 1, 9) as town, i.medical_community_id as community, c.fund_pay_fen as fund
    from claim c join person p on p.id = c.person_id join institution i on i.id = c.institution_id
    where c.status = 'settled' and c.service_date between ${o.from}::date and ${o.to}::date and c.fund_pay_fen >= 200
      and i.county_code = any(${o.counties}::text[]) and p.insurance_type = 'resident' and i.level = 'grassroots' and i.medical_community_id is not null
      and ${o.town ? sql`substr(p.region_code, 1, 9) = ${o.town}` : sql`true`}
      and exists (select 1 from institution k where k.kind = 'township_health_centre' and k.region_code = substr(p.region_code, 1, 9))
    order by c.id limit 1`.execute(t.ctx.db);
  return rows[0];
}

/** An open early-refill finding on the claim, as the audit run writes one. */
export async function plantFinding(t: TestApp, c: PlantedClaim): Promise<string> {
  const db = t.ctx.db;
  await sql`insert into audit_rule (code, version, title_zh, title_en, description_zh, description_en, subject, params, points, active)
    values ('early_refill', 1, '提前配药', 'Early refill', '测试', 'test', 'claim', '{}', 2, true) on conflict do nothing`.execute(db);
  const rule = await db.selectFrom('audit_rule').select('version').where('code', '=', 'early_refill').orderBy('version', 'desc').executeTakeFirstOrThrow();
  const run = await db.insertInto('audit_run').values({ service_date: c.service_date, trigger: 'cli', started_at: t.clock.now, finished_at: t.clock.now, rule_versions: '{}' }).returning('id').executeTakeFirstOrThrow();
  const f = await db.insertInto('audit_finding').values({
    finding_key: `planted:${c.id}`, rule_code: 'early_refill', rule_version: rule.version, service_date: c.service_date, county_code: c.county_code,
    claim_id: c.id, person_id: c.person_id, institution_id: c.institution_id, evidence: JSON.stringify({ planted: true }), amount_fen: c.fund, run_id: run.id, found_at: t.clock.now,
  }).returning('id').executeTakeFirstOrThrow();
  return f.id;
}

/** The finding's county reviewer signed in (their session cookie). */
export async function countyReviewer(t: TestApp, county: string): Promise<string> {
  const u = await t.ctx.db.selectFrom('app_user').select('username').where('role', '=', 'insurance_reviewer').where('region_code', '=', county).executeTakeFirstOrThrow();
  return t.login(u.username);
}

/** Confirms the finding with a deduction against the institution (POST …/confirm), or throws with the answer. */
export async function confirmFinding(t: TestApp, id: string, county: string, deductionFen: number): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: `/api/smart-audit/findings/${id}/confirm`, headers: { cookie: await countyReviewer(t, county) }, payload: { deductionFen, against: 'institution' } });
  if (res.statusCode !== 200) throw new Error(`confirm ${id}: ${res.statusCode} ${res.body}`);
}
