import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * `node invoke-bundle.js <index.mjs> <event JSON>...`: what a Lambda cold start does with the
 * bundle, in a fresh process: import it (an ES module, or CommonJS) and invoke `handler` with the first event, then print the
 * result, the wall-clock time of the answer and this process's memory and CPU time so far as one
 * JSON line; then invoke it with each further event and print the peak RSS as a second line.
 * Used by `npm run example:measure`.
 */
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const [bundle, ...events] = process.argv.slice(2) as [string, ...string[]];
const context = {
  awsRequestId: 'example-measure',
  functionName: 'crest-example',
  getRemainingTimeInMillis: () => 10_000,
};

async function main(): Promise<void> {
  // Loaded at run time, as the Lambda runtime loads it (import() takes CommonJS too).
  const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };
  const [first, ...more] = events.map((event) => JSON.parse(event) as unknown);
  const result = await handler(first, context);
  // Date.now(), not the global `performance`, whose first use loads node:perf_hooks
  // in this process, which would count against every handler measured, Node.js's own included.
  const answeredAt = Date.now();
  const probe = { answeredAt, memory: process.memoryUsage(), cpu: process.cpuUsage() };
  process.stdout.write(`${JSON.stringify({ result, ...probe })}\n`);
  const statuses: unknown[] = [];
  for (const event of more) statuses.push(((await handler(event, context)) as { statusCode?: unknown }).statusCode);
  process.stdout.write(`${JSON.stringify({ statuses, maxRssKb: peakRssKb() })}\n`);
}

/**
 * This process's peak RSS: Linux's VmHWM, which starts afresh at exec. getrusage's maxRSS would
 * carry over the peak of the measuring process this one was forked from (getrusage(2), NOTES).
 */
function peakRssKb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)![1]);
  } catch {
    return process.resourceUsage().maxRSS;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
