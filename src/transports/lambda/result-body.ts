import { JSON_TYPE } from '../../http/protocol';
import { isUtf8 } from 'node:buffer';
import { omitsBody, payloadBytes } from '../../http/payload';
import type { HttpResponse } from '../../http/response';

/** A result's `body` and `isBase64Encoded`. */
export interface ResultBody {
  body: string;
  isBase64Encoded: boolean;
}

const NO_BODY: ResultBody = Object.freeze({ body: '', isBase64Encoded: false });

const TEXTUAL_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  // Line-delimited JSON (streamed exports) and YAML: text a client reads as it comes, which
  // base64 would make a third larger (RFC 7464 json-seq; ndjson.org; RFC 9512 YAML).
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/json-seq',
  'application/yaml',
  'application/x-yaml',
]);

/**
 * Whether a media type is text that survives the trip through a JSON string: `text/*`,
 * JSON, XML (`+json` and `+xml` suffixes included, so `application/problem+json` and
 * `image/svg+xml`), NDJSON and YAML, JavaScript and forms. `text/event-stream` and `text/markdown` are text too
 * (Hono's regex calls them binary).
 */
export function isTextualType(contentType: string | string[] | undefined): boolean {
  if (contentType === undefined) return false;
  // Hot path: what HttpResponse.json sets.
  if (contentType === JSON_TYPE) return true;
  let type = typeof contentType === 'string' ? contentType : (contentType[0] ?? '');
  const semicolon = type.indexOf(';');
  type = (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase();
  return type.startsWith('text/') || type.endsWith('+json') || type.endsWith('+xml') || TEXTUAL_TYPES.has(type);
}

/**
 * The body of a buffered result (a stream must have been collected into bytes before). HEAD,
 * 1xx, 204 and 304 get `""` and never the payload (DataBiosphere/azul#6514: a HEAD kept its body
 * and hit the size limit). The body is base64 when it is compressed (any `content-encoding` but
 * `identity`: Hono b93a2547, @fastify/aws-lambda PR #118) or its type is not textual; a textual
 * type over bytes that are not valid UTF-8 (a latin-1 charset) is base64 too, so bytes never pass
 * through a lossy UTF-8 string.
 */
export function responseToResultBody(response: HttpResponse, method: string): ResultBody {
  if (omitsBody(method, response)) return NO_BODY;
  const payload = response.payload();
  if (payload === undefined) return NO_BODY;
  const encoding = response.headers['content-encoding'];
  const compressed = encoding !== undefined && encoding !== 'identity' && encoding !== '';
  if (!compressed) {
    const type = response.headers['content-type'];
    // A string body without a content type was produced as text; bytes without one are binary.
    if (typeof payload === 'string' && (type === undefined || isTextualType(type))) {
      return { body: payload, isBase64Encoded: false };
    }
    if (typeof payload !== 'string' && isTextualType(type) && isUtf8(payload)) {
      return { body: payloadBytes(response).toString('utf8'), isBase64Encoded: false };
    }
  }
  return { body: payloadBytes(response).toString('base64'), isBase64Encoded: true };
}
