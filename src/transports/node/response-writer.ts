import type { ServerResponse } from 'node:http';
import { cancelStream, contentLength, omitsBody } from '../../http/payload';
import { bareInternalProblem } from '../../http/problem';
import type { HttpResponse } from '../../http/response';

// A buffered body larger than this goes out in pieces of this size, so that the send timeout
// sees a slow client's progress: node reports one big write only once it has all been sent.
const PIECE = 64 * 1024;

/**
 * Serializes a buffered {@link HttpResponse} onto a node:http response (a stream is only
 * announced and cancelled, as for HEAD). A client that takes no byte for `sendTimeout` ms
 * loses its connection. Never throws.
 */
export function writeResponse(
  target: ServerResponse,
  response: HttpResponse,
  method: string,
  sendTimeout: number,
): void {
  if (target.headersSent || target.destroyed) return;
  const length = response.body.kind === 'stream' ? undefined : contentLength(response);
  const headers = outgoingHeaders(response, length);
  try {
    target.writeHead(response.status, headers);
  } catch {
    // A header node refuses despite HttpResponse's checks: a bare 500 rather than a crash.
    bare500(target);
    return;
  }
  if (response.body.kind === 'stream') cancelStream(response.body.source[Symbol.asyncIterator]());
  const payload = response.payload();
  if (payload === undefined || omitsBody(method, response)) target.end();
  else if (payload.length <= PIECE) target.end(payload);
  else {
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    void writePieces(target, bytes, sendTimeout);
    return;
  }
  finishWithin(target, sendTimeout);
}

async function writePieces(target: ServerResponse, bytes: Uint8Array, sendTimeout: number): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength; offset += PIECE) {
    if (target.destroyed) return;
    if (!target.write(bytes.subarray(offset, offset + PIECE))) await drained(target, sendTimeout);
  }
  target.end();
  finishWithin(target, sendTimeout);
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

export function bare500(target: ServerResponse): void {
  if (target.headersSent || target.destroyed) {
    target.destroy();
    return;
  }
  const body = bareInternalProblem();
  target.writeHead(500, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body) });
  target.end(body);
}

/**
 * Streams `iterator` (whose first step is already pulled) with backpressure. The source is
 * cancelled when the client goes away, or takes no byte for `sendTimeout` ms.
 */
export function writeStream(
  target: ServerResponse,
  response: HttpResponse,
  iterator: AsyncIterator<Uint8Array | string>,
  first: IteratorResult<Uint8Array | string>,
  sendTimeout: number,
  failed: (error: unknown) => void,
): void {
  if (target.destroyed) {
    cancelStream(iterator);
    return;
  }
  try {
    target.writeHead(response.status, outgoingHeaders(response, undefined));
  } catch {
    cancelStream(iterator);
    bare500(target);
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
        if (!target.write(step.value)) await drained(target, sendTimeout);
      }
      if (!closed) {
        target.end();
        finishWithin(target, sendTimeout);
      }
    } catch (error) {
      // The status is already sent: all that is left is to cut the response short.
      failed(error);
      target.destroy();
    }
  };
  void pump();
}

/**
 * Resolves when the client has taken the queued bytes ('drain') or the connection is gone. The
 * send timeout runs only here, while bytes wait for the client, never while the handler or a
 * slow source produces them (nginx's `send_timeout`): a client that stops reading loses its
 * connection, which cancels the source and aborts `req.signal`.
 */
function drained(target: ServerResponse, sendTimeout: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => target.destroy(), sendTimeout);
    const done = (): void => {
      clearTimeout(timer);
      target.removeListener('drain', done);
      target.removeListener('close', done);
      resolve();
    };
    target.on('drain', done);
    target.on('close', done);
  });
}

/** After `end()`: bytes a client leaves unread for `sendTimeout` ms are dropped with its connection. */
function finishWithin(target: ServerResponse, sendTimeout: number): void {
  // The usual case: the socket took everything, no timer needed. Neither for an answer queued
  // behind another on a pipelined connection (no socket yet): the one ahead of it carries the
  // timer, and a queued answer over PIECE waits for 'drain' under the timeout anyway.
  const socket = target.socket;
  if (socket === null || socket.writableLength === 0) return;
  const timer = setTimeout(() => target.destroy(), sendTimeout);
  // 'close' follows 'finish' too, and comes when the connection drops.
  target.once('close', () => clearTimeout(timer));
}
