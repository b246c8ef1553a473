// The access table, tried as the review tried it: for every permission and every role that holds it,
// a user inside the scope rule is let through and one just outside it is refused with 403 (the same
// answer whatever the target); every API route without a session is 401. A permission added to
// src/core/access.ts without a probe here fails the test.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS, grantOf, type Permission } from '../../src/core/access';
import type { Role } from '../../src/db/schema';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { testApp, type TestApp } from '../helpers/app';
import { counterPatient } from '../helpers/people';

let t: TestApp;
const cookies = new Map<Role, string>();
const USERNAME: Partial<Record<Role, string>> = { family_doctor: 'doctor', pharmacist: 'pharmacist', insurance_reviewer: 'reviewer', analyst: 'analyst', system_admin: 'admin', patient: 'patient', institution_admin: 'inst-admin', specialist: 'specialist' };

/** Ids inside and just outside each role's scope, found in the demo city. */
interface Fixtures {
  [key: string]: string;
}
const f: Fixtures = {};

const one = async <T>(q: Promise<T[]>) => {
  const rows = await q;
  if (!rows.length) throw new Error('fixture not found in the demo city');
  return rows[0];
};

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  // an institution administrator of the pharmacy (no demo user has the role)
  const pharmacy = await db.selectFrom('app_user').select('institution_id').where('username', '=', 'pharmacist').executeTakeFirstOrThrow();
  await db.insertInto('app_user').values({ username: 'inst-admin', display_name: '机构管理员', role: 'institution_admin', institution_id: pharmacy.institution_id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true }).execute();
  for (const [role, username] of Object.entries(USERNAME)) cookies.set(role as Role, await t.login(username!));

  const me = (await t.app.inject({ url: '/api/auth/me', headers: { cookie: cookies.get('family_doctor')! } })).json().user;
  const teamId: string = me.scope.id;
  const team = await db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id').select('i.region_code').where('t.id', '=', teamId).executeTakeFirstOrThrow();
  const town = team.region_code;
  const county = town.slice(0, 6);
  const reviewerCounty = (await db.selectFrom('app_user').select('region_code').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).region_code!;
  const patient = await db.selectFrom('app_user').select('person_id').where('username', '=', 'patient').executeTakeFirstOrThrow();
  f.ownPerson = patient.person_id!;
  const today = '2026-06-15';
  const contracted = (team: 'mine' | 'other') =>
    one(db.selectFrom('contract as c').innerJoin('person as p', 'p.id', 'c.person_id').select(['c.id', 'c.person_id', 'p.region_code'])
      .where('c.team_id', team === 'mine' ? '=' : '!=', teamId).where('c.status', '=', 'active').where('c.start_date', '<=', today).where('c.end_date', '>=', today)
      .where('p.region_code', 'like', `${county}%`).where('c.person_id', '!=', f.ownPerson).orderBy('c.id').limit(1).execute());
  const mine = await contracted('mine');
  const theirs = await contracted('other');
  f.contractedMine = mine.person_id;
  f.contractedOther = theirs.person_id;
  f.contractMine = mine.id;
  f.contractOther = theirs.id;
  f.inTown = mine.person_id;
  f.otherTown = (await one(db.selectFrom('person').select('id').where('region_code', 'like', `${county}%`).where('region_code', 'not like', `${town}%`).limit(1).execute())).id;
  f.inCounty = (await counterPatient(db)).id;
  f.otherCounty = (await one(db.selectFrom('person').select('id').where('region_code', 'not like', `${county}%`).limit(1).execute())).id;
  f.unsignedInTown = (await one(db.selectFrom('person as p').select('p.id').where('p.region_code', 'like', `${town}%`)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('contract as c').select('c.id').whereRef('c.person_id', '=', 'p.id')))).limit(1).execute())).id;
  const filing = (where: (qb: ReturnType<typeof base>) => ReturnType<typeof base>) => one(where(base()).orderBy('f.id').limit(1).execute());
  const base = () => db.selectFrom('registration_filing as f').select(['f.id', 'f.person_id']);
  f.filingMine = (await filing((q) => q.where('f.team_id', '=', teamId))).id;
  f.filingOther = (await filing((q) => q.where('f.team_id', '!=', teamId))).id;
  const inReview = await filing((q) => q.where('f.status', '=', 'submitted').where('f.county_code', '=', reviewerCounty));
  f.filingHere = inReview.id;
  f.inReview = inReview.person_id;
  f.filingElsewhere = (await filing((q) => q.where('f.county_code', '!=', reviewerCounty))).id;
  f.notInReview = (await one(db.selectFrom('person as p').select('p.id').where('p.region_code', 'like', `${reviewerCounty}%`)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('registration_filing as r').select('r.id').whereRef('r.person_id', '=', 'p.id').where('r.status', '=', 'submitted')))).limit(1).execute())).id;
  // a claim settled at the pharmacy (the demo's are at the teams' centres) and one settled elsewhere
  const drug = await db.selectFrom('drug').select('code').where(sql<boolean>`'hypertension' = any(diseases)`).orderBy('code').limit(1).executeTakeFirstOrThrow();
  f.drug = drug.code;
  const settled = await t.app.inject({ method: 'POST', url: '/api/settlements', headers: { cookie: cookies.get('pharmacist')! }, payload: { personId: f.inCounty, idempotencyKey: 'access-test-0001', lines: [{ drugCode: drug.code, quantity: 1, daysSupply: 28 }] } });
  expect(settled.statusCode, settled.body).toBe(201);
  f.claimHere = settled.json().id;
  f.claimElsewhere = (await one(db.selectFrom('claim').select('id').where('institution_id', '!=', pharmacy.institution_id!).limit(1).execute())).id;
  f.ownClaim = (await one(db.selectFrom('claim').select('id').where('person_id', '=', f.ownPerson).limit(1).execute())).id;
  const doctorInstitution = (await db.selectFrom('family_doctor_team').select('institution_id').where('id', '=', teamId).executeTakeFirstOrThrow()).institution_id;
  f.claimAtDoctor = (await one(db.selectFrom('claim').select('id').where('institution_id', '=', doctorInstitution).where('status', '=', 'settled').limit(1).execute())).id;
  // the directory: the pharmacy the institution administrator administers, and the doctor's centre outside it
  f.institutionHere = pharmacy.institution_id!;
  f.institutionElsewhere = doctorInstitution;
  f.claimOtherCounty = (await one(db.selectFrom('claim as c').innerJoin('person as p', 'p.id', 'c.person_id').select('c.id').where('p.region_code', 'not like', `${reviewerCounty}%`).limit(1).execute())).id;
  f.contractInReview = (await one(db.selectFrom('contract').select('id').where('person_id', '=', f.inReview).limit(1).execute())).id;
  f.ownContract = (await one(db.selectFrom('contract').select('id').where('person_id', '=', f.ownPerson).limit(1).execute())).id;
  // an account at the pharmacy whose password the probes may reset, and the doctor's, outside it
  f.userAtPharmacy = (await db.insertInto('app_user').values({ username: 'probe-pharmacist', display_name: '探针药师', role: 'pharmacist', institution_id: pharmacy.institution_id, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id;
  f.userElsewhere = (await db.selectFrom('app_user').select('id').where('username', '=', 'doctor').executeTakeFirstOrThrow()).id;

  // prescriptions (issue 14): written by the doctor for a registered patient of the team; others put in place as rows
  const doctorId = f.userElsewhere;
  const registeredMine = await sql<{ person_id: string }>`
    select c.person_id from contract c join registration r on r.person_id = c.person_id
    where c.team_id = ${teamId} and c.status = 'active' and c.start_date <= ${today} and c.end_date >= ${today} and r.effective_to is null
      and c.person_id <> ${f.contractedMine} -- whose contract the contract.change probe terminates
    order by c.person_id limit 1`.execute(db);
  f.rxPersonMine = registeredMine.rows[0].person_id;
  const written = await t.app.inject({ method: 'POST', url: '/api/prescriptions', headers: { cookie: cookies.get('family_doctor')! }, payload: { personId: f.rxPersonMine, origin: 'new', fillPlace: 'own', submit: true, lines: [{ drugCode: f.drug, dose: 1, frequency: 'qd', daysSupply: 28 }] } });
  expect(written.statusCode, written.body).toBe(201);
  f.rxMine = written.json().id;
  const otherCountyInstitution = (await one(db.selectFrom('institution').select(['id', 'county_code']).where('county_code', '!=', county).where('level', '=', 'grassroots').limit(1).execute()));
  const rxRow = (personId: string, institutionId: string, countyCode: string, status: 'submitted' | 'approved' | 'dispensed') =>
    db.insertInto('prescription').values((eb) => ({
      person_id: personId, prescription_no: eb.fn<string>('prescription_no', [eb.val(institutionId), eb.val(today)]), origin: 'new', institution_id: institutionId, county_code: countyCode,
      doctor_id: doctorId, written_on: today, valid_until: '2026-07-14', days_supply: 28, fill_place: 'own', fill_institution_id: institutionId, status, submitted_at: new Date(),
    })).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
  f.rxOther = await rxRow(f.contractedOther, doctorInstitution, county, 'approved');
  f.rxElsewhere = await rxRow(f.otherCounty, otherCountyInstitution.id, otherCountyInstitution.county_code, 'submitted');
  f.rxOwn = await rxRow(f.ownPerson, doctorInstitution, county, 'dispensed');
  // dispenses bound to the pharmacy's claim and to one settled elsewhere
  const claimElsewhere = await db.selectFrom('claim').select(['person_id', 'institution_id']).where('id', '=', f.claimElsewhere).executeTakeFirstOrThrow();
  const dispenseRow = async (personId: string, institutionId: string, claimId: string) => {
    // the demo city's refills are dispenses of its prescriptions already
    const existing = await db.selectFrom('dispense').select('id').where('person_id', '=', personId).where('claim_id', '=', claimId).executeTakeFirst();
    if (existing) return existing.id;
    const rxId = await rxRow(personId, institutionId, county, 'dispensed');
    return (await db.insertInto('dispense').values({ person_id: personId, prescription_id: rxId, institution_id: institutionId, claim_id: claimId, dispensed_by: doctorId, dispensed_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id;
  };
  f.dispenseHere = await dispenseRow(f.inCounty, pharmacy.institution_id!, f.claimHere);
  // the demo city binds its claims to dispenses: the claim's own dispense when it has one
  const boundElsewhere = await db.selectFrom('dispense').select('id').where('person_id', '=', claimElsewhere.person_id).where('claim_id', '=', f.claimElsewhere).executeTakeFirst();
  f.dispenseElsewhere = boundElsewhere?.id ?? (await dispenseRow(claimElsewhere.person_id, claimElsewhere.institution_id, f.claimElsewhere));
  // renewal requests in the doctor's team's queue and in another team's
  const otherTeam = (await db.selectFrom('contract').select('team_id').where('person_id', '=', f.contractedOther).where('status', '=', 'active').executeTakeFirstOrThrow()).team_id;
  const requestRow = async (personId: string, rxId: string, team: string) =>
    (await db.insertInto('renewal_request').values({ person_id: personId, prescription_id: rxId, team_id: team }).returning('id').executeTakeFirstOrThrow()).id;
  f.requestMine = await requestRow(f.rxPersonMine, f.rxMine, teamId);
  f.requestOther = await requestRow(f.contractedOther, f.rxOther, otherTeam);

  // 送药到家 (issue 14, src/modules/delivery): the `delivery` user of the county's provider (the demo's, or
  // one made here), another county's provider, and orders on dispenses at the pharmacy and elsewhere
  let provider = await db.selectFrom('app_user').select(['delivery_provider_id']).where('username', '=', 'delivery').executeTakeFirst();
  if (!provider) {
    const id = (await db.insertInto('delivery_provider').values({ code: 'PROBE-PS-1', name: '探针配送', county_code: county }).returning('id').executeTakeFirstOrThrow()).id;
    await db.insertInto('app_user').values({ username: 'delivery', display_name: '探针配送员', role: 'delivery', delivery_provider_id: id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true }).execute();
    provider = { delivery_provider_id: id };
  }
  cookies.set('delivery', await t.login('delivery'));
  const farCounty = (await one(db.selectFrom('region').select('code').where('level', '=', 'county').where('code', '!=', county).orderBy('code').limit(1).execute())).code;
  const farProvider = (await db.insertInto('delivery_provider').values({ code: 'PROBE-PS-2', name: '探针外县配送', county_code: farCounty }).returning('id').executeTakeFirstOrThrow()).id;
  /** An order on a dispense of the person: one without an order, else one bound to a claim of theirs not yet dispensed. */
  const orderRow = async (personId: string, institutionId: string, providerId: string, dispenseId?: string) => {
    let d = dispenseId ?? (await db.selectFrom('dispense as d').select('d.id').where('d.person_id', '=', personId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('delivery_order as o').select('o.id').whereRef('o.person_id', '=', 'd.person_id').whereRef('o.dispense_id', '=', 'd.id')))).limit(1).executeTakeFirst())?.id;
    if (!d) {
      let claim = await db.selectFrom('claim as c').select(['c.id', 'c.institution_id']).where('c.person_id', '=', personId)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('dispense as x').select('x.id').whereRef('x.person_id', '=', 'c.person_id').whereRef('x.claim_id', '=', 'c.id')))).limit(1).executeTakeFirst();
      if (!claim) {
        const res = await t.app.inject({ method: 'POST', url: '/api/settlements', headers: { cookie: cookies.get('pharmacist')! }, payload: { personId, idempotencyKey: `access-order-${personId.slice(0, 8)}`, lines: [{ drugCode: f.drug, quantity: 1, daysSupply: 28 }] } });
        expect(res.statusCode, res.body).toBe(201);
        claim = { id: res.json().id, institution_id: pharmacy.institution_id! };
      }
      const rxId = await rxRow(personId, claim.institution_id, county, 'dispensed');
      d = (await db.insertInto('dispense').values({ person_id: personId, prescription_id: rxId, institution_id: claim.institution_id, claim_id: claim.id, dispensed_by: doctorId, dispensed_at: new Date(), delivery: true }).returning('id').executeTakeFirstOrThrow()).id;
    }
    const rx = await db.selectFrom('dispense').select('prescription_id').where('person_id', '=', personId).where('id', '=', d).executeTakeFirstOrThrow();
    return (await db.insertInto('delivery_order').values({ person_id: personId, prescription_id: rx.prescription_id, dispense_id: d, provider_id: providerId, institution_id: institutionId, address: '探针地址 1 号', created_by: doctorId, created_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id;
  };
  f.orderHere = await orderRow(f.inCounty, pharmacy.institution_id!, provider.delivery_provider_id!, f.dispenseHere);
  f.orderElsewhere = await orderRow(f.contractedOther, doctorInstitution, farProvider);
  f.orderMine = await orderRow(f.rxPersonMine, doctorInstitution, farProvider);
  f.orderOwn = await orderRow(f.ownPerson, doctorInstitution, farProvider);
  f.rxAtPharmacy = await rxRow(f.inCounty, pharmacy.institution_id!, county, 'approved');
  f.countyHere = reviewerCounty;
  f.countyOther = (await one(db.selectFrom('region').select('code').where('level', '=', 'county').where('code', '!=', reviewerCounty).where('code', 'like', `${reviewerCounty.slice(0, 4)}%`).limit(1).execute())).code;
  f.countyFar = '110101';
  // provider payment (issue 17): a team of the reviewer's county and one of another county of the city
  const teamIn = async (where: 'here' | 'other') => (await one(db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id').select('t.id')
    .where('i.county_code', where === 'here' ? '=' : '!=', reviewerCounty).where('i.county_code', 'like', `${reviewerCounty.slice(0, 4)}%`).orderBy('t.id').limit(1).execute())).id;
  f.teamHere = await teamIn('here');
  f.teamOther = await teamIn('other');

  // the smart audit's review (issue 15): findings and samples of the reviewer's county and of another, as rows
  const reviewerId = (await db.selectFrom('app_user').select('id').where('username', '=', 'reviewer').executeTakeFirstOrThrow()).id;
  await sql`insert into audit_rule (code, version, title_zh, title_en, description_zh, description_en, subject, params, points, active)
    values ('early_refill', 1, '提前配药', 'Early refill', '探针', 'probe', 'claim', '{}', 1, true) on conflict do nothing`.execute(db);
  const ruleVersion = (await db.selectFrom('audit_rule').select('version').where('code', '=', 'early_refill').orderBy('version', 'desc').executeTakeFirstOrThrow()).version;
  const probeRun = (await db.insertInto('audit_run').values({ service_date: today, trigger: 'cli', started_at: new Date(), rule_versions: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
  const pharmacyCounty = (await db.selectFrom('institution').select('county_code').where('id', '=', pharmacy.institution_id!).executeTakeFirstOrThrow()).county_code;
  const findingRow = async (key: string, personId: string, institutionId: string, countyCode: string) =>
    (await db.insertInto('audit_finding').values({
      finding_key: `probe:${key}`, rule_code: 'early_refill', rule_version: ruleVersion, service_date: today, county_code: countyCode, person_id: personId,
      institution_id: institutionId, evidence: '{}', amount_fen: 100, run_id: probeRun, found_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow()).id;
  f.findingHere = await findingRow('here', f.inCounty, pharmacy.institution_id!, pharmacyCounty);
  f.findingElsewhere = await findingRow('elsewhere', f.otherCounty, otherCountyInstitution.id, otherCountyInstitution.county_code);
  const sampleRow = async (countyCode: string) =>
    (await db.insertInto('audit_sample').values({
      county_code: countyCode, period_from: today, period_to: today, size: 1, seed: 1, population_claims: 1, population_amount_fen: 0, created_by: reviewerId, created_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow()).id;
  f.sampleHere = await sampleRow(reviewerCounty);
  f.sampleElsewhere = await sampleRow(otherCountyInstitution.county_code);

  // 双向转诊: the demo's `specialist` works at the city's tertiary hospital; referrals put in place as rows — up from
  // the doctor's team to it (in force: its patient is referred_here) and from another team to the county hospital,
  // down from it to the doctor's team and to another team. The demo city's own referrals of these people go first.
  const tertiary = (await db.selectFrom('app_user').select('institution_id').where('username', '=', 'specialist').executeTakeFirstOrThrow()).institution_id!;
  const countyHospital = (await one(db.selectFrom('institution').select('id').where('county_code', '=', county).where('level', '=', 'secondary').limit(1).execute())).id;
  const refPerson = await sql<{ person_id: string }>`
    select person_id from contract where team_id = ${teamId} and status = 'active' and start_date <= ${today} and end_date >= ${today}
      and person_id not in (${f.contractedMine}, ${f.rxPersonMine}, ${f.ownPerson}) order by person_id limit 1`.execute(db);
  f.referredHere = refPerson.rows[0].person_id;
  f.refTertiary = tertiary;
  const probed = [f.referredHere, f.contractedOther, f.ownPerson, f.otherCounty, f.inCounty, f.rxPersonMine];
  await db.deleteFrom('referral_event').where('person_id', 'in', probed).execute();
  await db.deleteFrom('referral').where('person_id', 'in', probed).execute();
  const regionOf = async (personId: string) => (await db.selectFrom('person').select('region_code').where('id', '=', personId).executeTakeFirstOrThrow()).region_code;
  const refRow = async (personId: string, r: { direction: 'up' | 'down'; from: string; fromTeam?: string; to?: string; toTeam?: string; status?: 'requested' | 'accepted' }) => {
    const countyCode = (await regionOf(personId)).slice(0, 6);
    return (await db.insertInto('referral').values((eb) => ({
      person_id: personId, referral_no: eb.fn<string>('referral_no', [eb.val(r.from), eb.val(today)]), direction: r.direction, status: r.status ?? 'requested', urgency: 'routine', reason: '探针转诊',
      from_institution_id: r.from, from_team_id: r.fromTeam ?? null, from_user_id: doctorId, to_institution_id: r.to ?? null, to_team_id: r.toTeam ?? null,
      appointment_date: r.status === 'accepted' ? today : null, county_code: countyCode, requested_at: new Date(),
      ...(r.direction === 'down' ? { discharge_date: today, discharge_summary: '探针出院小结', follow_up_due: '2026-06-29' } : {}),
    })).returning('id').executeTakeFirstOrThrow()).id;
  };
  f.refUpMine = await refRow(f.referredHere, { direction: 'up', from: doctorInstitution, fromTeam: teamId, to: tertiary, status: 'accepted' });
  f.refHandle = await refRow(f.inCounty, { direction: 'up', from: doctorInstitution, fromTeam: teamId, to: tertiary });
  f.refUpOther = await refRow(f.contractedOther, { direction: 'up', from: doctorInstitution, fromTeam: otherTeam, to: countyHospital });
  f.refOwn = await refRow(f.ownPerson, { direction: 'up', from: doctorInstitution, fromTeam: teamId, to: countyHospital });
  f.refOtherCounty = await refRow(f.otherCounty, { direction: 'up', from: otherCountyInstitution.id, to: countyHospital });
  f.refDownMine = await refRow(f.referredHere, { direction: 'down', from: tertiary, toTeam: teamId });
  f.refDownOther = await refRow(f.contractedOther, { direction: 'down', from: countyHospital, toTeam: otherTeam });
  cookies.set('specialist', await t.login('specialist'));
});
afterAll(() => t.close());

interface Probe {
  method: 'GET' | 'POST' | 'PUT';
  url: (id: string) => string;
  body?: (id: string) => object;
  /** Fixture keys by role: the target inside the role's scope and the one just outside it (none for 'everywhere', or where the request names no target). */
  targets: Partial<Record<Role, [inside: string, outside: string | null]>>;
}

const person = (path = '') => (id: string) => `/api/people/${id}${path}`;
const areaPeople: Probe['targets'] = { family_doctor: ['inTown', 'otherTown'], pharmacist: ['inCounty', 'otherCounty'], insurance_reviewer: ['inCounty', 'otherCounty'], system_admin: ['inCounty', null], patient: ['ownPerson', 'inCounty'] };
const visit = { diseases: ['hypertension'], mode: 'clinic', readings: { systolic: 132, diastolic: 82, heartRate: 72 } };

const PROBES: Record<Permission, Probe> = {
  'person.search': { method: 'GET', url: () => '/api/people?q=%E5%BC%A0%20000000', targets: { family_doctor: ['inTown', null], pharmacist: ['inCounty', null], insurance_reviewer: ['inCounty', null], system_admin: ['inCounty', null], specialist: ['inCounty', null] } },
  'person.read': { method: 'GET', url: person(), targets: { ...areaPeople, specialist: ['referredHere', 'contractedOther'] } },
  'person.idNumber.reveal': { method: 'GET', url: person('/id-number'), targets: { pharmacist: ['inCounty', 'otherCounty'], insurance_reviewer: ['inCounty', 'otherCounty'], system_admin: ['inCounty', null], patient: ['ownPerson', 'inCounty'] } },
  'person.eligibility.read': { method: 'GET', url: person('/eligibility'), targets: areaPeople },
  'person.chart.read': { method: 'GET', url: person('/chart'), targets: { family_doctor: ['contractedMine', 'contractedOther'], insurance_reviewer: ['inReview', 'notInReview'], patient: ['ownPerson', 'contractedMine'], specialist: ['referredHere', 'contractedOther'] } },
  'person.followUp.write': { method: 'POST', url: person('/followups'), body: () => visit, targets: { family_doctor: ['contractedMine', 'contractedOther'] } },
  'person.claims.read': { method: 'GET', url: person('/claims'), targets: { family_doctor: ['inTown', 'otherTown'], pharmacist: ['inCounty', 'otherCounty'], insurance_reviewer: ['inCounty', 'otherCounty'], system_admin: ['inCounty', null], patient: ['ownPerson', 'inCounty'] } },
  'contract.sign': { method: 'POST', url: () => '/api/contracts', body: (id) => ({ personId: id, packages: ['basic'], consent: { signer: 'self', signerName: '测试', signedAt: '2026-06-15T09:00:00+08:00' } }), targets: { family_doctor: ['unsignedInTown', 'otherTown'] } },
  'contract.change': { method: 'POST', url: (id) => `/api/contracts/${id}/terminate`, body: () => ({ reason: '迁出本辖区' }), targets: { family_doctor: ['contractMine', 'contractOther'] } },
  'contract.read': { method: 'GET', url: person('/contracts'), targets: { family_doctor: ['inTown', 'otherTown'], insurance_reviewer: ['inCounty', 'otherCounty'], system_admin: ['inCounty', null], patient: ['ownPerson', 'inCounty'] } },
  'contract.consentForm.read': { method: 'GET', url: (id) => `/api/contracts/${id}/consent-form`, targets: { family_doctor: ['contractMine', 'contractOther'], insurance_reviewer: ['contractInReview', 'contractOther'], patient: ['ownContract', 'contractMine'] } },
  'team.read': { method: 'GET', url: () => '/api/team/patients?list=contracted&limit=5', targets: { family_doctor: ['inTown', null] } },
  'filing.submit': {
    method: 'POST', url: () => '/api/filings',
    body: (id) => ({ personId: id, kind: 'initial', diseases: [{ code: 'diabetes', diagnosedOn: '2026-06-01', basis: { type: 'glucose', date: '2026-06-01', fastingGlucose: 7.4 } }], prescription: [] }),
    targets: { family_doctor: ['contractedMine', 'otherTown'] },
  },
  'filing.fix': { method: 'POST', url: (id) => `/api/filings/${id}/withdraw`, targets: { family_doctor: ['filingMine', 'filingOther'] } },
  'filing.read': { method: 'GET', url: (id) => `/api/filings/${id}`, targets: { family_doctor: ['filingMine', 'filingOther'], insurance_reviewer: ['filingHere', 'filingElsewhere'] } },
  'filing.approve': { method: 'POST', url: (id) => `/api/filings/${id}/return`, body: () => ({ reason: '请补充诊断证明' }), targets: { insurance_reviewer: ['filingHere', 'filingElsewhere'] } },
  'claim.settle': { method: 'POST', url: () => '/api/settlements/quote', body: (id) => ({ personId: id, lines: [{ drugCode: f.drug, quantity: 1 }] }), targets: { pharmacist: ['inCounty', 'otherCounty'], family_doctor: ['inTown', 'otherCounty'] } },
  'claim.read': { method: 'GET', url: (id) => `/api/settlements/${id}`, targets: { pharmacist: ['claimHere', 'claimElsewhere'], institution_admin: ['claimHere', 'claimElsewhere'], insurance_reviewer: ['claimHere', 'claimOtherCounty'], system_admin: ['claimHere', null], patient: ['ownClaim', 'claimHere'], family_doctor: ['claimAtDoctor', 'claimHere'] } },
  'claim.reverse': { method: 'POST', url: (id) => `/api/settlements/${id}/reverse`, body: () => ({ reason: '患者退药' }), targets: { pharmacist: ['claimHere', 'claimElsewhere'], family_doctor: ['claimAtDoctor', 'claimHere'] } },
  // the caller's own institution is the target (the URL names none); a reviewer, with no institution, is refused
  'claim.day.read': { method: 'GET', url: () => '/api/settlements/day?date=2026-06-15', targets: { pharmacist: ['institutionHere', null], family_doctor: ['institutionElsewhere', null], institution_admin: ['institutionHere', null] } },
  'own.read': { method: 'GET', url: () => '/api/people/me/followups', targets: { patient: ['ownPerson', null] } },
  'institution.manage': { method: 'GET', url: (id) => `/api/admin/institutions/${id}`, targets: { system_admin: ['institutionHere', null] } },
  'team.manage': { method: 'GET', url: (id) => `/api/admin/practitioners?institutionId=${id}`, targets: { system_admin: ['institutionElsewhere', null], institution_admin: ['institutionHere', 'institutionElsewhere'] } },
  'catalogue.read': { method: 'GET', url: () => '/api/admin/policies/jiaxing-2021', targets: { system_admin: ['institutionHere', null], institution_admin: ['institutionHere', null] } },
  'audit.read': { method: 'GET', url: () => '/api/admin/audit?limit=1', targets: { system_admin: ['inCounty', null], institution_admin: ['inCounty', null] } },
  'roster.import': { method: 'POST', url: () => '/api/admin/imports/roster', body: () => ({ name: 'r.csv', contentBase64: Buffer.from('name,sex,birth_date,id_number,phone,region_code,insurance_type,insured_since\n').toString('base64'), dryRun: true }), targets: { system_admin: ['inCounty', null] } },
  'diagnoses.import': { method: 'POST', url: () => '/api/admin/imports/diagnoses', body: () => ({ name: 'd.csv', contentBase64: Buffer.from('id_number,disease_code,diagnosed_on,source,institution_code\n').toString('base64'), dryRun: true }), targets: { system_admin: ['inCounty', null], institution_admin: ['inCounty', null] } },
  'user.manage': { method: 'POST', url: (id) => `/api/admin/users/${id}/reset-password`, targets: { system_admin: ['userAtPharmacy', null], institution_admin: ['userAtPharmacy', 'userElsewhere'] } },
  // issue 14
  'prescription.write': { method: 'POST', url: () => '/api/prescriptions', body: (id) => ({ personId: id, origin: 'new', fillPlace: 'own', lines: [{ drugCode: f.drug, dose: 1, frequency: 'qd', daysSupply: 28 }] }), targets: { family_doctor: ['rxPersonMine', 'contractedOther'] } },
  'prescription.read': { method: 'GET', url: person('/prescriptions'), targets: { family_doctor: ['rxPersonMine', 'contractedOther'], pharmacist: ['inCounty', 'otherCounty'], insurance_reviewer: ['inCounty', 'otherCounty'], patient: ['ownPerson', 'inCounty'], specialist: ['referredHere', 'contractedOther'] } },
  'prescription.review': { method: 'POST', url: (id) => `/api/prescriptions/${id}/return`, body: () => ({ reason: '请核对剂量' }), targets: { pharmacist: ['rxMine', 'rxElsewhere'] } },
  'prescription.place': { method: 'PUT', url: (id) => `/api/prescriptions/${id}/place`, body: () => ({ fillPlace: 'own' }), targets: { family_doctor: ['rxMine', 'rxOther'], patient: ['rxOwn', 'rxMine'] } },
  'prescription.dispense': { method: 'POST', url: (id) => `/api/prescriptions/${id}/dispense-quote`, body: () => ({}), targets: { pharmacist: ['rxMine', 'rxElsewhere'] } },
  'dispense.return': { method: 'POST', url: (id) => `/api/dispenses/${id}/return`, body: () => ({ reason: '患者退药' }), targets: { pharmacist: ['dispenseHere', 'dispenseElsewhere'] } },
  'renewal.request': { method: 'POST', url: (id) => `/api/prescriptions/${id}/renewal-requests`, body: () => ({}), targets: { patient: ['rxOwn', 'rxMine'] } },
  'renewal.handle': { method: 'POST', url: (id) => `/api/renewal-requests/${id}/decline`, body: () => ({ reason: '请先复诊' }), targets: { family_doctor: ['requestMine', 'requestOther'] } },
  'stock.read': { method: 'GET', url: (id) => `/api/stock?institutionId=${id}`, targets: { pharmacist: ['institutionHere', 'institutionElsewhere'], institution_admin: ['institutionHere', 'institutionElsewhere'], system_admin: ['institutionHere', null], analyst: ['institutionHere', null] } },
  'stock.manage': { method: 'POST', url: () => '/api/stock/receipts', body: () => ({ lines: [{ drugCode: f.drug, batchNo: 'PROBE-1', expiryDate: '2027-06-30', quantity: 1 }] }), targets: { pharmacist: ['institutionHere', null], institution_admin: ['institutionHere', null] } },
  'delivery.order': { method: 'POST', url: (id) => `/api/prescriptions/${id}/delivery-orders`, body: () => ({ idempotencyKey: 'probe-delivery-0001' }), targets: { pharmacist: ['rxAtPharmacy', 'rxOther'] } },
  'delivery.recheck': { method: 'POST', url: (id) => `/api/delivery-orders/${id}/recheck`, body: () => ({}), targets: { delivery: ['orderHere', 'orderElsewhere'], pharmacist: ['orderHere', 'orderElsewhere'] } },
  'delivery.handle': { method: 'POST', url: (id) => `/api/delivery-orders/${id}/out`, body: () => ({}), targets: { delivery: ['orderHere', 'orderElsewhere'] } },
  'delivery.read': { method: 'GET', url: (id) => `/api/delivery-orders/${id}`, targets: { delivery: ['orderHere', 'orderElsewhere'], pharmacist: ['orderHere', 'orderElsewhere'], family_doctor: ['orderMine', 'orderElsewhere'], patient: ['orderOwn', 'orderHere'] } },
  'delivery.share.read': { method: 'GET', url: (id) => `/api/delivery/share?countyCode=${id}&from=2026-06-01&to=2026-06-30`, targets: { analyst: ['countyHere', 'countyFar'], insurance_reviewer: ['countyHere', 'countyOther'], system_admin: ['countyHere', null] } },
  'delivery.provider.manage': { method: 'GET', url: () => '/api/admin/delivery-providers', targets: { system_admin: ['inCounty', null] } },
  // 双向转诊 (src/modules/referrals); every person of the demo city lives in the city, which the tertiary hospital serves
  'referral.create': { method: 'POST', url: () => '/api/referrals', body: (id) => ({ personId: id, toInstitutionId: f.refTertiary, reason: '探针转诊' }), targets: { family_doctor: ['rxPersonMine', 'contractedOther'] } },
  'referral.read': { method: 'GET', url: (id) => `/api/referrals/${id}`, targets: { family_doctor: ['refUpMine', 'refUpOther'], specialist: ['refUpMine', 'refUpOther'], insurance_reviewer: ['refUpMine', 'refOtherCounty'], patient: ['refOwn', 'refUpMine'] } },
  'referral.handle': { method: 'POST', url: (id) => `/api/referrals/${id}/decline`, body: () => ({ reason: '探针拒绝' }), targets: { specialist: ['refHandle', 'refUpOther'] } },
  'referral.discharge': { method: 'POST', url: () => '/api/referrals/down', body: (id) => ({ personId: id, dischargeDate: '2026-06-15', dischargeSummary: '探针出院小结' }), targets: { specialist: ['inCounty', null] } },
  'referral.followUp': { method: 'POST', url: (id) => `/api/referrals/${id}/follow-up`, body: () => ({}), targets: { family_doctor: ['refDownMine', 'refDownOther'] } },
  // issue 15: the smart audit's rules and runs (a run of a day without claims: quick, finds nothing)
  'smartAudit.run': { method: 'POST', url: () => '/api/smart-audit/runs', body: () => ({ date: '2020-01-01' }), targets: { system_admin: ['inCounty', null] } },
  'smartAudit.rules.read': { method: 'GET', url: () => '/api/smart-audit/rules', targets: { insurance_reviewer: ['inCounty', null], analyst: ['inCounty', null], system_admin: ['inCounty', null] } },
  // issue 15: the smart audit's review; the summary's target is a region code (numeric) or an institution id
  'smartAudit.findings.read': { method: 'GET', url: (id) => `/api/smart-audit/findings/${id}`, targets: { insurance_reviewer: ['findingHere', 'findingElsewhere'], system_admin: ['findingHere', null] } },
  'smartAudit.findings.decide': { method: 'POST', url: (id) => `/api/smart-audit/findings/${id}/dismiss`, body: () => ({ reason: '探针排除' }), targets: { insurance_reviewer: ['findingHere', 'findingElsewhere'] } },
  'smartAudit.sample': { method: 'GET', url: (id) => `/api/smart-audit/samples/${id}`, targets: { insurance_reviewer: ['sampleHere', 'sampleElsewhere'] } },
  'smartAudit.summary.read': {
    method: 'GET', url: (id) => `/api/smart-audit/summary?from=2026-06-01&to=2026-06-30&${/^\d+$/.test(id) ? 'regionCode' : 'institutionId'}=${id}`,
    targets: { insurance_reviewer: ['countyHere', 'countyOther'], analyst: ['countyHere', 'countyFar'], system_admin: ['countyHere', null], institution_admin: ['institutionHere', 'institutionElsewhere'] },
  },
  // issue 16: the indicators of a county, and the patients behind one of its numbers
  'indicators.read': { method: 'GET', url: (id) => `/api/indicators?year=2026&quarter=2&county=${id}`, targets: { analyst: ['countyHere', 'countyFar'], insurance_reviewer: ['countyHere', 'countyOther'], system_admin: ['countyHere', null] } },
  'indicators.patients.read': {
    method: 'GET', url: (id) => `/api/indicators/patients?year=2026&quarter=2&level=county&code=${id}&indicator=contracting&group=numerator&pageSize=1`,
    targets: { analyst: ['countyHere', 'countyFar'], insurance_reviewer: ['countyHere', 'countyOther'] },
  },
  // the quarterly workbook of a county
  'reports.quarterly.read': { method: 'GET', url: (id) => `/api/reports/quarterly?year=2026&quarter=2&county=${id}&format=json`, targets: { analyst: ['countyHere', 'countyFar'], insurance_reviewer: ['countyHere', 'countyOther'], system_admin: ['countyHere', null] } },
  // provider payment: a county's run; the residents behind a team's contract fee (the analyst's city holds every team here)
  'payments.read': { method: 'GET', url: (id) => `/api/payments?year=2026&quarter=1&county=${id}`, targets: { analyst: ['countyHere', 'countyFar'], insurance_reviewer: ['countyHere', 'countyOther'], system_admin: ['countyHere', null] } },
  // FHIR import: the system administrator's, and an institution administrator's for its own patients (an empty batch names no one; test/api/fhir-import.test.ts skips the others)
  'fhir.import': { method: 'POST', url: () => '/fhir', body: () => ({ resourceType: 'Bundle', type: 'batch', entry: [] }), targets: { system_admin: ['inCounty', null], institution_admin: ['inCounty', null] } },
  // a patient's record as FHIR, as the chart's; the pharmacy's administrator for a person who bought there (the claim above)
  'fhir.patient.read': {
    method: 'GET', url: (id) => `/fhir/Patient/${id}/$everything`,
    targets: { family_doctor: ['contractedMine', 'contractedOther'], patient: ['ownPerson', 'contractedMine'], specialist: ['referredHere', 'contractedOther'], institution_admin: ['inCounty', 'otherCounty'], system_admin: ['inCounty', null] },
  },
  // the bulk export's jobs (listing them starts nothing)
  'fhir.export': { method: 'GET', url: () => '/fhir/$export-status', targets: { system_admin: ['inCounty', null] } },
  'payments.details.read': { method: 'GET', url: (id) => `/api/payments/contracted?year=2026&quarter=1&team=${id}&pageSize=1`, targets: { analyst: ['teamHere', null], insurance_reviewer: ['teamHere', 'teamOther'] } },
};

const call = (role: Role, probe: Probe, id: string) =>
  t.app.inject({ method: probe.method, url: probe.url(id), headers: { cookie: cookies.get(role)! }, ...(probe.body ? { payload: probe.body(id) } : {}) });

describe('the access table, permission by permission', () => {
  it('has a probe for every permission and a target pair for every role that holds one', () => {
    for (const p of Object.keys(ACCESS) as Permission[]) {
      expect(PROBES[p], p).toBeDefined();
      for (const role of Object.keys(ACCESS[p].grants)) expect(PROBES[p].targets[role as Role], `${p} × ${role}`).toBeDefined();
    }
  });

  for (const permission of Object.keys(PROBES) as Permission[]) {
    it(`${permission}: inside the scope allowed, just outside 403, a role without it 403`, async () => {
      const probe = PROBES[permission];
      for (const [role, [inside, outside]] of Object.entries(probe.targets) as Array<[Role, [string, string | null]]>) {
        expect(grantOf(permission, role), `${permission} × ${role} is in the table`).toBeDefined();
        const inRes = await call(role, probe, f[inside]);
        expect([401, 403], `${permission} × ${role} inside (${inside}): ${inRes.statusCode} ${inRes.body.slice(0, 200)}`).not.toContain(inRes.statusCode);
        if (outside) {
          const outRes = await call(role, probe, f[outside]);
          expect(outRes.statusCode, `${permission} × ${role} outside (${outside}): ${outRes.body.slice(0, 200)}`).toBe(403);
        }
      }
      // a role the table does not name for the permission is refused
      const lacking = (Object.keys(USERNAME) as Role[]).find((r) => !grantOf(permission, r));
      if (lacking) {
        const [inside] = Object.values(probe.targets)[0]!;
        const res = await call(lacking, probe, f[inside]);
        expect(res.statusCode, `${permission} × ${lacking} (not granted): ${res.body.slice(0, 200)}`).toBe(403);
      }
    });
  }

  it('answers a person who does not exist as one outside the scope, and audits the refusal', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const [absent, outside] = await Promise.all([
      t.app.inject({ url: `/api/people/${missing}`, headers: { cookie: cookies.get('family_doctor')! } }),
      t.app.inject({ url: `/api/people/${f.otherTown}`, headers: { cookie: cookies.get('family_doctor')! } }),
    ]);
    expect([absent.statusCode, outside.statusCode]).toEqual([403, 403]);
    expect(absent.json().detail).toBe(outside.json().detail);
    const refused = await t.database.db.selectFrom('audit_log').select(['entity', 'detail']).where('action', '=', 'refused').where('username', '=', 'doctor').execute();
    expect(refused.map((r) => r.entity)).toContain('person.read');
  });
});

describe('without a session', () => {
  it('every API route but login answers 401', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const id = '00000000-0000-4000-8000-000000000000';
    const open: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      if (!path.startsWith('/api/') || path === '/api/auth/login') continue;
      for (const method of Object.keys(methods)) {
        const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url: path.replace(/\{[^}]+\}/g, id), payload: method === 'get' ? undefined : {} });
        if (res.statusCode !== 401) open.push(`${method.toUpperCase()} ${path}: ${res.statusCode}`);
      }
    }
    expect(open).toEqual([]);
  });
});
