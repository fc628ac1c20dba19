import { CrestBootError, ErrorCodes } from '../errors';
import { isSerializedOrigin, isToken, isTokenList } from '../http/header-syntax';
import { HttpResponse } from '../http/response';
import { addVary } from '../http/vary';
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
  const methods = tokenList('methods', options.methods ?? ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']);
  const allowedHeaders = options.allowedHeaders && tokenList('allowedHeaders', options.allowedHeaders);
  const exposed = options.exposedHeaders && tokenList('exposedHeaders', options.exposedHeaders);

  return async (ctx, next) => {
    const requestOrigin = ctx.req.headers.origin;
    const preflight = ctx.req.method === 'OPTIONS' && ctx.req.headers['access-control-request-method'] !== undefined;
    const echoed =
      preflight && allowedHeaders === undefined ? ctx.req.headers['access-control-request-headers'] : undefined;
    // The origin and the asked-for headers are written back: a value no browser sends (not a
    // serialized origin, not a token list) gets no grant, never a header that breaks the answer
    // (a 500 on Lambda, Latin-1 bytes on node:http). The user's matcher only sees valid origins.
    if (
      requestOrigin === undefined ||
      !isSerializedOrigin(requestOrigin) ||
      (echoed !== undefined && !isTokenList(echoed)) ||
      !allows(requestOrigin)
    ) {
      const response = await next();
      // The answer depends on Origin whenever origins are listed: caches must know.
      if (!anyOrigin) addVary(response, 'Origin');
      return response;
    }
    const allowOrigin = anyOrigin ? '*' : requestOrigin;
    const response = preflight ? HttpResponse.empty() : await next();
    response.header('access-control-allow-origin', allowOrigin);
    if (!anyOrigin) addVary(response, 'Origin');
    if (options.credentials === true) response.header('access-control-allow-credentials', 'true');
    if (preflight) {
      response.header('access-control-allow-methods', methods);
      const headers = allowedHeaders ?? echoed;
      if (headers) response.header('access-control-allow-headers', headers);
      if (allowedHeaders === undefined && echoed) addVary(response, 'Access-Control-Request-Headers');
      if (options.maxAge !== undefined) response.header('access-control-max-age', String(options.maxAge));
    } else if (exposed) {
      response.header('access-control-expose-headers', exposed);
    }
    return response;
  };
}

/** A list option written into a header on every answer: checked once, here, rather than failing each request. */
function tokenList(name: string, values: string[]): string {
  const invalid = values.find((value) => !isToken(value));
  if (invalid !== undefined) {
    throw new CrestBootError(ErrorCodes.INVALID_OPTION, `cors: ${name} holds ${JSON.stringify(invalid)}, not a token.`);
  }
  return values.join(', ');
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
