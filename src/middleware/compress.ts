import type * as NodeZlib from 'node:zlib';
import { loadZlib } from '../builtins';
import { CrestBootError, ErrorCodes } from '../errors';
import { CONTENT_CODINGS, negotiateEncoding, type ContentCoding, type EncodingChoice } from '../http/accept-encoding';
import { isBodylessStatus } from '../http/payload';
import type { HttpResponse, StreamSource } from '../http/response';
import { addVary } from '../http/vary';
import type { Middleware } from './middleware';
import { compressStream } from './compress-stream';
import { isCompressibleType } from './compressible-types';

export interface CompressOptions {
  /** The codings offered, in the server's order of preference (default `['br', 'gzip', 'deflate']`). */
  encodings?: ContentCoding[];
  /** Buffered bodies under this many bytes are sent as they are (default 1024); streams are always compressed. */
  threshold?: number;
  /**
   * Brotli quality, 0–11 (default 4: close to gzip's speed with smaller output; node's default,
   * 11, costs ten times more CPU, right for files compressed once, not for each answer).
   */
  brotliQuality?: number;
  /** Whether a Content-Type is worth compressing (default: all but images, video, audio, archives, WOFF and opaque bytes). */
  compressible?: (contentType: string | string[] | undefined) => boolean;
}

/** How one coding is made, built on first use (node:zlib is loaded then, not at boot). */
interface Coder {
  compressSync(payload: string | Uint8Array): Buffer;
  compress(payload: string | Uint8Array): Promise<Buffer>;
  stream(source: StreamSource): AsyncIterable<Buffer>;
}

// A buffered body this large is compressed on libuv's thread pool, so the event loop serves other
// requests meanwhile; smaller ones are compressed at once (the pool's round trip costs more).
const ASYNC_FROM = 128 * 1024;

/**
 * Compresses responses the client accepts compressed (`Accept-Encoding`, RFC 9110 §12.5.3: br,
 * gzip, deflate, q-values, `identity;q=0`, `*`), with node:zlib. Adds `Vary: Accept-Encoding` to
 * every answer that could have been compressed. Leaves alone: HEAD, 204/304 and other bodiless
 * answers, bodies under `threshold` (unless the client refuses identity), answers already
 * encoded or marked `Cache-Control: no-transform`, partial content, and types that do not
 * compress. Buffered bodies are compressed in one call; streams as they flow, flushed after each
 * chunk so server-sent events and NDJSON still arrive one by one. Content-Length is dropped (the
 * transports count the bytes sent) and a strong ETag becomes weak: the compressed bytes differ,
 * the content does not (RFC 9110 §8.8.1).
 *
 * On Lambda the compressed body is sent base64-encoded, and the 6 MB (ALB: 1 MB) result limit
 * is checked on it, so an answer that only fits compressed is served. Put it before `etag()`:
 * the ETag then names the uncompressed content, and a 304 is answered without compressing.
 *
 * @example createApp({ controllers, middleware: [compress(), etag()] })
 */
export function compress(options: CompressOptions = {}): Middleware {
  const offered = encodingsOption(options.encodings);
  const threshold = wholeNumber('threshold', options.threshold, 1024, Number.MAX_SAFE_INTEGER);
  const brotliQuality = wholeNumber('brotliQuality', options.brotliQuality, 4, 11);
  const compressible = options.compressible ?? isCompressibleType;
  const coders = new Map<ContentCoding, Coder>();
  const coderFor = (coding: ContentCoding): Coder => {
    let coder = coders.get(coding);
    if (coder === undefined) coders.set(coding, (coder = createCoder(loadZlib(), coding, brotliQuality)));
    return coder;
  };
  // Clients send the same few Accept-Encoding values: the last one's answer is kept.
  let lastHeader: string | undefined;
  let lastChoice: EncodingChoice = negotiateEncoding(undefined, offered);
  const choose = (header: string | undefined): EncodingChoice => {
    if (header !== lastHeader) {
      lastChoice = negotiateEncoding(header, offered);
      lastHeader = header;
    }
    return lastChoice;
  };

  return async (ctx, next) => {
    const response = await next();
    if (!varies(response, compressible)) return response;
    addVary(response, 'Accept-Encoding');
    if (ctx.req.method === 'HEAD' || isBodylessStatus(response.status) || response.status === 206) return response;
    const choice = choose(ctx.req.headers['accept-encoding']);
    if (choice.coding === undefined) return response;
    const body = response.body;
    if (body.kind === 'stream') {
      response.body = { kind: 'stream', source: coderFor(choice.coding).stream(body.source) };
    } else {
      let payload: string | Uint8Array | undefined;
      try {
        payload = response.payload();
      } catch {
        // A value JSON cannot write: the app's finalize step answers it with a 500.
        return response;
      }
      if (payload === undefined || (!choice.identityRefused && isSmaller(payload, threshold))) return response;
      const coder = coderFor(choice.coding);
      const bytes = payload.length < ASYNC_FROM ? coder.compressSync(payload) : await coder.compress(payload);
      response.body = { kind: 'bytes', bytes };
    }
    markEncoded(response, choice.coding);
    return response;
  };
}

