import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { median, rotate } from '../stats';
import { handlerModule, LAMBDA_TARGETS } from '../lambda/targets';
import type { ColdSample } from './measure';

export interface ColdBenchOptions {
  targets: readonly string[];
  /** hyperfine runs per command and round. */
  runs: number;
  /** Rounds of hyperfine over every command, in rotated order; the wall median is over all runs. */
  rounds: number;
  /** Probe runs for the import/build/invoke split, interleaved over the files. */
  splitRuns: number;
  workDir: string;
  cpu: string;
  log: (line: string) => void;
}

/**
 * How the handler module is loaded: as tsc compiled it (CommonJS), bundled by esbuild to one
 * minified CommonJS file (CDK's default), or to one minified ES module (CDK's OutputFormat.ESM
 * with mainFields module,main, bundled from ES modules so that libraries can be tree-shaken).
 */
export const COLD_VARIANTS = ['unbundled', 'bundled', 'esm'] as const;
export type ColdVariant = (typeof COLD_VARIANTS)[number];

export interface ColdResult {
  target: string;
  variant: ColdVariant;
  /** hyperfine: mean and median wall time of the whole process over every run, ms. */
  wallMean?: number;
  wallMedian?: number;
  /** Medians of the probe's own split. */
  split?: Omit<ColdSample, 'classValidatorLoaded'>;
  /**
   * Every probe run, in run order: run i of every file was taken in the same pass over the files,
   * seconds apart, so that differences between two files can be taken run by run (paired).
   */
  runs?: ProbeRun[];
  classValidatorLoaded?: boolean;
  /** Minified bundle size in bytes (bundled variants only). */
  bundleBytes?: number;
  /** The ESM bundle needed the `createRequire` banner (a CommonJS dependency requires a Node built-in). */
  banner?: boolean;
  error?: string;
}

/** Packages some peers require only optionally (feature probes); a bundle leaves them out. */
const OPTIONAL = [
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@fastify/static',
  '@fastify/view',
  '@koa/cors',
  '@aws-sdk/client-s3',
  '@aws-sdk/s3-request-presigner',
];
/**
 * crest without DTOs, bundled to CommonJS, marks class-validator external: crest loads it only
 * when a route needs it, and the table shows it never was. (An ES module's imports of an
 * external package load eagerly, so the ESM bundle keeps it in, as a user's bundle would.)
 */
const WITHOUT_VALIDATOR = ['class-validator', 'class-transformer'];

const BENCH_DIR = resolve(__dirname, '../../..');
/**
 * The libraries crest shares with the app's DTOs resolve to bench's copies wherever they are
 * imported, crest's snapshot included: one copy each, as npm installs them in a user's project.
 */
const SHARED = Object.fromEntries(
  ['class-validator', 'class-transformer', 'reflect-metadata'].map((name) => [
    name,
    join(BENCH_DIR, 'node_modules', name),
  ]),
);
/** What CDK's docs add to an ESM bundle whose CommonJS dependencies require Node built-ins. */
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * What the Lambda runtime sets in every function's environment (a subset; "Defined runtime
 * environment variables" in the Lambda developer guide): every cold process runs with them, so
 * that each framework starts as it does in Lambda (crest compiles a route on its first match
 * there instead of at boot, for one).
 */
export const LAMBDA_RUNTIME_ENV: NodeJS.ProcessEnv = {
  _HANDLER: 'index.handler',
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
  AWS_REGION: 'us-east-1',
};

