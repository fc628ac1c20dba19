import type { HttpRequest } from '../../http/request';
import type { HttpResponse } from '../../http/response';
import type { Logger } from '../../core/logger';
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import type { Writable } from 'node:stream';

/**
 * The shapes crest reads from and writes to Lambda. Events, the context and results are
 * @types/aws-lambda's, the types every TypeScript Lambda user writes handlers with (a dependency
 * of crest, so that these declarations resolve in a user's project). crest declares its own only
 * where it differs: VPC Lattice (which @types/aws-lambda does not describe), results narrowed to
 * what crest always sends, and `unknown`-based records at the boundary, where an event is
 * untrusted input until the converters have checked it.
 */

/** The Lambda sources crest serves. */
export type LambdaSource = 'apigw-v1' | 'apigw-v2' | 'function-url' | 'alb' | 'lattice' | 'lattice-v1';

/** The Lambda context object the Node.js runtime passes: @types/aws-lambda's `Context`. */
export type LambdaRuntimeContext = Context;

/** Authorizer data lifted out of `requestContext.authorizer`, the same way for every source. */
export interface LambdaAuthorizer {
  /** JWT claims (HTTP API JWT authorizer) or Cognito user pool claims (REST API). */
  claims?: Record<string, unknown>;
  /** JWT scopes (HTTP API JWT authorizer). */
  scopes?: string[];
  /** A Lambda authorizer's principal (REST API). */
  principalId?: string;
  /** A Lambda authorizer's context: `authorizer.lambda` (HTTP API) or the flat map (REST API). */
  lambda?: Record<string, unknown>;
  /** IAM caller identity (`authorizer.iam`). */
  iam?: Record<string, unknown>;
  /** `requestContext.authorizer` exactly as the event carried it. */
  raw: Record<string, unknown>;
}

/**
 * What `@Ctx()` gives on Lambda.
 *
 * @example
 * show(@Ctx() ctx: LambdaContext) { return { left: ctx.context.getRemainingTimeInMillis() }; }
 */
export interface LambdaContext {
  source: LambdaSource;
  /** The raw event, as received: a record of unknowns, since nothing but crest's own checks vouch for it. */
  event: Record<string, unknown>;
  context: LambdaRuntimeContext;
  /** Present when the event carries an authorizer block. */
  authorizer?: LambdaAuthorizer;
}

/**
 * A VPC Lattice event of structure version 1 (the target group's `lambdaEventStructureVersion`
 * `V1`): snake_case fields, single-valued headers and query, no request context (VPC Lattice
 * User Guide, "Receive events from the VPC Lattice service").
 */
export interface LatticeV1Event {
  raw_path: string;
  method: string;
  headers: Record<string, string>;
  query_string_parameters?: Record<string, string> | null;
  body?: string | null;
  is_base64_encoded: boolean;
}

/**
 * A VPC Lattice event (version 2.0), which @types/aws-lambda does not describe (shape: the
 * Lattice docs and Powertools' schema). Header and query values are string lists in the newer
 * schema and single strings in older captures; crest reads both.
 */
export interface LatticeEvent {
  version: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  queryStringParameters?: Record<string, string | string[]> | null;
  body?: string | null;
  isBase64Encoded: boolean;
  requestContext: {
    serviceNetworkArn: string;
    serviceArn: string;
    targetGroupArn: string;
    /** The caller: `type` (`AWS_IAM` or `NONE`), `principal`, `sourceVpcArn`, `sessionName`, X.509 fields… */
    identity: Record<string, string | undefined>;
    region: string;
    /** Microseconds since the epoch, as a string. */
    timeEpoch: string;
  };
}

/**
 * A REST API (payload 1.0) proxy integration result: `APIGatewayProxyResult` narrowed to what
 * crest always sends (string header values, a string body, `isBase64Encoded`), so a test reads
 * `result.body` without a guard. Never carries `cookies` (API Gateway answers 502).
 */
