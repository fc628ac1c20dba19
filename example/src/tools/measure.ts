import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { httpApiEvent } from 'crest/testing';
import type { BundleResult, ServerBundle } from './bundle';

/**
 * `npm run example:measure [-- --runs=5] [--baseline=<checkout>]`: how the example starts.
 * For the local server (`build/example/server/main.cjs`, what `npm start` runs, and tsc's output
 * `build/example/src/main.js` unbundled, for comparison) and for the bundled Lambda handler loaded and invoked once in a fresh process (what a cold start does):
 * the time from spawn to the first correct answer to `GET /api/postal_code?code=1000001`, the
 * CPU time the process had used by then (user + system, all threads: on a busy machine the wall
 * time counts other processes too), and its RSS and V8 heap then; median of the runs. The Lambda
 * handler then also serves the heaviest answers (the docs page's largest file, the OpenAPI
 * document, an NDJSON export of 2.2 MB, a full page and a full batch) and reports its peak RSS:
 * what the function's memory size must hold. The embedded store, or Redis when
 * REDIS_URL is set. `--baseline` measures another built checkout (`npm run build:all` there)
 * the same way, interleaved run by run, so that a busy moment on a shared machine hits both; a
 * handler that answers at once, in the same kind of process, gives Node.js's own share, and a
 * node:http server that answers at once, spawned and polled the same way, the local server's.
 *
 * `--instructions` (needs valgrind): each target once more, under callgrind, counting the
 * instructions its process runs from start to the first answer (Node.js's own start included),
 * with V8's deterministic flags: unlike times, counts do not move with other people's work on a
 * shared machine (they repeat to within about 1 %), so they compare two checkouts, or a change,
 * where times cannot. V8 then runs on one thread, so compare counts with counts, not with times.
 */

interface Sample {
  /** `--instructions`: millions of instructions from start to the first answer; the other figures are then those of that slow run. */
  instructions?: number;
  ms: number;
  cpuMs: number;
  rssMb: number;
  heapMb: number;
  /** After the heaviest answers (bundled handler only). */
  peakRssMb?: number;
}

interface Target {
  label: string;
  measure(): Promise<Sample>;
}

const ROOT = resolve(__dirname, '../../../..');
const LOOKUP = '/api/postal_code?code=1000001';
const HEAVIEST = [
  '/api/docs/swagger-ui-bundle.js',
  '/api/openapi.json',
  '/api/postal_codes/export?prefix=0',
  '/api/postal_codes?prefix=4&limit=100',
  `/api/postal_codes/batch?${Array.from({ length: 50 }, (_, i) => `code=${1000001 + i}`).join('&')}`,
];
const PROBE = join(__dirname, 'memory-probe.js');
const INVOKER = join(__dirname, 'invoke-bundle.js');
const TIMEOUT_MS = 30_000;
/** V8 flags that make a process's instruction count repeat (bench/src/cold/count.ts says why). */
const DETERMINISTIC = ['--single-threaded', '--hash-seed=1', '--random-seed=1'];
const counting = process.argv.includes('--instructions');

/** The command that runs Node with `args`: under callgrind with `--instructions`. */
function nodeCommand(args: string[]): [string, string[]] {
  if (!counting) return [process.execPath, args];
  // setarch -R: no address randomization, which moves counts by a few million.
  const valgrind = ['-R', 'valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null'];
  return ['setarch', [...valgrind, process.execPath, ...DETERMINISTIC, ...args]];
}

/** The count callgrind prints on the child's stderr when it exits, in millions. */
function collected(stderr: string): number {
  const count = /Collected : (\d+)/.exec(stderr);
  if (count === null) throw new Error(`callgrind printed no count: ${stderr.slice(-500)}`);
  return Math.round(Number(count[1]) / 1e5) / 10;
}

/** A child's stderr: collected under callgrind, passed through otherwise. */
function stderrOf(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (text += chunk));
  return () => text;
}

