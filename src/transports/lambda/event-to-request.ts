import { HttpRequest } from '../../http/request';
import { albEventToRequest } from './alb-request';
import { stringAt, type JsonObject } from './event-fields';
import { latticeEventToRequest } from './lattice-request';
import { invocationRequestId, type EventConversion } from './request-options';
import type { LambdaContext, LambdaSource } from './types';
import { v1EventToRequest } from './v1-request';
import { v2EventToRequest } from './v2-request';

/** An event `detectSource` recognised: an object with a `requestContext` object. */
export type HttpEvent = JsonObject & { requestContext: JsonObject };

/** Converts an event of a detected source; throws a coded HttpError (400, 413) for a bad one. */
export function eventToRequest(source: LambdaSource, event: HttpEvent, conversion: EventConversion): HttpRequest {
  switch (source) {
    case 'apigw-v1':
      return v1EventToRequest(event, conversion);
    case 'apigw-v2':
      return v2EventToRequest(event, conversion, false);
    case 'function-url':
      return v2EventToRequest(event, conversion, true);
    case 'alb':
      return albEventToRequest(event, conversion);
    case 'lattice':
      return latticeEventToRequest(event, conversion);
  }
}

/**
 * The request an error response is made for when the event could not be converted: whatever
 * could be read safely (method, path, request id) so the problem and the log line still say
 * which request failed.
 */
export function fallbackRequest(source: LambdaSource, event: HttpEvent, conversion: EventConversion): HttpRequest {
  const requestContext = event.requestContext;
  const http = requestContext.http;
  const method = stringAt(event, 'httpMethod') ?? stringAt(event, 'method') ?? stringAt(http, 'method') ?? 'GET';
  const path = stringAt(event, 'path') ?? stringAt(event, 'rawPath') ?? '/';
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