export interface V1Result extends APIGatewayProxyResult {
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** An HTTP API (payload 2.0) or Function URL result: `APIGatewayProxyStructuredResultV2` narrowed the same way. */
export interface V2Result extends APIGatewayProxyStructuredResultV2 {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/**
 * An ALB result: `ALBResult` narrowed the same way, with the `statusDescription` the ELB docs
 * require (optional in @types/aws-lambda), and exactly one of `headers` (single-value mode) or
 * `multiValueHeaders`.
 */
export interface AlbResult extends ALBResult {
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** A VPC Lattice (event v2) result; `set-cookie` is a list when there are several. */
export interface LatticeResult {
  statusCode: number;
  statusDescription: string;
  headers: Record<string, string | string[]>;
  body: string;
  isBase64Encoded: boolean;
}

export type LambdaResult = V1Result | V2Result | AlbResult | LatticeResult;

/** An HTTP event, narrowed only as far as the structural detection goes. */
export type LambdaEvent = Record<string, unknown>;

/** The event each source sends and the result crest answers it with. */
export interface LambdaSourceTypes {
  'apigw-v1': { event: APIGatewayProxyEvent; result: V1Result };
  'apigw-v2': { event: APIGatewayProxyEventV2; result: V2Result };
  'function-url': { event: LambdaFunctionURLEvent; result: V2Result };
  alb: { event: ALBEvent; result: AlbResult };
  lattice: { event: LatticeEvent; result: LatticeResult };
  'lattice-v1': { event: LatticeV1Event; result: LatticeResult };
}

/**
 * The result crest answers an event of type `E` with. The source is detected per event, so an
 * event typed as one source's gets that source's result; an event of no known type (`unknown`,
 * `any`, an SQS event) may get any of them, or what `onNonHttpEvent` returns (`T`).
 */
export type LambdaResultFor<E, T = never> = 0 extends 1 & E // `any`
  ? LambdaResult | T
  : E extends ALBEvent
    ? AlbResult
    : E extends APIGatewayProxyEventV2
      ? V2Result
      : E extends LatticeEvent | LatticeV1Event
        ? LatticeResult
        : E extends APIGatewayProxyEvent
          ? V1Result
          : LambdaResult | T;

/**
 * What `app.lambda()` returns: one handler for every source, whose result type follows the
 * event's. It is assignable with no cast to @types/aws-lambda's `Handler`,
 * `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2`, `ALBHandler` and
 * `LambdaFunctionURLHandler`, and `await handler(httpApiEvent(…), lambdaContext())` is a `V2Result`.
 *
 * @example export const handler: APIGatewayProxyHandlerV2 = app.lambda();
 */
export type LambdaHandler<T = never> = <E>(event: E, context: Context) => Promise<LambdaResultFor<E, T>>;

/**
 * What `app.lambda<'apigw-v2'>()` returns: the same handler, typed for the sources named only
 * (it still detects each event's source at run time).
 */
export type SourceLambdaHandler<S extends LambdaSource> = (
  event: LambdaSourceTypes[S]['event'],
  context: Context,
) => Promise<LambdaSourceTypes[S]['result']>;

/** `app.lambda<S, T>()`'s handler: for every source (`S` left out) or typed for the sources `S`. */
export type LambdaHandlerFor<S extends LambdaSource, T = never> = LambdaSource extends S
  ? LambdaHandler<T>
  : SourceLambdaHandler<S>;

/** The metadata `HttpResponseStream.from` writes before the body. */
export interface ResponseStreamPrelude {
  statusCode: number;
  headers: Record<string, string>;
  /** REST API streaming only. */
  multiValueHeaders?: Record<string, string[]>;
  /** Function URLs: each becomes a `Set-Cookie` (a flat `headers` map would drop all but one: hono#2921). */
  cookies?: string[];
}

export type StreamingHandler = (
  event: unknown,
  responseStream: Writable,
  context: LambdaRuntimeContext,
) => Promise<void>;

/**
 * The part of the Lambda Node.js runtime's `awslambda` global that response streaming uses.
 * Older @types/aws-lambda versions do not declare the global and newer ones declare it with
 * their own types, so crest declares only the shape it needs and reads it from `globalThis`:
 * its published types then clash with neither.
 *
 * The runtime contract (RIC `HttpResponseStream.js`): `from(stream, prelude)` sets the content
 * type `application/vnd.awslambda.http-integration-response` and, on the first write, sends
 * `JSON.stringify(prelude)` then 8 NUL bytes; the body follows. Without a first write no prelude
 * is ever sent. A handler that rejects makes the runtime end the upload with the
 * `Lambda-Runtime-Function-Error-Type`/`-Body` trailers (the error's name, and its name, message
 * and stack as base64 JSON) and go on to the next invocation; crest never destroys the stream,
 * which in aws-lambda-ric 4 rejects an internal promise nothing handles, ending the process.
 */
export interface LambdaStreamingRuntime {
  streamifyResponse(handler: StreamingHandler): unknown;
  HttpResponseStream: { from(stream: Writable, prelude: ResponseStreamPrelude): Writable };
}

/** The runtime's `awslambda` global, when running on Lambda. */
export function globalStreamingRuntime(): LambdaStreamingRuntime | undefined {
  const runtime = (globalThis as unknown as { awslambda?: Partial<LambdaStreamingRuntime> }).awslambda;
  return runtime !== undefined &&
    typeof runtime.streamifyResponse === 'function' &&
    typeof runtime.HttpResponseStream?.from === 'function'
    ? (runtime as LambdaStreamingRuntime)
    : undefined;
}

/** An event `detectSource` recognised: an object with a `requestContext` object. */
export type HttpEvent = Record<string, unknown> & { requestContext: Record<string, unknown> };

/** What every event converter needs besides the event. */
export interface EventConversion {
  context: LambdaRuntimeContext;
  /** The app's `bodyLimit`, checked against the decoded body. */
  bodyLimit: number;
  /** A REST API custom-domain base path to strip (`/v1`), or ''. */
  basePath: string;
  /** When Lambda will stop the invocation (epoch ms), from the context's remaining time. */
  deadline?: number;
}

/**
 * One Lambda event source, its request and its result side by side: the handlers look a source
 * up in one table (`SOURCES` in sources.ts) instead of switching on it.
 */
export interface EventSource {
  name: LambdaSource;
  /** The event as a request; throws a coded HttpError (400, 413) for a malformed event. */
  toRequest(event: HttpEvent, conversion: EventConversion): HttpRequest;
  /** The response as this source's buffered result (`logger` hears what the result cannot carry). */
  toResult(response: HttpResponse, req: HttpRequest, event: HttpEvent, logger: Logger | undefined): LambdaResult;
  /** The response's status and headers as a response-streaming prelude. */
  toPrelude(response: HttpResponse): ResponseStreamPrelude;
  /** The largest result the platform accepts, counted as it counts (after base64). */
  resultLimit: number;
  /** A bare 500 in this source's format, for when nothing else could be serialized. */
  bareResult(event: HttpEvent): LambdaResult;
}
