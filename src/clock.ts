/**
 * Milliseconds on a monotonic clock, for durations only (a request's `durationMs`, deadlines).
 *
 * `process.hrtime` rather than `performance.now()`: the global `performance` is a lazy getter that
 * loads node:perf_hooks (eleven internal modules) at its first use, and nothing else crest or
 * node:http does at start loads it (test/bundles checks that a Lambda answer does not).
 */
export function now(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
