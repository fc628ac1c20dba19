import type { Server } from 'node:http';
import type { RouteDefinition } from './compile/compile';
import { Core, type AppDescription, type AppLimits, type AppOptions, type Describable } from './core/core';
import type { Logger } from './core/logger';
import type { ShutdownHook } from './core/shutdown';
import type { HttpRequest } from './http/request';
import type { HttpResponse } from './http/response';
import { inject, type InjectOptions, type InjectResponse } from './transports/inject';
import { createLambdaHandler, type LambdaOptions } from './transports/lambda/handler';
import { createStreamingHandler, type LambdaStreamingOptions } from './transports/lambda/streaming';
import type { StreamingHandler, LambdaHandlerFor, LambdaSource } from './transports/lambda/types';
import { run, type RunOptions } from './transports/node/run';
import { listen, type ServerOptions } from './transports/node/server';
import { now } from './clock';

/*
 * The one file that knows both the core and the transports: the core imports no transport, and
 * each transport reaches the core only through `AppCore` (handle, fail, responded).
 */

/**
 * A compiled crest application: the core with every transport put around it.
 */
export class App implements Describable {
  private readonly core: Core;

  constructor(options: AppOptions) {
    this.core = new Core(options);
  }

  /** The compiled routes, prefix excluded. */
  get routes(): readonly RouteDefinition[] {
    return this.core.routes;
  }

  /** The limits every transport enforces identically. */
  get limits(): AppLimits {
    return this.core.limits;
  }

  get logger(): Logger | undefined {
    return this.core.logger;
  }

  /** The routes, controllers and prefix the app was built from (crest/openapi describes an app with it). */
  describe(): AppDescription {
    return this.core.describe();
  }

  /**
   * Runs a request through the app, as a transport would (the request is logged once answered).
   * A stream body is handed over as it is: reading it is the caller's.
   */
  handle(req: HttpRequest): Promise<HttpResponse> {
    return this.bootChecked() ?? this.core.within(req, handleOnce, this.core, req);
  }

  /**
   * Adds cleanup to run when the app shuts down (`run()` on SIGTERM or SIGINT, the Lambda runtime
   * on SIGTERM, or `app.shutdown()`): after in-flight requests and their `waitUntil` work, in the
   * order added, each awaited up to `shutdownTimeout`.
   *
   * @example app.onShutdown(() => redis.quit());
   */
  onShutdown(hook: ShutdownHook): this {
    this.core.onShutdown(hook);
    return this;
  }

  /**
   * Waits for `waitUntil` work still running, then runs the shutdown hooks; resolves to false when
   * a hook failed or timed out. `run()` calls it after draining; call it yourself around
   * `listen()` or in tests.
   */
  shutdown(): Promise<boolean> {
    return this.core.shutdown();
  }

  /**
   * Rejects with the error of the boot checks createApp left to the first use
   * ({@link AppCore.checkBoot}), or undefined once they pass: the promise-returning methods
   * reject rather than throw.
   */
  private bootChecked(): Promise<never> | undefined {
    try {
      this.core.checkBoot();
      return undefined;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs the whole pipeline in-process, no socket: for tests. */
  inject(options: InjectOptions): Promise<InjectResponse> {
    return this.bootChecked() ?? inject(this.core, options);
  }

  /**
   * Listens on a node:http server (port 0 picks a free one; no host: every interface, as node
   * does); `close()` drains in-flight requests.
   */
  listen(port?: number, host?: string, options?: ServerOptions): Promise<Server> {
    return this.bootChecked() ?? listen(this.core, port, host, options);
  }

  /**
   * On Lambda: nothing (the exported handler serves). Elsewhere: listens on `$PORT` or 8080, on
   * `$HOST` or 127.0.0.1 (`run({ host: '0.0.0.0' })` for every interface, e.g. in a container).
   */
  run(options?: RunOptions): Promise<Server | undefined> {
    return run(this.core, options);
  }

  /**
   * The Lambda handler: serves REST APIs (payload 1.0), HTTP APIs (2.0), Function URLs, ALB
   * (either header mode) and VPC Lattice, detecting the source of each event.
   *
   * The handler's type follows the event's, so it can be exported as any of @types/aws-lambda's
   * handler types; `app.lambda<'apigw-v2'>()` types it for the sources named (`T` is what
   * `onNonHttpEvent` returns).
   *
   * @example export const handler: APIGatewayProxyHandlerV2 = app.lambda();
   */
  lambda<S extends LambdaSource = LambdaSource, T = never>(options?: LambdaOptions<T>): LambdaHandlerFor<S, T> {
    this.core.checkBoot();
    return createLambdaHandler(this.core, options) as LambdaHandlerFor<S, T>;
  }

  /**
   * The Lambda response-streaming handler (Function URL `RESPONSE_STREAM`, REST API streaming),
   * built on the runtime's `awslambda.streamifyResponse`.
   *
   * @example export const handler = app.lambdaStreaming();
   */
  lambdaStreaming(options?: LambdaStreamingOptions): StreamingHandler {
    this.core.checkBoot();
    return createStreamingHandler(this.core, options);
  }
}

async function handleOnce(core: Core, req: HttpRequest): Promise<HttpResponse> {
  const started = now();
  const response = await core.handle(req);
  core.responded(req, response, started);
  void core.settled(req);
  return response;
}

/**
 * Builds and compiles an app; throws a {@link CrestBootError} naming the class and method when a
 * route cannot be compiled.
 *
 * @example const app = createApp({ controllers: [UsersController], prefix: '/api' });
 */
export function createApp(options: AppOptions): App {
  return new App(options);
}
