import type { Writable } from 'node:stream';
import type { App, Settle } from '../../core/app';
import { describeError } from '../../core/logger';
import { CrestError, ErrorCodes, requestError, type ErrorCode, type HttpError } from '../../errors';
import { cancelStream, omitsBody } from '../../http/payload';
import type { HttpRequest } from '../../http/request';
import type { HttpResponse } from '../../http/response';
import { detectSource } from './detect';
import { StreamDeadline } from './stream-deadline';
import type { HttpEvent } from './event-to-request';
import { dispatchEvent, handlerSettings, NotHttpEventError } from './handler';
import { joinedHeaders, splitHeaders } from './result-headers';
import {
  globalStreamingRuntime,
  type LambdaStreamingRuntime,
  type ResponseStreamPrelude,
  type StreamingHandler,
} from './streaming-runtime';
import type { LambdaRuntimeContext, LambdaSource } from './types';

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
export function createStreamingHandler(app: App, options: LambdaStreamingOptions = {}): StreamingHandler {
  const settings = handlerSettings(app, options);
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
      if (options.onNonHttpEvent === undefined) throw new NotHttpEventError();
      return options.onNonHttpEvent(event, responseStream, context);
    }
    let primed: Primed | undefined;
    const dispatched = dispatchEvent(app, source, event as HttpEvent, settings, context, (req) =>
      settleStream(app, source, req, (ready) => (primed = ready)),
    );
    const response = await dispatched.response;
    if (primed?.response !== response) {
      // A malformed event's problem, or one the app made of what settling threw.
      cancelStream(primed?.iterator);
      primed = { response, prelude: responseToPrelude(source, response) };
    }
    await streamResponse(app, runtime, dispatched.req, primed, responseStream);
  };
  // The runtime recognises a streaming handler by what streamifyResponse marks on it.
  return runtime.streamifyResponse(handler) as StreamingHandler;
}

/** A response ready to stream: its prelude and, for a stream body, the source with its first chunk read. */
interface Primed {
  response: HttpResponse;
  prelude: ResponseStreamPrelude;
  iterator?: AsyncIterator<Uint8Array | string>;
  first?: IteratorResult<Uint8Array | string>;
}

/**
 * The streaming handler's last word on a response, before the app logs it: nothing is sent yet,
 * so a source failing before its first chunk, or a header that cannot go in the prelude, still
 * becomes an ordinary problem response, and the one log line has its status.
 */
function settleStream(app: App, source: LambdaSource, req: HttpRequest, ready: (primed: Primed) => void): Settle {
  const prepare = (
    response: HttpResponse,
    iterator?: AsyncIterator<Uint8Array | string>,
    first?: IteratorResult<Uint8Array | string>,
  ): HttpResponse => {
    let prelude: ResponseStreamPrelude;
    try {
      prelude = responseToPrelude(source, response);
    } catch (error) {
      cancelStream(iterator);
      return app.errorResponse(error, req);
    }
    ready({ response, prelude, iterator, first });
    return response;
  };
  return (response) => {
    if (response.body.kind !== 'stream') return prepare(response);
    const iterator = response.body.source[Symbol.asyncIterator]();
    if (omitsBody(req.method, response)) {
      cancelStream(iterator);
      return prepare(response);
    }
    const deadline = new StreamDeadline(req, firstChunkTimeout);
    return Promise.resolve(deadline.bound(iterator.next())).then(
      (first) => {
        deadline.clear();
        return prepare(response, iterator, first);
      },
      (error: unknown) => {
        deadline.clear();
        cancelStream(iterator);
        return app.errorResponse(error, req);
      },
    );
  };
}

async function streamResponse(
  app: App,
  runtime: LambdaStreamingRuntime,
  req: HttpRequest,
  { response, prelude, iterator, first }: Primed,
  responseStream: Writable,
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
  } catch (error) {
    app.logger?.error({ err: describeError(error), requestId: req.requestId }, 'response stream failed');
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

/** The prelude for the source: REST streaming takes `multiValueHeaders`, Function URLs `cookies`. */
export function responseToPrelude(source: LambdaSource, response: HttpResponse): ResponseStreamPrelude {
  if (source === 'apigw-v1') {
    const { headers, multiValueHeaders } = splitHeaders(response);
    return multiValueHeaders === undefined
      ? { statusCode: response.status, headers }
      : { statusCode: response.status, headers, multiValueHeaders };
  }
  const prelude: ResponseStreamPrelude = { statusCode: response.status, headers: joinedHeaders(response) };
  if (response.cookies.length > 0) prelude.cookies = [...response.cookies];
  return prelude;
}

/** Writes a chunk and, when the stream asks for it, waits for `drain` (srvx#299: never hang on close). */
function write(stream: Writable, chunk: string | Uint8Array): Promise<void> | undefined {
  if (stream.destroyed) return Promise.reject(streamClosed());
  if (stream.write(chunk)) return undefined;
  return new Promise((resolve, reject) => {
    const settle = (error?: Error): void => {
      stream.removeListener('drain', onDrain);
      stream.removeListener('close', onClose);
      stream.removeListener('error', settle);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => settle();
    const onClose = (): void => settle(streamClosed());
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', settle);
  });
}

function end(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}
