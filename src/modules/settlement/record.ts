// Writing a settlement: the accumulator, the claim, its lines, its first event and the audit row in
// ONE statement, which PostgreSQL runs as one transaction (with the claim's addition to the indicators' rows). The accumulator changes only if its
// version is still the one the engine read; otherwise nothing is written and the caller retries
// under a lock. One round trip per sale is what lets a counter answer in milliseconds.
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { Actor } from '../../core/audit';
import type { ClaimLineRow } from './view';
import { claimUpdate } from '../indicators/service';

export interface SettlementRecord {
  claimId: string;
  personId: string;
  institutionId: string;
  idempotencyKey: string;
  requestHash: string;
  serviceDate: string;
  insuranceType: string;
  institutionLevel: string;
  policyId: string;
  atChosenInstitution: boolean;
  totals: { amount: number; fundPay: number; deductible: number; copay: number; overLimit: number; criticalIllness: number };
  lines: ClaimLineRow[];
  /** The person's pools after this claim, and the accumulator version they were computed from (0: no row yet). */
  pools: object;
  readVersion: number;
  at: Date;
}

/**
 * The settlement number (结算单号) when written; false when the accumulator moved since it was read
 * (nothing is written then). The number comes from claim_settlement_no() (migration 0014): the
 * institution's code, the service date and the next value of one sequence — unique by construction.
 */
export async function recordSettlement(db: Database, actor: Actor, r: SettlementRecord): Promise<string | false> {
  const year = Number(r.serviceDate.slice(0, 4));
  const t = r.totals;
  const { rows } = await sql<{ id: string; settlement_no: string }>`
    with acc as (
      insert into benefit_accumulator as a (person_id, year, pools, version, last_service_date, updated_at)
      values (${r.personId}, ${year}, ${JSON.stringify(r.pools)}::jsonb, ${r.readVersion + 1}, ${r.serviceDate}::date, ${r.at})
      on conflict (person_id, year) do update set pools = excluded.pools, version = a.version + 1, updated_at = excluded.updated_at,
        last_service_date = greatest(a.last_service_date, excluded.last_service_date)
        where a.version = ${r.readVersion}
      returning a.version
    ), c as (
      insert into claim (id, person_id, institution_id, idempotency_key, request_hash, service_date, insurance_type, institution_level, policy_id,
        amount_fen, fund_pay_fen, deductible_fen, copay_fen, over_limit_fen, critical_illness_fen, settled_by, settled_at, at_chosen_institution, settlement_no)
      select ${r.claimId}::uuid, ${r.personId}::uuid, ${r.institutionId}::uuid, ${r.idempotencyKey}, ${r.requestHash}, ${r.serviceDate}::date,
        ${r.insuranceType}, ${r.institutionLevel}, ${r.policyId}, ${t.amount}, ${t.fundPay}, ${t.deductible}, ${t.copay}, ${t.overLimit},
        ${t.criticalIllness}, ${actor.user.id}::uuid, ${r.at}::timestamptz, ${r.atChosenInstitution},
        claim_settlement_no(${r.institutionId}::uuid, ${r.serviceDate}::date)
      from acc
      returning id, settlement_no
    ), lines as (
      insert into claim_line (claim_id, person_id, line_no, drug_code, quantity, unit_price_fen, amount_fen, days_supply, disease_code, scope, scope_reason,
        benefit, reason, ratio_bp, fund_pay_fen, deductible_fen, copay_fen, over_limit_fen, fund_remaining_fen, explanation, drug_lists, extended, critical_illness_fen)
      select c.id, ${r.personId}::uuid, l.line_no, l.drug_code, l.quantity, l.unit_price_fen, l.amount_fen, l.days_supply, l.disease_code, l.scope, l.scope_reason,
        l.benefit, l.reason, l.ratio_bp, l.fund_pay_fen, l.deductible_fen, l.copay_fen, l.over_limit_fen, l.fund_remaining_fen, l.explanation,
        l.drug_lists, l.extended, l.critical_illness_fen
      from c, jsonb_to_recordset(${JSON.stringify(r.lines)}::jsonb) as l(line_no integer, drug_code text, quantity integer, unit_price_fen integer,
        amount_fen bigint, days_supply integer, disease_code text, scope text, scope_reason text, benefit text, reason text, ratio_bp integer,
        fund_pay_fen bigint, deductible_fen bigint, copay_fen bigint, over_limit_fen bigint, fund_remaining_fen bigint, explanation text,
        drug_lists text[], extended boolean, critical_illness_fen bigint)
    ), event as (
      insert into claim_event (claim_id, person_id, user_id, from_status, to_status, at)
      select c.id, ${r.personId}::uuid, ${actor.user.id}::uuid, null, 'settled', ${r.at}::timestamptz from c
    ), indicators as (
      ${claimUpdate({ personId: r.personId, serviceDate: r.serviceDate, level: r.institutionLevel, lines: r.lines }) ?? sql`select 1`}
    ), audit as (
      -- the same row writeAudit (core/audit.ts) would write, inside this statement
      insert into person_audit (user_id, username, role, action, entity, entity_id, person_id, ip)
      select ${actor.user.id}::uuid, ${actor.user.username}, ${actor.user.role}, 'create', 'claim', c.id::text, ${r.personId}::uuid, ${actor.ip} from c
    )
    select id, settlement_no from c
  `.execute(db);
  return rows.length === 1 ? rows[0].settlement_no : false;
}
