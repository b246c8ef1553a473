import type { Command } from 'commander';
import { shanghaiDate } from '../../engine/calendar';
import { progressBar } from '../progress';

// the database and demo modules load inside the actions, so other commands start without them
const database = () => Promise.all([import('../../config'), import('../../db/open'), import('../../modules/demo/load'), import('../open')]);

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
};

export function registerDatabase(program: Command) {
  program
    .command('migrate')
    .description('Create or migrate the database (DATABASE_URL, else the embedded one in MANBING_DATA_DIR)')
    .action(async () => {
      const [{ loadConfig }, { describeDatabase }, , { openForCommand: openDatabase }] = await database();
      const config = loadConfig();
      const connection = await openDatabase(config);
      await connection.close();
      console.log(`Database is up to date: ${describeDatabase(config)}`);
    });

  program
    .command('demo')
    .description('Load the synthetic demo city (Jiaxing 嘉兴) into an empty database')
    .option('--patients <n>', 'two-disease patients to generate (healthy residents are added alongside)', positiveInt('--patients'), 3000)
    .option('--seed <n>', 'random seed: the same seed builds the same city', positiveInt('--seed'), 1)
    .option('--as-of <date>', 'the day the history runs up to (YYYY-MM-DD)', shanghaiDate(new Date()))
    .action(async (options: { patients: number; seed: number; asOf: string }) => {
      const [{ loadConfig }, { describeDatabase }, { DEMO_MAIN_USERS, DEMO_PASSWORD, loadDemoCity }, { openForCommand: openDatabase }] = await database();
      const config = loadConfig();
      const connection = await openDatabase(config);
      try {
        const started = Date.now();
        const bar = progressBar('patients');
        const result = await loadDemoCity(connection.db, { ...options, onProgress: bar.update });
        bar.stop();
        console.log(`Demo city loaded into ${describeDatabase(config)} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.patients} patients, ${result.institutions} institutions, ${result.teams} teams.`);
        console.log(`Demo users: ${DEMO_MAIN_USERS.join(', ')} (and doctor-NNN, reviewer-<county code>, pharmacist-<institution code>, delivery-<county code>) — password ${DEMO_PASSWORD}`);
      } finally {
        await connection.close();
      }
    });
}
