// Writes the synthetic city into an empty database: providers and demo users, then residents
// with their contracts and registrations in batches (each batch one transaction, reported through
// onProgress). Demo users exist only in a database the demo city was loaded into.
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import { insertMany } from '../../db/bulk';
import { hashPassword } from '../auth/service';
import { insertPeople } from '../people/service';
import { loadDrugs, loadRegions } from '../reference/service';
import { buildCity, type DemoCity } from './city';
import { type DemoPerson, generatePeople } from './people';
import { PolicyBook } from '../../core/policyBook';
import { addProgramme, type DemoActors, emptyProgramme, type ProgrammeRows } from './programme';
import { Random } from './random';
import { loadDemoReferrals } from './referrals';
import { buildStock, type DemoDispensing, dispensingStaff } from './dispensing';
import { prescriptionParams } from '../../engine/prescription/params';
import { auditDemo } from './audit';
import { loadDemoAuditReview } from './auditReview';
import { buildMonths, recentMonths } from '../indicators/service';

export const DEMO_PASSWORD = 'manbing-demo';
export const DEMO_CITY = '3304'; // Jiaxing 嘉兴
/** The demo users a newcomer is told about; every other team and county has its own too. */
export const DEMO_MAIN_USERS = ['doctor', 'specialist', 'pharmacist', 'centre-pharmacist', 'delivery', 'reviewer', 'analyst', 'admin', 'patient'];
const BATCH = 2000;

export interface DemoOptions {
  patients: number;
  seed: number;
  /** The day the city's history runs up to ('YYYY-MM-DD'). */
  asOf: string;
  onProgress?: (done: number, total: number) => void;
  /** Plant a few irregularities and run the smart audit over the last 30 days (`manbing start`'s demo); off, the city stays as generated. */
  audit?: boolean;
}

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const row = await db.selectFrom('institution').select('id').limit(1).executeTakeFirst();
  return !row;
}

