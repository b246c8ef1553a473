// Quote (试算), settle (结算) with an idempotency key, and reverse (冲正) a settled claim. A settlement
// is written only against the version of the person's accumulator it was computed from (or under its
// row lock when another counter got there first), so the fund never pays past a limit; each operation
// is one transaction.
import { refreshPerson } from '../indicators/service';
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { settle, type PersonYearState, type Settlement } from '../../engine/settlement';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { AppError, conflict, notFound } from '../../core/problem';
import { type Actor, writeAudit } from '../../core/audit';
import { type CounterClaimInput, prepareClaim, SCOPE_REASON_TEXT } from './counter';
import { requireAccess } from '../../core/access';
import { type SettlementRecord, recordSettlement } from './record';
import { adjustmentsOf, bookResettlement, loadYear, refold } from './resettle';
import { type ClaimLineRow, lineOut, receiptOf, settlementView } from './view';

interface Accumulator {
  state: PersonYearState;
  /** 0 while the person has no row for the year. */
  version: number;
  /** Latest service date settled this year; a claim dated before it re-settles the year. */
  lastServiceDate: string | null;
}

async function accumulator(db: Database, personId: string, year: number): Promise<Accumulator> {
  const row = await db.selectFrom('benefit_accumulator').select(['pools', 'version', 'last_service_date']).where('person_id', '=', personId).where('year', '=', year).executeTakeFirst();
  return { state: { year, pools: row?.pools ?? {} }, version: row?.version ?? 0, lastServiceDate: row?.last_service_date ?? null };
}

/** Creates the person's accumulator row for the year if needed and locks it, in one statement. */
async function lockAccumulator(db: Database, personId: string, year: number): Promise<Accumulator> {
  const row = await db
    .insertInto('benefit_accumulator')
    .values({ person_id: personId, year })
    .onConflict((oc) => oc.columns(['person_id', 'year']).doUpdateSet({ year }))
    .returning(['pools', 'version', sql<string | null>`last_service_date::text`.as('last_service_date')])
    .executeTakeFirstOrThrow();
  return { state: { year, pools: row.pools }, version: row.version, lastServiceDate: row.last_service_date };
}

export type Prepared = Awaited<ReturnType<typeof prepareClaim>>;

function lineRows(prepared: Prepared, result: Settlement): ClaimLineRow[] {
  return prepared.lines.map((l, i) => {
    const s = result.lines[i];
    return {
      line_no: l.lineNo, drug_code: l.drug.code, generic_name_zh: l.drug.genericNameZh, strength: l.drug.strength, quantity: l.quantity,
      unit_price_fen: l.unitPriceFen, amount_fen: l.amountFen, days_supply: l.daysSupply, disease_code: l.disease, scope: l.scope,
      scope_reason: l.scopeReason, benefit: s.benefit, reason: s.reason, ratio_bp: s.ratioBp, fund_pay_fen: s.fundPay, deductible_fen: s.deductible,
      copay_fen: s.copay, over_limit_fen: s.overLimit, fund_remaining_fen: s.fundRemaining, explanation: `${SCOPE_REASON_TEXT[l.scopeReason]}；${s.explanation}`,
      drug_lists: l.drug.lists ?? null, extended: l.extended, critical_illness_fen: s.criticalIllness,
    };
  });
}

export async function quote(ctx: AppContext, actor: Actor, input: CounterClaimInput) {
  const prepared = await prepareClaim(ctx, actor, input, 'quote');
  const result = settle(prepared.entry.compiled, prepared.accumulator.state, prepared.claim);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'settlement_quote', personId: input.personId }]);
  return {
    personId: input.personId,
    serviceDate: prepared.claim.serviceDate,
    policy: { id: prepared.entry.id, name: prepared.entry.policy.name },
    institution: { id: prepared.institution.id, name: prepared.institution.name, level: prepared.institution.level },
    insuranceType: prepared.claim.insuranceType,
    lines: lineRows(prepared, result).map(lineOut),
    totals: totalsOut(result),
    benefits: prepared.eligibility.benefits,
  };
}

const totalsOut = (r: Settlement) => ({
  amountFen: r.totals.amount, fundPayFen: r.totals.fundPay, deductibleFen: r.totals.deductible, copayFen: r.totals.copay,
  overLimitFen: r.totals.overLimit, criticalIllnessFen: r.totals.criticalIllness, selfPayFen: r.totals.amount - r.totals.fundPay,
});

