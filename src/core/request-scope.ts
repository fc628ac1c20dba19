import { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpRequest } from '../http/request';
import type { Logger } from './logger';

/** What `requestContext()` gives code running for a request, however deep below the handler. */
export interface CurrentRequest {
  readonly requestId: string;
  readonly req: HttpRequest;
  /** `req.state`: what middleware handed on. */
  readonly state: Record<string, unknown>;
  /**
   * The app's logger with `requestId` on every line (pino's `child` when the logger has one);
   * silent when the app logs nothing.
   */
  readonly logger: Logger;
  /** `req.waitUntil`: work that must finish although the answer does not wait for it. */
  waitUntil(work: PromiseLike<unknown>): void;
}

/*
 * One storage for every app in the process: an AsyncLocalStorage keeps nothing itself, each
 * request's scope lives only in the async calls made for it, so two apps still share nothing.
 * Made by the first app that asks for it, so apps without `context: true` pay nothing.
 */
let storage: AsyncLocalStorage<CurrentRequest> | undefined;

/**
 * The request the current code runs for, or undefined outside one (or when the app was built
 * without `context: true`).
 *
 * @example
 * export function audit(action: string) { requestContext()?.logger.info({ action }, 'audit'); }
 */
export function requestContext(): CurrentRequest | undefined {
  return storage?.getStore();
}

/** Runs a transport's flow for `req`: in the request's scope when the app asked for one, else as it is. */
export type RunWithin = <A extends unknown[], T>(req: HttpRequest, flow: (...args: A) => T, ...args: A) => T;

export function createScopeRunner(enabled: boolean, logger: Logger | undefined): RunWithin {
  if (!enabled) return (_req, flow, ...args) => flow(...args);
  const scopes = (storage ??= new AsyncLocalStorage<CurrentRequest>());
  return (req, flow, ...args) => scopes.run(new RequestScope(req, logger), flow, ...args);
}

class RequestScope implements CurrentRequest {
  private child: Logger | undefined;

  constructor(
    readonly req: HttpRequest,
    private readonly appLogger: Logger | undefined,
  ) {}

  get requestId(): string {
    return this.req.requestId;
  }

  get state(): Record<string, unknown> {
    return this.req.state;
  }

  // Made on first use: most requests never log below the handler.
  get logger(): Logger {
    return (this.child ??= requestLogger(this.appLogger, this.req.requestId));
  }

  waitUntil(work: PromiseLike<unknown>): void {
    this.req.waitUntil(work);
  }
}

const SILENT: Logger = { info() {}, warn() {}, error() {} };

/** The app's logger with the request id bound: pino's own `child`, or fields merged into each line. */
export function requestLogger(logger: Logger | undefined, requestId: string): Logger {
  if (logger === undefined) return SILENT;
  const child = (logger as { child?: unknown }).child;
  if (typeof child === 'function') return (child as (bindings: object) => Logger).call(logger, { requestId });
  return {
    info: (fields, message) => logger.info({ requestId, ...fields }, message),
    warn: (fields, message) => logger.warn({ requestId, ...fields }, message),
    error: (fields, message) => logger.error({ requestId, ...fields }, message),
  };
}