export async function loadDemoCity(db: Database, options: DemoOptions) {
  if (!(await isDatabaseEmpty(db))) throw new Error('The database already holds data; the demo city loads only into an empty database.');
  const rng = new Random(options.seed);
  const city = buildCity(rng, loadRegions(), DEMO_CITY);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { users, actors } = demoStaff(rng, city);
  const drugs = loadDrugs();
  const policy = PolicyBook.load().forRegion(DEMO_CITY, options.asOf);
  if (!policy) throw new Error(`No benefit policy in force for ${DEMO_CITY} on ${options.asOf}`);
  const pharmacistUser = users.find((u) => u.username === 'pharmacist')!;
  const staff = dispensingStaff(city, { id: pharmacistUser.id, institutionId: pharmacistUser.institution_id! }, city.teams[0].institution_id);
  const stock = buildStock(city, drugs, options.patients, options.asOf);
  const params = { resident: prescriptionParams(policy.policy, 'resident'), employee: prescriptionParams(policy.policy, 'employee') };
  const pharmaciesByCounty = new Map<string, DemoCity['institutions']>();
  for (const i of city.institutions) if (i.kind === 'pharmacy') pharmaciesByCounty.set(i.county_code, [...(pharmaciesByCounty.get(i.county_code) ?? []), i]);
  const dispensing: DemoDispensing = {
    validityDays: params.resident.validityDays, params, stock: stock.stock, pharmacistUser: staff.pharmacistUser, delivery: staff.delivery, pharmaciesByCounty,
    institutionCode: new Map(city.institutions.map((i) => [i.id, i.code])), drugs: new Map(drugs.map((d) => [d.code, d])), nextNo: 1,
  };

  await db.transaction().execute(async (trx) => {
    await insertMany(trx, 'medical_community', { id: 'uuid', name: 'text', county_code: 'text' }, city.communities);
    // upper institutions are listed before the ones that point at them
    await insertMany(trx, 'institution', {
      id: 'uuid', code: 'text', name: 'text', level: 'text', kind: 'text', county_code: 'text', region_code: 'text',
      medical_community_id: 'uuid', upper_institution_id: 'uuid', address: 'text', phone: 'text',
    }, city.institutions);
    await insertMany(trx, 'practitioner', { id: 'uuid', name: 'text', profession: 'text', institution_id: 'uuid', license_no: 'text' }, city.practitioners);
    await insertMany(trx, 'family_doctor_team', { id: 'uuid', name: 'text', institution_id: 'uuid', leader_id: 'uuid', phone: 'text' }, city.teams);
    await insertMany(trx, 'team_member', { team_id: 'uuid', practitioner_id: 'uuid', member_role: 'text' }, city.members);
    await insertMany(trx, 'delivery_provider', { id: 'uuid', code: 'text', name: 'text', county_code: 'text', phone: 'text' }, staff.providers);
    await insertMany(trx, 'app_user', {
      id: 'uuid', username: 'text', display_name: 'text', role: 'text', practitioner_id: 'uuid', team_id: 'uuid', institution_id: 'uuid', region_code: 'text', delivery_provider_id: 'uuid', password_hash: 'text', demo: 'boolean',
    }, [...users, ...staff.users].map((u) => ({ ...u, password_hash: passwordHash, demo: true })));
    await insertMany(trx, 'stock_batch', { institution_id: 'uuid', drug_code: 'text', batch_no: 'text', expiry_date: 'date', received: 'integer', on_hand: 'integer', received_at: 'timestamptz' }, stock.batches);
    await insertMany(trx, 'stock_movement', { institution_id: 'uuid', drug_code: 'text', batch_no: 'text', kind: 'text', quantity: 'integer', at: 'timestamptz', note: 'text' }, stock.movements);
  });

  const teamsByTown = new Map<string, DemoCity['teams']>();
  for (const team of city.teams) teamsByTown.set(team.town_code, [...(teamsByTown.get(team.town_code) ?? []), team]);
  const doctorTeam = city.teams[0];
  let demoPatient: DemoPerson | undefined;
  let done = 0;
  let people: DemoPerson[] = [];
  let programme = emptyProgramme();
  const flush = async () => {
    await db.transaction().execute((trx) => writeBatch(trx, people, programme));
    people = [];
    programme = emptyProgramme();
  };
  for (const person of generatePeople(rng, city, options.patients, options.asOf)) {
    people.push(person);
    // the demo patient: the first hypertension patient of the demo doctor's town, contracted with
    // the doctor's team and confirmed, so every role's screens have someone to show
    const isDemoPatient = !demoPatient && person.region_code === doctorTeam.town_code && person.conditions.some((c) => c.disease_code === 'hypertension');
    if (isDemoPatient) demoPatient = person;
    addProgramme(rng, programme, person, city, teamsByTown, drugs, actors, options.asOf, { policy, dispensing }, isDemoPatient ? doctorTeam : undefined);
    if (person.conditions.length) done++;
    if (people.length === BATCH) {
      await flush();
      options.onProgress?.(done, options.patients);
    }
  }
  await flush();
  options.onProgress?.(done, options.patients);

  if (demoPatient)
    await db.insertInto('app_user').values({ username: 'patient', display_name: demoPatient.name, role: 'patient', person_id: demoPatient.id, password_hash: passwordHash, demo: true }).execute();
  // the numbers the demo gave its prescriptions are behind the sequence the product numbers them with
  await sql`select setval('prescription_no_seq', ${dispensing.nextNo})`.execute(db);
  // the hospitals' doctors and two-way referrals (双向转诊) in every state, from what was loaded above
  await db.transaction().execute((trx) => loadDemoReferrals(trx, city, { passwordHash, asOf: options.asOf, seed: options.seed, patients: options.patients }));
  // freshly bulk-loaded tables have no statistics and no visibility map: without this the planner
  // picks hash joins over whole tables (seconds) where index-only lookups take milliseconds
  await sql`vacuum analyze`.execute(db);
  const audited = options.audit ? await auditDemo(db, PolicyBook.load(), options.asOf) : null;
  // the county reviewers' decisions on what it found, and their samples of the claims it did not flag
  if (options.audit) await loadDemoAuditReview(db, { asOf: options.asOf, seed: options.seed });
  // every patient's state at the end of each month of this year and last (the indicators), from what is now recorded
  await buildMonths(db, recentMonths(options.asOf));
  await sql`analyze indicator_month`.execute(db);
  return { institutions: city.institutions.length, teams: city.teams.length, patients: done, auditFindings: audited?.findings ?? null };
}

