import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, waitFor } from './free-port';

/** example/ (the serverless service directory) from build/example/test/support. */
export const EXAMPLE_DIR = resolve(__dirname, '../../../../example');
export const OSLS_BIN = join(EXAMPLE_DIR, 'offline/node_modules/osls/bin/serverless.js');
export const HAS_OFFLINE_TOOLS =
  existsSync(OSLS_BIN) && existsSync(join(EXAMPLE_DIR, 'offline/node_modules/serverless-offline/package.json'));

/** What osls runs with: dummy AWS credentials, no telemetry or notifications, no colour. */
export function oslsEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'AKIDOFFLINETEST',
    AWS_SECRET_ACCESS_KEY: 'offline-test-secret',
    AWS_REGION: 'ap-northeast-1',
    AWS_DEFAULT_REGION: 'ap-northeast-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    CI: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

/** Which API Gateway flavour serverless-offline emulates (serverless.yml's `apis` param). */
export type OfflineApi = 'rest' | 'http';

export interface OfflineServer {
  /** Base URL of the API: the REST API under its stage (`/dev`), the HTTP API at the root. */
  baseUrl: string;
  /** Everything the process printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `osls offline start` in `serviceDir` (a copy of example/serverless.yml beside the zip)
 * with only one kind of API, on free loopback ports, with dummy credentials and no telemetry;
 * resolves once it answers HTTP.
 */
export async function startOffline(api: OfflineApi, serviceDir: string, timeoutMs: number): Promise<OfflineServer> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      OSLS_BIN,
      'offline',
      'start',
      '--param',
      `apis=${api}`,
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
      '--noSponsor',
    ],
    {
      cwd: serviceDir,
      // Its own process group, so stop() ends osls and anything it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: oslsEnv(),
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    }
  };
  const origin = `http://127.0.0.1:${httpPort}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`osls exited with ${child.exitCode}`);
        // Its own announcement, not a request: a request would invoke (and cold-start) the handler.
        if (!output.includes('Server ready:')) throw new Error('not ready yet');
      },
      timeoutMs,
      `serverless-offline (${api})`,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { baseUrl: api === 'rest' ? `${origin}/dev` : origin, output: () => output, stop };
}