function exec(
  command: string,
  args: string[],
  timeoutMs = 300_000,
  env: NodeJS.ProcessEnv = { ...process.env, ...LAMBDA_RUNTIME_ENV },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Writes the probe entry for a handler module (compiled or bundled): the probe stays outside
 * the bundle, so the load covers reading, compiling and running the whole bundle. An ES module
 * is loaded with `import()`, as Lambda's Node runtime loads an `.mjs` handler.
 */
export function writeEntry(file: string, handler: string): string {
  const dir = dirname(file);
  const measure = `./${relative(dir, join(__dirname, 'measure.js'))}`;
  const load = handler.endsWith('.mjs')
    ? `import(${JSON.stringify(pathToFileURL(handler).href)})`
    : `require(${JSON.stringify(`./${relative(dir, handler)}`)})`;
  writeFileSync(file, `require(${JSON.stringify(measure)}).measure(() => ${load});\n`);
  return file;
}

async function bundle(
  entry: string,
  outfile: string,
  target: string,
  options: BuildOptions,
  metafile?: string,
): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: true,
    // NestJS and routing-controllers resolve or report by class name; the others do not need it.
    keepNames: target === 'nest' || target === 'routing-controllers',
    // An alias would override `external`: a package left out is not redirected.
    alias: Object.fromEntries(Object.entries(SHARED).filter(([name]) => !options.external?.includes(name))),
    absWorkingDir: BENCH_DIR,
    logLevel: 'error',
    metafile: metafile !== undefined,
    ...options,
  });
  if (metafile !== undefined) writeFileSync(metafile, JSON.stringify(result.metafile));
  return statSync(outfile).size;
}

export function bundleCommonJs(entry: string, outfile: string, target: string, metafile?: string): Promise<number> {
  return bundle(
    entry,
    outfile,
    target,
    { format: 'cjs', external: target === 'crest-plain' ? [...OPTIONAL, ...WITHOUT_VALIDATOR] : OPTIONAL },
    metafile,
  );
}

/**
 * The handler's ES module (tsconfig.esm.json) bundled as CDK's OutputFormat.ESM bundles; with
 * `metafile`, esbuild's account of the bundle's bytes per input module is written there.
 */
export function bundleEsm(
  target: string,
  outfile: string,
  banner: boolean,
  metafile?: string,
  plugins?: Plugin[],
): Promise<number> {
  const entry = join(BENCH_DIR, '.build/esm/src/lambda/handlers', `${target}.js`);
  return bundle(
    entry,
    outfile,
    target,
    {
      format: 'esm',
      mainFields: ['module', 'main'],
      external: OPTIONAL,
      banner: banner ? { js: REQUIRE_BANNER } : undefined,
      plugins,
    },
    metafile,
  );
}

/** One probe run; with `verify`, the probe also checks every route and error case after timing. */
export async function probeOnce(file: string, cpu: string, verify = false): Promise<ColdSample> {
  const env = verify ? { ...process.env, ...LAMBDA_RUNTIME_ENV, CREST_BENCH_VERIFY: '1' } : undefined;
  const out = await exec('taskset', ['-c', cpu, process.execPath, file], 300_000, env);
  return JSON.parse(out.trim().split('\n').pop()!) as ColdSample;
}

/** crest alone (no app), minified, without class-validator: the library's own weight. */
export async function crestLibraryBytes(workDir: string, metafile?: string): Promise<number> {
  const entry = join(workDir, 'crest-library.js');
  writeFileSync(entry, "module.exports = require('crest');\n");
  return bundleCommonJs(entry, join(workDir, 'crest-library.bundle.js'), 'crest-plain', metafile);
}

interface ColdFile {
  target: string;
  variant: ColdVariant;
  file: string;
  bundleBytes?: number;
  banner?: boolean;
}

const message = (error: unknown) => (error as Error).message.split('\n')[0]!;

/** One probe run: its wall time from spawn to exit (as hyperfine measures it), its total and CPU. */
export interface ProbeRun {
  wall: number;
  total: number;
  cpu: number;
}

/** Builds every variant of one target and checks each answers; failures become result rows. */
async function prepare(target: string, dir: string, cpu: string, results: ColdResult[]): Promise<ColdFile[]> {
  const handler = handlerModule(target);
  const files: ColdFile[] = [{ target, variant: 'unbundled', file: writeEntry(join(dir, `${target}.js`), handler) }];
  try {
    const outfile = join(dir, `${target}.bundle.js`);
    const bundleBytes = await bundleCommonJs(handler, outfile, target);
    files.push({
      target,
      variant: 'bundled',
      file: writeEntry(join(dir, `${target}.bundled.js`), outfile),
      bundleBytes,
    });
  } catch (error) {
    results.push({ target, variant: 'bundled', error: message(error) });
  }
  try {
    const outfile = join(dir, `${target}.bundle.mjs`);
    const file = writeEntry(join(dir, `${target}.esm.js`), outfile);
    let banner = false;
    let bundleBytes = await bundleEsm(target, outfile, banner);
    try {
      await probeOnce(file, cpu);
    } catch (error) {
      // A CommonJS dependency's `require` of a Node built-in: what CDK users add a banner for.
      if (!(error as Error).message.includes('Dynamic require of')) throw error;
      banner = true;
      bundleBytes = await bundleEsm(target, outfile, banner);
    }
    files.push({ target, variant: 'esm', file, bundleBytes, banner });
  } catch (error) {
    results.push({ target, variant: 'esm', error: message(error) });
  }
  // Every file answers every route and error case once before it is timed; a failing one is reported.
  const valid: ColdFile[] = [];
  for (const file of files) {
    try {
      await probeOnce(file.file, cpu, true);
      valid.push(file);
    } catch (error) {
      results.push({ target, variant: file.variant, error: message(error) });
    }
  }
  return valid;
}