/**
 * Whether the answer depends on Accept-Encoding: it has (or, a 304, stands for) a body that this
 * middleware may compress. A handler that encoded its body itself chose by the header: its Vary
 * is its own business.
 */
function varies(response: HttpResponse, compressible: (type: string | string[] | undefined) => boolean): boolean {
  const headers = response.headers;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return false;
  if (hasNoTransform(headers['cache-control'])) return false;
  // A 304 carries no Content-Type but must carry the Vary its 200 would have had (RFC 9110 §15.4.5).
  if (response.status === 304) return true;
  if (response.body.kind === 'empty') return false;
  return compressible(headers['content-type']);
}

/** `Cache-Control: no-transform` (RFC 9111 §5.2.2.6): intermediaries, and this middleware, leave the content alone. */
function hasNoTransform(cacheControl: string | string[] | undefined): boolean {
  if (cacheControl === undefined) return false;
  const text = typeof cacheControl === 'string' ? cacheControl : cacheControl.join(',');
  return text.split(',').some((directive) => directive.trim().toLowerCase() === 'no-transform');
}

function markEncoded(response: HttpResponse, coding: ContentCoding): void {
  const headers = response.headers;
  headers['content-encoding'] = coding;
  delete headers['content-length'];
  const etag = headers.etag;
  if (typeof etag === 'string' && etag.startsWith('"')) headers.etag = `W/${etag}`;
}

/** Whether the payload has fewer than `threshold` bytes; a string's UTF-8 bytes are counted only when its length does not tell. */
function isSmaller(payload: string | Uint8Array, threshold: number): boolean {
  if (typeof payload !== 'string') return payload.byteLength < threshold;
  // A UTF-16 unit is 1 to 3 UTF-8 bytes (a surrogate pair, two units, is 4).
  if (payload.length >= threshold) return false;
  if (payload.length * 3 < threshold) return true;
  return Buffer.byteLength(payload, 'utf8') < threshold;
}

function byteSize(payload: string | Uint8Array): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.byteLength;
}

function createCoder(zlib: typeof NodeZlib, coding: ContentCoding, brotliQuality: number): Coder {
  const constants = zlib.constants;
  if (coding === 'br') {
    const options: NodeZlib.BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality } };
    const sized = (payload: string | Uint8Array): NodeZlib.BrotliOptions => ({
      params: { ...options.params, [constants.BROTLI_PARAM_SIZE_HINT]: byteSize(payload) },
    });
    return {
      compressSync: (payload) => zlib.brotliCompressSync(payload, sized(payload)),
      compress: (payload) => callback((done) => zlib.brotliCompress(payload, sized(payload), done)),
      stream: (source) =>
        compressStream(source, () => zlib.createBrotliCompress(options), constants.BROTLI_OPERATION_FLUSH),
    };
  }
  // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2), node's deflate, not deflateRaw.
  const gzip = coding === 'gzip';
  return {
    compressSync: (payload) => (gzip ? zlib.gzipSync(payload) : zlib.deflateSync(payload)),
    compress: (payload) => callback((done) => (gzip ? zlib.gzip(payload, done) : zlib.deflate(payload, done))),
    stream: (source) =>
      compressStream(source, () => (gzip ? zlib.createGzip() : zlib.createDeflate()), constants.Z_SYNC_FLUSH),
  };
}

function callback(start: (done: (error: Error | null, result: Buffer) => void) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => start((error, result) => (error ? reject(error) : resolve(result))));
}

function encodingsOption(encodings: ContentCoding[] | undefined): readonly ContentCoding[] {
  if (encodings === undefined) return CONTENT_CODINGS;
  const valid =
    Array.isArray(encodings) &&
    encodings.length > 0 &&
    new Set(encodings).size === encodings.length &&
    encodings.every((coding) => CONTENT_CODINGS.includes(coding));
  if (!valid) {
    throw new CrestBootError(
      ErrorCodes.INVALID_OPTION,
      `compress: encodings must list some of ${CONTENT_CODINGS.join(', ')}, each once; got ${JSON.stringify(encodings)}.`,
    );
  }
  return [...encodings];
}

function wholeNumber(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new CrestBootError(
      ErrorCodes.INVALID_OPTION,
      `compress: ${name} must be a whole number from 0 to ${max}, got ${String(value)}.`,
    );
  }
  return value;
}
