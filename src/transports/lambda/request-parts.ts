import { bodyTooLarge, ErrorCodes, requestError } from '../../errors';
import { nullObject } from '../../http/null-object';
import type { HeaderListMap, HeaderMap } from '../../http/request';
import { hasKeys, isObject, malformed, optionalObject, type JsonObject } from './event-fields';
import type { QueryMap } from '../../http/query';
import { encodeUrlPath } from '../../http/uri';
import { stripPrefix } from '../../http/path';
import type { LambdaAuthorizer } from './types';

/** Request headers in the core's two forms. `lists` is undefined when every header has one value. */
export interface RequestHeaders {
  headers: HeaderMap;
  lists: HeaderListMap | undefined;
}

/**
 * Headers from a single-value map (`headers`: HTTP API, Function URL, ALB single-value mode, or a
 * 1.0 event without `multiValueHeaders`). Names are lower-cased: REST keeps the client's case
 * (`Host`, `X-Forwarded-For`) and hand-written 2.0 events do too. HTTP API already joined a
 * repeated header with `,` (no space, `first,second`); the value is kept as sent because a comma
 * cannot be told apart from one inside a value (dates, quoted strings, user agents).
 */
export function singleValueHeaders(map: unknown, where: string): RequestHeaders {
  const headers = nullObject<string>();
  if (map === undefined || map === null) return { headers, lists: undefined };
  if (!isObject(map)) throw malformed(`${where} is not an object`);
  for (const name in map) {
    const value = map[name];
    if (typeof value !== 'string') throw malformed(`${where}.${name} is not a string`);
    const key = lowerCaseName(name);
    const current = headers[key];
    headers[key] = current === undefined ? value : joinValues(key, [current, value]);
  }
  return { headers, lists: undefined };
}

/**
 * Headers from a multi-value map (`multiValueHeaders`: REST, ALB multi-value mode), which holds
 * every value; the single map of the same event holds only the last one and is never merged in
 * (merging it again duplicated or, with a substring test, dropped values: Hono GHSA fix
 * aa921770, Powertools `populateV1Headers`).
 */
export function multiValueHeaders(map: JsonObject, where: string): RequestHeaders {
  const headers = nullObject<string>();
  // Lists only for the names that hold more than one value: `headerValues` reads a single
  // value from `headers` (one map and one array fewer per header on every invocation).
  let lists: HeaderListMap | undefined;
  for (const name in map) {
    const value = map[name];
    // Lattice sends a string or an array per header; REST and ALB always arrays.
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values)) throw malformed(`${where}.${name} is not an array`);
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== 'string') throw malformed(`${where}.${name} holds a non-string`);
    }
    if (values.length === 0) continue;
    const key = lowerCaseName(name);
    const previous = headers[key];
    if (previous === undefined && values.length === 1) {
      headers[key] = values[0] as string;
      continue;
    }
    // Repeated values, or a client that sent `X-A` and `x-a` (REST keeps them apart by case).
    const before = lists?.[key] ?? (previous === undefined ? [] : [previous]);
    const all = [...before, ...(values as string[])];
    (lists ??= nullObject<string[]>())[key] = all;
    headers[key] = joinValues(key, all);
  }
  return { headers, lists };
}

/**
 * The headers of an event with a multi-value map beside the single one (REST, ALB): the multi
 * map, which holds every value. Hand-written events (older SAM templates, local emulators) may
 * send an empty multi map beside a full single one; API Gateway always fills both.
 */
export function eventHeaders(event: JsonObject): RequestHeaders {
  const multi = optionalObject(event, 'multiValueHeaders', 'event');
  return multi === undefined || !hasKeys(multi)
    ? singleValueHeaders(event.headers, 'headers')
    : multiValueHeaders(multi, 'multiValueHeaders');
}

/**
 * Repeated values joined the way a proxy would fold them (RFC 9110 §5.3), except `Cookie`, whose
 * pairs are separated by `; ` (RFC 6265 §5.4): HTTP/2 clients send one cookie per field
 * (smithy-typescript#1997).
 */
export function joinValues(name: string, values: string[]): string {
  return values.join(name === 'cookie' ? '; ' : ', ');
}

/** Sets one header in both forms, replacing whatever the client sent. */
export function setHeader(target: RequestHeaders, name: string, value: string): void {
  target.headers[name] = value;
  if (target.lists !== undefined) target.lists[name] = [value];
}

/** The last entry of a comma-separated list (`X-Forwarded-For`), trimmed; '' when absent. */
export function lastListEntry(value: string | undefined): string {
  if (value === undefined) return '';
  const comma = value.lastIndexOf(',');
  return (comma === -1 ? value : value.slice(comma + 1)).trim();
}

