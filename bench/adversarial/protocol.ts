import type { Sample } from './measure';

/** What a worker reports as it starts a size (no sample) and once it has measured it. */
export interface WorkerLine {
  transport: string;
  scale: number;
  sample?: Sample;
}

/** A size whose request took longer than this (CPU ms) is the last one run for its class. */
export const SKIP_AFTER_MS = 2000;

/**
 * A worker, or one node:http request, silent for this long (wall time) is killed and the size
 * reported as timed out. Generous: on a busy machine a request of 10 s of CPU took over a minute.
 */
export const WATCHDOG_MS = 180_000;

/** The node:http server child's messages. */
export type ServerMessage = { port: number } | { cpuMicros: number };
