import { invocationRequestId, isObject, stringAt, type JsonObject } from './event-fields';
import type { EventConversion, EventSource, HttpEvent, LambdaContext, LambdaSource } from './types';
import { HttpRequest } from '../../http/request';
import { alb } from './sources/alb';
import { functionUrl, httpApi } from './sources/http-api';
import { lattice } from './sources/lattice';
import { latticeV1 } from './sources/lattice-v1';
import { restApi } from './sources/rest-api';

/**
 * Detection is structural and looks only at fields AWS sets, never at a header a client could
 * send. Order matters: ALB and Lattice events may look like 1.0 events, and a REST event behind
 * a custom-domain base-path mapping also carries `rawPath` (honojs/hono#5015), so 2.0 is
 * recognised by `requestContext.http`, never by `rawPath`.
 */

/** An Application Load Balancer target event (`requestContext.elb`). */
export function isAlbEvent(event: unknown): event is JsonObject & { requestContext: JsonObject } {
  return detectSource(event) === 'alb';
}

/** A payload 2.0 event: HTTP API or Function URL (`requestContext.http`). */
export function isV2Event(event: unknown): event is JsonObject & { requestContext: JsonObject } {
  const source = detectSource(event);
  return source === 'apigw-v2' || source === 'function-url';
}

/**
 * A Function URL event: a 2.0 event whose domain is `<url-id>.lambda-url.<region>.on.aws`
 * (a CloudFront alias in front of it still reaches the function with that domain).
 */
export function isFunctionUrlEvent(event: unknown): boolean {
  return detectSource(event) === 'function-url';
}

function isFunctionUrlDomain(domain: unknown): boolean {
  return typeof domain === 'string' && domain.includes('.lambda-url.');
}

/** A VPC Lattice event: v2 (`requestContext.serviceArn`) or v1 (snake_case `raw_path`, no request context). */
export function isLatticeEvent(event: unknown): event is JsonObject {
  const source = detectSource(event);
  return source === 'lattice' || source === 'lattice-v1';
}

/**
 * A payload 1.0 event: REST API, or an HTTP API configured for payload 1.0. ALB and Lattice
 * events carry `httpMethod` too; like every guard here, this one is {@link detectSource}'s answer.
 */
export function isV1Event(event: unknown): event is JsonObject & { requestContext: JsonObject } {
  return detectSource(event) === 'apigw-v1';
}

/** Which HTTP source sent `event`, or undefined for anything else (SQS, EventBridge, direct invoke). */
export function detectSource(event: unknown): LambdaSource | undefined {
  if (!isObject(event)) return undefined;
  // Lattice v1 events alone have no request context: snake_case `raw_path` says which they are.
  if (typeof event.raw_path === 'string' && typeof event.method === 'string') return 'lattice-v1';
  const context = event.requestContext;
  if (!isObject(context)) return undefined;
  if (context.elb !== undefined) return 'alb';
  if (context.http !== undefined) return isFunctionUrlDomain(context.domainName) ? 'function-url' : 'apigw-v2';
  if (context.serviceArn !== undefined) return 'lattice';
  if (event.httpMethod !== undefined) return 'apigw-v1';
  return undefined;
}

/** Every Lambda event source crest serves, by the name `detectSource` gives it. */
export const SOURCES: { readonly [S in LambdaSource]: EventSource } = {
  'apigw-v1': restApi,
  'apigw-v2': httpApi,
  'function-url': functionUrl,
  alb,
  lattice,
  'lattice-v1': latticeV1,
};

/**
 * The request an error response is made for when the event could not be converted: whatever
 * could be read safely (method, path, request id) so the problem and the log line still say
 * which request failed.
 */
export function requestForBadEvent(source: LambdaSource, event: HttpEvent, conversion: EventConversion): HttpRequest {
  // Absent from Lattice v1 events.
  const requestContext: unknown = event.requestContext;
  const http = isObject(requestContext) ? requestContext.http : undefined;
  const method = stringAt(event, 'httpMethod') ?? stringAt(event, 'method') ?? stringAt(http, 'method') ?? 'GET';
  const path = stringAt(event, 'path') ?? stringAt(event, 'rawPath') ?? stringAt(event, 'raw_path') ?? '/';
  const raw: LambdaContext = { source, event, context: conversion.context };
  return new HttpRequest({
    method,
    rawPath: path.charCodeAt(0) === 47 /* / */ ? path : '/',
    headers: Object.create(null) as Record<string, string>,
    requestId: invocationRequestId(stringAt(requestContext, 'requestId'), conversion),
    source,
    raw,
  });
}
