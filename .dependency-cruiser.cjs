/**
 * The dependency rules of src/ (`npm run lint:deps`, part of `npm run lint`): no import cycle
 * between files or between folders, and the layers point one way (docs/ARCHITECTURE.md).
 *
 * Folder cycles: dependency-cruiser's folder scope counts a folder together with its subfolders
 * and does not see files at the top of src/, so the top files that everything imports
 * (errors.ts, status-text.ts) get a rule of their own: they import nothing else of crest's.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

module.exports = {
  forbidden: [
    {
      name: 'no-file-cycle',
      comment: 'A file cycle makes load order matter and the layers unreadable.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'Each folder is a layer: a folder that imports one that imports it back is not.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-transport',
      comment: 'Transports depend on the core, never the other way round (STYLE.md rule 1).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/transports/' },
    },
    {
      name: 'core-imports-no-node-http',
      comment: 'The core speaks HttpRequest/HttpResponse; node:http belongs to transports/node.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(http|https|http2|net)$' },
    },
    {
      name: 'http-imports-no-compile',
      comment: 'http/ is the request and response vocabulary; compile/ builds on it.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/compile/' },
    },
    {
      name: 'errors-is-a-leaf',
      comment: 'Every layer imports errors.ts; it imports only the status phrases, or it closes a cycle.',
      severity: 'error',
      from: { path: '^src/(errors|status-text)[.]ts$' },
      to: { path: '^src/', pathNot: '^src/status-text[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