async function writeBatch(db: Database, people: DemoPerson[], p: ProgrammeRows) {
  await insertPeople(db, people);
  await insertMany(db, 'person_condition', { person_id: 'uuid', disease_code: 'text', diagnosed_on: 'date', source: 'text', institution_id: 'uuid' },
    people.flatMap((person) => person.conditions.map((c) => ({ person_id: person.id, ...c }))));
  await insertMany(db, 'contract', {
    id: 'uuid', person_id: 'uuid', team_id: 'uuid', doctor_id: 'uuid', start_date: 'date', end_date: 'date', packages: 'text[]', consent_signer: 'text',
    consent_signer_name: 'text', consent_signed_at: 'timestamptz', status: 'text', previous_contract_id: 'uuid', terminated_on: 'date', termination_reason: 'text',
  }, p.contracts);
  await insertMany(db, 'contract_event', { contract_id: 'uuid', person_id: 'uuid', user_id: 'uuid', action: 'text', from_status: 'text', to_status: 'text', at: 'timestamptz', reason: 'text' }, p.contractEvents);
  await insertMany(db, 'registration_filing', {
    id: 'uuid', person_id: 'uuid', contract_id: 'uuid', team_id: 'uuid', county_code: 'text', kind: 'text', status: 'text', filed_by: 'uuid', submitted_at: 'timestamptz',
    decided_at: 'timestamptz', decided_by: 'uuid', decision_reason: 'text', effective_date: 'date', confirmation: 'text', revocation_reason: 'text', death_date: 'date',
  }, p.filings);
  await insertMany(db, 'filing_disease', { filing_id: 'uuid', person_id: 'uuid', disease_code: 'text', action: 'text', diagnosed_on: 'date', basis: 'jsonb', open: 'boolean' }, p.filingDiseases);
  await insertMany(db, 'filing_prescription_line', { filing_id: 'uuid', person_id: 'uuid', line_no: 'integer', drug_code: 'text', dose: 'text', frequency: 'text', days_supply: 'integer', dispensing: 'text', pharmacy_id: 'uuid' }, p.filingLines);
  await insertMany(db, 'filing_event', { filing_id: 'uuid', person_id: 'uuid', user_id: 'uuid', from_status: 'text', to_status: 'text', at: 'timestamptz' }, p.filingEvents);
  await insertMany(db, 'registration', {
    id: 'uuid', person_id: 'uuid', disease_code: 'text', effective_from: 'date', effective_to: 'date', diagnosed_on: 'date', confirmed_filing_id: 'uuid', ended_filing_id: 'uuid',
  }, p.registrations);
  await insertMany(db, 'continuous_prescription', {
    id: 'uuid', person_id: 'uuid', filing_id: 'uuid', line_no: 'integer', drug_code: 'text', dose: 'text', frequency: 'text', days_supply: 'integer',
    dispensing: 'text', pharmacy_id: 'uuid', effective_from: 'date', effective_to: 'date',
  }, p.prescriptions);
  await insertMany(db, 'claim', {
    id: 'uuid', person_id: 'uuid', institution_id: 'uuid', idempotency_key: 'text', request_hash: 'text', service_date: 'date', insurance_type: 'text',
    institution_level: 'text', policy_id: 'text', amount_fen: 'bigint', fund_pay_fen: 'bigint', deductible_fen: 'bigint', copay_fen: 'bigint',
    over_limit_fen: 'bigint', critical_illness_fen: 'bigint', settled_by: 'uuid', settled_at: 'timestamptz', status: 'text', reversed_by: 'uuid', reversed_at: 'timestamptz', reversal_reason: 'text',
  }, p.claims);
  await insertMany(db, 'claim_line', {
    claim_id: 'uuid', person_id: 'uuid', line_no: 'integer', drug_code: 'text', quantity: 'integer', unit_price_fen: 'integer', amount_fen: 'bigint', days_supply: 'integer',
    disease_code: 'text', scope: 'text', scope_reason: 'text', benefit: 'text', reason: 'text', ratio_bp: 'integer', fund_pay_fen: 'bigint',
    deductible_fen: 'bigint', copay_fen: 'bigint', over_limit_fen: 'bigint', fund_remaining_fen: 'bigint', explanation: 'text', critical_illness_fen: 'bigint', drug_lists: 'text[]',
  }, p.claimLines);
  await insertMany(db, 'claim_event', { claim_id: 'uuid', person_id: 'uuid', user_id: 'uuid', from_status: 'text', to_status: 'text', at: 'timestamptz' }, p.claimEvents);
  await insertMany(db, 'benefit_accumulator', { person_id: 'uuid', year: 'integer', pools: 'jsonb', last_service_date: 'date' }, p.accumulators);
  const rx = p.rx;
  await insertMany(db, 'prescription', {
    id: 'uuid', person_id: 'uuid', prescription_no: 'text', origin: 'text', institution_id: 'uuid', county_code: 'text', team_id: 'uuid', doctor_id: 'uuid', written_on: 'date',
    valid_until: 'date', days_supply: 'integer', stable_reason: 'text', renewal_of: 'uuid', fill_place: 'text', fill_institution_id: 'uuid', delivery_address: 'text', status: 'text',
    findings: 'jsonb', reviewed_by: 'uuid', reviewed_at: 'timestamptz', review_note: 'text', override_reason: 'text', created_at: 'timestamptz', submitted_at: 'timestamptz', approved_at: 'timestamptz',
  }, rx.rx);
  await insertMany(db, 'prescription_line', {
    prescription_id: 'uuid', line_no: 'integer', person_id: 'uuid', drug_code: 'text', dose_milli: 'integer', frequency: 'text', days_supply: 'integer', quantity: 'integer', dispensed_quantity: 'integer',
  }, rx.rxLines);
  await insertMany(db, 'prescription_event', { person_id: 'uuid', prescription_id: 'uuid', at: 'timestamptz', user_id: 'uuid', action: 'text', from_status: 'text', to_status: 'text', reason: 'text', detail: 'jsonb' }, rx.rxEvents);
  await insertMany(db, 'renewal_request', {
    id: 'uuid', person_id: 'uuid', prescription_id: 'uuid', team_id: 'uuid', status: 'text', note: 'text', requested_at: 'timestamptz', handled_by: 'uuid', handled_at: 'timestamptz', decline_reason: 'text', renewal_id: 'uuid',
  }, rx.renewalRequests);
  await insertMany(db, 'dispense', {
    id: 'uuid', person_id: 'uuid', prescription_id: 'uuid', institution_id: 'uuid', claim_id: 'uuid', status: 'text', delivery: 'boolean', dispensed_by: 'uuid', dispensed_at: 'timestamptz',
    returned_by: 'uuid', returned_at: 'timestamptz', return_reason: 'text',
  }, rx.dispenses);
  await insertMany(db, 'dispense_line', { dispense_id: 'uuid', line_no: 'integer', person_id: 'uuid', prescription_line_no: 'integer', drug_code: 'text', batch_no: 'text', expiry_date: 'date', quantity: 'integer' }, rx.dispenseLines);
  await insertMany(db, 'delivery_order', {
    id: 'uuid', person_id: 'uuid', prescription_id: 'uuid', dispense_id: 'uuid', provider_id: 'uuid', institution_id: 'uuid', status: 'text', address: 'text', phone: 'text',
    recheck1_by: 'uuid', recheck1_at: 'timestamptz', recheck2_by: 'uuid', recheck2_at: 'timestamptz', out_at: 'timestamptz', out_by: 'uuid', finished_at: 'timestamptz', finished_by: 'uuid',
    failure_reason: 'text', proof_media_type: 'text', proof_size_bytes: 'integer', proof: 'bytea', created_by: 'uuid', created_at: 'timestamptz',
  }, rx.deliveryOrders);
  await insertMany(db, 'delivery_event', { person_id: 'uuid', order_id: 'uuid', at: 'timestamptz', user_id: 'uuid', from_status: 'text', to_status: 'text', reason: 'text' }, rx.deliveryEvents);
  await insertMany(db, 'followup_visit', {
    id: 'uuid', person_id: 'uuid', visit_date: 'date', diseases: 'text[]', mode: 'text', systolic: 'smallint', diastolic: 'smallint', heart_rate: 'smallint',
    weight_tenths_kg: 'integer', height_tenths_cm: 'integer', bmi_tenths: 'integer', fasting_glucose_tenths: 'integer', smoking_per_day: 'smallint',
    exercise_per_week: 'smallint', salt_intake: 'text', adherence: 'text', drugs: 'jsonb', adverse_reaction: 'text', classification: 'text', action: 'text',
    next_visit_date: 'date', per_disease: 'jsonb', reasons: 'jsonb', referral_advice: 'text', recorded_by: 'uuid', team_id: 'uuid', created_at: 'timestamptz',
  }, p.followups);
  await insertMany(db, 'followup_state', {
    person_id: 'uuid', last_visit_id: 'uuid', last_visit_date: 'date', next_visit_date: 'date', due_date: 'date', last_classification: 'text', last_action: 'text', last_controlled: 'boolean',
  }, p.followupStates);
  await insertMany(db, 'health_check', {
    id: 'uuid', person_id: 'uuid', check_date: 'date', systolic: 'smallint', diastolic: 'smallint', heart_rate: 'smallint', weight_tenths_kg: 'integer', height_tenths_cm: 'integer',
    bmi_tenths: 'integer', fasting_glucose_tenths: 'integer', ecg: 'text', recorded_by: 'uuid', team_id: 'uuid',
  }, p.healthChecks);
}

