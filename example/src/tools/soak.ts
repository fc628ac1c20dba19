import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPostalApp } from '../app';
import { readPackedPostal } from '../postal/postal-data';
import { EmbeddedStore } from '../store/embedded-store';

/**
 * `npm run example:soak [-- --duration 60 --connections 200 | --quick]`: a bounded load test of
 * the example over loopback. The server (this file with `--serve`: the example app over the
 * embedded store, `app.run()` on 127.0.0.1) runs in a child process pinned to one CPU; wrk runs
 * on another with soak.lua's mix of lookups, search pages, 400s, 404s and streamed exports, and
 * this process, pinned beside wrk, sends HEAD lookups over a twentieth of the connections (wrk
 * cannot parse HEAD responses: wg/wrk#198). The server's RSS and open file descriptors are read
 * from /proc, and its live heap after a full GC, after a warm-up, after the run and after a 2 s
 * settle. Exits 1 unless the server stayed up, there were no socket errors and no 5xx, the live
 * heap grew less than 5 % and no file descriptor leaked.
 */

interface SoakOptions {
  duration: number;
  connections: number;
  warmup: number;
}

/** What soak.lua's `done` prints after `SOAK_RESULT `. */
interface WrkResult {
  requests: number;
  durationUs: number;
  bytes: number;
  errors: { connect: number; read: number; write: number; timeout: number; status: number };
  status: { '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number };
  latencyUs: { p50: number; p99: number; max: number };
}

/** What the HEAD client counted. */
interface HeadResult {
  requests: number;
  errors: { connect: number; read: number; write: number; timeout: number };
  status: { '2xx': number; '4xx': number; '5xx': number; other: number };
}

interface ProcessSample {
  /** The server's live JavaScript heap after a full GC: what a leak would grow (not taken mid-run). */
  heapBytes?: number;
  /**
   * The server's slowest answer since the previous sample, from its `request` event to the last
   * byte handed to the socket: what crest itself took, against wrk's latency, which also counts
   * the kernel, the load generator and the VM.
   */
  slowestMs?: number;
  rssKb: number;
  /** Peak RSS so far (VmHWM). */
  peakKb: number;
  fds: number;
}

interface ProcessSamples {
  before: ProcessSample;
  during: ProcessSample;
  after: ProcessSample;
  settled: ProcessSample;
}

const SETTLE_MS = 2000;
const HEAP_GROWTH_LIMIT = 0.05;
const SEED = 20261128;
/** wrk's default per-request timeout, used for the HEAD client too. */
const REQUEST_TIMEOUT_MS = 2000;
const LUA_SCRIPT = resolve(__dirname, '../../../../example/src/tools/soak.lua');

function parseOptions(argv: string[]): SoakOptions {
  const options: SoakOptions = { duration: 60, connections: 200, warmup: 5 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2);
    const value = (): number => {
      const text = inline ?? argv[++i];
      const number = Number(text);
      if (!Number.isInteger(number) || number <= 0) throw new Error(`${flag} needs a positive integer, got ${text}`);
      return number;
    };
    if (flag === '--duration') options.duration = value();
    else if (flag === '--connections') options.connections = value();
    else if (flag === '--quick') Object.assign(options, { duration: 10, warmup: 2 });
    else throw new Error(`unknown option ${argv[i]} (--duration <s>, --connections <n>, --quick)`);
  }
  return options;
}

function requireCommand(name: string, hint: string): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) {
    throw new Error(`${name} is not installed (${hint}); the soak test needs it.`);
  }
}

/** The CPUs this process may run on (`Cpus_allowed_list: 0-3,6`). */
function allowedCpus(): number[] {
  const list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  return list.split(',').flatMap((range) => {
    const [low, high = low] = range.split('-').map(Number);
    return Array.from({ length: high! - low! + 1 }, (_, i) => low! + i);
  });
}

