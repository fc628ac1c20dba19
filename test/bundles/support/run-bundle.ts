/*
 * Runs in a fresh Node process, as Lambda would: loads one bundle (CommonJS or ESM) and answers
 * the requests it reads as JSON on stdin, through the bundle's own `app.inject()` or its Lambda
 * `handler`. Prints `{ booted, answers }` or `{ booted: false, error }` as JSON. Imports nothing
 * of crest's: everything the app needs must be inside the bundle.
 */
import { pathToFileURL } from 'node:url';

/** One request for the bundle: through inject, or as a Lambda event. */
export type BundleRequest = { inject: Record<string, unknown> } | { event: object };

/** What the child prints. */
export type BundleRun =
  | { booted: true; answers: unknown[]; librariesRun: string[]; builtinsLoaded: string[] }
  | { booted: false; error: { name: string; code: unknown; message: string } };

/** The DTO libraries whose code ran in this process, by name. */
const DTO_LIBRARIES = ['class-validator', 'class-transformer'];

interface BundledApp {
  app: { inject(request: unknown): Promise<{ statusCode: number; headers: unknown; body: string }> };
  handler(event: unknown, context: unknown): Promise<unknown>;
}

let invocations = 0;

function context(): Record<string, unknown> {
  const deadline = Date.now() + 30_000;
  return {
    functionName: 'bundle',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bundle',
    memoryLimitInMB: '256',
    // Not node:crypto's randomUUID: this process reports which Node built-ins the bundle loaded.
    awsRequestId: `bundle-${++invocations}`,
    logGroupName: '/aws/lambda/bundle',
    logStreamName: 'bundle',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

async function main(): Promise<BundleRun> {
  const requests = JSON.parse(await readStdin()) as BundleRequest[];
  let loaded: BundledApp & { default?: BundledApp };
  try {
    loaded = (await import(pathToFileURL(process.argv[2]!).href)) as BundledApp & { default?: BundledApp };
  } catch (error) {
    const { name, message, code } = error as Error & { code?: unknown };
    return { booted: false, error: { name, code, message } };
  }
  // A CommonJS bundle's exports, imported from ESM, are also its default export.
  const bundle = typeof loaded.handler === 'function' ? loaded : loaded.default!;
  const answers: unknown[] = [];
  for (const request of requests) {
    if ('inject' in request) {
      const { statusCode, headers, body } = await bundle.app.inject(request.inject);
      answers.push({ statusCode, headers, body });
    } else {
      answers.push(await bundle.handler(request.event, context()));
    }
  }
  return { booted: true, answers, librariesRun: librariesRun(), builtinsLoaded: builtinsLoaded() };
}

/**
 * Which DTO libraries ran: required from node_modules (a CommonJS build, or a bundle that left them
 * out), or inside a bundle, where the test's esbuild plugin made one of their files record itself
 * in `crestTestLibrariesRun` when it runs.
 */
function librariesRun(): string[] {
  const inBundle = (globalThis as { crestTestLibrariesRun?: string[] }).crestTestLibrariesRun ?? [];
  const required = Object.keys(require.cache).flatMap((file) =>
    DTO_LIBRARIES.filter((name) => file.includes(`/node_modules/${name}/`)),
  );
  return [...new Set([...inBundle, ...required])].sort();
}

/** The public Node built-ins loaded in this process so far (`fs`, `node:http` as `http`, …). */
function builtinsLoaded(): string[] {
  const { moduleLoadList } = process as unknown as { moduleLoadList: string[] };
  return moduleLoadList.flatMap((entry) => /^NativeModule (?!internal\/)(.+)$/.exec(entry)?.[1] ?? []);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main().then(
  (run) => process.stdout.write(JSON.stringify(run)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
