import { rotate } from '../stats';
import { ROUTES } from '../workload';
import { createContext, createEvent, EVENT_KINDS } from './events';
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

/**
 * Child process: `node worker.js <target> <budgetMs> [round]`. Builds the handler once, then for each
 * event kind checks every answer, and for each route times sequential invocations over fresh,
 * pre-built events (building them is not timed), then checks every timed result.
 */
async function main(): Promise<void> {
  const [name, budget, round = '0'] = process.argv.slice(2);
  const budgetMs = Number(budget);
  // Each round measures kinds and routes in a different order, so none is always first.
  const kindOrder = rotate(EVENT_KINDS, Number(round));
  const routeOrder = rotate(ROUTES, Number(round));
  const handler = await createLambdaHandler(name!);
  const failed = new Map<string, string>();
  for (const kind of EVENT_KINDS) {
    try {
      await verifyLambda(handler, kind);
    } catch (error) {
      failed.set(kind, (error as Error).message);
    }
  }
  const kinds = EVENT_KINDS.filter((kind) => !failed.has(kind));
  // Warm every (kind, route) before timing any, so the first one measured is not the JIT's
  // warm-up; the warm-up also sizes each timed run to the budget.
  const perCallMs = new Map<string, number>();
  for (let pass = 0; pass < 2; pass++) {
    for (const kind of kinds) {
      for (const route of ROUTES) {
        const request = routeRequest(route);
        const warmup = 250;
        const started = process.hrtime.bigint();
        for (let i = 0; i < warmup; i++) await handler(createEvent(kind, request), createContext());
        perCallMs.set(`${kind} ${route.name}`, Number(process.hrtime.bigint() - started) / 1e6 / warmup);
      }
    }
  }
  const cells: LambdaCell[] = [];
  for (const kind of kindOrder) {
    const problem = failed.get(kind);
    if (problem !== undefined) {
      for (const route of ROUTES) cells.push({ kind, route: route.name, error: problem });
      continue;
    }
    for (const route of routeOrder) {
      const request = routeRequest(route);
      const estimate = perCallMs.get(`${kind} ${route.name}`)!;
      const iterations = Math.max(500, Math.min(50_000, Math.round(budgetMs / estimate)));
      const events = Array.from({ length: iterations }, () => createEvent(kind, request));
      const contexts = Array.from({ length: iterations }, () => createContext());
      const results = new Array<unknown>(iterations);
      const started = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) results[i] = await handler(events[i], contexts[i]);
      const elapsed = Number(process.hrtime.bigint() - started);
      const wrong = results.findIndex((result) => resultProblem(result, 200, route.expected) !== undefined);
      if (wrong !== -1) {
        cells.push({ kind, route: route.name, error: resultProblem(results[wrong], 200, route.expected) });
        continue;
      }
      cells.push({ kind, route: route.name, meanUs: elapsed / 1000 / iterations, iterations });
    }
    try {
      await verifyLambda(handler, kind);
    } catch (error) {
      for (const cell of cells) if (cell.kind === kind) cell.error = `after timing: ${(error as Error).message}`;
    }
  }
  process.stdout.write(`${JSON.stringify(cells)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
