import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { crestLibraryBytes, runColdBench } from './cold/bench';
import { runHttpBench } from './http/bench';
import { runPairs } from './http/pairs';
import { HTTP_TARGETS } from './http/targets';
import { runLambdaBench } from './lambda/bench';
import { LAMBDA_TARGETS } from './lambda/targets';
import { keepRecordedSections } from './recorded-sections';
import { renderMarkdown, renderResultsChart, type BenchResults } from './report';
import { git, loadAverage } from './run-info';
import { runTalk } from './talk';

const BENCH_DIR = resolve(__dirname, '../..');
const ROOT = resolve(BENCH_DIR, '..');
const PHASES = ['http', 'lambda', 'cold', 'talk'] as const;
type Phase = (typeof PHASES)[number];

interface Settings {
  http: { rounds: number; warmupSeconds: number; seconds: number; connections: number; timedRoutes?: string[] };
  /** crest against fastify head to head: back-to-back pairs of runs per route. */
  pairs: { pairs: number; seconds: number; warmupSeconds: number };
  lambda: { rounds: number; budgetMs: number; minIterations: number; warmupCalls: number; oneProcess?: boolean };
  cold: { runs: number; rounds: number; splitRuns: number };
  talkSeconds: number;
}

const FULL: Settings = {
  http: { rounds: 3, warmupSeconds: 1, seconds: 3, connections: 50 },
  pairs: { pairs: 5, seconds: 2, warmupSeconds: 1 },
  lambda: { rounds: 3, budgetMs: 300, minIterations: 1000, warmupCalls: 250 },
  cold: { runs: 10, rounds: 3, splitRuns: 15 },
  talkSeconds: 10,
};

const QUICK: Settings = {
  // A smoke test in about a minute: every peer and route is still checked, two routes timed.
  http: { rounds: 1, warmupSeconds: 0, seconds: 1, connections: 50, timedRoutes: ['GET /users/:id', 'POST /echo'] },
  pairs: { pairs: 1, seconds: 1, warmupSeconds: 0 },
  lambda: { rounds: 1, budgetMs: 10, minIterations: 200, warmupCalls: 50, oneProcess: true },
  cold: { runs: 2, rounds: 1, splitRuns: 1 },
  talkSeconds: 0,
};

function requireTools(): void {
  const missing = ['wrk', 'hyperfine', 'taskset'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    console.error(
      `missing tools: ${missing.join(', ')}; install them with: apt-get install -y wrk hyperfine util-linux`,
    );
    process.exit(1);
  }
}

/** The libraries an app's DTOs share with crest: one copy each, bench's, as npm dedupes them. */
const SHARED_WITH_APP = new Set(['class-validator', 'class-transformer', 'reflect-metadata']);

/**
 * Copies the freshly built crest (package.json + dist) to .build/node_modules/crest, which the
 * compiled harness resolves before node_modules/crest (the `file:..` link): a rebuild of the
 * shared tree during a 15-minute run cannot change the code under test halfway. crest's own
 * dependencies still resolve from the repository's node_modules, except those it shares with the
 * app's DTOs: they resolve to bench's copies, as in a user's install (two copies of
 * class-validator would load twice and hold two metadata storages).
 */
function snapshotCrest(): void {
  const target = join(BENCH_DIR, '.build/node_modules/crest');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'node_modules'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(target, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(target, 'dist'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (!SHARED_WITH_APP.has(name)) symlinkSync(join(ROOT, 'node_modules', name), join(target, 'node_modules', name));
  }
}

interface Args {
  quick: boolean;
  merge: boolean;
  phases: Phase[];
  /** `--targets=crest,fastify`: only these peers (an experiment; the recorded results stay). */
  targets: string[] | undefined;
}

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const merge = argv.includes('--merge');
  const list = (name: string) =>
    argv
      .find((arg) => arg.startsWith(`--${name}=`))
      ?.slice(name.length + 3)
      .split(',');
  const phases = (list('only') ?? [...PHASES]) as Phase[];
  for (const phase of phases) if (!PHASES.includes(phase)) throw new Error(`unknown phase ${phase}`);
  return { quick, merge, phases, targets: list('targets') };
}

