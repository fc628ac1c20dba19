import type { HttpRequest } from '../../../http/request';
import { singleValueHeaders } from '../request-parts';
import { malformed, optionalObject, requiredString } from '../event-fields';
import type { EventConversion, EventSource, HttpEvent, LambdaContext } from '../types';
import { lattice, latticeRequest } from './lattice';

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
  const headers = singleValueHeaders(optionalObject(event, 'headers', 'event'), 'headers');
  const raw: LambdaContext = { source: 'lattice-v1', event, context: conversion.context };
  return latticeRequest(
    method,
    path,
    event.query_string_parameters,
    headers,
    event.body,
    event.is_base64_encoded,
    raw,
    conversion,
  );
}

/** VPC Lattice services with event structure version 1. */
export const latticeV1: EventSource = { ...lattice, name: 'lattice-v1', toRequest: latticeV1EventToRequest };
