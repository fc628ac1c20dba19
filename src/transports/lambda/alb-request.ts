import { HttpRequest } from '../../http/request';
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
 * - Request id: the invocation's `awsRequestId`. ALB events carry no id of their own, and the
 *   `Root=` of `X-Amzn-Trace-Id` is the client's whenever it sends one (ALB keeps a valid one), so
 *   a client could choose the id that problem bodies and logs show (`Root=1-…-victims-id`).
 *   The trace header still reaches the app unchanged.
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
    requestId: invocationRequestId(undefined, conversion),
    source: 'alb',
    raw,
    deadline: conversion.deadline,
  });
}
