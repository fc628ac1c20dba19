/** Runs `count` requests and reports the serving process's CPU time for them and their statuses. */
export type Batch = (count: number) => Promise<{ cpuMicros: number; statuses: number[] }>;

/** One size of one class on one transport. */
export interface Sample {
  /** Median over the runs of CPU ms per request. */
  ms: number;
  runs: number;
  requestsPerRun: number;
  /** Distinct statuses seen. */
  statuses: number[];
}

export interface MeasureSettings {
  /** CPU time spent warming up before the timed runs, ms. */
  warmupMs: number;
  /** CPU time each run should take, ms (many cheap requests make one run). */
  runMs: number;
  runs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Warms up (the JIT) for about `warmupMs` of CPU, then times `runs` runs of enough requests to
 * take `runMs` each (3 runs for requests over 20 ms). A request slower than 200 ms is run 3
 * times, one slower than a second once.
 */
export async function measure(batch: Batch, settings: MeasureSettings): Promise<Sample> {
  const statuses = new Set<number>();
  const timed = async (count: number): Promise<number> => {
    const result = await batch(count);
    for (const status of result.statuses) statuses.add(status);
    return result.cpuMicros / 1000 / count;
  };
  const first = await timed(1);
  let perRun: number[];
  let count = 1;
  // At these costs the JIT is noise: the first request counts as a run.
  if (first >= 1000) perRun = [first];
  else if (first >= 200) perRun = [first, await timed(1), await timed(1)];
  else {
    let estimate = first;
    for (let spent = first; spent < settings.warmupMs;) {
      count = Math.min(5000, count * 4, Math.ceil((settings.warmupMs - spent) / Math.max(estimate, 0.001)));
      estimate = await timed(count);
      spent += estimate * count;
    }
    count = Math.min(20_000, Math.max(1, Math.ceil(settings.runMs / Math.max(estimate, 0.001))));
    perRun = [];
    // Runs of a single slow request: three make the median.
    const runs = estimate >= 20 ? Math.min(3, settings.runs) : settings.runs;
    for (let run = 0; run < runs; run++) perRun.push(await timed(count));
  }
  return { ms: median(perRun), runs: perRun.length, requestsPerRun: count, statuses: [...statuses].sort() };
}
