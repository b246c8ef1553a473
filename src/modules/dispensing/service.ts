// Dispensing (调剂发药) an approved prescription at the counter of the institution or chain pharmacy,
// in part or in full: what is handed over (drug, packs, batch, expiry) comes out of the counter's
// stock, and the claim is settled by the settlement service IN THE SAME TRANSACTION — no dispense
// without its claim, no claim without its dispense. Taking a dispense back (退药; a failed or returned
// delivery) reverses the claim and gives the stock back, again in one transaction.
import { ALL_MONTHS, refreshPerson } from '../indicators/service';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { shanghaiDate } from '../../engine/calendar';
import { daysCovered, dailyUnits, fill, statusAfterFills, statusAfterTakeBack, type PrescriptionStatus } from '../../engine/prescription';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../core/problem';
import { claimByKey, type CounterClaimInput, prepareClaim, quote, reverseWithin, settlementView, settleWithin } from '../settlement/service';
import { returnStock, takeStock, type TakenBatch } from '../stock/service';
import { drugCatalogue, findPrescription, fillQueueOf, linesOf, prescriptionView, statusOn, transition } from '../prescriptions/service';

export interface DispenseInput {
  idempotencyKey: string;
  /** Packs per prescription line; absent: everything that remains. */
  lines?: Array<{ lineNo: number; quantity: number }>;
}

/** The lines of this fill: each line's packs and the whole days they cover at the prescribed dose. */
async function fillLines(db: Database, p: { id: string; person_id: string; origin: string }, input: DispenseInput) {
  const lines = await linesOf(db, p.person_id, [p.id]);
  const wanted = input.lines ?? lines.filter((l) => l.quantity > l.dispensed_quantity).map((l) => ({ lineNo: l.line_no, quantity: l.quantity - l.dispensed_quantity }));
  const problems = wanted.flatMap((w, i) => {
    const line = lines.find((l) => l.line_no === w.lineNo);
    if (!line) return [{ field: `body.lines.${i}.lineNo`, rule: 'line_of_prescription', message: `the prescription has no line ${w.lineNo}` }];
    const r = fill({ status: 'approved', remaining: line.quantity - line.dispensed_quantity }, w.quantity);
    return r.ok ? [] : [{ field: `body.lines.${i}.quantity`, rule: 'over_remaining', message: `line ${w.lineNo}: ${w.quantity} packs asked, ${line.quantity - line.dispensed_quantity} remain` }];
  });
  if (!wanted.length) problems.push({ field: 'body.lines', rule: 'nothing_remains', message: 'nothing remains to dispense' });
  if (new Set(wanted.map((w) => w.lineNo)).size !== wanted.length) problems.push({ field: 'body.lines', rule: 'line_once', message: 'each line once' });
  if (problems.length) throw badRequest(problems.map((x) => x.message).join('; '), problems);
  return {
    lines,
    fill: wanted.map((w) => {
      const line = lines.find((l) => l.line_no === w.lineNo)!;
      const drug = drugCatalogue().get(line.drug_code)!;
      const days = daysCovered(w.quantity, drug.packSize, dailyUnits({ n: line.dose_milli, d: 1000 }, line.frequency));
      return { lineNo: w.lineNo, drugCode: line.drug_code, quantity: w.quantity, daysSupply: Math.max(1, Math.min(366, days)) };
    }),
  };
}

/** The claim a fill settles: the packs of each line, at the counter, today; an extension's drugs as 延伸处方. */
const claimOf = (personId: string, origin: string, lines: Array<{ drugCode: string; quantity: number; daysSupply: number }>): CounterClaimInput => ({
  personId, lines: lines.map((l) => ({ drugCode: l.drugCode, quantity: l.quantity, daysSupply: l.daysSupply, ...(origin === 'extended' ? { extended: true } : {}) })),
});

/** The prescription a counter may dispense from (access first: refused alike whether or not it exists). */
async function dispensable(ctx: AppContext, actor: Actor, id: string) {
  const p = await findPrescription(ctx.db, id);
  await requireAccess(ctx, actor, 'prescription.dispense', { personId: p?.person_id ?? null });
  if (!p) throw notFound('No such prescription');
  if (!actor.user.institutionId) throw forbidden('Dispensing happens at an institution or pharmacy counter');
  return p;
}

