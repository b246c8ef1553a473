// The programme's history for demo patients (docs/demo.md): two-disease patients contracted with a team of
// their town at a rate that differs by county around the 80 % target (some renewed for years, some expiring
// soon); most of those registered and confirmed with a continuous prescription — the registrations spread
// over the years since 2019 —, some pending review or returned; a few died (those registered with their
// revocation for death); most refills at the team's centre, some at a county or city hospital or a chain pharmacy.
import { addDays, addMonths, daysBetween, type IsoDate } from '../../engine/calendar';
import { classifyVisit, isControlled, type ClassifyResult, type Disease, type PreviousVisit } from '../../engine/followup/classify';
import { bmiTenths } from '../../engine/followup/readings';
import { settle, type PersonYearState } from '../../engine/settlement';
import { CHRONIC_COMMON_LIST, type Drug } from '../reference/service';
import type { BookEntry } from '../../core/policyBook';
import type { ContractFact } from '../../engine/eligibility';
import type { DemoCity } from './city';
import type { DemoPerson } from './people';
import { Random } from './random';
import { addPatientPrescriptions, type DemoDispensing, type DemoRefill, emptyRx, type PatientRx, type RxRows } from './dispensing';

/** Contracting by county, around the 80 % target (seed 002): some counties above it, some below. */
const COUNTY_CONTRACT_RATES = [0.86, 0.74, 0.83, 0.69, 0.8, 0.77, 0.88, 0.72];
export function contractRate(countyCode: string): number {
  return COUNTY_CONTRACT_RATES[Number(countyCode) % COUNTY_CONTRACT_RATES.length];
}

/** Settles the demo's refills under the region's policy, as the counter would have. */
export interface DemoSettlement {
  policy: BookEntry;
  /** Stock, staff and the prescriptions behind the refills (absent: refills are claims alone). */
  dispensing?: DemoDispensing;
}

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
  claims: Array<Record<string, unknown>>;
  claimLines: Array<Record<string, unknown>>;
  claimEvents: Array<Record<string, unknown>>;
  accumulators: Array<Record<string, unknown>>;
  followups: Array<Record<string, unknown>>;
  followupStates: Array<Record<string, unknown>>;
  healthChecks: Array<Record<string, unknown>>;
  /** Prescriptions, dispenses and deliveries (dispensing.ts). */
  rx: RxRows;
}

export const emptyProgramme = (): ProgrammeRows => ({
  contracts: [], contractEvents: [], filings: [], filingDiseases: [], filingLines: [], filingEvents: [], registrations: [], prescriptions: [],
  claims: [], claimLines: [], claimEvents: [], accumulators: [], followups: [], followupStates: [], healthChecks: [], rx: emptyRx(),
});

const ts = (date: IsoDate, hour: number) => `${date}T${String(hour).padStart(2, '0')}:00:00+08:00`;

