// An institution's drug stock (备药): receiving batches, counting them (盘点), the stock list with
// patient-days of stock, and the grassroots stock rate against the upper institution of its medical
// community (seed 002 item 13). Dispensing takes stock through batches.ts inside its own transaction.
import { sql } from 'kysely';
import { addDays, shanghaiDate } from '../../engine/calendar';
import { type Fraction, PER_DAY } from '../../engine/prescription/supply';
import { LOW_STOCK_DAYS, patientDays, stockRate, STOCK_RATE_TARGET_BP } from '../../engine/stock/stock';
import type { Frequency } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { badRequest, conflict, forbidden, notFound } from '../../core/problem';
import { CHRONIC_COMMON_LIST, type Drug, loadDrugs } from '../reference/service';

export { returnStock, takeStock, type StockTake, type TakenBatch } from './batches';

let drugs: Map<string, Drug> | undefined;
const catalogue = () => (drugs ??= new Map(loadDrugs().map((d) => [d.code, d])));

/** Longest plausible shelf life of a received batch (days). */
const MAX_SHELF_DAYS = 3653;

/** How recently a patient's prescription must have been written for their daily use to count. */
const TAKING_WINDOW_DAYS = 90;

async function institutionOf(ctx: AppContext, id: string) {
  return ctx.db.selectFrom('institution').select(['id', 'code', 'name', 'level', 'county_code', 'upper_institution_id']).where('id', '=', id).executeTakeFirst();
}

/** The institution a stock request is about: the caller's own unless named (an administrator, an analyst). */
async function stockTarget(ctx: AppContext, actor: Actor, permission: 'stock.read' | 'stock.manage', institutionId?: string) {
  const id = institutionId ?? actor.user.institutionId;
  if (!id) throw badRequest('Name the institution', [{ field: 'query.institutionId', rule: 'required', message: 'an institution id' }]);
  const inst = await institutionOf(ctx, id);
  await requireAccess(ctx, actor, permission, { institutionId: id, regionCode: inst?.county_code ?? null });
  if (!inst) throw notFound('No such institution');
  return inst;
}

export interface ReceiptLine {
  drugCode: string;
  batchNo: string;
  expiryDate: string;
  quantity: number;
}

/** 入库: batches received at the caller's institution; a batch received again adds to it (same expiry). */
export async function receiveStock(ctx: AppContext, actor: Actor, lines: ReceiptLine[], note?: string) {
  const inst = await stockTarget(ctx, actor, 'stock.manage');
  const today = shanghaiDate(ctx.now());
  const problems = lines.flatMap((l, i) => [
    ...(catalogue().has(l.drugCode) ? [] : [{ field: `body.lines.${i}.drugCode`, rule: 'on_drug_list', message: `${l.drugCode} is not in the catalogue` }]),
    ...(l.expiryDate > today ? [] : [{ field: `body.lines.${i}.expiryDate`, rule: 'not_expired', message: `expires after today (${today})` }]),
    // no drug keeps ten years: a date beyond is a typing error (a year too many, 9999)
    ...(l.expiryDate <= addDays(today, MAX_SHELF_DAYS) ? [] : [{ field: `body.lines.${i}.expiryDate`, rule: 'expiry_plausible', message: `on or before ${addDays(today, MAX_SHELF_DAYS)}` }]),
  ]);
  if (problems.length) throw badRequest(problems.map((p) => p.message).join('; '), problems);
  await ctx.db.transaction().execute(async (trx) => {
    for (const l of lines) {
      const row = await trx
        .insertInto('stock_batch')
        .values({ institution_id: inst.id, drug_code: l.drugCode, batch_no: l.batchNo, expiry_date: l.expiryDate, received: l.quantity, on_hand: l.quantity, received_at: ctx.now() })
        .onConflict((oc) => oc.columns(['institution_id', 'drug_code', 'batch_no']).doUpdateSet((eb) => ({
          received: sql`${eb.ref('stock_batch.received')} + ${l.quantity}`, on_hand: sql`${eb.ref('stock_batch.on_hand')} + ${l.quantity}`,
        })))
        .returning('expiry_date')
        .executeTakeFirstOrThrow();
      if (row.expiry_date !== l.expiryDate) throw conflict('batch_expiry_mismatch', `Batch ${l.batchNo} of ${l.drugCode} is on record with expiry ${row.expiry_date}`);
      await trx.insertInto('stock_movement').values({ institution_id: inst.id, drug_code: l.drugCode, batch_no: l.batchNo, kind: 'receive', quantity: l.quantity, user_id: actor.user.id, note: note ?? null }).execute();
    }
    await writeAudit(trx, actor, [{ action: 'create', entity: 'stock_receipt', entityId: inst.id, detail: { lines: lines.length } }]);
  });
  return stockList(ctx, actor, inst.id);
}