/** Refuses a prescription that cannot be filled now; one found past its validity is recorded expired. */
async function requireFillable(ctx: AppContext, actor: Actor, p: Awaited<ReturnType<typeof dispensable>>) {
  const today = shanghaiDate(ctx.now());
  if (statusOn(p, today) === 'expired') {
    if (p.status !== 'expired') await transition(ctx.db, actor, p, 'expire', `valid until ${p.valid_until}`, ctx.now(), {});
    throw conflict('prescription_expired', `The prescription was valid until ${p.valid_until}`);
  }
  if (p.status !== 'approved' && p.status !== 'partly_dispensed') throw conflict('prescription_state', `A ${p.status} prescription cannot be dispensed`);
}

/** 试算: what this fill would cost and who pays what, before anything is handed over. */
export async function quoteDispense(ctx: AppContext, actor: Actor, id: string, input: Omit<DispenseInput, 'idempotencyKey'>) {
  const p = await dispensable(ctx, actor, id);
  await requireFillable(ctx, actor, p);
  const { fill: lines } = await fillLines(ctx.db, p, { ...input, idempotencyKey: '' });
  return { lines, quote: await quote(ctx, actor, claimOf(p.person_id, p.origin, lines)) };
}

export interface DispenseOptions {
  /** Dispensed for home delivery (送药到家). */
  delivery?: boolean;
  /** More writes of the caller inside the dispense's transaction (the delivery order), after the dispense. */
  within?: (trx: Database, written: { dispenseId: string; claimId: string; personId: string }) => Promise<void>;
}

/**
 * 发药并结算. One transaction: the prescription and its lines are locked and checked again, the stock
 * taken (earliest expiry first), the claim settled under the person's accumulator lock, the dispense
 * and its batches written, the lines' dispensed packs and the prescription's state moved on. A retry
 * with the same idempotency key answers the first dispense: the key is looked up only when the
 * hand-over is refused (already dispensed, or the key's unique index), as at the counter.
 */
export async function dispensePrescription(ctx: AppContext, actor: Actor, id: string, input: DispenseInput, options: DispenseOptions = {}) {
  const p = await dispensable(ctx, actor, id);
  try {
    return await dispenseNew(ctx, actor, p, input, options);
  } catch (err) {
    if (err instanceof AppError || (err as { code?: string }).code === '23505') {
      const first = await claimByKey(ctx.db, actor.user.institutionId!, input.idempotencyKey, p.person_id);
      if (first) return replay(ctx, actor, p.person_id, first.id, id);
    }
    throw err;
  }
}

async function dispenseNew(ctx: AppContext, actor: Actor, p: Awaited<ReturnType<typeof dispensable>>, input: DispenseInput, options: DispenseOptions) {
  await requireFillable(ctx, actor, p);
  const { fill: lines } = await fillLines(ctx.db, p, input);
  const claimId = randomUUID();
  const dispenseId = randomUUID();
  const claimInput = { ...claimOf(p.person_id, p.origin, lines), idempotencyKey: input.idempotencyKey };
  const prepared = await prepareClaim(ctx, actor, claimInput, claimId);
  const today = prepared.claim.serviceDate;
  const at = ctx.now();
  const institutionId = actor.user.institutionId!;
  const receipt = await ctx.db.transaction().execute(async (trx) => {
    // the prescription and its lines, locked together
    const current = await trx.selectFrom('prescription_line as l')
      .innerJoin('prescription as p', (j) => j.onRef('p.person_id', '=', 'l.person_id').onRef('p.id', '=', 'l.prescription_id'))
      .select(['l.line_no', 'l.quantity', 'l.dispensed_quantity', 'p.status'])
      .where('l.person_id', '=', p.person_id).where('l.prescription_id', '=', p.id).forUpdate().execute();
    const status = current[0].status;
    for (const l of lines) {
      const line = current.find((c) => c.line_no === l.lineNo)!;
      const r = fill({ status, remaining: line.quantity - line.dispensed_quantity }, l.quantity);
      if (!r.ok) throw conflict(r.refusal.rule === 'over_remaining' ? 'over_remaining' : 'prescription_state', `Line ${l.lineNo} cannot be dispensed now (${r.refusal.rule}): another counter got there first`);
    }
    const taken = await takeStock(trx, { institutionId, userId: actor.user.id, personId: p.person_id, dispenseId, today }, lines);
    const { receipt } = await settleWithin(trx, ctx, actor, prepared, claimInput, claimId);
    const remaining = current.map((c) => c.quantity - c.dispensed_quantity - (lines.find((l) => l.lineNo === c.line_no)?.quantity ?? 0));
    await recordDispense(trx, actor, {
      dispenseId, claimId, personId: p.person_id, prescriptionId: p.id, institutionId, delivery: !!options.delivery, at, from: status, to: statusAfterFills(remaining),
      batches: batchLines(taken, lines), filled: lines.map((l) => ({ line_no: l.lineNo, quantity: l.quantity })),
    });
    await options.within?.(trx, { dispenseId, claimId, personId: p.person_id });
    await refreshPerson(trx, p.person_id, today); // the indicators count the prescription dispensed
    return receipt;
  });
  return { replayed: false, dispenseId, settlement: receipt, prescription: await prescriptionView(ctx.db, p.id, actor.user, ctx.now()) };
}

