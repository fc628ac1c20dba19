import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { median } from '../stats';
import { handlerModule, LAMBDA_TARGETS } from '../lambda/targets';
import type { ColdSample } from './measure';

export interface ColdBenchOptions {
  targets: readonly string[];
  /** hyperfine runs per command. */
  runs: number;
  /** Probe runs for the import/build/invoke split. */
  splitRuns: number;
  workDir: string;
  cpu: string;
  log: (line: string) => void;
}

export interface ColdResult {
  target: string;
  variant: 'unbundled' | 'bundled';
  /** hyperfine: mean and median wall time of the whole process, ms. */
  wallMean?: number;
  wallMedian?: number;
  /** Medians of the probe's own split. */
  split?: Omit<ColdSample, 'classValidatorLoaded'>;
  classValidatorLoaded?: boolean;
  /** Minified bundle size in bytes (bundled variant only). */
  bundleBytes?: number;
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
/** crest without DTOs must bundle without class-validator: crest loads it only when a route needs it. */
const WITHOUT_VALIDATOR = ['class-validator', 'class-transformer'];

function exec(command: string, args: string[], timeoutMs = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Writes the probe entry for a handler module (compiled or bundled): the probe stays outside
 * the bundle, so `import` covers reading, compiling and running the whole bundle.
 */
function writeEntry(file: string, handler: string): string {
  const dir = dirname(file);
  const measure = `./${relative(dir, join(__dirname, 'measure.js'))}`;
  const module = `./${relative(dir, handler)}`;
  writeFileSync(file, `require(${JSON.stringify(measure)}).measure(() => require(${JSON.stringify(module)}));\n`);
  return file;
}

async function bundle(entry: string, outfile: string, target: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    // NestJS and routing-controllers resolve or report by class name; the others do not need it.
    keepNames: target === 'nest' || target === 'routing-controllers',
    external: target === 'crest-plain' ? [...OPTIONAL, ...WITHOUT_VALIDATOR] : OPTIONAL,
    logLevel: 'error',
  });
  return statSync(outfile).size;
}

async function probe(file: string, runs: number, cpu: string): Promise<ColdSample[]> {
  const samples: ColdSample[] = [];
  for (let i = 0; i < runs; i++) {
    const out = await exec('taskset', ['-c', cpu, process.execPath, file]);
    samples.push(JSON.parse(out.trim().split('\n').pop()!) as ColdSample);
  }
  return samples;
}

/** crest alone (no app), minified, without class-validator: the library's own weight. */
export async function crestLibraryBytes(workDir: string): Promise<number> {
  const entry = join(workDir, 'crest-library.js');
  writeFileSync(entry, "module.exports = require('crest');\n");
  return bundle(entry, join(workDir, 'crest-library.bundle.js'), 'crest-plain');
}

export async function runColdBench(options: ColdBenchOptions): Promise<ColdResult[]> {
  const dir = join(options.workDir, 'cold');
  mkdirSync(dir, { recursive: true });
  const targets = LAMBDA_TARGETS.filter((target) => options.targets.includes(target.name));
  const files: { target: string; variant: ColdResult['variant']; file: string; bundleBytes?: number }[] = [];
  const results: ColdResult[] = [];
  for (const target of targets) {
    const handler = handlerModule(target.name);
    files.push({
      target: target.name,
      variant: 'unbundled',
      file: writeEntry(join(dir, `${target.name}.js`), handler),
    });
    const outfile = join(dir, `${target.name}.bundle.js`);
    try {
      const bytes = await bundle(handler, outfile, target.name);
      const file = writeEntry(join(dir, `${target.name}.bundled.js`), outfile);
      files.push({ target: target.name, variant: 'bundled', file, bundleBytes: bytes });
    } catch (error) {
      results.push({ target: target.name, variant: 'bundled', error: (error as Error).message.split('\n')[0] });
    }
  }
  // Probe each file once first: a file that fails its first invocation is reported, not timed.
  const valid = [];
  for (const file of files) {
    try {
      await probe(file.file, 1, options.cpu);
      valid.push(file);
    } catch (error) {
      results.push({ target: file.target, variant: file.variant, error: (error as Error).message.split('\n')[0] });
    }
  }
  const json = join(dir, 'hyperfine.json');
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
      ...valid.flatMap((file) => [
        '-n',
        `${file.target} ${file.variant}`,
        `taskset -c ${options.cpu} ${process.execPath} ${file.file}`,
      ]),
    ],
    1_200_000,
  );
  const report = JSON.parse(readFileSync(json, 'utf8')) as {
    results: { command: string; mean: number; median: number }[];
  };
  for (const file of valid) {
    const wall = report.results.find((result) => result.command === `${file.target} ${file.variant}`);
    const samples = await probe(file.file, options.splitRuns, options.cpu);
    const pick = (key: keyof Omit<ColdSample, 'classValidatorLoaded'>) => median(samples.map((sample) => sample[key]));
    results.push({
      target: file.target,
      variant: file.variant,
      wallMean: wall === undefined ? undefined : wall.mean * 1000,
      wallMedian: wall === undefined ? undefined : wall.median * 1000,
      split: {
        boot: pick('boot'),
        import: pick('import'),
        build: pick('build'),
        invoke: pick('invoke'),
        total: pick('total'),
        rssMb: pick('rssMb'),
      },
      classValidatorLoaded: samples.some((sample) => sample.classValidatorLoaded),
      bundleBytes: file.bundleBytes,
    });
    options.log(
      `  ${file.target.padEnd(20)} ${file.variant.padEnd(9)} wall ${(wall?.median ?? 0 * 1000).toFixed(3)} s  import+build+invoke ${pick('total').toFixed(1)} ms`,
    );
  }
  return results;
}
