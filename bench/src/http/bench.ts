import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, rotate, sleep } from '../stats';
import { HTTP_ROUTES } from '../workload';
import { HTTP_TARGETS } from './targets';
import { verifyHttp } from './verify';
import { runWrk, wrkScript, type WrkOptions, type WrkResult } from './wrk';

export interface HttpBenchOptions {
  rounds: number;
  warmupSeconds: number;
  seconds: number;
  connections: number;
  /** Route names to time (default all); quick mode times two. Every route is still checked. */
  timedRoutes?: readonly string[];
  targets: readonly string[];
  /** Where wrk's Lua scripts go. */
  workDir: string;
  serverCpu: string;
  clientCpu: string;
  log: (line: string) => void;
}

/** A wrk result plus the server's own CPU time per request. */
export interface HttpRun extends WrkResult {
  cpuUsPerRequest: number;
}

export interface HttpCell {
  target: string;
  route: string;
  /** One wrk result per round. */
  runs: HttpRun[];
  rps: number;
  p99: number;
  /**
   * Median server CPU time (user + system) per request, µs: unlike req/s it does not move when
   * another process takes turns on the server's core, so it is the steadier ratio on a busy machine.
   */
  cpuUs: number;
  /** Why the framework was not timed (a failed check); its runs are then discarded. */
  error?: string;
}

const SERVE = join(__dirname, 'serve.js');
/** Linux clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream kernel). */
const TICKS = 100;

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}
const PORT = 3456;

/** One wrk run against the server process `pid`, with that process's CPU time per request. */
export async function timedRun(pid: number, url: string, wrk: WrkOptions, script?: string): Promise<HttpRun> {
  const cpuBefore = cpuSeconds(pid);
  const measured = await runWrk(url, wrk, script);
  return { ...measured, cpuUsPerRequest: ((cpuSeconds(pid) - cpuBefore) * 1e6) / Math.max(1, measured.requests) };
}

/**
 * Starts one framework's server pinned to `cpu`; resolves once it prints `ready`. `serve` is the
 * script (and its leading arguments) that takes `<target> <port>`: the suite's serve.js by default.
 */
export function startServer(
  target: string,
  port: number,
  cpu: string,
  env: NodeJS.ProcessEnv = {},
  serve: readonly string[] = [SERVE],
): Promise<ChildProcess> {
  const child = spawn('taskset', ['-c', cpu, process.execPath, ...serve, target, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  // Some peers log every 400 they answer (the invalid-body check); keep only the tail for errors.
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target} did not start: ${errors}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${target} exited with ${code}: ${errors}`));
    });
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * Every target × route, `rounds` times. Each round starts a fresh server per framework (all
 * idle but one at a time), then walks the routes and, for each, the frameworks in a rotated
 * order, so a burst of machine noise lands on all of them rather than on one. Reports the
 * median of the rounds; a framework that fails a check is reported, not timed.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpCell[]> {
  const targets = HTTP_TARGETS.filter((target) => options.targets.includes(target.name));
  const runs = new Map<string, HttpRun[]>();
  const errors = new Map<string, string>();
  const wrk: WrkOptions = {
    threads: 1,
    connections: options.connections,
    seconds: options.seconds,
    cpus: options.clientCpu,
  };
  const warm: WrkOptions = { ...wrk, seconds: options.warmupSeconds };
  for (let round = 0; round < options.rounds; round++) {
    const order = rotate(targets, round).filter((target) => !errors.has(target.name));
    const servers = new Map<string, { child: ChildProcess; base: string }>();
    try {
      for (const [index, target] of order.entries()) {
        const port = PORT + index;
        const base = `http://127.0.0.1:${port}`;
        try {
          const child = await startServer(target.name, port, options.serverCpu);
          servers.set(target.name, { child, base });
          await verifyHttp(base, target.name);
        } catch (error) {
          errors.set(target.name, (error as Error).message.split('\n')[0]!);
          options.log(`  ${target.name}: ${errors.get(target.name)}`);
        }
      }
      const timed = HTTP_ROUTES.filter((route) => options.timedRoutes?.includes(route.name) ?? true);
      for (const [index, route] of timed.entries()) {
        const script = wrkScript(options.workDir, route);
        for (const target of rotate(order, index)) {
          const server = servers.get(target.name);
          if (server === undefined || errors.has(target.name)) continue;
          const url = `${server.base}${route.path}${route.query === '' ? '' : `?${route.query}`}`;
          if (options.warmupSeconds > 0) await runWrk(url, warm, script);
          const result = await timedRun(server.child.pid!, url, wrk, script);
          if (result.failures > 0) {
            errors.set(target.name, `${route.name}: ${result.failures} failed requests under load`);
            continue;
          }
          const key = `${target.name}\t${route.name}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
          options.log(
            `  round ${round + 1} ${route.name.padEnd(16)} ${target.name.padEnd(20)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${result.p99.toFixed(2)} ms  ${result.cpuUsPerRequest.toFixed(1)} CPU µs/req`,
          );
        }
      }
      for (const [name, server] of servers) {
        try {
          await verifyHttp(server.base, name);
        } catch (error) {
          errors.set(name, `after timing: ${(error as Error).message.split('\n')[0]!}`);
        }
      }
    } finally {
      for (const server of servers.values()) await stopServer(server.child);
    }
  }
  const cells: HttpCell[] = [];
  for (const target of targets) {
    for (const route of HTTP_ROUTES) {
      const error = errors.get(target.name);
      const list = error === undefined ? (runs.get(`${target.name}\t${route.name}`) ?? []) : [];
      cells.push({
        target: target.name,
        route: route.name,
        runs: list,
        rps: list.length === 0 ? 0 : median(list.map((run) => run.requestsPerSecond)),
        p99: list.length === 0 ? 0 : median(list.map((run) => run.p99)),
        cpuUs: list.length === 0 ? 0 : median(list.map((run) => run.cpuUsPerRequest)),
        error,
      });
    }
  }
  return cells;
}
