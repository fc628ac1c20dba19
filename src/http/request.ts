import { parse as parseCookieHeader } from 'cookie';
import { loadCrypto } from '../builtins';
import { ErrorCodes, requestError, type HttpError } from '../errors';
import { hasListSeparator } from './header-syntax';
import { isMultipartType, type MultipartForm } from './multipart';
import { parseJsonBody } from './json-body';
import { decodeComponent, parseQuery, type QueryMap } from './query';

let randomUUID: (() => string) | undefined;

/** A fresh UUID; node:crypto is required on first use, not at import (a Lambda request never needs it). */
export function newRequestId(): string {
  randomUUID ??= loadCrypto().randomUUID;
  return randomUUID();
}

/** Which transport a request arrived on. */
export type RequestSource =
  'http' | 'inject' | 'apigw-v1' | 'apigw-v2' | 'function-url' | 'alb' | 'lattice' | 'lattice-v1';

/** Request headers: lower-case names, repeated values combined (`, `; `; ` for cookie). */
export type HeaderMap = Record<string, string>;
/** Request headers with every value kept separately. */
export type HeaderListMap = Record<string, string[]>;

/** What a transport hands the core to build an {@link HttpRequest}. */
export interface HttpRequestInit {
  method: string;
  /** The path as sent, percent-encoded, without the query string. */
  rawPath: string;
  /** The query string as sent, without `?`. Ignored when `query` is given. */
  rawQuery?: string;
  /** An already decoded query multimap (Lambda sources that only deliver maps). */
  query?: QueryMap;
  headers: HeaderMap;
  /**
   * The values of repeated headers separately (a name missing here has the one value in
   * `headers`); computed lazily when given as a function.
   */
  headerLists?: HeaderListMap | ((request: HttpRequest) => HeaderListMap);
  body?: Buffer;
  ip?: string;
  requestId?: string;
  source: RequestSource;
  /** The transport's own objects, what `@Ctx()` injects. */
  raw?: unknown;
  /** When the platform will kill the invocation (epoch ms): Lambda's deadline. */
  deadline?: number;
  /**
   * Called once, when `signal` is first read: a transport starts watching for the client going
   * away only for handlers that listen (a listener per request costs every request).
   */
  watchAbort?: (request: HttpRequest) => void;
}

const EMPTY_BODY = Buffer.alloc(0);
const UNSET = Symbol('unset');

/** Time kept back from the platform's deadline to send an answer (a 504, a stream's error trailers). */
const DEADLINE_MARGIN = 250;

/**
 * The transport-neutral request every handler and middleware sees. Anything costly (query,
 * cookies, decoded path, parsed body) is computed on first use.
 */
