import { randomBytes } from 'node:crypto';
import type { ALBEvent } from 'aws-lambda';
import { isTextualRequestType } from './body-types';
import { findHeader, lowerCaseHeaders, parseTestRequest, rawQueryPairs, type TestRequest } from './request';

export interface AlbEventOptions {
  /** The target group has multi-value headers on (default false: single-value mode). */
  multiValueHeaders?: boolean;
}

/**
 * An Application Load Balancer event as ALB sends it (shapes of the live multi-value capture and
 * the AWS single-value sample): `path` encoded, query keys and values NOT decoded, header names
 * lower-case, the client address appended to `X-Forwarded-For`, an `X-Amzn-Trace-Id`, and the
 * body base64-encoded unless its type is text, JSON, JavaScript or XML (ELB docs). Single-value
 * mode keeps only the last value of a repeated header or query key; multi-value mode sends
 * `multiValueHeaders` / `multiValueQueryStringParameters` and no single maps (the ELB docs'
 * example; typed captures log them as null, which crest reads the same way).
 *
 * @example await handler(albEvent({ url: '/health' }, { multiValueHeaders: true }), lambdaContext());
 */
export function albEvent(request: TestRequest = {}, options: AlbEventOptions = {}): ALBEvent {
  const req = parseTestRequest(
    request,
    `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  );
  const lists = lowerCaseHeaders(req.headers);
  lists.host ??= ['crest-alb-1234567890.us-east-1.elb.amazonaws.com'];
  // ALB appends the address it saw to whatever the client claimed.
  lists['x-forwarded-for'] = [[...(lists['x-forwarded-for'] ?? []), req.sourceIp].join(', ')];
  lists['x-forwarded-proto'] ??= ['https'];
  lists['x-forwarded-port'] ??= ['443'];
  lists['x-amzn-trace-id'] = [`Root=${req.requestId}`];
  if (req.body !== undefined) lists['content-length'] = [String(req.body.length)];
  const pairs = rawQueryPairs(req.rawQuery);
  const base64 = req.body !== undefined && !isTextualRequestType(findHeader(req.headers, 'content-type')?.[0]);
  const event: ALBEvent = {
    requestContext: {
      elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/crest/6d0ecf831eec9f09' },
    },
    httpMethod: req.method,
    path: req.path,
    body: req.body === undefined ? '' : req.body.toString(base64 ? 'base64' : 'utf8'),
    isBase64Encoded: base64,
  };
  if (options.multiValueHeaders === true) {
    const query = Object.create(null) as Record<string, string[]>;
    for (const [key, value] of pairs) (query[key] ??= []).push(value);
    event.multiValueQueryStringParameters = query;
    event.multiValueHeaders = lists;
  } else {
    const query = Object.create(null) as Record<string, string>;
    for (const [key, value] of pairs) query[key] = value;
    const headers = Object.create(null) as Record<string, string>;
    for (const key of Object.keys(lists)) headers[key] = lists[key]![lists[key]!.length - 1]!;
    event.queryStringParameters = query;
    event.headers = headers;
  }
  return event;
}
