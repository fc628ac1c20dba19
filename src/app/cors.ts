import { CrestBootError, ErrorCodes } from '../errors';
import { HttpResponse } from '../http/response';
import type { Middleware } from './middleware';

export interface CorsOptions {
  /** Allowed origins: `*` (default), one origin, a list, a pattern or a predicate. */
  origin?: string | string[] | RegExp | ((origin: string) => boolean);
  /** Methods a preflight may ask for (default GET, HEAD, PUT, PATCH, POST, DELETE). */
  methods?: string[];
  /** Request headers a preflight may ask for (default: whatever it asks for). */
  allowedHeaders?: string[];
  /** Response headers the browser may read. */
  exposedHeaders?: string[];
  /** Allow cookies and credentials; refused together with origin `*` (the Fetch standard forbids it). */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

/**
 * CORS as app-level middleware: answers preflights and adds the headers to every response,
 * errors included.
 *
 * @example createApp({ controllers, middleware: [cors({ origin: 'https://app.example' })] })
 */
export function cors(options: CorsOptions = {}): Middleware {
  const origin = options.origin ?? '*';
  if (options.credentials === true && (origin === '*' || (Array.isArray(origin) && origin.includes('*')))) {
    throw new CrestBootError(
      ErrorCodes.INVALID_OPTION,
      'cors: credentials cannot be allowed for origin "*"; list the origins.',
    );
  }
  const allows = originMatcher(origin);
  const anyOrigin = origin === '*';
  const methods = (options.methods ?? ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']).join(', ');
  const allowedHeaders = options.allowedHeaders?.join(', ');
  const exposed = options.exposedHeaders?.join(', ');

  return async (ctx, next) => {
    const requestOrigin = ctx.req.headers.origin;
    if (requestOrigin === undefined || !allows(requestOrigin)) {
      const response = await next();
      // The answer depends on Origin whenever origins are listed: caches must know.
      if (!anyOrigin) addVary(response, 'Origin');
      return response;
    }
    const allowOrigin = anyOrigin ? '*' : requestOrigin;
    const preflight = ctx.req.method === 'OPTIONS' && ctx.req.headers['access-control-request-method'] !== undefined;
    const response = preflight ? HttpResponse.empty() : await next();
    response.header('access-control-allow-origin', allowOrigin);
    if (!anyOrigin) addVary(response, 'Origin');
    if (options.credentials === true) response.header('access-control-allow-credentials', 'true');
    if (preflight) {
      response.header('access-control-allow-methods', methods);
      const asked = ctx.req.headers['access-control-request-headers'];
      const headers = allowedHeaders ?? asked;
      if (headers) response.header('access-control-allow-headers', headers);
      if (allowedHeaders === undefined && asked) addVary(response, 'Access-Control-Request-Headers');
      if (options.maxAge !== undefined) response.header('access-control-max-age', String(options.maxAge));
    } else if (exposed) {
      response.header('access-control-expose-headers', exposed);
    }
    return response;
  };
}

/** Adds a token to Vary once, however often the same response object passes through. */
function addVary(response: HttpResponse, token: string): void {
  const current = response.headers.vary;
  const values = current === undefined ? [] : typeof current === 'string' ? [current] : current;
  const lower = token.toLowerCase();
  const present = values.some((value) =>
    value.split(',').some((part) => {
      const name = part.trim().toLowerCase();
      return name === lower || name === '*';
    }),
  );
  if (!present) response.appendHeader('vary', token);
}

function originMatcher(origin: NonNullable<CorsOptions['origin']>): (value: string) => boolean {
  if (origin === '*') return () => true;
  if (typeof origin === 'string') return (value) => value === origin;
  if (Array.isArray(origin)) {
    const set = new Set(origin);
    return (value) => set.has(value);
  }
  if (origin instanceof RegExp) return (value) => origin.test(value);
  return origin;
}
