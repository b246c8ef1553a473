// Issue 13, administration of the directory and the read-only catalogues: institutions (kind fits
// level, town in county, upper institution above, code unique and kept once used), medical
// communities, practitioners (licence format and uniqueness, nothing referenced deleted), family-doctor
// teams (leader a doctor of the institution, the "3+X" members' professions fitting their roles,
// specialists from the upper hospital), the institution administrator confined to their institution,
// the policies and drugs read back, and an audit row for every change.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/service';
import { DEMO_PASSWORD } from '../../src/modules/demo/load';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: string;
let centreAdmin: string;
let doctor: string;

/** A demo township centre with teams, its staff by profession, its upper (county) hospital, and a centre elsewhere. */
const f = {} as {
  centre: { id: string; county_code: string; region_code: string; upper_institution_id: string };
  otherCentre: { id: string };
  doctors: string[];
  nurses: string[];
  publicHealth: string[];
  pharmacist: string;
  upperDoctor: string;
  strangerDoctor: string;
  otherNurse: string;
  teamWithContracts: string;
  leaderWithContracts: string;
  villageClinic: { id: string; county_code: string; region_code: string };
};

const inject = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const licence = () => `3304${String(randomInt(0, 1e11)).padStart(11, '0')}`;
const rules = (res: { json(): { errors?: Array<{ field: string; rule: string }> } }) => (res.json().errors ?? []).map((e) => `${e.field}:${e.rule}`);

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  const centre = await db
    .selectFrom('institution as i')
    .select(['i.id', 'i.county_code', 'i.region_code', 'i.upper_institution_id'])
    .where('i.kind', '=', 'township_health_centre')
    .where((eb) => eb.exists(eb.selectFrom('family_doctor_team as t').select('t.id').whereRef('t.institution_id', '=', 'i.id')))
    .orderBy('i.code')
    .executeTakeFirstOrThrow();
  f.centre = { ...centre, upper_institution_id: centre.upper_institution_id! };
  const staff = await db.selectFrom('practitioner').select(['id', 'profession']).where('institution_id', '=', centre.id).orderBy('license_no').execute();
  f.doctors = staff.filter((s) => s.profession === 'doctor').map((s) => s.id);
  f.nurses = staff.filter((s) => s.profession === 'nurse').map((s) => s.id);
  f.publicHealth = staff.filter((s) => s.profession === 'public_health').map((s) => s.id);
  f.pharmacist = staff.find((s) => s.profession === 'pharmacist')!.id;
  f.upperDoctor = (await db.selectFrom('practitioner').select('id').where('institution_id', '=', f.centre.upper_institution_id).where('profession', '=', 'doctor').executeTakeFirstOrThrow()).id;
  const other = await db.selectFrom('institution').select('id').where('kind', 'in', ['township_health_centre', 'community_health_centre']).where('id', '!=', centre.id)
    .where('county_code', '!=', centre.county_code).orderBy('code').executeTakeFirstOrThrow();
  f.otherCentre = other;
  f.strangerDoctor = (await db.selectFrom('practitioner').select('id').where('institution_id', '=', other.id).where('profession', '=', 'doctor').executeTakeFirstOrThrow()).id;
  f.otherNurse = (await db.selectFrom('practitioner').select('id').where('institution_id', '=', other.id).where('profession', '=', 'nurse').executeTakeFirstOrThrow()).id;
  const withContracts = await db.selectFrom('family_doctor_team as t').select(['t.id', 't.leader_id']).where('t.institution_id', '=', centre.id)
    .where((eb) => eb.exists(eb.selectFrom('contract as c').select('c.id').whereRef('c.team_id', '=', 't.id'))).orderBy('t.name').executeTakeFirstOrThrow();
  f.teamWithContracts = withContracts.id;
  f.leaderWithContracts = withContracts.leader_id;
  f.villageClinic = await db.selectFrom('institution').select(['id', 'county_code', 'region_code']).where('upper_institution_id', '=', centre.id).where('kind', '=', 'village_clinic').executeTakeFirstOrThrow();

  // the centre's administrator (no demo user has the role)
  await db.insertInto('app_user').values({ username: 'centre-admin', display_name: '卫生院管理员', role: 'institution_admin', institution_id: centre.id, password_hash: await hashPassword(DEMO_PASSWORD), demo: true }).execute();
  [admin, centreAdmin, doctor] = await Promise.all([t.login('admin'), t.login('centre-admin'), t.login('doctor')]);
});
afterAll(() => t.close());

