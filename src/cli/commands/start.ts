import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { shanghaiDate } from '../../engine/calendar';
import { describeDatabase, openDatabase } from '../../db/open';
import { DEMO_PASSWORD, isDatabaseEmpty, loadDemoCity } from '../../modules/demo/load';
import { buildApp, loggerOptions } from '../../server/app';
import { PolicyBook } from '../../modules/settlement/policyBook';

export function registerStart(program: Command) {
  program
    .command('start')
    .description('Start the API and the web app; an empty database gets the demo city')
    .option('--no-demo', 'leave an empty database empty')
    .action(async (options: { demo: boolean }) => {
      const config = loadConfig();
      const connection = await openDatabase(config);
      if (options.demo && (await isDatabaseEmpty(connection.db))) {
        console.log('Empty database: loading the demo city (3,000 patients)…');
        await loadDemoCity(connection.db, { patients: 3000, seed: 1, asOf: shanghaiDate(new Date()) });
      }
      const app = await buildApp({ db: connection.db, config, now: () => new Date(), policies: PolicyBook.load() }, { logger: loggerOptions(config.LOG_LEVEL) });
      // PGlite writes its files on close: stop cleanly so a second start finds the data intact
      const stop = async () => {
        await app.close();
        await connection.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await app.listen({ port: config.PORT, host: config.HOST });
      const demoUsers = await connection.db.selectFrom('app_user').select('username').where('demo', '=', true).execute();
      console.log(`\nmanbing 慢病 is running at http://localhost:${config.PORT}  (API docs: /docs)`);
      console.log(`Database: ${describeDatabase(config)}`);
      if (demoUsers.length) console.log(`Demo logins: ${demoUsers.map((u) => u.username).join(', ')} — password ${DEMO_PASSWORD}\n`);
    });
}
