import { parseQuery } from '../http/query';

/** A request as a client sends it, for the event builders. */
export interface TestRequest {
  /** Default `GET`. */
  method?: string;
  /** Path and query as sent on the wire, percent-encoded (default `/`). */
  url?: string;
  /** A repeated header is an array. */
  headers?: Record<string, string | string[]>;
  /** Text is sent as it is, bytes base64-encoded, anything else as JSON with its content type. */
  body?: string | Uint8Array | object;
  /** The client address (default 203.0.113.10). */
  sourceIp?: string;
  /** The platform's request id (default a fresh UUID). */
  requestId?: string;
}

/** A request taken apart the way every builder needs it. */
export interface ParsedTestRequest {
  method: string;
  path: string;
  rawQuery: string;
  /** Header names as given, every value a list. */
  headers: Array<[string, string[]]>;
  body: Buffer | undefined;
  /** The body was given as bytes. */
  binary: boolean;
  sourceIp: string;
  requestId: string;
}

export function parseTestRequest(request: TestRequest, requestId: string): ParsedTestRequest {
  const url = request.url ?? '/';
  const question = url.indexOf('?');
  const headers: Array<[string, string[]]> = Object.entries(request.headers ?? {}).map(([name, value]) => [
    name,
    Array.isArray(value) ? value : [value],
  ]);
  let body: Buffer | undefined;
  let binary = false;
  if (typeof request.body === 'string') body = Buffer.from(request.body, 'utf8');
  else if (request.body instanceof Uint8Array) {
    body = Buffer.from(request.body);
    binary = true;
  } else if (request.body !== undefined) {
    body = Buffer.from(JSON.stringify(request.body), 'utf8');
    if (findHeader(headers, 'content-type') === undefined) headers.push(['content-type', ['application/json']]);
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    path: question === -1 ? url : url.slice(0, question),
    rawQuery: question === -1 ? '' : url.slice(question + 1),
    headers,
    body,
    binary,
    sourceIp: request.sourceIp ?? '203.0.113.10',
    requestId: request.requestId ?? requestId,
  };
}

export function findHeader(headers: Array<[string, string[]]>, name: string): string[] | undefined {
  for (const [key, values] of headers) if (key.toLowerCase() === name) return values;
  return undefined;
}

/** Every value by lower-case name, as the platforms that lower-case names deliver them (`X-A` and `x-a` merged). */
export function lowerCaseHeaders(headers: Array<[string, string[]]>): Record<string, string[]> {
  const lists = Object.create(null) as Record<string, string[]>;
  for (const [name, values] of headers) {
    const key = name.toLowerCase();
    lists[key] = [...(lists[key] ?? []), ...values];
  }
  return lists;
}

/** Adds a header the platform sets unless the request has it. */
export function withDefault(headers: Array<[string, string[]]>, name: string, value: string): void {
  if (findHeader(headers, name) === undefined) headers.push([name, [value]]);
}

/** Decoded query pairs, form semantics, in order. */
export function decodedQuery(rawQuery: string): Record<string, string[]> {
  return { ...parseQuery(rawQuery) };
}

/** Raw (undecoded) query pairs, in order, as ALB passes them. */
export function rawQueryPairs(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}
