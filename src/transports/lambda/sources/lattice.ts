import { HttpRequest } from '../../../http/request';
import {
  latticeAuthorizer,
  decodedQueryMaps,
  encodedQueryString,
  eventBody,
  lastListEntry,
  multiValueHeaders,
  setContentLength,
  singleValueHeaders,
  type RequestHeaders,
} from '../request-parts';
import { malformed, optionalObject, requiredString, type JsonObject, invocationRequestId } from '../event-fields';
import type { LambdaContext, LatticeResult, EventConversion, EventSource } from '../types';
import type { HttpResponse } from '../../../http/response';
import {
  joinedHeaders,
  statusDescription,
  bareProblemResult,
  cookiePrelude,
  LAMBDA_RESULT_LIMIT,
} from '../result-parts';
import { responseToResultBody } from '../result-body';

/**
 * A VPC Lattice event (v2) as an {@link HttpRequest}. Header and query values are strings in
 * older fixtures and string arrays in newer ones (Powertools schema, lambda_http fixtures), so
 * both are read.
 */
export function latticeEventToRequest(
  event: JsonObject & { requestContext: JsonObject },
  conversion: EventConversion,
): HttpRequest {
  const method = requiredString(event, 'method', 'event');
  const path = requiredString(event, 'path', 'event');
  if (path.charCodeAt(0) !== 47 /* / */) throw malformed('path does not start with /');
  const headerMap = optionalObject(event, 'headers', 'event');
  const headers =
    headerMap === undefined ? singleValueHeaders(undefined, 'headers') : multiValueHeaders(headerMap, 'headers');
  const raw: LambdaContext = {
    source: 'lattice',
    event,
    context: conversion.context,
    authorizer: latticeAuthorizer(event.requestContext.identity),
  };
  return latticeRequest(
    method,
    path,
    event.queryStringParameters,
    headers,
    event.body,
    event.isBase64Encoded,
    raw,
    conversion,
  );
}

/**
 * The request of either Lattice event version, from the fields they name differently. Whether
 * `path` can carry the query string is unverified (Hono assumes it can): when it does, that
 * query is used as sent; otherwise the query string is rebuilt from the map.
 */
export function latticeRequest(
  method: string,
  path: string,
  queryMap: unknown,
  headers: RequestHeaders,
  eventBodyField: unknown,
  isBase64Encoded: unknown,
  raw: LambdaContext,
  conversion: EventConversion,
): HttpRequest {
  const question = path.indexOf('?');
  const query = question === -1 ? decodedQueryMaps(undefined, queryMap) : undefined;
  const body = eventBody(eventBodyField, isBase64Encoded, conversion.bodyLimit);
  setContentLength(headers, body);
  return new HttpRequest({
    method,
    rawPath: question === -1 ? path : path.slice(0, question),
    query,
    rawQuery: query === undefined ? path.slice(question + 1) : encodedQueryString(query),
    headers: headers.headers,
    headerLists: headers.lists,
    body,
    ip: lastListEntry(headers.headers['x-forwarded-for']),
    // Lattice events carry no request id of their own.
    requestId: invocationRequestId(undefined, conversion),
    source: raw.source,
    raw,
    deadline: conversion.deadline,
  });
}

/**
 * An {@link HttpResponse} as a VPC Lattice result: one `headers` map, repeated values comma-joined
 * and `Set-Cookie` an array when there are several (as Hono sends them; the Lattice docs show single values
 * only, unverified here).
 */
export function responseToLatticeResult(response: HttpResponse, method: string): LatticeResult {
  const headers: Record<string, string | string[]> = joinedHeaders(response);
  if (response.cookies.length > 0) {
    headers['set-cookie'] = response.cookies.length === 1 ? response.cookies[0]! : [...response.cookies];
  }
  const { body, isBase64Encoded } = responseToResultBody(response, method);
  return {
    statusCode: response.status,
    statusDescription: statusDescription(response.status),
    headers,
    body,
    isBase64Encoded,
  };
}

/** VPC Lattice services (event v2). */
export const lattice: EventSource = {
  name: 'lattice',
  toRequest: latticeEventToRequest,
  toResult: (response, req) => responseToLatticeResult(response, req.method),
  toPrelude: cookiePrelude,
  resultLimit: LAMBDA_RESULT_LIMIT,
  bareResult: () => ({ ...bareProblemResult(), statusDescription: statusDescription(500) }),
};
