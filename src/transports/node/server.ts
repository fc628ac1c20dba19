import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AppCore } from '../../core/core';
import { loadHttp } from '../../builtins';
import { bodyTooLarge, CrestError, ErrorCodes, type HttpError } from '../../errors';
import { omitsBody, primeStream } from '../../http/payload';
import { HttpRequest, type HeaderListMap, type HeaderMap } from '../../http/request';
import { HttpResponse } from '../../http/response';
import { isMultipartType } from '../../http/multipart';
import { maxBodyPieces, tooManyPieces } from './body-pieces';
import { readMultipartBody } from './read-multipart';
import { trackConnections } from './connections';
import { bare500, writeResponse, writeStream } from './response-writer';
import { now } from '../../clock';

/** What `@Ctx()` gives on the local server. */
export interface NodeContext {
  source: 'http';
  request: IncomingMessage;
  response: ServerResponse;
}

export interface ServerOptions {
  /** Time to receive the whole request, headers and body (default 30 s). */
  requestTimeout?: number;
  /** Time to receive the request headers (default 10 s): cuts off slowloris clients. */
  headersTimeout?: number;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  keepAliveTimeout?: number;
  /**
   * How long a client may take no byte of an answer before its connection is closed and a
   * streamed answer's source cancelled (default 30 s). It runs only while bytes wait for the
   * client, never while the handler or the stream produces them.
   */
  sendTimeout?: number;
  /** How often the header and request timeouts are checked (default 1 s). */
  connectionsCheckingInterval?: number;
}

/** How the listener answers: whether the server is closing, and the send timeout. */
interface ListenerSettings {
  closing: () => boolean;
  sendTimeout: number;
}

const DEFAULT_SEND_TIMEOUT = 30_000;

/** A node:http request listener serving `app`. */
export function createRequestListener(
  core: AppCore,
  settings: ListenerSettings = { closing: () => false, sendTimeout: DEFAULT_SEND_TIMEOUT },
): (request: IncomingMessage, response: ServerResponse) => void {
  const bodyLimit = core.limits.bodyLimit;
  return (request, response) => {
    const length = request.headers['content-length'];
    if (length === undefined && request.headers['transfer-encoding'] === undefined) {
      const req = nodeToRequest(request, response, undefined);
      core.within(req, serve, core, req, response, settings);
    } else if (length !== undefined && Number(length) > bodyLimit) {
      // An honest Content-Length over the limit: answer without reading a byte of it.
      const req = nodeToRequest(request, response, undefined);
      core.within(req, sendAndClose, core, req, response, bodyTooLarge(bodyLimit), settings);
    } else if (isMultipartType(request.headers['content-type'])) {
      const req = nodeToRequest(request, response, undefined);
      const plan = core.multipartPlan(req);
      if (plan === undefined) readWholeBody(core, request, response, bodyLimit, settings);
      else
        readMultipartBody(request, plan, (error, form) => {
          req.multipart = form;
          if (error !== undefined) {
            // The rest of the body is never read: the connection cannot carry another request.
            response.shouldKeepAlive = false;
            req.multipartError = error;
          }
          core.within(req, serve, core, req, response, settings);
        });
    } else {
      readWholeBody(core, request, response, bodyLimit, settings);
    }
  };
}

function readWholeBody(
  core: AppCore,
  request: IncomingMessage,
  response: ServerResponse,
  bodyLimit: number,
  settings: ListenerSettings,
): void {
  readBody(request, bodyLimit, (error, body) => {
    const req = nodeToRequest(request, response, body);
    if (error === undefined) core.within(req, serve, core, req, response, settings);
    else core.within(req, sendAndClose, core, req, response, error, settings);
  });
}

function nodeToRequest(request: IncomingMessage, response: ServerResponse, body: Buffer | undefined): HttpRequest {
  let url = request.url ?? '/';
  if (url.charCodeAt(0) !== 47 /* / */) url = originForm(url);
  const question = url.indexOf('?');
  const headers = request.headers as HeaderMap;
  // Node keeps a request's set-cookie as an array; crest's request headers are strings.
  if (headers['set-cookie'] !== undefined) headers['set-cookie'] = request.headersDistinct['set-cookie']!.join(', ');
  const raw: NodeContext = { source: 'http', request, response };
  return new HttpRequest({
    method: request.method ?? 'GET',
    rawPath: question === -1 ? url : url.slice(0, question),
    rawQuery: question === -1 ? '' : url.slice(question + 1),
    headers,
    headerLists: nodeHeaderLists,
    body,
    ip: request.socket.remoteAddress ?? '',
    source: 'http',
    raw,
    watchAbort: watchDisconnect,
  });
}

