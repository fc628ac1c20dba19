import { ErrorCodes, requestError, type HttpError } from '../../errors';
import { newRequestId } from '../../http/request';
import type { EventConversion, LambdaRuntimeContext } from './types';

/** A JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 400 for an event that claims to be HTTP but cannot be read as such. */
export function malformed(what: string): HttpError {
  return requestError(ErrorCodes.INVALID_EVENT, `The Lambda event is malformed: ${what}.`);
}

/**
 * A field's value for a malformed-event message, short and never throwing: `String(value)` throws
 * for an object whose `toString` is not a function (`{"version":{"toString":1}}` parses as one).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : String(value);
}

/** A required string field; anything else makes the event malformed. */
export function requiredString(object: JsonObject, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw malformed(`${where}.${key} is not a string`);
  return value;
}

/** An optional string field: absent or null is undefined, a non-string makes the event malformed. */
export function optionalString(object: JsonObject, key: string, where: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformed(`${where}.${key} is not a string`);
  return value;
}

/** An optional object field: absent or null is undefined, a non-object makes the event malformed. */
export function optionalObject(object: JsonObject, key: string, where: string): JsonObject | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw malformed(`${where}.${key} is not an object`);
  return value;
}

/** The string at `object.key` when it is one, else undefined; never throws (for best-effort reads). */
export function stringAt(object: unknown, key: string): string | undefined {
  if (!isObject(object)) return undefined;
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** Whether an object has at least one own key: an empty multi-value map says nothing. */
export function hasKeys(object: JsonObject): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** The invocation deadline the core races handlers against, if the context tells it. */
export function invocationDeadline(context: LambdaRuntimeContext | undefined): number | undefined {
  return typeof context?.getRemainingTimeInMillis === 'function'
    ? Date.now() + context.getRemainingTimeInMillis()
    : undefined;
}

/**
 * The request id of an invocation: the one API Gateway puts in the event (`requestContext.requestId`)
 * or, where the event has none (ALB, VPC Lattice), the invocation's `awsRequestId`. Never a value
 * a client can set: not `x-request-id`, and not ALB's `X-Amzn-Trace-Id`, whose `Root` ALB keeps
 * when the client sends one.
 */
export function invocationRequestId(eventRequestId: string | undefined, conversion: EventConversion): string {
  if (eventRequestId !== undefined && eventRequestId !== '') return eventRequestId;
  const awsRequestId = stringAt(conversion.context, 'awsRequestId');
  return awsRequestId !== undefined && awsRequestId !== '' ? awsRequestId : newRequestId();
}
