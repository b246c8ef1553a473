// From patient-month rows to indicators: each row adds to a set of named counters (the database sums the
// same counters with SQL in src/modules/indicators/queries.ts; a test holds the two to the same numbers),
// and the counters of a scope become its numerators and denominators.
import type { ControlGroup, PatientMonth } from './patientMonth';

export const CONTROL_GROUPS: readonly ControlGroup[] = ['controlled', 'uncontrolled', 'visited_no_reading', 'missed_visit', 'registered_last_3_months', 'lost_to_follow_up'];
const D = ['ht', 'dm'] as const;

export const COUNTER_NAMES = [
  'diagnosed', 'contracted', 'registered', 'ht_diagnosed', 'dm_diagnosed',
  ...D.flatMap((d) => [`${d}_sm_denominator`, `${d}_sm_numerator`, ...CONTROL_GROUPS.map((g) => `${d}_${g}`)]),
  'grassroots', 'hospital', 'pharmacy', 'amount_fen', 'fund_pay_fen', 'claim_patients', 'registered_patients', 'registered_patients_year_before',
  'filed', 'confirmed', 'returned', 'dispensed', 'delivered',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, number>;

export const emptyCounters = (): Counters => Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as Counters;

export function addCounters(into: Counters, c: Counters): Counters {
  for (const n of COUNTER_NAMES) into[n] += c[n];
  return into;
}

/**
 * What one row adds for a period ending at the row's month. `fullYear`: the period is a whole year, whose
 * standard of management asks for the annual health check as well, and whose claims are the year's.
 */
export function countersOf(r: PatientMonth, fullYear: boolean): Counters {
  const c = emptyCounters();
  const living = r.alive && r.diagnosed;
  c.diagnosed = +living;
  c.contracted = +(living && r.teamId !== null);
  c.registered = +(living && r.registered);
  c.registered_patients = +r.registered;
  c.registered_patients_year_before = +r.registeredYearBefore;
  c.ht_diagnosed = +(r.alive && r.hypertension.diagnosed);
  c.dm_diagnosed = +(r.alive && r.diabetes.diagnosed);
  for (const [d, m] of [['ht', r.hypertension], ['dm', r.diabetes]] as const) {
    const owes = m.registered && m.owed > 0;
    c[`${d}_sm_denominator`] = +owes;
    c[`${d}_sm_numerator`] = +(owes && m.faceToFace >= m.owed && (!fullYear || r.annualCheck));
    if (m.control) c[`${d}_${m.control}`] = 1;
  }
  const sums = fullYear ? r.year : r.quarter;
  c.grassroots = sums.grassroots;
  c.hospital = sums.hospital;
  c.pharmacy = sums.pharmacy;
  c.amount_fen = sums.amountFen;
  c.fund_pay_fen = sums.fundPayFen;
  c.claim_patients = +(sums.grassroots + sums.hospital + sums.pharmacy > 0);
  c.filed = sums.filed;
  c.confirmed = sums.confirmed;
  c.returned = sums.returned;
  c.dispensed = sums.dispensed;
  c.delivered = sums.delivered;
  return c;
}

const control = (c: Counters, d: 'ht' | 'dm') => ({
  numerator: c[`${d}_controlled`],
  denominator: c[`${d}_controlled`] + c[`${d}_uncontrolled`] + c[`${d}_visited_no_reading`] + c[`${d}_missed_visit`],
  groups: { uncontrolled: c[`${d}_uncontrolled`], visited_no_reading: c[`${d}_visited_no_reading`], missed_visit: c[`${d}_missed_visit`] },
  excluded: { registered_last_3_months: c[`${d}_registered_last_3_months`], lost_to_follow_up: c[`${d}_lost_to_follow_up`] },
});

/** The row-counted indicators of a scope (the keys); the few kept by county are added beside. */
export function indicatorsOf(c: Counters) {
  return {
    contracting: { numerator: c.contracted, denominator: c.diagnosed },
    registered: { numerator: c.registered, denominator: c.diagnosed },
    standardised_management: {
      hypertension: { numerator: c.ht_sm_numerator, denominator: c.ht_sm_denominator },
      diabetes: { numerator: c.dm_sm_numerator, denominator: c.dm_sm_denominator },
    },
    control: { hypertension: control(c, 'ht'), diabetes: control(c, 'dm') },
    // pharmacies are left out of both sides and shown beside
    grassroots_visits: { numerator: c.grassroots, denominator: c.grassroots + c.hospital, pharmacy_claims: c.pharmacy },
    fund_spending: { amount_fen: c.amount_fen, fund_pay_fen: c.fund_pay_fen, self_pay_fen: c.amount_fen - c.fund_pay_fen, patients: c.claim_patients },
    diagnosed: { hypertension: c.ht_diagnosed, diabetes: c.dm_diagnosed, either: c.diagnosed },
    activity: { filed: c.filed, confirmed: c.confirmed, returned: c.returned, registered_patients: c.registered_patients, registered_patients_year_before: c.registered_patients_year_before },
    delivered_share: { numerator: c.delivered, denominator: c.dispensed },
  };
}