/** 盘点: sets a batch's count to what was found, recording the difference. */
export async function countStock(ctx: AppContext, actor: Actor, input: { drugCode: string; batchNo: string; onHand: number; note: string }) {
  const inst = await stockTarget(ctx, actor, 'stock.manage');
  await ctx.db.transaction().execute(async (trx) => {
    const batch = await trx.selectFrom('stock_batch').select('on_hand').where('institution_id', '=', inst.id).where('drug_code', '=', input.drugCode)
      .where('batch_no', '=', input.batchNo).forUpdate().executeTakeFirst();
    if (!batch) throw notFound(`No batch ${input.batchNo} of ${input.drugCode} here`);
    const diff = input.onHand - batch.on_hand;
    if (diff === 0) return;
    await trx.updateTable('stock_batch').set({ on_hand: input.onHand }).where('institution_id', '=', inst.id).where('drug_code', '=', input.drugCode).where('batch_no', '=', input.batchNo).execute();
    await trx.insertInto('stock_movement').values({ institution_id: inst.id, drug_code: input.drugCode, batch_no: input.batchNo, kind: 'adjust', quantity: diff, user_id: actor.user.id, note: input.note }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'stock_batch', entityId: `${input.drugCode}/${input.batchNo}`, detail: { from: batch.on_hand, to: input.onHand } }]);
  });
  return stockList(ctx, actor, inst.id);
}

/**
 * The stock list: per drug, what is on hand (unexpired), received and dispensed, its batches, and
 * patient-days of stock for the patients whose prescriptions are filled here; a warning under 30 days.
 */
