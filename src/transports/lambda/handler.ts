import { now } from '../../clock';
import type { AppCore } from '../../core/core';
import { shutdownOnSigterm } from './environment';
import { describeError } from '../../core/logger';
import { ErrorCodes, HttpError, requestError } from '../../errors';
import { joinPaths } from '../../http/path';
import { cancelStream, collectStream, omitsBody } from '../../http/payload';
import type { HttpRequest } from '../../http/request';
import type { HttpResponse, StreamSource } from '../../http/response';
import { invocationDeadline } from './event-fields';
import { fitsResultLimit } from './result-parts';
import { detectSource, requestForBadEvent, SOURCES } from './sources';
import type {
  EventConversion,
  EventSource,
  HttpEvent,
  LambdaHandler,
  LambdaResult,
  LambdaRuntimeContext,
} from './types';

export interface LambdaOptions<T = never> {
  /**
   * Receives events that are not HTTP (SQS, EventBridge, a direct invoke); what it returns is
   * the invocation's result. Without it a scheduled EventBridge event (a keep-warm ping) resolves
   * to undefined and any other rejects with a {@link NotHttpEventError}.
   */
  onNonHttpEvent?: (event: unknown, context: LambdaRuntimeContext) => T | Promise<T>;
  /**
   * A REST API custom-domain base path to strip from `path` (`/v1`), at a segment boundary.
   * Only for API mappings that pass it through (older REST behaviour, serverless-express#216).
   */
  basePath?: string;
}

export type { LambdaHandler } from './types';

/** The rejection of a handler given an event that is not an HTTP request. */
export class NotHttpEventError extends Error {
  readonly code = ErrorCodes.NOT_HTTP_EVENT;
  constructor() {
    super(
      `${ErrorCodes.NOT_HTTP_EVENT}: the Lambda event is not from API Gateway, a Function URL, ALB or VPC Lattice; ` +
        'pass onNonHttpEvent to app.lambda() to handle other events.',
    );
    this.name = 'NotHttpEventError';
  }
}

/**
 * A scheduled EventBridge event (`source: aws.events`, `detail-type: Scheduled Event`): what a
 * keep-warm rule sends. Without `onNonHttpEvent` it is answered with nothing rather than failed,
 * so the warm-up neither counts as an error nor is retried; any other non-HTTP event still
 * rejects (README, "Events that are not HTTP").
 */
export function isKeepWarmPing(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const fields = event as Record<string, unknown>;
  return fields.source === 'aws.events' && fields['detail-type'] === 'Scheduled Event';
}

/** Options every invocation reads, resolved once when the handler is created. */
export interface HandlerSettings {
  bodyLimit: number;
  basePath: string;
}

export function handlerSettings(core: AppCore, options: { basePath?: string }): HandlerSettings {
  const basePath = options.basePath === undefined ? '/' : joinPaths(options.basePath);
  return { bodyLimit: core.limits.bodyLimit, basePath: basePath === '/' ? '' : basePath };
}

/** An event read as a request, or the error that kept it from being read. */
export interface ReceivedEvent {
  req: HttpRequest;
  /** A malformed event (400) or an oversized body (413): answered by `core.fail`. */
  failure?: unknown;
}

/**
 * The request an event stands for. When the event cannot be read, the request is made of what
 * could be read safely, and the failure is answered by `core.fail`, with the app's error hook.
 */
export function receive(
  source: EventSource,
  event: HttpEvent,
  settings: HandlerSettings,
  context: LambdaRuntimeContext,
): ReceivedEvent {
  const conversion: EventConversion = {
    context,
    bodyLimit: settings.bodyLimit,
    basePath: settings.basePath,
    deadline: invocationDeadline(context),
  };
  try {
    return { req: source.toRequest(event, conversion) };
  } catch (failure) {
    return { req: requestForBadEvent(source.name, event, conversion), failure };
  }
}

/** The app's answer to a received event. */
export function answer(core: AppCore, { req, failure }: ReceivedEvent): HttpResponse | Promise<HttpResponse> {
  return failure === undefined ? core.handle(req) : core.fail(req, failure);
}

/**
 * The buffered Lambda handler: detects the source of each event, runs the app and serializes
 * the response for that source. Invocations share nothing, so concurrent ones in one process
 * (Lambda managed instances) cannot interfere.
 */
