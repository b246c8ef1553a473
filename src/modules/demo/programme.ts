// The programme's history for demo patients, at the seeds' rates: about 80 % of two-disease
// patients contracted with a team of their town (some renewed, some expiring soon); most of those
// registered and confirmed with a continuous prescription, some pending review or returned.
import { addDays, addMonths, type IsoDate } from '../../engine/calendar';
import type { Drug } from '../reference/catalogue';
import type { DemoCity } from './city';
import type { DemoPerson } from './people';
import type { Random } from './random';

export const CONTRACT_RATE = 0.8;

export interface DemoActors {
  /** Demo user id of each team's lead doctor, by team id. */
  doctorUser: Map<string, string>;
  /** Demo reviewer user id by county code. */
  reviewerUser: Map<string, string>;
}

export interface ProgrammeRows {
  contracts: Array<Record<string, unknown>>;
  contractEvents: Array<Record<string, unknown>>;
  filings: Array<Record<string, unknown>>;
  filingDiseases: Array<Record<string, unknown>>;
  filingLines: Array<Record<string, unknown>>;
  filingEvents: Array<Record<string, unknown>>;
  registrations: Array<Record<string, unknown>>;
  prescriptions: Array<Record<string, unknown>>;
}

export const emptyProgramme = (): ProgrammeRows => ({
  contracts: [], contractEvents: [], filings: [], filingDiseases: [], filingLines: [], filingEvents: [], registrations: [], prescriptions: [],
});

const ts = (date: IsoDate, hour: number) => `${date}T${String(hour).padStart(2, '0')}:00:00+08:00`;

export function addProgramme(rng: Random, out: ProgrammeRows, person: DemoPerson, city: DemoCity, teamsByTown: Map<string, DemoCity['teams']>, drugs: Drug[], actors: DemoActors, asOf: IsoDate) {
  if (person.conditions.length === 0 || !rng.chance(CONTRACT_RATE)) return;
  const team = rng.pick(teamsByTown.get(person.region_code)!);
  const doctorUser = actors.doctorUser.get(team.id)!;
  const countyCode = person.region_code.slice(0, 6);
  const reviewerUser = actors.reviewerUser.get(countyCode)!;
  const packages = ['basic', person.conditions.length === 2 ? 'two_disease' : person.conditions[0].disease_code];

  // the current contract started within the last year; a third of patients renewed an earlier one
  const start = addDays(asOf, -rng.int(0, 364));
  let previousId: string | null = null;
  if (rng.chance(0.35)) {
    const prevStart = addMonths(start, -12);
    previousId = rng.uuid();
    out.contracts.push(contractRow(previousId, person, team, prevStart, addDays(start, -1), packages, 'renewed', null));
    out.contractEvents.push(eventRow(previousId, person.id, doctorUser, 'sign', null, 'active', ts(prevStart, 9)));
    out.contractEvents.push(eventRow(previousId, person.id, doctorUser, 'renew', 'active', 'renewed', ts(addDays(start, -7), 10)));
  }
  const contractId = rng.uuid();
  out.contracts.push(contractRow(contractId, person, team, start, addDays(addMonths(start, 12), -1), packages, 'active', previousId));
  out.contractEvents.push(eventRow(contractId, person.id, doctorUser, 'sign', null, 'active', ts(start, 9), previousId ? 'renewal' : null));

  const roll = rng.next();
  if (roll > 0.95) return; // contracted, not yet registered
  const status = roll < 0.85 ? 'approved' : roll < 0.92 ? 'submitted' : 'returned';
  const filingId = rng.uuid();
  const filedOn = addDays(start, rng.int(0, 20)) > asOf ? asOf : addDays(start, rng.int(0, 20));
  const effective = addDays(filedOn, rng.int(1, 10)) > asOf ? asOf : addDays(filedOn, rng.int(1, 10));
  const decided = status !== 'submitted';
  out.filings.push({
    id: filingId, person_id: person.id, contract_id: contractId, team_id: team.id, county_code: countyCode, kind: 'initial',
    status, filed_by: doctorUser, submitted_at: ts(filedOn, 10),
    decided_at: decided ? ts(effective, 15) : null, decided_by: decided ? reviewerUser : null,
    decision_reason: status === 'returned' ? rng.pick(['诊断依据不足：请补充非同日血压测量记录', '连续处方药品与认定病种不符', '签约信息与参保信息不一致，请核实']) : null,
    effective_date: status === 'approved' ? effective : null, confirmation: status === 'approved' ? 'agency' : null,
  });
  out.filingEvents.push({ filing_id: filingId, person_id: person.id, user_id: doctorUser, from_status: null, to_status: 'submitted', at: ts(filedOn, 10) });
  if (decided) out.filingEvents.push({ filing_id: filingId, person_id: person.id, user_id: reviewerUser, from_status: 'submitted', to_status: status, at: ts(effective, 15) });

  for (const c of person.conditions) {
    const basis = { type: 'hospital_diagnosis', institutionName: city.institutions.find((i) => i.id === team.institution_id)?.name ?? '医院', date: c.diagnosed_on };
    out.filingDiseases.push({ filing_id: filingId, person_id: person.id, disease_code: c.disease_code, action: 'add', diagnosed_on: c.diagnosed_on, basis: JSON.stringify(basis), open: status !== 'approved' });
    if (status === 'approved')
      out.registrations.push({ id: rng.uuid(), person_id: person.id, disease_code: c.disease_code, effective_from: effective, diagnosed_on: c.diagnosed_on, confirmed_filing_id: filingId });
  }
  let lineNo = 0;
  for (const c of person.conditions) {
    const options = drugs.filter((d) => d.diseases.includes(c.disease_code) && d.vbp && d.diseases.length === 1);
    for (let k = rng.chance(0.3) ? 2 : 1; k > 0; k--) {
      const drug = rng.pick(options);
      const line = { line_no: ++lineNo, drug_code: drug.code, dose: drug.strength, frequency: 'qd', days_supply: rng.pick([28, 30, 56, 60]), dispensing: 'own', pharmacy_id: null };
      out.filingLines.push({ filing_id: filingId, ...line });
      if (status === 'approved') out.prescriptions.push({ id: rng.uuid(), person_id: person.id, filing_id: filingId, effective_from: effective, ...line });
    }
  }
}

function contractRow(id: string, person: DemoPerson, team: DemoCity['teams'][number], start: IsoDate, end: IsoDate, packages: string[], status: string, previousId: string | null) {
  return {
    id, person_id: person.id, team_id: team.id, doctor_id: team.leader_id, start_date: start, end_date: end, packages: `{${packages.join(',')}}`,
    consent_signer: 'self', consent_signer_name: person.name, consent_signed_at: ts(start, 9), status, previous_contract_id: previousId,
  };
}

function eventRow(contractId: string, personId: string, userId: string, action: string, from: string | null, to: string, at: string, reason: string | null = null) {
  return { contract_id: contractId, person_id: personId, user_id: userId, action, from_status: from, to_status: to, at, reason };
}