// Module functions that find node's objects through `req.raw`, rather than two closures per request.
function nodeHeaderLists(req: HttpRequest): HeaderListMap {
  return (req.raw as NodeContext).request.headersDistinct as HeaderListMap;
}

/** The client went away before the answer was complete: tell the handler (`req.signal`). */
function watchDisconnect(req: HttpRequest): void {
  const { response } = req.raw as NodeContext;
  const gone = (): void => {
    if (!response.writableFinished) req.abort(new CrestError(ErrorCodes.CLIENT_GONE, 'client disconnected'));
  };
  if (response.destroyed) gone();
  else response.once('close', gone);
}

/** The path of an absolute-form request target (`http://host/p?q` → `/p?q`), RFC 9112 §3.2.2. */
function originForm(target: string): string {
  const scheme = target.indexOf('://');
  if (scheme === -1) return `/${target === '*' ? '' : target}`;
  const slash = target.indexOf('/', scheme + 3);
  const question = target.indexOf('?', scheme + 3);
  if (slash === -1 || (question !== -1 && question < slash))
    return question === -1 ? '/' : `/${target.slice(question)}`;
  return target.slice(slash);
}

/**
 * Reads the body up to `limit` bytes. After the first chunk, chunks are copied into one buffer
 * that grows by doubling: a body sent as a million 1-byte chunks would otherwise keep a million
 * Buffer objects (hundreds of MB) alive for one MB of body.
 */
function readBody(
  request: IncomingMessage,
  limit: number,
  done: (error: HttpError | undefined, body?: Buffer) => void,
): void {
  let first: Buffer | undefined;
  let store: Buffer | undefined;
  let size = 0;
  let pieces = 0;
  const maxPieces = maxBodyPieces(limit);
  let finished = false;
  const finish = (error: HttpError | undefined, body?: Buffer): void => {
    if (finished) return;
    finished = true;
    request.removeListener('data', onData);
    done(error, body);
  };
  const onData = (chunk: Buffer): void => {
    const next = size + chunk.length;
    // Chunked or lying Content-Length: stop at the limit, never buffer the excess.
    if (next > limit || ++pieces > maxPieces) {
      request.pause();
      finish(next > limit ? bodyTooLarge(limit) : tooManyPieces(maxPieces));
      return;
    }
    if (first === undefined && store === undefined) first = chunk;
    else {
      if (store === undefined || next > store.length) store = grow(store ?? first!, size, next, limit);
      chunk.copy(store, size);
      first = undefined;
    }
    size = next;
  };
  request.on('data', onData);
  request.on('end', () => finish(undefined, store === undefined ? first : store.subarray(0, size)));
  request.on('error', () => {
    // The client went away or sent a malformed body; there is nobody to answer.
    finished = true;
  });
}

/** A buffer holding the first `size` bytes of `from`, with room for at least `needed`. */
function grow(from: Buffer, size: number, needed: number, limit: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.min(limit, Math.max(needed, 2 * size, 16 * 1024)));
  from.copy(bigger, 0, 0, size);
  return bigger;
}

function serve(core: AppCore, req: HttpRequest, response: ServerResponse, settings: ListenerSettings): void {
  const started = now();
  const result = core.handle(req);
  if (result instanceof HttpResponse) {
    deliver(core, req, response, result, started, settings);
    return;
  }
  result.then(
    (res) => deliver(core, req, response, res, started, settings),
    // handle never rejects; this is the last line of defence for the process.
    () => bare500(response),
  );
}

function sendAndClose(
  core: AppCore,
  req: HttpRequest,
  response: ServerResponse,
  error: unknown,
  settings: ListenerSettings,
): void {
  response.shouldKeepAlive = false;
  const res = core.fail(req, error);
  res.headers.connection = 'close';
  deliver(core, req, response, res, now(), settings);
}

