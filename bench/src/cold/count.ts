import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { bundleCommonJs, bundleEsm, crestLibraryBytes, LAMBDA_RUNTIME_ENV, probeOnce, writeEntry } from './bench';
import type { ColdSample } from './measure';
import { handlerModule } from '../lambda/targets';
import { median, rotate } from '../stats';

/*
 * What a cold start costs, counted rather than timed: this 2-core machine is shared, so the clock
 * moves with other people's work while instruction counts do not (callgrind repeats to about ±1 %).
 *
 * For each target: the bytes of its minified ESM and CommonJS bundles by module group (esbuild's
 * metafile), then one cold process of the ESM bundle under `valgrind --tool=callgrind` (the cold
 * probe: import, build, one REST `GET /users/42`), its instructions grouped by V8 phase, and each
 * target's difference from the first one (the find-my-way floor by default); two more processes
 * stop after the import and after the build, which splits the count by the probe's steps.
 *
 * The processes run with the Lambda runtime's environment variables, as the cold phase's do
 * (`--local`: without them, as a test or a local run starts).
 *
 * `--clock[=N]` times the same ESM bundles instead of counting them (N probe runs each, 21 by
 * default, interleaved in rotated order on one core, as the cold phase does): the median of each
 * step and of its run-by-run difference from the first target. Instruction counts undercount
 * what parsing costs on the clock (V8's background threads are off under callgrind's flags, and
 * parsing runs at fewer instructions per cycle than most work); this is the clock's view of the
 * same bundles, `--what-if`'s included.
 *
 * `--baseline=<checkout>`: each crest app once more, bundled against another build of crest (a
 * checkout of this repository, `npm run build` done there) instead of this one, so that a change
 * is measured before and after in one interleaved run.
 *
 *   cd bench && npm run build && node .build/src/cold/count.js [--targets=floor-fmw,crest-plain] [--bytes-only] [--local] [--what-if] [--clock[=N]] [--baseline=<checkout>]
 */

const BENCH_DIR = resolve(__dirname, '../../..');

/**
 * `--what-if`: crest's no-DTO and two-DTO apps again, with modules of crest's ESM build replaced
 * by stubs, to measure what an API change would save (each stands for code a Lambda app without
 * DTOs, or without a node:http server, would no longer carry if it opted in by an import).
 */
const WHAT_IF: Record<string, Record<string, string>> = {
  'no DTO libraries': { 'metadata/dto-libraries.js': 'export const transformer = {}, validator = {};' },
  'no node:http server, inject or streaming': {
    'transports/node/server.js': 'export const createRequestListener = () => {}, listen = () => {};',
    'transports/node/run.js': 'export const run = () => {}, runAddress = () => {};',
    'transports/inject.js': 'export const inject = () => {};',
    'transports/lambda/streaming.js': 'export class StreamDeadline {}\nexport const createStreamingHandler = () => {};',
  },
};

/** Resolves the app's `import … from 'crest'` to another checkout's ESM build. */
function crestFrom(checkout: string): Plugin {
  const entry = resolve(checkout, 'dist/esm/index.js');
  return {
    name: 'crest-from-baseline',
    setup(build) {
      build.onResolve({ filter: /^crest$/ }, () => ({ path: entry }));
    },
  };
}

function stubs(table: Record<string, string>): Plugin {
  return {
    name: 'what-if-stubs',
    setup(build) {
      build.onLoad({ filter: /[\\/]dist[\\/]esm[\\/].*\.js$/ }, (args) => {
        const key = Object.keys(table).find((path) => args.path.replaceAll('\\', '/').endsWith(`/dist/esm/${path}`));
        return key === undefined ? undefined : { contents: table[key], loader: 'js' };
      });
    },
  };
}
/**
 * Without these a count moves by ±5 M between runs (V8's background threads, hash and random
 * seeds, address randomization, undone by `setarch -R`); with them, by a few thousand. V8 does
 * the same work on one thread, so the totals are higher than a normal process's (+60 M for the
 * floor): compare counts with each other, not with the clock.
 */
const DETERMINISTIC = ['--single-threaded', '--hash-seed=1', '--random-seed=1'];
const DEFAULT_TARGETS = ['floor-fmw', 'crest-plain', 'crest-two-dtos'];

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** A bundle's input path → the group it is reported under: a package, or crest's source folder. */
function moduleGroup(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (pkg !== null && pkg[1] !== 'crest') return pkg[1]!;
  const crest = /(?:^|\/)dist\/(?:esm\/)?(.*)$/.exec(input);
  if (crest !== null) {
    const path = crest[1]!;
    const folder = path.includes('/') ? path.slice(0, path.indexOf('/')) : path.replace(/\.js$/, '');
    return `crest ${folder}`;
  }
  return input.includes('.build/') ? 'the app' : input;
}

function bytesByGroup(metafile: string): Map<string, number> {
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
  const groups = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const group = moduleGroup(input);
      groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
    }
  }
  return groups;
}

/**
 * V8 and Node functions by the phase they belong to, first match wins; callgrind names C++
 * functions, and JavaScript (interpreted or compiled) shows as builtins and unnamed JIT code.
 */
