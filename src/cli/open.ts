// The database as every command needs it: opened, migrated, and the shipped catalogues (regions,
// diseases, drugs, service packages) refreshed from data/.
import type { Config } from '../config';
import type { Connection } from '../db/connect';
import { openDatabase } from '../db/open';
import { syncReferenceData } from '../modules/reference/sync';
import { claimDataDir } from './serverFile';

export async function openWithCatalogues(config: Pick<Config, 'DATABASE_URL' | 'MANBING_DATA_DIR'>) {
  const connection = await openDatabase(config);
  await syncReferenceData(connection.db);
  return connection;
}

/**
 * For a command other than the server: the embedded data dir is claimed first, because two processes
 * writing it corrupt it — while `manbing start` holds it this refuses, naming the server — and is let
 * go when the connection closes. A PostgreSQL server needs no claim.
 */
export async function openForCommand(config: Pick<Config, 'DATABASE_URL' | 'MANBING_DATA_DIR'>): Promise<Connection> {
  const claim = config.DATABASE_URL ? null : claimDataDir(config.MANBING_DATA_DIR);
  try {
    const connection = await openWithCatalogues(config);
    return {
      db: connection.db,
      kind: connection.kind,
      close: async () => {
        try {
          await connection.close();
        } finally {
          claim?.release();
        }
      },
    };
  } catch (e) {
    claim?.release();
    throw e;
  }
}
