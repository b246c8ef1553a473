// Writes the synthetic city into an empty database: providers, residents in batches (each batch
// one transaction, reported through onProgress) and the demo users, who exist only here.
import type { Database } from '../../db/connect';
import { insertMany } from '../../db/bulk';
import { hashPassword } from '../auth/password';
import { loadRegions } from '../reference/catalogue';
import { buildCity } from './city';
import { type DemoPerson, generatePeople } from './people';
import { Random } from './random';

export const DEMO_PASSWORD = 'manbing-demo';
export const DEMO_CITY = '3304'; // Jiaxing 嘉兴
const BATCH = 2000;

export interface DemoOptions {
  patients: number;
  seed: number;
  /** The day the city's history runs up to ('YYYY-MM-DD'). */
  asOf: string;
  onProgress?: (done: number, total: number) => void;
}

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const row = await db.selectFrom('institution').select('id').limit(1).executeTakeFirst();
  return !row;
}

export async function loadDemoCity(db: Database, options: DemoOptions) {
  if (!(await isDatabaseEmpty(db))) throw new Error('The database already holds data; the demo city loads only into an empty database.');
  const rng = new Random(options.seed);
  const city = buildCity(rng, loadRegions(), DEMO_CITY);

  await db.transaction().execute(async (trx) => {
    await insertMany(trx, 'medical_community', { id: 'uuid', name: 'text', county_code: 'text' }, city.communities);
    // upper institutions are listed before the ones that point at them
    await insertMany(trx, 'institution', {
      id: 'uuid', code: 'text', name: 'text', level: 'text', kind: 'text', county_code: 'text', region_code: 'text',
      medical_community_id: 'uuid', upper_institution_id: 'uuid',
    }, city.institutions);
    await insertMany(trx, 'practitioner', { id: 'uuid', name: 'text', profession: 'text', institution_id: 'uuid', license_no: 'text' }, city.practitioners);
    await insertMany(trx, 'family_doctor_team', { id: 'uuid', name: 'text', institution_id: 'uuid', leader_id: 'uuid' }, city.teams);
    await insertMany(trx, 'team_member', { team_id: 'uuid', practitioner_id: 'uuid', member_role: 'text' }, city.members);
  });

  const doctorTeam = city.teams[0];
  let demoPatient: DemoPerson | undefined;
  let done = 0;
  let batch: DemoPerson[] = [];
  const flush = async () => {
    await db.transaction().execute(async (trx) => {
      await insertMany(trx, 'person', {
        id: 'uuid', name: 'text', sex: 'text', birth_date: 'date', id_number: 'text', phone: 'text', region_code: 'text',
        address: 'text', insurance_type: 'text', insured_since: 'date',
      }, batch);
      await insertMany(trx, 'person_condition', { person_id: 'uuid', disease_code: 'text', diagnosed_on: 'date', source: 'text', institution_id: 'uuid' },
        batch.flatMap((p) => p.conditions.map((c) => ({ person_id: p.id, ...c }))));
    });
    batch = [];
  };
  for (const person of generatePeople(rng, city, options.patients, options.asOf)) {
    batch.push(person);
    if (person.conditions.length) done++;
    demoPatient ??= person.region_code === doctorTeam.town_code && person.conditions.some((c) => c.disease_code === 'hypertension') ? person : undefined;
    if (batch.length === BATCH) {
      await flush();
      options.onProgress?.(done, options.patients);
    }
  }
  await flush();
  options.onProgress?.(done, options.patients);

  await insertDemoUsers(db, city, doctorTeam, demoPatient);
  return { institutions: city.institutions.length, teams: city.teams.length, patients: done };
}

async function insertDemoUsers(db: Database, city: ReturnType<typeof buildCity>, team: (typeof city.teams)[number], patient: DemoPerson | undefined) {
  const hash = await hashPassword(DEMO_PASSWORD);
  const leader = city.practitioners.find((p) => p.id === team.leader_id)!;
  const firstCounty = city.towns[0].countyCode;
  const pharmacy = city.institutions.find((i) => i.kind === 'pharmacy' && i.county_code === firstCounty)!;
  const pharmacist = city.practitioners.find((p) => p.institution_id === pharmacy.id)!;
  const none = { practitioner_id: null, team_id: null, institution_id: null, region_code: null, person_id: null };
  const users = [
    { ...none, username: 'doctor', display_name: leader.name, role: 'family_doctor' as const, practitioner_id: leader.id, team_id: team.id },
    { ...none, username: 'pharmacist', display_name: pharmacist.name, role: 'pharmacist' as const, practitioner_id: pharmacist.id, institution_id: pharmacy.id },
    { ...none, username: 'reviewer', display_name: '医保经办审核员', role: 'insurance_reviewer' as const, region_code: firstCounty },
    { ...none, username: 'analyst', display_name: '卫健委/医保局分析员', role: 'analyst' as const, region_code: DEMO_CITY },
    { ...none, username: 'admin', display_name: '系统管理员', role: 'system_admin' as const },
    ...(patient ? [{ ...none, username: 'patient', display_name: patient.name, role: 'patient' as const, person_id: patient.id }] : []),
  ];
  await db.insertInto('app_user').values(users.map((u) => ({ ...u, password_hash: hash, demo: true }))).execute();
}
