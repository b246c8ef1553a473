import { describe, expect, it } from 'vitest';
import { prescriptionParams } from '../../engine/prescription/params';
import { PolicyBook } from '../../core/policyBook';
import { loadDrugs, loadRegions } from '../reference/service';
import { buildCity, type DemoCity } from './city';
import { buildStock, type DemoDispensing, dispensingStaff } from './dispensing';
import { generatePeople } from './people';
import { addProgramme, emptyProgramme } from './programme';
import { Random } from './random';

const asOf = '2026-06-15';

function generate(seed: number, patients: number) {
  const rng = new Random(seed);
  const city = buildCity(rng, loadRegions(), '3304');
  const drugs = loadDrugs();
  const policy = PolicyBook.load().forRegion('3304', asOf)!;
  const teamsByTown = new Map<string, DemoCity['teams']>();
  for (const team of city.teams) teamsByTown.set(team.town_code, [...(teamsByTown.get(team.town_code) ?? []), team]);
  const actors = { doctorUser: new Map(city.teams.map((t) => [t.id, rng.uuid()])), reviewerUser: new Map(city.institutions.map((i) => [i.county_code, rng.uuid()])) };
  const pharmacy = city.institutions.find((i) => i.kind === 'pharmacy')!;
  const staff = dispensingStaff(city, { id: rng.uuid(), institutionId: pharmacy.id }, city.teams[0].institution_id);
  const stock = buildStock(city, drugs, patients, asOf);
  const params = { resident: prescriptionParams(policy.policy, 'resident'), employee: prescriptionParams(policy.policy, 'employee') };
  const pharmaciesByCounty = new Map<string, DemoCity['institutions']>();
  for (const i of city.institutions) if (i.kind === 'pharmacy') pharmaciesByCounty.set(i.county_code, [...(pharmaciesByCounty.get(i.county_code) ?? []), i]);
  const dispensing: DemoDispensing = {
    validityDays: params.resident.validityDays, params, stock: stock.stock, pharmacistUser: staff.pharmacistUser, delivery: staff.delivery, pharmaciesByCounty,
    institutionCode: new Map(city.institutions.map((i) => [i.id, i.code])), drugs: new Map(drugs.map((d) => [d.code, d])), nextNo: 1,
  };
  const out = emptyProgramme();
  for (const person of generatePeople(rng, city, patients, asOf)) addProgramme(rng, out, person, city, teamsByTown, drugs, actors, asOf, { policy, dispensing });
  return { out, stock, staff, city };
}