interface DemoUser {
  id: string;
  username: string;
  display_name: string;
  role: string;
  practitioner_id: string | null;
  team_id: string | null;
  institution_id: string | null;
  region_code: string | null;
}

/**
 * Demo users: `doctor` leads the first team (each other team's lead is doctor-NNN), `reviewer` works
 * for the first county's agency (others reviewer-<county code>), plus pharmacist, analyst and admin.
 */
function demoStaff(rng: Random, city: DemoCity) {
  const none: Pick<DemoUser, 'practitioner_id' | 'team_id' | 'institution_id' | 'region_code'> = { practitioner_id: null, team_id: null, institution_id: null, region_code: null };
  const actors: DemoActors = { doctorUser: new Map(), reviewerUser: new Map() };
  const users: DemoUser[] = [];
  city.teams.forEach((team, i) => {
    const leader = city.practitioners.find((p) => p.id === team.leader_id)!;
    const id = rng.uuid();
    actors.doctorUser.set(team.id, id);
    users.push({ ...none, id, username: i === 0 ? 'doctor' : `doctor-${String(i + 1).padStart(3, '0')}`, display_name: leader.name, role: 'family_doctor', practitioner_id: leader.id, team_id: team.id });
  });
  const counties = [...new Set(city.towns.map((t) => t.countyCode))];
  counties.forEach((county, i) => {
    const id = rng.uuid();
    actors.reviewerUser.set(county, id);
    users.push({ ...none, id, username: i === 0 ? 'reviewer' : `reviewer-${county}`, display_name: '医保经办审核员', role: 'insurance_reviewer', region_code: county });
  });
  const pharmacy = city.institutions.find((i) => i.kind === 'pharmacy' && i.county_code === counties[0])!;
  const pharmacist = city.practitioners.find((p) => p.institution_id === pharmacy.id)!;
  users.push(
    { ...none, id: rng.uuid(), username: 'pharmacist', display_name: pharmacist.name, role: 'pharmacist', practitioner_id: pharmacist.id, institution_id: pharmacy.id },
    { ...none, id: rng.uuid(), username: 'analyst', display_name: '卫健委/医保局分析员', role: 'analyst', region_code: DEMO_CITY },
    { ...none, id: rng.uuid(), username: 'admin', display_name: '系统管理员', role: 'system_admin' },
  );
  return { users, actors };
}
