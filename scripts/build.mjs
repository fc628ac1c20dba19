/*
 * crest's two JavaScript builds, after `tsc -p tsconfig.build.json --emitDeclarationOnly` has
 * written the types (`npm run build` runs both):
 *
 * - CommonJS (dist/*.js, package.json `main`): one file per entry point, for Node's `require`,
 *   tsc-compiled apps, and bundlers resolving `main` (AWS CDK's default);
 * - ES modules (dist/esm, package.json `module`): every module of src/ as its own file, so that a
 *   bundler resolving `module` (CDK's OutputFormat.ESM with mainFields `module,main`, SAM's
 *   esbuild build) keeps only what an app reaches.
 *
 * Dependencies stay external, except find-my-way, which both builds carry (in the ESM build
 * inside src/router/find-my-way.ts's module, with busboy and builtins.ts likewise bundled into
 * their modules) with what crest never runs left out, each part replaced by a few lines of
 * crest's, so that no app pays for them at a cold start:
 * - fast-querystring: crest parses the query itself (src/router/unused-querystring.ts);
 * - safe-regex2 and its parser ret: src/router/regex-safety.ts gives the same verdicts
 *   (test/routing/regex-safety.test.ts checks it against the real one);
 * - node:assert: find-my-way calls only `assert(value, message)` (src/router/node-assert.cjs);
 *   loading node:assert loads node:stream with it;
 * - find-my-way's compiler mode and prettyPrint, which crest never calls
 *   (src/router/find-my-way-unused.cjs).
 *
 *   node scripts/build.mjs
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  absWorkingDir: root,
  platform: 'node',
  target: 'node20',
  outbase: 'src',
  sourcemap: true,
  logLevel: 'warning',
};

const findMyWayParts = {
  alias: {
    'fast-querystring': './src/router/unused-querystring.ts',
    'safe-regex2': './src/router/safe-regex2.cjs',
    'node:assert': './src/router/node-assert.cjs',
  },
  plugins: [
    {
      name: 'find-my-way-unused-parts',
      setup(esbuild) {
        // find-my-way's index.js requires these two of its modules for methods crest never calls.
        esbuild.onResolve({ filter: /^\.\/lib\/(?:compiler|pretty-print)$/ }, (args) =>
          /[\\/]find-my-way[\\/]index\.js$/.test(args.importer)
            ? { path: resolve(root, 'src/router/find-my-way-unused.cjs') }
            : undefined,
        );
      },
    },
  ],
};

/**
 * The `require` of the ESM build's bundled modules, which require only Node built-ins, and only
 * on first use (node:http, node:zlib, node:crypto, busboy's node:stream): made when first called,
 * not at import, where `createRequire` would cost every cold start its first call
 * (`process.getBuiltinModule` needs Node.js 20.16; before it, `createRequire`).
 */
const REQUIRE_BUILTIN = [
  "import { createRequire } from 'node:module';",
  'let requireFromRoot;',
  "const require = (id) => process.getBuiltinModule?.(id) ?? (requireFromRoot ??= createRequire('/'))(id);",
].join(' ');

/** Every package external but find-my-way and what it requires (and the aliases above). */
const externalButFindMyWay = {
  name: 'external-but-find-my-way',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
      const fromFindMyWay = /[\\/]node_modules[\\/]find-my-way[\\/]/.test(args.importer);
      return args.path === 'find-my-way' || fromFindMyWay ? undefined : { path: args.path, external: true };
    });
  },
};

await build({
  ...common,
  entryPoints: ['src/index.ts', 'src/openapi/index.ts', 'src/testing/index.ts', 'src/lambda.ts'],
  outdir: 'dist',
  format: 'cjs',
  bundle: true,
  // The other entry points use the main one's module, not a copy of it.
  external: ['../index'],
  alias: findMyWayParts.alias,
  plugins: [externalButFindMyWay, ...findMyWayParts.plugins],
});

await build({
  ...common,
  entryPoints: ['src/**/*.ts'],
  outdir: 'dist/esm',
  format: 'esm',
  // The lazy `require`s of crest's own modules stay `require`s; the app's bundler resolves them.
  logOverride: { 'unsupported-require-call': 'silent' },
});

await build({
  ...common,
  entryPoints: ['src/builtins.ts', 'src/router/find-my-way.ts', 'src/http/multipart-library.ts'],
  outdir: 'dist/esm',
  format: 'esm',
  bundle: true,
  ...findMyWayParts,
  banner: { js: REQUIRE_BUILTIN },
});