/** A spread of real codes (every n-th of the sorted set) and 7-digit codes that do not exist, for soak.lua. */
function writeCodes(file: string): { known: string[]; unknown: string[] } {
  const data = readPackedPostal();
  const step = Math.max(1, Math.floor(data.size / 2000));
  const known = Array.from({ length: Math.ceil(data.size / step) }, (_, i) => data.codeAt(i * step));
  const unknown: string[] = [];
  for (let n = 1; unknown.length < 500; n++) {
    const code = String((n * 7_919_993) % 10_000_000).padStart(7, '0');
    if (data.addressesOf(Number(code)) === undefined) unknown.push(code);
  }
  writeFileSync(file, [...known.map((code) => `K ${code}\n`), ...unknown.map((code) => `U ${code}\n`)].join(''));
  return { known, unknown };
}

/**
 * The server's memory and descriptors. RSS alone cannot tell a leak from V8 letting the heap grow
 * between major GCs (it does, by 10–15 % over a minute at 28k req/s), so the server is also asked
 * (SIGUSR2) to run a full GC and report its live heap.
 */
async function sample(child: ChildProcess, withHeap = true): Promise<ProcessSample> {
  const probe = !withHeap
    ? undefined
    : await new Promise<{ heapBytes: number; slowestMs: number }>((resolveProbe) => {
        let output = '';
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /HEAP (\d+) SLOWEST ([\d.]+)\n/.exec(output);
          if (match === null) return;
          child.stdout!.off('data', onData);
          resolveProbe({ heapBytes: Number(match[1]), slowestMs: Number(match[2]) });
        };
        child.stdout!.on('data', onData);
        child.kill('SIGUSR2');
      });
  const status = readFileSync(`/proc/${child.pid!}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
  return { ...probe, rssKb: kb('VmRSS'), peakKb: kb('VmHWM'), fds: readdirSync(`/proc/${child.pid!}/fd`).length };
}

/** Starts the server on `cpu` and resolves with its port once it listens. */
function startServer(cpu: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn('taskset', ['-c', String(cpu), process.execPath, '--expose-gc', __filename, '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePort, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port !== undefined) resolvePort({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code} before listening: ${output}`)));
    child.on('error', reject);
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** One wrk run on `cpu` with soak.lua; resolves with its `SOAK_RESULT`. */
function runWrk(cpu: number, port: number, seconds: number, connections: number, codes: string): Promise<WrkResult> {
  const args = ['-c', String(cpu), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '-s', LUA_SCRIPT];
  args.push(`http://127.0.0.1:${port}`, '--', codes, String(SEED));
  const wrk = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  wrk.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolveRun, reject) => {
    wrk.on('error', reject);
    wrk.on('exit', (code) => {
      const line = /^SOAK_RESULT (.*)$/m.exec(output)?.[1];
      if (code !== 0 || line === undefined) reject(new Error(`wrk exited with ${code}:\n${output}`));
      else resolveRun(JSON.parse(line) as WrkResult);
    });
  });
}

/** HEAD lookups of `codes` over `connections` keep-alive connections for `seconds`. */
async function runHead(port: number, seconds: number, connections: number, codes: string[]): Promise<HeadResult> {
  const result: HeadResult = {
    requests: 0,
    errors: { connect: 0, read: 0, write: 0, timeout: 0 },
    status: { '2xx': 0, '4xx': 0, '5xx': 0, other: 0 },
  };
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const until = Date.now() + seconds * 1000;
  let next = 0;
  const one = () =>
    new Promise<void>((done) => {
      const path = `/api/postal_code?code=${codes[next++ % codes.length]}`;
      const req = request({ host: '127.0.0.1', port, method: 'HEAD', path, agent, timeout: REQUEST_TIMEOUT_MS });
      let timedOut = false;
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const kind = status >= 200 && status < 300 ? '2xx' : status >= 400 && status < 500 ? '4xx' : undefined;
        result.status[kind ?? (status >= 500 ? '5xx' : 'other')]++;
        result.requests++;
        res.resume();
        res.on('end', done);
      });
      req.on('timeout', () => {
        timedOut = true;
        result.errors.timeout++;
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const kind = error.code === 'ECONNREFUSED' ? 'connect' : error.code === 'EPIPE' ? 'write' : 'read';
        if (!timedOut) result.errors[kind]++;
        done();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) await one();
    }),
  );
  agent.destroy();
  return result;
}

