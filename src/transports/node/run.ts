import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AppCore } from '../../core/core';
import { isLambdaEnvironment } from '../../environment';
import { listen, type ServerOptions } from './server';

export interface RunOptions extends ServerOptions {
  /** Default: `$PORT`, then 8080. */
  port?: number;
  /**
   * Default: `$HOST`, then `127.0.0.1` (this machine only). `'0.0.0.0'` (or `'::'`) listens on
   * every interface, as a container must for its published port to reach the app.
   */
  host?: string;
  /** How long in-flight requests may take to finish after SIGTERM/SIGINT (default 10 s). */
  gracePeriod?: number;
}

/** Where run() listens: the options, then `$PORT` and `$HOST`, then 8080 on the loopback interface. */
export function runAddress(options: RunOptions, env: NodeJS.ProcessEnv = process.env): { port: number; host: string } {
  return {
    port: options.port ?? (env.PORT ? Number(env.PORT) : 8080),
    // Loopback unless asked: a development server should not be reachable from the network.
    host: options.host ?? (env.HOST || '127.0.0.1'),
  };
}

/**
 * Ridge's `Run`: on Lambda it does nothing (resolves to undefined); elsewhere it listens on
 * `$PORT` or 8080, on `$HOST` or 127.0.0.1, and shuts down gracefully on SIGTERM/SIGINT: it
 * stops accepting, closes connections without a request in flight at once, lets in-flight
 * requests finish within the grace period, waits for their `waitUntil` work, runs the app's
 * `onShutdown` hooks in order and exits 0 (1 when a hook failed or timed out). A second signal
 * exits at once. Once its first answer is out it runs the boot checks createApp left for later
 * (the OpenAPI document) and exits 1 when they fail.
 */
export async function run(core: AppCore, options: RunOptions = {}): Promise<Server | undefined> {
  if (isLambdaEnvironment()) return undefined;
  const { port, host } = runAddress(options);
  const server = await listen(core, port, host, options);
  const address = server.address();
  const where =
    typeof address === 'object' && address !== null
      ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
      : String(address);
  say(core, { address: where }, `crest listening on ${where}`);
  checkBootAfterFirstAnswer(core, server);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    say(core, { signal }, `${signal}: finishing in-flight requests, then exiting`);
    let exiting = false;
    // After the last answer (or the grace period): the work requests left running, then the
    // app's shutdown hooks; exit 1 when a hook failed, so an orchestrator sees it.
    const exit = (): void => {
      if (exiting) return;
      exiting = true;
      void core.shutdown().then((ok) => process.exit(ok ? 0 : 1));
    };
    const timer = setTimeout(() => {
      server.closeAllConnections();
      exit();
    }, options.gracePeriod ?? 10_000);
    timer.unref();
    server.close(exit);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

/** How long a server that no request reaches waits for its deferred boot checks. */
const BOOT_CHECK_DELAY_MS = 1_000;

/**
 * The boot checks createApp left to the app's first use ({@link AppCore.checkBoot}: the OpenAPI
 * document), run once the first answer is out, or after {@link BOOT_CHECK_DELAY_MS} without a
 * request: never in front of the first answer, which is the local start as a user or a health
 * check sees it. A failure is a boot error all the same: printed, and the process exits with 1,
 * so that a supervisor or `npm start` sees it.
 */
function checkBootAfterFirstAnswer(core: AppCore, server: Server): void {
  const check = (): void => {
    clearTimeout(timer);
    server.off('request', onRequest);
    try {
      core.checkBoot();
    } catch (error) {
      console.error(error);
      process.exit(1);
    }
  };
  const onRequest = (_request: IncomingMessage, response: ServerResponse): void => {
    response.once('close', check);
  };
  server.once('request', onRequest);
  // Unref'd: a server closed before then has nothing left to check.
  const timer = setTimeout(check, BOOT_CHECK_DELAY_MS).unref();
}

/** Lifecycle lines go to the app's logger, or to stdout as plain text when logging is off. */
function say(core: AppCore, fields: object, message: string): void {
  if (core.logger) core.logger.info(fields, message);
  else process.stdout.write(`${message}\n`);
}
