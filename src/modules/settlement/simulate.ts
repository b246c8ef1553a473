// Replays the stored claims of a year (settled, not reversed) under one or two policies, reading
// them person by person in keyset pages so a city's year never has to fit in memory at once.
import { sql } from 'kysely';
import type { Claim } from '../../engine/settlement';
import { compilePolicy } from '../../engine/settlement';
import { YearSimulation } from '../../engine/settlement/simulate';
import type { Database } from '../../db/connect';
import { readPolicy } from '../../core/policyFiles';

const PAGE = 20_000;

/** A claim line as aggregated from claim_line: amount, scope, disease, days of supply, drug lists, extended prescription. */
type StoredLine = { a: number; s: 'two_disease' | 'general' | 'specified_disease'; d: string | null; n: number; l: string[] | null; x: boolean };

export async function simulateYear(db: Database, year: number, policyIds: string[], onProgress?: (claims: number) => void) {
  const sims = policyIds.map((idOrPath) => {
    const policy = readPolicy(idOrPath);
    return { id: policy.id, sim: new YearSimulation(compilePolicy(policy)) };
  });
  const claims = await forEachPersonYear(db, year, (county, personClaims) => {
    for (const s of sims) s.sim.addPerson(county, personClaims);
  }, onProgress);
  return { claims, results: sims.map((s) => ({ policyId: s.id, rows: s.sim.result() })) };
}

/**
 * Reads the year's settled claims person by person, each person's in service-date order, and hands
 * each person's claims (as the engine takes them) to `onPerson`. Returns the number of claims read.
 * bench/simulate.ts times this alone as the limit of a simulation.
 */
export async function forEachPersonYear(db: Database, year: number, onPerson: (county: string, claims: Claim[]) => void, onProgress?: (claims: number) => void) {
  let after: { person: string; date: string; id: string } | null = null;
  let current = null as { person: string; county: string; claims: Claim[] } | null;
  let read = 0;
  const flush = () => {
    if (current) onPerson(current.county, current.claims);
  };
  type Row = { id: string; person_id: string; service_date: string; insurance_type: 'resident' | 'employee'; institution_level: Claim['institutionLevel']; at_chosen_institution: boolean; region_code: string; lines: StoredLine[] | null };
  for (;;) {
    const rows: Row[] = await db
      .selectFrom('claim as c')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .select([
        'c.id', 'c.person_id', 'c.service_date', 'c.insurance_type', 'c.institution_level', 'c.at_chosen_institution', 'p.region_code',
        sql<StoredLine[] | null>`(select json_agg(json_build_object('a', l.amount_fen, 's', l.scope, 'd', l.disease_code, 'n', l.days_supply, 'l', l.drug_lists, 'x', l.extended) order by l.line_no) from claim_line l where l.person_id = c.person_id and l.claim_id = c.id)`.as('lines'),
      ])
      .where('c.status', '=', 'settled')
      .where('c.service_date', '>=', `${year}-01-01`)
      .where('c.service_date', '<=', `${year}-12-31`)
      .$if(after !== null, (qb) => qb.where(sql<boolean>`(c.person_id, c.service_date, c.id) > (${after!.person}::uuid, ${after!.date}::date, ${after!.id}::uuid)`))
      .orderBy('c.person_id')
      .orderBy('c.service_date')
      .orderBy('c.id')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      if (current?.person !== r.person_id) {
        flush();
        current = { person: r.person_id, county: r.region_code.slice(0, 6), claims: [] };
      }
      current!.claims.push({
        claimId: r.id, serviceDate: r.service_date, insuranceType: r.insurance_type, institutionLevel: r.institution_level, scope: 'two_disease', atChosenInstitution: r.at_chosen_institution,
        lines: (r.lines ?? []).map((l) => ({ amountFen: Number(l.a), scope: l.s, disease: l.d ?? undefined, daysSupply: l.n, lists: l.l ?? undefined, extended: l.x || undefined })),
      });
    }
    read += rows.length;
    onProgress?.(read);
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    after = { person: last.person_id, date: last.service_date, id: last.id };
  }
  flush();
  return read;
}
