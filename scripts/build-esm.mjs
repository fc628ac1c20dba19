/*
 * crest's ES module build (dist/esm, package.json `module`), the one bundlers take with
 * mainFields `module,main` (AWS CDK's OutputFormat.ESM, SAM's esbuild build):
 *
 * 1. every module of src/ as its own ES module, so that a bundler keeps only what an app reaches;
 * 2. crest's CommonJS dependencies that require Node built-ins or carry parts crest never runs,
 *    bundled into the one module of crest's that imports each (find-my-way, busboy, builtins.ts)
 *    with a `require` made by `createRequire`, so that an app bundled as ESM starts without a
 *    banner. What is left out there, each replaced by a few lines of crest's:
 *    - fast-querystring: crest parses the query itself (src/router/unused-querystring.ts);
 *    - safe-regex2 and its parser ret: src/router/regex-safety.ts gives the same verdicts
 *      (test/routing/regex-safety.test.ts checks it against the real one);
 *    - node:assert: find-my-way calls only `assert(value, message)` (src/router/node-assert.cjs);
 *    - find-my-way's compiler mode and prettyPrint, which crest never calls
 *      (src/router/find-my-way-unused.cjs).
 *
 *   node scripts/build-esm.mjs   (run by `npm run build`)
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const common = {
  absWorkingDir: root,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outbase: 'src',
  outdir: 'dist/esm',
  sourcemap: true,
  logLevel: 'warning',
};

/** find-my-way's index.js requires these two of its modules for methods crest never calls. */
const unusedFindMyWayParts = {
  name: 'find-my-way-unused-parts',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/lib\/(?:compiler|pretty-print)$/ }, (args) =>
      /[\\/]find-my-way[\\/]index\.js$/.test(args.importer)
        ? { path: resolve(root, 'src/router/find-my-way-unused.cjs') }
        : undefined,
    );
  },
};

await build({
  ...common,
  entryPoints: ['src/**/*.ts'],
  // The lazy `require`s of crest's own modules stay `require`s; a bundler resolves them.
  logOverride: { 'unsupported-require-call': 'silent' },
});

await build({
  ...common,
  entryPoints: ['src/builtins.ts', 'src/router/find-my-way.ts', 'src/http/multipart-library.ts'],
  bundle: true,
  alias: {
    'fast-querystring': './src/router/unused-querystring.ts',
    'safe-regex2': './src/router/safe-regex2.cjs',
    'node:assert': './src/router/node-assert.cjs',
  },
  plugins: [unusedFindMyWayParts],
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire('/');" },
});
