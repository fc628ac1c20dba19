import { now } from '../../clock';
import type { Writable } from 'node:stream';
import type { AppCore } from '../../core/core';
import { shutdownOnSigterm } from './environment';
import { CrestError, ErrorCodes, requestError, type ErrorCode, type HttpError } from '../../errors';
import { cancelStream, omitsBody } from '../../http/payload';
import type { HttpRequest } from '../../http/request';
import type { HttpResponse } from '../../http/response';
import { detectSource, SOURCES } from './sources';
import { answer, handlerSettings, isKeepWarmPing, NotHttpEventError, receive, type ReceivedEvent } from './handler';
import {
  globalStreamingRuntime,
  type EventSource,
  type HttpEvent,
  type LambdaRuntimeContext,
  type LambdaStreamingRuntime,
  type ResponseStreamPrelude,
  type StreamingHandler,
} from './types';

export interface LambdaStreamingOptions {
  /** Receives events that are not HTTP, with the raw response stream; without it they reject. */
  onNonHttpEvent?: (event: unknown, responseStream: Writable, context: LambdaRuntimeContext) => void | Promise<void>;
  /** See `LambdaOptions.basePath`. */
  basePath?: string;
  /** The runtime to stream through; default: the Lambda runtime's `awslambda` global. */
  runtime?: LambdaStreamingRuntime;
}

/**
 * A Lambda response-streaming handler for `app` (Function URLs with `InvokeMode:
 * RESPONSE_STREAM`, REST APIs with `responseTransferMode: STREAM`). Status, headers and cookies
 * go in the prelude; an `HttpResponse.stream(...)` body is written as produced, waiting for
 * `drain`. An error before the first chunk becomes an ordinary problem response; after it the
 * status is out, so the handler rejects and the runtime ends the upload with the
 * `Lambda-Runtime-Function-Error-Type`/`-Body` trailers. The invocation's deadline bounds the
 * whole stream: a source still running then is cancelled the same way.
 *
 * Outside Lambda (no `awslambda` global and no `runtime` option) the handler rejects when called.
 */
export function createStreamingHandler(core: AppCore, options: LambdaStreamingOptions = {}): StreamingHandler {
  shutdownOnSigterm(core);
  const settings = handlerSettings(core, options);
  const runtime = options.runtime ?? globalStreamingRuntime();
  if (runtime === undefined) {
    return () =>
      Promise.reject(
        new CrestError(
          ErrorCodes.NO_STREAMING_RUNTIME,
          'Lambda response streaming needs the Lambda Node.js runtime (the awslambda global).',
        ),
      );
  }
  const handler: StreamingHandler = async (event, responseStream, context) => {
    const source = detectSource(event);
    if (source === undefined) {
      if (options.onNonHttpEvent === undefined) {
        if (!isKeepWarmPing(event)) throw new NotHttpEventError();
        responseStream.end();
        return;
      }
      return options.onNonHttpEvent(event, responseStream, context);
    }
    const started = now();
    const eventSource = SOURCES[source];
    const received = receive(eventSource, event as HttpEvent, settings, context);
    return core.within(received.req, streamAnswer, core, runtime, eventSource, received, responseStream, started);
  };
  // The runtime recognises a streaming handler by what streamifyResponse marks on it.
  return runtime.streamifyResponse(handler) as StreamingHandler;
}

/**
 * The app's answer to one event, streamed; then its `waitUntil` work is finished before the
 * invocation ends: the client already has the whole answer (the stream is ended), and Lambda
 * freezes the sandbox once the handler settles.
 */
async function streamAnswer(
  core: AppCore,
  runtime: LambdaStreamingRuntime,
  source: EventSource,
  received: ReceivedEvent,
  responseStream: Writable,
  started: number,
): Promise<void> {
  const req = received.req;
  try {
    const primed = await prime(core, source, req, await answer(core, received));
    await streamResponse(core, runtime, req, primed, responseStream, started);
  } finally {
    await core.settled(req);
  }
}

/** A response ready to stream: its prelude and, for a stream body, the source with its first chunk read. */
interface Primed {
  response: HttpResponse;
  prelude: ResponseStreamPrelude;
  iterator?: AsyncIterator<Uint8Array | string>;
  first?: IteratorResult<Uint8Array | string>;
}

/**
 * Makes a response ready to stream before anything is sent: its first chunk read (bounded by the
 * deadline) and its prelude built. Until then a failure (a source failing at once, a header the
 * prelude cannot carry) still becomes an ordinary problem response.
 */
async function prime(core: AppCore, source: EventSource, req: HttpRequest, response: HttpResponse): Promise<Primed> {
  let iterator: AsyncIterator<Uint8Array | string> | undefined;
  let first: IteratorResult<Uint8Array | string> | undefined;
  if (response.body.kind === 'stream') {
    iterator = response.body.source[Symbol.asyncIterator]();
    if (omitsBody(req.method, response)) {
      cancelStream(iterator);
      iterator = undefined;
    } else {
      const deadline = new StreamDeadline(req, firstChunkTimeout);
      try {
        first = await deadline.bound(iterator.next());
      } catch (error) {
        cancelStream(iterator);
        iterator = undefined;
        response = core.fail(req, error);
      } finally {
        deadline.clear();
      }
    }
  }
  try {
    return { response, prelude: source.toPrelude(response), iterator, first };
  } catch (error) {
    cancelStream(iterator);
    response = core.fail(req, error);
    return { response, prelude: source.toPrelude(response) };
  }
}

