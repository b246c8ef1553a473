import type { Command } from 'commander';
import { registerAudit } from './audit';
import { registerBackup } from './backup';
import { registerDatabase } from './database';
import { registerExport } from './exportFhir';
import { registerImport } from './import';
import { registerIndicators } from './indicators';
import { registerPayments } from './payments';
import { registerPolicy } from './policy';
import { registerReminders } from './reminders';
import { registerReport } from './report';
import { registerSettleBatch } from './settle-batch';
import { registerSimulate } from './simulate';
import { registerStart } from './start';

/** Every CLI command, in the order `manbing --help` lists them. */
export const commands: Array<(program: Command) => void> = [registerStart, registerDatabase];
commands.push(registerPolicy, registerSettleBatch, registerSimulate, registerReminders);
commands.push(registerBackup);
commands.push(registerAudit);
commands.push(registerIndicators);
commands.push(registerReport);
commands.push(registerPayments);
commands.push((program) => registerImport(program));
commands.push((program) => registerExport(program));
