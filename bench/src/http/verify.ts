import { CHECKS, HTTP_ROUTES, sameJson } from '../workload';

/** Fails unless the server answers every measured route and every check correctly. */
export async function verifyHttp(base: string, label: string): Promise<void> {
  const cases = [
    ...HTTP_ROUTES.map((route) => ({
      method: route.method,
      path: route.query === '' ? route.path : `${route.path}?${route.query}`,
      body: route.body,
      status: 200,
      expected: route.expected,
    })),
    ...CHECKS,
    { method: 'GET' as const, path: '/postal_code?code=abc', body: undefined, status: 400, expected: undefined },
  ];
  for (const check of cases) {
    const response = await fetch(`${base}${check.path}`, {
      method: check.method,
      body: check.body,
      headers: check.body === undefined ? {} : { 'content-type': 'application/json' },
    });
    const text = await response.text();
    const where = `${label}: ${check.method} ${check.path}`;
    if (response.status !== check.status)
      throw new Error(`${where}: status ${response.status}, expected ${check.status}`);
    if (check.expected === undefined) continue;
    if (!/^application\/json/.test(response.headers.get('content-type') ?? '')) {
      throw new Error(`${where}: content-type ${response.headers.get('content-type')}`);
    }
    if (!sameJson(JSON.parse(text), check.expected)) throw new Error(`${where}: body ${text}`);
  }
}
