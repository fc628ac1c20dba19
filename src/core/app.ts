import { clientError, CrestBootError, ErrorCodes, HttpError } from '../errors';
import { errorToResponse } from '../http/problem';
import { stringifyQuery } from '../http/query';
import type { HttpRequest } from '../http/request';
import { HttpResponse } from '../http/response';
import { encodeUrlPath, encodeUrlQuery } from '../http/uri';
import { compileRoutes, MAX_TIMEOUT, type RouteDefinition } from '../compile/compile';
import type { Class } from '../metadata/metadata';
import { joinPaths, stripPrefix } from '../http/path';
import { BAD_URL, Router, type TrailingSlash } from '../router/router';
import type { ValidationOptions } from '../compile/validation';
import { resolveMultipartLimits, type MultipartOptions } from '../compile/multipart';
import type { MultipartPlan } from '../http/multipart';
import { listen, type ServerOptions } from '../transports/node/server';
import { run, type RunOptions } from '../transports/node/run';
import { createLambdaHandler, type LambdaOptions } from '../transports/lambda/handler';
import type { LambdaHandlerFor, LambdaSource } from '../transports/lambda/types';
import { createStreamingHandler, type LambdaStreamingOptions } from '../transports/lambda/streaming';
import type { StreamingHandler } from '../transports/lambda/streaming-runtime';
import type { Server } from 'node:http';
import { compose } from './compose';
import { inject, type InjectOptions, type InjectResponse } from '../transports/inject';
import { describeError, resolveLogger, type Logger } from './logger';
import type { Middleware, RequestContext } from './middleware';

export interface AppOptions {
  /** The controller classes, listed explicitly. */
  controllers: Class[];
  /** Served under this path (`/api`): stripped at a segment boundary on every transport. */
  prefix?: string;
  /** App-level middleware, outermost first; it also sees 404, 405 and OPTIONS answers. */
  middleware?: Middleware[];
  validation?: ValidationOptions;
  /** Largest accepted request body in bytes (default 6 MB, Lambda's own limit): larger is a 413. */
  bodyLimit?: number;
  /** Limits of multipart/form-data bodies (file size, files, fields, field size, parts, total); see the README. */
  multipart?: MultipartOptions;
  /** Longest accepted path parameter (default 500 characters): longer is a 414. */
  maxParamLength?: number;
  /** Longest accepted path plus query string (default 8192 characters): longer is a 414. */
  maxUrlLength?: number;
  /**
   * Milliseconds a handler may take before the request is answered with a 504 problem (no limit
   * by default; `@Timeout` per route). On Lambda the invocation deadline also applies.
   */
  timeout?: number;
  /** `strict` (default): `/a/` and `/a` differ; `ignore`: same route; `redirect`: 308 to the declared one. */
  trailingSlash?: TrailingSlash;
  /** Builds controller instances, e.g. from a DI container. Default: `new Controller()`. */
  factory?: (controller: Class) => object;
  /** Sees every error once, before its response is written; may return a response to send instead. */
  onError?: (error: unknown, req: HttpRequest) => HttpResponse | void;
  /** Off by default; `true` logs JSON lines to stdout; or a pino-compatible logger. */
  logger?: boolean | Logger;
  /** Shows error messages and stacks in problem responses. Never in production. */
  debug?: boolean;
  /**
   * Serves the OpenAPI document and a docs page under the prefix: `openapi({ ... })` from
   * `crest/openapi` (off by default; a separate entry, so apps without docs never load it).
   */
  openapi?: RouteExtension;
}

/** Routes served beside the app's own, built once by `createApp` (what `openapi()` from `crest/openapi` returns). */
export interface RouteExtension {
  routes(app: App): readonly RouteDefinition[];
}

/** What an app is built from, for tools that describe it (crest/openapi). */
export interface AppDescription {
  /** The compiled routes, prefix excluded. */
  routes: readonly RouteDefinition[];
  controllers: readonly Class[];
  /** The normalized prefix (`/api`), or '' for none. */
  prefix: string;
  /** The `openapi` option as given. */
  openapi: RouteExtension | undefined;
}

/** Limits every transport enforces identically. */
export interface AppLimits {
  bodyLimit: number;
  maxUrlLength: number;
  timeout: number | undefined;
}

export const DEFAULT_BODY_LIMIT = 6 * 1024 * 1024;

/**
 * A compiled crest application. Transports reach it only through {@link App.handle}.
 */
export class App {
  readonly routes: readonly RouteDefinition[];
  readonly limits: AppLimits;
  readonly logger: Logger | undefined;
  private readonly router: Router;
  private readonly prefix: string;
  private readonly trailingSlash: TrailingSlash;
  private readonly debug: boolean;
  private readonly onErrorHook: AppOptions['onError'];
  private readonly chain: ((ctx: RequestContext) => Promise<HttpResponse>) | undefined;
  private readonly controllers: readonly Class[];
  private readonly extension: RouteExtension | undefined;