export function addProgramme(rng: Random, out: ProgrammeRows, person: DemoPerson, city: DemoCity, teamsByTown: Map<string, DemoCity['teams']>, drugs: Drug[], actors: DemoActors, asOf: IsoDate, settlement: DemoSettlement, forcedTeam?: DemoCity['teams'][number]) {
  // forcedTeam: contracted with that team and confirmed, whatever the dice say (the demo patient)
  const countyCode = person.region_code.slice(0, 6);
  const contracted = rng.chance(contractRate(countyCode));
  if (person.conditions.length === 0) return;
  if (!(contracted || forcedTeam)) {
    // about 1.2 % of the patients without a contract died in the last two years (their own stream)
    const fate = Random.forKey(`demo:death:${person.id}`);
    const latest = person.conditions.map((c) => c.diagnosed_on).reduce((a, b) => (a > b ? a : b));
    if (!forcedTeam && fate.chance(0.012)) person.death_date = dateAt(fate.next(), maxDate(latest, addDays(asOf, -720)), addDays(asOf, -3));
    return;
  }
  const team = forcedTeam ?? rng.pick(teamsByTown.get(person.region_code)!);
  const doctorUser = actors.doctorUser.get(team.id)!;
  // the years behind the current contract and whether the patient died: their own stream, so the rest of
  // the city keeps the draws it had
  const history = Random.forKey(`demo:history:${person.id}`);
  const reviewerUser = actors.reviewerUser.get(countyCode)!;
  const packages = ['basic', person.conditions.length === 2 ? 'two_disease' : person.conditions[0].disease_code];

  // the current contract started within the last year, and most patients have renewed a yearly contract
  // since they first signed (2019 at the earliest, never before the diagnosis or the insurance), so the
  // contracting of last year's quarters is not far below this year's; a third renewed at least once
  // whatever the chain's draw (the main stream's draws are the ones it always had)
  const start = addDays(asOf, -rng.int(0, 364));
  const renewedOnce = rng.chance(0.35);
  const chainIds = renewedOnce ? [rng.uuid()] : [];
  const contractId = rng.uuid();
  const roll = forcedTeam ? 0 : rng.next();
  const registered = roll <= 0.95;
  const status = roll < 0.85 ? 'approved' : roll < 0.92 ? 'submitted' : 'returned';
  const latestDiagnosis = person.conditions.map((c) => c.diagnosed_on).reduce((a, b) => (a > b ? a : b));
  const drawnYears = history.weighted([[0, 12], [1, 22], [2, 17], [3, 14], [4, 11], [5, 9], [6, 8], [7, 7]] as const);
  let years = Math.max(drawnYears, chainIds.length);
  while (years > 0 && (addMonths(start, -12 * years) < latestDiagnosis || addMonths(start, -12 * years) < person.insured_since || addMonths(start, -12 * years) < FIRST_YEAR)) years--;
  chainIds.length = Math.min(chainIds.length, years);
  while (chainIds.length < years) chainIds.push(history.uuid());
  // some patients died during their current contract (never the demo patient): about 1.6 % of the confirmed
  // (after two months of benefit at least), 1 % of the others; not while a filing waits for review
  const confirmed = registered && status === 'approved';
  const dies = !forcedTeam && !(registered && status === 'submitted') && history.chance(confirmed ? 0.016 : 0.01);
  const deathDraw = history.next();
  const death = dies && !confirmed ? dateAt(deathDraw, maxDate(addDays(start, 30), latestDiagnosis), addDays(asOf, -3)) : null;
  let previousId: string | null = null;
  const contractFacts: ContractFact[] = [];
  for (let k = chainIds.length; k >= 1; k--) {
    const from = addMonths(start, -12 * k);
    const to = addDays(addMonths(start, -12 * (k - 1)), -1);
    const id = chainIds[k - 1];
    out.contracts.push(contractRow(id, person, team, from, to, packages, 'renewed', previousId));
    out.contractEvents.push(eventRow(id, person.id, doctorUser, 'sign', null, 'active', ts(from, 9), previousId ? 'renewal' : null));
    out.contractEvents.push(eventRow(id, person.id, doctorUser, 'renew', 'active', 'renewed', ts(addDays(to, -6), 10)));
    contractFacts.push({ id, teamId: team.id, teamName: team.name, startDate: from, endDate: to, status: 'renewed', terminatedOn: null });
    previousId = id;
  }
  out.contracts.push(contractRow(contractId, person, team, start, addDays(addMonths(start, 12), -1), packages, 'active', previousId));
  out.contractEvents.push(eventRow(contractId, person.id, doctorUser, 'sign', null, 'active', ts(start, 9), previousId ? 'renewal' : null));
  contractFacts.unshift({ id: contractId, teamId: team.id, teamName: team.name, startDate: start, endDate: addDays(addMonths(start, 12), -1), status: 'active', terminatedOn: null });
  // the dead who were never confirmed: the contract ends on the day of death and the person carries the date
  if (death) terminateForDeath(out, person, contractId, doctorUser, death, death);

  if (!registered) return; // contracted, not yet registered
  const filingId = rng.uuid();
  // a confirmed registration dates from the first contract of the chain
  const firstStart = confirmed && years > 0 ? addMonths(start, -12 * years) : start;
  const filedOn = addDays(firstStart, rng.int(0, 20)) > asOf ? asOf : addDays(firstStart, rng.int(0, 20));
  const effective = addDays(filedOn, rng.int(1, 10)) > asOf ? asOf : addDays(filedOn, rng.int(1, 10));
  const decided = status !== 'submitted';
  out.filings.push({
    id: filingId, person_id: person.id, contract_id: years > 0 && status === 'approved' ? chainIds[years - 1] : contractId, team_id: team.id, county_code: countyCode, kind: 'initial',
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
  const prescribed: Array<{ drug: Drug; disease: string; days: number }> = [];
  for (const c of person.conditions) {
    // procured drugs of this disease alone, on the chronic-disease list: never a general-outpatient or self-paid drug
    const options = drugs.filter((d) => d.diseases.includes(c.disease_code) && d.vbp && d.diseases.length === 1 && d.lists.includes(CHRONIC_COMMON_LIST));
    for (let k = rng.chance(0.3) ? 2 : 1; k > 0; k--) {
      // a second drug is of another class (two of one class is the pre-check's duplicate therapy), and every
      // drug of the prescription runs the same days, so that one refill renews them all; neither draws
      // more from the generator, so the rest of the city stays what it was
      const drawn = rng.pick(options);
      const drug = prescribed.some((p) => p.drug.classes.some((c) => drawn.classes.includes(c)))
        ? options.find((o) => !prescribed.some((p) => p.drug.classes.some((c) => o.classes.includes(c)))) ?? drawn
        : drawn;
      const drawnDays = rng.pick([28, 30, 56, 60]);
      const line = { line_no: ++lineNo, drug_code: drug.code, dose: drug.strength, frequency: 'qd', days_supply: prescribed[0]?.days ?? drawnDays, dispensing: 'own', pharmacy_id: null };
      out.filingLines.push({ filing_id: filingId, person_id: person.id, ...line });
      prescribed.push({ drug, disease: c.disease_code, days: line.days_supply });
      if (status === 'approved') out.prescriptions.push({ id: rng.uuid(), person_id: person.id, filing_id: filingId, effective_from: effective, ...line });
    }
  }
  const rx = { registrations: person.conditions.map((c) => ({ disease: c.disease_code, effectiveFrom: effective, effectiveTo: null })), contracts: contractFacts, effective };
  if (status !== 'approved') return;
  const died = dies ? dateAt(deathDraw, maxDate(start, addDays(effective, 60), addDays(asOf, -360)), addDays(asOf, -3)) : null;
  const until = died ? addDays(died, -1) : asOf;
  // follow-ups first (their own random stream, so the order changes no data): a renewal needs one (复诊核验)
  const followUpVisits = addFollowupHistory(out, person, team, doctorUser, prescribed.map((p) => p.drug), asOf, effective, until);
  // the dead's last refills are claims alone (no prescription left open after them)
  const firstThisYear = addRefills(rng, out, person, team, doctorUser, prescribed, effective, asOf, died ? { policy: settlement.policy } : settlement, died ? undefined : { ...rx, followUpVisits }, until, venuesOf(city));
  // last year's purchases of a patient registered before this year (their own stream: this year's rows stay what they were)
  if (effective < `${asOf.slice(0, 4)}-01-01`) {
    const settledBy = settlement.dispensing?.pharmacistUser.get(team.institution_id) ?? doctorUser;
    addLastYearRefills(out, person, team, { doctorUser, settledBy }, prescribed, drugs, { effective, firstThisYear, died, asOf }, settlement.policy, venuesOf(city));
  }
  if (died) addDeath(out, history, person, { contractId, filingId, countyCode, teamId: team.id, doctorUser, reviewerUser }, died, asOf);
}

/** The county hospital (二级), the city's tertiary hospital and the chain pharmacies of each county. */
interface Venues { hospital: Map<string, string>; tertiary: string | null; pharmacies: Map<string, string[]> }
const venuesCache = new WeakMap<DemoCity, Venues>();
function venuesOf(city: DemoCity): Venues {
  let v = venuesCache.get(city);
  if (!v) {
    v = { hospital: new Map(), tertiary: city.institutions.find((i) => i.level === 'tertiary')?.id ?? null, pharmacies: new Map() };
    for (const i of city.institutions) {
      if (i.level === 'secondary') v.hospital.set(i.county_code, i.id);
      if (i.level === 'pharmacy') v.pharmacies.set(i.county_code, [...(v.pharmacies.get(i.county_code) ?? []), i.id]);
    }
    venuesCache.set(city, v);
  }
  return v;
}

/**
 * A death recorded as the programme records it: the family doctor files a revocation for death (注销登记,
 * with the date), the agency approves it, the registrations and the continuous prescription end on its
 * effective date, the contract is terminated from the day of death, and the person carries the date.
 */
function addDeath(out: ProgrammeRows, rng: Random, person: DemoPerson, ids: { contractId: string; filingId: string; countyCode: string; teamId: string; doctorUser: string; reviewerUser: string }, death: IsoDate, asOf: IsoDate) {
  const filed = addDays(death, rng.int(2, 12)) > asOf ? asOf : addDays(death, rng.int(2, 12));
  const effective = addDays(filed, 1) > asOf ? asOf : addDays(filed, 1);
  const revocationId = rng.uuid();
  person.death_date = death;
  out.filings.push({
    id: revocationId, person_id: person.id, contract_id: ids.contractId, team_id: ids.teamId, county_code: ids.countyCode, kind: 'revocation', revocation_reason: 'death', death_date: death,
    status: 'approved', filed_by: ids.doctorUser, submitted_at: ts(filed, 10), decided_at: ts(effective, 15), decided_by: ids.reviewerUser, decision_reason: null,
    effective_date: effective, confirmation: 'agency',
  });
  out.filingEvents.push({ filing_id: revocationId, person_id: person.id, user_id: ids.doctorUser, from_status: null, to_status: 'submitted', at: ts(filed, 10) });
  out.filingEvents.push({ filing_id: revocationId, person_id: person.id, user_id: ids.reviewerUser, from_status: 'submitted', to_status: 'approved', at: ts(effective, 15) });
  for (const c of person.conditions) out.filingDiseases.push({ filing_id: revocationId, person_id: person.id, disease_code: c.disease_code, action: 'remove', diagnosed_on: null, basis: null, open: false });
  for (const reg of out.registrations) if (reg.person_id === person.id && reg.confirmed_filing_id === ids.filingId) Object.assign(reg, { effective_to: effective, ended_filing_id: revocationId });
  for (const line of out.prescriptions) if (line.person_id === person.id) line.effective_to = effective;
  terminateForDeath(out, person, ids.contractId, ids.doctorUser, death, effective);
}

/** The contract in force ends on the day of death (terminated_on: the first day it no longer holds), recorded when the death was reported. */
function terminateForDeath(out: ProgrammeRows, person: DemoPerson, contractId: string, doctorUser: string, death: IsoDate, reportedOn: IsoDate) {
  person.death_date = death;
  const contract = out.contracts.find((c) => c.id === contractId)!;
  Object.assign(contract, { status: 'terminated', terminated_on: death, termination_reason: '居民死亡' });
  out.contractEvents.push(eventRow(contractId, person.id, doctorUser, 'terminate', 'active', 'terminated', ts(reportedOn, 11), '居民死亡'));
}

/** Registrations and contracts begin in 2019 at the earliest (the programme's start in the seeds' cities). */
const FIRST_YEAR = '2019-01-01';
const maxDate = (...dates: IsoDate[]) => dates.reduce((a, b) => (a > b ? a : b));
const minDate = (...dates: IsoDate[]) => dates.reduce((a, b) => (a < b ? a : b));
/** The day a fraction u ∈ [0, 1) of the way from `from` to `to` (both included), or null when the range is empty. */
function dateAt(u: number, from: IsoDate, to: IsoDate): IsoDate | null {
  if (from > to) return null;
  return addDays(from, Math.floor(u * (daysBetween(from, to) + 1)));
}

/**
 * This year's refills at the team's own centre since the registration took effect, one every
 * prescription period, settled in date order so the claims and the accumulator agree. With the
 * dispensing side (dispensing.ts) each refill is the dispense of an approved prescription, settled by
 * the centre's pharmacist; a last fill at a chain pharmacy is settled after them, and a last refill whose
 * delivery failed is reversed (the accumulator is then the one before it). Answers the day the refills
 * start on (also when it is past `until`), which last year's refills run back from.
 */
function addRefills(
  rng: Random, out: ProgrammeRows, person: DemoPerson, team: DemoCity['teams'][number], userId: string, prescribed: Prescribed,
  from: IsoDate, asOf: IsoDate, settlement: DemoSettlement, rx?: Omit<PatientRx, 'team' | 'doctorUser' | 'asOf' | 'person'>, until: IsoDate = asOf, venues?: Venues,
): IsoDate {
  // where each refill is bought: mostly the team's centre; some at the county hospital (an employee
  // sometimes at the city's tertiary hospital: residents' two-disease benefit does not cover it) or a chain
  // pharmacy — those are purchases alone, no prescription dispensed here (their own stream)
  const venue = Random.forKey(`demo:venue:${person.id}`);
  const yearStart = `${asOf.slice(0, 4)}-01-01`;
  const period = Math.min(...prescribed.map((p) => p.days));
  const dispensing = settlement.dispensing;
  const settledBy = dispensing?.pharmacistUser.get(team.institution_id) ?? userId;
  let state: PersonYearState = { year: Number(asOf.slice(0, 4)), pools: {} };
  let last: IsoDate | null = null;
  const refills: DemoRefill[] = [];
  const history: Array<{ state: PersonYearState; last: IsoDate | null }> = [];
  const settleOne = (claimId: string, date: IsoDate, institutionId: string, level: InstitutionLevel, by: string, lines: DemoRefill['lines']) => {
    const result = writeClaim(out, person, settlement.policy, state, { id: claimId, date, institutionId, level, by, lines });
    history.push({ state, last });
    state = result.newState;
    last = date;
  };
  const first = from > yearStart ? from : addDays(yearStart, rng.int(0, period - 1));
  for (let date = first; date <= until; date = addDays(date, period + rng.int(-3, 7))) {
    const claimId = rng.uuid();
    const lines = refillLines(prescribed);
    // the last refill of the year so far is the centre's (a failed delivery reverses the person's last claim)
    const w = addDays(date, period + 7) > until ? 1 : venue.next();
    const elsewhere = purchaseVenue(w, venue, person, venues);
    if (elsewhere) settleOne(claimId, date, elsewhere.institutionId, elsewhere.level, userId, lines);
    else {
      settleOne(claimId, date, team.institution_id, 'grassroots', settledBy, lines);
      refills.push({ claimId, date, institutionId: team.institution_id, lines });
    }
  }
  if (dispensing && rx) {
    const changes = addPatientPrescriptions(dispensing, out.rx, { ...rx, person, team, doctorUser: userId, asOf }, refills);
    if (changes.reverseLast && refills.length) {
      const claimId = refills[refills.length - 1].claimId;
      const claim = out.claims[out.claims.length - 1];
      if (claim.id !== claimId) throw new Error('demo: the reversed claim is not the last one');
      Object.assign(claim, { status: 'reversed', reversed_by: changes.reverseLast.userId, reversed_at: changes.reverseLast.at, reversal_reason: changes.reverseLast.reason });
      out.claimEvents.push({ claim_id: claimId, person_id: person.id, user_id: changes.reverseLast.userId, from_status: 'settled', to_status: 'reversed', at: changes.reverseLast.at });
      ({ state, last } = history[history.length - 1]);
    }
    if (changes.pharmacyFill) {
      const f = changes.pharmacyFill;
      const claimId = Random.forKey(`demo:pharmacy-fill:${person.id}`).uuid();
      settleOne(claimId, f.date, f.institutionId, 'pharmacy', f.userId, f.lines);
      f.onSettled(claimId);
    }
  }
  if (Object.keys(state.pools).length) out.accumulators.push({ person_id: person.id, year: state.year, pools: JSON.stringify(state.pools), last_service_date: last });
  return first;
}

type Prescribed = Array<{ drug: Drug; disease: string; days: number }>;
type InstitutionLevel = 'grassroots' | 'secondary' | 'tertiary' | 'pharmacy';

/** One refill of the prescribed drugs: the packs that last the prescription's days. */
const refillLines = (prescribed: Prescribed): DemoRefill['lines'] =>
  prescribed.map((p) => ({ drug: p.drug, disease: p.disease, days: p.days, quantity: Math.max(1, Math.ceil((p.days * p.drug.dailyUnits) / p.drug.packSize)) }));

/**
 * Where a refill is bought for a draw w ∈ [0, 1): 7 % at the county hospital, 2 % of employees' at the
 * city's tertiary hospital, 9 % at a chain pharmacy of the county (picked with `rng`); null: the team's centre.
 */
function purchaseVenue(w: number, rng: Random, person: DemoPerson, venues?: Venues): { institutionId: string; level: InstitutionLevel } | null {
  const countyCode = person.region_code.slice(0, 6);
  const hospital = venues?.hospital.get(countyCode);
  const pharmacies = venues?.pharmacies.get(countyCode) ?? [];
  if (w < 0.07 && hospital) return { institutionId: hospital, level: 'secondary' };
  if (w < 0.09 && venues?.tertiary && person.insurance_type === 'employee') return { institutionId: venues.tertiary, level: 'tertiary' };
  if (w < 0.18 && pharmacies.length) return { institutionId: rng.pick(pharmacies), level: 'pharmacy' };
  return null;
}

/**
 * One purchase settled by the engine on the person's state of the claim's year, written as the counter
 * writes it: the claim, its lines and its settled event (settled at 10:00 on the day). Answers the
 * engine's settlement (its newState: the person's state after the claim).
 */
function writeClaim(
  out: ProgrammeRows, person: DemoPerson, policy: BookEntry, state: PersonYearState,
  c: { id: string; date: IsoDate; institutionId: string; level: InstitutionLevel; by: string; lines: DemoRefill['lines'] },
) {
  const { id: claimId, date, lines } = c;
  const rows = lines.map((p, i) => ({ line_no: i + 1, drug_code: p.drug.code, quantity: p.quantity, unit_price_fen: p.drug.priceFen, amount_fen: p.quantity * p.drug.priceFen, days_supply: p.days, disease_code: p.disease }));
  const result = settle(policy.compiled, state, {
    claimId, serviceDate: date, insuranceType: person.insurance_type, institutionLevel: c.level, scope: 'two_disease',
    lines: rows.map((l, i) => ({ lineId: String(l.line_no), amountFen: l.amount_fen, disease: l.disease_code, daysSupply: l.days_supply, lists: lines[i].drug.lists })),
  });
  const t = result.totals;
  const at = ts(date, 10);
  out.claims.push({
    id: claimId, person_id: person.id, institution_id: c.institutionId, idempotency_key: `demo-${claimId}`, request_hash: 'demo', service_date: date,
    insurance_type: person.insurance_type, institution_level: c.level, policy_id: policy.id, amount_fen: t.amount, fund_pay_fen: t.fundPay,
    deductible_fen: t.deductible, copay_fen: t.copay, over_limit_fen: t.overLimit, critical_illness_fen: t.criticalIllness,
    settled_by: c.by, settled_at: at, status: 'settled', reversed_by: null, reversed_at: null, reversal_reason: null,
  });
  rows.forEach((l, i) => {
    const s = result.lines[i];
    out.claimLines.push({
      claim_id: claimId, person_id: person.id, ...l, scope: 'two_disease', scope_reason: 'registered_disease', benefit: s.benefit, reason: s.reason, ratio_bp: s.ratioBp,
      fund_pay_fen: s.fundPay, deductible_fen: s.deductible, copay_fen: s.copay, over_limit_fen: s.overLimit, fund_remaining_fen: s.fundRemaining, explanation: s.explanation,
      critical_illness_fen: s.criticalIllness, drug_lists: `{${lines[i].drug.lists.join(',')}}`,
    });
  });
  out.claimEvents.push({ claim_id: claimId, person_id: person.id, user_id: c.by, from_status: null, to_status: 'settled', at });
  return result;
}

/**
 * The share of a county's patients who were still on a costlier non-procured drug (vbp false) of their
 * procured drug's class last year and switched to the procured one on 1 January: 5–25 %, drawn from the
 * county code. The programme's growth (patients registered during last year or this one) makes the same
 * patients dearer this year; the switches make their last year dearer — where many switched, the same
 * patients cost less this year than last, where few did, more (docs/demo.md).
 */
export function lastYearSwitchRate(countyCode: string): number {
  return 0.05 + 0.2 * Random.forKey(`demo:last-year-switch:${countyCode}`).next();
}

/**
 * The non-procured drug of the same class that a patient of the procured one took before switching: of the
 * same classes and disease, on the chronic-disease list, dearer a day — the cheapest such (amlodipine's is
 * nifedipine II, an ARB's sacubitril/valsartan, sitagliptin's linagliptin); null when the catalogue has none
 * (the ACE inhibitors, metformin, the insulins).
 */
const alternatives = new WeakMap<Drug[], Map<string, Drug | null>>();
export function costlierAlternative(drug: Drug, drugs: Drug[]): Drug | null {
  let known = alternatives.get(drugs);
  if (!known) alternatives.set(drugs, (known = new Map()));
  if (known.has(drug.code)) return known.get(drug.code)!;
  const daily = (d: Drug) => (d.priceFen * d.dailyUnits) / d.packSize;
  const found = drugs
    .filter((d) => !d.vbp && d.lists.includes(CHRONIC_COMMON_LIST) && d.diseases.length === drug.diseases.length && d.diseases.every((x) => drug.diseases.includes(x))
      && d.classes.length === drug.classes.length && d.classes.every((x) => drug.classes.includes(x)) && daily(d) > daily(drug))
    .sort((a, b) => daily(a) - daily(b) || (a.code < b.code ? -1 : 1))[0] ?? null;
  known.set(drug.code, found);
  return found;
}

/**
 * Last year's refills of a patient whose registration took effect before this year: purchases alone (the
 * prescriptions, dispenses and deliveries are this year's), at the venues of this year's, from the
 * registration or 1 January to 31 December (or the day before a death last year), settled in date order on
 * last year's state, with last year's accumulator row. The refills run back from this year's first one, one
 * every prescription period, so the rhythm goes on across New Year (no early refill at the turn of the year
 * for the smart audit to find). Some patients were still on a costlier non-procured drug of the same class
 * (lastYearSwitchRate). Their own stream, so the rest of the city stays what it was.
 */
function addLastYearRefills(
  out: ProgrammeRows, person: DemoPerson, team: DemoCity['teams'][number], users: { doctorUser: string; settledBy: string }, prescribed: Prescribed, drugs: Drug[],
  dates: { effective: IsoDate; firstThisYear: IsoDate; died: IsoDate | null; asOf: IsoDate }, policy: BookEntry, venues: Venues,
) {
  const year = Number(dates.asOf.slice(0, 4)) - 1;
  const from = maxDate(dates.effective, `${year}-01-01`);
  const december31 = `${year}-12-31`;
  const end = dates.died && dates.died <= december31 ? addDays(dates.died, -1) : december31;
  if (from > end) return;
  const rng = Random.forKey(`demo:last-year:${person.id}`);
  const period = Math.min(...prescribed.map((p) => p.days));
  const switched = rng.chance(lastYearSwitchRate(person.region_code.slice(0, 6)));
  const lines = refillLines(switched ? prescribed.map((p) => ({ ...p, drug: costlierAlternative(p.drug, drugs) ?? p.drug })) : prescribed);
  const days: IsoDate[] = [];
  const step = () => period + rng.int(-3, 7);
  // the first step back from this year's first refill is kept in last year (that refill can come less than a period after 1 January)
  for (let date = minDate(addDays(dates.firstThisYear, -step()), december31); date >= from; date = addDays(date, -step())) if (date <= end) days.push(date);
  let state: PersonYearState = { year, pools: {} };
  let last: IsoDate | null = null;
  for (const date of days.reverse()) {
    const elsewhere = purchaseVenue(rng.next(), rng, person, venues);
    const claim = elsewhere
      ? { id: rng.uuid(), date, ...elsewhere, by: users.doctorUser, lines }
      : { id: rng.uuid(), date, institutionId: team.institution_id, level: 'grassroots' as const, by: users.settledBy, lines };
    state = writeClaim(out, person, policy, state, claim).newState;
    last = date;
  }
  if (Object.keys(state.pools).length) out.accumulators.push({ person_id: person.id, year, pools: JSON.stringify(state.pools), last_service_date: last });
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

/**
 * Follow-up visits for a registered patient since the start of last year (or the registration), classified
 * by the engine so classification, action and next date are what the rules give: visits come around the
 * next date the previous one set (a recheck often late, an irregular patient's routine visit too), each
 * patient's readings move towards their own level under treatment, and about one in eight stopped coming
 * (no visit or health check since). Its own generator (seeded by the person id) keeps the rest of the city
 * what it was.
 */
function addFollowupHistory(out: ProgrammeRows, person: DemoPerson, team: DemoCity['teams'][number], userId: string, drugs: Drug[], asOf: IsoDate, effective: IsoDate, until: IsoDate = asOf): IsoDate[] {
  const visitDates: IsoDate[] = [];
  const rng = Random.forKey(`followups:${person.id}`);
  const diseases = person.conditions.map((c) => c.disease_code);
  const hasDm = diseases.includes('diabetes');
  // about one in eight stopped coming after a few visits (lost to follow-up a year later: no visit and no
  // health check since). Treatment moves each patient towards their own level: at target for a little over
  // half, above it for the rest, some of whom come down slowly over the months (docs/demo.md)
  const lapsed = rng.chance(0.13);
  // one in four comes irregularly (routine visits often weeks late: some have no visit in a quarter)
  const irregular = Random.forKey(`demo:irregular:${person.id}`).chance(0.25);
  const maxVisits = lapsed ? rng.int(1, 3) : 60;
  const responsive = rng.chance(0.55);
  const improving = !responsive && rng.chance(0.35);
  let sys = rng.int(132, 178);
  let dia = Math.min(sys - 35, rng.int(80, 104));
  let glu = rng.int(66, 130);
  let sysLevel = responsive ? rng.int(116, 136) : rng.int(142, 168);
  const gluLevel = rng.chance(0.6) ? rng.int(52, 66) : rng.int(72, 110);
  const male = person.sex === 'male';
  const smoking = male && rng.chance(0.3) ? rng.pick([5, 10, 20]) : 0;
  const weight = male ? rng.int(600, 850) : rng.int(480, 720);
  const height = male ? rng.int(1620, 1800) : rng.int(1500, 1680);
  const drugList = JSON.stringify(drugs.map((d) => ({ name: d.genericNameZh, dose: d.strength, frequency: 'qd' })));
  let previous: Partial<Record<Disease, PreviousVisit | null>> = {};
  let last: { id: string; date: IsoDate; result: ClassifyResult; controlled: boolean | null } | null = null;
  // visits since the start of last year (at least 15 months), so last year's quarters have their follow-ups
  // too — from the registration on, for one registered since
  const lastJanuary = `${Number(asOf.slice(0, 4)) - 1}-01-01`;
  const earliest = lastJanuary < addMonths(asOf, -15) ? lastJanuary : addMonths(asOf, -15);
  const historyStart = addDays(earliest, -(rng.int(700, 760) - 700));
  let date = effective > historyStart ? addDays(effective, rng.int(0, 14)) : historyStart;
  for (let n = 0; n < maxVisits && date <= until; n++) {
    // a patient with both diseases is sometimes seen for the blood pressure only (no glucose that day)
    const seen: Disease[] = diseases.length === 2 && rng.chance(0.15) ? ['hypertension'] : diseases;
    const readings = {
      systolic: sys + rng.int(-4, 4), diastolic: 0, heartRate: rng.int(60, 92), weightTenthsKg: weight + rng.int(-15, 15), heightTenthsCm: height,
      fastingGlucoseTenths: hasDm ? Math.max(35, glu + rng.int(-6, 6)) : null,
    };
    readings.diastolic = Math.min(readings.systolic - 25, dia + rng.int(-4, 4));
    const adverse = rng.chance(0.03) ? 'present' as const : 'none' as const;
    if (!seen.includes('diabetes')) readings.fastingGlucoseTenths = null;
    const result = classifyVisit({ visitDate: date, birthDate: person.birth_date, diseases: seen, readings, adverseReaction: adverse, previous });
    const id = rng.uuid();
    const referral = result.action === 'refer_and_check' ? '建议转诊至上级医院，2周内随访了解转诊结果' : result.action === 'urgent_referral' ? '紧急转诊至上级医院' : null;
    out.followups.push({
      id, person_id: person.id, visit_date: date, diseases: `{${seen.join(',')}}`, mode: rng.weighted([['clinic', 60], ['home', 15], ['phone', 15], ['online', 10]] as const),
      systolic: readings.systolic, diastolic: readings.diastolic, heart_rate: readings.heartRate, weight_tenths_kg: readings.weightTenthsKg, height_tenths_cm: height,
      bmi_tenths: bmiTenths(readings.weightTenthsKg, height), fasting_glucose_tenths: readings.fastingGlucoseTenths, smoking_per_day: smoking,
      exercise_per_week: rng.int(0, 7), salt_intake: rng.weighted([['light', 3], ['moderate', 5], ['heavy', 2]] as const),
      adherence: rng.weighted([['regular', 7], ['intermittent', 2], ['none', 1]] as const), drugs: drugList, adverse_reaction: adverse,
      classification: result.classification, action: result.action, next_visit_date: result.nextVisitDate,
      per_disease: JSON.stringify(result.perDisease.map((p) => ({ disease: p.disease, classification: p.classification, action: p.action, nextVisitDate: p.nextVisitDate }))),
      reasons: JSON.stringify(result.codes.map((code, i) => ({ code, text: result.reasons[i] }))),
      referral_advice: referral, recorded_by: userId, team_id: team.id, created_at: ts(date, 9 + rng.int(0, 7)),
    });
    let controlled: boolean | null = null;
    for (const d of seen) {
      const c = isControlled(d, readings, result.age);
      if (c === false) { controlled = false; break; }
      if (c === true) controlled = true;
    }
    last = { id, date, result, controlled };
    visitDates.push(date);
    // judged on that visit's own readings (a 不良反应 visit with BP off target still counts as a failure)
    previous = { ...previous, ...Object.fromEntries(result.perDisease.map((p) => [p.disease, { visitDate: date, readings }])) };
    // treatment responds after an unsatisfactory visit; otherwise a slow drift
    // (a referral brings even a slow responder down: the specialist changes the regimen)
    if (result.action !== 'routine') {
      // an adjustment closes part of the gap to the patient's level
      sys -= Math.round((sys - sysLevel) * rng.int(40, 70) / 100);
      dia -= Math.round(Math.max(0, dia - 84) * rng.int(30, 60) / 100);
      glu -= Math.round((glu - gluLevel) * rng.int(40, 70) / 100);
    } else {
      sys += rng.int(-3, 4);
      glu += rng.int(-2, 3);
    }
    if (improving) sysLevel = Math.max(130, sysLevel - rng.int(0, 3));
    sys = Math.max(108, Math.min(200, sys));
    dia = Math.max(62, Math.min(sys - 35, dia));
    glu = Math.max(48, Math.min(200, glu));
    // most come a little before the date the visit set, an irregular patient often weeks late; a recheck
    // (two weeks) is kept by about a quarter, the others come back some two months later
    const late = result.action !== 'routine' ? (rng.chance(0.25) ? rng.int(0, 10) : rng.int(40, 80)) : irregular && rng.chance(0.7) ? rng.int(20, 100) : 0;
    date = addDays(result.nextVisitDate, rng.int(-12, 5) + late);
  }
  if (last) {
    out.followupStates.push({
      person_id: person.id, last_visit_id: last.id, last_visit_date: last.date, next_visit_date: last.result.nextVisitDate, due_date: last.result.nextVisitDate,
      last_classification: last.result.classification, last_action: last.result.action, last_controlled: last.controlled,
    });
  }
  const yearStart = `${asOf.slice(0, 4)}-01-01`;
  // the annual health check: three in five this year so far, somewhat more last year; while registered, and
  // never after a lapsed patient's last visit
  const lastYear = `${Number(asOf.slice(0, 4)) - 1}-01-01`;
  const checksUntil = lapsed ? (last?.date ?? effective) : until;
  const lastYearFrom = maxDate(lastYear, effective);
  const lastYearTo = `${lastYear.slice(0, 4)}-12-31` < checksUntil ? `${lastYear.slice(0, 4)}-12-31` : checksUntil;
  if (rng.chance(0.7) && lastYearFrom <= lastYearTo) {
    out.healthChecks.push({
      id: rng.uuid(), person_id: person.id, check_date: addDays(lastYearFrom, rng.int(0, daysBetween(lastYearFrom, lastYearTo))), systolic: sys + rng.int(-6, 10), diastolic: dia,
      heart_rate: rng.int(60, 90), weight_tenths_kg: weight, height_tenths_cm: height, bmi_tenths: bmiTenths(weight, height), fasting_glucose_tenths: hasDm ? glu : rng.int(45, 60),
      ecg: rng.chance(0.85) ? 'normal' : 'abnormal', recorded_by: userId, team_id: team.id,
    });
  }
  const thisYearFrom = maxDate(yearStart, effective);
  if (rng.chance(0.6) && thisYearFrom <= checksUntil) {
    const checkDate = addDays(thisYearFrom, rng.int(0, daysBetween(thisYearFrom, checksUntil)));
    out.healthChecks.push({
      id: rng.uuid(), person_id: person.id, check_date: checkDate, systolic: sys, diastolic: dia, heart_rate: rng.int(60, 90), weight_tenths_kg: weight, height_tenths_cm: height,
      bmi_tenths: bmiTenths(weight, height), fasting_glucose_tenths: hasDm ? glu : rng.int(45, 60), ecg: rng.chance(0.85) ? 'normal' : 'abnormal', recorded_by: userId, team_id: team.id,
    });
  }
  return visitDates;
}