/**
 * The dispense's own rows in one statement: the dispense and its batches, the lines' dispensed packs,
 * the prescription's state, its event and the audit row (the same row writeAudit writes).
 */
async function recordDispense(trx: Database, actor: Actor, d: {
  dispenseId: string; claimId: string; personId: string; prescriptionId: string; institutionId: string; delivery: boolean; at: Date;
  from: string; to: string; batches: Array<TakenBatch & { lineNo: number }>; filled: Array<{ line_no: number; quantity: number }>;
}) {
  const batches = JSON.stringify(d.batches.map((b, i) => ({ line_no: i + 1, prescription_line_no: b.lineNo, drug_code: b.drugCode, batch_no: b.batchNo, expiry_date: b.expiryDate, quantity: b.quantity })));
  const detail = JSON.stringify({ dispenseId: d.dispenseId, claimId: d.claimId, institutionId: d.institutionId, lines: d.filled.map((l) => [l.line_no, l.quantity]) });
  await sql`
    with dispense_row as (
      insert into dispense (id, person_id, prescription_id, institution_id, claim_id, delivery, dispensed_by, dispensed_at)
      values (${d.dispenseId}::uuid, ${d.personId}::uuid, ${d.prescriptionId}::uuid, ${d.institutionId}::uuid, ${d.claimId}::uuid, ${d.delivery}, ${actor.user.id}::uuid, ${d.at}::timestamptz)
      returning id
    ), batch_rows as (
      insert into dispense_line (dispense_id, line_no, person_id, prescription_line_no, drug_code, batch_no, expiry_date, quantity)
      select dispense_row.id, b.line_no, ${d.personId}::uuid, b.prescription_line_no, b.drug_code, b.batch_no, b.expiry_date, b.quantity
      from dispense_row, jsonb_to_recordset(${batches}::jsonb) as b(line_no integer, prescription_line_no integer, drug_code text, batch_no text, expiry_date date, quantity integer)
    ), line_rows as (
      update prescription_line l set dispensed_quantity = l.dispensed_quantity + f.quantity
      from jsonb_to_recordset(${JSON.stringify(d.filled)}::jsonb) as f(line_no integer, quantity integer)
      where l.person_id = ${d.personId}::uuid and l.prescription_id = ${d.prescriptionId}::uuid and l.line_no = f.line_no
    ), state as (
      update prescription set status = ${d.to} where person_id = ${d.personId}::uuid and id = ${d.prescriptionId}::uuid
    ), event as (
      insert into prescription_event (person_id, prescription_id, at, user_id, action, from_status, to_status, detail)
      values (${d.personId}::uuid, ${d.prescriptionId}::uuid, ${d.at}::timestamptz, ${actor.user.id}::uuid, ${d.to === 'dispensed' ? 'dispense_rest' : 'dispense_part'}, ${d.from}, ${d.to}, ${detail}::jsonb)
    )
    insert into person_audit (user_id, username, role, action, entity, entity_id, person_id, ip, detail)
    select ${actor.user.id}::uuid, ${actor.user.username}, ${actor.user.role}, 'create', 'dispense', dispense_row.id::text, ${d.personId}::uuid, ${actor.ip},
      ${JSON.stringify({ prescriptionId: d.prescriptionId, claimId: d.claimId })}::jsonb
    from dispense_row
  `.execute(trx);
}

/** Batches taken, each tied to the prescription line it fills (lines of one drug take in line order). */
function batchLines(taken: TakenBatch[], lines: Array<{ lineNo: number; drugCode: string; quantity: number }>) {
  const pool = taken.map((t) => ({ ...t }));
  return lines.flatMap((l) => {
    let need = l.quantity;
    const out: Array<TakenBatch & { lineNo: number }> = [];
    for (const b of pool.filter((x) => x.drugCode === l.drugCode && x.quantity > 0)) {
      const n = Math.min(need, b.quantity);
      b.quantity -= n;
      need -= n;
      out.push({ ...b, quantity: n, lineNo: l.lineNo });
      if (need === 0) break;
    }
    return out;
  });
}