const requestHash = (input: CounterClaimInput, date: string) =>
  createHash('sha256').update(JSON.stringify([input.personId, date, input.lines.map((l) => [l.drugCode, l.quantity, l.daysSupply ?? null])])).digest('hex');

/**
 * 结算. Reads everything first (one query), settles in memory, then writes in one statement that
 * holds only if the person's accumulator is unchanged; if another counter got there first, it settles
 * again under the row lock. A key already used returns the first result (the unique index decides).
 */
export async function settleClaim(ctx: AppContext, actor: Actor, input: CounterClaimInput & { idempotencyKey: string }) {
  const claimId = randomUUID();
  let prepared: Prepared;
  try {
    prepared = await prepareClaim(ctx, actor, input, claimId);
  } catch (err) {
    // a retry of a settled purchase gets its first result even where settling it anew would be refused
    // (the 30-day window has passed, the person moved out): the key is looked up only on this rare path
    if (err instanceof AppError) {
      const first = actor.user.institutionId ? await findByKey(ctx.db, actor.user.institutionId, input.idempotencyKey, input.personId) : undefined;
      if (first) return replay(ctx, actor, first, input);
    }
    throw err;
  }
  const read = prepared.accumulator;
  const record = recorder(prepared, input, claimId, ctx.now());
  try {
    // a claim dated before the year's latest settles in its place in the year, and the later claims again
    if (read.lastServiceDate !== null && prepared.claim.serviceDate < read.lastServiceDate) return await settleBackdated(ctx, actor, prepared, record);
    let row = record(read);
    let written: string | false = await recordSettlement(ctx.db, actor, row);
    if (!written) {
      written = await ctx.db.transaction().execute(async (trx) => {
        const locked = await lockAccumulator(trx, input.personId, read.state.year);
        if (locked.lastServiceDate !== null && prepared.claim.serviceDate < locked.lastServiceDate) return false;
        row = record(locked);
        return recordSettlement(trx, actor, row);
      });
      if (!written) return await settleBackdated(ctx, actor, prepared, record);
    }
    return { replayed: false, settlement: receiptFromMemory(ctx, prepared, row, actor, written) };
  } catch (err) {
    // the key was used before (a retry, or the same key from two counters at once): the first claim stands
    if ((err as { code?: string }).code === '23505') {
      const first = await findByKey(ctx.db, prepared.institution.id, input.idempotencyKey, input.personId);
      if (first) return replay(ctx, actor, first, input);
    }
    throw err;
  }
}

/** What settling the prepared claim on a given accumulator writes. */
function recorder(prepared: Prepared, input: CounterClaimInput & { idempotencyKey: string }, claimId: string, at: Date) {
  return (acc: Accumulator): SettlementRecord => {
    const result = settle(prepared.entry.compiled, acc.state, prepared.claim);
    return {
      claimId, personId: input.personId, institutionId: prepared.institution.id, idempotencyKey: input.idempotencyKey,
      requestHash: requestHash(input, prepared.claim.serviceDate), serviceDate: prepared.claim.serviceDate, insuranceType: prepared.claim.insuranceType,
      institutionLevel: prepared.claim.institutionLevel, policyId: prepared.entry.id, atChosenInstitution: prepared.claim.atChosenInstitution !== false,
      totals: result.totals, lines: lineRows(prepared, result), pools: result.newState.pools, readVersion: acc.version, at,
    };
  };
}

/**
 * Settles a prepared claim inside the caller's transaction (a dispense writes its claim with its own
 * rows: dispensing/dispense.ts): under the accumulator's row lock, so it cannot lose a race. A claim
 * dated before the person's latest one is refused here — a dispense is always today's.
 * Answers the receipt as GET /api/settlements/:id shows it.
 */
export async function settleWithin(trx: Database, ctx: AppContext, actor: Actor, prepared: Prepared, input: CounterClaimInput & { idempotencyKey: string }, claimId: string) {
  const locked = await lockAccumulator(trx, input.personId, Number(prepared.claim.serviceDate.slice(0, 4)));
  if (locked.lastServiceDate !== null && prepared.claim.serviceDate < locked.lastServiceDate)
    throw conflict('later_claim_exists', `The person has a claim dated ${locked.lastServiceDate}, after ${prepared.claim.serviceDate}`);
  const row = recorder(prepared, input, claimId, ctx.now())(locked);
  const settlementNo = await recordSettlement(trx, actor, row);
  if (!settlementNo) throw new Error('settlement under the accumulator lock was not written');
  return { row, receipt: receiptFromMemory(ctx, prepared, row, actor, settlementNo) };
}

