// The demo city's drugs to the patient's hand (issue 14): each dispensing institution's stock by batch,
// the delivery providers and the staff who dispense, review and deliver, and for every registered
// patient a year of prescriptions behind the refills the demo settles — each settled refill is the
// dispense of an approved prescription, with its lines, batches and history. Most prescriptions were
// dispensed; some wait approved, some are filled in part (at the centre, and the rest at a chain
// pharmacy), some went back to the doctor with the pharmacist's reason, expired or were cancelled;
// about 11 % went home by delivery (Hangzhou's figure, seed 003), a few of which failed or came back.
// Jiaxing's policy has no extended prescription (延伸处方), so the demo writes none.
//
// Every stream here is its own (Random.forKey), so the rest of the city is what it was before.
import { addDays, type IsoDate } from '../../engine/calendar';
import { blocking, reviewFindings, type PastDispense, type ReviewParams } from '../../engine/prescription/review';
import type { ContractFact, RegistrationFact } from '../../engine/eligibility';
import { CHRONIC_COMMON_LIST, type Drug } from '../reference/service';
import type { DemoCity, DemoInstitution } from './city';
import { Random } from './random';

/** A stock batch as the loader inserts it. */
export interface DemoBatch {
  institution_id: string;
  drug_code: string;
  batch_no: string;
  expiry_date: IsoDate;
  received: number;
  on_hand: number;
  received_at: string;
}

export interface DemoDispensing {
  validityDays: number;
  params: Record<'resident' | 'employee', ReviewParams & { followUpWindowDays: number }>;
  /** Stock of an institution: drug code → batches, oldest received first. */
  stock: Map<string, Map<string, DemoBatch[]>>;
  /** The pharmacist user dispensing at each institution that dispenses. */
  pharmacistUser: Map<string, string>;
  /** Per county: the delivery provider and its staff user. */
  delivery: Map<string, { providerId: string; userId: string }>;
  pharmaciesByCounty: Map<string, DemoInstitution[]>;
  institutionCode: Map<string, string>;
  drugs: Map<string, Drug>;
  /** 处方编号 sequence of this load (the database sequence is moved past it afterwards). */
  nextNo: number;
}

