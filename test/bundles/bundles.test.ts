import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { httpApiEvent, readLambdaResult, restApiEvent } from '../../src/testing';
import type { BundleRequest, BundleRun } from './support/run-bundle';

const ROOT = resolve(__dirname, '../../..');
/** The user app's TypeScript sources. */
const APP_SOURCES = join(ROOT, 'test/bundles/app');
const RUNNER = join(__dirname, 'support/run-bundle.js');

/** The bundling options AWS CDK's NodejsFunction passes to esbuild, per `bundling` setting. */
interface BundleFormat {
  name: string;
  options: BuildOptions;
  extension: '.js' | '.mjs';
  /** The app's bundle must stay under this size: bundlers keep only what crest uses of class-validator. */
  maxBytes?: number;
}
const FORMATS: BundleFormat[] = [
  { name: 'CommonJS', options: { format: 'cjs' }, extension: '.js' },
  { name: 'CommonJS, minified', options: { format: 'cjs', minify: true }, extension: '.js' },
  {
    name: 'CommonJS, minified with keepNames',
    options: { format: 'cjs', minify: true, keepNames: true },
    extension: '.js',
  },
  // OutputFormat.ESM: CDK's docs pair it with mainFields module,main; the file is index.mjs.
  { name: 'ESM', options: { format: 'esm', mainFields: ['module', 'main'] }, extension: '.mjs' },
  {
    name: 'ESM, minified',
    options: { format: 'esm', mainFields: ['module', 'main'], minify: true },
    extension: '.mjs',
    // 200 kB until issues 14-16 added the error table and status phrases, the multipart plan,
    // Lattice v1 and the request lifecycle (206.2 kB at 4d01911; 210.2 kB once the OpenAPI
    // document moved to the app's first use, app.run() checking it after its first answer); the
    // whole of class-validator is far above either, which is what this bound catches. 199.1 kB
    // once find-my-way's safe-regex2 and ret gave way to crest's regex-safety.ts (211.0 kB before);
    // 186.0 kB once crest's own Reflect metadata API replaced reflect-metadata and find-my-way's
    // node:assert a two-line function; 172.8 kB once find-my-way's compiler mode and prettyPrint
    // were left out.
    maxBytes: 175_000,
  },
];

/** A file of each DTO library that runs as soon as any of the library's code crest uses runs. */
const LIBRARY_MARKS =
  /node_modules\/(class-validator|class-transformer)\/\w+\/(?:metadata\/MetadataStorage|ClassTransformer)\.js$/;

/**
 * Makes those files record in `crestTestLibrariesRun` that they ran, so that the runner can tell
 * which DTO libraries a bundle ran (inside a bundle, nothing else shows it).
 */
const markLibraries: Plugin = {
  name: 'mark-dto-libraries',
  setup(build) {
    build.onLoad({ filter: LIBRARY_MARKS }, async ({ path }) => ({
      contents: `${await readFile(path, 'utf8')}\n;(globalThis.crestTestLibrariesRun ??= []).push(${JSON.stringify(LIBRARY_MARKS.exec(path)![1])});\n`,
      resolveDir: dirname(path),
      loader: 'js',
    }));
  },
};

/**
 * A user's project in a temporary folder: the app's .ts sources, a tsconfig.json with legacy
 * decorators, and node_modules holding crest (this repository, resolved through its package.json
 * exports) and the libraries it shares with the app, linked as npm would install them.
 */
function createProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'crest-bundle-'));
  mkdirSync(join(project, 'src'));
  for (const file of readdirSync(APP_SOURCES)) copyFileSync(join(APP_SOURCES, file), join(project, 'src', file));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        useDefineForClassFields: false,
      },
    }),
  );
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules/crest'), 'dir');
  for (const shared of ['class-validator', 'class-transformer', 'reflect-metadata']) {
    symlinkSync(join(ROOT, 'node_modules', shared), join(project, 'node_modules', shared), 'dir');
  }
  return project;
}

/** A bundle, and the files esbuild read for it (`inputs`) and put code of into it (`included`). */
interface BundleBuild {
  file: string;
  inputs: string[];
  included: string[];
  bytes: number;
}

