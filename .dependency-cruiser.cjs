// Layers point down only (docs/ARCHITECTURE.md): engine ← core ← modules ← server ← cli, db below
// the modules, the web app apart. `npm run lint:layers` (and CI) refuses an import that breaks a rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'engine-is-pure', comment: 'the engine imports only the engine', severity: 'error', from: { path: '^src/engine/' }, to: { path: '^src/', pathNot: '^src/engine/' } },
    { name: 'core-below-modules', comment: 'core (context, problems, access, policies) knows no module, server or cli', severity: 'error', from: { path: '^src/core/' }, to: { path: '^src/(modules|server|cli)/' } },
    { name: 'db-below-modules', comment: 'the database layer imports no module', severity: 'error', from: { path: '^src/db/' }, to: { path: '^src/(modules|server|cli|core)/' } },
    { name: 'modules-below-server', comment: 'modules never import the server assembly or the CLI', severity: 'error', from: { path: '^src/modules/' }, to: { path: '^src/(server|cli)/' } },
    { name: 'server-below-cli', severity: 'error', from: { path: '^src/server/' }, to: { path: '^src/cli/' } },
    {
      name: 'module-through-service',
      comment: 'a module uses another module only through its service',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/service\\.ts$'] },
    },
    { name: 'web-apart', comment: 'the web app talks to the server over HTTP only', severity: 'error', from: { path: '^web/' }, to: { path: '^src/' } },
    { name: 'no-circular', severity: 'error', from: { path: '^src/(engine|core|db)/' }, to: { circular: true, dependencyTypesNot: ['type-only'] } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
