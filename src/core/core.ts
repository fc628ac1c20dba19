import { CrestBootError, ErrorCodes, requestError, type RequestErrorCode } from '../errors';
import { errorToResponse } from '../http/problem';
import { stringifyQuery } from '../http/query';
import type { HttpRequest } from '../http/request';
import { HttpResponse } from '../http/response';
import { encodeUrlPath, encodeUrlQuery } from '../http/uri';
import { checkPathParams, compileRoutes, MAX_TIMEOUT, type RouteDefinition } from '../compile/compile';
import type { Class } from '../metadata/metadata';
import { joinPaths, stripPrefix } from '../http/path';
import { BAD_URL, Router, type TrailingSlash } from '../router/router';
import type { ValidationOptions } from '../compile/validation';
import { compose } from '../middleware/compose';
import { resolveMultipartLimits, type MultipartOptions } from '../compile/multipart';
import type { MultipartPlan } from '../http/multipart';
import { describeError, resolveLogger, type Logger } from './logger';
import type { Middleware, RequestContext } from '../middleware/middleware';
import { BackgroundWork, lifecycleLog } from './background';
import { createScopeRunner, type RunWithin } from './request-scope';
import { ShutdownHooks, type ShutdownHook } from './shutdown';
import { isLambdaEnvironment } from '../environment';
import { now } from '../clock';

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
  /**
   * Runs every request in an AsyncLocalStorage scope, so `requestContext()` works anywhere below
   * the handler. Off by default: it costs every request (README, "Request context").
   */
  context?: boolean;
  /**
   * Milliseconds the work a request hands to `waitUntil` may take after its answer (default
   * 10,000); on Lambda the invocation deadline bounds it too.
   */
  waitUntilTimeout?: number;
  /** Milliseconds each `onShutdown` hook may take (default 5,000). */
  shutdownTimeout?: number;
}

/** Routes served beside the app's own, built once by `createApp` (what `openapi()` from `crest/openapi` returns). */
export interface RouteExtension {
  routes(app: Describable): readonly RouteDefinition[];
  /**
   * Checks what `routes` left for later (crest/openapi: builds the document, throwing a
   * `CrestBootError` for a documentation mistake) at the app's first use rather than in
   * `createApp`: see {@link AppCore.checkBoot}.
   */
  check?(app: Describable): void;
}

/** Anything that can say what the app is built from: the app, or its core while it is built. */
export interface Describable {
  describe(): AppDescription;
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
 * What every transport sees of an app, and all it sees: one request in, one response out, the
 * errors only the transport meets, and the line that says what the client received.
 *
 * A transport's whole flow, inside `core.within(req, …)`: `res = await core.handle(req)`; while
 * preparing to send (collecting a stream, checking a platform limit, building a prelude) any
 * failure becomes `res = core.fail(req, error)`; once the client has the answer (or the
 * connection is gone), `core.responded(req, res, started)`, then `core.settled(req)` (awaited
 * where the platform freezes the process after the invocation). `shutdown` runs after the last
 * request; `multipartPlan` serves node:http, which parses uploads as they arrive.
 */
export interface AppCore {
  readonly limits: AppLimits;
  readonly logger: Logger | undefined;
  /**
   * How the route a multipart request goes to reads its body, or undefined when it reads none:
   * for a transport that parses the body as it arrives (node:http), before `handle`.
   */
  multipartPlan(req: HttpRequest): MultipartPlan | undefined;
  /** A normalized request in, the response to send out. Never throws nor rejects. */
  handle(req: HttpRequest): HttpResponse | Promise<HttpResponse>;
  /**
   * The answer to an error the app never saw: a body over the limit, a malformed event, a
   * stream failing before its first byte, a result too large for the platform. `onError` sees it.
   */
  fail(req: HttpRequest, error: unknown): HttpResponse;
  /**
   * Logs the request once, with the status the client received; `interruption` when the answer
   * was cut short after its status went out (a stream failing, a client going away).
   */
  responded(req: HttpRequest, response: HttpResponse, started: number, interruption?: unknown): void;
  /**
   * Runs a transport's flow for `req` (`flow(...args)`) in the request's context scope, when the
   * app has one.
   */
  readonly within: RunWithin;
  /**
   * Finishes the work `req` handed to `waitUntil`, within its time budget; undefined when there
   * is none. Never rejects. When the transport awaits it is the transport's meaning of waitUntil.
   */
  settled(req: HttpRequest): Promise<void> | undefined;
  /**
   * After the last request: waits for work still running after its answer, then runs the
   * shutdown hooks in order, all within `budget` ms. False when a hook failed or timed out.
   */
  shutdown(budget?: number): Promise<boolean>;
  /**
   * The boot checks `createApp` leaves to the app's first use, so that a start does not wait for
   * them (the openapi option's document: 7 ms of the example's): run before the first `inject`,
   * `handle` or `listen` and when a Lambda handler is made, and by `run()` once it listens. Throws
   * a `CrestBootError`, again at each call until fixed; once passed, does nothing.
   */
  checkBoot(): void;
}

/**
 * The transport-neutral centre of an app: routes, middleware, errors, timeouts and the request
 * log. It imports no transport; `createApp` puts the transports around it.
 */
export class Core implements AppCore, Describable {
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
  private readonly background: BackgroundWork;
  private readonly hooks: ShutdownHooks;
  private booted = false;
  readonly within: RunWithin;