/** The first claim settled with an idempotency key at an institution, if any. */
export const claimByKey = findByKey;

/**
 * A claim dated before the latest one of the person's year: under the accumulator's lock, the year is
 * settled again in service-date order with the new claim in its place; the new claim is written with
 * the split it gets there, and every later claim whose split changes gets an adjustment.
 */
async function settleBackdated(ctx: AppContext, actor: Actor, prepared: Prepared, record: (acc: Accumulator) => SettlementRecord) {
  const { claim } = prepared;
  const personId = prepared.person.id;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockAccumulator(trx, personId, Number(claim.serviceDate.slice(0, 4)));
    const stored = await loadYear(trx, personId, locked.state.year);
    const before = stored.filter((c) => c.serviceDate <= claim.serviceDate);
    const after = stored.filter((c) => c.serviceDate > claim.serviceDate);
    const upTo = refold(ctx.policies, locked.state.year, before);
    const r = record({ ...locked, state: upTo.state });
    const all = refold(ctx.policies, locked.state.year, [...before, { policyId: prepared.entry.id, claim }, ...after]);
    // the new claim's accumulator write holds the state after the whole year, under the lock just taken
    const written = await recordSettlement(trx, actor, { ...r, pools: all.state.pools, readVersion: locked.version });
    if (!written) throw new Error('back-dated settlement under the accumulator lock was not written');
    const adjustments = adjustmentsOf(stored, all);
    await bookResettlement(trx, { userId: actor.user.id, personId, year: locked.state.year, cause: 'backdated', causedBy: r.claimId, at: r.at }, adjustments, all.state, locked.lastServiceDate);
    await refreshPerson(trx, personId, claim.serviceDate); // the year re-settled: later claims' splits changed
    return r;
  });
  return { replayed: false, settlement: await settlementView(ctx.db, ctx.policies, personId, row.claimId) };
}
/** The receipt of a claim just written, from what was written (GET /api/settlements/:id reads the same). */
function receiptFromMemory(ctx: AppContext, prepared: Prepared, r: SettlementRecord, actor: Actor, settlementNo: string) {
  const t = r.totals;
  return receiptOf(
    {
      id: r.claimId, status: 'settled', person_id: r.personId, person_name: prepared.person.name, id_number: prepared.person.id_number,
      institution_id: r.institutionId, institution_name: prepared.institution.name, institution_level: r.institutionLevel, service_date: r.serviceDate,
      insurance_type: r.insuranceType, policy_id: r.policyId, idempotency_key: r.idempotencyKey, settled_at: r.at, reversed_at: null, reversal_reason: null,
      amount_fen: t.amount, fund_pay_fen: t.fundPay, deductible_fen: t.deductible, copay_fen: t.copay, over_limit_fen: t.overLimit, critical_illness_fen: t.criticalIllness,
      settlement_no: settlementNo, institution_code: prepared.institution.code,
    },
    ctx.policies,
    r.lines,
    [{ at: r.at, from_status: null, to_status: 'settled', reason: null, by: actor.user.displayName }],
  );
}

/** A key is the person's at an institution (unique with person_id, so the lookup stays on the person's shard). */
function findByKey(db: Database, institutionId: string, key: string, personId: string) {
  return db.selectFrom('claim').select(['id', 'request_hash', 'service_date', 'person_id'])
    .where('institution_id', '=', institutionId).where('idempotency_key', '=', key).where('person_id', '=', personId).executeTakeFirst();
}

async function replay(ctx: AppContext, actor: Actor, existing: { id: string; request_hash: string; service_date: string; person_id: string }, input: CounterClaimInput) {
  if (existing.request_hash !== requestHash(input, input.serviceDate ?? existing.service_date))
    throw conflict('idempotency_key_reused', 'This idempotency key was used for a different claim');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'claim', entityId: existing.id, personId: existing.person_id, detail: { replay: true } }]);
  return { replayed: true, settlement: await settlementView(ctx.db, ctx.policies, existing.person_id, existing.id) };
}

/**
 * 冲正: the claim is reversed and the person's year settled again without it (resettle.ts); later
 * claims whose split changes get adjustments, and the reversal's receipt shows what the patient gets
 * back or owes at this counter.
 */
