// Re-settling a person's year. The invariant (issue 10 item 7): after any sequence of settlements and
// reversals, the person's pools equal settling their remaining claims of the year in service-date
// order (settlement time breaking ties), and the fund has paid in total what that re-settlement pays.
// A reversal, or a claim dated before the year's latest, can change what later claims should have
// paid; each change is booked as an adjustment (补扣/补付) on the claim it belongs to.
import { sql } from 'kysely';
import type { AdjustedLine } from '../../db/schema';
import type { Database } from '../../db/connect';
import { settle, type Claim, type PersonYearState, type Settlement } from '../../engine/settlement';
import { conflict } from '../../core/problem';
import type { PolicyBook } from '../../core/policyBook';

/** A settled claim of the year as it now stands: the engine's input rebuilt from its lines, and its current split. */
export interface StoredClaim {
  id: string;
  serviceDate: string;
  policyId: string;
  claim: Claim;
  /** Per line, the split now in force: the latest adjustment's, else the one settled. */
  current: AdjustedLine[];
}

interface Row {
  id: string; service_date: string; policy_id: string; insurance_type: Claim['insuranceType']; institution_level: Claim['institutionLevel']; at_chosen_institution: boolean;
  lines: Array<{ n: number; a: number | string; s: 'two_disease' | 'general' | 'specified_disease'; d: string | null; ds: number; l: string[] | null; x: boolean; f: number | string; de: number | string; c: number | string; o: number | string; ci: number | string }>;
  adjusted: AdjustedLine[] | null;
}

/** The person's settled claims of the year in the order they are settled in. Call under the accumulator's lock. */
export async function loadYear(db: Database, personId: string, year: number): Promise<StoredClaim[]> {
  const { rows } = await sql<Row>`
    select c.id, c.service_date::text as service_date, c.policy_id, c.insurance_type, c.institution_level, c.at_chosen_institution,
      (select json_agg(json_build_object('n', l.line_no, 'a', l.amount_fen, 's', l.scope, 'd', l.disease_code, 'ds', l.days_supply, 'l', l.drug_lists, 'x', l.extended,
        'f', l.fund_pay_fen, 'de', l.deductible_fen, 'c', l.copay_fen, 'o', l.over_limit_fen, 'ci', l.critical_illness_fen) order by l.line_no)
        from claim_line l where l.person_id = c.person_id and l.claim_id = c.id) as lines,
      (select a.lines from claim_adjustment a where a.person_id = c.person_id and a.claim_id = c.id order by a.seq desc limit 1) as adjusted
    from claim c
    where c.person_id = ${personId} and c.status = 'settled' and c.service_date between ${`${year}-01-01`} and ${`${year}-12-31`}
    order by c.service_date, c.settled_at, c.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    serviceDate: r.service_date,
    policyId: r.policy_id,
    claim: {
      claimId: r.id, serviceDate: r.service_date, insuranceType: r.insurance_type, institutionLevel: r.institution_level, scope: 'two_disease', atChosenInstitution: r.at_chosen_institution,
      lines: r.lines.map((l) => ({
        lineId: String(l.n), amountFen: Number(l.a), scope: l.s, daysSupply: l.ds, ...(l.d ? { disease: l.d } : {}), ...(l.l ? { lists: l.l } : {}), ...(l.x ? { extended: true } : {}),
      })),
    },
    current: r.adjusted ?? r.lines.map((l) => ({ lineNo: l.n, fundPayFen: Number(l.f), deductibleFen: Number(l.de), copayFen: Number(l.c), overLimitFen: Number(l.o), criticalIllnessFen: Number(l.ci) })),
  }));
}

export interface Refolded {
  /** The settlement of each claim in order, by claim id. */
  results: Map<string, Settlement>;
  state: PersonYearState;
}

/** Settles the claims again from an empty year, each under the policy it was settled with. */
export function refold(policies: PolicyBook, year: number, claims: Array<{ policyId: string; claim: Claim }>): Refolded {
  let state: PersonYearState = { year, pools: {} };
  const results = new Map<string, Settlement>();
  for (const c of claims) {
    const entry = policies.byId(c.policyId);
    if (!entry) throw conflict('policy_missing', `Claim ${c.claim.claimId} was settled under policy ${c.policyId}, which is no longer loaded`);
    const s = settle(entry.compiled, state, c.claim);
    results.set(c.claim.claimId, s);
    state = s.newState;
  }
  return { results, state };
}

export interface Adjustment {
  claimId: string;
  serviceDate: string;
  fundPayFen: number;
  deductibleFen: number;
  copayFen: number;
  overLimitFen: number;
  criticalIllnessFen: number;
  lines: AdjustedLine[];
}

const splitOf = (s: Settlement): AdjustedLine[] =>
  s.lines.map((l) => ({ lineNo: Number(l.lineId), fundPayFen: l.fundPay, deductibleFen: l.deductible, copayFen: l.copay, overLimitFen: l.overLimit, criticalIllnessFen: l.criticalIllness }));
const sum = (ls: AdjustedLine[], k: keyof AdjustedLine) => ls.reduce((a, l) => a + l[k], 0);

/** Where a claim's new split differs from the one in force: the differences, new minus old. */
export function adjustmentsOf(stored: StoredClaim[], refolded: Refolded): Adjustment[] {
  const out: Adjustment[] = [];
  for (const c of stored) {
    const now = splitOf(refolded.results.get(c.id)!);
    const same = now.every((l, i) => {
      const o = c.current[i];
      return o && l.fundPayFen === o.fundPayFen && l.deductibleFen === o.deductibleFen && l.copayFen === o.copayFen && l.overLimitFen === o.overLimitFen && l.criticalIllnessFen === o.criticalIllnessFen;
    });
    if (same) continue;
    const d = (k: keyof AdjustedLine) => sum(now, k) - sum(c.current, k);
    out.push({ claimId: c.id, serviceDate: c.serviceDate, fundPayFen: d('fundPayFen'), deductibleFen: d('deductibleFen'), copayFen: d('copayFen'), overLimitFen: d('overLimitFen'), criticalIllnessFen: d('criticalIllnessFen'), lines: now });
  }
  return out;
}

/** Books the adjustments and sets the accumulator to the re-settled state, inside the caller's transaction. */
export async function bookResettlement(db: Database, by: { userId: string; personId: string; year: number; cause: 'reversal' | 'backdated'; causedBy: string; at: Date }, adjustments: Adjustment[], state: PersonYearState, lastServiceDate: string | null) {
  if (adjustments.length)
    await db
      .insertInto('claim_adjustment')
      .values(adjustments.map((a) => ({
        person_id: by.personId, claim_id: a.claimId, caused_by: by.causedBy, cause: by.cause, fund_pay_fen: a.fundPayFen, deductible_fen: a.deductibleFen, copay_fen: a.copayFen,
        over_limit_fen: a.overLimitFen, critical_illness_fen: a.criticalIllnessFen, lines: JSON.stringify(a.lines), created_by: by.userId, at: by.at,
      })))
      .execute();
  await db
    .updateTable('benefit_accumulator')
    .set((eb) => ({ pools: JSON.stringify(state.pools), version: eb('version', '+', 1), last_service_date: lastServiceDate, updated_at: by.at }))
    .where('person_id', '=', by.personId)
    .where('year', '=', by.year)
    .execute();
}