const PHASES: ReadonlyArray<[string, RegExp]> = [
  [
    'parse',
    /v8::internal::(Parser|PreParser|ParserBase|Scanner|Utf16CharacterStream|AstValueFactory|AstRawString|FuncNameInferrer|ExpressionScope|DeclarationScope|VariableMap|PerfectKeywordHash|Scope::|ParseInfo|Zone)/,
  ],
  [
    'bytecode',
    /v8::internal::(interpreter::|BytecodeArray|Compiler::|ConstantArrayBuilder|SourcePositionTableBuilder|Rewriter)/,
  ],
  [
    'GC',
    /Scaveng|MarkCompact|Marking|Sweeper|Evacuat|heap::base::|v8::internal::(Heap|MemoryAllocator|PagedSpace|NewSpace|SemiSpace|GCTracer)/,
  ],
  [
    'execution',
    /Builtins_|^0x|\?\?\?|v8::internal::(Runtime_|Execution|Invoke|LookupIterator|JSObject|Map::|Object::|Factory|IC::|Deoptimizer|Maglev|compiler::|baseline::)/,
  ],
];

function instructionsByPhase(outFile: string): { total: number; phases: Map<string, number> } {
  const annotated = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', outFile], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const phases = new Map<string, number>([...PHASES.map(([name]): [string, number] => [name, 0]), ['other', 0]]);
  let total = 0;
  for (const line of annotated.split('\n')) {
    const totalMatch = /^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS/.exec(line);
    if (totalMatch !== null) total = Number(totalMatch[1]!.replaceAll(',', ''));
    const row = /^\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$/.exec(line);
    if (row === null || row[2]!.startsWith('PROGRAM TOTALS')) continue;
    const count = Number(row[1]!.replaceAll(',', ''));
    const name = row[2]!.replace(/^[^:]*:/, '');
    const phase = PHASES.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
    phases.set(phase, phases.get(phase)! + count);
  }
  return { total, phases };
}

