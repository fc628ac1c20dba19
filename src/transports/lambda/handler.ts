import type { App, Settle } from '../../core/app';
import { describeError } from '../../core/logger';
import { ErrorCodes, HttpError, requestError } from '../../errors';
import { cancelStream, collectStream, omitsBody } from '../../http/payload';
import { bareInternalProblem } from '../../http/problem';
import type { HttpRequest } from '../../http/request';
import type { HttpResponse, StreamSource } from '../../http/response';
import { joinPaths } from '../../http/path';
import { responseToAlbResult } from './alb-result';
import { isAlbMultiValue } from './alb-request';
import { detectSource } from './detect';
import { eventToRequest, fallbackRequest, type HttpEvent } from './event-to-request';
import { responseToLatticeResult } from './lattice-result';
import { invocationDeadline, type EventConversion } from './request-options';
import { ALB_RESULT_LIMIT, fitsResultLimit, LAMBDA_RESULT_LIMIT } from './result-limit';
import { statusDescription } from './result-headers';
import type { LambdaHandler, LambdaResult, LambdaRuntimeContext, LambdaSource } from './types';
import { responseToV1Result } from './v1-result';
import { responseToV2Result } from './v2-result';

export interface LambdaOptions<T = never> {
  /**
   * Receives events that are not HTTP (SQS, EventBridge, a direct invoke); what it returns is
   * the invocation's result. Without it such an event rejects with a {@link NotHttpEventError}.
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

/** Options every invocation reads, resolved once when the handler is created. */
export interface HandlerSettings {
  bodyLimit: number;
  basePath: string;
}

export function handlerSettings(app: App, options: { basePath?: string }): HandlerSettings {
  const basePath = options.basePath === undefined ? '/' : joinPaths(options.basePath);
  return { bodyLimit: app.limits.bodyLimit, basePath: basePath === '/' ? '' : basePath };
}

/**
 * Converts the event and dispatches it, `settle` (made for the request) having the last word on
 * the response before the app logs it. A malformed event (400) or an oversized body (413)
 * becomes a problem response through `app.reject`, with the app's error hook and log line.
 */
export function dispatchEvent(
  app: App,
  source: LambdaSource,
  event: HttpEvent,
  settings: HandlerSettings,
  context: LambdaRuntimeContext,
  settle: (req: HttpRequest) => Settle,
): { req: HttpRequest; response: HttpResponse | Promise<HttpResponse> } {
  const conversion: EventConversion = {
    context,
    bodyLimit: settings.bodyLimit,
    basePath: settings.basePath,
    deadline: invocationDeadline(context),
  };
  let req: HttpRequest;
  try {
    req = eventToRequest(source, event, conversion);
  } catch (error) {
    req = fallbackRequest(source, event, conversion);
    return { req, response: app.reject(req, error) };
  }
  return { req, response: app.dispatch(req, settle(req)) };
}

/**
 * The buffered Lambda handler of `app`: detects the source of each event, runs the app and
 * serializes the response for that source. Invocations share nothing, so concurrent ones in
 * one process (Lambda managed instances) cannot interfere.
 */
export function createLambdaHandler<T = never>(app: App, options: LambdaOptions<T> = {}): LambdaHandler<T> {
  const settings = handlerSettings(app, options);
  const onNonHttpEvent = options.onNonHttpEvent;
  // Not async: a synchronous answer is returned without awaiting a value that is not a promise.
  const handler = (event: unknown, context: LambdaRuntimeContext): Promise<LambdaResult | T> => {
    const source = detectSource(event);
    if (source === undefined) {
      if (onNonHttpEvent === undefined) return Promise.reject(new NotHttpEventError());
      try {
        return Promise.resolve(onNonHttpEvent(event, context));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const httpEvent = event as HttpEvent;
    const limit = source === 'alb' ? ALB_RESULT_LIMIT : LAMBDA_RESULT_LIMIT;
    let req: HttpRequest | undefined;
    let settled: Settled | undefined;
    const toResult = (response: HttpResponse): LambdaResult => {
      if (settled?.response === response) return settled.result;
      // The app replaced what was settled (a problem for what settling threw), or never ran (a malformed event).
      const result = responseToResult(app, source, httpEvent, req!, response);
      return fitsResultLimit(result, limit) ? result : minimalResult(source, httpEvent);
    };
    const failed = (error: unknown): LambdaResult => {
      // Only a bug in crest itself gets here; the gateway must still get a well-formed result.
      app.logger?.error({ err: describeError(error), requestId: req?.requestId }, 'lambda result failed');
      return minimalResult(source, httpEvent);
    };
    try {
      const dispatched = dispatchEvent(app, source, httpEvent, settings, context, (request) =>
        settleResult(app, source, httpEvent, request, limit, (made) => (settled = made)),
      );
      req = dispatched.req;
      const response = dispatched.response;
      return response instanceof Promise ? response.then(toResult).catch(failed) : Promise.resolve(toResult(response));
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  };
  // The source is detected per event, so the result's type follows the event's (LambdaResultFor).
  return handler as LambdaHandler<T>;
}

/** The result made in settling, and the response it was made from. */
interface Settled {
  response: HttpResponse;
  result: LambdaResult;
}

/**
 * The buffered handler's last word on a response, before the app logs it: a stream is collected
 * and the result serialized and held to the platform limit there, so that a body that fails or
 * does not fit is logged once, as the 500 that is sent.
 */
function settleResult(
  app: App,
  source: LambdaSource,
  event: HttpEvent,
  req: HttpRequest,
  limit: number,
  made: (settled: Settled) => void,
): Settle {
  const serialize = (response: HttpResponse): HttpResponse => {
    const result = responseToResult(app, source, event, req, response);
    if (!fitsResultLimit(result, limit)) return app.errorResponse(responseTooLarge(limit), req);
    made({ response, result });
    return response;
  };
  return (response) =>
    response.body.kind === 'stream'
      ? bufferStream(app, req, response, response.body.source, limit).then(serialize)
      : serialize(response);
}

/**
 * Buffered sources cannot stream: the body is collected, up to the platform limit (counted here
 * because a RangeError from `collectStream`'s own limit could not be told from one the source
 * throws). A body the response may not carry (HEAD, 204) is not produced at all.
 */
async function bufferStream(
  app: App,
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
    return app.errorResponse(error === TOO_LARGE ? responseTooLarge(limit) : error, req);
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

/** The one serializer for the event's source (and ALB header mode). */
export function responseToResult(
  app: App,
  source: LambdaSource,
  event: HttpEvent,
  req: HttpRequest,
  response: HttpResponse,
): LambdaResult {
  switch (source) {
    case 'apigw-v1':
      return responseToV1Result(response, req.method);
    case 'apigw-v2':
    case 'function-url':
      return responseToV2Result(response, req.method);
    case 'lattice':
      return responseToLatticeResult(response, req.method);
    case 'alb':
      return responseToAlbResult(response, req.method, {
        multiValue: isAlbMultiValue(event),
        onDroppedCookies: (dropped) =>
          app.logger?.warn(
            { requestId: req.requestId, dropped: dropped.length },
            'ALB single-value mode sends one Set-Cookie; enable multi-value headers on the target group to send all',
          ),
      });
  }
}

/** A bare 500 in the source's format, for when nothing else could be serialized. */
function minimalResult(source: LambdaSource, event: HttpEvent): LambdaResult {
  const type = 'application/problem+json';
  const base = { statusCode: 500, body: bareInternalProblem(), isBase64Encoded: false };
  if (source === 'alb') {
    const statusDescription = statusDescription500;
    return isAlbMultiValue(event)
      ? { ...base, statusDescription, multiValueHeaders: { 'content-type': [type] } }
      : { ...base, statusDescription, headers: { 'content-type': type } };
  }
  if (source === 'lattice')
    return { ...base, statusDescription: statusDescription500, headers: { 'content-type': type } };
  return { ...base, headers: { 'content-type': type } };
}

const statusDescription500 = statusDescription(500);
