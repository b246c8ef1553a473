// The database as every command needs it: opened, migrated, and the shipped catalogues (regions,
// diseases, drugs, service packages) refreshed from data/.
import type { Config } from '../config';
import { openDatabase } from '../db/open';
import { syncReferenceData } from '../modules/reference/sync';

export async function openWithCatalogues(config: Pick<Config, 'DATABASE_URL' | 'MANBING_DATA_DIR'>) {
  const connection = await openDatabase(config);
  await syncReferenceData(connection.db);
  return connection;
}
