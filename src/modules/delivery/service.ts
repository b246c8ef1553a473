// 送药到家 (issue 14, Hangzhou's path, seed 003): an approved delivery prescription becomes an order to
// the county's delivery provider in the SAME transaction as its dispense and settlement; two different
// people recheck it, one of them a pharmacist of the dispensing institution; the provider's staff take it
// out and deliver it with the photo of the patient's signed receipt — or report it failed or returned,
// which takes the dispense back (claim reversed, stock and packs returned) in the order's own transaction.
// Every step is a delivery_event with who, when and why, and audited.
import { ALL_MONTHS, refreshPerson } from '../indicators/service';
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { DeliveryStatus } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess, type Target } from '../../core/access';
import { badRequest, conflict, notFound } from '../../core/problem';
import { dispensePrescription, takeBackDispense } from '../dispensing/service';
import { drugCatalogue, findPrescription } from '../prescriptions/service';
import { claimByKey } from '../settlement/service';
import { checkProof } from './proof';
import { providersOfCounty } from './providers';

export { createProvider, listProviders, providersOfCounty, type ProviderInput } from './providers';
export { MAX_PROOF_BYTES, PROOF_BODY_LIMIT } from './proof';

export const DELIVERY_STATUSES: DeliveryStatus[] = ['ordered', 'rechecked', 'out_for_delivery', 'delivered', 'failed', 'returned'];
/** Still on its way: the delivery staff's work list. */
export const OPEN_STATUSES: DeliveryStatus[] = ['ordered', 'rechecked', 'out_for_delivery'];

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function findOrder(db: Database, id: string) {
  return db.selectFrom('delivery_order').select(['id', 'person_id', 'prescription_id', 'dispense_id', 'provider_id', 'institution_id', 'status', 'recheck1_by', 'recheck2_by'])
    .where('id', '=', id).executeTakeFirst();
}
type OrderKey = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

const targetOf = (o: OrderKey | undefined): Target => ({ personId: o?.person_id ?? null, institutionId: o?.institution_id ?? null, providerId: o?.provider_id ?? null });

/** The order, with the caller allowed `permission` on it; 403 (audited) whether or not it exists. */
async function orderFor(ctx: AppContext, actor: Actor, permission: 'delivery.read' | 'delivery.recheck' | 'delivery.handle', id: string) {
  const o = await findOrder(ctx.db, id);
  await requireAccess(ctx, actor, permission, targetOf(o));
  if (!o) throw notFound('No such delivery order');
  return o;
}

// ——— the order ———

export interface OrderInput {
  idempotencyKey: string;
  providerId?: string;
  lines?: Array<{ lineNo: number; quantity: number }>;
}

/**
 * 下单: the fill institution's pharmacist turns an approved delivery prescription into an order to the
 * provider serving the institution's county (chosen in the request when several do). Dispensed, settled
 * and ordered in one transaction: no dispense for delivery without its order. A retry with the same key
 * answers the first order.
 */