  constructor(options: AppOptions) {
    if (typeof options !== 'object' || options === null || !Array.isArray(options.controllers)) {
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
    const log = lifecycleLog(this.logger);
    this.background = new BackgroundWork(log, positive('waitUntilTimeout', options.waitUntilTimeout, 10_000));
    this.hooks = new ShutdownHooks(log, positive('shutdownTimeout', options.shutdownTimeout, 5_000));
    this.within = createScopeRunner(options.context === true, this.logger);
    const validation = options.validation ?? {};
    for (const cap of ['maxUniqueItems', 'maxTransformedKeys'] as const)
      positive(`validation.${cap}`, validation[cap], 1);
    const factory = options.factory ?? ((controller: Class) => new (controller as new () => object)());
    // In the Lambda runtime, where the start is the cold start, routes are compiled and checked
    // on their first match (see compileRoutes); everywhere else, at boot.
    const lazy = isLambdaEnvironment();
    const checkPath = (route: RouteDefinition) => checkPathParams(route, this.router.paramNames(route));
    this.routes = compileRoutes(options.controllers, {
      validation,
      multipart: resolveMultipartLimits(options.multipart, this.limits.bodyLimit),
      factory,
      onError: (error, req) => this.errorResponse(error, req),
      compileOnFirstMatch: lazy ? checkPath : undefined,
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
    if (!lazy) for (const route of this.routes) checkPath(route);
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

  describe(): AppDescription {
    return { routes: this.routes, controllers: this.controllers, prefix: this.prefix, openapi: this.extension };
  }

  checkBoot(): void {
    if (this.booted) return;
    this.extension?.check?.(this);
    this.booted = true;
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

  // Sync when nothing was asynchronous: a transport then saves a microtask per request.
  handle(req: HttpRequest): HttpResponse | Promise<HttpResponse> {
    let result: HttpResponse | Promise<HttpResponse>;
    try {
      result =
        this.chain === undefined ? this.route(req, undefined) : this.chain({ req, route: undefined, state: req.state });
    } catch (error) {
      result = this.errorResponse(error, req);
    }
    if (result instanceof HttpResponse) return this.sendable(result, req);
    return result.then(
      (response) => this.sendable(response, req),
      (error: unknown) => this.sendable(this.errorResponse(error, req), req),
    );
  }

  fail(req: HttpRequest, error: unknown): HttpResponse {
    return this.sendable(this.errorResponse(error, req), req);
  }

  responded(req: HttpRequest, response: HttpResponse, started: number, interruption?: unknown): void {
    if (this.logger === undefined) return;
    const line = {
      method: req.method,
      path: req.rawPath,
      status: response.status,
      durationMs: Math.round((now() - started) * 1000) / 1000,
      requestId: req.requestId,
    };
    if (interruption !== undefined) {
      this.safeLog('error', { ...line, err: describeError(interruption) }, 'response cut short');
    } else if (response.status >= 500) {
      this.safeLog('error', { ...line, err: describeError(response.error) }, 'request failed');
    } else {
      this.safeLog('info', line, 'request completed');
    }
  }

  settled(req: HttpRequest): Promise<void> | undefined {
    return this.background.settle(req);
  }

  onShutdown(hook: ShutdownHook): void {
    this.hooks.add(hook);
  }

  async shutdown(budget = Infinity): Promise<boolean> {
    const started = now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.background.drain(),
      new Promise((resolve) => {
        if (budget !== Infinity) timer = setTimeout(resolve, budget);
      }),
    ]);
    clearTimeout(timer);
    return this.hooks.run(Math.max(0, budget - (now() - started)));
  }

  /** Routes a request (app middleware already run) and runs the route. */
  private route(req: HttpRequest, ctx: RequestContext | undefined): HttpResponse | Promise<HttpResponse> {
    // Misses are answered, not thrown: scanners send many, and a throw costs more than a hit.
    if (isUrlTooLong(req, this.limits.maxUrlLength)) {
      return this.refuse(
        req,
        ErrorCodes.URI_TOO_LONG,
        `The URL is longer than ${this.limits.maxUrlLength} characters.`,
      );
    }
    if (hasRepeatedHost(req)) {
      return this.refuse(req, ErrorCodes.BAD_HEADER, 'The request has more than one Host.');
    }
    const path = stripPrefix(req.rawPath, this.prefix);
    if (path === null) return this.notFound(req);
    const match = this.router.find(req.method, path);
    if (match === null) return this.unrouted(req, path);
    if (typeof match === 'string') {
      return match === BAD_URL
        ? this.refuse(req, ErrorCodes.BAD_URL, 'The request path is not valid percent-encoded UTF-8.')
        : this.refuse(req, ErrorCodes.URI_TOO_LONG, 'A path parameter is too long.');
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
          const error = requestError(ErrorCodes.TIMEOUT, 'The handler did not answer in time.');
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
  private unrouted(req: HttpRequest, path: string): HttpResponse {
    const allowed = this.router.allowedMethods(path);
    if (allowed.length > 0) {
      if (!allowed.includes('OPTIONS')) allowed.push('OPTIONS');
      const allow = allowed.join(', ');
      if (req.method === 'OPTIONS') return HttpResponse.empty({ headers: { allow } });
      return this.errorResponse(
        requestError(ErrorCodes.METHOD_NOT_ALLOWED, `${req.method} is not allowed here; use ${allow}.`, {
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
    return this.refuse(req, ErrorCodes.NOT_FOUND, 'No route matches this path.');
  }

  private refuse(req: HttpRequest, code: RequestErrorCode, message: string): HttpResponse {
    return this.errorResponse(requestError(code, message), req);
  }

  /**
   * Every error passes here exactly once: the hook sees it, then it becomes a problem response.
   * Never throws: if building the answer fails too, a bare 500 goes out.
   */
  private errorResponse(error: unknown, req: HttpRequest): HttpResponse {
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

  /** A response that can be sent: anything else, or a body JSON cannot represent, is a 500. */
  private sendable(response: HttpResponse, req: HttpRequest): HttpResponse {
    if (!(response instanceof HttpResponse)) {
      const error = requestError(
        ErrorCodes.NOT_A_RESPONSE,
        'The pipeline produced something other than an HttpResponse.',
      );
      response = this.errorResponse(error, req);
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
}

/**
 * RFC 9112 §3.2: a server MUST answer 400 to a request with more than one Host field line (a
 * proxy may route by one while the app reads the other). node:http accepts them, and every
 * transport joins repeats with a comma, which no DNS name or IP literal contains.
 */
function hasRepeatedHost(req: HttpRequest): boolean {
  const host = req.headers.host;
  return host !== undefined && host.indexOf(',') !== -1;
}

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
