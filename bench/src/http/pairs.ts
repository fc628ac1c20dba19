import type { ChildProcess } from 'node:child_process';
import { median } from '../stats';
import { HTTP_ROUTES } from '../workload';
import { startServer, stopServer, timedRun } from './bench';
import { verifyHttp } from './verify';
import { runWrk, wrkScript, type WrkOptions } from './wrk';

export interface PairOptions {
  /** Back-to-back pairs of runs per route. */
  pairs: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  timedRoutes?: readonly string[];
  workDir: string;
  serverCpu: string;
  clientCpu: string;
  log: (line: string) => void;
}

/** crest against one peer on one route: a ratio per pair of back-to-back runs (crest's over the peer's). */
export interface PairCell {
  route: string;
  peer: string;
  rpsRatios: number[];
  /** The peer's server CPU time per request over crest's: above 1 when crest costs less. */
  cpuRatios: number[];
  rps: number;
  cpu: number;
}

const PORT = 3556;
const PEER = 'fastify';

/**
 * The target comparison, crest against fastify, measured head to head: both servers up (idle
 * but one at a time, on the same core), each route run as crest, fastify, fastify, crest, … with
 * each pair seconds apart, so the machine's drift (which moves a whole suite round by 10–30 % on a
 * shared VM) cancels in every ratio. Medians of the pair ratios.
 */
export async function runPairs(options: PairOptions): Promise<PairCell[]> {
  const wrk: WrkOptions = {
    threads: 1,
    connections: options.connections,
    seconds: options.seconds,
    cpus: options.clientCpu,
  };
  const servers: Array<{ name: string; child: ChildProcess; base: string }> = [];
  const cells: PairCell[] = [];
  try {
    for (const [index, name] of ['crest', PEER].entries()) {
      const base = `http://127.0.0.1:${PORT + index}`;
      servers.push({ name, child: await startServer(name, PORT + index, options.serverCpu), base });
      await verifyHttp(base, name);
    }
    const [crest, peer] = servers as [(typeof servers)[0], (typeof servers)[0]];
    for (const route of HTTP_ROUTES.filter((r) => options.timedRoutes?.includes(r.name) ?? true)) {
      const script = wrkScript(options.workDir, route);
      const path = `${route.path}${route.query === '' ? '' : `?${route.query}`}`;
      const run = (server: typeof crest) => timedRun(server.child.pid!, `${server.base}${path}`, wrk, script);
      if (options.warmupSeconds > 0) {
        for (const server of servers)
          await runWrk(`${server.base}${path}`, { ...wrk, seconds: options.warmupSeconds }, script);
      }
      const cell: PairCell = { route: route.name, peer: PEER, rpsRatios: [], cpuRatios: [], rps: 0, cpu: 0 };
      for (let pair = 0; pair < options.pairs; pair++) {
        // Alternate which goes first, so neither always runs on a machine the other has warmed.
        const first = pair % 2 === 0 ? crest : peer;
        const a = await run(first);
        const b = await run(first === crest ? peer : crest);
        const [ours, theirs] = first === crest ? [a, b] : [b, a];
        if (ours.failures > 0 || theirs.failures > 0) throw new Error(`${route.name}: failed requests under load`);
        cell.rpsRatios.push(ours.requestsPerSecond / theirs.requestsPerSecond);
        cell.cpuRatios.push(theirs.cpuUsPerRequest / ours.cpuUsPerRequest);
      }
      cell.rps = median(cell.rpsRatios);
      cell.cpu = median(cell.cpuRatios);
      cells.push(cell);
      options.log(
        `  ${route.name.padEnd(16)} crest / ${PEER} ${cell.rps.toFixed(3)}× by req/s (${Math.min(...cell.rpsRatios).toFixed(3)}–${Math.max(...cell.rpsRatios).toFixed(3)}), ${cell.cpu.toFixed(3)}× by CPU`,
      );
    }
    for (const server of servers) await verifyHttp(server.base, server.name);
  } finally {
    for (const server of servers) await stopServer(server.child);
  }
  return cells;
}