export function createLambdaHandler<T = never>(core: AppCore, options: LambdaOptions<T> = {}): LambdaHandler<T> {
  shutdownOnSigterm(core);
  const settings = handlerSettings(core, options);
  const onNonHttpEvent = options.onNonHttpEvent;
  // Not async: a synchronous answer is returned without awaiting a value that is not a promise.
  const handler = (event: unknown, context: LambdaRuntimeContext): Promise<LambdaResult | T> => {
    const source = detectSource(event);
    if (source === undefined) {
      if (onNonHttpEvent === undefined) {
        return isKeepWarmPing(event) ? Promise.resolve(undefined as T) : Promise.reject(new NotHttpEventError());
      }
      try {
        return Promise.resolve(onNonHttpEvent(event, context));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return serve(core, SOURCES[source], event as HttpEvent, settings, context);
  };
  // The source is detected per event, so the result's type follows the event's (LambdaResultFor).
  return handler as LambdaHandler<T>;
}

/**
 * One invocation, top to bottom: the event becomes a request, the app answers it, a stream is
 * collected, the answer becomes the source's result, held to the platform's limit (an answer
 * that does not fit is replaced by a 500 problem), the request is logged with what is sent, and
 * its `waitUntil` work is finished before the result is returned: once the handler returns, the
 * sandbox may be frozen until the next invocation, or for good.
 */
function serve(
  core: AppCore,
  source: EventSource,
  event: HttpEvent,
  settings: HandlerSettings,
  context: LambdaRuntimeContext,
): Promise<LambdaResult> {
  const started = now();
  let received: ReceivedEvent;
  try {
    received = receive(source, event, settings, context);
  } catch (error) {
    return Promise.resolve(crestFailed(core, source, event, undefined, error));
  }
  return core.within(received.req, respond, core, source, event, received, started);
}

function respond(
  core: AppCore,
  source: EventSource,
  event: HttpEvent,
  received: ReceivedEvent,
  started: number,
): Promise<LambdaResult> {
  const req = received.req;
  const limit = source.resultLimit;
  const send = (response: HttpResponse): LambdaResult => {
    let result: LambdaResult;
    try {
      result = source.toResult(response, req, event, core.logger);
      if (!fitsResultLimit(result, limit)) throw responseTooLarge(limit);
    } catch (error) {
      // A header the result cannot carry, or a result over the platform's limit: a 500 problem.
      response = core.fail(req, error);
      result = source.toResult(response, req, event, core.logger);
      // Even the problem does not fit (an onError hook's answer): the bare 500.
      if (!fitsResultLimit(result, limit)) result = source.bareResult(event);
    }
    core.responded(req, response, started);
    return result;
  };
  const toResult = (response: HttpResponse): LambdaResult | Promise<LambdaResult> =>
    response.body.kind === 'stream'
      ? bufferStream(core, req, response, response.body.source, limit).then(send)
      : send(response);
  const failed = (error: unknown): LambdaResult => crestFailed(core, source, event, req, error);
  let result: LambdaResult | Promise<LambdaResult>;
  try {
    const response = answer(core, received);
    result = response instanceof Promise ? response.then(toResult) : toResult(response);
    if (result instanceof Promise) result = result.catch(failed);
  } catch (error) {
    result = failed(error);
  }
  return afterWork(core, req, result);
}

/** Resolves to `result` once the request's `waitUntil` work has settled (at once when there is none). */
function afterWork(
  core: AppCore,
  req: HttpRequest,
  result: LambdaResult | Promise<LambdaResult>,
): Promise<LambdaResult> {
  if (!(result instanceof Promise)) {
    const work = core.settled(req);
    return work === undefined ? Promise.resolve(result) : work.then(() => result);
  }
  return result.then((value) => {
    const work = core.settled(req);
    return work === undefined ? value : work.then(() => value);
  });
}

/** Only a bug in crest itself gets here; the gateway must still get a well-formed result. */
function crestFailed(
  core: AppCore,
  source: EventSource,
  event: HttpEvent,
  req: HttpRequest | undefined,
  error: unknown,
): LambdaResult {
  core.logger?.error({ err: describeError(error), requestId: req?.requestId }, 'lambda result failed');
  return source.bareResult(event);
}

/**
 * Buffered sources cannot stream: the body is collected, up to the platform limit (counted by
 * `capped`, whose sentinel no source can throw). A body the response may not carry (HEAD, 204) is
 * not produced at all.
 */
async function bufferStream(
  core: AppCore,
  req: HttpRequest,
  response: HttpResponse,
  source: StreamSource,
  limit: number,
): Promise<HttpResponse> {
  if (omitsBody(req.method, response)) {
    cancelStream(source[Symbol.asyncIterator]());
    response.body = { kind: 'empty' };
    return response;
  }
  try {
    response.body = { kind: 'bytes', bytes: await collectStream(capped(source, limit)) };
    return response;
  } catch (error) {
    return core.fail(req, error === TOO_LARGE ? responseTooLarge(limit) : error);
  }
}

const TOO_LARGE = Symbol('too large');

async function* capped(source: StreamSource, limit: number): AsyncIterable<Uint8Array | string> {
  let size = 0;
  for await (const chunk of source) {
    size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel no source can throw
    if (size > limit) throw TOO_LARGE;
    yield chunk;
  }
}

function responseTooLarge(limit: number): HttpError {
  return requestError(
    ErrorCodes.RESPONSE_TOO_LARGE,
    `The response exceeds the ${limit}-byte limit of a Lambda result.`,
  );
}
