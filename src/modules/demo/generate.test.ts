import { describe, expect, it } from 'vitest';
import { addDays, addMonths, ageOn } from '../../engine/calendar';
import type { Disease } from '../../engine/followup/disease';
import type { VisitMode } from '../../engine/followup/management';
import { type ControlGroup, type InstitutionLevel, type PatientFacts, patientMonth } from '../../engine/indicators/patientMonth';
import { isValidResidentId, birthDateOf, residentIdProblem, sexOf } from '../../engine/identity/residentId';
import { settle, type PersonYearState } from '../../engine/settlement';
import { loadDrugs, loadRegions } from '../reference/service';
import { PolicyBook } from '../../core/policyBook';
import { buildCity, type DemoCity } from './city';
import { type DemoPerson, generatePeople } from './people';
import { addProgramme, costlierAlternative, emptyProgramme, lastYearSwitchRate } from './programme';
import { Random } from './random';

function generate(seed: number, patients: number) {
  const rng = new Random(seed);
  const city = buildCity(rng, loadRegions(), '3304');
  return { city, people: [...generatePeople(rng, city, patients, '2026-06-15')] };
}

describe('demo city generator', () => {
  it('builds the same city from the same seed, and another from another seed', () => {
    const a = generate(42, 500);
    const b = generate(42, 500);
    expect(b).toEqual(a);
    const c = generate(43, 500);
    expect(c.people.map((p) => p.id_number)).not.toEqual(a.people.map((p) => p.id_number));
    // and the same programme, this year's rows and last year's alike
    const x = generateProgramme(42, 400, '2026-06-15');
    const y = generateProgramme(42, 400, '2026-06-15');
    expect(x.out.claims.some((c) => (c.service_date as string) < '2026-01-01')).toBe(true);
    expect(y.out).toEqual(x.out);
    expect(y.people).toEqual(x.people);
  });

  it('gives each key its own stream, even keys alike in their first 32 bits', () => {
    const ids = (key: string) => {
      const rng = Random.forKey(key);
      return [rng.uuid(), rng.uuid()];
    };
    expect(ids('followups:aaaaaaaa-0000-4000-8000-000000000001')).toEqual(ids('followups:aaaaaaaa-0000-4000-8000-000000000001'));
    expect(ids('followups:aaaaaaaa-0000-4000-8000-000000000001')[0]).not.toBe(ids('followups:aaaaaaaa-0000-4000-8000-000000000002')[0]);
    const many = new Set(Array.from({ length: 50_000 }, (_, i) => Random.forKey(`k${i}`).uuid()));
    expect(many.size).toBe(50_000);
  });

  it('makes exactly the patients asked for, with valid and unique ID numbers matching birth date and sex', () => {
    const { people } = generate(1, 2000);
    expect(people.filter((p) => p.conditions.length > 0)).toHaveLength(2000);
    expect(new Set(people.map((p) => p.id_number)).size).toBe(people.length);
    for (const p of people) {
      expect(isValidResidentId(p.id_number, '2026-06-15')).toBe(true);
      expect(birthDateOf(p.id_number)).toBe(p.birth_date);
      expect(sexOf(p.id_number)).toBe(p.sex);
      expect(p.id_number.slice(0, 6)).toBe(p.region_code.slice(0, 6));
    }
  });

  it('gives every resident of a generated city an ID number the person table accepts: a Zhejiang address code, born by the day the city runs to', () => {
    for (const [seed, asOf] of [[11, '2026-06-15'], [12, '2026-01-01'], [13, '2030-12-31']] as const) {
      const rng = new Random(seed);
      const city = buildCity(rng, loadRegions(), '3304');
      const people = [...generatePeople(rng, city, 3000, asOf)];
      const problems = people.map((p) => residentIdProblem(p.id_number, asOf)).filter((x) => x !== null);
      expect(problems, `seed ${seed}`).toEqual([]);
      expect(people.every((p) => p.id_number.startsWith('33') && p.birth_date <= asOf)).toBe(true);
    }
  });

  it('prescribes registered patients drugs of their own two diseases only, never a general-outpatient or self-paid drug', () => {
    const rng = new Random(5);
    const city = buildCity(rng, loadRegions(), '3304');
    const asOf = '2026-06-15';
    const drugs = loadDrugs();
    expect(drugs.some((d) => d.diseases.length === 0)).toBe(true); // the catalogue does hold general drugs
    const policy = PolicyBook.load().forRegion('3304', asOf)!;
    const teamsByTown = new Map<string, DemoCity['teams']>();
    for (const team of city.teams) teamsByTown.set(team.town_code, [...(teamsByTown.get(team.town_code) ?? []), team]);
    const actors = {
      doctorUser: new Map(city.teams.map((t) => [t.id, rng.uuid()])),
      reviewerUser: new Map(city.institutions.map((i) => [i.county_code, rng.uuid()])),
    };
    const out = emptyProgramme();
    const people = [...generatePeople(rng, city, 600, asOf)];
    for (const person of people) addProgramme(rng, out, person, city, teamsByTown, drugs, actors, asOf, { policy });
    const byCode = new Map(drugs.map((d) => [d.code, d]));
    const conditionsOf = new Map(people.map((p) => [p.id, new Set<string>(p.conditions.map((c) => c.disease_code))]));
    const personOfFiling = new Map(out.filings.map((f) => [f.id as string, f.person_id as string]));
    expect(out.filingLines.length).toBeGreaterThan(100);
    for (const line of out.filingLines) {
      const drug = byCode.get(line.drug_code as string)!;
      expect(drug.diseases).toHaveLength(1);
      expect(['hypertension', 'diabetes']).toContain(drug.diseases[0]);
      expect(drug.lists).toContain('chronic-common');
      expect(conditionsOf.get(personOfFiling.get(line.filing_id as string)!)!.has(drug.diseases[0])).toBe(true);
    }
    for (const line of out.claimLines) expect(byCode.get(line.drug_code as string)!.diseases).toContain(line.disease_code);
  });

  it('gives the two diseases a prevalence that rises with age', () => {
    const { people } = generate(2, 4000);
    const rate = (min: number, max: number, code: string) => {
      const band = people.filter((p) => {
        const age = ageOn(p.birth_date, '2026-06-15');
        return age >= min && age <= max;
      });
      return band.filter((p) => p.conditions.some((c) => c.disease_code === code)).length / band.length;
    };
    expect(rate(60, 95, 'hypertension')).toBeGreaterThan(rate(18, 44, 'hypertension') * 2);
    expect(rate(60, 95, 'diabetes')).toBeGreaterThan(rate(18, 44, 'diabetes') * 2);
  });

  it('puts every county of Jiaxing in the city with a medical community, teams and pharmacies', () => {
    const { city } = generate(3, 10);
    const counties = new Set(city.institutions.map((i) => i.county_code));
    expect(counties.size).toBe(7);
    for (const county of counties) {
      const here = city.institutions.filter((i) => i.county_code === county);
      expect(here.some((i) => i.kind === 'hospital')).toBe(true);
      expect(here.some((i) => i.kind === 'pharmacy')).toBe(true);
      expect(here.some((i) => i.level === 'grassroots')).toBe(true);
    }
    // every team is "3+X": a GP, a nurse, a public-health worker and a specialist
    for (const team of city.teams) {
      const roles = city.members.filter((m) => m.team_id === team.id).map((m) => m.member_role).sort();
      expect(roles).toEqual(['gp', 'nurse', 'public_health', 'specialist']);
    }
  });
});

