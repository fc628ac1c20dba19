import { createContext, createEvent, EVENT_KINDS } from '../lambda/events';
import type { LambdaHandler } from '../lambda/handlers/types';
import { resultProblem, verifyLambda } from '../lambda/verify';

/** What one cold process reports, in milliseconds since the process started. */
export interface ColdSample {
  /** Node's own start-up, before the entry's first line. */
  boot: number;
  /** Loading the handler module (`require`, or `import()` of an ES module): the framework and the app's code. */
  import: number;
  /** Building the app and the handler. */
  build: number;
  /** The first event, end to end. */
  invoke: number;
  /** import + build + invoke. */
  total: number;
  /**
   * CPU time of the whole process (user + system) when the first answer is in, Node's boot
   * included: unlike the clock, it does not grow while other processes take turns on the core.
   */
  cpu: number;
  rssMb: number;
  classValidatorLoaded: boolean;
}

type HandlerModule = { createHandler(): Promise<LambdaHandler> };

/**
 * The cold-start probe: loads a handler module, builds the handler, serves one REST v1
 * `GET /users/42`, checks the answer, prints a {@link ColdSample} and exits. With
 * `CREST_BENCH_VERIFY=1` (once per file, before any timing) it then also checks every route and
 * error case on every event kind, so that a bundle that boots but validates wrongly is reported.
 */
export async function measure(load: () => HandlerModule | Promise<HandlerModule>): Promise<void> {
  // CREST_BENCH_STOP_AFTER=import|build: exit there (bench/src/cold/count.ts counts each phase's instructions).
  const stopAfter = process.env.CREST_BENCH_STOP_AFTER;
  const started = performance.now();
  const module = await load();
  const imported = performance.now();
  if (stopAfter === 'import') process.exit(0);
  const handler = await module.createHandler();
  const built = performance.now();
  if (stopAfter === 'build') process.exit(0);
  const result = await handler(
    createEvent('rest-v1', { method: 'GET', path: '/users/42', query: '' }),
    createContext(),
  );
  const invoked = performance.now();
  const cpu = process.cpuUsage();
  const problem = resultProblem(result, 200, { id: '42' });
  if (problem !== undefined) throw new Error(`first invocation: ${problem}`);
  const sample: ColdSample = {
    boot: started,
    import: imported - started,
    build: built - imported,
    invoke: invoked - built,
    total: invoked - started,
    cpu: (cpu.user + cpu.system) / 1000,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    classValidatorLoaded:
      typeof require.cache === 'object' && Object.keys(require.cache).some((key) => key.includes('class-validator')),
  };
  if (process.env.CREST_BENCH_VERIFY === '1') for (const kind of EVENT_KINDS) await verifyLambda(handler, kind);
  process.stdout.write(`${JSON.stringify(sample)}\n`);
  process.exit(0);
}
