import { randomUUID } from 'node:crypto';
import type {
  APIGatewayEventRequestContextV2WithAuthorizer,
  APIGatewayProxyEventBase,
  APIGatewayProxyEventV2WithRequestContext,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { decodeComponent } from '../http/query';
import { decodedQuery, findHeader, lowerCaseHeaders, parseTestRequest, withDefault, type TestRequest } from './request';

export interface RestApiEventOptions<A extends object | null = Record<string, unknown>> {
  /** The stage (default `prod`): in `requestContext.path` and `stage`, never in `path`. */
  stage?: string;
  /**
   * `requestContext.authorizer` (default null), e.g. `{ principalId: 'user-1', claims: { sub: 'user-1' } }`;
   * the event's type carries its type, so the event fits `APIGatewayProxyWithCognitoAuthorizerEvent` and the like.
   */
  authorizer?: A;
  /** `requestContext.domainName` (default the execute-api host). */
  domainName?: string;
}

/**
 * A REST API (payload 1.0) proxy event as API Gateway sends it (shape of a live capture): `path`
 * encoded and stage-less, both query maps decoded (the single one with the last value only), both
 * header maps (the single one with the last value only, names in the client's case), no
 * `Content-Length`, a byte body base64-encoded.
 *
 * @example await handler(restApiEvent({ method: 'POST', url: '/users', body: { name: 'Ada' } }), lambdaContext());
 */
export function restApiEvent<A extends object | null = null>(
  request: TestRequest = {},
  options: RestApiEventOptions<A> = {},
): APIGatewayProxyEventBase<NoInfer<A>> {
  const req = parseTestRequest(request, randomUUID());
  const stage = options.stage ?? 'prod';
  const domainName = options.domainName ?? 'abcdef1234.execute-api.us-east-1.amazonaws.com';
  const headers = req.headers.filter(([name]) => name.toLowerCase() !== 'content-length');
  withDefault(headers, 'Host', domainName);
  withDefault(headers, 'X-Forwarded-For', req.sourceIp);
  withDefault(headers, 'X-Forwarded-Proto', 'https');
  withDefault(headers, 'X-Forwarded-Port', '443');
  const single = Object.create(null) as Record<string, string>;
  const multi = Object.create(null) as Record<string, string[]>;
  for (const [name, values] of headers) {
    single[name] = values[values.length - 1]!;
    multi[name] = [...values];
  }
  const query = decodedQuery(req.rawQuery);
  const hasQuery = Object.keys(query).length > 0;
  const last = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(query)) last[key] = query[key]![query[key]!.length - 1]!;
  return {
    resource: '/{proxy+}',
    path: req.path,
    httpMethod: req.method,
    headers: single,
    multiValueHeaders: multi,
    queryStringParameters: hasQuery ? last : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    pathParameters: { proxy: req.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: firstLabel(domainName),
      // Without an authorizer, A is its default: null.
      authorizer: options.authorizer ?? (null as A),
      domainName,
      domainPrefix: firstLabel(domainName),
      extendedRequestId: 'ATfSdF7nPHcErRA=',
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent: single['User-Agent'] ?? '',
        userArn: null,
      },
      path: `/${stage}${req.path}`,
      protocol: 'HTTP/1.1',
      requestId: req.requestId,
      requestTime: '10/Jul/2026:19:19:04 +0000',
      requestTimeEpoch: Date.now(),
      resourceId: 'al6gqb',
      resourcePath: '/{proxy+}',
      stage,
    },
    body: req.body === undefined ? null : req.binary ? req.body.toString('base64') : req.body.toString('utf8'),
    isBase64Encoded: req.binary,
  };
}

export interface HttpApiEventOptions<A extends object | undefined = Record<string, unknown>> {
  /** A named stage (default `$default`) is prefixed to `rawPath`, as on the execute-api host. */
  stage?: string;
  /**
   * `requestContext.authorizer`, e.g. `{ jwt: { claims: { sub: 'user-1' }, scopes: ['read'] } }`;
   * the event's type carries its type, so the event fits `APIGatewayProxyEventV2WithJWTAuthorizer` and the like.
   */
  authorizer?: A;
}