/** wrk with soak.lua and the HEAD client side by side, over `connections` in all. */
async function runLoad(
  wrkCpu: number,
  port: number,
  seconds: number,
  connections: number,
  codes: { file: string; known: string[] },
): Promise<{ wrk: WrkResult; head: HeadResult; headConnections: number }> {
  const headConnections = Math.max(1, Math.round(connections / 20));
  const [wrk, head] = await Promise.all([
    runWrk(wrkCpu, port, seconds, connections - headConnections, codes.file),
    runHead(port, seconds, headConnections, codes.known),
  ]);
  return { wrk, head, headConnections };
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
const grouped = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (kb: number) => (kb / 1024).toFixed(1);

async function soak(options: SoakOptions): Promise<boolean> {
  requireCommand('wrk', 'apt-get install wrk');
  requireCommand('taskset', 'util-linux');
  if (options.connections < 2) throw new Error('--connections must be at least 2 (wrk and the HEAD client)');
  const cpus = allowedCpus();
  if (cpus.length < 2)
    throw new Error(`the soak test needs two CPUs (server and load apart); this process has ${cpus}`);
  const [serverCpu, wrkCpu] = cpus as [number, number];
  // This process sends the HEAD requests: it belongs on the load generator's CPU, all its threads.
  if (spawnSync('taskset', ['-a', '-pc', String(wrkCpu), String(process.pid)]).status !== 0) {
    throw new Error(`taskset could not pin this process to CPU ${wrkCpu}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'crest-soak-'));
  const file = join(dir, 'codes.txt');
  const { known, unknown } = writeCodes(file);
  const codes = { file, known };
  const { child, port } = await startServer(serverCpu);
  try {
    const pid = child.pid!;
    console.log(
      `crest example soak: ${options.connections} connections for ${options.duration} s after a ` +
        `${options.warmup} s warm-up (twice: before and after the first memory sample); server pid ${pid} on CPU ${serverCpu}, wrk and HEAD client on CPU ${wrkCpu}; ` +
        `Node ${process.version}; ${known.length} real and ${unknown.length} unknown codes`,
    );
    await runLoad(wrkCpu, port, options.warmup, options.connections, codes);
    await sleep(SETTLE_MS);
    const before = await sample(child);
    // The full GC above leaves V8 to regrow its heap, which costs the next seconds' latency: a
    // second warm-up absorbs that before the measured run.
    await runLoad(wrkCpu, port, options.warmup, options.connections, codes);
    // Halfway through, every connection is open: the descriptor count shows them.
    let during: Promise<ProcessSample> = Promise.resolve(before);
    // No GC there: a full GC under load would show in the latency figures.
    const halfway = setTimeout(() => (during = sample(child, false)), (options.duration * 1000) / 2);
    const result = await runLoad(wrkCpu, port, options.duration, options.connections, codes);
    clearTimeout(halfway);
    const after = await sample(child);
    await sleep(SETTLE_MS);
    const settled = await sample(child);
    const alive = child.exitCode === null && child.signalCode === null;
    return report(options, result, { before, during: await during, after, settled }, alive);
  } finally {
    await stopServer(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  options: SoakOptions,
  { wrk, head, headConnections }: { wrk: WrkResult; head: HeadResult; headConnections: number },
  samples: ProcessSamples,
  alive: boolean,
): boolean {
  const { errors, status, latencyUs } = wrk;
  const seconds = wrk.durationUs / 1e6;
  const requests = wrk.requests + head.requests;
  const connect = errors.connect + head.errors.connect;
  const read = errors.read + head.errors.read;
  const timeout = errors.timeout + head.errors.timeout;
  const write = errors.write + head.errors.write;
  const socketErrors = connect + read + write + timeout;
  const fiveXx = status['5xx'] + head.status['5xx'];
  const other = status['1xx'] + status['3xx'] + status['5xx'] + head.status.other + head.status['5xx'];
  const growth = (samples.settled.rssKb - samples.before.rssKb) / samples.before.rssKb;
  const runGrowth = (samples.after.rssKb - samples.before.rssKb) / samples.before.rssKb;
  const heap = (which: ProcessSample) => which.heapBytes ?? Number.NaN;
  const heapGrowth = (heap(samples.settled) - heap(samples.before)) / heap(samples.before);
  const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
  const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
  console.log(
    [
      `requests       ${grouped(requests)} in ${seconds.toFixed(1)} s: ${grouped(requests / seconds)} req/s ` +
        `(wrk ${grouped(wrk.requests)} over ${options.connections - headConnections} connections, ` +
        `${mb(wrk.bytes / 1024)} MB read, latency p50 ${ms(latencyUs.p50)}, p99 ${ms(latencyUs.p99)}, ` +
        `max ${ms(latencyUs.max)}; HEAD ${grouped(head.requests)} over ${headConnections})`,
      `server side    slowest answer ${(samples.after.slowestMs ?? Number.NaN).toFixed(1)} ms over the second warm-up and the run ` +
        `(request event to last byte written; wrk's max also counts the kernel, wrk itself and the VM)`,
      `socket errors  ${socketErrors} (connect ${connect}, read ${read}, write ${write}, timeout ${timeout})`,
      `answers        2xx ${grouped(status['2xx'] + head.status['2xx'])}, 4xx ${grouped(status['4xx'] + head.status['4xx'])}, ` +
        `5xx ${fiveXx}; neither 2xx nor 4xx: ${other}`,
      `server         after the warm-up RSS ${mb(samples.before.rssKb)} MB, ${samples.before.fds} fds; ` +
        `halfway ${mb(samples.during.rssKb)} MB, ${samples.during.fds} fds; ` +
        `after the run ${mb(samples.after.rssKb)} MB (${percent(runGrowth)}), ${samples.after.fds} fds; ` +
        `${SETTLE_MS / 1000} s later ${mb(samples.settled.rssKb)} MB (${percent(growth)}), ${samples.settled.fds} fds; ` +
        `peak ${mb(samples.settled.peakKb)} MB`,
      `live heap      after a full GC: ${mb(heap(samples.before) / 1024)} MB after the warm-up, ` +
        `${mb(heap(samples.after) / 1024)} MB after the run, ${mb(heap(samples.settled) / 1024)} MB ` +
        `${SETTLE_MS / 1000} s later (${percent(heapGrowth)})`,
    ].join('\n'),
  );
  const targets: Array<[boolean, string]> = [
    [alive, 'the server stayed up'],
    [socketErrors === 0, `zero socket errors (${socketErrors})`],
    [fiveXx === 0, `zero 5xx (${fiveXx})`],
    [heapGrowth < HEAP_GROWTH_LIMIT, `live heap growth under ${percent(HEAP_GROWTH_LIMIT)} (${percent(heapGrowth)})`],
    [
      samples.settled.fds <= samples.before.fds,
      `no file-descriptor growth (${samples.before.fds} → ${samples.settled.fds})`,
    ],
  ];
  for (const [ok, text] of targets) console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
  return targets.every(([ok]) => ok);
}

async function serve(): Promise<void> {
  const app = createPostalApp(EmbeddedStore.fromJpPostal());
  let slowest = 0;
  // The soak's probe: a full GC, then the live heap and the slowest answer since the last probe.
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('SIGUSR2', () => {
    gc?.();
    process.stdout.write(`HEAP ${process.memoryUsage().heapUsed} SLOWEST ${slowest.toFixed(1)}\n`);
    slowest = 0;
  });
  // app.run() as `npm start` does (graceful SIGTERM), on loopback and a free port it prints.
  const server = await app.run({ port: 0, host: '127.0.0.1' });
  // First in line, so crest's own synchronous work is inside the measured time.
  server?.prependListener('request', (_request, response: ServerResponse) => {
    const started = performance.now();
    response.once('finish', () => (slowest = Math.max(slowest, performance.now() - started)));
  });
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--serve') {
    await serve();
    return 0;
  }
  return (await soak(parseOptions(argv))) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
