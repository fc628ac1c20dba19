import { rotate } from '../stats';
import { ROUTES } from '../workload';
import { createContext, createEvent, EVENT_KINDS, type EventKind } from './events';
import type { LambdaHandler } from './handlers/types';
import { createLambdaHandler } from './targets';
import { resultProblem, routeRequest, verifyLambda } from './verify';

/** One (event kind, route) measurement: mean µs per invocation, or why it could not be taken. */
export interface LambdaCell {
  kind: string;
  route: string;
  meanUs?: number;
  iterations?: number;
  error?: string;
}

/** Events are built (untimed) and checked in batches: the live set stays small, as on Lambda. */
const BATCH = 500;

/**
 * Child process: `node worker.js <target> <kinds> <budgetMs> [round] [minIterations] [warmupCalls]`.
 * One process per peer and event kind (`<kinds>` a comma-separated list only in quick mode), as a
 * deployed function sees one event source but many routes. Builds the handler, checks every
 * answer, warms every route, then per route times sequential invocations over fresh, pre-built
 * events until `budgetMs` of timed work, checking every result after its batch.
 */
async function main(): Promise<void> {
  const [name, kindsArg = '', budget, round = '0', min = '1000', warm = '250'] = process.argv.slice(2);
  const kinds = kindsArg.split(',') as EventKind[];
  const unknown = kinds.find((kind) => !EVENT_KINDS.includes(kind));
  if (unknown !== undefined) throw new Error(`unknown event kind ${unknown}`);
  const handler = await createLambdaHandler(name!);
  const cells: LambdaCell[] = [];
  for (const kind of kinds) {
    cells.push(
      ...(await timeKind(handler, kind, {
        budgetNs: Number(budget) * 1e6,
        round: Number(round),
        minIterations: Number(min),
        warmupCalls: Number(warm),
      })),
    );
  }
  process.stdout.write(`${JSON.stringify(cells)}\n`);
}

interface TimingOptions {
  budgetNs: number;
  round: number;
  minIterations: number;
  warmupCalls: number;
}

async function timeKind(handler: LambdaHandler, kind: EventKind, options: TimingOptions): Promise<LambdaCell[]> {
  const { budgetNs, minIterations, warmupCalls } = options;
  const cells: LambdaCell[] = [];
  try {
    await verifyLambda(handler, kind);
  } catch (error) {
    return ROUTES.map((route) => ({ kind, route: route.name, error: (error as Error).message }));
  }
  // Warm every route before timing any (at least two passes and as long as one timed run), so
  // the first route timed does not pay for the JIT's later tiers.
  const warmUntil = process.hrtime.bigint() + BigInt(budgetNs);
  for (let pass = 0; pass < 2 || process.hrtime.bigint() < warmUntil; pass++) {
    for (const route of ROUTES) {
      const request = routeRequest(route);
      for (let i = 0; i < warmupCalls; i++) await handler(createEvent(kind, request), createContext());
    }
  }
  // Each round times the routes in a different order, so none is always first.
  for (const route of rotate(ROUTES, options.round)) {
    const request = routeRequest(route);
    // Every route starts from the same heap state (the runner passes --expose-gc): otherwise the
    // first route timed pays for collecting the warm-up's garbage.
    (globalThis as { gc?: () => void }).gc?.();
    let elapsed = 0;
    let iterations = 0;
    let problem: string | undefined;
    while ((elapsed < budgetNs || iterations < minIterations) && problem === undefined) {
      const events = Array.from({ length: BATCH }, () => createEvent(kind, request));
      const contexts = Array.from({ length: BATCH }, () => createContext());
      const results = new Array<unknown>(BATCH);
      const started = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) results[i] = await handler(events[i], contexts[i]);
      elapsed += Number(process.hrtime.bigint() - started);
      iterations += BATCH;
      for (const result of results) {
        problem = resultProblem(result, 200, route.expected);
        if (problem !== undefined) break;
      }
    }
    cells.push(
      problem === undefined
        ? { kind, route: route.name, meanUs: elapsed / 1000 / iterations, iterations }
        : { kind, route: route.name, error: problem },
    );
  }
  try {
    await verifyLambda(handler, kind);
  } catch (error) {
    for (const cell of cells) cell.error = `after timing: ${(error as Error).message}`;
  }
  return cells;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
