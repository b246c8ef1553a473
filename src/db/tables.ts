// Where each table lives when a province outgrows one PostgreSQL (docs/scale.md): the path is Citus,
// sharded by insured person. Every table is declared here, once, in foreign-key order (a table comes
// after every table it references), and checkTableKeys reads the database's catalogue to prove the
// schema can be distributed as declared. A new table that is not declared, or a patient-owned table
// whose keys leave out the person, fails test/api/schema-keys.test.ts in CI.
import { sql } from 'kysely';
import type { Database } from './connect';
import type { DB } from './schema';

export type TableKind =
  /** catalogue and directory: small, read everywhere, copied to every node (create_reference_table) */
  | 'reference'
  /** one insured person's rows: distributed by person_id, co-located with person */
  | 'patient'
  /** keyed by a natural key that must be unique across persons: distributed by that key, not co-located */
  | 'lookup'
  /** bookkeeping of the deployment itself: stays on the coordinator */
  | 'local';

export const TABLE_KINDS = {
  region: 'reference',
  disease: 'reference',
  drug: 'reference',
  medical_community: 'reference',
  institution: 'reference',
  practitioner: 'reference',
  family_doctor_team: 'reference',
  team_member: 'reference',
  service_package: 'reference',
  delivery_provider: 'reference',
  // a patient's account names its person without a foreign key: a reference table cannot point into a distributed one
  app_user: 'reference',
  person: 'patient',
  person_condition: 'patient',
  contract: 'patient',
  contract_event: 'patient',
  registration_filing: 'patient',
  filing_disease: 'patient',
  filing_prescription_line: 'patient',
  filing_event: 'patient',
  filing_attachment: 'patient',
  registration: 'patient',
  continuous_prescription: 'patient',
  benefit_accumulator: 'patient',
  claim: 'patient',
  claim_line: 'patient',
  claim_adjustment: 'patient',
  claim_event: 'patient',
  followup_visit: 'patient',
  health_check: 'patient',
  followup_state: 'patient',
  indicator_month: 'patient',
  followup_reminder: 'patient',
  person_audit: 'patient',
  prescription: 'patient',
  prescription_line: 'patient',
  prescription_event: 'patient',
  renewal_request: 'patient',
  dispense: 'patient',
  dispense_line: 'patient',
  delivery_order: 'patient',
  delivery_event: 'patient',
  referral: 'patient',
  referral_event: 'patient',
  person_id_number: 'lookup',
  user_session: 'local',
  job_run: 'local',
  audit_log: 'local',
  // an institution's stock, written with a dispense in one transaction: small, kept on the coordinator
  stock_batch: 'local',
  stock_movement: 'local',
  // smart audit (0017): the rules are a catalogue; runs and findings are the fund's records about claims, on the coordinator
  audit_rule: 'reference',
  audit_run: 'local',
  audit_finding: 'local',
  audit_finding_event: 'local',
  // smart audit's sampling (0018): the fund's samples of unflagged claims, beside the findings
  audit_sample: 'local',
  indicator_built_month: 'local',
  audit_sample_claim: 'local',
  // provider payment (0020): the fund's runs over whole areas, not a person's rows
  payment_run: 'local',
  // FHIR import (0021): what hospitals sent, a person's rows; the imports' own records on the coordinator
  imported_reading: 'patient',
  outside_medication: 'patient',
  fhir_import: 'local',
  fhir_export: 'local',
} as const satisfies { [T in keyof DB]: TableKind };

/** Tables the migrator keeps (Kysely's), not part of the product's schema type. */
const MIGRATOR_TABLES = { kysely_migration: 'local', kysely_migration_lock: 'local' } as const;

export type TableKinds = Record<string, TableKind>;
export const ALL_TABLE_KINDS: TableKinds = { ...TABLE_KINDS, ...MIGRATOR_TABLES };

/** The natural key each lookup table is distributed by (and its whole primary key). */
const LOOKUP_KEYS: Record<string, string> = { person_id_number: 'id_number' };

/** The column a table is distributed by: person's own id, person_id for the rest of a patient's rows, a lookup's key. */
export const distributionColumn = (table: string) => (table === 'person' ? 'id' : (LOOKUP_KEYS[table] ?? 'person_id'));

interface Key {
  table: string;
  name: string;
  primary: boolean;
  columns: string[];
}
interface ForeignKey {
  table: string;
  name: string;
  references: string;
  columns: string[];
  referencedColumns: string[];
}

