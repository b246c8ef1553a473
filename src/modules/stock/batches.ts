// Taking drugs out of an institution's stock and putting them back, inside the caller's transaction
// (a dispense, its return). Batches go earliest expiry first (FEFO), never an expired one; the
// batch rows are locked, so two counters cannot hand out the same box, and on_hand >= 0 (a CHECK)
// is the last guard. Every change is a stock_movement row.
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import { AppError } from '../../core/problem';

export interface StockTake {
  drugCode: string;
  quantity: number;
}

export interface TakenBatch {
  drugCode: string;
  batchNo: string;
  expiryDate: string;
  quantity: number;
}

interface Who {
  institutionId: string;
  userId: string;
  personId: string | null;
  dispenseId: string | null;
  today: string;
}

/**
 * Takes each line's packs from the institution's unexpired batches, earliest expiry first; refuses
 * the whole take (409 out_of_stock, naming every short drug with what is there) if any line is short.
 */
export async function takeStock(trx: Database, who: Who, lines: StockTake[]): Promise<TakenBatch[]> {
  const codes = [...new Set(lines.map((l) => l.drugCode))];
  const batches = await trx
    .selectFrom('stock_batch')
    .select(['drug_code', 'batch_no', 'expiry_date', 'on_hand'])
    .where('institution_id', '=', who.institutionId)
    .where('drug_code', 'in', codes)
    .where('on_hand', '>', 0)
    .where('expiry_date', '>=', who.today)
    .orderBy('drug_code').orderBy('expiry_date').orderBy('batch_no')
    .forUpdate()
    .execute();
  const left = new Map(batches.map((b) => [`${b.drug_code}|${b.batch_no}`, b.on_hand]));
  const taken: TakenBatch[] = [];
  const short: Array<{ drugCode: string; asked: number; onHand: number }> = [];
  for (const line of lines) {
    let need = line.quantity;
    for (const b of batches.filter((x) => x.drug_code === line.drugCode)) {
      const key = `${b.drug_code}|${b.batch_no}`;
      const n = Math.min(need, left.get(key)!);
      if (n <= 0) continue;
      left.set(key, left.get(key)! - n);
      taken.push({ drugCode: line.drugCode, batchNo: b.batch_no, expiryDate: b.expiry_date, quantity: n });
      need -= n;
      if (need === 0) break;
    }
    if (need > 0) {
      const onHand = batches.filter((x) => x.drug_code === line.drugCode).reduce((s, b) => s + b.on_hand, 0);
      short.push({ drugCode: line.drugCode, asked: line.quantity, onHand });
    }
  }
  if (short.length) {
    const detail = `Not enough in stock — ${short.map((s) => `${s.drugCode}: ${s.asked} asked, ${s.onHand} in stock`).join('; ')}`;
    throw new AppError(409, 'Conflict', detail, [{ field: '', rule: 'out_of_stock', message: detail, facts: { short } }]);
  }
  await move(trx, who, taken.map((t) => ({ ...t, quantity: -t.quantity })), 'dispense');
  return taken;
}

/** Puts taken batches back (a returned dispense, a failed delivery). */
export async function returnStock(trx: Database, who: Who, batches: TakenBatch[]): Promise<void> {
  await move(trx, who, batches, 'return');
}

async function move(trx: Database, who: Who, changes: TakenBatch[], kind: 'dispense' | 'return') {
  if (!changes.length) return;
  const rows = JSON.stringify(changes.map((c) => ({ drug_code: c.drugCode, batch_no: c.batchNo, quantity: c.quantity })));
  await sql`
    with c as (select * from jsonb_to_recordset(${rows}::jsonb) as c(drug_code text, batch_no text, quantity integer)),
    upd as (
      update stock_batch b set on_hand = b.on_hand + s.quantity
      from (select drug_code, batch_no, sum(quantity)::integer as quantity from c group by 1, 2) s
      where b.institution_id = ${who.institutionId} and b.drug_code = s.drug_code and b.batch_no = s.batch_no
    )
    insert into stock_movement (institution_id, drug_code, batch_no, kind, quantity, user_id, person_id, dispense_id)
    select ${who.institutionId}::uuid, drug_code, batch_no, ${kind}, quantity, ${who.userId}::uuid, ${who.personId}::uuid, ${who.dispenseId}::uuid from c
  `.execute(trx);
}