export async function orderDelivery(ctx: AppContext, actor: Actor, prescriptionId: string, input: OrderInput) {
  const p = await findPrescription(ctx.db, prescriptionId);
  await requireAccess(ctx, actor, 'delivery.order', { personId: p?.person_id ?? null, institutionId: p?.fill_institution_id ?? null });
  if (!p) throw notFound('No such prescription');
  const first = await claimByKey(ctx.db, actor.user.institutionId!, input.idempotencyKey, p.person_id);
  if (first) {
    const existing = await ctx.db.selectFrom('delivery_order as o').innerJoin('dispense as d', (j) => j.onRef('d.person_id', '=', 'o.person_id').onRef('d.id', '=', 'o.dispense_id'))
      .select(['o.id', 'o.prescription_id']).where('d.person_id', '=', p.person_id).where('d.claim_id', '=', first.id).executeTakeFirst();
    if (!existing || existing.prescription_id !== prescriptionId) throw conflict('idempotency_key_reused', 'This idempotency key was used for another purchase');
    return { replayed: true, order: await orderView(ctx.db, existing.id, actor) };
  }
  if (p.fill_place !== 'delivery') throw conflict('not_for_delivery', 'The patient chose to collect this prescription, not home delivery');
  const institution = await ctx.db.selectFrom('institution').select('county_code').where('id', '=', p.fill_institution_id).executeTakeFirstOrThrow();
  const providers = await providersOfCounty(ctx.db, institution.county_code);
  if (!providers.length) throw conflict('no_delivery_provider', 'No delivery provider serves the institution’s county');
  let providerId = input.providerId;
  if (providerId && !providers.some((x) => x.id === providerId))
    throw badRequest('The provider does not serve the institution’s county', [{ field: 'body.providerId', rule: 'provider_serves_county', message: 'a provider serving the institution’s county' }]);
  if (!providerId) {
    if (providers.length > 1) throw badRequest('Several providers serve the county: choose one', [{ field: 'body.providerId', rule: 'provider_choice_required', message: `one of ${providers.length} providers` }]);
    providerId = providers[0]!.id;
  }
  const person = await ctx.db.selectFrom('person').select('phone').where('id', '=', p.person_id).executeTakeFirstOrThrow();
  let orderId = '';
  const at = ctx.now();
  const result = await dispensePrescription(ctx, actor, prescriptionId, { idempotencyKey: input.idempotencyKey, lines: input.lines }, {
    delivery: true,
    within: async (trx, { dispenseId, personId }) => {
      const row = await trx.insertInto('delivery_order').values({
        person_id: personId, prescription_id: prescriptionId, dispense_id: dispenseId, provider_id: providerId!, institution_id: p.fill_institution_id,
        address: p.delivery_address!, phone: person.phone, created_by: actor.user.id, created_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      orderId = row.id;
      await trx.insertInto('delivery_event').values({ person_id: personId, order_id: orderId, at, user_id: actor.user.id, from_status: null, to_status: 'ordered', reason: null }).execute();
      await writeAudit(trx, actor, [{ action: 'create', entity: 'delivery_order', entityId: orderId, personId, detail: { prescriptionId, dispenseId, providerId } }]);
    },
  });
  if (result.replayed) {
    // two counters with the same key at once: the first order stands
    const again = await ctx.db.selectFrom('delivery_order').select('id').where('person_id', '=', p.person_id).where('dispense_id', '=', result.dispenseId).executeTakeFirst();
    if (!again) throw conflict('idempotency_key_reused', 'This idempotency key was used for another purchase');
    orderId = again.id;
  }
  return { replayed: result.replayed, order: await orderView(ctx.db, orderId, actor) };
}

// ——— the steps ———

type Step = (trx: Database, o: OrderKey, at: Date) => Promise<{ to: DeliveryStatus; reason: string | null; set: Record<string, unknown> }>;

/** One step of an order: locked, checked against its status, moved on, its event and audit row written. */
async function step(ctx: AppContext, actor: Actor, o: OrderKey, from: DeliveryStatus[], action: string, run: Step) {
  const at = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('delivery_order').select(['id', 'person_id', 'prescription_id', 'dispense_id', 'provider_id', 'institution_id', 'status', 'recheck1_by', 'recheck2_by'])
      .where('person_id', '=', o.person_id).where('id', '=', o.id).forUpdate().executeTakeFirstOrThrow();
    if (!from.includes(locked.status)) throw conflict('delivery_state', `A delivery order that is ${locked.status} cannot be ${action}`);
    const { to, reason, set } = await run(trx, locked, at);
    await trx.updateTable('delivery_order').set({ ...set, status: to }).where('person_id', '=', o.person_id).where('id', '=', o.id).execute();
    await trx.insertInto('delivery_event').values({ person_id: o.person_id, order_id: o.id, at, user_id: actor.user.id, from_status: locked.status, to_status: to, reason }).execute();
    await writeAudit(trx, actor, [{ action: 'update', entity: 'delivery_order', entityId: o.id, personId: o.person_id, detail: { step: action, from: locked.status, to, ...(reason ? { reason } : {}) } }]);
    // delivered (or not) changes the delivered share of the period its dispense is in
    if (to === 'delivered' || to === 'failed' || to === 'returned') await refreshPerson(trx, o.person_id, ALL_MONTHS);
  });
  return orderView(ctx.db, o.id, actor);
}

