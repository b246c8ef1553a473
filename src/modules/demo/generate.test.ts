import { describe, expect, it } from 'vitest';
import { ageOn } from '../../engine/calendar';
import { isValidResidentId, birthDateOf, residentIdProblem, sexOf } from '../../engine/identity/residentId';
import { loadDrugs, loadRegions } from '../reference/service';
import { PolicyBook } from '../../core/policyBook';
import { buildCity, type DemoCity } from './city';
import { generatePeople } from './people';
import { addProgramme, emptyProgramme } from './programme';
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
