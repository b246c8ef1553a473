// What every service receives: the database, the configuration and the clock. Passed down from
// the app factory, never imported as a global, so tests can give each app its own.
import type { Config } from '../config';
import type { Database } from '../db/connect';
import type { PolicyBook } from './policyBook';

export interface AppContext {
  db: Database;
  config: Config;
  /** The current instant; tests move it. */
  now: () => Date;
  /** The benefit policies in force, loaded once at start-up. */
  policies: PolicyBook;
}
