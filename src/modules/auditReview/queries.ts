// Reads for the smart audit's review: the findings with what a reviewer needs beside them, the claims and
// prescriptions they name, the population a sample is drawn from. Findings and samples are coordinator
// tables naming claims by id; a claim is found through its primary key (id, person_id), its lines with
// the person named (docs/scale.md).
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { AuditFindingStatus } from '../../db/schema';

/** What the fund pays for a claim now: its split at settlement plus what re-settling booked on it (补扣/补付). */
export const fundPayNow = (claim: string) => sql<number>`(${sql.ref(`${claim}.fund_pay_fen`)} + coalesce((select sum(a.fund_pay_fen) from claim_adjustment a
  where a.person_id = ${sql.ref(`${claim}.person_id`)} and a.claim_id = ${sql.ref(`${claim}.id`)}), 0))::bigint`;

export interface FindingFilter {
  /** The caller's region: findings whose county starts with it ('' = every county). */
  prefix: string;
  status?: AuditFindingStatus;
  rule?: string;
  institutionId?: string;
  from?: string;
  to?: string;
}

function findingsBase(db: Database) {
  return db.selectFrom('audit_finding as f')
    .innerJoin('audit_rule as r', (j) => j.onRef('r.code', '=', 'f.rule_code').onRef('r.version', '=', 'f.rule_version'))
    .innerJoin('institution as i', 'i.id', 'f.institution_id')
    .leftJoin('person as p', 'p.id', 'f.person_id')
    .leftJoin('app_user as d', 'd.id', 'f.doctor_id')
    .leftJoin('app_user as u', 'u.id', 'f.decided_by');
}

const findingColumns = [
  'f.id', 'f.rule_code', 'f.rule_version', 'f.service_date', 'f.county_code', 'f.status', 'f.amount_fen', 'f.deduction_fen', 'f.deduction_against',
  'f.decision_reason', 'f.decided_at', 'f.found_at', 'f.evidence', 'f.claim_id', 'f.prescription_id', 'f.person_id', 'f.doctor_id', 'f.run_id',
  'r.title_zh', 'r.title_en', 'r.description_zh', 'r.description_en', 'r.national_rule', 'r.points', 'r.params',
  'i.id as institution_id', 'i.code as institution_code', 'i.name as institution_name', 'i.level as institution_level',
  'p.name as person_name', 'p.id_number', 'd.display_name as doctor_name', 'u.display_name as decided_by_name',
] as const;

export function findingsPage(db: Database, f: FindingFilter, limit: number, offset: number) {
  return filtered(findingsBase(db).select(findingColumns), f)
    // open first, then the oldest service date; id last so pages never overlap
    .orderBy(sql`(f.status = 'open')`, 'desc').orderBy('f.service_date').orderBy('f.rule_code').orderBy('f.id')
    .limit(limit).offset(offset).execute();
}
export type FindingRow = Awaited<ReturnType<typeof findingsPage>>[number];

export async function findingsCount(db: Database, f: FindingFilter) {
  const row = await filtered(db.selectFrom('audit_finding as f').select((eb) => eb.fn.countAll<string>().as('n')), f).executeTakeFirstOrThrow();
  return Number(row.n);
}

// a where-builder shared by the page and its count (both select from `audit_finding as f`)
function filtered<Q extends { where(e: Expression<SqlBool>): Q }>(qb: Q, f: FindingFilter): Q {
  let q = qb.where(sql<SqlBool>`f.county_code like ${`${f.prefix}%`}`);
  if (f.status) q = q.where(sql<SqlBool>`f.status = ${f.status}`);
  if (f.rule) q = q.where(sql<SqlBool>`f.rule_code = ${f.rule}`);
  if (f.institutionId) q = q.where(sql<SqlBool>`f.institution_id = ${f.institutionId}`);
  if (f.from) q = q.where(sql<SqlBool>`f.service_date >= ${f.from}::date`);
  if (f.to) q = q.where(sql<SqlBool>`f.service_date <= ${f.to}::date`);
  return q;
}