const auditOf = (entity: string, entityId: string) =>
  t.database.db.selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'username', 'detail']).where('entity', '=', entity).where('entity_id', '=', entityId).orderBy('id').execute();

describe('institutions', () => {
  const newInstitution = () => ({
    code: `T${randomInt(1e6, 1e7)}`, name: '测试村卫生室', level: 'grassroots', kind: 'village_clinic',
    countyCode: f.villageClinic.county_code, regionCode: f.villageClinic.region_code, upperInstitutionId: f.centre.id, phone: '0573-82345678', address: '测试路 1 号',
  });

  it('lists with filters and paging', async () => {
    const all = (await inject(admin, 'GET', '/api/admin/institutions?limit=5')).json();
    expect(all.items).toHaveLength(5);
    expect(all.total).toBeGreaterThan(5);
    const hospitals = (await inject(admin, 'GET', `/api/admin/institutions?countyCode=${f.centre.county_code}&kind=hospital&limit=200`)).json();
    expect(hospitals.items.length).toBeGreaterThan(0);
    expect(hospitals.items.every((i: { kind: string; county: { code: string } }) => i.kind === 'hospital' && i.county.code === f.centre.county_code)).toBe(true);
    const pharmacies = (await inject(admin, 'GET', '/api/admin/institutions?level=pharmacy&q=%E5%A4%A7%E8%8D%AF%E6%88%BF&limit=200')).json(); // 大药房
    expect(pharmacies.total).toBeGreaterThan(0);
    expect(pharmacies.items.every((i: { level: string; name: string }) => i.level === 'pharmacy' && i.name.includes('大药房'))).toBe(true);
    const page2 = (await inject(admin, 'GET', '/api/admin/institutions?limit=5&offset=5')).json();
    expect(page2.items[0].id).not.toBe(all.items[0].id);
    const one = all.items.find((i: { upperInstitution: unknown }) => i.upperInstitution);
    if (one) expect(one.upperInstitution.name).toBeTruthy();
  });

  it('creates one whose kind fits its level, town lies in its county and upper institution ranks above', async () => {
    const body = newInstitution();
    const res = await inject(admin, 'POST', '/api/admin/institutions', body);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ code: body.code, kind: 'village_clinic', level: 'grassroots', designated: true, upperInstitution: { id: f.centre.id }, town: { code: body.regionCode } });
    const audit = await auditOf('institution', created.id);
    expect(audit).toMatchObject([{ action: 'create', username: 'admin' }]);
    expect((audit[0].detail as { created: { code: string } }).created.code).toBe(body.code);
  });

  it('refuses a kind that does not fit the level, a town of another county, an upper institution not above, each at its field', async () => {
    const wrongKind = await inject(admin, 'POST', '/api/admin/institutions', { ...newInstitution(), kind: 'hospital' });
    expect(wrongKind.statusCode).toBe(400);
    expect(rules(wrongKind)).toContain('body.kind:kind_fits_level');
    const pharmacyLevel = await inject(admin, 'POST', '/api/admin/institutions', { ...newInstitution(), level: 'tertiary', kind: 'pharmacy', upperInstitutionId: null });
    expect(rules(pharmacyLevel)).toContain('body.kind:kind_fits_level');
    const otherTown = await t.database.db.selectFrom('region').select('code').where('level', '=', 'town').where('parent_code', '!=', f.villageClinic.county_code).executeTakeFirstOrThrow();
    const wrongTown = await inject(admin, 'POST', '/api/admin/institutions', { ...newInstitution(), regionCode: otherTown.code });
    expect(rules(wrongTown)).toContain('body.regionCode:town_in_county');
    // a township centre under a village clinic
    const upsideDown = await inject(admin, 'POST', '/api/admin/institutions', { ...newInstitution(), kind: 'township_health_centre', upperInstitutionId: f.villageClinic.id });
    expect(rules(upsideDown)).toContain('body.upperInstitutionId:upper_is_higher');
    // the database says the same: no row was written for any of them
    const n = await t.database.db.selectFrom('institution').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', '测试村卫生室').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('refuses a code in use by another institution (409) and a malformed phone (400)', async () => {
    const existing = await t.database.db.selectFrom('institution').select('code').orderBy('code').executeTakeFirstOrThrow();
    const dup = await inject(admin, 'POST', '/api/admin/institutions', { ...newInstitution(), code: existing.code });
    expect(dup.statusCode).toBe(409);
    expect(rules(dup)).toEqual(['body.code:code_unique']);
    const phone = await inject(admin, 'POST', '/api/admin/institutions', { ...newInstitution(), phone: '82345678' });
    expect(phone.statusCode).toBe(400);
    expect(rules(phone)[0]).toMatch(/^body\.phone:/);
  });

  it('edits name, contacts, designation; keeps the code once used; audits what changed', async () => {
    const res = await inject(admin, 'PATCH', `/api/admin/institutions/${f.centre.id}`, { name: '改名后的卫生院', designated: false, phone: '13800001111' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '改名后的卫生院', designated: false, phone: '13800001111' });
    const audit = await auditOf('institution', f.centre.id);
    const changed = (audit.at(-1)!.detail as { changed: Record<string, { from: unknown; to: unknown }> }).changed;
    expect(audit.at(-1)!.action).toBe('update');
    expect(changed.name.to).toBe('改名后的卫生院');
    expect(changed.designated).toEqual({ from: true, to: false });
    expect(Object.keys(changed).sort()).toEqual(['designated', 'name', 'phone']);

    const code = await inject(admin, 'PATCH', `/api/admin/institutions/${f.centre.id}`, { code: 'NEW-CODE-1' });
    expect(code.statusCode).toBe(409);
    expect(rules(code)).toEqual(['body.code:code_in_use']);
    // a new, unused institution may still correct its code
    const fresh = (await inject(admin, 'POST', '/api/admin/institutions', newInstitution())).json();
    const fixed = await inject(admin, 'PATCH', `/api/admin/institutions/${fresh.id}`, { code: `${fresh.code}-A` });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().code).toBe(`${fresh.code}-A`);
  });

  it('changes level and kind together, refuses one without the other', async () => {
    const fresh = (await inject(admin, 'POST', '/api/admin/institutions', newInstitution())).json();
    const half = await inject(admin, 'PATCH', `/api/admin/institutions/${fresh.id}`, { level: 'secondary' });
    expect(rules(half)).toContain('body.kind:kind_fits_level');
    const both = await inject(admin, 'PATCH', `/api/admin/institutions/${fresh.id}`, { level: 'secondary', kind: 'hospital', upperInstitutionId: null });
    expect(both.statusCode, both.body).toBe(200);
    expect(both.json()).toMatchObject({ level: 'secondary', kind: 'hospital', upperInstitution: null });
  });

  it('deletes one nothing refers to, refuses one in use naming why', async () => {
    const fresh = (await inject(admin, 'POST', '/api/admin/institutions', newInstitution())).json();
    expect((await inject(admin, 'DELETE', `/api/admin/institutions/${fresh.id}`)).statusCode).toBe(204);
    expect((await auditOf('institution', fresh.id)).map((a) => a.action)).toEqual(['create', 'delete']);
    const used = await inject(admin, 'DELETE', `/api/admin/institutions/${f.centre.id}`);
    expect(used.statusCode).toBe(409);
    expect(rules(used)).toEqual(expect.arrayContaining([':institution_has_practitioners', ':institution_has_teams', ':institution_has_lower_institutions']));
  });

  it('medical communities: listed with their county, added once per name and county', async () => {
    const list = (await inject(admin, 'GET', `/api/admin/medical-communities?countyCode=${f.centre.county_code}`)).json();
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]).toMatchObject({ county: { code: f.centre.county_code } });
    expect(list[0].institutions).toBeGreaterThan(0);
    const countyHospital = await t.database.db.selectFrom('institution').select('name').where('id', '=', f.centre.upper_institution_id).executeTakeFirstOrThrow();
    expect(list.find((m: { id: string }) => m.id === list[0].id).leadHospital).toBe(countyHospital.name); // the hospital the centres sit under
    const created = await inject(admin, 'POST', '/api/admin/medical-communities', { name: '测试紧密型医共体', countyCode: f.centre.county_code });
    expect(created.statusCode, created.body).toBe(201);
    expect((await auditOf('medical_community', created.json().id))[0].action).toBe('create');
    const again = await inject(admin, 'POST', '/api/admin/medical-communities', { name: '测试紧密型医共体', countyCode: f.centre.county_code });
    expect(again.statusCode).toBe(409);
    expect(rules(again)).toEqual(['body.name:community_name_unique']);
    // an institution joins a community of its own county only
    const other = (await inject(admin, 'GET', '/api/admin/medical-communities')).json().find((m: { county: { code: string } }) => m.county.code !== f.centre.county_code);
    const wrong = await inject(admin, 'PATCH', `/api/admin/institutions/${f.centre.id}`, { medicalCommunityId: other.id });
    expect(rules(wrong)).toContain('body.medicalCommunityId:community_in_county');
  });
});

