// `manbing <command>`: each command lives in its own file under ./commands and exports
// `register(program)`, so a capability adds its command without touching the others.
import { Command } from 'commander';
import { commands } from './commands/index';

const program = new Command('manbing').description('慢病 manbing — two-disease outpatient medication guarantee platform');
for (const register of commands) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