async function streamResponse(
  core: AppCore,
  runtime: LambdaStreamingRuntime,
  req: HttpRequest,
  { response, prelude, iterator, first }: Primed,
  responseStream: Writable,
  started: number,
): Promise<void> {
  const stream = runtime.HttpResponseStream.from(responseStream, prelude);
  let deadline: StreamDeadline | undefined;
  try {
    if (iterator === undefined) {
      const payload = omitsBody(req.method, response) ? undefined : response.payload();
      // An empty body must still be written: the prelude goes out on the first write (hono#2401).
      // Not bounded by the deadline: the body is in memory, and a 504 made at the deadline must go out.
      await write(stream, payload ?? '');
      await end(stream);
    } else {
      deadline = new StreamDeadline(req, streamTimeout);
      await deadline.bound(write(stream, first!.done === true ? '' : first!.value));
      for (let step = await deadline.bound(iterator.next()); step.done !== true;) {
        await deadline.bound(write(stream, step.value));
        step = await deadline.bound(iterator.next());
      }
      await deadline.bound(end(stream));
    }
    core.responded(req, response, started);
  } catch (error) {
    core.responded(req, response, started, error);
    cancelStream(iterator);
    // The status is out, so the failure can only go in the upload's trailers, and the runtime
    // writes those when the handler rejects (aws-lambda-ric: StreamingInvokeProcessor → fail →
    // addTrailers, end). Destroying the stream instead makes the RIC's request emit 'error', which
    // rejects a promise inside the RIC that nothing awaits: the process exits with code 1, the
    // upload has no closing chunk and no later invocation is served.
    throw streamFailure(deadline?.expired === true ? ErrorCodes.TIMEOUT : ErrorCodes.INTERNAL, error);
  } finally {
    deadline?.clear();
  }
}

/**
 * The rejection that ends a stream whose status is out. The runtime sends its name as the
 * `Lambda-Runtime-Function-Error-Type` trailer and its name, message and stack as the
 * `-Error-Body` trailer, both seen by the invoker: so the name is the code, the stack is only
 * that line, and the cause (with its own message and stack) stays in the function's log, where
 * the runtime's log line includes enumerable properties.
 */
function streamFailure(code: ErrorCode, cause: unknown): Error {
  const message =
    code === ErrorCodes.TIMEOUT
      ? 'The response stream did not finish before the invocation deadline.'
      : 'The response stream failed after its status was sent.';
  const error = Object.assign(new Error(message), { code, cause });
  error.name = code;
  error.stack = `${code}: ${message}`;
  return error;
}

const firstChunkTimeout = (): HttpError =>
  requestError(ErrorCodes.TIMEOUT, 'The response stream produced nothing in time.');
const streamTimeout = (): Error =>
  new CrestError(ErrorCodes.TIMEOUT, 'the invocation deadline came before the end of the stream');
const streamClosed = (): Error => new CrestError(ErrorCodes.STREAM_CLOSED, 'the response stream was closed');

/** Writes a chunk and, when the stream asks for it, waits for `drain` (srvx#299: never hang on close). */
function write(stream: Writable, chunk: string | Uint8Array): Promise<void> | undefined {
  if (stream.destroyed) return Promise.reject(streamClosed());
  if (stream.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      stream.removeListener('drain', onDrain);
      stream.removeListener('close', onClose);
      stream.removeListener('error', done);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(streamClosed());
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', done);
  });
}

function end(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/**
 * The invocation deadline, for a response stream: a source (or a client) that stalls must not
 * hold the invocation until Lambda kills it (which loses the trailers and the execution
 * environment). A wait is bounded by handing it to `bound`; at the deadline, less the margin, the
 * pending wait rejects and `req.signal` aborts. One timer for the whole stream, and one promise
 * per wait, instead of a `Promise.race` per chunk that would leave a reaction on a never-settling
 * promise each time.
 */
export class StreamDeadline {
  expired = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private rejectWait: ((error: unknown) => void) | undefined;

  constructor(req: HttpRequest, timeoutError: () => Error) {
    const timeLeft = req.timeLeft();
    if (timeLeft === undefined) return;
    this.timer = setTimeout(
      () => {
        this.expired = true;
        const error = timeoutError();
        req.abort(error);
        this.rejectWait?.(error);
      },
      Math.max(0, timeLeft),
    );
    // Only a pending wait matters; the timer alone must not keep a process alive.
    this.timer.unref();
  }

  /** `wait`, or a rejection at the deadline; a value that is not a promise passes as it is (a write that needs no drain). */
  bound<T>(wait: T | Promise<T>): T | Promise<T> {
    if (this.timer === undefined || !isThenable(wait)) return wait;
    if (this.expired) return Promise.reject(new CrestError(ErrorCodes.TIMEOUT, 'the invocation deadline has passed'));
    return new Promise<T>((resolve, reject) => {
      this.rejectWait = reject;
      Promise.resolve(wait).then(resolve, reject);
    });
  }

  clear(): void {
    clearTimeout(this.timer);
    this.rejectWait = undefined;
  }
}

/** Custom iterators may return any thenable from `next()`, not only a native promise. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
