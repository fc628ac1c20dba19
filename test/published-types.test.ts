import { expect } from 'chai';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, join, resolve } from 'node:path';

/**
 * The declarations a user gets: dist/*.d.ts through package.json's `exports`, so this checks the
 * last build (`npm test` builds first; after editing src/, run `npm run build`).
 */
const root = resolve(__dirname, '../..');
const fixtures = resolve(root, 'test/types/fixtures');
/** A user's project, inside build/ (never outside the repository): crest in its node_modules. */
const project = resolve(root, 'build/type-tests');

/**
 * The one crest builds with, the oldest @types/aws-lambda supports and npm's latest (the native
 * compiler). The last two live in their own package: `npm ci --prefix test/types/compilers`.
 */
const COMPILERS = [
  resolve(root, 'node_modules/typescript'),
  resolve(root, 'test/types/compilers/node_modules/typescript-5.6'),
  resolve(root, 'test/types/compilers/node_modules/typescript-7'),
];

/** How a user's tsconfig resolves `crest`: Node's own rules (exports, CJS) or a bundler's. */
const RESOLUTIONS: Record<string, { module: string; moduleResolution: string }> = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

interface Compilation {
  output: string;
  failed: boolean;
}

/** Lays out the user's project: the fixtures, a tsconfig per resolution, and `crest` linked in. */
function layOutProject(): void {
  // The compilers' incremental state in .cache/ is kept: unchanged libraries are not checked again.
  for (const name of ['src', 'node_modules']) rmSync(join(project, name), { recursive: true, force: true });
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(root, join(project, 'node_modules/crest'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'crest-user', private: true }));
  for (const name of readdirSync(fixtures)) copyFileSync(join(fixtures, name), join(project, 'src', name));
  for (const [name, resolution] of Object.entries(RESOLUTIONS)) {
    const compilerOptions = {
      ...resolution,
      target: 'ES2022',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      incremental: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      types: ['node'],
    };
    writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, include: ['src'] }));
  }
}

/** The version of the TypeScript package in `dir`, or undefined when it is not installed. */
function compilerVersion(dir: string): string | undefined {
  if (!existsSync(join(dir, 'package.json'))) return undefined;
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function compile(compiler: string, resolution: string): Promise<Compilation> {
  const buildInfo = `.cache/${basename(compiler)}-${resolution}.tsbuildinfo`;
  const args = [
    join(compiler, 'bin/tsc'),
    '-p',
    `tsconfig.${resolution}.json`,
    '--tsBuildInfoFile',
    buildInfo,
    '--pretty',
    'false',
  ];
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: project, encoding: 'utf8' }, (error, stdout, stderr) =>
      done({ output: `${stdout}${stderr}`.trim(), failed: error !== null }),
    );
  });
}

describe('the published type declarations', () => {
  describe('when a strict project without skipLibCheck compiles the fixtures in test/types', () => {
    const runs = new Map<string, Promise<Compilation>>();

    before(function () {
      this.timeout(180_000);
      layOutProject();
      // Started together: each is one tsc process, and the machine's cores share them.
      for (const compiler of COMPILERS) {
        if (compilerVersion(compiler) === undefined) continue;
        for (const resolution of Object.keys(RESOLUTIONS))
          runs.set(`${compiler} ${resolution}`, compile(compiler, resolution));
      }
      return Promise.all(runs.values());
    });

    for (const compiler of COMPILERS) {
      const version = compilerVersion(compiler);
      for (const resolution of Object.keys(RESOLUTIONS)) {
        const title = `compiles with TypeScript ${version ?? basename(compiler)} and moduleResolution ${resolution}, every @ts-expect-error line failing`;
        it(title, async function () {
          if (version === undefined) {
            // CI installs it (.ci/run); a missing one there would be a silent gap.
            if (process.env.CI === 'true') expect.fail(`${compiler} is not installed`);
            console.warn(
              `    skipped: ${basename(compiler)} is not installed; run: npm ci --prefix test/types/compilers`,
            );
            this.skip();
          }
          const run = await runs.get(`${compiler} ${resolution}`)!;
          expect(run.output).to.equal('');
          expect(run.failed).to.equal(false);
        });
      }
    }
  });

  describe('when a user installs crest', () => {
    it('gets every package its declarations import, as a dependency', () => {
      const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const installed = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      const missing = new Set<string>();
      for (const file of declarationFiles(resolve(root, 'dist'))) {
        for (const specifier of importedPackages(readFileSync(file, 'utf8'))) {
          if (!installed.has(specifier) && !installed.has(`@types/${specifier}`)) missing.add(specifier);
        }
      }
      expect([...missing]).to.deep.equal([]);
    });
  });
});

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.d.ts'))
    .map((name) => join(dir, name));
}

/** The packages a declaration file imports (`from 'x'`, `import('x')`), Node's built-ins left to @types/node. */
function importedPackages(source: string): string[] {
  const packages: string[] = [];
  for (const match of source.matchAll(/(?:from\s+|import\()\s*['"]([^'"]+)['"]/g)) {
    const specifier = match[1]!;
    if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
    const parts = specifier.split('/');
    packages.push(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
  }
  return packages;
}