async function main(): Promise<void> {
  const runs = Number(option('runs') ?? process.env.RUNS ?? (counting ? 1 : 5));
  const baseline = option('baseline');
  const scratch = mkdtempSync(join(tmpdir(), 'crest-example-measure-'));
  try {
    const checkouts = [{ name: 'this checkout', root: ROOT }];
    if (baseline !== undefined) checkouts.push({ name: 'baseline', root: resolve(baseline) });
    const targets: Target[] = [];
    for (const [i, { name, root }] of checkouts.entries()) {
      // Each checkout bundles with its own bundler: its bundle is what it would deploy.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a checkout chosen at run time
      const { bundleLambda, bundleServer } = require(join(root, 'build/example/src/tools/bundle.js')) as {
        bundleLambda(outDir: string): Promise<Partial<BundleResult> & Pick<BundleResult, 'directory'>>;
        bundleServer?(outDir: string): Promise<ServerBundle>;
      };
      // A checkout from before the ES module bundles has no handlerFile (its bundle is index.js)
      // and no bundleServer (npm start ran tsc's output, which this checkout measures as well).
      const bundle = await bundleLambda(join(scratch, String(i)));
      const handlerFile = bundle.handlerFile ?? join(bundle.directory, 'index.js');
      const unbundled = join(root, 'build/example/src/main.js');
      if (bundleServer !== undefined) {
        const { mainFile } = await bundleServer(join(scratch, `${i}-server`));
        targets.push({ label: `${name}: local server`, measure: () => measureServer(mainFile) });
      }
      targets.push({ label: `${name}: local server, tsc output`, measure: () => measureServer(unbundled) });
      targets.push({
        label: `${name}: bundled Lambda handler`,
        measure: () => measureLambda(handlerFile),
      });
    }
    // The floor: the same fresh process with a handler that answers at once, i.e. Node.js itself.
    const floor = join(scratch, 'floor.js');
    writeFileSync(
      floor,
      `exports.handler = async () => (${JSON.stringify({ statusCode: 200, body: '{"code":"1000001"}' })});\n`,
    );
    targets.push({ label: 'Node.js alone (a handler answering at once)', measure: () => measureLambda(floor) });
    // The local server's floor: node:http answering at once, spawned and polled the same way.
    const serverFloor = join(scratch, 'floor-server.js');
    writeFileSync(
      serverFloor,
      `require('node:http').createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"code":"1000001"}'); })` +
        `.listen(Number(process.env.PORT), '127.0.0.1');\n`,
    );
    targets.push({
      label: 'Node.js alone (node:http answering at once)',
      measure: () => measureServer(serverFloor),
    });
    const samples = targets.map((): Sample[] => []);
    for (let run = 0; run < runs; run++) {
      // Interleaved, and each run starting with another target, so no target always goes first.
      for (let k = 0; k < targets.length; k++) {
        const i = (k + run) % targets.length;
        const sample = await targets[i]!.measure();
        samples[i]!.push(sample);
        console.log(`run ${run + 1} ${targets[i]!.label}: ${format(sample)}`);
      }
    }
    const store = process.env.REDIS_URL ? 'Redis' : 'embedded';
    const what = counting ? 'callgrind' : `median of ${runs}`;
    console.log(`\n${what} (${store} store), each figure on its own:`);
    for (const [i, { label }] of targets.entries())
      console.log(`  ${label.padEnd(40)} ${format(medians(samples[i]!))}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Spawns the local server on a free port and polls it until it answers the lookup. */
async function measureServer(mainJs: string): Promise<Sample> {
  const port = await freePort();
  const started = performance.now();
  const [command, args] = nodeCommand(['--require', PROBE, mainJs]);
  const child = spawn(command, args, {
    env: { ...childEnvironment(), PORT: String(port) },
    stdio: ['ignore', 'ignore', counting ? 'pipe' : 'inherit', 'ipc'],
  });
  const stderr = stderrOf(child);
  try {
    const deadline = started + TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${mainJs} exited with ${child.exitCode}`);
      if (performance.now() > deadline) throw new Error(`${mainJs} did not answer within ${TIMEOUT_MS} ms`);
      const answer = await getLookup(port);
      if (answer !== undefined && isLookupAnswer(answer.status, answer.body)) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const ms = performance.now() - started;
    const answered = sample(ms, await askProbe(child));
    if (!counting) return answered;
    // The probe exits at once: what callgrind counts ends with the first answer.
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.send('exit');
    await closed;
    return { ...answered, instructions: collected(stderr()) };
  } finally {
    await stop(child);
  }
}

