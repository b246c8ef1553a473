import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app';

let t: TestApp;
let doctor: string;
let reviewer: string;
let analyst: string;
let patient: string;
beforeAll(async () => {
  t = await testApp();
  [doctor, reviewer, analyst, patient] = await Promise.all(['doctor', 'reviewer', 'analyst', 'patient'].map((u) => t.login(u)));
});
afterAll(() => t.close());

const search = (cookie: string, query: Record<string, string>) =>
  t.app.inject({ url: '/api/people', query, headers: { cookie } });

/** A person of the demo city outside the doctor's town but inside the reviewer's county. */
async function personOutsideDoctorTown() {
  const me = (await t.app.inject({ url: '/api/auth/me', headers: { cookie: doctor } })).json().user;
  const team = await t.database.db.selectFrom('family_doctor_team as t').innerJoin('institution as i', 'i.id', 't.institution_id').select('i.region_code').where('t.id', '=', me.scope.id).executeTakeFirstOrThrow();
  return t.database.db
    .selectFrom('person')
    .selectAll()
    .where('region_code', '!=', team.region_code)
    .where('region_code', 'like', `${team.region_code.slice(0, 6)}%`)
    .limit(1)
    .executeTakeFirstOrThrow();
}

describe('person search', () => {
  it('keeps a family doctor to their team’s town', async () => {
    const res = await search(doctor, { limit: '100' });
    expect(res.statusCode).toBe(200);
    const regions = new Set(res.json().items.map((p: { region: { code: string } }) => p.region.code));
    expect(regions.size).toBe(1);
    const other = await personOutsideDoctorTown();
    expect((await search(doctor, { q: other.id_number })).json().items).toHaveLength(0);
    expect((await t.app.inject({ url: `/api/people/${other.id}`, headers: { cookie: doctor } })).statusCode).toBe(403);
    // the county's reviewer sees the same person
    expect((await search(reviewer, { q: other.id_number })).json().items).toHaveLength(1);
  });

  it('finds by full ID number, phone and name prefix', async () => {
    const p = await personOutsideDoctorTown();
    const byId = (await search(reviewer, { q: p.id_number.toLowerCase() })).json();
    expect(byId.items.map((i: { id: string }) => i.id)).toEqual([p.id]);
    if (p.phone) expect((await search(reviewer, { q: p.phone })).json().items.map((i: { id: string }) => i.id)).toContain(p.id);
    const byName = (await search(reviewer, { q: p.name.slice(0, 1), limit: '100' })).json();
    expect(byName.items.every((i: { name: string }) => i.name.startsWith(p.name.slice(0, 1)))).toBe(true);
  });

  it('masks ID numbers for every role in lists; the full number is a reveal, audited; the analyst searches nobody', async () => {
    const p = await personOutsideDoctorTown();
    const listed = (await search(reviewer, { q: p.id_number })).json().items[0];
    expect(listed.idNumber).toBe(`${p.id_number.slice(0, 6)}********${p.id_number.slice(14)}`);
    const own = (await search(doctor, { limit: '1' })).json().items[0];
    expect(own.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const reveal = await t.app.inject({ url: `/api/people/${p.id}/id-number`, headers: { cookie: reviewer } });
    expect(reveal.json()).toEqual({ idNumber: p.id_number });
    const audited = await t.database.db.selectFrom('person_audit').select(['username', 'entity']).where('person_id', '=', p.id).where('entity', '=', 'person.id_number').execute();
    expect(audited).toEqual([{ username: 'reviewer', entity: 'person.id_number' }]);
    expect((await t.app.inject({ url: `/api/people/${p.id}/id-number`, headers: { cookie: doctor } })).statusCode).toBe(403);
    expect((await search(analyst, { q: p.id_number })).statusCode).toBe(403);
  });

  it('keeps a pharmacist to the person at the counter: a full ID number, or a name and the last digits', async () => {
    const pharmacist = await t.login('pharmacist');
    const browse = await search(pharmacist, {});
    expect(browse.statusCode).toBe(400);
    expect(browse.json().errors[0]).toMatchObject({ field: 'query.q', rule: 'counter_search_terms' });
    expect((await search(pharmacist, { q: '张' })).statusCode).toBe(400);
    const p = await t.database.db.selectFrom('person').select(['id', 'name', 'id_number']).where('region_code', 'like', '330402%').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const byId = (await search(pharmacist, { q: p.id_number })).json().items;
    expect(byId.map((i: { id: string }) => i.id)).toEqual([p.id]);
    const byNameAndDigits = (await search(pharmacist, { q: `${p.name} ${p.id_number.slice(-4)}` })).json().items;
    expect(byNameAndDigits.map((i: { id: string }) => i.id)).toContain(p.id);
  });

  it('finds a family doctor’s patient by name and the last four ID characters ("张三 1234"), in the doctor’s town only', async () => {
    const mine = (await search(doctor, { limit: '1' })).json().items[0] as { id: string; name: string };
    const row = await t.database.db.selectFrom('person').select(['id', 'name', 'id_number', 'region_code']).where('id', '=', mine.id).executeTakeFirstOrThrow();
    const last4 = row.id_number.slice(-4);
    const ids = async (q: string) => {
      const res = await search(doctor, { q, limit: '100' });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Array<{ id: string; name: string; idNumber: string }>);
    };
    for (const q of [`${row.name} ${last4}`, `${row.name}${last4}`, `${row.name}\u3000${last4.toLowerCase()}`, `${row.name.slice(0, 1)} ${last4}`]) {
      const items = await ids(q);
      expect(items.map((i) => i.id), q).toContain(row.id);
      // every hit has that name prefix and those last characters (of the ID number, or of the phone)
      expect(items.every((i) => i.name.startsWith(q.slice(0, 1)))).toBe(true);
    }
    const exact = await ids(`${row.name} ${last4}`);
    expect(exact.filter((i) => i.idNumber.endsWith(last4.toUpperCase())).map((i) => i.id)).toContain(row.id);
    // a wrong last four does not find them
    const wrong = String((Number(row.id_number.slice(-5, -1)) + 1) % 10000).padStart(4, '0');
    expect((await ids(`${row.name} ${wrong}`)).map((i) => i.id)).not.toContain(row.id);
    // someone of another town, by their name and last four, is not found by the doctor (but is by the county's reviewer)
    const other = await personOutsideDoctorTown();
    expect(await ids(`${other.name} ${other.id_number.slice(-4)}`)).toEqual(expect.not.arrayContaining([expect.objectContaining({ id: other.id })]));
    expect((await search(reviewer, { q: `${other.name} ${other.id_number.slice(-4)}` })).json().items.map((i: { id: string }) => i.id)).toContain(other.id);
  });

  it('writes every person shown to the audit log with who and from where', async () => {
    const p = await personOutsideDoctorTown();
    const before = await t.database.db.selectFrom('person_audit').select(({ fn }) => fn.countAll<number>().as('n')).where('person_id', '=', p.id).executeTakeFirstOrThrow();
    await search(reviewer, { q: p.id_number });
    await t.app.inject({ url: `/api/people/${p.id}`, headers: { cookie: reviewer } });
    const rows = await t.database.db.selectFrom('person_audit').selectAll().where('person_id', '=', p.id).orderBy('id').execute();
    expect(rows.length).toBe(Number(before.n) + 2);
    expect(rows.slice(-2).map((r) => [r.username, r.action, r.entity])).toEqual([['reviewer', 'search', 'person'], ['reviewer', 'read', 'person']]);
    expect(rows.at(-1)!.ip).toBeTruthy();
    // the audit detail never holds the ID number searched for
    expect(JSON.stringify(rows.map((r) => r.detail))).not.toContain(p.id_number);
  });

  it('gives a patient their own record only', async () => {
    const me = await t.app.inject({ url: '/api/people/me', headers: { cookie: patient } });
    expect(me.statusCode).toBe(200);
    const record = me.json();
    expect(record.diseases.map((d: { code: string }) => d.code)).toContain('hypertension');
    expect(record.idNumber).toMatch(/^\d{17}[\dX]$/); // their own number, unmasked
    expect((await search(patient, {})).statusCode).toBe(403);
    const other = await personOutsideDoctorTown();
    expect((await t.app.inject({ url: `/api/people/${other.id}`, headers: { cookie: patient } })).statusCode).toBe(403);
  });

  it('validates the query and names the field', async () => {
    const res = await search(reviewer, { limit: '1000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'query.limit', rule: 'too_big' });
    expect((await t.app.inject({ url: '/api/people/not-a-uuid', headers: { cookie: reviewer } })).json().errors[0].field).toBe('params.id');
    // a person who does not exist is answered like one outside the scope: nobody learns who exists
    expect((await t.app.inject({ url: '/api/people/00000000-0000-4000-8000-000000000000', headers: { cookie: reviewer } })).statusCode).toBe(403);
  });
});

describe('health and documentation', () => {
  it('is healthy and documents every API route in OpenAPI 3.1', async () => {
    expect((await t.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok', database: 'reachable' });
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/people', '/api/people/{id}', '/api/people/me', '/health'])
      expect(Object.keys(doc.paths), path).toContain(path);
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
  it('answers unknown API routes with problem+json 404', async () => {
    const res = await t.app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