export async function reverseClaim(ctx: AppContext, actor: Actor, claimId: string, reason: string) {
  // a claim is reversed where it was settled; one that does not exist is refused alike (checked before
  // the transaction, so that the refusal's audit row stays). The bare id is found through the primary
  // key (id, person_id); every statement after it names the person.
  const where = await ctx.db.selectFrom('claim').select(['person_id', 'institution_id']).where('id', '=', claimId).executeTakeFirst();
  await requireAccess(ctx, actor, 'claim.reverse', { personId: where?.person_id ?? null, institutionId: where?.institution_id ?? null });
  if (!where) throw notFound('No such claim');
  const personId = where.person_id;
  await ctx.db.transaction().execute((trx) => reverseWithin(trx, ctx, actor, personId, claimId, reason));
  return settlementView(ctx.db, ctx.policies, personId, claimId);
}

/**
 * The reversal's writes, inside the caller's transaction (a returned dispense reverses its claim with
 * its stock in one transaction): the claim, the person's year settled again without it, its event.
 */
export async function reverseWithin(trx: Database, ctx: AppContext, actor: Actor, personId: string, claimId: string, reason: string) {
  const claim = await trx.selectFrom('claim').selectAll().where('person_id', '=', personId).where('id', '=', claimId).forUpdate().executeTakeFirstOrThrow();
  if (claim.status !== 'settled') throw conflict('already_reversed', 'This claim has already been reversed');
  const year = Number(claim.service_date.slice(0, 4));
  await lockAccumulator(trx, claim.person_id, year);
  const at = ctx.now();
  await trx.updateTable('claim').set({ status: 'reversed', reversed_by: actor.user.id, reversed_at: at, reversal_reason: reason }).where('person_id', '=', personId).where('id', '=', claimId).execute();
  const stored = await loadYear(trx, claim.person_id, year);
  const refolded = refold(ctx.policies, year, stored);
  const last = stored.length ? stored[stored.length - 1].serviceDate : null;
  await bookResettlement(trx, { userId: actor.user.id, personId: claim.person_id, year, cause: 'reversal', causedBy: claimId, at }, adjustmentsOf(stored, refolded), refolded.state, last);
  await trx.insertInto('claim_event').values({ claim_id: claimId, person_id: claim.person_id, user_id: actor.user.id, from_status: 'settled', to_status: 'reversed', reason, at }).execute();
  await refreshPerson(trx, claim.person_id, claim.service_date);
  await writeAudit(trx, actor, [{ action: 'update', entity: 'claim', entityId: claimId, personId: claim.person_id, detail: { reverse: reason } }]);
}

export { prepareClaim, type CounterClaimInput } from './counter';
export { settlementView } from './view';

export async function getSettlement(ctx: AppContext, actor: Actor, claimId: string) {
  const claim = await ctx.db
    .selectFrom('claim')
    .innerJoin('person', 'person.id', 'claim.person_id')
    .select(['claim.person_id', 'claim.institution_id', 'person.region_code'])
    // the bare id of the URL, found through the primary key (id, person_id); the person is known from here on
    .where('claim.id', '=', claimId)
    .executeTakeFirst();
  // the patient sees their own; the county agency its county's people; a counter or institution its own claims
  await requireAccess(ctx, actor, 'claim.read', { personId: claim?.person_id ?? null, regionCode: claim?.region_code ?? null, institutionId: claim?.institution_id ?? null });
  if (!claim) throw notFound('No such claim');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'claim', entityId: claimId, personId: claim.person_id }]);
  return settlementView(ctx.db, ctx.policies, claim.person_id, claimId);
}

/** A person's claims of a year, newest first, with what is left of each pool. */
export async function personClaims(ctx: AppContext, actor: Actor, personId: string, year: number) {
  await requireAccess(ctx, actor, 'person.claims.read', { personId });
  const rows = await ctx.db
    .selectFrom('claim')
    .innerJoin('institution as i', 'i.id', 'claim.institution_id')
    .select(['claim.id', 'claim.service_date', 'claim.status', 'claim.amount_fen', 'claim.fund_pay_fen', 'i.name as institution_name'])
    .where('claim.person_id', '=', personId)
    .where(sql<boolean>`extract(year from claim.service_date) = ${year}`)
    .orderBy('claim.service_date', 'desc')
    .orderBy('claim.settled_at', 'desc')
    .execute();
  const { state } = await accumulator(ctx.db, personId, year);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'claim', personId, detail: { year } }]);
  return {
    year,
    pools: state.pools,
    claims: rows.map((r) => ({ id: r.id, serviceDate: r.service_date, status: r.status, amountFen: r.amount_fen, fundPayFen: r.fund_pay_fen, institution: r.institution_name })),
  };
}