/** Bundles one entry straight from its .ts source, as CDK does: no tsc, no banner. */
async function bundle(project: string, entry: string, format: BundleFormat): Promise<BundleBuild> {
  const file = join(project, 'out', format.name.replace(/\W+/g, '-'), `${entry}${format.extension}`);
  const result = await build({
    entryPoints: [join(project, 'src', `${entry}.ts`)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    metafile: true,
    absWorkingDir: project,
    logLevel: 'silent',
    plugins: [markLibraries],
    ...format.options,
  });
  expect(result.warnings.map((warning) => warning.text)).to.deep.equal([]);
  const metafile = result.metafile as Metafile;
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined)!;
  return {
    file,
    inputs: Object.keys(metafile.inputs),
    included: Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 ? [input] : [])),
    bytes: statSync(file).size,
  };
}

/** Loads a bundle in a fresh Node process, as Lambda does, and sends it the requests. */
function run(file: string, requests: readonly BundleRequest[]): BundleRun {
  const output = execFileSync(process.execPath, [RUNNER, file], { input: JSON.stringify(requests), encoding: 'utf8' });
  return JSON.parse(output) as BundleRun;
}

interface Answer {
  statusCode: number;
  body: string;
}
const problemPaths = (answer: Answer): string[] => [
  ...new Set((JSON.parse(answer.body) as { errors: Array<{ path: string }> }).errors.map((issue) => issue.path)),
];

const OWNER = { name: 'Ann' };
const REQUESTS = {
  pet: { inject: { url: '/api/pets/7' } },
  petWithoutVet: { inject: { url: '/api/pets/8' } },
  notANumber: { inject: { url: '/api/pets/abc' } },
  create: {
    inject: { method: 'POST', url: '/api/pets', body: { name: 'Rex', age: 3, owner: OWNER, carers: [{ name: 'Bo' }] } },
  },
  invalidNested: {
    inject: {
      method: 'POST',
      url: '/api/pets',
      body: { name: 'Rex', age: 3, owner: { name: '' }, carers: [{ name: 5 }] },
    },
  },
  undeclared: {
    inject: {
      method: 'POST',
      url: '/api/pets',
      body: { name: 'Rex', age: 3, owner: { ...OWNER, role: 'admin' }, extra: 1 },
    },
  },
  outOfRange: { inject: { method: 'POST', url: '/api/pets', body: { name: 'Rex', age: 99, owner: OWNER } } },
  paged: { inject: { url: '/api/pets?limit=5' } },
  badPage: { inject: { url: '/api/pets?limit=many' } },
  petByHttpApi: { event: httpApiEvent({ url: '/api/pets/7' }) },
  invalidByRestApi: {
    event: restApiEvent({ method: 'POST', url: '/api/pets', body: { name: 'Rex', age: 3, owner: { name: 7 } } }),
  },
  pagedByHttpApi: { event: httpApiEvent({ url: '/api/pets?limit=5' }) },
} satisfies Record<string, BundleRequest>;
type RequestName = keyof typeof REQUESTS;
const NAMES = Object.keys(REQUESTS) as RequestName[];

/** What the app answered and which DTO libraries ran. */
interface AppRun {
  answers: Record<RequestName, Answer>;
  librariesRun: string[];
}

/** Runs every request against a bundle; Lambda results read as a client would see them. */
function answersOf(file: string): AppRun {
  const result = run(
    file,
    NAMES.map((name) => REQUESTS[name]),
  );
  if (!result.booted) throw new Error(`the bundle did not boot: ${result.error.message}`);
  const answers = {} as Record<RequestName, Answer>;
  NAMES.forEach((name, index) => {
    const raw = result.answers[index];
    const request: BundleRequest = REQUESTS[name];
    answers[name] =
      'inject' in request
        ? (raw as Answer)
        : readLambdaResult(raw, 'httpMethod' in request.event ? 'rest-api' : 'http-api');
  });
  return { answers, librariesRun: result.librariesRun };
}

const PLAIN_REQUESTS: BundleRequest[] = [
  { inject: { url: '/api/notes/3' } },
  { inject: { method: 'POST', url: '/api/notes', body: { text: 'hi' } } },
  { event: restApiEvent({ url: '/api/notes/x' }) },
];

