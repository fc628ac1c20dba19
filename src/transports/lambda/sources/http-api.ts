import { HttpRequest } from '../../../http/request';
import {
  v2Authorizer,
  escapeDecodedPath,
  escapeEncodedPath,
  stripStage,
  eventBody,
  setContentLength,
  setHeader,
  singleValueHeaders,
} from '../request-parts';
import {
  describeValue,
  isObject,
  malformed,
  optionalString,
  requiredString,
  stringAt,
  type JsonObject,
  invocationRequestId,
} from '../event-fields';
import type { LambdaContext, V2Result, EventConversion, EventSource, HttpEvent } from '../types';
import type { HttpResponse } from '../../../http/response';
import { bareProblemResult, cookiePrelude, joinedHeaders, LAMBDA_RESULT_LIMIT } from '../result-parts';
import { responseToResultBody } from '../result-body';

/**
 * A payload 2.0 event (HTTP API or Function URL) as an {@link HttpRequest}.
 *
 * - Path: HTTP API hands over `rawPath` DECODED (`/capture/space value`) with a named stage in
 *   front (`/dev/...`); it is re-escaped and the stage removed. A Function URL's `rawPath` is
 *   already encoded (`/capture/space%20value`): only characters a URL cannot carry are escaped,
 *   and a malformed `%` is left for the router to refuse, as on every other source.
 * - Query: `rawQueryString`, as sent, order kept; never `queryStringParameters`, which
 *   comma-joins repeats (`repeat: "one,two"`, Zappa#1472, lambda-api#277).
 * - Cookies: `cookies[]`, joined with `; `. A Function URL also sends the same pairs as
 *   `headers.cookie` (live capture): `cookies[]` replaces it rather than being appended to it.
 */
export function v2EventToRequest(
  event: JsonObject & { requestContext: JsonObject },
  conversion: EventConversion,
  functionUrl: boolean,
): HttpRequest {
  const requestContext = event.requestContext;
  if (event.version !== '2.0') throw malformed(`version ${describeValue(event.version)} is not 2.0`);
  const http = requestContext.http;
  if (!isObject(http)) throw malformed('requestContext.http is not an object');
  const method = requiredString(http, 'method', 'requestContext.http');
  let rawPath = optionalString(event, 'rawPath', 'event') ?? stringAt(http, 'path') ?? '/';
  if (rawPath.charCodeAt(0) !== 47 /* / */) throw malformed('rawPath does not start with /');
  if (functionUrl) {
    rawPath = escapeEncodedPath(rawPath);
  } else {
    rawPath = escapeDecodedPath(rawPath);
    rawPath = stripStage(rawPath, stringAt(requestContext, 'stage'), stringAt(requestContext, 'domainName'));
  }

  const headers = singleValueHeaders(event.headers, 'headers');
  const cookies = event.cookies;
  if (Array.isArray(cookies) && cookies.length > 0) {
    for (const cookie of cookies) if (typeof cookie !== 'string') throw malformed('cookies holds a non-string');
    headers.headers.cookie = cookies.join('; ');
  } else if (cookies !== undefined && cookies !== null && !Array.isArray(cookies)) {
    throw malformed('cookies is not an array');
  }
  const body = eventBody(event.body, event.isBase64Encoded, conversion.bodyLimit);
  setContentLength(headers, body);
  const requestId = invocationRequestId(optionalString(requestContext, 'requestId', 'requestContext'), conversion);
  // Ridge and DESIGN.md: on API Gateway the request id header is the platform's, never the client's.
  setHeader(headers, 'x-amzn-requestid', requestId);

  const source = functionUrl ? 'function-url' : 'apigw-v2';
  const raw: LambdaContext = {
    source,
    event,
    context: conversion.context,
    authorizer: v2Authorizer(requestContext.authorizer),
  };
  return new HttpRequest({
    method,
    rawPath,
    rawQuery: optionalString(event, 'rawQueryString', 'event') ?? '',
    headers: headers.headers,
    body,
    ip: stringAt(http, 'sourceIp') ?? '',
    requestId,
    source,
    raw,
    deadline: conversion.deadline,
  });
}

/**
 * An {@link HttpResponse} as an HTTP API (payload 2.0) or Function URL result. These take no
 * `multiValueHeaders` (serverless-express#554): a repeated header is comma-joined, and each
 * `Set-Cookie` goes in `cookies[]` (the Function URL docs: don't set `set-cookie` by hand).
 */
export function responseToV2Result(response: HttpResponse, method: string): V2Result {
  const { body, isBase64Encoded } = responseToResultBody(response, method);
  const result: V2Result = { statusCode: response.status, headers: joinedHeaders(response), body, isBase64Encoded };
  if (response.cookies.length > 0) result.cookies = [...response.cookies];
  return result;
}

/** HTTP APIs (payload 2.0). */
export const httpApi: EventSource = {
  name: 'apigw-v2',
  toRequest: (event: HttpEvent, conversion) => v2EventToRequest(event, conversion, false),
  toResult: (response, req) => responseToV2Result(response, req.method),
  toPrelude: cookiePrelude,
  resultLimit: LAMBDA_RESULT_LIMIT,
  bareResult: () => bareProblemResult(),
};

/** Function URLs: payload 2.0, an already encoded path, and response streaming. */
export const functionUrl: EventSource = {
  ...httpApi,
  name: 'function-url',
  toRequest: (event: HttpEvent, conversion) => v2EventToRequest(event, conversion, true),
};
