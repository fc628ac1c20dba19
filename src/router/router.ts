import FindMyWay from './find-my-way';
import { CrestBootError, ErrorCodes } from '../errors';
import type { RouteDefinition } from '../compile/compile';
import { ALL_METHODS } from '../metadata/metadata';

export type TrailingSlash = 'strict' | 'ignore' | 'redirect';

export interface RouterOptions {
  trailingSlash: TrailingSlash;
  maxParamLength: number;
}

export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
}

/** Why a lookup found nothing it could run. */
export const BAD_URL = 'bad-url';
export const PARAM_TOO_LONG = 'param-too-long';
type Miss = typeof BAD_URL | typeof PARAM_TOO_LONG | null;

const noop = (): void => {};
const NO_QUERY = {};

/** An entry of find-my-way's `routes` (documented in its README; `params` is not in its types). */
interface Registered {
  readonly params?: readonly string[];
}

/** find-my-way, holding compiled routes in each route's `store`. */
export class Router {
  private readonly fmw: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> & { readonly routes: readonly Registered[] };
  private readonly methods = new Set<string>();
  private readonly headIsGet: boolean;
  /** A route's parameter names, as find-my-way parsed them when the route was first registered. */
  private readonly names = new Map<RouteDefinition, readonly string[]>();

  constructor(routes: readonly RouteDefinition[], options: RouterOptions) {
    this.fmw = FindMyWay({
      ignoreTrailingSlash: options.trailingSlash === 'ignore',
      maxParamLength: options.maxParamLength,
      // crest parses the query itself, lazily.
      querystringParser: () => NO_QUERY,
      // Misses come back with a null store and a handler that returns our marker.
      onBadUrl: () => BAD_URL,
      onMaxParamLength: () => PARAM_TOO_LONG,
    }) as Router['fmw'];
    const explicit = routes.filter((route) => route.method !== 'ALL');
    for (const route of explicit) this.add(route.method, route);
    // HEAD is served by GET (body dropped at the edge) unless declared. Without declared HEAD
    // or ALL routes a HEAD lookup is a GET lookup; registering copies would double the boot
    // cost of find-my-way, which compiles two functions per route.
    this.headIsGet = !routes.some((route) => route.method === 'HEAD' || route.method === 'ALL');
    if (this.headIsGet) {
      if (this.methods.has('GET')) this.methods.add('HEAD');
    } else {
      for (const route of explicit)
        if (route.method === 'GET' && !this.has('HEAD', route.path)) this.add('HEAD', route);
    }
    for (const route of routes) {
      if (route.method !== 'ALL') continue;
      for (const method of ALL_METHODS) if (!this.has(method, route.path)) this.add(method, route);
    }
  }

  /** Finds the route for a method and an encoded path (no query string). */
  find(method: string, path: string): RouteMatch | Miss {
    const found = this.lookup(method, path);
    if (found === null) return null;
    const store = found.store as RouteDefinition | null;
    if (store === null) return (found.handler as unknown as () => Miss)();
    return { route: store, params: found.params as Record<string, string> };
  }

  /**
   * The parameter names of a route's path, as find-my-way parsed them: `:id` → `id`, `*` → `*`,
   * in order (`/files/:name.:ext` → name, ext; `::` is a literal colon).
   */
  paramNames(route: RouteDefinition): readonly string[] {
    return this.names.get(route) ?? [];
  }

  /** The methods that have a route for `path` (for 405 `Allow` and OPTIONS), or [] for none. */
  allowedMethods(path: string): string[] {
    const allowed: string[] = [];
    for (const method of this.methods) {
      const found = this.lookup(method, path);
      if (found !== null && found.store !== null) allowed.push(method);
    }
    return allowed;
  }

  private lookup(method: string, path: string): FindMyWay.FindResult<FindMyWay.HTTPVersion.V1> | null {
    return this.fmw.find((method === 'HEAD' && this.headIsGet ? 'GET' : method) as FindMyWay.HTTPMethod, path);
  }

  private has(method: string, path: string): boolean {
    return this.fmw.hasRoute(method as FindMyWay.HTTPMethod, path);
  }

  private add(method: string, route: RouteDefinition): void {
    const registered = this.fmw.routes.length;
    try {
      this.fmw.on(method as FindMyWay.HTTPMethod, route.path, noop, route);
    } catch (error) {
      const message = (error as Error).message;
      const duplicate = /already declared/i.test(message);
      throw new CrestBootError(
        duplicate ? ErrorCodes.DUPLICATE_ROUTE : ErrorCodes.INVALID_ROUTE,
        `${route.controller}.${route.handler}: ${method} ${route.path}: ${
          duplicate ? 'another handler already serves this method and path' : message
        }.`,
      );
    }
    this.methods.add(method);
    // find-my-way records each registration with the names it parsed from the path (an optional
    // last parameter registers the full path first), which costs nothing to read; findRoute would
    // parse the path again and walk the tree (in the Lambda runtime, on the route's first match).
    if (!this.names.has(route)) this.names.set(route, this.fmw.routes[registered]?.params ?? []);
  }
}