/** A whole generated city (seed 1, as `manbing start` loads it, on a fixed day) and each patient's facts as the indicators read them. */
function generateProgramme(seed: number, patients: number, asOf: string) {
  const rng = new Random(seed);
  const city = buildCity(rng, loadRegions(), '3304');
  const drugs = loadDrugs();
  const policy = PolicyBook.load().forRegion('3304', asOf)!;
  const teamsByTown = new Map<string, DemoCity['teams']>();
  for (const team of city.teams) teamsByTown.set(team.town_code, [...(teamsByTown.get(team.town_code) ?? []), team]);
  const actors = {
    doctorUser: new Map(city.teams.map((t) => [t.id, rng.uuid()])),
    reviewerUser: new Map(city.institutions.map((i) => [i.county_code, rng.uuid()])),
  };
  const out = emptyProgramme();
  const people: DemoPerson[] = [];
  for (const person of generatePeople(rng, city, patients, asOf)) {
    people.push(person);
    addProgramme(rng, out, person, city, teamsByTown, drugs, actors, asOf, { policy });
  }
  const by = (rows: Array<Record<string, unknown>>) => {
    const m = new Map<string, Array<Record<string, any>>>();
    for (const r of rows) m.set(r.person_id as string, [...(m.get(r.person_id as string) ?? []), r]);
    return m;
  };
  const [contracts, registrations, visits, checks, claims] = [out.contracts, out.registrations, out.followups, out.healthChecks, out.claims].map(by);
  const institutionOfTeam = new Map(city.teams.map((t) => [t.id, t.institution_id]));
  const facts = new Map<string, PatientFacts>(people.filter((p) => p.conditions.length).map((p) => [p.id, {
    personId: p.id, birthDate: p.birth_date, countyCode: p.region_code.slice(0, 6), insuranceType: p.insurance_type, deathDate: p.death_date ?? null,
    diagnoses: p.conditions.map((c) => ({ disease: c.disease_code, diagnosedOn: c.diagnosed_on })),
    contracts: (contracts.get(p.id) ?? []).map((c) => ({ teamId: c.team_id, institutionId: institutionOfTeam.get(c.team_id)!, startDate: c.start_date, endDate: c.end_date, terminatedOn: c.terminated_on ?? null })),
    registrations: (registrations.get(p.id) ?? []).map((r) => ({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to ?? null, diagnosedOn: r.diagnosed_on })),
    visits: (visits.get(p.id) ?? []).map((v) => ({
      date: v.visit_date, mode: v.mode as VisitMode, diseases: (v.diseases as string).slice(1, -1).split(',') as Disease[], systolic: v.systolic, diastolic: v.diastolic, fastingGlucoseTenths: v.fasting_glucose_tenths,
    })),
    healthChecks: (checks.get(p.id) ?? []).map((h) => ({ date: h.check_date, systolic: h.systolic, diastolic: h.diastolic, fastingGlucoseTenths: h.fasting_glucose_tenths })),
    claims: (claims.get(p.id) ?? []).filter((c) => c.status === 'settled').map((c) => ({ serviceDate: c.service_date, level: c.institution_level as InstitutionLevel, amountFen: c.amount_fen, fundPayFen: c.fund_pay_fen })),
    filingSteps: [], dispenses: [],
  }]));
  const months = (month: string) => [...facts.values()].map((f) => patientMonth(f, month)).filter((m) => m !== null);
  return { city, people, out, facts, months, policy, actors, drugs };
}

