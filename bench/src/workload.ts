/**
 * The one workload every framework serves: four measured routes behind fifty extra routes
 * registered first, so that no router is trivially small. Answers are checked against
 * `expected` before and after timing.
 */

/** An extra route: `/r<i>` (static) for the first half, `/r<i>/items/:id` for the rest. */
export interface ExtraRoute {
  index: number;
  path: string;
  /** The path in `:name` syntax (every peer here uses it). */
  hasParam: boolean;
}

export const EXTRA_ROUTES: readonly ExtraRoute[] = Array.from({ length: 50 }, (_, index) =>
  index < 25 ? { index, path: `/r${index}`, hasParam: false } : { index, path: `/r${index}/items/:id`, hasParam: true },
);

/** What an extra route answers. */
export function extraAnswer(index: number, id?: string): Record<string, string | number> {
  return id === undefined ? { route: index } : { route: index, id };
}

export const ECHO_BODY = '{"name":"crest","age":3}';
export const ECHO_INVALID = '{"name":"crest","age":"three"}';

/** The POST /echo input; peers without a DTO layer check it with {@link isEchoInput}. */
export interface EchoInput {
  name: string;
  age: number;
}

/** Hand-written check for peers without class-validator or a JSON schema: the cheapest honest validation. */
export function isEchoInput(value: unknown): value is EchoInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const input = value as Record<string, unknown>;
  for (const key in input) if (key !== 'name' && key !== 'age') return false;
  return typeof input.name === 'string' && Number.isInteger(input.age);
}

/** One measured request. */
export interface RouteCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** Query string without `?`, '' for none. */
  query: string;
  body?: string;
  expected: unknown;
}

export const ROUTES: readonly RouteCase[] = [
  { name: 'GET /hello', method: 'GET', path: '/hello', query: '', expected: { hello: 'world' } },
  { name: 'GET /users/:id', method: 'GET', path: '/users/42', query: '', expected: { id: '42' } },
  {
    name: 'GET /search',
    method: 'GET',
    path: '/search',
    query: 'q=x&tag=a&tag=b',
    expected: { q: 'x', tags: ['a', 'b'] },
  },
  { name: 'POST /echo', method: 'POST', path: '/echo', query: '', body: ECHO_BODY, expected: JSON.parse(ECHO_BODY) },
];

/** The example's postal-code lookup, served over HTTP only: loading its data set would swamp cold start. */
export const POSTAL_ROUTE: RouteCase = {
  name: 'GET /postal_code',
  method: 'GET',
  path: '/postal_code',
  query: 'code=1000001',
  expected: {
    code: '1000001',
    addresses: [{ prefecture: '東京都', locality: '千代田区千代田', address: '東京都千代田区千代田' }],
  },
};

export const HTTP_ROUTES: readonly RouteCase[] = [...ROUTES, POSTAL_ROUTE];

/** Extra checks run before timing, never timed: a peer must route extras and reject bad input. */
export const CHECKS: readonly {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  status: number;
  expected?: unknown;
}[] = [
  { method: 'GET', path: '/r3', status: 200, expected: extraAnswer(3) },
  { method: 'GET', path: '/r30/items/7', status: 200, expected: extraAnswer(30, '7') },
  { method: 'POST', path: '/echo', body: ECHO_INVALID, status: 400 },
  { method: 'GET', path: '/nowhere', status: 404 },
];

/** Deep equality for JSON values. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
