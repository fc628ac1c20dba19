import { HttpRequest } from '../http/request';
import { malformed, requiredString, type JsonObject } from './event-fields';
import { rawQueryFromMaps } from './query-maps';
import { eventBody } from './request-body';
import { eventHeaders, lastListEntry, setContentLength } from './request-headers';
import { invocationRequestId, type EventConversion } from './request-options';
import type { LambdaContext } from './types';

/** Whether an ALB event came from a target group with multi-value headers on. */
export function isAlbMultiValue(event: JsonObject): boolean {
  return event.multiValueHeaders !== undefined && event.multiValueHeaders !== null;
}

/**
 * An Application Load Balancer event (either header mode) as an {@link HttpRequest}.
 *
 * - `path` is encoded as sent; query keys and values arrive NOT decoded and are decoded once by
 *   the core (see {@link rawQueryFromMaps}).
 * - Multi-value mode: `multiValueHeaders` only (`headers` is absent). Single-value mode: a
 *   repeated header or query key arrives with its last value only; nothing can recover the rest.
 * - Client IP: the LAST `X-Forwarded-For` entry, the one ALB appended; earlier entries are
 *   whatever the client claimed (Hono GHSA fix 41adbf56; lambda-api takes the first).
 * - Request id: the `Root=` of `X-Amzn-Trace-Id`, which ALB sets; health checks carry none and
 *   get the invocation's `awsRequestId`.
 */
export function albEventToRequest(
  event: JsonObject & { requestContext: JsonObject },
  conversion: EventConversion,
): HttpRequest {
  const method = requiredString(event, 'httpMethod', 'event');
  const rawPath = requiredString(event, 'path', 'event');
  if (rawPath.charCodeAt(0) !== 47 /* / */) throw malformed('path does not start with /');
  const headers = eventHeaders(event);
  const body = eventBody(event.body, event.isBase64Encoded, conversion.bodyLimit);
  setContentLength(headers, body);

  const raw: LambdaContext = { source: 'alb', event, context: conversion.context };
  return new HttpRequest({
    method,
    rawPath,
    rawQuery: rawQueryFromMaps(event.multiValueQueryStringParameters, event.queryStringParameters),
    headers: headers.headers,
    headerLists: headers.lists,
    body,
    ip: lastListEntry(headers.headers['x-forwarded-for']),
    requestId: invocationRequestId(traceRoot(headers.headers['x-amzn-trace-id']), conversion),
    source: 'alb',
    raw,
    deadline: conversion.deadline,
  });
}

/** The trace id `1-5c34e93e-4dea0086f9763ac0667b115a` out of `Self=…;Root=1-5c34…;Sampled=…`. */
function traceRoot(traceId: string | undefined): string | undefined {
  if (traceId === undefined) return undefined;
  const start = traceId.indexOf('Root=');
  if (start === -1) return traceId;
  const end = traceId.indexOf(';', start);
  return traceId.slice(start + 5, end === -1 ? traceId.length : end);
}