describe('the demo city looks like a programme, not a fixture (docs/demo.md)', () => {
  const asOf = '2026-12-03';
  const g = generateProgramme(1, 3000, asOf);
  const now = g.months('2026-11');
  const yearBefore = g.months('2025-11');
  const share = (n: number, d: number) => n / d;

  it('contracts by county around the 80 % target: some counties above it, some below', () => {
    const rates = [...new Set(now.map((m) => m.countyCode))].map((county) => {
      const base = now.filter((m) => m.countyCode === county && m.alive && m.diagnosed);
      return share(base.filter((m) => m.teamId !== null).length, base.length);
    });
    expect(rates).toHaveLength(7);
    expect(Math.max(...rates)).toBeGreaterThan(0.82);
    expect(Math.min(...rates)).toBeLessThan(0.75);
    for (const r of rates) expect(r).toBeGreaterThan(0.55);
    // and a year before, lower but not empty: the contracts are yearly renewals going back years
    const before = yearBefore.filter((m) => m.alive && m.diagnosed);
    const cityBefore = share(before.filter((m) => m.teamId !== null).length, before.length);
    expect(cityBefore).toBeGreaterThan(0.5);
    expect(cityBefore).toBeLessThan(share(now.filter((m) => m.alive && m.diagnosed && m.teamId !== null).length, now.filter((m) => m.alive && m.diagnosed).length));
  });

  it('controls between 35 % and 75 % of the patients judged, some off target, some without a reading or a visit, and improving', () => {
    const groups = (rows: typeof now, d: 'hypertension' | 'diabetes') => {
      const count = (g: ControlGroup) => rows.filter((m) => m[d].control === g).length;
      const judged = count('controlled') + count('uncontrolled') + count('visited_no_reading') + count('missed_visit');
      return { rate: share(count('controlled'), judged), judged, uncontrolled: count('uncontrolled'), noReading: count('visited_no_reading'), missed: count('missed_visit'), lost: count('lost_to_follow_up') };
    };
    for (const d of ['hypertension', 'diabetes'] as const) {
      const g1 = groups(now, d);
      expect(g1.rate, d).toBeGreaterThan(0.35);
      expect(g1.rate, d).toBeLessThan(0.75);
      expect(g1.uncontrolled).toBeGreaterThan(g1.judged / 10);
      expect(g1.missed).toBeGreaterThan(0);
      expect(groups(yearBefore, d).rate, `${d} a year before`).toBeLessThan(g1.rate);
    }
    expect(groups(now, 'diabetes').noReading).toBeGreaterThan(0);
  });

  it('has 5–15 % of the registered lost to follow-up: registered over a year ago, no visit or health check in the 12 months', () => {
    const registered = now.filter((m) => m.alive && m.registered);
    const lost = registered.filter((m) => m.hypertension.control === 'lost_to_follow_up' || m.diabetes.control === 'lost_to_follow_up');
    expect(share(lost.length, registered.length)).toBeGreaterThan(0.05);
    expect(share(lost.length, registered.length)).toBeLessThan(0.15);
  });

  it('settles 5–15 % of the claims at chain pharmacies and some at the county and city hospitals', () => {
    const claims = g.out.claims.filter((c) => c.status === 'settled');
    const at = (level: string) => claims.filter((c) => c.institution_level === level).length;
    expect(share(at('pharmacy'), claims.length)).toBeGreaterThan(0.05);
    expect(share(at('pharmacy'), claims.length)).toBeLessThan(0.15);
    expect(at('secondary')).toBeGreaterThan(claims.length / 50);
    expect(at('tertiary')).toBeGreaterThan(0);
    expect(share(at('grassroots'), claims.length)).toBeGreaterThan(0.7);
    const levelOf = new Map(g.city.institutions.map((i) => [i.id, i.level]));
    for (const c of claims) expect(levelOf.get(c.institution_id as string)).toBe(c.institution_level);
  });

  it('spreads the registrations over the years since 2019, in chains of yearly contracts', () => {
    const first = new Map<string, string>();
    for (const r of g.out.registrations) if (!first.has(r.person_id as string) || first.get(r.person_id as string)! > (r.effective_from as string)) first.set(r.person_id as string, r.effective_from as string);
    const years = [...first.values()].map((d) => d.slice(0, 4));
    expect(new Set(years).size).toBeGreaterThanOrEqual(7);
    expect(years.every((y) => y >= '2019')).toBe(true);
    expect(share([...first.values()].filter((d) => d > addMonths(asOf, -12)).length, first.size)).toBeLessThan(0.35);
    // each renewed contract is followed, the next day, by the one that renewed it; the current one is in force
    const renewed = g.out.contracts.filter((c) => c.status === 'renewed');
    expect(renewed.length).toBeGreaterThan(g.out.contracts.length / 2);
    const next = new Map(g.out.contracts.filter((c) => c.previous_contract_id).map((c) => [c.previous_contract_id as string, c]));
    for (const c of renewed) {
      const n = next.get(c.id as string)!;
      expect(n.start_date).toBe(addDays(c.end_date as string, 1));
    }
    for (const c of g.out.contracts.filter((c) => c.status === 'active')) expect((c.start_date as string) <= asOf && (c.end_date as string) >= asOf).toBe(true);
    // the follow-ups cover last year and this one, four to seven a year for a patient registered all year
    const lastYear = now.filter((m) => m.alive && m.registered);
    const visits2025 = g.out.followups.filter((v) => (v.visit_date as string).startsWith('2025'));
    const managed2025 = [...g.facts.values()].filter((f) => f.registrations.some((r) => r.effectiveFrom <= '2025-01-01' && (r.effectiveTo === null || r.effectiveTo > '2025-12-31')));
    const perPatient = share(visits2025.filter((v) => managed2025.some((f) => f.personId === v.person_id)).length, managed2025.length);
    expect(lastYear.length).toBeGreaterThan(0);
    expect(perPatient).toBeGreaterThan(3.5);
    expect(perPatient).toBeLessThan(7);
  });

  it('settles last year’s purchases of the patients registered before this year — claims alone, on last year’s accumulator — and leaves this year’s rows as they were', () => {
    const yearStart = '2026-01-01';
    const isLastYear = (c: Record<string, unknown>) => (c.service_date as string) < yearStart;
    // this year's rows: what the generator gave before last year's were added (seed 1, 3,000 patients, 3 December 2026)
    const thisYear = g.out.claims.filter((c) => !isLastYear(c));
    const thisYearIds = new Set(thisYear.map((c) => c.id));
    expect({
      claims: thisYear.length, claimLines: g.out.claimLines.filter((l) => thisYearIds.has(l.claim_id)).length, claimEvents: g.out.claimEvents.filter((e) => thisYearIds.has(e.claim_id)).length,
      accumulators: g.out.accumulators.filter((a) => a.year === 2026).length, contracts: g.out.contracts.length, registrations: g.out.registrations.length, followups: g.out.followups.length, healthChecks: g.out.healthChecks.length,
    }).toEqual({ claims: 15348, claimLines: 23643, claimEvents: 15348, accumulators: 1994, contracts: 7963, registrations: 2356, followups: 16249, healthChecks: 2198 });

    const lastYear = g.out.claims.filter(isLastYear);
    expect(lastYear.length).toBeGreaterThan(thisYear.length / 2);
    const firstEffective = new Map<string, string>();
    for (const r of g.out.registrations) if (!firstEffective.has(r.person_id as string) || firstEffective.get(r.person_id as string)! > (r.effective_from as string)) firstEffective.set(r.person_id as string, r.effective_from as string);
    const personOf = new Map(g.people.map((p) => [p.id, p]));
    const doctorOf = new Map(g.out.contracts.map((c) => [c.person_id as string, g.actors.doctorUser.get(c.team_id as string)]));
    const eventsOf = new Map<string, Array<Record<string, unknown>>>();
    for (const e of g.out.claimEvents) eventsOf.set(e.claim_id as string, [...(eventsOf.get(e.claim_id as string) ?? []), e]);
    for (const c of lastYear) {
      const date = c.service_date as string;
      const death = personOf.get(c.person_id as string)!.death_date;
      expect(date >= '2025-01-01', `claim ${c.id}`).toBe(true);
      expect(firstEffective.get(c.person_id as string)! <= date, `claim ${c.id} before the registration`).toBe(true);
      if (death) expect(date < death, `claim ${c.id} on or after the death`).toBe(true);
      // a purchase settled once, never reversed: by the family doctor's user here (no dispensing side), at 10:00
      expect(c).toMatchObject({ status: 'settled', settled_at: `${date}T10:00:00+08:00`, settled_by: doctorOf.get(c.person_id as string), policy_id: g.policy.id });
      expect(eventsOf.get(c.id as string)!.map((e) => e.to_status)).toEqual(['settled']);
    }
    // a city on a day early in the year has patients who died last year: their purchases stop the day before
    const mid = generateProgramme(1, 1500, '2026-03-01');
    const diedLastYear = new Map(mid.people.filter((p) => p.death_date && p.death_date < yearStart).map((p) => [p.id, p.death_date!]));
    const theirs = mid.out.claims.filter((c) => diedLastYear.has(c.person_id as string));
    expect(new Set(theirs.map((c) => c.person_id)).size).toBeGreaterThan(3);
    for (const c of theirs) expect((c.service_date as string) < diedLastYear.get(c.person_id as string)!, `claim ${c.id}`).toBe(true);
    // every patient registered by last autumn and alive all last year bought last year
    const bought = new Set(lastYear.map((c) => c.person_id as string));
    const due = [...firstEffective].filter(([id, from]) => from < '2025-10-01' && !((personOf.get(id)!.death_date ?? '9999') < yearStart));
    expect(due.length).toBeGreaterThan(1000);
    for (const [id] of due) expect(bought.has(id), `person ${id}`).toBe(true);

    // each person's last-year claims, settled again by the engine in date order, give the claims' fund pay and last year's accumulator row
    const linesOf = new Map<string, Array<Record<string, any>>>();
    for (const l of g.out.claimLines) linesOf.set(l.claim_id as string, [...(linesOf.get(l.claim_id as string) ?? []), l]);
    const claimsOf = new Map<string, Array<Record<string, any>>>();
    for (const c of lastYear) claimsOf.set(c.person_id as string, [...(claimsOf.get(c.person_id as string) ?? []), c]);
    const accumulatorOf = new Map(g.out.accumulators.filter((a) => a.year === 2025).map((a) => [a.person_id as string, a]));
    expect(accumulatorOf.size).toBe(claimsOf.size);
    for (const [personId, claims] of claimsOf) {
      let state: PersonYearState = { year: 2025, pools: {} };
      let fundPay = 0;
      for (const c of [...claims].sort((a, b) => (a.service_date < b.service_date ? -1 : a.service_date > b.service_date ? 1 : 0))) {
        const lines = linesOf.get(c.id)!;
        const result = settle(g.policy.compiled, state, {
          claimId: c.id, serviceDate: c.service_date, insuranceType: c.insurance_type, institutionLevel: c.institution_level, scope: 'two_disease',
          lines: lines.map((l) => ({ lineId: String(l.line_no), amountFen: l.amount_fen, disease: l.disease_code, daysSupply: l.days_supply, lists: (l.drug_lists as string).slice(1, -1).split(',') })),
        });
        expect(result.totals.fundPay, `claim ${c.id}`).toBe(c.fund_pay_fen);
        expect(result.totals.amount).toBe(c.amount_fen);
        fundPay += c.fund_pay_fen;
        state = result.newState;
      }
      const row = accumulatorOf.get(personId)!;
      expect(JSON.parse(row.pools as string), `person ${personId}`).toEqual(state.pools);
      expect(row.last_service_date).toBe(claims.map((c) => c.service_date).sort().at(-1));
      const paid = Object.entries(state.pools).filter(([k]) => !k.endsWith('.critical_illness')).reduce((s, [, u]) => s + u.fundPaid, 0);
      expect(paid, `person ${personId}`).toBe(fundPay);
    }

    // the rhythm goes on across New Year: this year's first refill comes a prescription period after last year's last
    for (const [personId, claims] of claimsOf) {
      const next = thisYear.filter((c) => c.person_id === personId).map((c) => c.service_date as string).sort()[0];
      if (!next) continue;
      const lastOne = [...claims].sort((a, b) => (a.service_date < b.service_date ? -1 : 1)).at(-1)!;
      const period = Math.min(...linesOf.get(lastOne.id)!.map((l) => l.days_supply as number));
      const gap = (Date.parse(next) - Date.parse(lastOne.service_date)) / 86_400_000;
      expect(gap, `person ${personId}`).toBeGreaterThanOrEqual(period - 3);
      expect(gap, `person ${personId}`).toBeLessThanOrEqual(period + 7);
    }

    // the venues of this year's: mostly the centre, some hospital and pharmacy purchases
    const at = (level: string) => lastYear.filter((c) => c.institution_level === level).length / lastYear.length;
    expect(at('grassroots')).toBeGreaterThan(0.7);
    expect(at('pharmacy')).toBeGreaterThan(0.05);
    expect(at('pharmacy')).toBeLessThan(0.15);
    expect(at('secondary')).toBeGreaterThan(0.02);

    // some were still on a dearer non-procured drug of their procured drug's class, and switched this year
    const drug = new Map(g.drugs.map((d) => [d.code, d]));
    const prescribedOf = new Map<string, Set<string>>();
    for (const l of g.out.prescriptions) prescribedOf.set(l.person_id as string, (prescribedOf.get(l.person_id as string) ?? new Set()).add(l.drug_code as string));
    const lastYearLines = lastYear.flatMap((c) => linesOf.get(c.id as string)!);
    const switched = lastYearLines.filter((l) => !drug.get(l.drug_code as string)!.vbp);
    expect(switched.length).toBeGreaterThan(lastYearLines.length / 20);
    for (const l of lastYearLines) {
      const prescribed = prescribedOf.get(l.person_id as string)!;
      if (drug.get(l.drug_code as string)!.vbp) expect(prescribed.has(l.drug_code as string)).toBe(true);
      else expect([...prescribed].some((code) => costlierAlternative(drug.get(code)!, g.drugs)?.code === l.drug_code), `line of ${l.claim_id}`).toBe(true);
    }
    // so that, by county, the patients contracted today cost some counties less this year than the same days last
    // year, and some more (the programme's growth against the switches: docs/demo.md)
    const rates = [...new Set(g.people.map((p) => p.region_code.slice(0, 6)))].map(lastYearSwitchRate);
    expect(Math.min(...rates)).toBeLessThan(0.1);
    expect(Math.max(...rates)).toBeGreaterThan(0.2);
    const contracted = new Set(g.out.contracts.filter((c) => (c.start_date as string) <= asOf && (c.end_date as string) >= asOf && !c.terminated_on).map((c) => c.person_id as string));
    const cost = new Map<string, { last: number; now: number }>();
    for (const c of g.out.claims) {
      if (c.status !== 'settled' || !contracted.has(c.person_id as string)) continue;
      const county = personOf.get(c.person_id as string)!.region_code.slice(0, 6);
      const k = cost.get(county) ?? { last: 0, now: 0 };
      cost.set(county, k);
      if ((c.service_date as string) <= `2025${asOf.slice(4)}`) k.last += c.amount_fen as number;
      else if ((c.service_date as string) >= yearStart) k.now += c.amount_fen as number;
    }
    const change = [...cost.values()].map((k) => k.now / k.last - 1);
    expect(change).toHaveLength(7);
    expect(Math.min(...change)).toBeLessThan(0);
    expect(Math.max(...change)).toBeGreaterThan(0);
  });

  it('lets 1–2.5 % of the patients die, with the revocation for death, the records ended and nothing after the day', () => {
    const patients = g.people.filter((p) => p.conditions.length);
    const dead = patients.filter((p) => p.death_date);
    expect(share(dead.length, patients.length)).toBeGreaterThan(0.01);
    expect(share(dead.length, patients.length)).toBeLessThan(0.025);
    let revoked = 0;
    for (const p of dead) {
      const death = p.death_date!;
      expect(death > p.birth_date && death <= asOf).toBe(true);
      for (const rows of [g.out.followups.filter((v) => v.person_id === p.id).map((v) => v.visit_date), g.out.healthChecks.filter((h) => h.person_id === p.id).map((h) => h.check_date),
        g.out.claims.filter((c) => c.person_id === p.id).map((c) => c.service_date)]) for (const d of rows) expect(d as string < death).toBe(true);
      const contract = g.out.contracts.find((c) => c.person_id === p.id && c.status !== 'renewed');
      if (contract) expect(contract).toMatchObject({ status: 'terminated', terminated_on: death, termination_reason: '居民死亡' });
      const regs = g.out.registrations.filter((r) => r.person_id === p.id);
      if (!regs.length) continue;
      revoked++;
      const revocation = g.out.filings.find((f) => f.person_id === p.id && f.kind === 'revocation')!;
      expect(revocation).toMatchObject({ status: 'approved', revocation_reason: 'death', death_date: death, confirmation: 'agency' });
      expect(revocation.effective_date as string >= death).toBe(true);
      expect(g.out.filingDiseases.filter((d) => d.filing_id === revocation.id).map((d) => [d.disease_code, d.action]).sort()).toEqual(p.conditions.map((c) => [c.disease_code, 'remove']).sort());
      for (const r of regs) expect(r).toMatchObject({ effective_to: revocation.effective_date, ended_filing_id: revocation.id });
      for (const line of g.out.prescriptions.filter((l) => l.person_id === p.id)) expect(line.effective_to).toBe(revocation.effective_date);
    }
    expect(revoked).toBeGreaterThan(dead.length / 3);
    expect(revoked).toBeLessThan(dead.length);
  });
});
