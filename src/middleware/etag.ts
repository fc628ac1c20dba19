import { loadCrypto } from '../builtins';
import { ifNoneMatchMatches, isUnmodifiedSince } from '../http/conditional';
import { cancelStream } from '../http/payload';
import type { HttpResponse } from '../http/response';
import type { Middleware } from './middleware';

/** The headers a 304 keeps from the 200 it stands for (RFC 9110 §15.4.5); Set-Cookie is kept too. */
const KEPT_BY_304 = new Set(['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary']);

/**
 * Conditional GET: gives buffered 200 answers to GET and HEAD a weak ETag hashed from the body
 * (a handler's own ETag is kept), and answers `If-None-Match` (a list, `*`, weak comparison,
 * RFC 9110 §13.1.2) or, without it, `If-Modified-Since` against a handler's Last-Modified
 * (§13.1.3) with a 304: no body, and only the ETag, Cache-Control, Content-Location, Date,
 * Expires and Vary headers (and Last-Modified when there is no ETag), plus any cookies. Streamed
 * bodies get no ETag (hashing needs the whole body); one a handler tagged is still answered
 * with a 304, its source cancelled.
 *
 * The hash is SHA-1 from node:crypto (loaded on first use): native code at about a gigabyte a
 * second, faster than a JavaScript FNV or murmur loop over the same bytes, and long enough that
 * two versions of an answer never share a tag (a 32-bit hash would, one time in four billion,
 * send a stale 304). It is not a security boundary; the tag is weak because the body's bytes may
 * be compressed afterwards.
 *
 * With `compress()`, list `compress()` first (outside): the ETag then names the uncompressed
 * content, the same for every coding (weak tags allow that, RFC 9110 §8.8.1), `Vary:
 * Accept-Encoding` tells caches the bytes differ, and a 304 costs no compression.
 *
 * @example createApp({ controllers, middleware: [compress(), etag()] })
 */
export function etag(): Middleware {
  let digest: ((body: string | Uint8Array) => string) | undefined;
  return async (ctx, next) => {
    const response = await next();
    const method = ctx.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || response.status !== 200) return response;
    let tag = response.headers.etag;
    if (tag === undefined && response.body.kind !== 'stream') {
      let payload: string | Uint8Array | undefined;
      try {
        payload = response.payload();
      } catch {
        // A value JSON cannot write: the app's finalize step answers it with a 500.
        return response;
      }
      if (payload === undefined) return response;
      digest ??= createDigest();
      tag = `W/"${digest(payload)}"`;
      response.headers.etag = tag;
    }
    const headers = ctx.req.headers;
    const ifNoneMatch = headers['if-none-match'];
    const notModified =
      ifNoneMatch !== undefined
        ? typeof tag === 'string' && ifNoneMatchMatches(ifNoneMatch, tag)
        : isUnchanged(response, headers['if-modified-since']);
    if (notModified) toNotModified(response);
    return response;
  };
}

function isUnchanged(response: HttpResponse, ifModifiedSince: string | undefined): boolean {
  const lastModified = response.headers['last-modified'];
  return (
    ifModifiedSince !== undefined &&
    typeof lastModified === 'string' &&
    isUnmodifiedSince(lastModified, ifModifiedSince)
  );
}

/** Turns a 200 into the 304 that stands for it, in place, so outer middleware still see it. */
function toNotModified(response: HttpResponse): void {
  if (response.body.kind === 'stream') cancelStream(response.body.source[Symbol.asyncIterator]());
  response.status = 304;
  response.body = { kind: 'empty' };
  const headers = response.headers;
  const tagged = headers.etag !== undefined;
  for (const name of Object.keys(headers)) {
    if (!KEPT_BY_304.has(name) && (tagged || name !== 'last-modified')) delete headers[name];
  }
}

/** SHA-1 of the body (strings as UTF-8), base64url. */
function createDigest(): (body: string | Uint8Array) => string {
  const crypto = loadCrypto();
  // crypto.hash (Node 20.12+) hashes in one call, without a Hash object per request.
  return typeof crypto.hash === 'function'
    ? (body) => crypto.hash('sha1', body, 'base64url')
    : (body) => crypto.createHash('sha1').update(body).digest('base64url');
}