describe('the demo city’s prescriptions, dispenses and stock', () => {
  const { out, stock, staff, city } = generate(9, 1500);
  const rx = out.rx;

  it('makes every settled refill the dispense of an approved prescription with its lines and batches', () => {
    const dispenseOf = new Map(rx.dispenses.map((d) => [d.claim_id as string, d]));
    expect(dispenseOf.size).toBe(rx.dispenses.length); // one dispense per claim
    // a purchase at a hospital or a chain pharmacy without a prescription dispensed is a claim alone (docs/demo.md)
    // (last year's claims are purchases alone: the dispensing side is this year's)
    const thisYear = out.claims.filter((c) => (c.service_date as string) >= `${asOf.slice(0, 4)}-01-01`);
    const dispensed = thisYear.filter((c) => dispenseOf.has(c.id as string));
    // (and the last refills of a patient who died: claims alone, no prescription left open after them)
    const died = new Set(out.filings.filter((f) => f.revocation_reason === 'death').map((f) => f.person_id));
    for (const c of thisYear) if (!dispenseOf.has(c.id as string) && !died.has(c.person_id)) expect(c.institution_level, `claim ${c.id}`).not.toBe('grassroots');
    expect(dispensed.length / thisYear.length).toBeGreaterThan(0.75);
    const claimIds = new Set(out.claims.map((c) => c.id));
    for (const d of rx.dispenses) expect(claimIds.has(d.claim_id)).toBe(true);
    // a returned dispense's claim is reversed, and only those
    for (const c of out.claims) expect(c.status === 'reversed').toBe(dispenseOf.get(c.id as string)?.status === 'returned');
    // what was dispensed of a line is what its dispense lines say, never more than prescribed
    const given = new Map<string, number>();
    const live = new Set(rx.dispenses.filter((d) => d.status === 'dispensed').map((d) => d.id));
    const rxOf = new Map(rx.dispenses.map((d) => [d.id, d.prescription_id]));
    for (const l of rx.dispenseLines) if (live.has(l.dispense_id)) given.set(`${rxOf.get(l.dispense_id)}:${l.prescription_line_no}`, (given.get(`${rxOf.get(l.dispense_id)}:${l.prescription_line_no}`) ?? 0) + (l.quantity as number));
    for (const l of rx.rxLines) {
      expect(l.dispensed_quantity).toBe(given.get(`${l.prescription_id}:${l.line_no}`) ?? 0);
      expect(l.dispensed_quantity as number).toBeLessThanOrEqual(l.quantity as number);
    }
    // each batch handed over is one the institution holds
    const held = new Set(stock.batches.map((b) => `${b.institution_id}:${b.drug_code}:${b.batch_no}`));
    const placeOf = new Map(rx.dispenses.map((d) => [d.id, d.institution_id]));
    for (const l of rx.dispenseLines) expect(held.has(`${placeOf.get(l.dispense_id)}:${l.drug_code}:${l.batch_no}`)).toBe(true);
  });

  it('has every state of the product, most dispensed, and about 11 % delivered home', () => {
    const by = (s: string) => rx.rx.filter((p) => p.status === s).length;
    expect(by('dispensed') / rx.rx.length).toBeGreaterThan(0.85);
    for (const s of ['approved', 'partly_dispensed', 'submitted', 'returned', 'expired', 'cancelled']) expect(by(s), s).toBeGreaterThan(0);
    const delivered = rx.rx.filter((p) => p.fill_place === 'delivery').length / rx.rx.length;
    expect(delivered).toBeGreaterThan(0.08);
    expect(delivered).toBeLessThan(0.14);
    expect(rx.deliveryOrders.filter((o) => o.status === 'delivered').length).toBeGreaterThan(rx.deliveryOrders.length * 0.9);
    expect(rx.deliveryOrders.some((o) => o.status === 'failed' || o.status === 'returned')).toBe(true);
    // partly filled at two places: the centre and a chain pharmacy
    const places = new Map<string, Set<unknown>>();
    for (const d of rx.dispenses) places.set(d.prescription_id as string, (places.get(d.prescription_id as string) ?? new Set()).add(d.institution_id));
    expect([...places.values()].some((s) => s.size === 2)).toBe(true);
    expect(rx.rx.some((p) => p.origin === 'renewal')).toBe(true);
    expect(rx.rx.some((p) => p.origin === 'extended')).toBe(false); // Jiaxing allows none
    // a blocking finding is approved only with an override reason, and two ARBs are among them
    for (const p of rx.rx.filter((x) => x.approved_at)) {
      const findings = JSON.parse(p.findings as string) as Array<{ severity: string; code: string }>;
      if (findings.some((f) => f.severity === 'block')) expect(p.override_reason, p.id as string).toBeTruthy();
    }
    expect(rx.rx.some((p) => (p.findings as string).includes('duplicate_therapy') && p.override_reason)).toBe(true);
  });

  it('stocks every dispensing institution; centres at a varied share of their hospital’s chronic drugs, some below 70 %', () => {
    const kinds = new Set(stock.batches.map((b) => city.institutions.find((i) => i.id === b.institution_id)!.kind));
    expect([...kinds].sort()).toEqual(['community_health_centre', 'hospital', 'pharmacy', 'township_health_centre']);
    const chronic = new Set(loadDrugs().filter((d) => d.lists.includes('chronic-common')).map((d) => d.code));
    const codes = (id: string) => new Set(stock.batches.filter((b) => b.institution_id === id && b.expiry_date >= asOf && b.on_hand > 0 && chronic.has(b.drug_code)).map((b) => b.drug_code));
    const rates = city.institutions.filter((i) => i.kind === 'township_health_centre' || i.kind === 'community_health_centre').map((c) => {
      const upper = codes(c.upper_institution_id!);
      const own = codes(c.id);
      return [...upper].filter((d) => own.has(d)).length / upper.size;
    });
    expect(rates.some((r) => r < 0.7)).toBe(true);
    expect(rates.filter((r) => r >= 0.7).length).toBeGreaterThan(rates.length / 2);
    expect(stock.batches.some((b) => b.expiry_date < asOf)).toBe(true);
    // every batch's receipt is a movement, and what left it too
    for (const b of stock.batches.slice(0, 200)) {
      const moved = stock.movements.filter((m) => m.institution_id === b.institution_id && m.drug_code === b.drug_code && m.batch_no === b.batch_no).reduce((s, m) => s + m.quantity, 0);
      expect(moved).toBe(b.on_hand);
    }
    expect(staff.users.map((u) => u.username)).toEqual(expect.arrayContaining(['centre-pharmacist', 'delivery']));
  });

  it('is the same from the same seed', () => {
    const again = generate(9, 300);
    const once = generate(9, 300);
    expect(again.out.rx).toEqual(once.out.rx);
    expect(again.stock.batches).toEqual(once.stock.batches);
  });
});