const commandName = (file: ColdFile) => `${file.target} ${file.variant}`;

/** hyperfine over every file, `rounds` times in rotated order: wall times per command, ms. */
async function timeWall(
  files: readonly ColdFile[],
  options: ColdBenchOptions,
  dir: string,
): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(files.map((file) => [commandName(file), []]));
  for (let round = 0; round < options.rounds; round++) {
    const json = join(dir, `hyperfine-${round}.json`);
    await exec(
      'hyperfine',
      [
        '--shell=none',
        '--warmup',
        '2',
        '--runs',
        String(options.runs),
        '--export-json',
        json,
        ...rotate(files, round).flatMap((file) => [
          '-n',
          commandName(file),
          `taskset -c ${options.cpu} ${process.execPath} ${file.file}`,
        ]),
      ],
      3_600_000,
    );
    const report = JSON.parse(readFileSync(json, 'utf8')) as { results: { command: string; times: number[] }[] };
    for (const result of report.results) times.get(result.command)?.push(...result.times.map((time) => time * 1000));
  }
  return times;
}

export async function runColdBench(options: ColdBenchOptions): Promise<ColdResult[]> {
  const dir = join(options.workDir, 'cold');
  mkdirSync(dir, { recursive: true });
  const targets = LAMBDA_TARGETS.filter((target) => options.targets.includes(target.name));
  const results: ColdResult[] = [];
  const files: ColdFile[] = [];
  for (const target of targets) files.push(...(await prepare(target.name, dir, options.cpu, results)));
  const wall = await timeWall(files, options, dir);
  // The split: probe runs interleaved over the files, so that a busy minute hits every file alike.
  const samples = new Map<string, ColdSample[]>(files.map((file) => [commandName(file), []]));
  const probeRuns = new Map<string, ProbeRun[]>(files.map((file) => [commandName(file), []]));
  for (let run = 0; run < options.splitRuns; run++) {
    for (const file of rotate(files, run)) {
      const started = performance.now();
      const sample = await probeOnce(file.file, options.cpu);
      const wall = performance.now() - started;
      samples.get(commandName(file))!.push(sample);
      probeRuns.get(commandName(file))!.push({ wall, total: sample.total, cpu: sample.cpu });
    }
  }
  for (const file of files) {
    const times = wall.get(commandName(file))!;
    const runs = samples.get(commandName(file))!;
    const pick = (key: keyof Omit<ColdSample, 'classValidatorLoaded'>) => median(runs.map((sample) => sample[key]));
    const split = {
      boot: pick('boot'),
      import: pick('import'),
      build: pick('build'),
      invoke: pick('invoke'),
      total: pick('total'),
      cpu: pick('cpu'),
      rssMb: pick('rssMb'),
    };
    results.push({
      target: file.target,
      variant: file.variant,
      wallMean: times.reduce((sum, time) => sum + time, 0) / times.length,
      wallMedian: median(times),
      split,
      classValidatorLoaded: runs.some((sample) => sample.classValidatorLoaded),
      bundleBytes: file.bundleBytes,
      banner: file.banner,
      runs: probeRuns.get(commandName(file)),
    });
    options.log(
      `  ${file.target.padEnd(20)} ${file.variant.padEnd(9)} wall ${median(times).toFixed(1)} ms  import+build+invoke ${split.total.toFixed(1)} ms  CPU ${split.cpu.toFixed(1)} ms`,
    );
  }
  return results;
}