/**
 * `Content-Length` from the decoded bytes, overriding the client's value: REST events carry none
 * (pulumi-cloud#314), base64 changes the length, and an understated value must not slip a body
 * past a limit (Hono GHSA fix fa5f9bfc). A client value that is not one decimal length (sent
 * twice, joined `2,2`, `abc`) is a 400, as node:http's parser answers it locally (RFC 9112 §6.3).
 */
export function setContentLength(target: RequestHeaders, body: Buffer): void {
  const sent = target.headers['content-length'];
  if (sent !== undefined && !isDecimal(sent)) {
    throw requestError(
      ErrorCodes.BAD_HEADER,
      'The request has more than one Content-Length, or one that is not a length.',
    );
  }
  if (body.length > 0 || sent !== undefined) {
    setHeader(target, 'content-length', String(body.length));
  }
}

function isDecimal(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Header names repeat across invocations (REST sends `X-Forwarded-For`, `CloudFront-…` on every
 * event): a bounded memo saves one string allocation per header per request. Pure and capped.
 */
const LOWER_CASE = new Map<string, string>();

function lowerCaseName(name: string): string {
  let key = LOWER_CASE.get(name);
  if (key === undefined) {
    key = name.toLowerCase();
    if (LOWER_CASE.size < 256) LOWER_CASE.set(name, key);
  }
  return key;
}

/**
 * A query multimap from API Gateway's already decoded maps. The multi-value map holds every
 * value in order; the single map holds only the last value of a repeated key and is used only
 * when the multi map is absent (hand-built events). Empty values (`?flag=`) are kept
 * (honojs/hono PR #5292).
 */
export function decodedQueryMaps(multi: unknown, single: unknown): QueryMap {
  const query = nullObject<string[]>();
  if (isObject(multi) && (hasKeys(multi) || !isObject(single))) {
    for (const key in multi) query[key] = multiValues(multi, key);
  } else if (isObject(single)) {
    for (const key in single) {
      const value = single[key];
      if (typeof value === 'string') query[key] = [value];
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) query[key] = value;
      else throw malformed(`queryStringParameters.${key} is not a string`);
    }
  } else {
    checkAbsent(multi, single);
  }
  return query;
}

/**
 * A decoded query map encoded back into a query string, `encodeURIComponent` on every key and
 * value (hono a2685692/#4372), so that `req.queryString`, and the URL length limit that counts
 * it, mean the same on sources that deliver only maps. A lone surrogate, which
 * `encodeURIComponent` refuses, is sent as U+FFFD.
 */
export function encodedQueryString(query: QueryMap): string {
  let encoded = '';
  for (const key in query) {
    const name = encodeComponent(key);
    for (const value of query[key]!) {
      encoded += `${encoded === '' ? '' : '&'}${name}=${encodeComponent(value)}`;
    }
  }
  return encoded;
}

/**
 * The query string ALB received, rebuilt from its maps. ALB passes keys and values exactly as
 * the client encoded them (`a%2Bb`, literal `+`), so they are joined back undecoded and the core
 * decodes them once, with form semantics and a decoder that never throws on a stray `%`
 * (serverless-http#204, @fastify/aws-lambda and lambda-api throw or double decode). A key or
 * value cannot contain a raw `&`, and the first `=` split them, so the rebuild is lossless.
 */
export function rawQueryFromMaps(multi: unknown, single: unknown): string {
  let query = '';
  if (isObject(multi)) {
    for (const key in multi) {
      for (const value of multiValues(multi, key)) query += query === '' ? `${key}=${value}` : `&${key}=${value}`;
    }
  } else if (isObject(single)) {
    for (const key in single) {
      const value = single[key];
      if (typeof value !== 'string') throw malformed(`queryStringParameters.${key} is not a string`);
      query += query === '' ? `${key}=${value}` : `&${key}=${value}`;
    }
  } else {
    checkAbsent(multi, single);
  }
  return query;
}

/** The values of one key of a multi-value query map, which must be a list of strings. */
function multiValues(multi: JsonObject, key: string): string[] {
  const values = multi[key];
  if (!Array.isArray(values)) throw malformed(`multiValueQueryStringParameters.${key} is not an array`);
  for (const value of values) {
    if (typeof value !== 'string') throw malformed(`multiValueQueryStringParameters.${key} holds a non-string`);
  }
  return values as string[];
}

