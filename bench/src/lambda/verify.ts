import { CHECKS, ROUTES, sameJson, type RouteCase } from '../workload';
import { createContext, createEvent, type EventKind, type EventRequest } from './events';
import type { LambdaHandler } from './targets';

interface LambdaResult {
  statusCode?: number;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown>;
  body?: string;
  isBase64Encoded?: boolean;
}

export function routeRequest(route: RouteCase): EventRequest {
  return { method: route.method, path: route.path, query: route.query, body: route.body };
}

/** Why a result is wrong, or undefined when it has the expected status (and JSON body). */
export function resultProblem(result: unknown, status: number, expected: unknown): string | undefined {
  const answer = result as LambdaResult | null;
  if (answer === null || typeof answer !== 'object') return `result ${String(result)}`;
  if (answer.statusCode !== status) return `status ${answer.statusCode}, expected ${status}: ${answer.body}`;
  if (expected === undefined) return undefined;
  const type = contentType(answer);
  if (!/^application\/json/.test(type)) return `content-type ${type}`;
  const text = answer.isBase64Encoded ? Buffer.from(answer.body ?? '', 'base64').toString() : (answer.body ?? '');
  try {
    if (!sameJson(JSON.parse(text), expected)) return `body ${text}`;
  } catch {
    return `body not JSON: ${text}`;
  }
  return undefined;
}

function contentType(result: LambdaResult): string {
  for (const map of [result.headers, result.multiValueHeaders]) {
    if (map === undefined || map === null) continue;
    for (const name of Object.keys(map)) {
      if (name.toLowerCase() !== 'content-type') continue;
      const value = map[name];
      return String(Array.isArray(value) ? value[0] : value);
    }
  }
  return '';
}

/** Every measured route and every check, on one event kind: throws on the first wrong answer. */
export async function verifyLambda(handler: LambdaHandler, kind: EventKind): Promise<void> {
  const cases = [
    ...ROUTES.map((route) => ({ request: routeRequest(route), status: 200, expected: route.expected })),
    ...CHECKS.map((check) => ({
      request: { method: check.method, path: check.path, query: '', body: check.body },
      status: check.status,
      expected: check.expected,
    })),
  ];
  for (const { request, status, expected } of cases) {
    const result = await handler(createEvent(kind, request), createContext());
    const problem = resultProblem(result, status, expected);
    if (problem !== undefined) throw new Error(`${request.method} ${request.path}: ${problem}`);
  }
}
