import { nullObject } from '../../http/null-object';
import type { QueryMap } from '../../http/query';
import { hasKeys, isObject, malformed, type JsonObject } from './event-fields';

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
