import type { Command } from 'commander';

export function registerStart(program: Command) {
  program
    .command('start')
    .description('Start the API and the web app; an empty database gets the demo city')
    .option('--no-demo', 'leave an empty database empty')
    .action(async (options: { demo: boolean }) => {
      // loaded here, not at the top, so other commands start without the server's modules
      const { loadConfig } = await import('../../config');
      const { shanghaiDate } = await import('../../engine/calendar');
      const { describeDatabase } = await import('../../db/open');
      const { openWithCatalogues: openDatabase } = await import('../open');
      const { DEMO_MAIN_USERS, DEMO_PASSWORD, isDatabaseEmpty, loadDemoCity } = await import('../../modules/demo/load');
      const { PolicyBook } = await import('../../core/policyBook');
      const { buildApp, loggerOptions } = await import('../../server/app');
      const { controlChannel } = await import('../../server/control');
      const { claimDataDir } = await import('../serverFile');

      const config = loadConfig();
      // the embedded database has one owner: server.json names it (and where `manbing backup` can ask it)
      const claim = config.DATABASE_URL ? null : claimDataDir(config.MANBING_DATA_DIR);
      const policies = PolicyBook.load();
      const connection = await openDatabase(config);
      if (options.demo && (await isDatabaseEmpty(connection.db))) {
        console.log('Empty database: loading the demo city (3,000 patients)…');
        await loadDemoCity(connection.db, { patients: 3000, seed: 1, asOf: shanghaiDate(new Date()), audit: true });
      }
      // the daily follow-up reminder job and the nightly smart audit run in this process unless MANBING_REMINDERS / MANBING_AUDIT=off
      const app = await buildApp(
        { db: connection.db, config, now: () => new Date(), policies },
        { logger: loggerOptions(config.LOG_LEVEL), reminders: config.MANBING_REMINDERS, audit: config.MANBING_AUDIT, control: claim ? controlChannel(claim.token, connection) : undefined },
      );
      // PGlite writes its files on close: stop cleanly so a second start finds the data intact
      const stop = async () => {
        await app.close();
        await connection.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await app.listen({ port: config.PORT, host: config.HOST });
      claim?.announce(app.server.address());
      const demoUsers = await connection.db.selectFrom('app_user').select('username').where('demo', '=', true).where('username', 'in', DEMO_MAIN_USERS).execute();
      console.log(`\nmanbing 慢病 is running at http://localhost:${config.PORT}  (API docs: /docs)`);
      console.log(`Database: ${describeDatabase(config)}`);
      if (demoUsers.length)
        console.log(`Demo logins: ${demoUsers.map((u) => u.username).join(', ')} (and doctor-NNN, reviewer-<county code> for the other teams and counties) — password ${DEMO_PASSWORD}\n`);
    });
}