describe('practitioners', () => {
  it('lists by institution, profession and name or licence', async () => {
    const nurses = (await inject(admin, 'GET', `/api/admin/practitioners?institutionId=${f.centre.id}&profession=nurse`)).json();
    expect(nurses.total).toBe(f.nurses.length);
    expect(nurses.items.every((p: { profession: string; institution: { id: string } }) => p.profession === 'nurse' && p.institution.id === f.centre.id)).toBe(true);
    const one = nurses.items[0];
    const byLicence = (await inject(admin, 'GET', `/api/admin/practitioners?q=${one.licenseNo}`)).json();
    expect(byLicence.items.map((p: { id: string }) => p.id)).toEqual([one.id]);
    expect(one.teams).toBeGreaterThan(0);
  });

  it('creates with a well-formed, unique licence number', async () => {
    const no = licence();
    const res = await inject(admin, 'POST', '/api/admin/practitioners', { name: '新医生', profession: 'doctor', institutionId: f.centre.id, licenseNo: no });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '新医生', licenseNo: no, institution: { id: f.centre.id }, leadsTeams: 0, teams: 0 });
    expect((await auditOf('practitioner', res.json().id))[0]).toMatchObject({ action: 'create', username: 'admin' });

    const dup = await inject(admin, 'POST', '/api/admin/practitioners', { name: '另一个', profession: 'nurse', institutionId: f.centre.id, licenseNo: no });
    expect(dup.statusCode).toBe(409);
    expect(rules(dup)).toEqual(['body.licenseNo:licence_unique']);
    const malformed = await inject(admin, 'POST', '/api/admin/practitioners', { name: '另一个', profession: 'nurse', institutionId: f.centre.id, licenseNo: '12-34' });
    expect(malformed.statusCode).toBe(400);
    expect(rules(malformed)[0]).toMatch(/^body\.licenseNo:/);
    // lower case is read as upper case
    const lower = await inject(admin, 'POST', '/api/admin/practitioners', { name: '药师甲', profession: 'pharmacist', institutionId: f.centre.id, licenseNo: 'zy3304201801234' });
    expect(lower.statusCode, lower.body).toBe(201);
    expect(lower.json().licenseNo).toBe('ZY3304201801234');
    // a retail pharmacy employs pharmacists
    const pharmacy = await t.database.db.selectFrom('institution').select('id').where('kind', '=', 'pharmacy').executeTakeFirstOrThrow();
    const nurseAtPharmacy = await inject(admin, 'POST', '/api/admin/practitioners', { name: '护士乙', profession: 'nurse', institutionId: pharmacy.id, licenseNo: licence() });
    expect(rules(nurseAtPharmacy)).toEqual(['body.profession:profession_fits_institution']);
  });

  it('edits, and refuses a licence number another practitioner holds', async () => {
    const created = (await inject(admin, 'POST', '/api/admin/practitioners', { name: '待改名', profession: 'nurse', institutionId: f.centre.id, licenseNo: licence() })).json();
    const res = await inject(admin, 'PATCH', `/api/admin/practitioners/${created.id}`, { name: '已改名' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('已改名');
    const audit = await auditOf('practitioner', created.id);
    expect(audit.at(-1)).toMatchObject({ action: 'update', detail: { changed: { name: { from: '待改名', to: '已改名' } } } });
    const taken = (await inject(admin, 'GET', `/api/admin/practitioners?institutionId=${f.centre.id}&profession=doctor&limit=1`)).json().items[0].licenseNo;
    const dup = await inject(admin, 'PATCH', `/api/admin/practitioners/${created.id}`, { licenseNo: taken });
    expect(dup.statusCode).toBe(409);
    expect(rules(dup)).toEqual(['body.licenseNo:licence_unique']);
  });

  it('keeps the profession a team role needs', async () => {
    const res = await inject(admin, 'PATCH', `/api/admin/practitioners/${f.nurses[0]}`, { profession: 'public_health' });
    expect(res.statusCode).toBe(409);
    expect(rules(res)).toEqual(['body.profession:profession_in_use']);
  });

  it('deletes nothing referenced: a team leader, a contract’s doctor; an unreferenced one goes', async () => {
    const leader = await inject(admin, 'DELETE', `/api/admin/practitioners/${f.leaderWithContracts}`);
    expect(leader.statusCode).toBe(409);
    expect(rules(leader)).toEqual(expect.arrayContaining([':team_leader', ':team_member', ':contract_doctor']));
    expect(leader.json().detail).toMatch(/lead a family-doctor team/);
    const member = await inject(admin, 'DELETE', `/api/admin/practitioners/${f.nurses[0]}`);
    expect(rules(member)).toEqual([':team_member']);
    const created = (await inject(admin, 'POST', '/api/admin/practitioners', { name: '临时', profession: 'doctor', institutionId: f.centre.id, licenseNo: licence() })).json();
    expect((await inject(admin, 'DELETE', `/api/admin/practitioners/${created.id}`)).statusCode).toBe(204);
    expect((await auditOf('practitioner', created.id)).map((a) => a.action)).toEqual(['create', 'delete']);
    expect(await t.database.db.selectFrom('practitioner').select('id').where('id', '=', created.id).executeTakeFirst()).toBeUndefined();
  });
});