async function replay(ctx: AppContext, actor: Actor, personId: string, claimId: string, prescriptionId: string) {
  const d = await ctx.db.selectFrom('dispense').select(['id', 'prescription_id']).where('person_id', '=', personId).where('claim_id', '=', claimId).executeTakeFirst();
  if (!d || d.prescription_id !== prescriptionId) throw conflict('idempotency_key_reused', 'This idempotency key was used for another purchase');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'dispense', entityId: d.id, personId, detail: { replay: true } }]);
  return { replayed: true, dispenseId: d.id, settlement: await settlementView(ctx.db, ctx.policies, personId, claimId), prescription: await prescriptionView(ctx.db, prescriptionId, actor.user, ctx.now()) };
}

/**
 * 退药: a dispense taken back — at the counter that dispensed it, or when its delivery failed or came
 * back (delivery/service.ts, inside its own transaction: `within`). Its claim is reversed, its batches go
 * back to stock and its packs to the prescription, which can be filled again.
 */
export async function takeBackDispense(ctx: AppContext, actor: Actor, dispenseId: string, reason: string, within?: Database) {
  const d = await (within ?? ctx.db).selectFrom('dispense').select(['person_id', 'institution_id', 'prescription_id']).where('id', '=', dispenseId).executeTakeFirst();
  if (!within) await requireAccess(ctx, actor, 'dispense.return', { personId: d?.person_id ?? null, institutionId: d?.institution_id ?? null });
  if (!d) throw notFound('No such dispense');
  const run = async (trx: Database) => {
    const locked = await trx.selectFrom('dispense').select(['status', 'claim_id']).where('person_id', '=', d.person_id).where('id', '=', dispenseId).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== 'dispensed') throw conflict('already_returned', 'This dispense has already been taken back');
    const p = await trx.selectFrom('prescription').select('status').where('person_id', '=', d.person_id).where('id', '=', d.prescription_id).forUpdate().executeTakeFirstOrThrow();
    const batches = await trx.selectFrom('dispense_line').select(['prescription_line_no', 'drug_code', 'batch_no', 'expiry_date', 'quantity']).where('person_id', '=', d.person_id).where('dispense_id', '=', dispenseId).execute();
    const at = ctx.now();
    await reverseWithin(trx, ctx, actor, d.person_id, locked.claim_id, reason);
    await returnStock(trx, { institutionId: d.institution_id, userId: actor.user.id, personId: d.person_id, dispenseId, today: shanghaiDate(at) },
      batches.map((b) => ({ drugCode: b.drug_code, batchNo: b.batch_no, expiryDate: b.expiry_date, quantity: b.quantity })));
    for (const b of batches)
      await trx.updateTable('prescription_line').set((eb) => ({ dispensed_quantity: eb('dispensed_quantity', '-', b.quantity) }))
        .where('person_id', '=', d.person_id).where('prescription_id', '=', d.prescription_id).where('line_no', '=', b.prescription_line_no).execute();
    const left = await trx.selectFrom('prescription_line').select('dispensed_quantity').where('person_id', '=', d.person_id).where('prescription_id', '=', d.prescription_id).execute();
    let to: PrescriptionStatus;
    try {
      to = statusAfterTakeBack(p.status, left.map((l) => l.dispensed_quantity));
    } catch {
      throw conflict('prescription_state', `A ${p.status} prescription has no dispense to take back`);
    }
    await trx.updateTable('dispense').set({ status: 'returned', returned_by: actor.user.id, returned_at: at, return_reason: reason }).where('person_id', '=', d.person_id).where('id', '=', dispenseId).execute();
    await trx.updateTable('prescription').set({ status: to }).where('person_id', '=', d.person_id).where('id', '=', d.prescription_id).execute();
    await trx.insertInto('prescription_event').values({ person_id: d.person_id, prescription_id: d.prescription_id, at, user_id: actor.user.id, action: 'take_back', from_status: p.status, to_status: to, reason, detail: JSON.stringify({ dispenseId }) }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'dispense', entityId: dispenseId, personId: d.person_id, detail: { takeBack: reason } }]);
    await refreshPerson(trx, d.person_id, ALL_MONTHS);
  };
  if (within) await run(within);
  else await ctx.db.transaction().execute(run);
  return within ? null : prescriptionView(ctx.db, d.prescription_id, actor.user, ctx.now());
}

/** 取药队列: the approved prescriptions the patients chose this counter for, oldest approval first. */
export async function fillQueue(ctx: AppContext, actor: Actor, limit: number) {
  await requireAccess(ctx, actor, 'prescription.dispense');
  if (!actor.user.institutionId) throw forbidden('Dispensing happens at an institution or pharmacy counter');
  return fillQueueOf(ctx, actor, limit);
}
