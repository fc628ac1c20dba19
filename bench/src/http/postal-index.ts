import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spreadOfCodes } from '../apps/postal';
import { median } from '../stats';
import { startServer, stopServer, timedRun } from './bench';
import { verifyHttp } from './verify';
import { runWrk, type WrkOptions } from './wrk';

/**
 * `npm run build && node .build/src/http/postal-index.js [--pairs=7] [--seconds=3]`: the example's
 * packed data set (what its embedded store opens since it stopped building a Map of every code at
 * start) against that Map, on `GET /postal_code`, head to head. For crest and fastify each, both
 * servers up (server on CPU 0, wrk on CPU 1), runs alternated packed, map, map, packed, …, so
 * that every ratio comes from two runs seconds apart on a shared machine. Three workloads: the
 * route as the suite times it (one code, which the store keeps decoded), a walk through 20,000
 * real codes (more than the store keeps, so each one is decoded) and, as a control, GET /hello,
 * which reads no postal data. Reports the median ratio of requests per second and of the
 * server's CPU time per request (the steadier of the two when other processes share the machine).
 */

const PORT = 3656;
const INDEXES = ['packed', 'map'] as const;

interface Workload {
  name: string;
  path: string;
  script?: string;
}

async function main(): Promise<void> {
  const pairs = Number(option('pairs') ?? 7);
  const wrk: WrkOptions = { threads: 1, connections: 50, seconds: Number(option('seconds') ?? 3), cpus: '1' };
  const workDir = mkdtempSync(join(tmpdir(), 'crest-bench-postal-'));
  try {
    const workloads: Workload[] = [
      { name: 'one code', path: '/postal_code?code=1000001' },
      { name: '20,000 codes', path: '/postal_code', script: spreadScript(workDir) },
      // Reads no postal data: what differs here is the process (a 100 MB heap or a 10 MB one).
      { name: 'GET /hello', path: '/hello' },
    ];
    for (const target of ['crest', 'fastify']) {
      const servers: ChildProcess[] = [];
      try {
        for (const [i, index] of INDEXES.entries()) {
          servers.push(await startServer(target, PORT + i, '0', { BENCH_POSTAL_INDEX: index }));
          await verifyHttp(`http://127.0.0.1:${PORT + i}`, `${target} (${index})`);
        }
        for (const workload of workloads) {
          const url = (i: number) => `http://127.0.0.1:${PORT + i}${workload.path}`;
          for (const i of [0, 1]) await runWrk(url(i), { ...wrk, seconds: 1 }, workload.script);
          const ratios: number[] = [];
          const cpuRatios: number[] = [];
          for (let pair = 0; pair < pairs; pair++) {
            // Alternate which goes first, so neither always runs on a machine the other has warmed.
            const order = pair % 2 === 0 ? [0, 1] : [1, 0];
            const runs = [];
            for (const i of order) runs[i] = await timedRun(servers[i]!.pid!, url(i), wrk, workload.script);
            if (runs.some((run) => run!.failures > 0)) throw new Error(`${target} ${workload.name}: failed requests`);
            ratios.push(runs[0]!.requestsPerSecond / runs[1]!.requestsPerSecond);
            cpuRatios.push(runs[0]!.cpuUsPerRequest / runs[1]!.cpuUsPerRequest);
          }
          const list = (values: number[]) =>
            [...values]
              .sort((a, b) => a - b)
              .map((r) => r.toFixed(3))
              .join(' ');
          console.log(
            `${target.padEnd(8)} ${workload.name.padEnd(12)} packed / map: ${median(ratios).toFixed(3)}× req/s ` +
              `(pairs ${list(ratios)}), ${median(cpuRatios).toFixed(3)}× server CPU per request (${list(cpuRatios)})`,
          );
        }
      } finally {
        for (const server of servers) await stopServer(server);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** A wrk script that walks 20,000 real codes spread over the data set, one per request. */
function spreadScript(dir: string): string {
  const codes = spreadOfCodes(20_000).map((code) => `"${code}"`);
  const file = join(dir, 'postal-spread.lua');
  writeFileSync(
    file,
    `local codes = { ${codes.join(', ')} }\n` +
      'local i = 0\n' +
      'request = function()\n  i = i % #codes + 1\n  return wrk.format("GET", "/postal_code?code=" .. codes[i])\nend\n',
  );
  return file;
}

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
