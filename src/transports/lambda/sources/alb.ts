import { HttpRequest } from '../../../http/request';
import { malformed, requiredString, type JsonObject, invocationRequestId } from '../event-fields';
import { rawQueryFromMaps, eventBody, eventHeaders, lastListEntry, setContentLength } from '../request-parts';
import type { LambdaContext, AlbResult, EventConversion, EventSource } from '../types';
import type { HttpResponse } from '../../../http/response';
import {
  joinedHeaders,
  listHeaders,
  statusDescription,
  ALB_RESULT_LIMIT,
  bareProblemResult,
  cookiePrelude,
} from '../result-parts';
import { responseToResultBody } from '../result-body';

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

export interface AlbResultOptions {
  /** The target group has multi-value headers on (the event carried `multiValueHeaders`). */
  multiValue: boolean;
  /** Told about the `Set-Cookie` values single-value mode cannot send. */
  onDroppedCookies?: (dropped: string[]) => void;
}

/**
 * An {@link HttpResponse} as an ALB result, in the header mode of the target group: the ELB docs
 * say to use `multiValueHeaders` when it is on and `headers` otherwise, and ALB ignores the other
 * map, so only one is sent (Hono 0e4dfe58, serverless-http 5a093ca). `statusDescription` is
 * required by the ELB docs and missing from most adapters.
 *
 * Single-value mode can carry one `Set-Cookie`: the first is sent intact and the rest reported,
 * never comma-joined into one broken cookie (Hono GHSA fix 7ae7cbae) nor silently dropped
 * (serverless-http#276). Other repeated headers are comma-joined, which HTTP allows.
 */
export function responseToAlbResult(response: HttpResponse, method: string, options: AlbResultOptions): AlbResult {
  const { body, isBase64Encoded } = responseToResultBody(response, method);
  const result: AlbResult = {
    statusCode: response.status,
    statusDescription: statusDescription(response.status),
    body,
    isBase64Encoded,
  };
  if (options.multiValue) {
    // ALB is reported to reverse multi-value order on output (serverless-http#244); unverified,
    // so values go out in the order the app set them.
    result.multiValueHeaders = listHeaders(response);
  } else {
    const headers = joinedHeaders(response);
    const cookies = response.cookies;
    if (cookies.length > 0) {
      headers['set-cookie'] = cookies[0]!;
      if (cookies.length > 1) options.onDroppedCookies?.(cookies.slice(1));
    }
    result.headers = headers;
  }
  return result;
}

/** Application Load Balancer targets, in either header mode. */
export const alb: EventSource = {
  name: 'alb',
  toRequest: albEventToRequest,
  toResult: (response, req, event, logger) =>
    responseToAlbResult(response, req.method, {
      multiValue: isAlbMultiValue(event),
      onDroppedCookies: (dropped) =>
        logger?.warn(
          { requestId: req.requestId, dropped: dropped.length },
          'ALB single-value mode sends one Set-Cookie; enable multi-value headers on the target group to send all',
        ),
    }),
  toPrelude: cookiePrelude,
  resultLimit: ALB_RESULT_LIMIT,
  bareResult(event) {
    const { headers, ...bare } = bareProblemResult();
    const statusDescription = STATUS_500;
    return isAlbMultiValue(event)
      ? { ...bare, statusDescription, multiValueHeaders: { 'content-type': [headers['content-type']] } }
      : { ...bare, statusDescription, headers };
  },
};

const STATUS_500 = statusDescription(500);