describe('family-doctor teams', () => {
  const members = (over: Array<{ practitionerId: string; role: string }> = []) => [
    { practitionerId: f.doctors.at(-1)!, role: 'gp' },
    { practitionerId: f.nurses.at(-1)!, role: 'nurse' },
    { practitionerId: f.publicHealth.at(-1)!, role: 'public_health' },
    ...over,
  ];
  let teamId: string;

  it('lists an institution’s teams with leader, members and contracted count', async () => {
    const res = (await inject(admin, 'GET', `/api/admin/teams?institutionId=${f.centre.id}`)).json();
    expect(res.total).toBeGreaterThan(0);
    const team = res.items.find((x: { id: string }) => x.id === f.teamWithContracts);
    expect(team.leader.id).toBe(f.leaderWithContracts);
    expect(team.members.map((m: { role: string }) => m.role)).toEqual(['gp', 'nurse', 'public_health', 'specialist']);
    const inForce = await t.database.db.selectFrom('contract').select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', f.teamWithContracts).where('status', '=', 'active').where('end_date', '>=', '2026-06-15').executeTakeFirstOrThrow();
    expect(team.contracted).toBe(Number(inForce.n));
    expect(team.contracted).toBeGreaterThan(0);
  });

  it('creates a team whose leader is a doctor of the institution, with its "3+X" members', async () => {
    const res = await inject(admin, 'POST', '/api/admin/teams', {
      name: '测试家庭医生团队', institutionId: f.centre.id, leaderId: f.doctors.at(-1), phone: '0573-81234567',
      members: members([{ practitionerId: f.upperDoctor, role: 'specialist' }]),
    });
    expect(res.statusCode, res.body).toBe(201);
    const team = res.json();
    teamId = team.id;
    expect(team).toMatchObject({ name: '测试家庭医生团队', leader: { id: f.doctors.at(-1) }, contracted: 0, phone: '0573-81234567' });
    expect(team.members.map((m: { role: string }) => m.role)).toEqual(['gp', 'nurse', 'public_health', 'specialist']);
    expect(team.members[3].institution.id).toBe(f.centre.upper_institution_id); // the "X" from the upper hospital
    const audit = await auditOf('team', teamId);
    expect(audit[0]).toMatchObject({ action: 'create', username: 'admin' });
    expect((audit[0].detail as { members: unknown[] }).members).toHaveLength(4);
    const again = await inject(admin, 'POST', '/api/admin/teams', { name: '测试家庭医生团队', institutionId: f.centre.id, leaderId: f.doctors[0] });
    expect(again.statusCode).toBe(409);
    expect(rules(again)).toEqual(['body.name:team_name_unique']);
  });

  it('refuses a leader who is not a doctor, or a doctor of another institution', async () => {
    for (const leaderId of [f.nurses[0], f.strangerDoctor, f.upperDoctor]) {
      const res = await inject(admin, 'POST', '/api/admin/teams', { name: `无效团队${leaderId.slice(0, 4)}`, institutionId: f.centre.id, leaderId });
      expect(res.statusCode).toBe(400);
      expect(rules(res)).toEqual(['body.leaderId:leader_doctor_of_institution']);
    }
    const atHospital = await inject(admin, 'POST', '/api/admin/teams', { name: '医院团队', institutionId: f.centre.upper_institution_id, leaderId: f.upperDoctor });
    expect(rules(atHospital)).toContain('body.institutionId:grassroots_institution');
  });

  it('sets the members: each profession must fit its role, at the member’s field', async () => {
    const swapped = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, {
      members: [
        { practitionerId: f.doctors.at(-1)!, role: 'gp' },
        { practitionerId: f.publicHealth.at(-1)!, role: 'nurse' }, // a public-health worker as the nurse
        { practitionerId: f.nurses.at(-1)!, role: 'public_health' }, // and a nurse as the public-health worker
        { practitionerId: f.pharmacist, role: 'specialist' }, // a pharmacist is no specialist doctor
      ],
    });
    expect(swapped.statusCode).toBe(400);
    expect(rules(swapped)).toEqual(['body.members.1.practitionerId:profession_fits_role', 'body.members.2.practitionerId:profession_fits_role', 'body.members.3.practitionerId:profession_fits_role']);
    const nurseAsGp = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members([{ practitionerId: f.nurses[0], role: 'gp' }]) });
    expect(rules(nurseAsGp)).toEqual(['body.members.3.practitionerId:profession_fits_role']);
  });

  it('requires a GP, a nurse and a public-health worker; the specialists are optional and may come from the upper hospital, not elsewhere', async () => {
    const noNurse = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members().filter((m) => m.role !== 'nurse') });
    expect(rules(noNurse)).toEqual(['body.members:nurse_required']);
    const none = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: [] });
    expect(rules(none)).toEqual(expect.arrayContaining(['body.members:gp_required', 'body.members:nurse_required', 'body.members:public_health_required', 'body.members:leader_on_team']));
    const stranger = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members([{ practitionerId: f.strangerDoctor, role: 'specialist' }]) });
    expect(rules(stranger)).toEqual(['body.members.3.practitionerId:specialist_from_upper']);
    const foreignNurse = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members([{ practitionerId: f.otherNurse, role: 'nurse' }]) });
    expect(rules(foreignNurse)).toEqual(['body.members.3.practitionerId:member_of_institution']);
    const twice = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members([{ practitionerId: f.doctors.at(-1)!, role: 'specialist' }]) });
    expect(rules(twice)).toEqual(['body.members.3.practitionerId:member_once']);

    const ok = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members([{ practitionerId: f.doctors[0], role: 'specialist' }]) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().members.map((m: { practitionerId: string }) => m.practitionerId).sort()).toEqual([...members().map((m) => m.practitionerId), f.doctors[0]].sort());
    const audit = (await auditOf('team', teamId)).at(-1)!;
    expect(audit.action).toBe('update');
    expect(audit.detail).toEqual({ members: { added: [{ practitioner_id: f.doctors[0], role: 'specialist' }], removed: [{ practitioner_id: f.upperDoctor, role: 'specialist' }] } });
    const without = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members() });
    expect(without.statusCode).toBe(200);
    expect(without.json().members).toHaveLength(3);
  });

  it('changes the leader with the members in one step', async () => {
    const nurseLeads = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members(), leaderId: f.nurses.at(-1) });
    expect(rules(nurseLeads)).toContain('body.leaderId:leader_doctor_of_institution');
    const swap = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: [{ practitionerId: f.doctors[0], role: 'gp' }, ...members().slice(1)], leaderId: f.doctors[0] });
    expect(swap.statusCode, swap.body).toBe(200);
    expect(swap.json().leader.id).toBe(f.doctors[0]);
    expect((await auditOf('team', teamId)).at(-1)!.detail).toMatchObject({ changed: { leader_id: { from: f.doctors.at(-1), to: f.doctors[0] } } });
    const back = await inject(admin, 'PUT', `/api/admin/teams/${teamId}/members`, { members: members(), leaderId: f.doctors.at(-1) });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('renames, changes the phone and the leader (a doctor on the team)', async () => {
    const notOnTeam = await inject(admin, 'PATCH', `/api/admin/teams/${teamId}`, { leaderId: f.doctors[0] });
    expect(rules(notOnTeam)).toEqual(['body.leaderId:leader_on_team']);
    const res = await inject(admin, 'PATCH', `/api/admin/teams/${teamId}`, { name: '测试团队（改）', phone: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '测试团队（改）', phone: null });
    expect((await auditOf('team', teamId)).at(-1)!.detail).toEqual({ changed: { name: { from: '测试家庭医生团队', to: '测试团队（改）' }, phone: { from: '0573-81234567', to: null } } });
  });

  it('deletes a team nothing refers to; refuses one with contracts or a doctor’s account', async () => {
    const used = await inject(admin, 'DELETE', `/api/admin/teams/${f.teamWithContracts}`);
    expect(used.statusCode).toBe(409);
    expect(rules(used)).toContain(':team_has_contracts');
    const doctorTeam = (await t.database.db.selectFrom('app_user').select('team_id').where('username', '=', 'doctor').executeTakeFirstOrThrow()).team_id!;
    expect(rules(await inject(admin, 'DELETE', `/api/admin/teams/${doctorTeam}`))).toContain(':team_has_users');
    expect((await inject(admin, 'DELETE', `/api/admin/teams/${teamId}`)).statusCode).toBe(204);
    expect(await t.database.db.selectFrom('team_member').select('practitioner_id').where('team_id', '=', teamId).execute()).toEqual([]);
  });

  it('offers the institution’s staff and the upper hospital’s doctors as candidates', async () => {
    const list = (await inject(admin, 'GET', `/api/admin/teams/candidates?institutionId=${f.centre.id}`)).json() as Array<{ id: string; profession: string; ownInstitution: boolean }>;
    expect(list.find((p) => p.id === f.upperDoctor)).toMatchObject({ profession: 'doctor', ownInstitution: false });
    expect(list.filter((p) => !p.ownInstitution).every((p) => p.profession === 'doctor')).toBe(true);
    expect(list.some((p) => p.id === f.strangerDoctor)).toBe(false);
    expect(list.some((p) => p.profession === 'pharmacist')).toBe(false);
  });
});

