/**
 * Builders for the three event kinds, shaped like the captures in test/fixtures/aws-events (a
 * CloudFront-fronted REST API, an HTTP API, an ALB target group with multi-value headers on).
 * Every call builds a fresh object graph, as the Lambda runtime does per invocation, so no
 * adapter can profit from caching on the event.
 */

export type EventKind = 'rest-v1' | 'http-v2' | 'alb';
export const EVENT_KINDS: readonly EventKind[] = ['rest-v1', 'http-v2', 'alb'];
export const EVENT_LABELS: Record<EventKind, string> = {
  'rest-v1': 'REST API (v1)',
  'http-v2': 'HTTP API (v2)',
  alb: 'ALB (multi-value)',
};

export interface EventRequest {
  method: string;
  path: string;
  /** Raw query string without `?`. */
  query: string;
  body?: string;
}

let sequence = 0;

function requestId(): string {
  sequence = (sequence + 1) % 1_000_000;
  return `c6af9ac6-7b61-11e6-9a41-${String(sequence).padStart(12, '0')}`;
}

/** Query pairs decoded (API Gateway) or left encoded (ALB). */
function pairs(query: string, decode: boolean): [string, string][] {
  if (query === '') return [];
  return query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    return decode
      ? [decodeURIComponent(key.replace(/\+/g, ' ')), decodeURIComponent(value.replace(/\+/g, ' '))]
      : [key, value];
  });
}

function multi(list: [string, string][]): Record<string, string[]> | null {
  if (list.length === 0) return null;
  const map: Record<string, string[]> = {};
  for (const [key, value] of list) (map[key] ??= []).push(value);
  return map;
}

function single(list: [string, string][], join: boolean): Record<string, string> | null {
  if (list.length === 0) return null;
  const map: Record<string, string> = {};
  // REST v1 keeps the last value of a repeated key; HTTP API v2 joins them with commas.
  for (const [key, value] of list) map[key] = join && key in map ? `${map[key]},${value}` : value;
  return map;
}

function restHeaders(body: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: '*/*',
    'Accept-Encoding': 'gzip, deflate',
    'CloudFront-Forwarded-Proto': 'https',
    'CloudFront-Is-Desktop-Viewer': 'true',
    'CloudFront-Is-Mobile-Viewer': 'false',
    'CloudFront-Viewer-Country': 'GB',
    Host: 'puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
    'User-Agent': 'HTTPie/3.2.2',
    Via: '1.1 49c0c4776e390b983c9f9f5365e3140c.cloudfront.net (CloudFront)',
    'X-Amz-Cf-Id': 'x9VncJ8IMo4X5UQEL8-Xg94vWwwuokofx236RgW1CrFCTh9DnPrgJA==',
    'X-Amzn-Trace-Id': 'Root=1-66704cad-0fbaf1491365339d168b2a7d',
    'X-Forwarded-For': '15.248.3.126, 130.176.209.21',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return headers;
}

function restV1(request: EventRequest): unknown {
  const headers = restHeaders(request.body);
  const multiValueHeaders: Record<string, string[]> = {};
  for (const name of Object.keys(headers)) multiValueHeaders[name] = [headers[name]!];
  const query = pairs(request.query, true);
  return {
    resource: '/{proxy+}',
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: single(query, false),
    multiValueQueryStringParameters: multi(query),
    pathParameters: { proxy: request.path.slice(1) },
    stageVariables: null,
    requestContext: {
      resourceId: '3nq1cq',
      resourcePath: '/{proxy+}',
      httpMethod: request.method,
      extendedRequestId: 'ZhDrKF5dDoEEHfA=',
      requestTime: '17/Jun/2024:14:48:13 +0000',
      path: `/prod${request.path}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'prod',
      domainPrefix: 'puhdx84jy9',
      requestTimeEpoch: 1718635693506,
      requestId: requestId(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: '15.248.3.126',
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: 'HTTPie/3.2.2',
        user: null,
      },
      domainName: 'puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
      deploymentId: 'v99qix',
      apiId: 'puhdx84jy9',
    },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}

function httpV2(request: EventRequest): unknown {
  const headers: Record<string, string> = {
    accept: '*/*',
    host: 'sjzepsqsu5.execute-api.us-west-2.amazonaws.com',
    'user-agent': 'curl/8.7.1',
    'x-amzn-trace-id': 'Root=1-6a5145a9-1bae89e2512ec92d5d9438a0',
    'x-forwarded-for': '68.8.83.18',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(request.body));
  }
  const id = requestId();
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: request.query,
    headers,
    requestContext: {
      accountId: '910345601053',
      apiId: 'sjzepsqsu5',
      domainName: 'sjzepsqsu5.execute-api.us-west-2.amazonaws.com',
      domainPrefix: 'sjzepsqsu5',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '68.8.83.18',
        userAgent: 'curl/8.7.1',
      },
      requestId: id,
      routeKey: '$default',
      stage: '$default',
      time: '10/Jul/2026:19:19:05 +0000',
      timeEpoch: 1783711145766,
    },
    isBase64Encoded: false,
  };
  const query = single(pairs(request.query, true), true);
  if (query !== null) event.queryStringParameters = query;
  if (request.body !== undefined) event.body = request.body;
  return event;
}

function alb(request: EventRequest): unknown {
  const headers: Record<string, string[]> = {
    accept: ['*/*'],
    connection: ['keep-alive'],
    host: ['lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com'],
    'user-agent': ['curl/7.54.0'],
    'x-amzn-trace-id': [`Root=1-5c34e93e-${requestId().slice(-24)}`],
    'x-forwarded-for': ['25.12.198.67'],
    'x-forwarded-port': ['80'],
    'x-forwarded-proto': ['http'],
  };
  if (request.body !== undefined) {
    headers['content-type'] = ['application/json'];
    headers['content-length'] = [String(Buffer.byteLength(request.body))];
  }
  return {
    requestContext: {
      elb: {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefg',
      },
    },
    httpMethod: request.method,
    path: request.path,
    // Multi-value mode: repeated keys kept, values left percent-encoded as the client sent them.
    multiValueQueryStringParameters: multi(pairs(request.query, false)) ?? {},
    multiValueHeaders: headers,
    body: request.body ?? '',
    isBase64Encoded: false,
  };
}

/** A fresh event of `kind` for `request`. */
export function createEvent(kind: EventKind, request: EventRequest): unknown {
  return kind === 'rest-v1' ? restV1(request) : kind === 'http-v2' ? httpV2(request) : alb(request);
}

/** A fresh Lambda context. */
export function createContext(): Record<string, unknown> {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '1024',
    awsRequestId: requestId(),
    logGroupName: '/aws/lambda/bench',
    logStreamName: '2026/11/28/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