/**
 * 复核: two different people, one of them a pharmacist of the dispensing institution. The first recheck
 * leaves the order `ordered`; the second makes it `rechecked`. The same person twice, or a second
 * recheck when neither is a pharmacist, is refused (409) and changes nothing.
 */
export async function recheckOrder(ctx: AppContext, actor: Actor, id: string, note?: string) {
  const o = await orderFor(ctx, actor, 'delivery.recheck', id);
  return step(ctx, actor, o, ['ordered'], 'rechecked', async (trx, locked, at) => {
    if (!locked.recheck1_by) return { to: 'ordered', reason: note ?? null, set: { recheck1_by: actor.user.id, recheck1_at: at } };
    if (locked.recheck1_by === actor.user.id) throw conflict('recheck_same_person', 'The second recheck must be done by another person than the first');
    const firstRole = (await trx.selectFrom('app_user').select('role').where('id', '=', locked.recheck1_by).executeTakeFirstOrThrow()).role;
    if (firstRole !== 'pharmacist' && actor.user.role !== 'pharmacist') throw conflict('recheck_pharmacist_required', 'One of the two rechecks must be a pharmacist’s of the dispensing institution');
    return { to: 'rechecked', reason: note ?? null, set: { recheck2_by: actor.user.id, recheck2_at: at } };
  });
}

/** 出发配送: the provider's staff take a rechecked order out. */
export async function takeOut(ctx: AppContext, actor: Actor, id: string) {
  const o = await orderFor(ctx, actor, 'delivery.handle', id);
  return step(ctx, actor, o, ['rechecked'], 'taken out', async (_trx, _locked, at) => ({ to: 'out_for_delivery', reason: null, set: { out_by: actor.user.id, out_at: at } }));
}

/** 送达: delivered, with the photo of the patient's signed receipt (JPEG or PNG by content, at most 5 MiB). */
export async function markDelivered(ctx: AppContext, actor: Actor, id: string, proof: { contentBase64: string }, note?: string) {
  const o = await orderFor(ctx, actor, 'delivery.handle', id);
  const checked = await checkProof(proof.contentBase64);
  return step(ctx, actor, o, ['out_for_delivery'], 'delivered', async (_trx, _locked, at) => ({
    to: 'delivered', reason: note ?? null,
    set: { finished_by: actor.user.id, finished_at: at, proof: checked.bytes, proof_media_type: checked.mediaType, proof_size_bytes: checked.bytes.length },
  }));
}

/**
 * 配送失败 / 退回: with the reason. The dispense is taken back in the same transaction: its claim
 * reversed, its batches back in the institution's stock, its packs back on the prescription.
 */
export async function endUndelivered(ctx: AppContext, actor: Actor, id: string, outcome: 'failed' | 'returned', reason: string) {
  const o = await orderFor(ctx, actor, 'delivery.handle', id);
  return step(ctx, actor, o, OPEN_STATUSES, outcome, async (trx, locked, at) => {
    await takeBackDispense(ctx, actor, locked.dispense_id, `${outcome === 'failed' ? '配送失败' : '配送退回'}：${reason}`, trx);
    return { to: outcome, reason, set: { finished_by: actor.user.id, finished_at: at, failure_reason: reason } };
  });
}

// ——— reads ———