/** Query maps that are neither objects must be absent (undefined or null). */
function checkAbsent(multi: unknown, single: unknown): void {
  if ((multi !== undefined && multi !== null) || (single !== undefined && single !== null)) {
    throw malformed('the query parameters are not an object');
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function encodeComponent(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'));
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * The request body as bytes. Base64 is decoded straight to bytes, never through a UTF-8 string
 * (lambda-api and Powertools `createBody` corrupt binary uploads that way). The limit applies to
 * the decoded bytes and is checked before decoding, from the base64 length, so an oversized body
 * costs nothing; a body that is not valid base64 makes the event malformed instead of being
 * silently truncated by Node's lenient decoder.
 */
export function eventBody(body: unknown, isBase64Encoded: unknown, limit: number): Buffer {
  if (body === undefined || body === null || body === '') return EMPTY;
  if (typeof body !== 'string') throw malformed('body is not a string');
  if (isBase64Encoded === true) {
    const size = base64DecodedLength(body);
    if (size > limit) throw bodyTooLarge(limit);
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length !== size) throw malformed('body is not valid base64');
    return bytes;
  }
  // UTF-8 never takes fewer bytes than UTF-16 code units: a long string is over the limit as is.
  if (body.length > limit) throw bodyTooLarge(limit);
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length > limit) throw bodyTooLarge(limit);
  return bytes;
}

/**
 * The byte length `text` decodes to if it is well-formed base64 (padding optional). Node's
 * decoder skips characters outside the alphabet, so a mismatch with the decoded length reveals
 * a malformed body; -1 for a length no base64 text can have.
 */
export function base64DecodedLength(text: string): number {
  const length = text.length;
  if (length % 4 === 1) return -1;
  let padding = 0;
  if (text.charCodeAt(length - 1) === 61 /* = */) padding = text.charCodeAt(length - 2) === 61 ? 2 : 1;
  if (padding > 0 && length % 4 !== 0) return -1;
  return Math.floor((length * 3) / 4) - padding;
}

/**
 * Re-escapes the path HTTP API hands over already decoded (`rawPath: "/capture/space value"`,
 * live capture) so the core receives an encoded path like every other source: space, non-ASCII,
 * `?`, `#` and a bare `%` become escapes. The path is never re-split on `?` or `#`, which would
 * turn part of it into a query or fragment (middleapi/standard-server PR #93, honojs/hono#2156).
 * What API Gateway decoded cannot be recovered: `%2F` already became `/`.
 */
export function escapeDecodedPath(path: string): string {
  return encodeUrlPath(path);
}

/**
 * A path that arrives encoded (Function URL `rawPath`), with only the characters a URL cannot
 * carry literally escaped: every `%` is kept, so `%zz` stays a 400 `CREST_BAD_URL` as on every
 * other source instead of becoming a literal `%25zz`.
 */
export function escapeEncodedPath(path: string): string {
  return encodeUrlPath(path, true);
}

/**
 * Removes an HTTP API named stage from `rawPath` (`/dev/users` → `/users` for stage `dev`), at a
 * segment boundary only. `$default` is never in the path, and neither is a stage reached through
 * a custom domain (API mappings hide it), so only the execute-api hostname gets stripped: there,
 * a route that happens to start with the stage name stays intact through a custom domain.
 */
export function stripStage(path: string, stage: string | undefined, domainName: string | undefined): string {
  if (stage === undefined || stage === '$default') return path;
  if (domainName !== undefined && !domainName.includes('.execute-api.')) return path;
  return stripPrefix(path, `/${stage}`) ?? path;
}

/** Removes a REST custom-domain base path (`basePath` option) at a segment boundary. */
export function stripBasePath(path: string, basePath: string): string {
  return basePath === '' ? path : (stripPrefix(path, basePath) ?? path);
}

/**
 * REST API (1.0): Cognito user pool claims sit in `authorizer.claims`; a Lambda authorizer's
 * context values sit flat beside `principalId` and `integrationLatency` (coerced to strings by
 * API Gateway).
 */
export function v1Authorizer(raw: unknown): LambdaAuthorizer | undefined {
  if (!isObject(raw)) return undefined;
  const claims = objectOrUndefined(raw.claims);
  return {
    raw,
    claims,
    principalId: typeof raw.principalId === 'string' ? raw.principalId : undefined,
    lambda: claims === undefined ? raw : undefined,
  };
}

/** HTTP API / Function URL (2.0): `authorizer.jwt.{claims,scopes}`, `authorizer.lambda`, `authorizer.iam`. */
export function v2Authorizer(raw: unknown): LambdaAuthorizer | undefined {
  if (!isObject(raw)) return undefined;
  const jwt = objectOrUndefined(raw.jwt);
  const scopes = jwt?.scopes;
  return {
    raw,
    claims: objectOrUndefined(jwt?.claims),
    scopes: Array.isArray(scopes) ? (scopes as string[]) : undefined,
    lambda: objectOrUndefined(raw.lambda),
    iam: objectOrUndefined(raw.iam),
  };
}

/** VPC Lattice: the caller's IAM identity is `requestContext.identity`. */
export function latticeAuthorizer(identity: unknown): LambdaAuthorizer | undefined {
  return isObject(identity) ? { raw: identity, iam: identity } : undefined;
}

function objectOrUndefined(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}