async function main(): Promise<void> {
  const { quick, merge, phases, targets } = parseArgs(process.argv.slice(2));
  const chosen = <T extends { name: string }>(all: readonly T[]) =>
    all.filter((target) => targets === undefined || targets.includes(target.name)).map((target) => target.name);
  if (process.argv.includes('--render')) {
    // Re-renders RESULTS.md and the chart from the last run's JSON (after a change to the report).
    const results = JSON.parse(readFileSync(join(BENCH_DIR, 'results', 'results-full.json'), 'utf8')) as BenchResults;
    writeFileSync(
      join(BENCH_DIR, 'RESULTS.md'),
      keepRecordedSections(renderMarkdown(results), join(BENCH_DIR, 'RESULTS.md')),
    );
    writeFileSync(join(BENCH_DIR, 'chart.svg'), renderResultsChart(results));
    return;
  }
  requireTools();
  snapshotCrest();
  const settings = quick ? QUICK : FULL;
  const started = Date.now();
  const workDir = join(BENCH_DIR, 'results');
  mkdirSync(workDir, { recursive: true });
  const log = (line: string) => console.log(line);
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const results: BenchResults = {
    meta: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      mode: quick ? 'quick' : 'full',
      machine: `${cpuModel}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
      node: process.version,
      commit: git(['describe', '--always', '--dirty']),
      durationSeconds: 0,
      settings: {
        HTTP: `wrk -t1 -c${settings.http.connections}, ${settings.http.warmupSeconds} s warm-up + ${settings.http.seconds} s measured per route, ${settings.http.rounds} interleaved round(s); server on CPU 0, wrk on CPU 1`,
        'HTTP head to head': `crest and fastify alternated, ${settings.pairs.pairs} back-to-back pair(s) of ${settings.pairs.seconds} s runs per route, same pinning`,
        Lambda: `${settings.lambda.rounds} round(s), ≥ ${settings.lambda.budgetMs} ms and ≥ ${settings.lambda.minIterations} sequential invocations per (event kind, route); pinned to CPU 0`,
        'Cold start': `hyperfine ${settings.cold.rounds} round(s) × ${settings.cold.runs} runs (2 warm-up) per variant, rounds in rotated order, median over all runs; ${settings.cold.splitRuns} interleaved probe run(s) for the split; pinned to CPU 0; every process with the Lambda runtime's environment variables (_HANDLER, AWS_LAMBDA_FUNCTION_NAME, …)`,
      },
    },
  };
  if (phases.includes('http')) {
    log('HTTP throughput');
    results.http = await runHttpBench({
      ...settings.http,
      targets: chosen(HTTP_TARGETS),
      workDir,
      serverCpu: '0',
      clientCpu: '1',
      log,
    });
    if (chosen(HTTP_TARGETS).includes('crest') && chosen(HTTP_TARGETS).includes('fastify')) {
      log('HTTP head to head: crest against fastify');
      try {
        results.httpPairs = await runPairs({
          ...settings.pairs,
          connections: settings.http.connections,
          timedRoutes: settings.http.timedRoutes,
          workDir,
          serverCpu: '0',
          clientCpu: '1',
          log,
        });
      } catch (error) {
        // The suite's ratios still stand; the targets fall back to them.
        log(`  head to head not measured: ${(error as Error).message.split('\n')[0]!}`);
      }
    }
  }
  if (phases.includes('lambda')) {
    log('Lambda in-process');
    results.lambda = await runLambdaBench({
      ...settings.lambda,
      targets: chosen(LAMBDA_TARGETS),
      cpu: '0',
      log,
    });
  }
  if (phases.includes('cold')) {
    log('Cold start');
    const loadBefore = loadAverage();
    results.cold = await runColdBench({
      ...settings.cold,
      targets: chosen(LAMBDA_TARGETS),
      workDir,
      cpu: '0',
      log,
    });
    // This 2-core machine is shared: what else ran shows in the load average (1, 5, 15 minutes).
    results.meta.settings['Cold start'] += `; load average ${loadBefore} before the phase, ${loadAverage()} after`;
    // Written under .build so that 'crest' resolves to the snapshot.
    results.crestLibraryBytes = await crestLibraryBytes(join(BENCH_DIR, '.build'));
  }
  if (phases.includes('talk') && settings.talkSeconds > 0) {
    log('The talk’s table');
    results.talk = await runTalk({ root: ROOT, seconds: settings.talkSeconds, serverCpu: '0', clientCpu: '1', log });
  }
  results.meta.durationSeconds = (Date.now() - started) / 1000;
  const thisRun = { date: results.meta.date, commit: results.meta.commit };
  results.meta.phaseRuns = Object.fromEntries(phases.map((phase) => [phase, thisRun]));
  // --merge: phases not run now keep the previous run's results (each section says when it ran).
  // A quick run, a run of chosen peers, or a run of some phases without --merge is an experiment:
  // it never replaces the recorded results (RESULTS.md, and results-full.json, which --merge reads).
  const partial = !merge && phases.length < PHASES.length;
  const experiment = quick || targets !== undefined || partial;
  const name = targets !== undefined ? 'targets' : partial ? 'partial' : results.meta.mode;
  const previousFile = join(workDir, `results-${name}.json`);
  if (merge && !experiment && existsSync(previousFile)) {
    const previous = JSON.parse(readFileSync(previousFile, 'utf8')) as BenchResults;
    if (results.http === undefined) {
      results.http = previous.http;
      results.httpPairs = previous.httpPairs;
    }
    results.lambda ??= previous.lambda;
    results.cold ??= previous.cold;
    results.crestLibraryBytes ??= previous.crestLibraryBytes;
    results.talk ??= previous.talk;
    // Results written before phaseRuns existed: every phase from the previous run's date.
    const before =
      previous.meta.phaseRuns ??
      Object.fromEntries(PHASES.map((phase) => [phase, { date: previous.meta.date, commit: previous.meta.commit }]));
    results.meta.phaseRuns = { ...before, ...results.meta.phaseRuns };
    results.meta.settings['Merged'] = Object.entries(results.meta.phaseRuns)
      .map(([phase, run]) => `${phase} ${run.date} (${run.commit})`)
      .join('; ');
  }
  const outDir = experiment ? workDir : BENCH_DIR;
  writeFileSync(previousFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'RESULTS.md'), keepRecordedSections(renderMarkdown(results), join(outDir, 'RESULTS.md')));
  writeFileSync(join(outDir, 'chart.svg'), renderResultsChart(results));
  log(`wrote ${join(outDir, 'RESULTS.md')} and chart.svg in ${Math.round(results.meta.durationSeconds)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