export function findingById(db: Database, id: string) {
  return findingsBase(db).select(findingColumns).where('f.id', '=', id).executeTakeFirst();
}

export function findingEvents(db: Database, findingId: string) {
  return db.selectFrom('audit_finding_event as e').leftJoin('app_user as u', 'u.id', 'e.user_id')
    .select(['e.at', 'e.action', 'e.from_status', 'e.to_status', 'e.reason', 'e.detail', 'u.display_name as by'])
    .where('e.finding_id', '=', findingId).orderBy('e.id').execute();
}

/** The claims findings name, with their lines (drug names from the catalogue). */
export async function claimsWithLines(db: Database, ids: string[]) {
  if (!ids.length) return [];
  const { rows } = await sql<{
    id: string; person_id: string; settlement_no: string; service_date: string; status: string; amount_fen: number; fund_pay_fen: number;
    lines: Array<{ lineNo: number; drugCode: string; drugName: string; quantity: number; daysSupply: number; amountFen: number; fundPayFen: number }>;
  }>`
    select c.id, c.person_id, c.settlement_no, c.service_date::text as service_date, c.status, c.amount_fen, ${fundPayNow('c')} as fund_pay_fen,
      (select coalesce(json_agg(json_build_object('lineNo', l.line_no, 'drugCode', l.drug_code, 'drugName', dr.generic_name_zh, 'quantity', l.quantity,
          'daysSupply', l.days_supply, 'amountFen', l.amount_fen, 'fundPayFen', l.fund_pay_fen) order by l.line_no), '[]')
        from claim_line l join drug dr on dr.code = l.drug_code where l.person_id = c.person_id and l.claim_id = c.id) as lines
    from claim c where c.id in (${sql.join(ids)})`.execute(db);
  return rows;
}

/** The prescriptions findings name, with their lines. */
export async function prescriptionsWithLines(db: Database, ids: string[]) {
  if (!ids.length) return [];
  const { rows } = await sql<{
    id: string; prescription_no: string; written_on: string; status: string; days_supply: number;
    lines: Array<{ lineNo: number; drugCode: string; drugName: string; doseMilli: number; frequency: string; daysSupply: number; quantity: number }>;
  }>`
    select p.id, p.prescription_no, p.written_on::text as written_on, p.status, p.days_supply,
      (select coalesce(json_agg(json_build_object('lineNo', l.line_no, 'drugCode', l.drug_code, 'drugName', dr.generic_name_zh, 'doseMilli', l.dose_milli,
          'frequency', l.frequency, 'daysSupply', l.days_supply, 'quantity', l.quantity) order by l.line_no), '[]')
        from prescription_line l join drug dr on dr.code = l.drug_code where l.person_id = p.person_id and l.prescription_id = p.id) as lines
    from prescription p where p.id in (${sql.join(ids)})`.execute(db);
  return rows;
}

/**
 * A county's claims in a period that a sample may draw: settled (not reversed), at an institution of
 * the county, and named by no finding whatever its status.
 */
export async function unflaggedClaims(db: Database, county: string, from: string, to: string) {
  const { rows } = await sql<{ id: string; person_id: string; institution_id: string; amount_fen: number; fund_pay_fen: number }>`
    select c.id, c.person_id, c.institution_id, c.amount_fen, ${fundPayNow('c')} as fund_pay_fen
    from claim c join institution i on i.id = c.institution_id
    where i.county_code like ${`${county}%`} and c.status = 'settled' and c.service_date between ${from}::date and ${to}::date
      and not exists (select 1 from audit_finding f where f.claim_id = c.id)
      -- a claim the fund pays nothing for cannot have cost the fund: reviewing it would spend the sample on nothing
      and ${fundPayNow('c')} > 0`.execute(db);
  return rows;
}
