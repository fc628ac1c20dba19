import { EXTRA_ROUTES, extraAnswer, isEchoInput } from '../workload';

/** The subset of REST v1, HTTP API v2 and ALB (multi-value) events the floor reads. */
interface FloorEvent {
  version?: string;
  httpMethod?: string;
  path?: string;
  rawPath?: string;
  rawQueryString?: string;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { elb?: unknown; http?: { method: string } };
}

interface FloorResult {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

export type Handler = (query: (name: string) => string[], body: string | null, id: string) => [number, unknown];

/**
 * The floor: a hand-written handler for the three event kinds with the same routing scheme as
 * the HTTP floor. What any adapter costs on top of this is the adapter's.
 */
export function createFloorHandler(route: Route = mapRoutes()): (event: FloorEvent) => Promise<FloorResult> {
  return async (event) => {
    const alb = event.requestContext?.elb !== undefined;
    const v2 = event.version === '2.0';
    const method = v2 ? event.requestContext!.http!.method : event.httpMethod!;
    const path = v2 ? event.rawPath! : event.path!;
    let query: (name: string) => string[];
    if (v2) {
      const search = new URLSearchParams(event.rawQueryString);
      query = (name) => search.getAll(name);
    } else {
      // ALB leaves query values percent-encoded; API Gateway REST decodes them.
      const map = event.multiValueQueryStringParameters ?? {};
      query = alb
        ? (name) => (map[name] ?? []).map((value) => decodeURIComponent(value.replace(/\+/g, ' ')))
        : (name) => map[name] ?? [];
    }
    const body =
      event.body == null ? null : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
    const [status, value] = route(method, path, query, body);
    const payload = JSON.stringify(value);
    const type = 'application/json; charset=utf-8';
    if (alb) {
      return {
        statusCode: status,
        statusDescription: `${status} ${status === 200 ? 'OK' : status === 400 ? 'Bad Request' : 'Not Found'}`,
        multiValueHeaders: { 'content-type': [type] },
        body: payload,
        isBase64Encoded: false,
      };
    }
    return { statusCode: status, headers: { 'content-type': type }, body: payload, isBase64Encoded: false };
  };
}

export type Route = (
  method: string,
  path: string,
  query: (name: string) => string[],
  body: string | null,
) => [number, unknown];

export const HANDLERS = {
  hello: (() => [200, { hello: 'world' }]) as Handler,
  user: ((_q, _b, id) => [200, { id }]) as Handler,
  search: ((query) => [200, { q: query('q')[0], tags: query('tag') }]) as Handler,
  echo: ((_q, body) => {
    let input: unknown;
    try {
      input = JSON.parse(body ?? '');
    } catch {
      input = undefined;
    }
    return isEchoInput(input) ? [200, { name: input.name, age: input.age }] : [400, { error: 'invalid input' }];
  }) as Handler,
};

/** The floor's own routing: a map of static routes and a prefix/suffix scan for `:id`. */
function mapRoutes(): Route {
  const statics = new Map<string, Handler>();
  const params: { prefix: string; suffix: string; handler: Handler }[] = [];
  for (const route of EXTRA_ROUTES) {
    if (route.hasParam) {
      const [prefix, suffix] = route.path.split(':id') as [string, string];
      params.push({ prefix, suffix, handler: (_q, _b, id) => [200, extraAnswer(route.index, id)] });
    } else statics.set(`GET ${route.path}`, () => [200, extraAnswer(route.index)]);
  }
  statics.set('GET /hello', HANDLERS.hello);
  params.push({ prefix: '/users/', suffix: '', handler: HANDLERS.user });
  statics.set('GET /search', HANDLERS.search);
  statics.set('POST /echo', HANDLERS.echo);

  return (method, path, query, body) => {
    const handler = statics.get(`${method} ${path}`);
    if (handler !== undefined) return handler(query, body, '');
    if (method === 'GET') {
      for (const candidate of params) {
        if (!path.startsWith(candidate.prefix) || !path.endsWith(candidate.suffix)) continue;
        const id = path.slice(candidate.prefix.length, path.length - candidate.suffix.length);
        if (id.length > 0 && !id.includes('/')) return candidate.handler(query, body, decodeURIComponent(id));
      }
    }
    return [404, { error: 'not found' }];
  };
}