async function readCatalogue(db: Database) {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') order by 1`.execute(db);
  const columns = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column from pg_attribute a join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped`.execute(db);
  // key columns only (not an index's INCLUDE columns); an expression column has attnum 0 and no name
  const keys = await sql<Key>`
    select t.relname as table, ic.relname as name, i.indisprimary as primary,
      array(select a.attname::text from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
            left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
            where k.ord <= i.indnkeyatts order by k.ord) as columns
    from pg_index i join pg_class t on t.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema() and i.indisunique`.execute(db);
  const foreignKeys = await sql<ForeignKey>`
    select t.relname as table, con.conname as name, r.relname as references,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
      array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as "referencedColumns"
    from pg_constraint con join pg_class t on t.oid = con.conrelid join pg_class r on r.oid = con.confrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema() and con.contype = 'f'`.execute(db);
  return { tables: tables.rows.map((r) => r.name), columns: columns.rows, keys: keys.rows, foreignKeys: foreignKeys.rows };
}

/**
 * What stops the schema from being distributed as declared: one sentence per problem, empty when
 * none. Rules (Citus's): a patient-owned table has its distribution column, in its primary key and
 * in every unique key; a foreign key between patient-owned tables pairs the two distribution columns;
 * a reference or coordinator table points only at reference (or coordinator) tables; a lookup table
 * points at nothing distributed; and a table comes after the tables it references.
 */
export async function checkTableKeys(db: Database, kinds: TableKinds = ALL_TABLE_KINDS): Promise<string[]> {
  const { tables, columns, keys, foreignKeys } = await readCatalogue(db);
  const problems: string[] = [];
  const order = Object.keys(kinds);
  for (const t of tables) if (!kinds[t]) problems.push(`${t}: not declared in src/db/tables.ts (reference, patient, lookup or local?)`);
  for (const t of order) if (!tables.includes(t)) problems.push(`${t}: declared in src/db/tables.ts but not in the database`);

  for (const t of tables.filter((t) => kinds[t] === 'patient')) {
    const dist = distributionColumn(t);
    if (!columns.some((c) => c.table === t && c.column === dist)) problems.push(`${t}: a patient-owned table without ${dist}`);
    const own = keys.filter((k) => k.table === t);
    if (!own.some((k) => k.primary)) problems.push(`${t}: no primary key`);
    for (const k of own)
      if (!k.columns.includes(dist)) problems.push(`${t}: ${k.primary ? 'primary key' : `unique key ${k.name}`} (${k.columns.join(', ')}) leaves out ${dist}`);
  }
  for (const t of tables.filter((t) => kinds[t] === 'lookup')) {
    const primary = keys.find((k) => k.table === t && k.primary);
    if (!LOOKUP_KEYS[t] || primary?.columns.join() !== LOOKUP_KEYS[t]) problems.push(`${t}: a lookup table's primary key is the one key named in LOOKUP_KEYS`);
    if (keys.some((k) => k.table === t && !k.primary)) problems.push(`${t}: a lookup table has no unique key but its primary key`);
  }

  for (const fk of foreignKeys) {
    const from = kinds[fk.table];
    const to = kinds[fk.references];
    if (!from || !to) continue;
    if (fk.references !== fk.table && order.indexOf(fk.references) > order.indexOf(fk.table))
      problems.push(`${fk.table}: references ${fk.references}, which is declared after it`);
    if (from === 'patient' && to === 'patient') {
      const at = fk.columns.indexOf(distributionColumn(fk.table));
      if (at < 0 || fk.referencedColumns[at] !== distributionColumn(fk.references))
        problems.push(`${fk.table}: foreign key ${fk.name} to ${fk.references} does not match on the person (${fk.columns.join(', ')})`);
    } else if (from === 'patient' ? to !== 'reference' : from === 'local' ? to === 'patient' || to === 'lookup' : to !== 'reference') {
      problems.push(`${fk.table}: foreign key ${fk.name} from a ${from} table to a ${to} table (${fk.references}) cannot be kept when distributed`);
    }
  }
  return problems;
}

/** The Citus DDL that distributes the schema as declared (docs/scale.md shows it). */
export function citusDdl(kinds: TableKinds = TABLE_KINDS, shardCount = 64): string {
  const lines: string[] = [];
  const of = (kind: TableKind) => Object.keys(kinds).filter((t) => kinds[t] === kind);
  lines.push('-- catalogue and directory: a copy on every worker, so joins with them stay on the shard');
  for (const t of of('reference')) lines.push(`select create_reference_table('${t}');`);
  lines.push('', `-- one insured person's rows: ${shardCount} shards by person, every patient-owned table beside its person`);
  lines.push(`select create_distributed_table('person', 'id', shard_count => ${shardCount});`);
  for (const t of of('patient').filter((t) => t !== 'person'))
    lines.push(`select create_distributed_table('${t}', '${distributionColumn(t)}', colocate_with => 'person');`);
  lines.push('', '-- unique across persons: distributed by the natural key itself');
  for (const t of of('lookup')) lines.push(`select create_distributed_table('${t}', '${distributionColumn(t)}', shard_count => ${shardCount});`);
  lines.push('', `-- stay on the coordinator as they are: ${of('local').join(', ')}`);
  return lines.join('\n');
}