  constructor(options: AppOptions) {
    if (!Array.isArray(options.controllers)) {
      throw new CrestBootError(ErrorCodes.INVALID_OPTION, 'createApp needs { controllers: [ ... ] }.');
    }
    this.prefix = options.prefix === undefined || joinPaths(options.prefix) === '/' ? '' : joinPaths(options.prefix);
    this.trailingSlash = options.trailingSlash ?? 'strict';
    this.debug = options.debug === true;
    this.onErrorHook = options.onError;
    this.logger = resolveLogger(options.logger);
    this.limits = {
      bodyLimit: positive('bodyLimit', options.bodyLimit, DEFAULT_BODY_LIMIT),
      maxUrlLength: positive('maxUrlLength', options.maxUrlLength, 8192),
      timeout: options.timeout === undefined ? undefined : positive('timeout', options.timeout, 0, MAX_TIMEOUT),
    };
    const factory = options.factory ?? ((controller: Class) => new (controller as new () => object)());
    this.routes = compileRoutes(options.controllers, {
      validation: options.validation ?? {},
      multipart: resolveMultipartLimits(options.multipart, this.limits.bodyLimit),
      factory,
      onError: (error, req) => this.errorResponse(error, req),
    });
    this.controllers = [...options.controllers];
    this.extension = options.openapi;
    let served = this.routes;
    if (this.extension !== undefined) {
      if (typeof this.extension.routes !== 'function') {
        throw new CrestBootError(
          ErrorCodes.INVALID_OPTION,
          "createApp's openapi option takes openapi({ ... }) from 'crest/openapi'.",
        );
      }
      served = [...served, ...this.extension.routes(this)];
    }
    this.router = new Router(served, {
      trailingSlash: this.trailingSlash,
      maxParamLength: positive('maxParamLength', options.maxParamLength, 500),
    });
    const middleware = options.middleware ?? [];
    this.chain =
      middleware.length === 0
        ? undefined
        : compose(
            middleware,
            (ctx) => this.route(ctx.req, ctx),
            (error, req) => this.errorResponse(error, req),
          );
  }

  /** The routes, controllers and prefix the app was built from (crest/openapi describes an app with it). */
  describe(): AppDescription {
    return { routes: this.routes, controllers: this.controllers, prefix: this.prefix, openapi: this.extension };
  }

  /**
   * For transports that stream a multipart body into the parser (node:http): how the route this
   * request goes to reads it, or undefined when it reads none.
   */
  multipartPlan(req: HttpRequest): MultipartPlan | undefined {
    const path = stripPrefix(req.rawPath, this.prefix);
    const match = path === null ? null : this.router.find(req.method, path);
    return match === null || typeof match === 'string' ? undefined : match.route.multipart;
  }

  /** Runs the whole pipeline in-process, no socket: for tests. */
  inject(options: InjectOptions): Promise<InjectResponse> {
    return inject(this, options);
  }

  /**
   * Listens on a node:http server (port 0 picks a free one; no host: every interface, as node
   * does); `close()` drains in-flight requests.
   */
  listen(port?: number, host?: string, options?: ServerOptions): Promise<Server> {
    return listen(this, port, host, options);
  }

  /**
   * On Lambda: nothing (the exported handler serves). Elsewhere: listens on `$PORT` or 8080, on
   * `$HOST` or 127.0.0.1 (`run({ host: '0.0.0.0' })` for every interface, e.g. in a container).
   */
  run(options?: RunOptions): Promise<Server | undefined> {
    return run(this, options);
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
    return createLambdaHandler(this, options) as LambdaHandlerFor<S, T>;
  }

  /**
   * The Lambda response-streaming handler (Function URL `RESPONSE_STREAM`, REST API streaming),
   * built on the runtime's `awslambda.streamifyResponse`.
   *
   * @example export const handler = app.lambdaStreaming();
   */
  lambdaStreaming(options?: LambdaStreamingOptions): StreamingHandler {
    return createStreamingHandler(this, options);
  }

  /** The one core entry: a normalized request in, a response out. Never rejects. */
  handle(req: HttpRequest): Promise<HttpResponse> {
    return Promise.resolve(this.dispatch(req));
  }