async function ordersOf(db: Database, where: { ids?: string[]; personId?: string; prescriptionId?: string }) {
  let q = db.selectFrom('delivery_order as o')
    .innerJoin('prescription as p', (j) => j.onRef('p.person_id', '=', 'o.person_id').onRef('p.id', '=', 'o.prescription_id'))
    .innerJoin('dispense as d', (j) => j.onRef('d.person_id', '=', 'o.person_id').onRef('d.id', '=', 'o.dispense_id'))
    .innerJoin('claim as c', (j) => j.onRef('c.person_id', '=', 'd.person_id').onRef('c.id', '=', 'd.claim_id'))
    .innerJoin('person as pe', 'pe.id', 'o.person_id')
    .innerJoin('delivery_provider as dp', 'dp.id', 'o.provider_id')
    .innerJoin('institution as i', 'i.id', 'o.institution_id')
    .select([
      'o.id', 'o.person_id', 'o.prescription_id', 'o.dispense_id', 'o.provider_id', 'o.institution_id', 'o.status', 'o.address', 'o.phone', 'o.recheck1_by', 'o.recheck1_at',
      'o.recheck2_by', 'o.recheck2_at', 'o.out_at', 'o.finished_at', 'o.failure_reason', 'o.proof_media_type', 'o.proof_size_bytes', 'o.created_at',
      'p.prescription_no', 'pe.name as person_name', 'dp.name as provider_name', 'dp.phone as provider_phone', 'i.name as institution_name', 'i.phone as institution_phone',
      'd.claim_id', 'c.settlement_no', 'c.status as claim_status', 'c.amount_fen', 'c.fund_pay_fen',
    ]);
  if (where.ids) q = q.where('o.id', 'in', where.ids);
  if (where.personId) q = q.where('o.person_id', '=', where.personId);
  if (where.prescriptionId) q = q.where('o.prescription_id', '=', where.prescriptionId);
  const rows = await q.orderBy('o.created_at', 'desc').orderBy('o.id').execute();
  if (!rows.length) return [];
  const persons = [...new Set(rows.map((r) => r.person_id))];
  const [events, lines] = await Promise.all([
    db.selectFrom('delivery_event as e').leftJoin('app_user as u', 'u.id', 'e.user_id')
      .select(['e.order_id', 'e.at', 'e.from_status', 'e.to_status', 'e.reason', 'u.display_name', 'u.role'])
      .where('e.person_id', 'in', persons).where('e.order_id', 'in', rows.map((r) => r.id)).orderBy('e.at').orderBy('e.id').execute(),
    db.selectFrom('dispense_line').select(['dispense_id', 'prescription_line_no', 'drug_code', 'batch_no', 'expiry_date', 'quantity'])
      .where('person_id', 'in', persons).where('dispense_id', 'in', rows.map((r) => r.dispense_id)).orderBy('dispense_id').orderBy('line_no').execute(),
  ]);
  const users = [...new Set(rows.flatMap((r) => [r.recheck1_by, r.recheck2_by]).filter((x): x is string => !!x))];
  const who = users.length ? await db.selectFrom('app_user').select(['id', 'display_name', 'role']).where('id', 'in', users).execute() : [];
  return rows.map((r) => ({ ...r, events: events.filter((e) => e.order_id === r.id), lines: lines.filter((l) => l.dispense_id === r.dispense_id), who }));
}

/** Which step an event is: the first recheck leaves the order as it was (ordered → ordered). */
export type DeliveryStep = 'ordered' | 'recheck1' | 'recheck2' | 'out_for_delivery' | 'delivered' | 'failed' | 'returned';
const stepOf = (e: { from_status: string | null; to_status: string }): DeliveryStep =>
  e.from_status === null ? 'ordered' : e.to_status === 'ordered' ? 'recheck1' : e.to_status === 'rechecked' ? 'recheck2' : (e.to_status as DeliveryStep);

