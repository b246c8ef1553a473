// Dispensing (调剂发药) an approved prescription at the counter of the institution or chain pharmacy,
// in part or in full: what is handed over (drug, packs, batch, expiry) comes out of the counter's
// stock, and the claim is settled by the settlement service IN THE SAME TRANSACTION — no dispense
// without its claim, no claim without its dispense. Taking a dispense back (退药; a failed or returned
// delivery) reverses the claim and gives the stock back, again in one transaction.
import { randomUUID } from 'node:crypto';
import { shanghaiDate } from '../../engine/calendar';
import { daysCovered, dailyUnits, fill, statusAfterFills, statusAfterTakeBack, type PrescriptionStatus } from '../../engine/prescription';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { badRequest, conflict, forbidden, notFound } from '../../core/problem';
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

async function fillable(ctx: AppContext, actor: Actor, id: string) {
  const p = await findPrescription(ctx.db, id);
  await requireAccess(ctx, actor, 'prescription.dispense', { personId: p?.person_id ?? null });
  if (!p) throw notFound('No such prescription');
  if (!actor.user.institutionId) throw forbidden('Dispensing happens at an institution or pharmacy counter');
  const today = shanghaiDate(ctx.now());
  if (statusOn(p, today) === 'expired') {
    if (p.status !== 'expired') await transition(ctx.db, actor, p, 'expire', `valid until ${p.valid_until}`, ctx.now(), {});
    throw conflict('prescription_expired', `The prescription was valid until ${p.valid_until}`);
  }
  if (p.status !== 'approved' && p.status !== 'partly_dispensed') throw conflict('prescription_state', `A ${p.status} prescription cannot be dispensed`);
  return p;
}

/** 试算: what this fill would cost and who pays what, before anything is handed over. */
export async function quoteDispense(ctx: AppContext, actor: Actor, id: string, input: Omit<DispenseInput, 'idempotencyKey'>) {
  const p = await fillable(ctx, actor, id);
  const { fill: lines } = await fillLines(ctx.db, p, { ...input, idempotencyKey: '' });
  return { lines, quote: await quote(ctx, actor, claimOf(p.person_id, p.origin, lines)) };
}

/**
 * 发药并结算. One transaction: the prescription and its lines are locked and checked again, the stock
 * taken (earliest expiry first), the claim settled under the person's accumulator lock, the dispense
 * and its batches written, the lines' dispensed packs and the prescription's state moved on. A retry
 * with the same idempotency key answers the first dispense.
 */
export interface DispenseOptions {
  /** Dispensed for home delivery (送药到家). */
  delivery?: boolean;
  /** More writes of the caller inside the dispense's transaction (the delivery order), after the dispense. */
  within?: (trx: Database, written: { dispenseId: string; claimId: string; personId: string }) => Promise<void>;
}

export async function dispensePrescription(ctx: AppContext, actor: Actor, id: string, input: DispenseInput, options: DispenseOptions = {}) {
  const p = await fillable(ctx, actor, id);
  const first = await claimByKey(ctx.db, actor.user.institutionId!, input.idempotencyKey, p.person_id);
  if (first) return replay(ctx, actor, p.person_id, first.id, id);
  const { fill: lines } = await fillLines(ctx.db, p, input);
  const claimId = randomUUID();
  const dispenseId = randomUUID();
  const claimInput = { ...claimOf(p.person_id, p.origin, lines), idempotencyKey: input.idempotencyKey };
  const prepared = await prepareClaim(ctx, actor, claimInput, claimId);
  const today = prepared.claim.serviceDate;
  const at = ctx.now();
  try {
    const receipt = await ctx.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('prescription').select(['status', 'valid_until']).where('person_id', '=', p.person_id).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      const current = await trx.selectFrom('prescription_line').select(['line_no', 'quantity', 'dispensed_quantity']).where('person_id', '=', p.person_id).where('prescription_id', '=', id).forUpdate().execute();
      for (const l of lines) {
        const line = current.find((c) => c.line_no === l.lineNo)!;
        const r = fill({ status: locked.status, remaining: line.quantity - line.dispensed_quantity }, l.quantity);
        if (!r.ok) throw conflict(r.refusal.rule === 'over_remaining' ? 'over_remaining' : 'prescription_state', `Line ${l.lineNo} cannot be dispensed now (${r.refusal.rule}): another counter got there first`);
      }
      const who = { institutionId: actor.user.institutionId!, userId: actor.user.id, personId: p.person_id, dispenseId, today };
      const taken = await takeStock(trx, who, lines);
      const { receipt } = await settleWithin(trx, ctx, actor, prepared, claimInput, claimId);
      await trx.insertInto('dispense').values({ id: dispenseId, person_id: p.person_id, prescription_id: id, institution_id: actor.user.institutionId!, claim_id: claimId, delivery: !!options.delivery, dispensed_by: actor.user.id, dispensed_at: at }).execute();
      await trx.insertInto('dispense_line').values(batchLines(taken, lines).map((b, i) => ({
        dispense_id: dispenseId, line_no: i + 1, person_id: p.person_id, prescription_line_no: b.lineNo, drug_code: b.drugCode, batch_no: b.batchNo, expiry_date: b.expiryDate, quantity: b.quantity,
      }))).execute();
      for (const l of lines)
        await trx.updateTable('prescription_line').set((eb) => ({ dispensed_quantity: eb('dispensed_quantity', '+', l.quantity) }))
          .where('person_id', '=', p.person_id).where('prescription_id', '=', id).where('line_no', '=', l.lineNo).execute();
      const remaining = current.map((c) => c.quantity - c.dispensed_quantity - (lines.find((l) => l.lineNo === c.line_no)?.quantity ?? 0));
      const to = statusAfterFills(remaining);
      await trx.updateTable('prescription').set({ status: to }).where('person_id', '=', p.person_id).where('id', '=', id).execute();
      await trx.insertInto('prescription_event').values({
        person_id: p.person_id, prescription_id: id, at, user_id: actor.user.id, action: to === 'dispensed' ? 'dispense_rest' : 'dispense_part', from_status: locked.status, to_status: to,
        reason: null, detail: JSON.stringify({ dispenseId, claimId, institutionId: actor.user.institutionId, lines: lines.map((l) => [l.lineNo, l.quantity]) }),
      }).execute();
      await writeAudit(trx, actor, [{ action: 'create', entity: 'dispense', entityId: dispenseId, personId: p.person_id, detail: { prescriptionId: id, claimId } }]);
      await options.within?.(trx, { dispenseId, claimId, personId: p.person_id });
      return receipt;
    });
    return { replayed: false, dispenseId, settlement: receipt, prescription: await prescriptionView(ctx.db, id, actor.user, ctx.now()) };
  } catch (err) {
    // the same key from two counters at once: the first dispense stands
    if ((err as { code?: string }).code === '23505') {
      const again = await claimByKey(ctx.db, actor.user.institutionId!, input.idempotencyKey, p.person_id);
      if (again) return replay(ctx, actor, p.person_id, again.id, id);
    }
    throw err;
  }
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
