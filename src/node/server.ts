import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { App } from '../app/app';
import { loadHttp } from '../builtins';
import { bodyTooLarge, HttpError } from '../errors';
import { cancelStream, contentLength, omitsBody, primeStream } from '../http/payload';
import { bareInternalProblem } from '../http/problem';
import { HttpRequest, type HeaderListMap, type HeaderMap } from '../http/request';
import { HttpResponse } from '../http/response';

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
  /** How often the header and request timeouts are checked (default 1 s). */
  connectionsCheckingInterval?: number;
}

/** A node:http request listener serving `app`. */
export function createRequestListener(
  app: App,
  closing: () => boolean = () => false,
): (request: IncomingMessage, response: ServerResponse) => void {
  const bodyLimit = app.limits.bodyLimit;
  return (request, response) => {
    // Once the server is closing, every answer also closes its connection so close() can finish.
    if (closing()) response.shouldKeepAlive = false;
    const length = request.headers['content-length'];
    if (length === undefined && request.headers['transfer-encoding'] === undefined) {
      serve(app, nodeToRequest(request, response, undefined), response, closing);
    } else if (length !== undefined && Number(length) > bodyLimit) {
      // An honest Content-Length over the limit: answer without reading a byte of it.
      sendAndClose(app, nodeToRequest(request, response, undefined), response, bodyTooLarge(bodyLimit));
    } else {
      readBody(request, bodyLimit, (error, body) => {
        const req = nodeToRequest(request, response, body);
        if (error === undefined) serve(app, req, response, closing);
        else sendAndClose(app, req, response, error);
      });
    }
  };
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
    if (!response.writableFinished) req.abort(new Error('client disconnected'));
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

function readBody(
  request: IncomingMessage,
  limit: number,
  done: (error: HttpError | undefined, body?: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: HttpError | undefined, body?: Buffer): void => {
    if (finished) return;
    finished = true;
    request.removeListener('data', onData);
    done(error, body);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    // Chunked or lying Content-Length: stop at the limit, never buffer the excess.
    if (size > limit) {
      request.pause();
      finish(bodyTooLarge(limit));
    } else chunks.push(chunk);
  };
  request.on('data', onData);
  request.on('end', () => finish(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
  request.on('error', () => {
    // The client went away or sent a malformed body; there is nobody to answer.
    finished = true;
  });
}

function serve(app: App, req: HttpRequest, response: ServerResponse, closing: () => boolean): void {
  const result = app.dispatch(req);
  if (result instanceof HttpResponse) {
    deliver(app, req, response, result);
    return;
  }
  result.then(
    (res) => {
      if (closing()) response.shouldKeepAlive = false;
      deliver(app, req, response, res);
    },
    // dispatch never rejects; this is the last line of defence for the process.
    () => fallback500(response),
  );
}

function sendAndClose(app: App, req: HttpRequest, response: ServerResponse, error: unknown): void {
  response.shouldKeepAlive = false;
  const res = app.reject(req, error);
  res.headers.connection = 'close';
  deliver(app, req, response, res);
}

/** Writes a response; a stream is primed first so that a source failing at once gets a real error answer. */
function deliver(app: App, req: HttpRequest, target: ServerResponse, response: HttpResponse): void {
  if (response.body.kind !== 'stream' || omitsBody(req.method, response)) {
    writeResponse(target, response, req.method);
    return;
  }
  primeStream(response.body.source).then(
    ({ iterator, first }) => writeStream(target, response, iterator, first),
    (error: unknown) => writeResponse(target, app.errorResponse(error, req), req.method),
  );
}

/**
 * Serializes a buffered {@link HttpResponse} onto a node:http response (a stream is only
 * announced and cancelled, as for HEAD). Never throws.
 */
export function writeResponse(target: ServerResponse, response: HttpResponse, method: string): void {
  if (target.headersSent || target.destroyed) return;
  const length = response.body.kind === 'stream' ? undefined : contentLength(response);
  const headers = outgoingHeaders(response, length);
  try {
    target.writeHead(response.status, headers);
  } catch {
    // A header node refuses despite HttpResponse's checks: a bare 500 rather than a crash.
    fallback500(target);
    return;
  }
  if (response.body.kind === 'stream') cancelStream(response.body.source[Symbol.asyncIterator]());
  const payload = response.payload();
  if (payload === undefined || omitsBody(method, response)) target.end();
  else target.end(payload);
}

/** The header object node writes: the response's own headers are never modified. */
function outgoingHeaders(response: HttpResponse, length: number | undefined): (string | number)[] {
  // Hot path: node's flat [name, value, …] form filled straight from the response, instead of a
  // spread copy of the prototype-less header map (crest's costliest line on a GET).
  const headers: (string | number)[] = [];
  const source = response.headers;
  for (const name in source) {
    const value = source[name]!;
    if (typeof value === 'string') headers.push(name, value);
    else for (const item of value) headers.push(name, item);
  }
  for (const cookie of response.cookies) headers.push('set-cookie', cookie);
  if (length !== undefined) headers.push('content-length', length);
  return headers;
}

function fallback500(target: ServerResponse): void {
  if (target.headersSent || target.destroyed) {
    target.destroy();
    return;
  }
  const body = bareInternalProblem();
  target.writeHead(500, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body) });
  target.end(body);
}

function writeStream(
  target: ServerResponse,
  response: HttpResponse,
  iterator: AsyncIterator<Uint8Array | string>,
  first: IteratorResult<Uint8Array | string>,
): void {
  if (target.destroyed) {
    cancelStream(iterator);
    return;
  }
  try {
    target.writeHead(response.status, outgoingHeaders(response, undefined));
  } catch {
    cancelStream(iterator);
    fallback500(target);
    return;
  }
  // Server-sent events and other live streams must reach the client as written.
  target.flushHeaders();
  let closed = false;
  target.once('close', () => {
    if (!target.writableFinished) {
      closed = true;
      cancelStream(iterator);
    }
  });
  const pump = async (): Promise<void> => {
    try {
      for (let step = first; !step.done && !closed; step = await iterator.next()) {
        if (!target.write(step.value)) {
          await new Promise<void>((resolve) => {
            const resume = (): void => {
              target.removeListener('drain', resume);
              target.removeListener('close', resume);
              resolve();
            };
            target.on('drain', resume);
            target.on('close', resume);
          });
        }
      }
      if (!closed) target.end();
    } catch {
      // The status is already sent: all that is left is to cut the response short.
      target.destroy();
    }
  };
  void pump();
}

/** Starts a node:http server for `app`; resolves once it listens. */
export function listen(app: App, port = 0, host?: string, options: ServerOptions = {}): Promise<Server> {
  let closing = false;
  // Loaded on first listen: a Lambda cold start never pays for node:http.
  const { createServer } = loadHttp();
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
    createRequestListener(app, () => closing),
  );
  // close(): stop accepting, drop idle keep-alive sockets now and busy ones after their answer.
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    closing = true;
    close(callback);
    server.closeIdleConnections();
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
