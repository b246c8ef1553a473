#!/usr/bin/env node
// Builds the web app with vite only when its sources changed since the last build, so `npm start` and
// `npm test` do not spend half a minute rebuilding the same files. The sources are web/ (but web/dist),
// the lock file (the versions of vite, React, antd) and tsconfig.json (vite reads it for every file);
// their hash is kept in web/dist/.source-hash, written only after a build succeeded.
// `npm run build:web` still builds unconditionally.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const dist = join(web, 'dist');
const hashFile = join(dist, '.source-hash');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === dist || entry.name === 'node_modules') continue;
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

const sources = [...files(web), join(root, 'package-lock.json'), join(root, 'tsconfig.json')].filter(existsSync);
const hash = createHash('sha256');
// path and content, in a fixed order: a renamed or moved file changes the hash too
for (const path of sources.map((p) => relative(root, p).split(sep).join('/')).sort()) {
  hash.update(`${path}\0`).update(readFileSync(join(root, path))).update('\0');
}
const digest = hash.digest('hex');

const built = existsSync(join(dist, 'index.html')) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === digest;
if (built) {
  console.log('web app is up to date (web/dist)');
} else {
  const { build } = await import('vite');
  try {
    await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  } catch {
    // vite has printed what failed; no hash is written, so the next run tries again
    process.exit(1);
  }
  writeFileSync(hashFile, `${digest}\n`);
  console.log('web app built (web/dist)');
}