function present(r: Awaited<ReturnType<typeof ordersOf>>[number], actor: Actor) {
  const person = (id: string | null, at: Date | null) => {
    if (!id) return null;
    const u = r.who.find((w) => w.id === id);
    return { name: u?.display_name ?? '', role: u?.role ?? null, at: iso(at) };
  };
  const drugs = drugCatalogue();
  return {
    id: r.id, status: r.status, prescriptionId: r.prescription_id, prescriptionNo: r.prescription_no, dispenseId: r.dispense_id,
    person: { id: r.person_id, name: r.person_name }, address: r.address, phone: r.phone, // the staff call the patient at the door
    provider: { id: r.provider_id, name: r.provider_name, phone: r.provider_phone }, institution: { id: r.institution_id, name: r.institution_name, phone: r.institution_phone },
    claim: { id: r.claim_id, settlementNo: r.settlement_no, status: r.claim_status, amountFen: Number(r.amount_fen), fundPayFen: Number(r.fund_pay_fen), selfPayFen: Number(r.amount_fen) - Number(r.fund_pay_fen) },
    lines: r.lines.map((l) => {
      const d = drugs.get(l.drug_code);
      return { prescriptionLineNo: l.prescription_line_no, drugCode: l.drug_code, drugName: d?.genericNameZh ?? l.drug_code, drugNameEn: d?.genericNameEn ?? l.drug_code, strength: d?.strength ?? '', packSize: d?.packSize ?? null, unit: d?.unit ?? '', batchNo: l.batch_no, expiryDate: l.expiry_date, quantity: l.quantity };
    }),
    rechecks: [person(r.recheck1_by, r.recheck1_at), person(r.recheck2_by, r.recheck2_at)].filter((x) => x !== null),
    recheckedByMe: r.recheck1_by === actor.user.id || r.recheck2_by === actor.user.id,
    outAt: iso(r.out_at), finishedAt: iso(r.finished_at), failureReason: r.failure_reason,
    proof: r.proof_media_type ? { mediaType: r.proof_media_type, sizeBytes: r.proof_size_bytes ?? 0 } : null,
    createdAt: iso(r.created_at)!,
    events: r.events.map((e) => ({ at: iso(e.at)!, step: stepOf(e), from: e.from_status, to: e.to_status, reason: e.reason, by: e.display_name ?? null, role: e.role ?? null })),
  };
}
export type DeliveryOrderView = ReturnType<typeof present>;

async function orderView(db: Database, id: string, actor: Actor) {
  const [row] = await ordersOf(db, { ids: [id] });
  return present(row!, actor);
}

/** One order with its lines and steps. */
export async function getOrder(ctx: AppContext, actor: Actor, id: string) {
  const o = await orderFor(ctx, actor, 'delivery.read', id);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'delivery_order', entityId: id, personId: o.person_id }]);
  return orderView(ctx.db, id, actor);
}

/** The signed receipt's photo, with its content type. */
export async function orderProof(ctx: AppContext, actor: Actor, id: string) {
  const o = await orderFor(ctx, actor, 'delivery.read', id);
  const row = await ctx.db.selectFrom('delivery_order').select(['proof', 'proof_media_type']).where('person_id', '=', o.person_id).where('id', '=', id).executeTakeFirstOrThrow();
  if (!row.proof || !row.proof_media_type) throw notFound('This order has no signed receipt yet');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'delivery_proof', entityId: id, personId: o.person_id }]);
  return { mediaType: row.proof_media_type, bytes: row.proof };
}

/**
 * The orders of the caller's provider (delivery staff) or institution (pharmacist), by status ('open':
 * not yet ended), oldest first while open, newest first once ended.
 */
