import type { Command } from 'commander';
import { registerDatabase } from './database';
import { registerStart } from './start';

/** Every CLI command, in the order `manbing --help` lists them. */
export const commands: Array<(program: Command) => void> = [registerStart, registerDatabase];