describe('an institution administrator', () => {
  it('sees and changes their own institution’s teams and practitioners only', async () => {
    const teams = (await inject(centreAdmin, 'GET', '/api/admin/teams')).json();
    expect(teams.total).toBeGreaterThan(0);
    expect(teams.items.every((x: { institution: { id: string } }) => x.institution.id === f.centre.id)).toBe(true);
    const staff = (await inject(centreAdmin, 'GET', '/api/admin/practitioners?limit=200')).json();
    expect(staff.items.every((p: { institution: { id: string } }) => p.institution.id === f.centre.id)).toBe(true);
    const created = await inject(centreAdmin, 'POST', '/api/admin/practitioners', { name: '本院护士', profession: 'nurse', institutionId: f.centre.id, licenseNo: licence() });
    expect(created.statusCode, created.body).toBe(201);
    expect((await auditOf('practitioner', created.json().id))[0]).toMatchObject({ action: 'create', username: 'centre-admin' });
    const renamed = await inject(centreAdmin, 'PATCH', `/api/admin/teams/${f.teamWithContracts}`, { phone: '13900001234' });
    expect(renamed.statusCode, renamed.body).toBe(200);
  });

  it('is refused (403, audited) for another institution, whether it asks by list, record or body', async () => {
    const otherTeam = (await t.database.db.selectFrom('family_doctor_team').select('id').where('institution_id', '=', f.otherCentre.id).executeTakeFirstOrThrow()).id;
    const refused = [
      await inject(centreAdmin, 'GET', `/api/admin/teams?institutionId=${f.otherCentre.id}`),
      await inject(centreAdmin, 'GET', `/api/admin/practitioners?institutionId=${f.otherCentre.id}`),
      await inject(centreAdmin, 'GET', `/api/admin/teams/${otherTeam}`),
      await inject(centreAdmin, 'PATCH', `/api/admin/teams/${otherTeam}`, { name: '被改名' }),
      await inject(centreAdmin, 'PUT', `/api/admin/teams/${otherTeam}/members`, { members: [] }),
      await inject(centreAdmin, 'DELETE', `/api/admin/teams/${otherTeam}`),
      await inject(centreAdmin, 'PATCH', `/api/admin/practitioners/${f.strangerDoctor}`, { name: '被改名' }),
      await inject(centreAdmin, 'DELETE', `/api/admin/practitioners/${f.strangerDoctor}`),
      await inject(centreAdmin, 'POST', '/api/admin/practitioners', { name: '外院医生', profession: 'doctor', institutionId: f.otherCentre.id, licenseNo: licence() }),
      await inject(centreAdmin, 'POST', '/api/admin/teams', { name: '外院团队', institutionId: f.otherCentre.id, leaderId: f.strangerDoctor }),
      await inject(centreAdmin, 'GET', `/api/admin/teams/candidates?institutionId=${f.otherCentre.id}`),
      // moving their own practitioner to another institution
      await inject(centreAdmin, 'PATCH', `/api/admin/practitioners/${f.pharmacist}`, { institutionId: f.otherCentre.id }),
      // institutions are the system administrator's
      await inject(centreAdmin, 'GET', '/api/admin/institutions'),
      await inject(centreAdmin, 'PATCH', `/api/admin/institutions/${f.centre.id}`, { name: '自改名称' }),
      await inject(centreAdmin, 'POST', '/api/admin/medical-communities', { name: '自建医共体', countyCode: f.centre.county_code }),
    ];
    expect(refused.map((r) => r.statusCode)).toEqual(refused.map(() => 403));
    // a team that does not exist is answered like one outside the scope
    const missing = await inject(centreAdmin, 'GET', '/api/admin/teams/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(403);
    expect(missing.json().detail).toBe(refused[2].json().detail);
    expect((await inject(admin, 'GET', '/api/admin/teams/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const audit = await t.database.db.selectFrom('audit_log').select('entity').where('username', '=', 'centre-admin').where('action', '=', 'refused').execute();
    expect(audit.length).toBeGreaterThanOrEqual(refused.length);
    expect(new Set(audit.map((a) => a.entity))).toEqual(new Set(['team.manage', 'institution.manage']));
    const stranger = await t.database.db.selectFrom('practitioner').select('name').where('id', '=', f.strangerDoctor).executeTakeFirstOrThrow();
    expect(stranger.name).not.toBe('被改名');
  });

  it('reads the catalogues', async () => {
    for (const url of ['/api/admin/policies', '/api/admin/policies/jiaxing-2021', '/api/admin/drugs', '/api/admin/regions'])
      expect((await inject(centreAdmin, 'GET', url)).statusCode, url).toBe(200);
  });
});

describe('other roles', () => {
  it('a family doctor administers nothing and reads no admin catalogue', async () => {
    for (const url of ['/api/admin/institutions', '/api/admin/teams', '/api/admin/practitioners', '/api/admin/policies', '/api/admin/drugs'])
      expect((await inject(doctor, 'GET', url)).statusCode, url).toBe(403);
  });
});

describe('read-only catalogues', () => {
  it('lists the policies with their periods and says which applies to a region on a date', async () => {
    const res = (await inject(admin, 'GET', '/api/admin/policies?regionCode=330402&date=2026-06-15')).json();
    expect(res).toMatchObject({ date: '2026-06-15', regionCode: '330402', applies: 'jiaxing-2021' });
    expect(res.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['jiaxing-2021', 'national-2019', 'zhenjiang-2021']));
    expect(res.items.find((p: { id: string }) => p.id === 'jiaxing-2021')).toMatchObject({ region: { code: '3304' }, inForce: true, effective: { from: '2021-09-01', to: null } });
    const before = (await inject(admin, 'GET', '/api/admin/policies?regionCode=330402&date=2021-01-01')).json();
    expect(before.applies).not.toBe('jiaxing-2021');
  });

  it('shows a policy’s content as policy show reads it, without file paths', async () => {
    const res = await inject(admin, 'GET', '/api/admin/policies/jiaxing-2021');
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(res.body).not.toMatch(/policies\/|\.ya?ml/);
    const resident = p.schemeDetails.find((s: { type: string }) => s.type === 'resident');
    const twoDisease = resident.benefits.find((b: { kind: string }) => b.kind === 'two_disease');
    expect(twoDisease.deductible.fen).toBe(0);
    expect(twoDisease.annualLimit.fen).toBe(180000); // 1,800 yuan
    expect(twoDisease.ratios.find((r: { level: string }) => r.level === 'grassroots')).toMatchObject({ bp: 6000, source: { kind: 'cite', seed: '002', item: '11' } });
    expect(twoDisease.ratios.find((r: { level: string }) => r.level === 'tertiary').bp).toBeNull();
    expect(resident.linkage).toMatchObject({ outOfScope: 'general_outpatient', selfPaid: 'counts_toward_critical_illness' });
    expect(p.diseaseNames.find((d: { code: string }) => d.code === 'hypertension').nameZh).toBe('高血压');
    expect((await inject(admin, 'GET', '/api/admin/policies/nowhere-2020')).statusCode).toBe(404);
  });

  it('lists the drug catalogue with its lists, filtered by list, disease and VBP', async () => {
    const all = (await inject(admin, 'GET', '/api/admin/drugs')).json();
    expect(all.lists.map((l: { id: string }) => l.id)).toEqual(['chronic-common', 'nrdl', 'tertiary']);
    expect(all.items.length).toBeGreaterThan(100);
    const vbpHypertension = (await inject(admin, 'GET', '/api/admin/drugs?disease=hypertension&vbp=true&list=chronic-common')).json().items;
    expect(vbpHypertension.length).toBeGreaterThan(0);
    expect(vbpHypertension.every((d: { vbp: boolean; diseases: string[]; lists: string[] }) => d.vbp && d.diseases.includes('hypertension') && d.lists.includes('chronic-common'))).toBe(true);
    const selfPaid = (await inject(admin, 'GET', '/api/admin/drugs?list=none')).json().items;
    expect(selfPaid.every((d: { lists: string[] }) => d.lists.length === 0)).toBe(true);
    const named = (await inject(admin, 'GET', `/api/admin/drugs?q=${encodeURIComponent(all.items[0].genericNameZh)}`)).json().items;
    expect(named.map((d: { code: string }) => d.code)).toContain(all.items[0].code);
  });
});
