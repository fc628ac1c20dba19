import { ErrorCodes, requestError } from '../../errors';
import { nullObject } from '../../http/null-object';
import type { HeaderListMap, HeaderMap } from '../../http/request';
import { hasKeys, isObject, malformed, optionalObject, type JsonObject } from './event-fields';

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
  const lists = nullObject<string[]>();
  for (const name in map) {
    const value = map[name];
    // Lattice sends a string or an array per header; REST and ALB always arrays.
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values)) throw malformed(`${where}.${name} is not an array`);
    for (let i = 0; i < values.length; i++) {
      if (typeof values[i] !== 'string') throw malformed(`${where}.${name} holds a non-string`);
    }
    const key = lowerCaseName(name);
    const current = lists[key];
    // A client may send `X-A` and `x-a`; REST keeps them apart by case.
    const all = current === undefined ? (values as string[]) : [...current, ...(values as string[])];
    if (all.length === 0) continue;
    lists[key] = all;
    headers[key] = all.length === 1 ? all[0]! : joinValues(key, all);
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
