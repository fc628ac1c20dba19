import { HttpRequest } from '../../../http/request';
import {
  decodedQueryMaps,
  encodedQueryString,
  eventBody,
  lastListEntry,
  setContentLength,
  singleValueHeaders,
} from '../request-parts';
import { invocationRequestId, malformed, optionalObject, requiredString } from '../event-fields';
import type { EventConversion, EventSource, HttpEvent, LambdaContext } from '../types';
import { lattice } from './lattice';

/**
 * A VPC Lattice event of structure version 1 as an {@link HttpRequest}: `raw_path`, `method`,
 * single-valued `headers` and `query_string_parameters`, `body` with `is_base64_encoded`, and
 * no request context (so no caller identity). The answer has the same shape as for v2 (VPC
 * Lattice User Guide, "Response from the Lambda function"), so only the request side differs.
 */
export function latticeV1EventToRequest(event: HttpEvent, conversion: EventConversion): HttpRequest {
  const method = requiredString(event, 'method', 'event');
  const path = requiredString(event, 'raw_path', 'event');
  if (path.charCodeAt(0) !== 47 /* / */) throw malformed('raw_path does not start with /');
  const question = path.indexOf('?');
  const query = question === -1 ? decodedQueryMaps(undefined, event.query_string_parameters) : undefined;
  const headers = singleValueHeaders(optionalObject(event, 'headers', 'event'), 'headers');
  const body = eventBody(event.body, event.is_base64_encoded, conversion.bodyLimit);
  setContentLength(headers, body);
  const raw: LambdaContext = { source: 'lattice-v1', event, context: conversion.context };
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
    source: 'lattice-v1',
    raw,
    deadline: conversion.deadline,
  });
}

/** VPC Lattice services with event structure version 1. */
export const latticeV1: EventSource = { ...lattice, name: 'lattice-v1', toRequest: latticeV1EventToRequest };
