// Province scale (docs/scale.md): the schema can be distributed by person as src/db/tables.ts declares,
// read from the database's own catalogue — and a table that breaks the rule is caught.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ALL_TABLE_KINDS, checkTableKeys, citusDdl } from '../../src/db/tables';
import { migrateTo, migrateToLatest } from '../../src/db/migrate';
import { testDatabase, type TestDatabase } from '../helpers/database';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(() => t.drop());

/** Runs DDL in a transaction that is always rolled back, and answers what the check says meanwhile. */
async function problemsWith(ddl: string, kinds = ALL_TABLE_KINDS) {
  let problems: string[] = [];
  await t.db
    .transaction()
    .execute(async (trx) => {
      await sql.raw(ddl).execute(trx);
      problems = await checkTableKeys(trx, kinds);
      throw new Error('rollback');
    })
    .catch((err: Error) => {
      if (err.message !== 'rollback') throw err;
    });
  return problems;
}

describe('the key rule, read from the catalogue', () => {
  it('holds for every table of the migrated schema', async () => {
    expect(await checkTableKeys(t.db)).toEqual([]);
  });

  it('puts the person in the primary key of the tables a URL reaches by id, and in the idempotency key', async () => {
    const { rows } = await sql<{ table: string; columns: string[] }>`
      select t.relname as table, array(select a.attname::text from unnest(i.indkey::int2[]) with ordinality k(n, o) join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n order by k.o) as columns
      from pg_index i join pg_class t on t.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
      where ic.relname in ('claim_pkey', 'contract_pkey', 'registration_filing_pkey', 'claim_idempotency') order by ic.relname`.execute(t.db);
    expect(rows).toEqual([
      { table: 'claim', columns: ['institution_id', 'idempotency_key', 'person_id'] },
      { table: 'claim', columns: ['id', 'person_id'] },
      { table: 'contract', columns: ['id', 'person_id'] },
      { table: 'registration_filing', columns: ['id', 'person_id'] },
    ]);
  });

  it('refuses a second person with an ID number already held, though person itself is keyed by id only', async () => {
    const held = await t.db.selectFrom('person').select(['id_number']).limit(1).executeTakeFirstOrThrow();
    const copy = sql`insert into person_id_number (id_number, person_id) values (${held.id_number}, gen_random_uuid())`;
    await expect(copy.execute(t.db)).rejects.toThrow(/person_id_number_pkey/);
    const [people, numbers] = await Promise.all([
      t.db.selectFrom('person').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      t.db.selectFrom('person_id_number as x').innerJoin('person as p', (j) => j.onRef('p.id', '=', 'x.person_id').onRef('p.id_number', '=', 'x.id_number'))
        .select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    expect(Number(numbers.n)).toBe(Number(people.n));
  });
});

describe('a table that breaks the rule', () => {
  it('is caught when nobody declared it', async () => {
    const problems = await problemsWith('create table pill_box (id uuid primary key, person_id uuid not null references person(id))');
    expect(problems).toEqual(['pill_box: not declared in src/db/tables.ts (reference, patient, lookup or local?)']);
  });

  it('is caught when a patient-owned table keys a row without the person', async () => {
    const problems = await problemsWith(
      `create table pill_box (id uuid primary key, person_id uuid not null references person(id), ticket text not null unique);
       create table pill_box_line (pill_box_id uuid not null references pill_box(id), person_id uuid not null, line_no int, primary key (pill_box_id, line_no, person_id));
       create table courier (id uuid, primary key (id))`,
      { ...ALL_TABLE_KINDS, pill_box: 'patient', pill_box_line: 'patient', courier: 'patient' },
    );
    expect([...problems].sort()).toEqual([
      'courier: a patient-owned table without person_id',
      'courier: primary key (id) leaves out person_id',
      'pill_box: primary key (id) leaves out person_id',
      'pill_box: unique key pill_box_ticket_key (ticket) leaves out person_id',
      'pill_box_line: foreign key pill_box_line_pill_box_id_fkey to pill_box does not match on the person (pill_box_id)',
    ]);
  });

  it('is caught when a reference table points into a patient-owned one', async () => {
    const problems = await problemsWith('alter table app_user add constraint app_user_person_fkey foreign key (person_id) references person(id)');
    expect(problems).toEqual([
      'app_user: references person, which is declared after it',
      'app_user: foreign key app_user_person_fkey from a reference table to a patient table (person) cannot be kept when distributed',
    ]);
  });
});

describe('migration 0010 (person keys)', () => {
  it('moves every row down and up again', async () => {
    // tables born after 0010 (0013's filing_attachment, 0015's prescriptions to stock) do not exist at 0009: they have no rows to move
    const bornLater = new Set(['filing_attachment', 'delivery_provider', 'prescription', 'prescription_line', 'prescription_event', 'renewal_request', 'dispense',
      'dispense_line', 'delivery_order', 'delivery_event', 'stock_batch', 'stock_movement']);
    // 0017's smart audit: rules, runs, findings and their history
    for (const name of ['audit_rule', 'audit_run', 'audit_finding', 'audit_finding_event']) bornLater.add(name);
    // 0018's samples of unflagged claims
    for (const name of ['audit_sample', 'audit_sample_claim']) bornLater.add(name);
    // 0019's indicator rows: derived, written again for a month when it is next asked for
    for (const name of ['indicator_month', 'indicator_built_month']) bornLater.add(name);
    // 0020's payment runs
    bornLater.add('payment_run');
    // 0021's FHIR imports
    for (const name of ['fhir_import', 'imported_reading', 'outside_medication']) bornLater.add(name);
    // 0022's FHIR export jobs
    bornLater.add('fhir_export');
    // 0016's two-way referrals
    for (const name of ['referral', 'referral_event']) bornLater.add(name);
    const tables = Object.keys(ALL_TABLE_KINDS).filter((name) => !name.startsWith('kysely_') && !bornLater.has(name));
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const name of tables.filter((n) => n !== 'person_audit' && n !== 'audit_log' && n !== 'person_id_number'))
        out[name] = Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(t.db)).rows[0].n);
      // the delivery role is born in 0015 too: going below it takes its accounts
      // (and 0016's hospital doctors, role specialist)
      out.app_user = Number((await sql<{ n: string }>`select count(*) as n from app_user where role not in ('delivery', 'specialist')`.execute(t.db)).rows[0].n);
      // before 0010 one audit table held every row; after it, person_audit holds those about a person
      const split = (await sql<{ t: string | null }>`select to_regclass('person_audit')::text as t`.execute(t.db)).rows[0].t !== null;
      const audit = split ? sql<{ n: string }>`select (select count(*) from audit_log) + (select count(*) from person_audit) as n` : sql<{ n: string }>`select count(*) as n from audit_log`;
      out.audit = Number((await audit.execute(t.db)).rows[0].n);
      return out;
    };
    // some audit rows about a person and some not, so the move has both kinds to carry
    await sql`insert into person_audit (person_id, action, entity) select id, 'read', 'person' from person limit 3`.execute(t.db);
    await sql`insert into audit_log (action, entity) values ('search', 'person')`.execute(t.db);
    const before = await counts();
    await migrateTo(t.db, '0009-catalogue-lists-and-id-checks');
    expect(await counts()).toEqual(before);
    await migrateToLatest(t.db);
    expect(await counts()).toEqual(before);
    expect(await checkTableKeys(t.db)).toEqual([]);
    const unlinked = await sql<{ n: string }>`
      select (select count(*) from claim_line l join claim c on c.id = l.claim_id where c.person_id <> l.person_id)
           + (select count(*) from filing_prescription_line l join registration_filing f on f.id = l.filing_id where f.person_id <> l.person_id)
           + (select count(*) from person p where not exists (select 1 from person_id_number x where x.id_number = p.id_number and x.person_id = p.id)) as n`.execute(t.db);
    expect(Number(unlinked.rows[0].n)).toBe(0);
  });
});

describe('the Citus DDL', () => {
  it('is the one docs/scale.md shows', () => {
    expect(readFileSync(new URL('../../docs/scale.md', import.meta.url), 'utf8')).toContain(citusDdl());
  });

  it('distributes every patient-owned table beside person and copies every reference table', () => {
    const ddl = citusDdl();
    expect(ddl).toContain(`select create_distributed_table('person', 'id', shard_count => 64);`);
    for (const [name, kind] of Object.entries(ALL_TABLE_KINDS)) {
      if (kind === 'patient' && name !== 'person') expect(ddl).toContain(`select create_distributed_table('${name}', 'person_id', colocate_with => 'person');`);
      if (kind === 'reference') expect(ddl).toContain(`select create_reference_table('${name}');`);
    }
  });
});
