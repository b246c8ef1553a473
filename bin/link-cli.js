// npm links the bins of dependencies into node_modules/.bin but not the project's own; linking
// ours there too lets `npx manbing …` run this checkout's CLI without a global install.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';

mkdirSync('node_modules/.bin', { recursive: true });
rmSync('node_modules/.bin/manbing', { force: true });
symlinkSync('../../bin/manbing.js', 'node_modules/.bin/manbing');
