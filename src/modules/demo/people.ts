// Synthetic insured residents with the two diseases at plausible prevalence by age. Residents
// without either disease are kept only in part, so `patients` sets the size of the programme
// while the records still hold the healthy neighbours a doctor would screen and sign.
import { addDays, type IsoDate } from '../../engine/calendar';
import { checkDigit, residentIdProblem } from '../../engine/identity/residentId';
import type { DemoCity } from './city';
import { personName } from './city';
import type { Random } from './random';

export interface DemoPerson {
  id: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  id_number: string;
  phone: string | null;
  region_code: string;
  address: string;
  insurance_type: 'resident' | 'employee';
  insured_since: string;
  /** Set by the programme's history when the patient died (programme.ts). */
  death_date?: string | null;
  conditions: Array<{ disease_code: 'hypertension' | 'diabetes'; diagnosed_on: string; source: 'screening' | 'follow_up' | 'hospital'; institution_id: string }>;
}

// [lowest age, highest age, share of residents, hypertension prevalence, diabetes prevalence]
// (national surveys put adult hypertension near 27 % and diabetes near 11 %, rising steeply with age)
const AGE_BANDS: ReadonlyArray<readonly [number, number, number, number, number]> = [
  [18, 34, 0.24, 0.05, 0.02],
  [35, 44, 0.18, 0.14, 0.05],
  [45, 59, 0.28, 0.3, 0.12],
  [60, 74, 0.21, 0.52, 0.2],
  [75, 92, 0.09, 0.6, 0.21],
];
const KEEP_HEALTHY = 0.35;

export function* generatePeople(rng: Random, city: DemoCity, patients: number, asOf: IsoDate): Generator<DemoPerson> {
  const usedIds = new Set<string>();
  const asOfYear = Number(asOf.slice(0, 4));
  let made = 0;
  while (made < patients) {
    const band = rng.weighted(AGE_BANDS.map((b) => [b, b[2]] as const));
    const age = rng.int(band[0], band[1]);
    const hypertension = rng.chance(band[3]);
    const diabetes = rng.chance(band[4] * (hypertension ? 1.5 : 1)); // the two cluster
    const isPatient = hypertension || diabetes;
    if (!isPatient && !rng.chance(KEEP_HEALTHY)) continue;
    if (isPatient) made++;

    const town = rng.pick(city.towns);
    const sex = rng.chance(0.5) ? 'male' : 'female';
    const birthDate = addDays(`${asOfYear - age - 1}-01-01`, rng.int(0, 364));
    const idNumber = uniqueIdNumber(rng, usedIds, town.countyCode, birthDate, sex, asOf);
    const insuranceType = age < 60 && rng.chance(0.45) ? 'employee' : age >= 60 && rng.chance(0.25) ? 'employee' : 'resident';
    const conditions: DemoPerson['conditions'] = [];
    for (const [code, has] of [['hypertension', hypertension], ['diabetes', diabetes]] as const) {
      if (!has) continue;
      const onsetAge = Math.max(18, age - rng.int(0, Math.min(20, age - 18)));
      const diagnosedOn = addDays(birthDate, Math.round((onsetAge + rng.next()) * 365.25));
      conditions.push({
        disease_code: code,
        diagnosed_on: diagnosedOn > asOf ? asOf : diagnosedOn,
        source: rng.weighted([['screening', 5], ['hospital', 3], ['follow_up', 2]] as const),
        institution_id: town.centreId,
      });
    }
    yield {
      id: rng.uuid(),
      name: personName(rng, sex),
      sex,
      birth_date: birthDate,
      id_number: idNumber,
      phone: rng.chance(0.92) ? `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}` : null,
      region_code: town.code,
      address: `${town.name}${rng.int(1, 300)}号`,
      insurance_type: insuranceType,
      insured_since: maxDate(birthDate, addDays('2010-01-01', rng.int(0, 3650))),
      conditions,
    };
  }
}

/** A number no one else has, valid by the same rules the person table enforces (refused loudly otherwise). */
function uniqueIdNumber(rng: Random, used: Set<string>, countyCode: string, birthDate: string, sex: 'male' | 'female', asOf: IsoDate): string {
  const prefix = countyCode + birthDate.replaceAll('-', '');
  for (;;) {
    // sequence: odd for men, even for women
    const seq = rng.int(0, 499) * 2 + (sex === 'male' ? 1 : 0);
    const body = prefix + String(seq).padStart(3, '0');
    const id = body + checkDigit(body);
    const problem = residentIdProblem(id, asOf);
    if (problem) throw new Error(`demo city: generated ID number ${id} breaks the ${problem} rule`);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
