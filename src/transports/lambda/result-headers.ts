import type { HttpResponse } from '../../http/response';
import { statusText } from '../../http/protocol';

/**
 * Headers the platform computes itself: API Gateway remaps an integration's `Content-Length`
 * and `Connection` to `x-amzn-Remapped-*`, and ALB computes `Content-Length` from the body.
 */
const PLATFORM_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export function isPlatformHeader(name: string): boolean {
  return PLATFORM_HEADERS.has(name);
}

/**
 * A response header value as a list of strings; API Gateway validates that values are strings
 * (@fastify/aws-lambda 06362c1, serverless-express#685), so a number set behind
 * `HttpResponse.header`'s back is stringified here.
 */
export function headerValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map(String);
  return value === undefined || value === null ? [] : [String(value)];
}

/** ALB's `statusDescription`, required by the ELB docs: `404 Not Found`. */
export function statusDescription(status: number): string {
  return `${status} ${statusText(status)}`;
}

/**
 * Response headers for results that have one value per name (HTTP API, Function URL, ALB
 * single-value mode, streaming preludes): a repeated header is comma-joined (RFC 9110 §5.3);
 * `Set-Cookie` is left to the caller, since it must never be joined.
 */
export function joinedHeaders(response: HttpResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in response.headers) {
    if (isPlatformHeader(name)) continue;
    const values = headerValues(response.headers[name]);
    if (values.length > 0) headers[name] = values.length === 1 ? values[0]! : values.join(', ');
  }
  return headers;
}

/**
 * Response headers split the REST API way: single values in `headers`, repeated headers and every
 * `Set-Cookie` in `multiValueHeaders` and never in both (API Gateway merges the two maps and
 * would duplicate them: srvx F19).
 */
export function splitHeaders(response: HttpResponse): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]> | undefined;
} {
  const headers: Record<string, string> = {};
  let multiValueHeaders: Record<string, string[]> | undefined;
  for (const name in response.headers) {
    if (isPlatformHeader(name)) continue;
    const values = headerValues(response.headers[name]);
    if (values.length === 1) headers[name] = values[0]!;
    else if (values.length > 1) (multiValueHeaders ??= {})[name] = values;
  }
  if (response.cookies.length > 0) (multiValueHeaders ??= {})['set-cookie'] = [...response.cookies];
  return { headers, multiValueHeaders };
}

/** Every response header as a list, `Set-Cookie` included (ALB multi-value mode). */
export function listHeaders(response: HttpResponse): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const name in response.headers) {
    if (isPlatformHeader(name)) continue;
    const values = headerValues(response.headers[name]);
    if (values.length > 0) lists[name] = values;
  }
  if (response.cookies.length > 0) lists['set-cookie'] = [...response.cookies];
  return lists;
}