export async function listOrders(ctx: AppContext, actor: Actor, status: DeliveryStatus | 'open' | 'all', limit: number) {
  const { user } = actor;
  const scope = user.role === 'delivery' ? { column: 'o.provider_id' as const, id: user.deliveryProviderId } : user.role === 'pharmacist' ? { column: 'o.institution_id' as const, id: user.institutionId } : null;
  // a list names no target: the roles with a list are the provider's and the institution's
  await requireAccess(ctx, actor, 'delivery.read', scope ? undefined : {});
  const statuses = status === 'open' ? OPEN_STATUSES : status === 'all' ? DELIVERY_STATUSES : [status];
  const open = statuses.every((s) => OPEN_STATUSES.includes(s));
  const ids = await ctx.db.selectFrom('delivery_order as o').select('o.id')
    .where(scope!.column, '=', scope!.id!).where('o.status', 'in', statuses)
    .orderBy('o.created_at', open ? 'asc' : 'desc').orderBy('o.id').limit(limit).execute();
  const counts = await ctx.db.selectFrom('delivery_order as o').select(['o.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(scope!.column, '=', scope!.id!).groupBy('o.status').execute();
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'delivery_order', entityId: scope!.id, detail: { status } }]);
  const rows = ids.length ? await ordersOf(ctx.db, { ids: ids.map((r) => r.id) }) : [];
  const order = new Map(ids.map((r, i) => [r.id, i]));
  return {
    items: rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map((r) => present(r, actor)),
    counts: Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, Number(counts.find((c) => c.status === s)?.n ?? 0)])) as Record<DeliveryStatus, number>,
  };
}

/** A prescription's orders, each with its steps (the prescription's page). */
export async function prescriptionOrders(ctx: AppContext, actor: Actor, prescriptionId: string) {
  const p = await findPrescription(ctx.db, prescriptionId);
  await requireAccess(ctx, actor, 'delivery.read', { personId: p?.person_id ?? null, institutionId: p?.fill_institution_id ?? null, providerId: null });
  if (!p) throw notFound('No such prescription');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'delivery_order', personId: p.person_id, detail: { prescriptionId } }]);
  return (await ordersOf(ctx.db, { personId: p.person_id, prescriptionId })).map((r) => present(r, actor));
}

/** The patient's own orders, newest first: where my drugs are. */
export async function myDeliveries(ctx: AppContext, actor: Actor) {
  const personId = actor.user.personId;
  await requireAccess(ctx, actor, 'delivery.read', { personId, institutionId: null, providerId: null });
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'delivery_order', personId }]);
  return (await ordersOf(ctx.db, { personId: personId! })).map((r) => present(r, actor));
}

// ——— the share delivered (the indicators reuse it) ———

/**
 * 送药到家占比: of the county's prescriptions dispensed in the period (a dispense not taken back,
 * dispensed on a Shanghai date from `from` to `to`), how many went home by a delivered order.
 * Basis points, half up; null when nothing was dispensed.
 */
export async function deliveredShare(db: Database, countyCode: string, from: string, to: string) {
  const { rows } = await sql<{ dispensed: number; delivered: number }>`
    select count(distinct (d.person_id, d.prescription_id))::int as dispensed,
           count(distinct (d.person_id, d.prescription_id)) filter (where o.status = 'delivered')::int as delivered
    from dispense d
    join prescription p on p.person_id = d.person_id and p.id = d.prescription_id
    left join delivery_order o on o.person_id = d.person_id and o.dispense_id = d.id
    where p.county_code = ${countyCode} and d.status = 'dispensed'
      and (d.dispensed_at at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date`.execute(db);
  const { dispensed, delivered } = rows[0] ?? { dispensed: 0, delivered: 0 };
  return { countyCode, from, to, dispensed, delivered, shareBp: dispensed ? Math.floor((delivered * 10000 * 2 + dispensed) / (2 * dispensed)) : null };
}

export async function deliveryShare(ctx: AppContext, actor: Actor, countyCode: string, from: string, to: string) {
  await requireAccess(ctx, actor, 'delivery.share.read', { regionCode: countyCode });
  if (from > to) throw badRequest('The period ends before it starts', [{ field: 'query.to', rule: 'not_before_from', message: 'on or after from' }]);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'delivery_share', entityId: countyCode, detail: { from, to } }]);
  return deliveredShare(ctx.db, countyCode, from, to);
}

/** The providers an order of the caller's institution may go to: those serving its county. */
export async function providersForCounter(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'delivery.order', { institutionId: actor.user.institutionId });
  const institution = await ctx.db.selectFrom('institution').select('county_code').where('id', '=', actor.user.institutionId!).executeTakeFirstOrThrow();
  return providersOfCounty(ctx.db, institution.county_code);
}
