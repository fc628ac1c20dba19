/**
 * The shapes crest reads from and writes to Lambda. Declared here rather than imported from
 * @types/aws-lambda so that crest's published types need nothing beyond crest; they are
 * structurally compatible with @types/aws-lambda's events, results and `Context`.
 */

/** The Lambda sources crest serves. */
export type LambdaSource = 'apigw-v1' | 'apigw-v2' | 'function-url' | 'alb' | 'lattice';

/** The Lambda context object (`getRemainingTimeInMillis` included), as the Node runtime passes it. */
export interface LambdaRuntimeContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop?: boolean;
  identity?: unknown;
  clientContext?: unknown;
  getRemainingTimeInMillis(): number;
}

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
  /** The raw event, as received. */
  event: Record<string, unknown>;
  context: LambdaRuntimeContext;
  /** Present when the event carries an authorizer block. */
  authorizer?: LambdaAuthorizer;
}

/** A REST API (payload 1.0) proxy integration result. Never carries `cookies` (API Gateway answers 502). */
export interface V1Result {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** An HTTP API (payload 2.0) or Function URL result. */
export interface V2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** An ALB result: exactly one of `headers` (single-value mode) or `multiValueHeaders`. */
export interface AlbResult {
  statusCode: number;
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/** A VPC Lattice (event v2) result. */
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
