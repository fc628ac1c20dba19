import { spawn, type ChildProcess } from 'node:child_process';
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
  targets: readonly string[];
  /** Where wrk's Lua scripts go. */
  workDir: string;
  serverCpu: string;
  clientCpu: string;
  log: (line: string) => void;
}

export interface HttpCell {
  target: string;
  route: string;
  /** One wrk result per round. */
  runs: WrkResult[];
  rps: number;
  p99: number;
}

const SERVE = join(__dirname, 'serve.js');
const PORT = 3456;

/** Starts one framework's server pinned to `cpu`; resolves once it prints `ready`. */
export function startServer(
  target: string,
  port: number,
  cpu: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ChildProcess> {
  const child = spawn('taskset', ['-c', cpu, process.execPath, SERVE, target, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${target} did not start`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${target} exited with ${code}`));
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
 * Every target × route, `rounds` times; each round visits the targets in a rotated order so
 * that machine noise spreads over all of them. Reports the median of the rounds.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpCell[]> {
  const targets = HTTP_TARGETS.filter((target) => options.targets.includes(target.name));
  const runs = new Map<string, WrkResult[]>();
  const wrk: WrkOptions = {
    threads: 1,
    connections: options.connections,
    seconds: options.seconds,
    cpus: options.clientCpu,
  };
  const warm: WrkOptions = { ...wrk, seconds: options.warmupSeconds };
  for (let round = 0; round < options.rounds; round++) {
    for (const target of rotate(targets, round)) {
      const server = await startServer(target.name, PORT, options.serverCpu);
      const base = `http://127.0.0.1:${PORT}`;
      try {
        await verifyHttp(base, target.name);
        for (const route of HTTP_ROUTES) {
          const url = `${base}${route.path}${route.query === '' ? '' : `?${route.query}`}`;
          const script = wrkScript(options.workDir, route);
          if (options.warmupSeconds > 0) await runWrk(url, warm, script);
          const result = await runWrk(url, wrk, script);
          if (result.failures > 0) throw new Error(`${target.name} ${route.name}: ${result.failures} failed requests`);
          const key = `${target.name}\t${route.name}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
          options.log(
            `  round ${round + 1} ${target.name.padEnd(20)} ${route.name.padEnd(16)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${result.p99.toFixed(2)} ms`,
          );
        }
        await verifyHttp(base, target.name);
      } finally {
        await stopServer(server);
      }
    }
  }
  const cells: HttpCell[] = [];
  for (const target of targets) {
    for (const route of HTTP_ROUTES) {
      const list = runs.get(`${target.name}\t${route.name}`) ?? [];
      cells.push({
        target: target.name,
        route: route.name,
        runs: list,
        rps: median(list.map((run) => run.requestsPerSecond)),
        p99: median(list.map((run) => run.p99)),
      });
    }
  }
  return cells;
}
