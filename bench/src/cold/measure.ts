import { createContext, createEvent } from '../lambda/events';
import type { LambdaHandler } from '../lambda/handlers/types';
import { resultProblem } from '../lambda/verify';

/** What one cold process reports, in milliseconds since the process started. */
export interface ColdSample {
  /** Node's own start-up, before the entry's first line. */
  boot: number;
  /** `require` of the handler module: the framework and the app's code. */
  import: number;
  /** Building the app and the handler. */
  build: number;
  /** The first event, end to end. */
  invoke: number;
  /** import + build + invoke. */
  total: number;
  rssMb: number;
  classValidatorLoaded: boolean;
}

/**
 * The cold-start probe: loads a handler module, builds the handler, serves one REST v1
 * `GET /users/42`, checks the answer, prints a {@link ColdSample} and exits.
 */
export async function measure(load: () => { createHandler(): Promise<LambdaHandler> }): Promise<void> {
  const started = performance.now();
  const module = load();
  const imported = performance.now();
  const handler = await module.createHandler();
  const built = performance.now();
  const result = await handler(
    createEvent('rest-v1', { method: 'GET', path: '/users/42', query: '' }),
    createContext(),
  );
  const invoked = performance.now();
  const problem = resultProblem(result, 200, { id: '42' });
  if (problem !== undefined) throw new Error(`first invocation: ${problem}`);
  const sample: ColdSample = {
    boot: started,
    import: imported - started,
    build: built - imported,
    invoke: invoked - built,
    total: invoked - started,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    classValidatorLoaded:
      typeof require.cache === 'object' && Object.keys(require.cache).some((key) => key.includes('class-validator')),
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
  process.exit(0);
}
