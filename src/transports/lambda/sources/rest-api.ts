import { HttpRequest } from '../../../http/request';
import {
  v1Authorizer,
  escapeDecodedPath,
  stripBasePath,
  stripStage,
  decodedQueryMaps,
  encodedQueryString,
  eventBody,
  eventHeaders,
  setContentLength,
  setHeader,
} from '../request-parts';
import {
  describeValue,
  malformed,
  optionalString,
  requiredString,
  stringAt,
  type JsonObject,
  invocationRequestId,
} from '../event-fields';
import type { LambdaContext, V1Result, EventConversion, EventSource } from '../types';
import type { HttpResponse } from '../../../http/response';
import { bareProblemResult, LAMBDA_RESULT_LIMIT, splitHeaders } from '../result-parts';
import { responseToResultBody } from '../result-body';

/**
 * A payload 1.0 event (REST API, or HTTP API set to payload 1.0) as an {@link HttpRequest}.
 *
 * - `path` is percent-encoded as the client sent it and never holds the REST stage
 *   (`requestContext.path` does: `/live/capture/space%20value`, live capture). `pathParameters.proxy`
 *   is never used: it drops the resource prefix (serverless-express#397).
 * - `multiValueQueryStringParameters` and `multiValueHeaders` hold every value; the single maps
 *   hold only the last one. The query string is rebuilt from the decoded map, so
 *   `req.queryString` (and `maxUrlLength`) count it as on every other source.
 */
export function v1EventToRequest(
  event: JsonObject & { requestContext: JsonObject },
  conversion: EventConversion,
): HttpRequest {
  const requestContext = event.requestContext;
  const version = event.version;
  if (version !== undefined && version !== '1.0') throw malformed(`version ${describeValue(version)} is not 1.0`);
  const method = requiredString(event, 'httpMethod', 'event');
  let rawPath = requiredString(event, 'path', 'event');
  if (rawPath.charCodeAt(0) !== 47 /* / */) throw malformed('path does not start with /');
  if (version === '1.0') {
    // HTTP API with payload 1.0 (REST events carry no version) puts a named stage in `path`
    // (serverless-http PR #143) and, like its 2.0 `rawPath`, may hand it over decoded: both
    // unverified, and re-escaping leaves an encoded path as it is.
    rawPath = escapeDecodedPath(rawPath);
    rawPath = stripStage(rawPath, stringAt(requestContext, 'stage'), stringAt(requestContext, 'domainName'));
  }
  rawPath = stripBasePath(rawPath, conversion.basePath);

  const headers = eventHeaders(event);
  const body = eventBody(event.body, event.isBase64Encoded, conversion.bodyLimit);
  setContentLength(headers, body);
  const requestId = invocationRequestId(optionalString(requestContext, 'requestId', 'requestContext'), conversion);
  // Ridge and DESIGN.md: on API Gateway the request id header is the platform's, never the client's.
  setHeader(headers, 'x-amzn-requestid', requestId);

  const query = decodedQueryMaps(event.multiValueQueryStringParameters, event.queryStringParameters);

  const raw: LambdaContext = {
    source: 'apigw-v1',
    event,
    context: conversion.context,
    authorizer: v1Authorizer(requestContext.authorizer),
  };
  return new HttpRequest({
    method,
    rawPath,
    query,
    rawQuery: encodedQueryString(query),
    headers: headers.headers,
    headerLists: headers.lists,
    body,
    ip: stringAt(requestContext.identity, 'sourceIp') ?? '',
    requestId,
    source: 'apigw-v1',
    raw,
    deadline: conversion.deadline,
  });
}

/**
 * An {@link HttpResponse} as a REST API (payload 1.0) result: single values in `headers`,
 * repeated headers and every `Set-Cookie` in `multiValueHeaders` (see {@link splitHeaders}).
 * Never a `cookies` key: REST answers it with 502 "Malformed Lambda proxy response"
 * (fujiwara/ridge#25, nitro#504, sst#2760). Binary bodies reach the client decoded only if the
 * API's `binaryMediaTypes` match the request's `Accept` (AWS payload-encodings doc); otherwise
 * the client sees base64 text.
 */
export function responseToV1Result(response: HttpResponse, method: string): V1Result {
  const { headers, multiValueHeaders } = splitHeaders(response);
  const { body, isBase64Encoded } = responseToResultBody(response, method);
  const result: V1Result = { statusCode: response.status, headers, body, isBase64Encoded };
  if (multiValueHeaders !== undefined) result.multiValueHeaders = multiValueHeaders;
  return result;
}

/** REST APIs (payload 1.0), and HTTP APIs set to payload 1.0. */
export const restApi: EventSource = {
  name: 'apigw-v1',
  toRequest: v1EventToRequest,
  toResult: (response, req) => responseToV1Result(response, req.method),
  // REST streaming takes `multiValueHeaders`, and never `cookies`.
  toPrelude(response) {
    const { headers, multiValueHeaders } = splitHeaders(response);
    return multiValueHeaders === undefined
      ? { statusCode: response.status, headers }
      : { statusCode: response.status, headers, multiValueHeaders };
  },
  resultLimit: LAMBDA_RESULT_LIMIT,
  bareResult: () => bareProblemResult(),
};