/** The app without DTOs answers, and runs neither DTO library. */
function expectThePlainAppNeverRunsTheLibraries(file: string): void {
  const result = run(file, PLAIN_REQUESTS);
  if (!result.booted) throw new Error(`the bundle did not boot: ${result.error.message}`);
  const [show, create, notANumber] = result.answers as [Answer, Answer, unknown];
  expect(show).to.include({ statusCode: 200, body: '{"id":3}' });
  expect(create).to.include({ statusCode: 200, body: '{"received":["text"]}' });
  expect(readLambdaResult(notANumber, 'rest-api').statusCode).to.equal(400);
  expect(result.librariesRun).to.deep.equal([]);
}

const PET_7 =
  '{"id":7,"name":"Rex","owner":{"name":"Ann"},"carers":[{"name":"Ann"},{"name":"Bo"}],"vet":{"name":"Ann"}}';

/** What every build of the app must answer, bundled or compiled by tsc. */
function expectTheAppsAnswers(answers: Record<RequestName, Answer>): void {
  // Never a field the response DTO does not declare: nested object, list of nested, optional nested.
  expect(answers.pet).to.include({ statusCode: 200, body: PET_7 });
  expect(answers.petWithoutVet.body).to.equal('{"id":8,"name":"Tom","owner":{"name":"Ann"},"carers":[]}');
  for (const answer of Object.values(answers)) expect(answer.body).not.to.match(/HASH|passwordHash|internalNote|bites/);
  // Path parameters coerced, query DTO values converted by @Type.
  expect(answers.notANumber.statusCode).to.equal(400);
  expect(problemPaths(answers.notANumber)).to.deep.equal(['id']);
  expect(JSON.parse(answers.paged.body)).to.deep.equal({ limit: 5, type: 'number' });
  expect(answers.badPage.statusCode).to.equal(400);
  // The body DTO validated by class-validator, nested DTOs built as instances and validated too.
  expect(answers.create.statusCode).to.equal(201);
  expect(JSON.parse(answers.create.body)).to.deep.equal({ created: 'Rex', age: 3, owner: 'Ann', ownerIsDto: true });
  expect(answers.invalidNested.statusCode).to.equal(400);
  expect(problemPaths(answers.invalidNested)).to.have.members(['owner.name', 'carers.0.name']);
  expect(problemPaths(answers.undeclared)).to.have.members(['owner.role', 'extra']);
  expect(problemPaths(answers.outOfRange)).to.deep.equal(['age']);
  // The Lambda handler answers as inject does.
  expect(answers.petByHttpApi).to.include({ statusCode: 200, body: PET_7 });
  expect(answers.invalidByRestApi.statusCode).to.equal(400);
  expect(problemPaths(answers.invalidByRestApi)).to.deep.equal(['owner.name']);
  expect(JSON.parse(answers.pagedByHttpApi.body)).to.deep.equal({ limit: 5, type: 'number' });
}

/** The flavours of a package's code in a bundle (`cjs`, `esm5`, …), from esbuild's metafile. */
function flavours(inputs: readonly string[], pattern: RegExp): string[] {
  return [...new Set(inputs.flatMap((input) => pattern.exec(input)?.[1] ?? []))];
}