/** Writes a response; a stream is primed first so that a source failing at once gets a real error answer. */
function deliver(
  core: AppCore,
  req: HttpRequest,
  target: ServerResponse,
  response: HttpResponse,
  started: number,
  settings: ListenerSettings,
): void {
  // Once the server is closing, every answer also closes its connection so close() can finish.
  if (settings.closing()) target.shouldKeepAlive = false;
  if (response.body.kind !== 'stream' || omitsBody(req.method, response)) {
    logOnClose(core, req, target, response, started);
    writeResponse(target, response, req.method, settings.sendTimeout);
    return;
  }
  primeStream(response.body.source).then(
    ({ iterator, first }) => {
      const sending = logOnClose(core, req, target, response, started);
      writeStream(target, response, iterator, first, settings.sendTimeout, sending.failed);
    },
    (error: unknown) => {
      const problem = core.fail(req, error);
      logOnClose(core, req, target, problem, started);
      writeResponse(target, problem, req.method, settings.sendTimeout);
    },
  );
}

/**
 * Logs the request once its connection is done with the answer: finished, or closed before the
 * end (a client gone, a stream failing after its status, a send timeout).
 */
function logOnClose(
  core: AppCore,
  req: HttpRequest,
  target: ServerResponse,
  response: HttpResponse,
  started: number,
): { failed: (error: unknown) => void } {
  if (core.logger === undefined && response.body.kind !== 'stream') {
    // Nothing to log, and no code of the app runs after this point: the 'close' listener (about
    // 1.5 µs a request, bench/ab/compare.js) is not needed to know when the work may be tracked.
    void core.settled(req);
    return NOTHING_TO_REPORT;
  }
  let failure: unknown;
  const closed = (): void => {
    core.responded(req, response, started, target.writableFinished ? undefined : (failure ?? CLIENT_GONE));
    // waitUntil on node:http: the answer is out (or its client gone); the work goes on, and
    // app.shutdown() (run() on SIGTERM) waits for it.
    void core.settled(req);
  };
  if (target.closed) closed();
  else target.once('close', closed);
  return { failed: (error) => (failure = error) };
}

const NOTHING_TO_REPORT = { failed: (): void => {} };

// The same code as `req.signal`'s reason when the client goes away (watchDisconnect).
const CLIENT_GONE = new CrestError(ErrorCodes.CLIENT_GONE, 'the connection closed before the answer was complete');

/** Starts a node:http server for `app`; resolves once it listens. */
export function listen(core: AppCore, port = 0, host?: string, options: ServerOptions = {}): Promise<Server> {
  let closing = false;
  // Loaded on first listen: a Lambda cold start never pays for node:http.
  const { createServer } = loadHttp();
  const listener = createRequestListener(core, {
    closing: () => closing,
    sendTimeout: options.sendTimeout ?? DEFAULT_SEND_TIMEOUT,
  });
  const server = createServer(
    {
      requestTimeout: options.requestTimeout ?? 30_000,
      headersTimeout: options.headersTimeout ?? 10_000,
      keepAliveTimeout: options.keepAliveTimeout ?? 5_000,
      // Node checks timeouts every 30 s by default: far too coarse to stop slowloris clients.
      connectionsCheckingInterval: options.connectionsCheckingInterval ?? 1_000,
      // A repeated field arrives joined with `, ` as API Gateway and ALB multi-value mode hand it
      // over, not Node's first-wins for Content-Type, Authorization, Host…: the app sees the same
      // value on every transport, and a repeated Content-Type is refused everywhere.
      joinDuplicateHeaders: true,
    },
    (request, response) => {
      connections.serving(request, response);
      listener(request, response);
    },
  );
  const connections = trackConnections(server);
  // node drops every header past the 2,000th without a word, Content-Length and Transfer-Encoding
  // included (the body is then ignored), while Lambda keeps them all. The 16 KB header size
  // limit (--max-http-header-size) already bounds the count.
  server.maxHeadersCount = 0;
  // RFC 9110 §10.1.1: a server that will refuse the body answers at once instead of inviting it
  // with 100 Continue, which node otherwise sends before the request listener runs.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const length = request.headers['content-length'];
    if (length === undefined || Number(length) <= core.limits.bodyLimit) response.writeContinue();
    connections.serving(request, response);
    listener(request, response);
  });
  // close(): stop accepting, close connections without a request in flight now, and the others
  // after their answer.
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    closing = true;
    close(callback);
    connections.closeUnserved();
    return server;
  };
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}
