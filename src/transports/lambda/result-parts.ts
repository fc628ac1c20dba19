import { bareInternalProblem } from '../../http/problem';
import type { HttpResponse } from '../../http/response';
import type { ResponseStreamPrelude } from './types';
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

/**
 * Lambda's synchronous response limit: 6 MB of JSON envelope, base64 included; the runtime's
 * own error names it ("Exceeded maximum allowed payload size (6291556 bytes)"). Past it the
 * client gets an opaque 502 (DataBiosphere/azul#6514, aws-lambda-dotnet#1815).
 */
export const LAMBDA_RESULT_LIMIT = 6_291_556;
/** ALB: "The maximum size of the response JSON that the Lambda function can send is 1 MB" (ELB docs). */
export const ALB_RESULT_LIMIT = 1_048_576;

/**
 * Whether `result` serializes (`JSON.stringify`, UTF-8) within `limit` bytes, exactly, without
 * serializing the body where arithmetic suffices (this runs on every response, and the body is
 * nearly all of it). The result's JSON is the envelope (the result with `""` for its body) plus
 * the body's characters as a JSON string escapes them:
 *
 * - base64 is never escaped: the body's length, exactly;
 * - text takes from its UTF-8 length (a lone surrogate's 3 bytes included) up to 6 bytes per
 *   UTF-16 unit (`\u001f`): past the lower bound it is over, under the upper one it fits, and
 *   only in between, near the limit, is the body serialized to count its escapes.
 */
export function fitsResultLimit(result: { body: string; isBase64Encoded: boolean }, limit: number): boolean {
  const body = result.body;
  if (body.length > limit) return false;
  // Nearly every answer is far under the limit: an upper bound of the whole result decides
  // without serializing anything (JSON.stringify of the envelope cost 15 % of an ALB invocation).
  if (jsonBytesBound(result) <= limit) return true;
  // Every byte but the body's characters: the other fields, the punctuation, the body's quotes.
  const envelope = Buffer.byteLength(JSON.stringify({ ...result, body: '' }), 'utf8');
  if (result.isBase64Encoded) return envelope + body.length <= limit;
  if (envelope + body.length * 6 <= limit) return true;
  if (envelope + Buffer.byteLength(body, 'utf8') > limit) return false;
  return envelope + Buffer.byteLength(JSON.stringify(body), 'utf8') - 2 <= limit;
}

/**
 * An upper bound of a result's `JSON.stringify` length in UTF-8 bytes: a UTF-16 unit takes at
 * most 6 bytes (`\u001f`), a number at most 24 characters, `null`/`true`/`false` at most 5.
 * Results are flat records of strings, numbers, booleans and string lists.
 */
function jsonBytesBound(value: unknown): number {
  if (typeof value === 'string') return value.length * 6 + 2;
  if (typeof value !== 'object' || value === null) return 24;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += jsonBytesBound(item) + 1;
    return bytes;
  }
  for (const key in value) bytes += key.length * 6 + 4 + jsonBytesBound((value as Record<string, unknown>)[key]);
  return bytes;
}

/** The streaming prelude of every source but REST: repeated headers joined, cookies in `cookies`. */
export function cookiePrelude(response: HttpResponse): ResponseStreamPrelude {
  const prelude: ResponseStreamPrelude = { statusCode: response.status, headers: joinedHeaders(response) };
  if (response.cookies.length > 0) prelude.cookies = [...response.cookies];
  return prelude;
}

/** A bare 500 problem, for when nothing else could be serialized; sources add what they require. */
export function bareProblemResult(): {
  statusCode: 500;
  headers: { 'content-type': string };
  body: string;
  isBase64Encoded: false;
} {
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/problem+json' },
    body: bareInternalProblem(),
    isBase64Encoded: false,
  };
}
