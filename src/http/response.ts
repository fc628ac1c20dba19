import { CrestUsageError, ErrorCodes } from '../errors';
import { isToken } from './header-syntax';
import { nullObject } from './null-object';
import { serialize as serializeCookie, type SerializeOptions } from 'cookie';
import { JSON_TYPE } from './protocol';

/** Writes a JSON body's value as text; `undefined` where `JSON.stringify` would give it. */
export type JsonSerializer = (value: unknown) => string | undefined;

/** A response header value as users may give it; numbers are turned into strings. */
export type HeaderValue = string | number | readonly string[];
/** Response headers: lower-case names; a repeated header is an array. */
export type ResponseHeaders = Record<string, string | string[]>;
/** What `HttpResponse.stream` accepts: a Node Readable, a web ReadableStream, any async iterable. */
export type StreamSource = AsyncIterable<Uint8Array | string>;
export type CookieOptions = SerializeOptions;

export interface ResponseInit {
  status?: number;
  headers?: Record<string, HeaderValue>;
  /** Complete `Set-Cookie` strings. */
  cookies?: string[];
}

export type ResponseBody =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  /** `serialize`: the compiled serializer of the route's `@ResponseSchema`, else `JSON.stringify`. */
  | { kind: 'json'; value: unknown; serialize?: JsonSerializer }
  | { kind: 'stream'; source: StreamSource };

const EMPTY: ResponseBody = Object.freeze({ kind: 'empty' });
// Node's own rule (RFC 9110 field-value): checked here so every transport refuses the same
// values, at the handler's call site.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const BINARY_TYPE = 'application/octet-stream';

/**
 * The one response object: every transport serializes it, once, at its edge.
 *
 * @example return HttpResponse.json({ id }, { status: 201, headers: { location: `/users/${id}` } });
 */
export class HttpResponse {
  status: number;
  readonly headers: ResponseHeaders;
  readonly cookies: string[];
  /** The error this response was made from, for loggers and middleware; never serialized. */
  error?: unknown;
  private payloadCache: string | Uint8Array | undefined;
  private currentBody: ResponseBody;

  constructor(body: ResponseBody = EMPTY, init: ResponseInit = {}, contentType?: string) {
    this.status = init.status ?? 200;
    // Final responses only: a 1xx would leave the client waiting; 600+ is a 502 on AWS.
    if (!Number.isInteger(this.status) || this.status < 200 || this.status > 599) {
      throw new CrestUsageError(ErrorCodes.INVALID_STATUS, `Invalid HTTP status ${String(init.status)}: use 200-599`);
    }
    this.currentBody = body;
    this.headers = nullObject<string | string[]>();
    this.cookies = init.cookies ? [...init.cookies] : [];
    if (contentType !== undefined) this.headers['content-type'] = contentType;
    if (init.headers) for (const name of Object.keys(init.headers)) this.header(name, init.headers[name]!);
  }

  get body(): ResponseBody {
    return this.currentBody;
  }

  /** Replaces the body (middleware compressing it, a transport collecting a stream); the serialized payload is made anew. */
  set body(body: ResponseBody) {
    this.currentBody = body;
    this.payloadCache = undefined;
  }

  static json(value: unknown, init?: ResponseInit): HttpResponse {
    return new HttpResponse({ kind: 'json', value, serialize: undefined }, init, JSON_TYPE);
  }

  static text(text: string, init?: ResponseInit): HttpResponse {
    return new HttpResponse({ kind: 'text', text }, init, TEXT_TYPE);
  }

  static binary(bytes: Uint8Array, init?: ResponseInit): HttpResponse {
    return new HttpResponse({ kind: 'bytes', bytes }, init, BINARY_TYPE);
  }

  /** Streams `source` as it produces chunks (chunked locally, Lambda response streaming). */
  static stream(source: StreamSource, init?: ResponseInit): HttpResponse {
    return new HttpResponse({ kind: 'stream', source }, init, BINARY_TYPE);
  }

  /** A redirect, 302 unless `init.status` says otherwise. */
  static redirect(location: string, init: ResponseInit = {}): HttpResponse {
    const response = new HttpResponse(EMPTY, { ...init, status: init.status ?? 302 });
    return response.header('location', location);
  }

  /** No body, 204 unless `init.status` says otherwise. */
  static empty(init: ResponseInit = {}): HttpResponse {
    return new HttpResponse(EMPTY, { ...init, status: init.status ?? 204 });
  }

  /**
   * Sets a header, replacing any previous value. `set-cookie` is appended to `cookies`.
   * Throws on a name or value that would break the response (CR/LF injection).
   */
  header(name: string, value: HeaderValue): this {
    const key = name.toLowerCase();
    if (key === 'set-cookie') {
      for (const cookie of typeof value === 'object' ? value : [String(value)])
        this.cookies.push(checkValue(name, cookie));
      return this;
    }
    if (!isToken(name))
      throw new CrestUsageError(ErrorCodes.INVALID_HEADER, `Invalid header name ${JSON.stringify(name)}`);
    this.headers[key] =
      typeof value === 'object' ? value.map((v) => checkValue(name, v)) : checkValue(name, String(value));
    return this;
  }

  /** Adds a value to a header, keeping the ones already set. */
  appendHeader(name: string, value: string): this {
    const key = name.toLowerCase();
    const current = this.headers[key];
    if (current === undefined || key === 'set-cookie') return this.header(name, value);
    this.headers[key] = [...(typeof current === 'string' ? [current] : current), checkValue(name, value)];
    return this;
  }

  /** Appends a `Set-Cookie`; name, value and attributes are checked by the `cookie` package. */
  cookie(name: string, value: string, options?: CookieOptions): this {
    this.cookies.push(checkValue('set-cookie', serializeCookie(name, value, options)));
    return this;
  }

  /**
   * The serialized body for buffered transports: JSON stringified once and cached.
   * `undefined` for an empty body or a stream.
   */
  payload(): string | Uint8Array | undefined {
    if (this.payloadCache !== undefined) return this.payloadCache;
    const body = this.body;
    switch (body.kind) {
      case 'json': {
        const text = body.serialize === undefined ? JSON.stringify(body.value) : body.serialize(body.value);
        return (this.payloadCache = text ?? 'null');
      }
      case 'text':
        return body.text;
      case 'bytes':
        return body.bytes;
      default:
        return undefined;
    }
  }
}

function checkValue(name: string, value: string): string {
  if (INVALID_HEADER_VALUE.test(value)) {
    throw new CrestUsageError(ErrorCodes.INVALID_HEADER, `Invalid value for header ${JSON.stringify(name)}`);
  }
  return value;
}
