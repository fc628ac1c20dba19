import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteCase } from '../workload';

export interface WrkOptions {
  threads: number;
  connections: number;
  seconds: number;
  /** CPU list for taskset, e.g. '1'. */
  cpus: string;
}

export interface WrkResult {
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  requests: number;
  /** Non-2xx/3xx answers plus socket errors: must be zero for a valid run. */
  failures: number;
}

/** Writes the Lua script wrk needs for a POST with a JSON body; GETs need none. */
export function wrkScript(dir: string, route: RouteCase): string | undefined {
  if (route.method === 'GET') return undefined;
  const file = join(dir, `wrk-${route.path.replace(/\W/g, '')}.lua`);
  writeFileSync(
    file,
    `wrk.method = "${route.method}"\nwrk.body = '${route.body!}'\nwrk.headers["content-type"] = "application/json"\n`,
  );
  return file;
}

/** Runs wrk pinned to `options.cpus` and parses its report. */
export function runWrk(url: string, options: WrkOptions, script?: string): Promise<WrkResult> {
  const args = [
    '-c',
    options.cpus,
    'wrk',
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    ...(script === undefined ? [] : ['-s', script]),
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile('taskset', args, { timeout: (options.seconds + 30) * 1000 }, (error, stdout) => {
      if (error) reject(new Error(`wrk failed: ${error.message}\n${stdout}`));
      else resolve(parseWrk(stdout));
    });
  });
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latency(report: string, percentile: string): number {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(report);
  if (!match) throw new Error(`wrk report without a ${percentile}% line:\n${report}`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

export function parseWrk(report: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(report);
  const total = /^\s*(\d+) requests in/m.exec(report);
  if (!rps || !total) throw new Error(`unexpected wrk report:\n${report}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(report);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const socketErrors = socket ? socket.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0;
  return {
    requestsPerSecond: Number(rps[1]),
    p50: latency(report, '50'),
    p90: latency(report, '90'),
    p99: latency(report, '99'),
    requests: Number(total[1]),
    failures: (non2xx ? Number(non2xx[1]) : 0) + socketErrors,
  };
}
