// Replays the stored claims of a year (settled, not reversed) under one or two policies, reading
// them person by person in keyset pages so a city's year never has to fit in memory at once.
import { sql } from 'kysely';
import type { Claim } from '../../engine/settlement';
import { compilePolicy } from '../../engine/settlement';
import { YearSimulation } from '../../engine/settlement/simulate';
import type { Database } from '../../db/connect';
import { readPolicy } from './policies';

const PAGE = 20_000;

/** A claim line as aggregated from claim_line: amount, scope, disease, days of supply. */
type StoredLine = { a: number; s: 'two_disease' | 'general'; d: string | null; n: number };

export async function simulateYear(db: Database, year: number, policyIds: string[], onProgress?: (claims: number) => void) {
  const sims = policyIds.map((idOrPath) => {
    const policy = readPolicy(idOrPath);
    return { id: policy.id, sim: new YearSimulation(compilePolicy(policy)) };
  });
  let after: { person: string; date: string; id: string } | null = null;
  let current = null as { person: string; county: string; claims: Claim[] } | null;
  let read = 0;
  const flush = () => {
    if (current) for (const s of sims) s.sim.addPerson(current.county, current.claims);
  };
  type Row = { id: string; person_id: string; service_date: string; insurance_type: 'resident' | 'employee'; institution_level: Claim['institutionLevel']; region_code: string; lines: StoredLine[] | null };
  for (;;) {
    const rows: Row[] = await db
      .selectFrom('claim as c')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .select([
        'c.id', 'c.person_id', 'c.service_date', 'c.insurance_type', 'c.institution_level', 'p.region_code',
        sql<StoredLine[] | null>`(select json_agg(json_build_object('a', l.amount_fen, 's', l.scope, 'd', l.disease_code, 'n', l.days_supply) order by l.line_no) from claim_line l where l.claim_id = c.id)`.as('lines'),
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
        claimId: r.id, serviceDate: r.service_date, insuranceType: r.insurance_type, institutionLevel: r.institution_level, scope: 'two_disease',
        lines: (r.lines ?? []).map((l) => ({ amountFen: Number(l.a), scope: l.s, disease: l.d ?? undefined, daysSupply: l.n })),
      });
    }
    read += rows.length;
    onProgress?.(read);
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    after = { person: last.person_id, date: last.service_date, id: last.id };
  }
  flush();
  return { claims: read, results: sims.map((s) => ({ policyId: s.id, rows: s.sim.result() })) };
}