/** False when the bundle needs CDK's `createRequire` banner (a CommonJS dependency requires a built-in), as the cold phase finds out. */
function startsWithoutBanner(entry: string): boolean {
  try {
    execFileSync(process.execPath, [entry], { stdio: 'pipe', env: { ...process.env, ...LAMBDA_RUNTIME_ENV } });
    return true;
  } catch (error) {
    if (String((error as { stderr?: Buffer }).stderr).includes('Dynamic require of')) return false;
    throw error;
  }
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const mega = (count: number) => `${(count / 1e6).toFixed(1)} M`;
const signed = (count: number) => `${count >= 0 ? '+' : ''}${mega(count)}`;

function printBytes(title: string, metafile: string, bytes: number): void {
  console.log(`\n${title}: ${kB(bytes)}`);
  const groups = [...bytesByGroup(metafile)].sort((a, b) => b[1] - a[1]);
  for (const [group, size] of groups) if (size >= 200) console.log(`  ${kB(size).padStart(9)}  ${group}`);
}

interface Count {
  name: string;
  total: number;
  phases: Map<string, number>;
  /** Instructions of the import, the build and the first invocation. */
  split: number[];
}

interface Settings {
  dir: string;
  bytesOnly: boolean;
  /** Probe runs per bundle when timing them (`--clock`); undefined: count instructions. */
  clockRuns: number | undefined;
  /** The bundles `--clock` times: their names and probe entries, in the order they were made. */
  timed: Array<{ name: string; entry: string }>;
  /** Run as a test or a local run does (every route compiled at boot), not as in Lambda. */
  local: boolean;
}

/** One ESM bundle's bytes, and unless `bytesOnly` or `--clock` its instructions, in three cold processes. */
async function countEsm(
  target: string,
  name: string,
  settings: Settings,
  plugins?: Plugin[],
): Promise<Count | undefined> {
  const file = join(settings.dir, name.replaceAll(/[^\w-]+/g, '-'));
  const esm = `${file}.bundle.mjs`;
  const entry = writeEntry(`${file}.probe.js`, esm);
  let esmBytes = await bundleEsm(target, esm, false, `${esm}.meta.json`, plugins);
  if (!startsWithoutBanner(entry)) esmBytes = await bundleEsm(target, esm, true, `${esm}.meta.json`, plugins);
  printBytes(`${name}, ESM bundle`, `${esm}.meta.json`, esmBytes);
  if (settings.clockRuns !== undefined) settings.timed.push({ name, entry });
  if (settings.bytesOnly || settings.clockRuns !== undefined) return undefined;
  const callgrind = (stopAfter: string): string => {
    const outFile = `${file}.${stopAfter}.callgrind.out`;
    const args = ['-R', 'valgrind', '--tool=callgrind', `--callgrind-out-file=${outFile}`, process.execPath];
    execFileSync('setarch', [...args, ...DETERMINISTIC, entry], {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: {
        ...process.env,
        ...LAMBDA_RUNTIME_ENV,
        ...(settings.local ? { _HANDLER: '' } : {}),
        CREST_BENCH_STOP_AFTER: stopAfter,
      },
    });
    return outFile;
  };
  const imported = instructionsByPhase(callgrind('import')).total;
  const built = instructionsByPhase(callgrind('build')).total;
  const all = instructionsByPhase(callgrind('invoke'));
  return { name, ...all, split: [imported, built - imported, all.total - built] };
}

/** `--clock`: each timed bundle's probe, interleaved; the medians of its steps and of its paired differences. */
async function timeBundles(timed: Settings['timed'], runs: number): Promise<void> {
  const STEPS = ['import', 'build', 'invoke', 'total'] as const;
  const samples = new Map<string, ColdSample[]>(timed.map(({ name }) => [name, []]));
  for (let run = 0; run < runs; run++) {
    for (const { name, entry } of rotate(timed, run)) samples.get(name)!.push(await probeOnce(entry, '1'));
  }
  const base = samples.get(timed[0]!.name)!;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  console.log(
    `\nClock, ${runs} probe runs of each ESM bundle on one core (medians; paired: run by run, over ${timed[0]!.name})`,
  );
  console.log(`| ESM bundle | ${STEPS.join(' | ')} | ${STEPS.map((step) => `${step}, paired`).join(' | ')} |`);
  console.log(`| --- | ${[...Array<string>(STEPS.length * 2)].map(() => '---:').join(' | ')} |`);
  for (const { name } of timed) {
    const runsOf = samples.get(name)!;
    const medians = STEPS.map((step) => ms(median(runsOf.map((sample) => sample[step]))));
    const paired = STEPS.map((step) => ms(median(runsOf.map((sample, i) => sample[step] - base[i]![step]))));
    console.log(`| ${name} | ${medians.join(' | ')} | ${paired.join(' | ')} |`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const targets =
    argv
      .find((arg) => arg.startsWith('--targets='))
      ?.slice(10)
      .split(',') ?? DEFAULT_TARGETS;
  const settings: Settings = {
    dir: join(BENCH_DIR, 'results', 'count'),
    bytesOnly: argv.includes('--bytes-only'),
    clockRuns: clockRuns(argv),
    timed: [],
    local: argv.includes('--local'),
  };
  mkdirSync(settings.dir, { recursive: true });
  const counts: Count[] = [];
  const keep = (count: Count | undefined) => count !== undefined && counts.push(count);
  const baseline = argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length);
  for (const target of targets) {
    keep(await countEsm(target, target, settings));
    if (baseline !== undefined && target.startsWith('crest'))
      keep(await countEsm(target, `${target} @ baseline`, settings, [crestFrom(baseline)]));
    const cjs = join(settings.dir, `${target}.bundle.js`);
    printBytes(
      `${target}, CommonJS bundle`,
      `${cjs}.meta.json`,
      await bundleCommonJs(handlerModule(target), cjs, target, `${cjs}.meta.json`),
    );
  }
  if (argv.includes('--what-if')) {
    for (const target of targets.filter((name) => name.startsWith('crest'))) {
      // An app with DTOs needs the DTO libraries: only the transports can go.
      const changes = Object.entries(WHAT_IF).filter(([change]) => target === 'crest-plain' || !change.includes('DTO'));
      for (const [change, table] of changes)
        keep(await countEsm(target, `${target}, ${change}`, settings, [stubs(table)]));
      if (changes.length > 1) {
        const both = stubs(Object.assign({}, ...changes.map(([, table]) => table)) as Record<string, string>);
        keep(await countEsm(target, `${target}, both`, settings, [both]));
      }
    }
  }
  // crest alone, CommonJS, class-validator external: the library-alone target.
  const libraryMeta = join(settings.dir, 'crest-library.meta.json');
  printBytes('crest library alone, CommonJS bundle', libraryMeta, await crestLibraryBytes(settings.dir, libraryMeta));
  if (settings.clockRuns !== undefined && !settings.bytesOnly) await timeBundles(settings.timed, settings.clockRuns);
  if (counts.length === 0) return;
  const base = counts[0]!;
  const names = [...base.phases.keys()];
  console.log(`\nInstructions, one cold process each (Node's boot included), and over ${base.name}`);
  console.log(`| ESM bundle | total | over | import | build | first invoke | ${names.join(' | ')} |`);
  console.log(`| --- | ${[...Array<string>(5 + names.length)].map(() => '---:').join(' | ')} |`);
  for (const count of counts) {
    const split = count.split.map((part, i) => signed(part - base.split[i]!));
    const phases = names.map((name) => signed(count.phases.get(name)! - base.phases.get(name)!));
    console.log(
      `| ${count.name} | ${mega(count.total)} | ${signed(count.total - base.total)} | ${split.join(' | ')} | ${phases.join(' | ')} |`,
    );
  }
}

function clockRuns(argv: string[]): number | undefined {
  const arg = argv.find((value) => value === '--clock' || value.startsWith('--clock='));
  if (arg === undefined) return undefined;
  const runs = arg === '--clock' ? 21 : Number(arg.slice('--clock='.length));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--clock=N needs a whole number of runs, not ${arg}`);
  return runs;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