export class HttpRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly headers: HeaderMap;
  readonly body: Buffer;
  readonly ip: string;
  readonly source: RequestSource;
  readonly raw: unknown;
  /** When the platform will stop the request (epoch ms), if it will: Lambda's deadline. */
  readonly deadline: number | undefined;
  /** Route parameters, filled in by the router. */
  params: Record<string, string> = EMPTY_PARAMS;
  /**
   * The parsed multipart/form-data body of a route that reads forms (`@UploadedFile`, `@Body`):
   * node:http parses it from the socket, and then leaves `body` empty; the other transports parse
   * `body` before the route's parameters are resolved.
   */
  multipart: MultipartForm | undefined;
  /**
   * What broke a multipart body node:http parsed as it arrived (a limit, a malformed part): the
   * route answers it, through the app's middleware, as the other transports answer the same body.
   */
  multipartError: HttpError | undefined;

  /** Milliseconds the request may still use before its deadline, less the time an answer needs. */
  timeLeft(): number | undefined {
    return this.deadline === undefined ? undefined : this.deadline - Date.now() - DEADLINE_MARGIN;
  }

  private readonly rawQuery: string;
  private queryCache: QueryMap | undefined;
  private headerListsCache: HeaderListMap | ((request: HttpRequest) => HeaderListMap) | undefined;
  private pathCache: string | undefined;
  private cookiesCache: Record<string, string> | undefined;
  private requestIdCache: string | undefined;
  private jsonCache: unknown = UNSET;
  private rawCookiesCache: Record<string, string> | undefined;
  private abortController: AbortController | undefined;
  private abortReason: unknown;
  private stateCache: Record<string, unknown> | undefined;
  private pendingWork: Array<Promise<unknown>> | undefined;
  private readonly watchAbort: ((request: HttpRequest) => void) | undefined;

  constructor(init: HttpRequestInit) {
    this.method = init.method;
    this.rawPath = init.rawPath;
    this.rawQuery = init.rawQuery ?? '';
    this.queryCache = init.query;
    this.headers = init.headers;
    this.headerListsCache = init.headerLists;
    this.body = init.body ?? EMPTY_BODY;
    this.ip = init.ip ?? '';
    this.requestIdCache = init.requestId;
    this.source = init.source;
    this.raw = init.raw;
    this.deadline = init.deadline;
    this.watchAbort = init.watchAbort;
  }

  /** The query string as sent, without `?` (empty when the transport gave a decoded map). */
  get queryString(): string {
    return this.rawQuery;
  }

  /**
   * Aborted when the client goes away or the handler times out: hand it to fetch, database
   * drivers and streams so abandoned work stops.
   */
  get signal(): AbortSignal {
    if (this.abortController === undefined) {
      this.abortController = new AbortController();
      if (this.abortReason !== undefined) this.abortController.abort(this.abortReason);
      else this.watchAbort?.(this);
    }
    return this.abortController.signal;
  }

  /** For transports and the core: the request is abandoned (client gone, timeout). */
  abort(reason: unknown): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.abortController?.abort(reason);
  }

  /**
   * Free space for middleware to hand data to later middleware and handlers (`ctx.state` is this
   * object; `@State('user')` reads a key of it).
   */
  get state(): Record<string, unknown> {
    return (this.stateCache ??= {});
  }

  /**
   * Work that must finish although the answer does not wait for it (an audit write, a metric).
   * When it runs relative to the answer depends on the transport (README, "Work after the
   * response"); its failure is logged with the request id and never changes the answer.
   */
  waitUntil(work: PromiseLike<unknown>): void {
    const promise = Promise.resolve(work);
    // Handled here, reported by the core when the request settles: never an unhandled rejection.
    promise.catch(ignore);
    (this.pendingWork ??= []).push(promise);
  }

  /** For the core: the work registered since the last call (none: undefined). */
  takePendingWork(): Array<Promise<unknown>> | undefined {
    const work = this.pendingWork;
    this.pendingWork = undefined;
    return work;
  }

  /** The decoded path (`/files/a b`); `rawPath` keeps the encoded form. */
  get path(): string {
    return (this.pathCache ??= decodeComponent(this.rawPath));
  }

  /**
   * The query as a multimap: `?tag=a&tag=b` → `{ tag: ['a', 'b'] }`, decoded as URLSearchParams
   * decodes it (a malformed escape such as `%zz` stays literal) on every transport.
   */
  get query(): QueryMap {
    return (this.queryCache ??= parseQuery(this.rawQuery));
  }

  /** The request id: the transport's own (Lambda), `x-request-id`, or a fresh UUID. */
  get requestId(): string {
    return (this.requestIdCache ??= this.headers['x-request-id'] || newRequestId());
  }

  /** Cookies from the `Cookie` header(s), values percent-decoded where valid. */
  get cookies(): Record<string, string> {
    if (this.cookiesCache === undefined) {
      const header = this.headers.cookie;
      this.cookiesCache = header
        ? (parseCookieHeader(header) as Record<string, string>)
        : (Object.create(null) as Record<string, string>);
    }
    return this.cookiesCache;
  }

  /** Cookie values exactly as sent, not percent-decoded. */
  get rawCookies(): Record<string, string> {
    if (this.rawCookiesCache === undefined) {
      const header = this.headers.cookie;
      this.rawCookiesCache = header
        ? (parseCookieHeader(header, { decode: (value) => value }) as Record<string, string>)
        : (Object.create(null) as Record<string, string>);
    }
    return this.rawCookiesCache;
  }

  /** Every value of a header, in order (`[]` when absent). */
  headerValues(name: string): string[] {
    let lists = this.headerListsCache;
    if (typeof lists === 'function') lists = this.headerListsCache = lists(this);
    const key = name.toLowerCase();
    // Transports list only the names that hold more than one value.
    const list = lists?.[key];
    if (list !== undefined) return list;
    const value = this.headers[key];
    return value === undefined ? [] : [value];
  }

  /**
   * The media type of the body, lower-case, without parameters (`application/json`). More than one
   * Content-Type is a 400: RFC 9110 §5.3 forbids repeating a field that is not a list, and no
   * choice of one would hold everywhere (ALB single-value mode keeps the last). Every transport
   * joins a repeated field with a comma (HTTP API `a,b`, the others `a, b`), so the comma tells.
   */
  get contentType(): string {
    const header = this.headers['content-type'];
    if (header === undefined) return '';
    if (hasListSeparator(header)) {
      throw requestError(ErrorCodes.BAD_HEADER, 'The request has more than one Content-Type.');
    }
    const semicolon = header.indexOf(';');
    return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  }

  /**
   * The body as UTF-8 text. Like the Fetch API's `text()`, bytes that are not UTF-8 become
   * U+FFFD; read `body` where they must be refused.
   */
  text(): string {
    return this.body.toString('utf8');
  }

  /**
   * The body parsed as JSON, safe against prototype poisoning (`__proto__` and
   * `constructor.prototype` keys are refused). Invalid JSON, bytes that are not UTF-8 and
   * nesting deeper than 512 levels are a 400 (`CREST_INVALID_JSON`).
   */
  json<T = unknown>(): T {
    if (this.jsonCache === UNSET) this.jsonCache = parseJsonBody(this.body);
    return this.jsonCache as T;
  }

  /**
   * The body parsed as `application/x-www-form-urlencoded` (bytes that are not UTF-8 become U+FFFD,
   * as in `text()`). A multipart/form-data body is a 415: read it with `@UploadedFile` / `@Body`.
   */
  form(): QueryMap {
    if (isMultipartType(this.headers['content-type'])) {
      throw requestError(
        ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
        'The body is multipart/form-data; read it with @UploadedFile() or @Body().',
      );
    }
    return parseQuery(this.text());
  }
}

function ignore(): void {}

const EMPTY_PARAMS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);