export async function stockList(ctx: AppContext, actor: Actor, institutionId?: string) {
  const inst = await stockTarget(ctx, actor, 'stock.read', institutionId);
  const today = shanghaiDate(ctx.now());
  const [batches, moved, taking] = await Promise.all([
    ctx.db.selectFrom('stock_batch').select(['drug_code', 'batch_no', 'expiry_date', 'received', 'on_hand']).where('institution_id', '=', inst.id)
      .orderBy('drug_code').orderBy('expiry_date').execute(),
    sql<{ drug_code: string; kind: string; quantity: number }>`
      select drug_code, kind, sum(quantity)::integer as quantity from stock_movement where institution_id = ${inst.id} group by 1, 2`.execute(ctx.db),
    // each patient's latest prescription of the drug filled here within the window: their daily use
    sql<{ drug_code: string; frequency: Frequency; dose_milli: number; patients: number }>`
      select drug_code, frequency, sum(dose_milli)::integer as dose_milli, count(*)::integer as patients from (
        select distinct on (p.person_id, l.drug_code) l.drug_code, l.frequency, l.dose_milli
        from prescription p join prescription_line l on l.person_id = p.person_id and l.prescription_id = p.id
        where p.fill_institution_id = ${inst.id} and p.status in ('approved', 'partly_dispensed', 'dispensed')
          and p.written_on >= ${addDays(today, -TAKING_WINDOW_DAYS)}::date
        order by p.person_id, l.drug_code, p.written_on desc
      ) t group by 1, 2`.execute(ctx.db),
  ]);
  // the patients' daily use of each drug in 1/7000 of its unit: doses are thousandths, and a day is
  // 1/7 of a weekly dose at most, so the sum stays an exact integer
  const daily = new Map<string, { use: Fraction; patients: number }>();
  for (const t of taking.rows) {
    const d = daily.get(t.drug_code) ?? { use: { n: 0, d: 7000 }, patients: 0 };
    const perDay = PER_DAY[t.frequency];
    d.use = { n: d.use.n + (t.dose_milli * perDay.n * 7) / perDay.d, d: 7000 };
    d.patients += t.patients;
    daily.set(t.drug_code, d);
  }
  const movedOf = (code: string, kind: string) => moved.rows.find((m) => m.drug_code === code && m.kind === kind)?.quantity ?? 0;
  const codes = [...new Set([...batches.map((b) => b.drug_code), ...daily.keys()])].sort();
  const items = codes.map((code) => {
    const drug = catalogue().get(code)!;
    const own = batches.filter((b) => b.drug_code === code);
    const onHand = own.filter((b) => b.expiry_date >= today).reduce((s, b) => s + b.on_hand, 0);
    const use = daily.get(code);
    const days = use ? patientDays(onHand * drug.packSize, use.use) : null;
    return {
      drugCode: code, drugName: drug.genericNameZh, drugNameEn: drug.genericNameEn, strength: drug.strength, packSize: drug.packSize, unit: drug.unit,
      chronic: drug.lists.includes(CHRONIC_COMMON_LIST),
      onHand, received: movedOf(code, 'receive'), dispensed: -(movedOf(code, 'dispense') + movedOf(code, 'return')), adjusted: movedOf(code, 'adjust'),
      expired: own.filter((b) => b.expiry_date < today).reduce((s, b) => s + b.on_hand, 0),
      patients: use?.patients ?? 0, patientDays: days, low: days !== null && days < LOW_STOCK_DAYS,
      batches: own.map((b) => ({ batchNo: b.batch_no, expiryDate: b.expiry_date, received: b.received, onHand: b.on_hand, expired: b.expiry_date < today })),
    };
  });
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'stock', entityId: inst.id }]);
  return { institution: { id: inst.id, code: inst.code, name: inst.name, level: inst.level }, lowStockDays: LOW_STOCK_DAYS, items };
}

/** Chronic-list drugs an institution has unexpired stock of. */
async function stockedChronic(ctx: AppContext, institutionId: string, today: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('stock_batch').select('drug_code').distinct().where('institution_id', '=', institutionId)
    .where('on_hand', '>', 0).where('expiry_date', '>=', today).execute();
  return rows.map((r) => r.drug_code).filter((c) => catalogue().get(c)?.lists.includes(CHRONIC_COMMON_LIST));
}

/** 慢病常用药品配备率: the share of the upper institution's stocked common chronic drugs this one stocks too. */
export async function stockRateOf(ctx: AppContext, actor: Actor, institutionId?: string) {
  const inst = await stockTarget(ctx, actor, 'stock.read', institutionId);
  if (!inst.upper_institution_id) throw conflict('no_upper_institution', `${inst.name} has no upper institution in a medical community`);
  const upper = (await institutionOf(ctx, inst.upper_institution_id))!;
  const today = shanghaiDate(ctx.now());
  const [upperDrugs, own] = await Promise.all([stockedChronic(ctx, upper.id, today), stockedChronic(ctx, inst.id, today)]);
  const rate = stockRate(upperDrugs, own);
  const named = (code: string) => ({ drugCode: code, drugName: catalogue().get(code)!.genericNameZh, drugNameEn: catalogue().get(code)!.genericNameEn });
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'stock_rate', entityId: inst.id }]);
  return {
    institution: { id: inst.id, name: inst.name }, upperInstitution: { id: upper.id, name: upper.name },
    drugList: CHRONIC_COMMON_LIST, targetBp: STOCK_RATE_TARGET_BP, rateBp: rate.rateBp, meetsTarget: rate.meetsTarget,
    upperCount: rate.upper.length, stockedCount: rate.stocked.length, missing: rate.missing.map(named),
  };
}

/** A pharmacist's institution, for the use cases that act at the caller's counter. */
export function counterInstitution(actor: Actor): string {
  if (!actor.user.institutionId) throw forbidden('This happens at an institution or pharmacy counter');
  return actor.user.institutionId;
}