  /**
   * `handle` without the promise when nothing was asynchronous; transports call this to save
   * a microtask per request. Never throws.
   *
   * A transport that still decides after the pipeline (Lambda collects a stream and enforces the
   * result limit) passes `settle`: it sees the response before the request's log line is written
   * and returns the one to send, so that one line carries the final status.
   */
  dispatch(req: HttpRequest, settle?: Settle): HttpResponse | Promise<HttpResponse> {
    const started = this.logger === undefined ? 0 : performance.now();
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result = this.chain === undefined ? this.route(req, undefined) : this.chain({ req, route: undefined, state: {} });
    } catch (error) {
      result = this.errorResponse(error, req);
    }
    if (settle !== undefined) {
      return result instanceof HttpResponse
        ? this.settle(result, req, started, settle)
        : result.then(
            (response) => this.settle(response, req, started, settle),
            (error: unknown) => this.settle(this.errorResponse(error, req), req, started, settle),
          );
    }
    if (result instanceof HttpResponse) return this.finish(result, req, started);
    return result.then(
      (response) => this.finish(response, req, started),
      (error: unknown) => this.finish(this.errorResponse(error, req), req, started),
    );
  }

  /** The transport's last word on a response (see `dispatch`); what `settle` throws is a problem. */
  private settle(
    response: HttpResponse,
    req: HttpRequest,
    started: number,
    settle: Settle,
  ): HttpResponse | Promise<HttpResponse> {
    let settled: HttpResponse | Promise<HttpResponse>;
    try {
      settled = settle(this.finalize(response, req));
    } catch (error) {
      settled = this.errorResponse(error, req);
    }
    if (settled instanceof HttpResponse) return this.finish(settled, req, started);
    return Promise.resolve(settled).then(
      (final) => this.finish(final, req, started),
      (error: unknown) => this.finish(this.errorResponse(error, req), req, started),
    );
  }

  /** Routes a request (app middleware already run) and runs the route. */
  private route(req: HttpRequest, ctx: RequestContext | undefined): HttpResponse | Promise<HttpResponse> {
    // Misses are answered, not thrown: scanners send many, and a throw costs more than a hit.
    if (isUrlTooLong(req, this.limits.maxUrlLength)) {
      return this.refuse(
        req,
        414,
        `The URL is longer than ${this.limits.maxUrlLength} characters.`,
        ErrorCodes.URI_TOO_LONG,
      );
    }
    const path = stripPrefix(req.rawPath, this.prefix);
    if (path === null) return this.notFound(req);
    const match = this.router.find(req.method, path);
    if (match === null) return this.fallback(req, path);
    if (typeof match === 'string') {
      return match === BAD_URL
        ? this.refuse(req, 400, 'The request path is not valid percent-encoded UTF-8.', ErrorCodes.BAD_URL)
        : this.refuse(req, 414, 'A path parameter is too long.', ErrorCodes.URI_TOO_LONG);
    }
    req.params = match.params;
    if (ctx !== undefined) (ctx as { route: RequestContext['route'] }).route = match.route;
    const result = match.route.invoke(req, ctx);
    if (result instanceof HttpResponse) return result;
    const timeout = match.route.timeout ?? this.limits.timeout;
    return timeout === undefined && req.deadline === undefined ? result : this.race(result, req, timeout);
  }

  /** The handler's answer, or a 504 when the timeout or the platform deadline comes first. */
  private race(result: Promise<HttpResponse>, req: HttpRequest, timeout: number | undefined): Promise<HttpResponse> {
    let ms = timeout ?? Infinity;
    // Answer before Lambda kills the invocation, so the client gets a problem, not a platform error.
    ms = Math.min(ms, req.timeLeft() ?? Infinity);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          const error = new HttpError(504, 'The handler did not answer in time.', { code: ErrorCodes.TIMEOUT });
          req.abort(error);
          reject(error);
        },
        Math.max(0, ms),
      );
      result.then(
        (response) => {
          clearTimeout(timer);
          resolve(response);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** No route for this method: 405 with `Allow`, an automatic OPTIONS answer, a redirect, or 404. */
  private fallback(req: HttpRequest, path: string): HttpResponse {
    const allowed = this.router.allowedMethods(path);
    if (allowed.length > 0) {
      if (!allowed.includes('OPTIONS')) allowed.push('OPTIONS');
      const allow = allowed.join(', ');
      if (req.method === 'OPTIONS') return HttpResponse.empty({ headers: { allow } });
      return this.errorResponse(
        clientError(405, `${req.method} is not allowed here; use ${allow}.`, {
          code: ErrorCodes.METHOD_NOT_ALLOWED,
          headers: { allow },
        }),
        req,
      );
    }
    if (this.trailingSlash === 'redirect' && path !== '/') {
      const adding = !path.endsWith('/');
      const other = adding ? `${path}/` : path.slice(0, -1);
      if (this.router.allowedMethods(other).length > 0) {
        // A relative Location: right behind any stage or base path, and never a
        // protocol-relative `//host` an attacker could aim at another site. `./` keeps a first
        // segment with a colon (`/http:evil.com`) from reading as a scheme (RFC 3986 §4.2).
        // REST, ALB and Lattice pass through whatever the client sent (`/x/あ/`, `?q=あ`): the
        // Location is percent-encoded, so it is a valid header on every transport.
        const segment = encodeUrlPath(other.slice(other.lastIndexOf('/', other.length - (adding ? 2 : 1)) + 1));
        const query = encodeUrlQuery(req.queryString === '' ? stringifyQuery(req.query) : req.queryString);
        const location = `${adding ? `./${segment}` : `../${segment}`}${query === '' ? '' : `?${query}`}`;
        return HttpResponse.redirect(location, { status: 308 });
      }
    }
    return this.notFound(req);
  }

  private notFound(req: HttpRequest): HttpResponse {
    return this.refuse(req, 404, 'No route matches this path.', ErrorCodes.NOT_FOUND);
  }

  private refuse(req: HttpRequest, status: number, message: string, code: string): HttpResponse {
    return this.errorResponse(clientError(status, message, { code }), req);
  }

  /**
   * For transports: answers a request the app never saw (a body over the limit, a malformed
   * event) with the same hook, problem format and log line as any other error.
   */
  reject(req: HttpRequest, error: unknown): HttpResponse {
    return this.finish(this.errorResponse(error, req), req, this.logger === undefined ? 0 : performance.now());
  }

  /**
   * Every error passes here exactly once: the hook sees it, then it becomes a problem response.
   * Never throws: if building the answer fails too, a bare 500 goes out.
   */
  errorResponse(error: unknown, req: HttpRequest): HttpResponse {
    if (this.onErrorHook !== undefined) {
      try {
        const replaced = this.onErrorHook(error, req);
        if (replaced instanceof HttpResponse) {
          replaced.error = error;
          return replaced;
        }
      } catch (hookError) {
        this.safeLog('error', { err: describeError(hookError) }, 'onError hook threw');
      }
    }
    try {
      return errorToResponse(error, req.requestId, this.debug);
    } catch {
      return errorToResponse(error, undefined, false);
    }
  }

  private finish(response: HttpResponse, req: HttpRequest, started: number): HttpResponse {
    response = this.finalize(response, req);
    if (this.logger !== undefined) this.log(response, req, started);
    return response;
  }

  /** A response that can be sent: anything else, or a body JSON cannot represent, is a 500. */
  private finalize(response: HttpResponse, req: HttpRequest): HttpResponse {
    if (!(response instanceof HttpResponse)) {
      response = this.errorResponse(new TypeError('The pipeline produced something other than an HttpResponse.'), req);
    }
    if (response.body.kind === 'json') {
      try {
        response.payload();
      } catch (error) {
        // A value JSON cannot represent (a cycle, a BigInt) is the handler's bug: a 500.
        response = this.errorResponse(error, req);
      }
    }
    return response;
  }

  /** A logger that throws must not take a request down with it. */
  private safeLog(level: 'info' | 'warn' | 'error', fields: object, message: string): void {
    try {
      this.logger?.[level](fields, message);
    } catch {
      // Nothing sensible is left to report to.
    }
  }

  private log(response: HttpResponse, req: HttpRequest, started: number): void {
    const line = {
      method: req.method,
      path: req.rawPath,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      requestId: req.requestId,
    };
    if (response.status >= 500) {
      this.safeLog('error', { ...line, err: describeError(response.error) }, 'request failed');
    } else {
      this.safeLog('info', line, 'request completed');
    }
  }
}

/**
 * A transport's last word on a response before it is logged and sent (see `App.dispatch`): the
 * response itself, or the one to send instead (from `app.errorResponse`).
 */
export type Settle = (response: HttpResponse) => HttpResponse | Promise<HttpResponse>;

/**
 * Whether the path and query (`/a b` + `k=v&k=w`, without `?`) are longer than `limit`, counted
 * decoded: only that is the same on every transport. A client may or may not escape `,` or `é`,
 * HTTP API decodes the path, and REST and VPC Lattice hand over decoded query maps that crest
 * encodes again (`?q=` + 3,000 commas was 3,002 characters locally and 9,002 on REST).
 */
function isUrlTooLong(req: HttpRequest, limit: number): boolean {
  const path = req.rawPath.length;
  const query = req.queryString.length;
  // Decoding never lengthens a path or a `k=v` pair; a bare `k` counts one more (as `k=`), and
  // a query holds at most one per two characters. So most URLs are decided without decoding.
  if (path + query + ((query + 1) >> 1) <= limit) return false;
  let length = req.path.length;
  let separator = 0;
  const pairs = req.query;
  for (const key in pairs) {
    for (const value of pairs[key]!) {
      length += separator + key.length + 1 + value.length;
      separator = 1;
      if (length > limit) return true;
    }
  }
  return length > limit;
}

/** Checks a numeric option at boot: a whole number from 1 to `max`. */
function positive(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw new CrestBootError(
      ErrorCodes.INVALID_OPTION,
      `${name} must be a whole number from 1 to ${max}, got ${String(value)}.`,
    );
  }
  return value;
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
