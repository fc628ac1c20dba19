import type { HttpRequest } from '../http/request';
import type { HttpResponse } from '../http/response';

/** What the router knows about the matched route, for middleware and logs. */
export interface RouteInfo {
  method: string;
  /** The route pattern, prefix included (`/api/users/:id`). */
  path: string;
  controller: string;
  handler: string;
}

/** The per-request context a middleware receives. */
export interface RequestContext {
  readonly req: HttpRequest;
  /** The matched route, absent for requests that match none (404, 405, automatic OPTIONS). */
  readonly route: RouteInfo | undefined;
  /**
   * Free space for middleware to hand data to later middleware and handlers: `req.state`, which a
   * handler reads with `@State('user')`.
   */
  readonly state: Record<string, unknown>;
}

export type Next = () => Promise<HttpResponse>;

/**
 * Onion-style middleware: call `next()` to run the rest and get its response, return a
 * response to short-circuit or replace it, or return nothing to pass `next()`'s on.
 *
 * @example
 * const requireKey: Middleware = async (ctx, next) =>
 *   ctx.req.headers['x-api-key'] === KEY ? next() : HttpResponse.json({}, { status: 401 });
 */
export type Middleware = (ctx: RequestContext, next: Next) => Promise<HttpResponse | void> | HttpResponse | void;