describe('an app bundled as AWS CDK bundles it (esbuild from .ts, no tsc, no banner)', function () {
  this.timeout(120_000);
  let project: string;

  before(() => {
    project = createProject();
  });
  after(() => {
    rmSync(project, { recursive: true, force: true });
  });

  for (const format of FORMATS) {
    describe(`when bundled as ${format.name}`, () => {
      let app: BundleBuild;
      let appRun: AppRun;

      before(async () => {
        app = await bundle(project, 'app', format);
        appRun = answersOf(app.file);
      });

      it('boots, validates, coerces and never sends an undeclared field, inject and Lambda alike', () => {
        expectTheAppsAnswers(appRun.answers);
      });

      it('runs class-validator and class-transformer only for an app with DTOs', async () => {
        expect(appRun.librariesRun).to.deep.equal(['class-transformer', 'class-validator']);
        expectThePlainAppNeverRunsTheLibraries((await bundle(project, 'plain', format)).file);
      });

      it('answers Lambda events without loading a Node built-in they do not need', () => {
        // Each costs a cold start milliseconds: node:http (app.run()'s server), node:zlib and
        // node:crypto (compression, ETags, request ids where no awsRequestId gives one),
        // node:perf_hooks (the global `performance`), and find-my-way's node:assert, which crest's
        // ES module build, the one bundlers take, leaves out (scripts/build.mjs).
        const result = run(app.file, [REQUESTS.petByHttpApi, REQUESTS.invalidByRestApi, REQUESTS.pagedByHttpApi]);
        if (!result.booted) throw new Error(`the bundle did not boot: ${result.error.message}`);
        const unneeded = ['http', 'zlib', 'crypto', 'perf_hooks', 'assert'];
        expect(result.builtinsLoaded.filter((name) => unneeded.includes(name))).to.deep.equal([]);
      });

      it("holds one copy of crest and of each library the app's decorators share with it", () => {
        // crest through its ESM build (the exports `module` condition), never beside its CommonJS one.
        expect(flavours(app.inputs, /\/dist\/(esm\/)?index\.js$/)).to.deep.equal(['esm/']);
        expect(flavours(app.inputs, /node_modules\/class-validator\/(\w+)\//)).to.have.length(1);
        expect(flavours(app.inputs, /node_modules\/class-transformer\/(\w+)\//)).to.have.length(1);
        // One metadata storage: crest reads the rules the app's decorators record.
        expect(
          app.included.filter((input) => /node_modules\/class-validator\/.*\/MetadataStorage\.js$/.test(input)),
        ).to.have.length(1);
        // No reflect-metadata: crest's own Reflect metadata API (src/metadata/reflect-metadata.ts).
        expect(app.inputs.filter((input) => input.includes('node_modules/reflect-metadata/'))).to.deep.equal([]);
      });

      if (format.maxBytes !== undefined) {
        it(`stays under ${format.maxBytes / 1000} kB: only what crest and the app use of class-validator`, () => {
          expect(app.bytes).to.be.below(format.maxBytes!);
          // validator.js only for the rules the app uses (MinLength: isLength), no phone numbers.
          const fromValidatorJs = app.included.filter((input) =>
            /node_modules\/(libphonenumber-js|validator)\//.test(input),
          );
          expect(fromValidatorJs.map((input) => input.slice(input.lastIndexOf('node_modules/')))).to.have.members([
            'node_modules/validator/lib/isLength.js',
            'node_modules/validator/lib/util/assertString.js',
          ]);
        });
      }

      it('refuses to boot when a nested DTO has no @Type, naming the property and what to add', async () => {
        const refusing = await bundle(project, 'refusing', format);
        const result = run(refusing.file, []);
        expect(result.booted).to.equal(false);
        if (result.booted) return;
        expect(result.error.code).to.equal('CREST_MISSING_TYPE');
        expect(result.error.message)
          .to.include('.owner: @ValidateNested() has no class')
          .and.include('`@Type(() => Owner)`');
        const keepsNames = format.options.minify !== true || format.options.keepNames === true;
        if (keepsNames) expect(result.error.message).to.include('Leaky.owner');
      });
    });
  }

  describe('when compiled by tsc instead (decorator metadata emitted)', () => {
    it('answers exactly as the bundles do', () => {
      expectTheAppsAnswers(answersOf(join(__dirname, 'app/app.js')).answers);
    });

    it('loads class-validator and class-transformer only for an app with DTOs', () => {
      expect(answersOf(join(__dirname, 'app/app.js')).librariesRun).to.deep.equal([
        'class-transformer',
        'class-validator',
      ]);
      expectThePlainAppNeverRunsTheLibraries(join(__dirname, 'app/plain.js'));
    });

    it('serializes the nested DTO a bundle refuses from design:type', () => {
      const result = run(join(__dirname, 'app/refusing.js'), [{ inject: { url: '/leaky' } }]);
      expect(result.booted).to.equal(true);
      if (!result.booted) return;
      expect((result.answers[0] as Answer).body).to.equal('{"name":"Rex","owner":{"name":"Ann"}}');
    });
  });
});