const ts = (date: IsoDate, hour: number, minute = 0) => `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;

/** The drugs the demo prescribes for a disease (programme.ts): procured, of that disease alone, on the chronic list. */
export const prescribable = (drugs: Drug[], disease: string) => drugs.filter((d) => d.diseases.includes(disease) && d.vbp && d.diseases.length === 1 && d.lists.includes(CHRONIC_COMMON_LIST));

/** A 1×1 PNG: the signed receipt's photo of the demo's delivered orders. */
const PROOF_PNG = '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa7d1a1e40000000049454e44ae426082';

export interface DemoStaffRows {
  providers: Array<{ id: string; code: string; name: string; county_code: string; phone: string }>;
  users: Array<{ id: string; username: string; display_name: string; role: string; practitioner_id: string | null; institution_id: string | null; delivery_provider_id: string | null }>;
  pharmacistUser: Map<string, string>;
  delivery: Map<string, { providerId: string; userId: string }>;
}

/**
 * A pharmacist user at every centre and pharmacy (`centre-pharmacist` at the demo doctor's centre,
 * `pharmacist-<institution code>` elsewhere; the existing `pharmacist` keeps its pharmacy), a delivery
 * provider per county with one staff user (`delivery` in the first county, `delivery-<county>` elsewhere).
 */
export function dispensingStaff(city: DemoCity, existingPharmacist: { id: string; institutionId: string }, doctorCentreId: string): DemoStaffRows {
  const rng = Random.forKey('demo:dispensing-staff');
  const out: DemoStaffRows = { providers: [], users: [], pharmacistUser: new Map([[existingPharmacist.institutionId, existingPharmacist.id]]), delivery: new Map() };
  for (const inst of city.institutions) {
    if (out.pharmacistUser.has(inst.id) || !(inst.kind === 'pharmacy' || inst.kind === 'community_health_centre' || inst.kind === 'township_health_centre')) continue;
    const practitioner = city.practitioners.find((p) => p.institution_id === inst.id && p.profession === 'pharmacist');
    const id = rng.uuid();
    out.pharmacistUser.set(inst.id, id);
    out.users.push({
      id, username: inst.id === doctorCentreId ? 'centre-pharmacist' : `pharmacist-${inst.code}`, display_name: practitioner?.name ?? '药师', role: 'pharmacist',
      practitioner_id: practitioner?.id ?? null, institution_id: inst.id, delivery_provider_id: null,
    });
  }
  const counties = [...new Set(city.towns.map((t) => t.countyCode))];
  counties.forEach((county, i) => {
    const providerId = rng.uuid();
    const userId = rng.uuid();
    out.providers.push({ id: providerId, code: `SXPS-${county}`, name: `顺心医药配送（${county}站）`, county_code: county, phone: `0573-8${String(6000000 + i * 131).slice(-7)}` });
    out.users.push({ id: userId, username: i === 0 ? 'delivery' : `delivery-${county}`, display_name: '送药到家配送员', role: 'delivery', practitioner_id: null, institution_id: null, delivery_provider_id: providerId });
    out.delivery.set(county, { providerId, userId });
  });
  return out;
}

/**
 * 备药: county hospitals stock most common chronic drugs; each grassroots centre the drugs its patients
 * take and a varied share of its hospital's others (some centres at or above the seed's 70 %, some
 * below); pharmacies their own range. Quantities follow the patients a centre serves, some drugs are
 * short of 30 patient-days, and a few centres still hold an expired batch.
 */
export function buildStock(city: DemoCity, drugs: Drug[], patients: number, asOf: IsoDate) {
  const chronic = drugs.filter((d) => d.lists.includes(CHRONIC_COMMON_LIST));
  const base = new Set([...prescribable(drugs, 'hypertension'), ...prescribable(drugs, 'diabetes')].map((d) => d.code));
  const general = drugs.filter((d) => !d.lists.includes(CHRONIC_COMMON_LIST) && d.lists.length > 0);
  const yearStart = `${asOf.slice(0, 4)}-01-01`;
  const centres = city.institutions.filter((i) => i.kind === 'community_health_centre' || i.kind === 'township_health_centre');
  // a centre's patients taking one of the prescribed drugs: registered patients spread over the towns and their drugs
  const perDrugPatients = Math.max(0.5, (patients * 0.68 * 1.3) / Math.max(1, centres.length) / base.size);
  const batches: DemoBatch[] = [];
  const stock = new Map<string, Map<string, DemoBatch[]>>();
  const add = (rng: Random, inst: DemoInstitution, drug: Drug, packs: number, expired = false) => {
    const own = stock.get(inst.id) ?? new Map<string, DemoBatch[]>();
    stock.set(inst.id, own);
    const list = own.get(drug.code) ?? [];
    own.set(drug.code, list);
    const batchNo = () => `${drug.code.slice(1)}${String(rng.int(1, 99999)).padStart(5, '0')}`;
    if (expired) {
      const received = addDays(yearStart, -rng.int(400, 600));
      const b = { institution_id: inst.id, drug_code: drug.code, batch_no: `X${batchNo()}`, expiry_date: addDays(asOf, -rng.int(3, 40)), received: rng.int(10, 30), on_hand: rng.int(2, 6), received_at: ts(received, 14) };
      list.unshift(b);
      batches.push(b);
      return;
    }
    // an older batch received before the year began, and for some drugs a newer one
    const first = addDays(yearStart, -rng.int(10, 200));
    const second = rng.chance(0.5) ? addDays(asOf, -rng.int(10, 120)) : null;
    const onHandFirst = second ? rng.int(0, Math.max(1, Math.floor(packs / 4))) : packs;
    const b1 = { institution_id: inst.id, drug_code: drug.code, batch_no: `A${batchNo()}`, expiry_date: addDays(asOf, rng.int(90, 600)), received: onHandFirst + rng.int(packs, packs * 3), on_hand: onHandFirst, received_at: ts(first, 14) };
    list.push(b1);
    batches.push(b1);
    if (second) {
      const onHand = Math.max(1, packs - onHandFirst);
      const b2 = { institution_id: inst.id, drug_code: drug.code, batch_no: `B${batchNo()}`, expiry_date: addDays(asOf, rng.int(500, 1000)), received: onHand + rng.int(0, Math.ceil(packs / 2)), on_hand: onHand, received_at: ts(second, 14) };
      if (b2.expiry_date <= b1.expiry_date) b2.expiry_date = addDays(b1.expiry_date, 180);
      list.push(b2);
      batches.push(b2);
    }
  };
  /** Packs for `days` of `users` patients' daily use. */
  const packsFor = (drug: Drug, users: number, days: number) => Math.max(1, Math.ceil((users * drug.dailyUnits * days) / drug.packSize));

  const upperStock = new Map<string, Set<string>>();
  for (const inst of city.institutions.filter((i) => i.kind === 'hospital')) {
    const rng = Random.forKey(`demo:stock:${inst.id}`);
    const codes = new Set<string>();
    for (const drug of chronic) {
      if (!base.has(drug.code) && !rng.chance(0.8)) continue;
      codes.add(drug.code);
      add(rng, inst, drug, packsFor(drug, perDrugPatients * 6, rng.int(60, 150)));
    }
    for (const drug of general) if (rng.chance(0.8)) add(rng, inst, drug, rng.int(40, 300));
    upperStock.set(inst.id, codes);
  }
  for (const inst of centres) {
    const rng = Random.forKey(`demo:stock:${inst.id}`);
    const upper = [...(upperStock.get(inst.upper_institution_id!) ?? [])];
    // the share of the hospital's chronic drugs this centre stocks too: about a third of centres below the seed's 70 %
    const target = rng.chance(0.35) ? rng.int(50, 69) / 100 : rng.int(70, 95) / 100;
    const own = new Set([...base]);
    const extra = rng.shuffle(upper.filter((c) => !own.has(c)));
    const wanted = Math.ceil(target * upper.length) - upper.filter((c) => own.has(c)).length;
    for (const c of extra.slice(0, Math.max(0, wanted))) own.add(c);
    const byCode = new Map(drugs.map((d) => [d.code, d]));
    for (const code of [...own].sort()) {
      const drug = byCode.get(code)!;
      // most drugs for one to five months of the patients' use; about one in eight under 30 patient-days
      const days = rng.chance(0.12) ? rng.int(5, 25) : rng.int(40, 150);
      add(rng, inst, drug, packsFor(drug, base.has(code) ? perDrugPatients : perDrugPatients / 4, days));
    }
    for (const drug of general) if (rng.chance(0.5)) add(rng, inst, drug, rng.int(5, 40));
    if (rng.chance(0.12)) add(rng, inst, byCode.get(rng.pick([...own]))!, 0, true);
  }
  for (const inst of city.institutions.filter((i) => i.kind === 'pharmacy')) {
    const rng = Random.forKey(`demo:stock:${inst.id}`);
    for (const drug of chronic) if (rng.chance(base.has(drug.code) ? 0.75 : 0.35)) add(rng, inst, drug, rng.int(6, 60));
    for (const drug of general) if (rng.chance(0.7)) add(rng, inst, drug, rng.int(10, 80));
  }
  // what came in, and what went out of each batch before the demo's day (one movement for the history)
  const movements = batches.flatMap((b) => [
    { institution_id: b.institution_id, drug_code: b.drug_code, batch_no: b.batch_no, kind: 'receive', quantity: b.received, at: b.received_at, note: '入库' },
    ...(b.received > b.on_hand ? [{ institution_id: b.institution_id, drug_code: b.drug_code, batch_no: b.batch_no, kind: 'dispense', quantity: b.on_hand - b.received, at: ts(asOf, 8), note: '演示数据：此前发药合计' }] : []),
  ]);
  return { batches, movements, stock };
}

/** The batch a dispense on `date` took: the newest received by then, else the oldest unexpired. */
function batchAt(ctx: DemoDispensing, institutionId: string, drugCode: string, date: IsoDate): DemoBatch | undefined {
  const list = (ctx.stock.get(institutionId)?.get(drugCode) ?? []).filter((b) => b.expiry_date >= date);
  let pick = list[0];
  for (const b of list) if (b.received_at.slice(0, 10) <= date) pick = b;
  return pick;
}

/** One settled refill of programme.ts: its claim and the packs of each line. */
export interface DemoRefill {
  claimId: string;
  date: IsoDate;
  institutionId: string;
  lines: Array<{ drug: Drug; disease: string; quantity: number; days: number }>;
}

export interface RxRows {
  rx: Array<Record<string, unknown>>;
  rxLines: Array<Record<string, unknown>>;
  rxEvents: Array<Record<string, unknown>>;
  dispenses: Array<Record<string, unknown>>;
  dispenseLines: Array<Record<string, unknown>>;
  deliveryOrders: Array<Record<string, unknown>>;
  deliveryEvents: Array<Record<string, unknown>>;
  renewalRequests: Array<Record<string, unknown>>;
}

export const emptyRx = (): RxRows => ({ rx: [], rxLines: [], rxEvents: [], dispenses: [], dispenseLines: [], deliveryOrders: [], deliveryEvents: [], renewalRequests: [] });

export interface PatientRx {
  person: { id: string; region_code: string; address: string; insurance_type: 'resident' | 'employee'; conditions: Array<{ disease_code: string }> };
  team: { id: string; institution_id: string };
  doctorUser: string;
  registrations: RegistrationFact[];
  /** The patient's follow-up visit dates: a renewal (续方) needs one within the policy's window (复诊核验), else it is written from the continuous prescription. */
  followUpVisits?: IsoDate[];
  contracts: ContractFact[];
  /** The registration's start: nothing is prescribed before it. */
  effective: IsoDate;
  asOf: IsoDate;
}

/** What the settlement side must do to the claims after the prescriptions were made. */
export interface RxClaimChanges {
  /** An extra fill at a chain pharmacy, to be settled after the refills (the rest of a prescription). */
  pharmacyFill?: { date: IsoDate; institutionId: string; userId: string; lines: DemoRefill['lines']; onSettled: (claimId: string) => void };
  /** The last refill's delivery failed or came back: its claim is reversed. */
  reverseLast?: { at: string; userId: string; reason: string };
}

const STABLE = ['血压控制稳定三个月以上，规律随访', '血糖控制达标，病情稳定', '病情稳定，用药方案半年未调整', '规律服药，近三次随访控制满意'];
const OVERRIDE = ['与医生确认：为调整方案过渡期，已告知停用原药', '经与处方医生沟通，患者余药已停用，同意调配', '已电话核实用药史，余药不足，同意续配'];
const RETURN_REASONS = ['剂量与说明书不符，请核对', '所开药品与登记病种不符，请核实诊断', '同类药物重复，请调整方案', '用药天数与随访间隔不符，请核对'];
const CANCEL_REASONS = ['医生调整用药方案', '患者住院治疗，暂停配药', '患者要求取消，已在上级医院配药'];
const FAIL_REASONS: Array<[string, string]> = [['failed', '收件人不在家，多次电话联系未果'], ['returned', '患者拒收：外包装破损'], ['failed', '地址有误，无法投递']];

/**
 * The patient's prescriptions behind their settled refills (each refill the dispense of an approved
 * prescription), and the ones that did not end in a dispense. Returns what the claims must still
 * become: a second fill at a pharmacy, or the last claim reversed.
 */
export function addPatientPrescriptions(ctx: DemoDispensing, out: RxRows, p: PatientRx, refills: DemoRefill[]): RxClaimChanges {
  const rng = Random.forKey(`demo:rx:${p.person.id}`);
  const params = ctx.params[p.person.insurance_type];
  const county = p.person.region_code.slice(0, 6);
  const centre = p.team.institution_id;
  const centrePharmacist = ctx.pharmacistUser.get(centre)!;
  const changes: RxClaimChanges = {};
  const past: PastDispense[] = [];
  let previous: { id: string; lines: DemoRefill['lines'] } | null = null;

  /** No prescription before the registration took effect (nor, for a renewal, before what it renews). */
  const notBefore = (date: IsoDate, floor: IsoDate = p.effective) => (date < floor ? floor : date);
  const write = (o: {
    origin: 'continuous' | 'renewal' | 'new'; writtenOn: IsoDate; lines: DemoRefill['lines']; fillPlace?: 'own' | 'pharmacy' | 'delivery'; fillInstitutionId?: string;
    renewalOf?: string | null; multiplier?: number;
  }) => {
    const id = rng.uuid();
    const m = o.multiplier ?? 1;
    const lines = o.lines.map((l, i) => ({ lineNo: i + 1, drug: l.drug, doseMilli: Math.max(1, Math.round(l.drug.dailyUnits * 1000)), days: l.days * m, quantity: l.quantity * m }));
    const days = Math.max(...lines.map((l) => l.days));
    // the product refuses a renewal without a follow-up in the window (follow_up_required), and so the smart audit flags one
    const window = params.followUpWindowDays;
    const followedUp = !p.followUpVisits || p.followUpVisits.some((v) => v <= o.writtenOn && v >= addDays(o.writtenOn, -window));
    const origin = o.origin === 'renewal' && !followedUp ? 'continuous' : o.origin;
    const findings = reviewFindings({
      date: o.writtenOn, registrations: p.registrations, contracts: p.contracts, dispensed: past,
      lines: lines.map((l) => ({ drug: { code: l.drug.code, classes: l.drug.classes, diseases: l.drug.diseases, maxDailyUnits: l.drug.maxDailyUnits }, doseUnits: { n: l.doseMilli, d: 1000 }, frequency: 'qd', daysSupply: l.days })),
    }, params);
    const fillPlace = o.fillPlace ?? 'own';
    const row: Record<string, unknown> = {
      id, person_id: p.person.id, prescription_no: `${ctx.institutionCode.get(centre)}-${o.writtenOn.replaceAll('-', '')}-${String(ctx.nextNo++).padStart(6, '0')}`,
      origin, institution_id: centre, county_code: county, team_id: p.team.id, doctor_id: p.doctorUser, written_on: o.writtenOn,
      valid_until: addDays(o.writtenOn, ctx.validityDays), days_supply: days, stable_reason: days > 30 ? rng.pick(STABLE) : null, renewal_of: origin === 'renewal' ? (o.renewalOf ?? null) : null,
      fill_place: fillPlace, fill_institution_id: o.fillInstitutionId ?? centre, delivery_address: fillPlace === 'delivery' ? p.person.address : null,
      status: 'draft', findings: JSON.stringify(findings), reviewed_by: null, reviewed_at: null, review_note: null, override_reason: null,
      created_at: ts(o.writtenOn, 9, rng.int(0, 59)), submitted_at: ts(o.writtenOn, 9, 59), approved_at: null,
    };
    out.rx.push(row);
    const stored = lines.map((l) => ({ prescription_id: id, line_no: l.lineNo, person_id: p.person.id, drug_code: l.drug.code, dose_milli: l.doseMilli, frequency: 'qd', days_supply: l.days, quantity: l.quantity, dispensed_quantity: 0 }));
    out.rxLines.push(...stored);
    const event = (action: string, from: string | null, to: string, at: string, user: string | null, reason: string | null = null, detail: unknown = null) =>
      out.rxEvents.push({ person_id: p.person.id, prescription_id: id, at, user_id: user, action, from_status: from, to_status: to, reason, detail: detail === null ? null : JSON.stringify(detail) });
    event('write', null, 'draft', row.created_at as string, p.doctorUser, null, { origin });
    event('submit', 'draft', 'submitted', row.submitted_at as string, p.doctorUser);
    row.status = 'submitted';
    const review = (hour: number) => {
      row.status = 'under_review';
      row.reviewed_by = centrePharmacist;
      event('start_review', 'submitted', 'under_review', ts(o.writtenOn, hour), centrePharmacist, null, { findings: findings.map((f) => f.code) });
    };
    const approve = (hour: number) => {
      review(hour);
      const at = ts(o.writtenOn, hour, 20);
      const block = blocking(findings);
      row.status = 'approved';
      row.reviewed_at = at;
      row.approved_at = at;
      row.valid_until = addDays(o.writtenOn, ctx.validityDays - 1);
      if (block.length) row.override_reason = rng.pick(OVERRIDE);
      event('approve', 'under_review', 'approved', at, centrePharmacist, row.override_reason as string | null, block.length ? { overridden: block.map((f) => f.code) } : null);
    };
    const dispense = (refill: { claimId: string; date: IsoDate; institutionId: string; lines: DemoRefill['lines'] }, opts: { delivery?: boolean; userId: string }) => {
      const dispenseId = rng.uuid();
      const at = ts(refill.date, 10, rng.int(0, 59));
      const dispenseRow = { id: dispenseId, person_id: p.person.id, prescription_id: id, institution_id: refill.institutionId, claim_id: refill.claimId, status: 'dispensed', delivery: !!opts.delivery, dispensed_by: opts.userId, dispensed_at: at, returned_by: null, returned_at: null, return_reason: null } as Record<string, unknown>;
      out.dispenses.push(dispenseRow);
      let n = 0;
      const filled: Array<[number, number]> = [];
      refill.lines.forEach((l, i) => {
        const line = lines[i];
        const batch = batchAt(ctx, refill.institutionId, l.drug.code, refill.date);
        out.dispenseLines.push({ dispense_id: dispenseId, line_no: ++n, person_id: p.person.id, prescription_line_no: line.lineNo, drug_code: l.drug.code, batch_no: batch?.batch_no ?? 'DEMO-1', expiry_date: batch?.expiry_date ?? addDays(p.asOf, 365), quantity: l.quantity });
        stored[line.lineNo - 1].dispensed_quantity += l.quantity;
        filled.push([line.lineNo, l.quantity]);
      });
      const remaining = stored.some((r) => r.quantity > r.dispensed_quantity);
      const to = remaining ? 'partly_dispensed' : 'dispensed';
      event(remaining ? 'dispense_part' : 'dispense_rest', row.status as string, to, at, opts.userId, null, { dispenseId, claimId: refill.claimId, institutionId: refill.institutionId, lines: filled });
      row.status = to;
      for (const l of refill.lines) past.push({ drugCode: l.drug.code, classes: l.drug.classes, dispensedOn: refill.date, daysCovered: l.days, place: refill.institutionId });
      return { dispenseId, at, dispenseRow };
    };
    return { id, row, lines, stored, event, review, approve, dispense, findings };
  };

  refills.forEach((refill, k) => {
    const last = k === refills.length - 1;
    const writtenOn = [addDays(refill.date, -rng.int(0, 2)), p.effective].sort().pop()!;
    const delivery = rng.chance(0.11);
    // the last refill, still within its validity: written for two periods, the rest waiting or had at a pharmacy
    const validLeft = addDays(writtenOn, ctx.validityDays - 1) >= p.asOf;
    const twoPeriods = last && !delivery && validLeft && refill.lines.every((l) => l.days * 2 <= params.maxDaysSupply) && rng.chance(0.2);
    const toPharmacy = twoPeriods && rng.chance(0.5);
    // filled at two places with some still left: three periods' packs
    const multiplier = !twoPeriods ? 1 : toPharmacy && refill.lines.every((l) => l.days * 3 <= params.maxDaysSupply) && rng.chance(0.5) ? 3 : 2;
    const rx = write({ origin: previous ? 'renewal' : 'continuous', writtenOn, lines: refill.lines, renewalOf: previous?.id ?? null, fillPlace: delivery ? 'delivery' : 'own', multiplier });
    rx.approve(11);
    const { dispenseId, at, dispenseRow } = rx.dispense(refill, { delivery, userId: centrePharmacist });
    if (delivery) addDelivery(ctx, out, rng, p, county, rx.id, dispenseRow, at, centrePharmacist, refill.date, last ? changes : undefined, rx);
    if (toPharmacy) {
      // the rest at a chain pharmacy of the county that stocks every drug of it (the place moved first)
      const pharmacy = rng.shuffle(ctx.pharmaciesByCounty.get(county) ?? []).find((ph) => refill.lines.every((l) => batchAt(ctx, ph.id, l.drug.code, p.asOf)));
      const date = addDays(refill.date, rng.int(1, 12));
      if (pharmacy && date <= p.asOf) {
        const userId = ctx.pharmacistUser.get(pharmacy.id)!;
        rx.event('place', rx.row.status as string, rx.row.status as string, ts(date, 9), p.doctorUser, null, { fillPlace: 'pharmacy', fillInstitutionId: pharmacy.id });
        rx.row.fill_place = 'pharmacy';
        rx.row.fill_institution_id = pharmacy.id;
        changes.pharmacyFill = { date, institutionId: pharmacy.id, userId, lines: refill.lines, onSettled: (claimId) => rx.dispense({ claimId, date, institutionId: pharmacy.id, lines: refill.lines }, { userId }) };
      }
    }
    previous = { id: rx.id, lines: refill.lines };
  });

  // prescriptions that did not end in a dispense, each for a share of patients
  const lastRefill = refills[refills.length - 1];
  const lines = lastRefill?.lines;
  if (lines && previous) {
    const prev: { id: string } = previous;
    const roll = rng.next();
    // a renewal is written once 80 % of the last supply's days have passed (the early-refill rule)
    const due = addDays(lastRefill.date, Math.ceil(Math.min(...lines.map((l) => l.days)) * 0.8));
    const renewalDay = (back: number) => notBefore(addDays(p.asOf, -rng.int(0, back)), due);
    const recent = renewalDay(12);
    if (roll < 0.21 && due > p.asOf) {
      // the last supply has days left: nothing to renew yet
    } else if (roll < 0.1) {
      // a renewal approved and waiting to be filled, at the centre, a pharmacy or by delivery
      const place = rng.weighted([['own', 70], ['pharmacy', 19], ['delivery', 11]] as const);
      const pharmacy = place === 'pharmacy' ? rng.pick(ctx.pharmaciesByCounty.get(county) ?? []) : undefined;
      const rx = write({ origin: 'renewal', writtenOn: recent, lines, renewalOf: prev.id, fillPlace: pharmacy || place !== 'pharmacy' ? place : 'own', fillInstitutionId: pharmacy?.id });
      rx.approve(14);
      if (rng.chance(0.4))
        out.renewalRequests.push({ id: rng.uuid(), person_id: p.person.id, prescription_id: prev.id, team_id: p.team.id, status: 'renewed', note: '药快吃完了，申请续方', requested_at: ts(addDays(rx.row.written_on as string, -1), 20), handled_by: p.doctorUser, handled_at: rx.row.created_at, decline_reason: null, renewal_id: rx.id });
    } else if (roll < 0.18) {
      // waiting for the pharmacist: submitted, or opened by one
      const rx = write({ origin: 'renewal', writtenOn: renewalDay(3), lines, renewalOf: prev.id });
      if (rng.chance(0.3)) rx.review(15);
    } else if (roll < 0.21) {
      // returned by the pharmacist with the reason, not yet revised
      const rx = write({ origin: 'renewal', writtenOn: renewalDay(20), lines, renewalOf: prev.id });
      rx.review(15);
      const at = ts(rx.row.written_on as string, 15, 30);
      const reason = rng.pick(RETURN_REASONS);
      Object.assign(rx.row, { status: 'returned', reviewed_at: at, review_note: reason });
      rx.event('return', 'under_review', 'returned', at, centrePharmacist, reason);
    } else if (roll < 0.235) {
      // approved and never filled: expired after the policy's validity
      const writtenOn = addDays(p.effective, rng.int(0, 60));
      if (addDays(writtenOn, ctx.validityDays) < p.asOf) {
        const rx = write({ origin: 'new', writtenOn, lines });
        rx.approve(11);
        const until = rx.row.valid_until as string;
        rx.event('expire', 'approved', 'expired', ts(addDays(until, 1), 0, 5), null, `valid until ${until}`);
        rx.row.status = 'expired';
      }
    } else if (roll < 0.255) {
      const writtenOn = addDays(p.asOf, -rng.int(1, 90));
      if (writtenOn >= p.effective) {
        const rx = write({ origin: 'new', writtenOn, lines });
        if (rng.chance(0.5)) rx.approve(11);
        const reason = rng.pick(CANCEL_REASONS);
        rx.event('cancel', rx.row.status as string, 'cancelled', ts(writtenOn, 16), p.doctorUser, reason);
        rx.row.status = 'cancelled';
      }
    } else if (roll < 0.26 && p.person.conditions.some((c) => c.disease_code === 'hypertension')) {
      // two ARBs (switching one for the other), approved with the pharmacist's override reason
      const arbs = [...ctx.drugs.values()].filter((d) => d.vbp && d.diseases.length === 1 && d.classes.length === 1 && d.classes[0] === 'arb');
      const [a, b] = rng.shuffle(arbs);
      const pair = [a, b].map((drug) => ({ drug, disease: 'hypertension', days: 28, quantity: Math.max(1, Math.ceil((28 * drug.dailyUnits) / drug.packSize)) }));
      const rx = write({ origin: 'new', writtenOn: notBefore(addDays(p.asOf, -rng.int(0, 10))), lines: pair });
      rx.approve(11);
      if (!rx.row.override_reason) rx.row.override_reason = '与医生确认：氯沙坦替换厄贝沙坦，已告知停用原药';
      else rx.row.override_reason = `与医生确认：${b.genericNameZh}替换${a.genericNameZh}，已告知停用原药`;
    }
    // an online renewal request waiting in the team's queue
    if (rng.chance(0.03) && roll >= 0.1)
      out.renewalRequests.push({ id: rng.uuid(), person_id: p.person.id, prescription_id: prev.id, team_id: p.team.id, status: 'open', note: rng.pick(['药快吃完了，申请续方', '血压平稳，申请按原方续药', null]), requested_at: ts(addDays(p.asOf, -rng.int(0, 4)), 20), handled_by: null, handled_at: null, decline_reason: null, renewal_id: null });
  }
  return changes;
}

/** 送药到家: the order, two rechecks (the centre's pharmacist, then the provider's staff), out, and delivered — or, for the last refill, failed or returned. */
function addDelivery(
  ctx: DemoDispensing, out: RxRows, rng: Random, p: PatientRx, county: string, prescriptionId: string, d: Record<string, unknown>, at: string, pharmacist: string, date: IsoDate,
  changes: RxClaimChanges | undefined, rx: { row: Record<string, unknown>; stored: Array<{ dispensed_quantity: number }>; event: (action: string, from: string | null, to: string, at: string, user: string | null, reason?: string | null, detail?: unknown) => void },
) {
  const provider = ctx.delivery.get(county)!;
  const id = rng.uuid();
  const fail = changes && rng.chance(0.25) ? rng.pick(FAIL_REASONS) : null;
  const step = (h: number, m: number) => ts(date, h, m);
  const order: Record<string, unknown> = {
    id, person_id: p.person.id, prescription_id: prescriptionId, dispense_id: d.id, provider_id: provider.providerId, institution_id: p.team.institution_id,
    status: fail ? fail[0] : 'delivered', address: p.person.address, phone: null, recheck1_by: pharmacist, recheck1_at: step(10, 30), recheck2_by: provider.userId, recheck2_at: step(11, 0),
    out_at: step(11, 10), out_by: provider.userId, finished_at: step(rng.int(13, 17), rng.int(0, 59)), finished_by: provider.userId, failure_reason: fail ? fail[1] : null,
    proof_media_type: fail ? null : 'image/png', proof_size_bytes: fail ? null : PROOF_PNG.length / 2, proof: fail ? null : `\\x${PROOF_PNG}`, created_by: pharmacist, created_at: at,
  };
  out.deliveryOrders.push(order);
  const ev = (from: string | null, to: string, when: string, user: string, reason: string | null = null) => out.deliveryEvents.push({ person_id: p.person.id, order_id: id, at: when, user_id: user, from_status: from, to_status: to, reason });
  ev(null, 'ordered', at, pharmacist);
  ev('ordered', 'rechecked', step(11, 0), provider.userId);
  ev('rechecked', 'out_for_delivery', step(11, 10), provider.userId);
  ev('out_for_delivery', order.status as string, order.finished_at as string, provider.userId, fail ? fail[1] : null);
  if (fail && changes) {
    // the dispense taken back: the claim reversed, the packs the prescription's again (approved while valid, else expired)
    const when = order.finished_at as string;
    // the parcel comes back to the centre, whose pharmacist takes the dispense back
    Object.assign(d, { status: 'returned', returned_by: pharmacist, returned_at: when, return_reason: fail[1] });
    for (const l of rx.stored) l.dispensed_quantity = 0;
    rx.event('take_back', rx.row.status as string, 'approved', when, pharmacist, fail[1], { dispenseId: d.id });
    rx.row.status = 'approved';
    if ((rx.row.valid_until as string) < p.asOf) {
      rx.event('expire', 'approved', 'expired', ts(addDays(rx.row.valid_until as string, 1), 0, 5), null, `valid until ${rx.row.valid_until}`);
      rx.row.status = 'expired';
    }
    changes.reverseLast = { at: when, userId: pharmacist, reason: fail[1] };
  }
}