/** Loads the bundle in a fresh process that invokes `handler` once with an HTTP API event. */
async function measureLambda(handlerFile: string): Promise<Sample> {
  // Counted: the first answer only.
  const events = (counting ? [LOOKUP] : [LOOKUP, ...HEAVIEST]).map((url) => JSON.stringify(httpApiEvent({ url })));
  const env = { ...childEnvironment(), AWS_LAMBDA_FUNCTION_NAME: 'crest-example', _HANDLER: 'index.handler' };
  // Wall-clock times, the child's own for its answer: this process may read the pipe late.
  const spawnedAt = Date.now();
  const [command, args] = nodeCommand([INVOKER, handlerFile, ...events]);
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', counting ? 'pipe' : 'inherit'] });
  const stderr = stderrOf(child);
  try {
    let output = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => (output += chunk));
    const code = await new Promise((resolve) => child.once('close', resolve));
    const [first, last] = output.split('\n') as [string, string | undefined];
    if (code !== 0 || !last) throw new Error(`${handlerFile}: the invocations exited with ${code}: ${output}`);
    const { result, answeredAt, ...probe } = JSON.parse(first) as ProbeAnswer & {
      answeredAt: number;
      result: { statusCode: number; body: string };
    };
    if (!isLookupAnswer(result.statusCode, result.body)) throw new Error(`${handlerFile}: wrong answer ${first}`);
    const { statuses, maxRssKb } = JSON.parse(last) as { statuses: unknown[]; maxRssKb: number };
    if (statuses.some((status) => status !== 200)) throw new Error(`${handlerFile}: the heaviest answers: ${last}`);
    const measured = { ...sample(answeredAt - spawnedAt, probe), peakRssMb: megabytes(maxRssKb * 1024) };
    return counting ? { ...measured, instructions: collected(stderr()) } : measured;
  } finally {
    await stop(child);
  }
}

/**
 * The environment every measured process starts with: PATH and the store's REDIS_URL, nothing else
 * of this machine's. Inherited settings change what Node does before any of the example's code
 * runs; NODE_EXTRA_CA_CERTS, for one, makes every Node 20 process read and parse that PEM file
 * at start (about 45 ms of CPU for the 144 certificates of a Debian ca-certificates.crt), which
 * neither Lambda nor a user's `npm start` pays as a rule, and which the Lambda targets here never
 * paid: the local server's figures carried it alone.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
  return env;
}

function isLookupAnswer(status: number, body: string): boolean {
  try {
    return status === 200 && (JSON.parse(body) as { code?: unknown }).code === '1000001';
  } catch {
    return false;
  }
}

/** One GET of the lookup without keep-alive; undefined while nothing listens yet. */
function getLookup(port: number): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: LOOKUP, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve(undefined));
    });
    request.on('error', () => resolve(undefined));
  });
}

/** What memory-probe.ts and invoke-bundle.ts report. */
interface ProbeAnswer {
  memory: NodeJS.MemoryUsage;
  cpu: NodeJS.CpuUsage;
}

function askProbe(child: ChildProcess): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as ProbeAnswer));
    child.send('probe');
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.disconnect();
  child.kill('SIGTERM');
  await exited;
}

function sample(ms: number, { memory, cpu }: ProbeAnswer): Sample {
  return {
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssMb: megabytes(memory.rss),
    heapMb: megabytes(memory.heapUsed),
  };
}

function megabytes(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function medians(samples: readonly Sample[]): Sample {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    ms: median(samples.map((s) => s.ms)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    rssMb: median(samples.map((s) => s.rssMb)),
    heapMb: median(samples.map((s) => s.heapMb)),
    ...(samples[0]?.peakRssMb === undefined ? {} : { peakRssMb: median(samples.map((s) => s.peakRssMb!)) }),
    ...(samples[0]?.instructions === undefined ? {} : { instructions: median(samples.map((s) => s.instructions!)) }),
  };
}

function format({ instructions, ms, cpuMs, rssMb, heapMb, peakRssMb }: Sample): string {
  if (instructions !== undefined) return `${instructions.toFixed(1)} M instructions to the first answer`;
  const peak = peakRssMb === undefined ? '' : `; peak RSS ${peakRssMb} MB after the heaviest answers`;
  return `first answer ${ms} ms (CPU ${cpuMs} ms), RSS ${rssMb} MB, heap ${heapMb} MB${peak}`;
}

/** `--name=value` from the command line. */
function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
    server.on('error', reject);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
