// Migrations are ordered TypeScript files listed here (a static list, so bundling and tsx agree).
import { type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { Database } from './connect';
import * as m0001 from './migrations/0001-base';
import * as m0002 from './migrations/0002-contracts-registrations';
import * as m0003 from './migrations/0003-settlement';
import * as m0004 from './migrations/0004-followups';
import * as m0005 from './migrations/0005-accumulator-version';
import * as m0006 from './migrations/0006-filing-queue-covering';
import * as m0007 from './migrations/0007-settlement-rules';
import * as m0008 from './migrations/0008-followup-urgent-signs';
import * as m0009 from './migrations/0009-catalogue-lists-and-id-checks';
import * as m0010 from './migrations/0010-person-keys';
import * as m0011 from './migrations/0011-administration';
import * as m0012AuditIndexes from './migrations/0012-audit-indexes';
import * as m0014SettlementNumber from './migrations/0014-settlement-number';
import * as m0013FilingAttachments from './migrations/0013-filing-attachments';
import * as m0015Prescriptions from './migrations/0015-prescriptions';
import * as m0016Referrals from './migrations/0016-referrals';
import * as m0017SmartAudit from './migrations/0017-smart-audit';
import * as m0018AuditSampling from './migrations/0018-audit-sampling';
import * as m0019Indicators from './migrations/0019-indicators';
import * as m0020Payments from './migrations/0020-payments';
import * as m0021FhirImport from './migrations/0021-fhir-import';
import * as m0022FhirExport from './migrations/0022-fhir-export';

const migrations: Record<string, Migration> = {
  '0001-base': m0001,
  '0002-contracts-registrations': m0002,
  '0003-settlement': m0003,
  '0004-followups': m0004,
  '0005-accumulator-version': m0005,
  '0006-filing-queue-covering': m0006,
  '0007-settlement-rules': m0007,
  '0008-followup-urgent-signs': m0008,
  '0009-catalogue-lists-and-id-checks': m0009,
  '0010-person-keys': m0010,
  '0011-administration': m0011,
  '0012-audit-indexes': m0012AuditIndexes,
  '0013-filing-attachments': m0013FilingAttachments,
  '0014-settlement-number': m0014SettlementNumber,
  '0015-prescriptions': m0015Prescriptions,
  '0016-referrals': m0016Referrals,
  '0017-smart-audit': m0017SmartAudit,
  '0018-audit-sampling': m0018AuditSampling,
  '0019-indicators': m0019Indicators,
  '0020-payments': m0020Payments,
  '0021-fhir-import': m0021FhirImport,
  '0022-fhir-export': m0022FhirExport,
};

const migratorOf = (db: Database) => new Migrator({ db, provider: { getMigrations: async () => migrations } });
const succeeded = (result: MigrationResultSet) => {
  if (result.error) throw result.error;
  return result;
};

export async function migrateToLatest(db: Database): Promise<MigrationResultSet> {
  return succeeded(await migratorOf(db).migrateToLatest());
}

/** Up or down to the named migration (the tests that move data across a migration use it). */
export async function migrateTo(db: Database, name: keyof typeof migrations & string): Promise<MigrationResultSet> {
  return succeeded(await migratorOf(db).migrateTo(name));
}
