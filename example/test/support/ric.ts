import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_DIR } from './offline';

/** aws-lambda-ric, installed by `npm ci --prefix example/runtime` (a native build, so not in crest's own deps). */
const RIC_DIR = join(EXAMPLE_DIR, 'runtime/node_modules/aws-lambda-ric');
const RIC_ENTRY = join(RIC_DIR, 'index.mjs');
export const HAS_RIC = existsSync(RIC_ENTRY) && existsSync(join(RIC_DIR, 'rapid-client.node'));
export const RIC_INSTALL = 'npm ci --prefix example/runtime';

/** A running runtime interface client: one Lambda execution environment. */
export interface RicProcess {
  /** Everything it printed (its logs, the handler's console), for failure messages. */
  output(): string;
  /** The exit code once it has exited (null: still running, or killed by a signal). */
  exitCode(): number | null;
  /** Whether it is still running. */
  running(): boolean;
  /** Resolves when it exits. */
  exited(): Promise<void>;
  stop(): Promise<void>;
}

export interface RicOptions {
  /** `127.0.0.1:<port>` of the Runtime API. */
  runtimeApi: string;
  /** The function's code directory (`LAMBDA_TASK_ROOT`). */
  taskRoot: string;
  /** `module.export`, as in a function's Handler setting (`index.handler`). */
  handler: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the RIC the way Lambda's Node.js runtime starts it: `_HANDLER`, `LAMBDA_TASK_ROOT`,
 * `AWS_LAMBDA_RUNTIME_API` and the function's environment variables, nothing of the test's own.
 */
export function startRic({ runtimeApi, taskRoot, handler, env = {} }: RicOptions): RicProcess {
  const child = spawn(process.execPath, [RIC_ENTRY], {
    cwd: taskRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
      AWS_LAMBDA_RUNTIME_API: runtimeApi,
      _HANDLER: handler,
      LAMBDA_TASK_ROOT: taskRoot,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'crest-example',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/crest-example',
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => output,
    exitCode: () => child.exitCode,
    running: () => child.exitCode === null && child.signalCode === null,
    exited: () => exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
