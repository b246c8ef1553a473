// "What if": replays a year's claims under a policy and sums what the fund pays, what patients pay
// out of pocket and who hits the limit, by county and insurance type. Pure; the caller feeds the
// claims person by person, each person's in service-date order.
import type { Claim } from './claim';
import type { CompiledPolicy } from './compile';
import { settle } from './settle';
import type { PersonYearState } from './claim';

export interface SimulationCell {
  county: string;
  insuranceType: string;
  people: number;
  claims: number;
  amountFen: number;
  fundPayFen: number;
  outOfPocketFen: number;
  /** Cost passed on to critical-illness insurance (大病保险, seed 002 item 12). */
  criticalIllnessFen: number;
  peopleAtLimit: number;
}

export class YearSimulation {
  private readonly cells = new Map<string, SimulationCell>();

  constructor(private readonly policy: CompiledPolicy) {}

  /** One person's claims of the year, in service-date order. */
  addPerson(county: string, claims: Claim[]): void {
    if (claims.length === 0) return;
    const key = `${county}|${claims[0].insuranceType}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { county, insuranceType: claims[0].insuranceType, people: 0, claims: 0, amountFen: 0, fundPayFen: 0, outOfPocketFen: 0, criticalIllnessFen: 0, peopleAtLimit: 0 };
      this.cells.set(key, cell);
    }
    let state: PersonYearState | null = null;
    let hitLimit = false;
    for (const claim of claims) {
      const r = settle(this.policy, state, claim);
      state = r.newState;
      cell.claims++;
      cell.amountFen += r.totals.amount;
      cell.fundPayFen += r.totals.fundPay;
      cell.outOfPocketFen += r.totals.amount - r.totals.fundPay;
      cell.criticalIllnessFen += r.totals.criticalIllness;
      if (r.totals.overLimit > 0) hitLimit = true;
    }
    cell.people++;
    if (hitLimit) cell.peopleAtLimit++;
  }

  /** Cells sorted by county then insurance type, with a total row last. */
  result(): SimulationCell[] {
    const rows = [...this.cells.values()].sort((a, b) => a.county.localeCompare(b.county) || a.insuranceType.localeCompare(b.insuranceType));
    const total: SimulationCell = { county: 'total', insuranceType: 'all', people: 0, claims: 0, amountFen: 0, fundPayFen: 0, outOfPocketFen: 0, criticalIllnessFen: 0, peopleAtLimit: 0 };
    for (const r of rows) {
      total.people += r.people;
      total.claims += r.claims;
      total.amountFen += r.amountFen;
      total.fundPayFen += r.fundPayFen;
      total.outOfPocketFen += r.outOfPocketFen;
      total.criticalIllnessFen += r.criticalIllnessFen;
      total.peopleAtLimit += r.peopleAtLimit;
    }
    return [...rows, total];
  }
}