/** A payload 2.0 event whose `requestContext.authorizer` has the type `A` (undefined when there is none). */
type V2EventWith<A> = APIGatewayProxyEventV2WithRequestContext<APIGatewayEventRequestContextV2WithAuthorizer<A>>;

/**
 * An HTTP API (payload 2.0) event as API Gateway sends it (shape of the live capture): `rawPath`
 * DECODED the lossy way HTTP API does it (`%20` → space, `%2F` → `/`, a decoded `%3F` cuts the
 * path, `%25XX` decoded twice), `rawQueryString` as sent, header names lower-case with repeats
 * joined by `,`, cookies in `cookies[]` and no `cookie` header.
 */
export function httpApiEvent<A extends object | undefined = undefined>(
  request: TestRequest = {},
  options: HttpApiEventOptions<A> = {},
): V2EventWith<NoInfer<A>> {
  const stage = options.stage ?? '$default';
  const domainName = 'abcdef1234.execute-api.us-east-1.amazonaws.com';
  const event = v2Event(request, domainName, stage, options.authorizer, false);
  if (stage !== '$default') event.rawPath = `/${stage}${event.rawPath}`;
  return event;
}

/**
 * A Function URL event (payload 2.0, shape of the live capture): `rawPath` encoded as sent,
 * `requestContext.http.path` decoded, cookies in BOTH `cookies[]` and the `cookie` header,
 * `accountId: "anonymous"`.
 */
export function functionUrlEvent(request: TestRequest = {}): LambdaFunctionURLEvent {
  return v2Event(request, 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws', '$default', undefined, true);
}

function v2Event<A>(
  request: TestRequest,
  domainName: string,
  stage: string,
  authorizer: A | undefined,
  functionUrl: boolean,
): V2EventWith<A> {
  const req = parseTestRequest(request, randomUUID());
  const headers = Object.create(null) as Record<string, string>;
  const lists = lowerCaseHeaders(req.headers);
  for (const key of Object.keys(lists)) headers[key] = lists[key]!.join(key === 'cookie' ? '; ' : ',');
  headers.host ??= domainName;
  headers['x-forwarded-for'] ??= req.sourceIp;
  headers['x-forwarded-proto'] ??= 'https';
  headers['x-forwarded-port'] ??= '443';
  if (req.body !== undefined) headers['content-length'] = String(req.body.length);
  const cookieHeader = findHeader(req.headers, 'cookie');
  const cookies = cookieHeader
    ?.join('; ')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '');
  if (!functionUrl) delete headers.cookie;
  const query = decodedQuery(req.rawQuery);
  const joinedQuery = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(query)) joinedQuery[key] = query[key]!.join(',');
  const decodedPath = functionUrl ? decodeComponent(req.path) : httpApiDecodedPath(req.path);
  const event: V2EventWith<A> = {
    version: '2.0',
    routeKey: '$default',
    rawPath: functionUrl ? req.path : decodedPath,
    rawQueryString: req.rawQuery,
    headers,
    requestContext: {
      accountId: functionUrl ? 'anonymous' : '123456789012',
      apiId: firstLabel(domainName),
      // Without an authorizer, A is its default: undefined.
      authorizer: authorizer as A,
      domainName,
      domainPrefix: firstLabel(domainName),
      http: {
        method: req.method,
        path: decodedPath,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: req.requestId,
      routeKey: '$default',
      stage,
      time: '10/Jul/2026:19:19:05 +0000',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: req.binary,
  };
  if (cookies !== undefined && cookies.length > 0) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = joinedQuery;
  if (req.body !== undefined) event.body = req.binary ? req.body.toString('base64') : req.body.toString('utf8');
  return event;
}

/**
 * What HTTP API makes of an encoded path (observed live): decoded once, cut at a decoded
 * `?`, then decoded again (`%252F` → `/`).
 */
function httpApiDecodedPath(path: string): string {
  let decoded = decodeComponent(path);
  const question = decoded.indexOf('?');
  if (question !== -1) decoded = decoded.slice(0, question);
  return decodeComponent(decoded);
}

/** The API id and domain prefix: the host name's first label (`abc123` of `abc123.execute-api...`). */
function firstLabel(domainName: string): string {
  const dot = domainName.indexOf('.');
  return dot === -1 ? domainName : domainName.slice(0, dot);
}
