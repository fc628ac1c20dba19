import { isObject, type JsonObject } from './event-fields';
import type { LambdaAuthorizer } from './types';

/**
 * REST API (1.0): Cognito user pool claims sit in `authorizer.claims`; a Lambda authorizer's
 * context values sit flat beside `principalId` and `integrationLatency` (coerced to strings by
 * API Gateway).
 */
export function v1Authorizer(raw: unknown): LambdaAuthorizer | undefined {
  if (!isObject(raw)) return undefined;
  const claims = objectOrUndefined(raw.claims);
  return {
    raw,
    claims,
    principalId: typeof raw.principalId === 'string' ? raw.principalId : undefined,
    lambda: claims === undefined ? raw : undefined,
  };
}

/** HTTP API / Function URL (2.0): `authorizer.jwt.{claims,scopes}`, `authorizer.lambda`, `authorizer.iam`. */
export function v2Authorizer(raw: unknown): LambdaAuthorizer | undefined {
  if (!isObject(raw)) return undefined;
  const jwt = objectOrUndefined(raw.jwt);
  const scopes = jwt?.scopes;
  return {
    raw,
    claims: objectOrUndefined(jwt?.claims),
    scopes: Array.isArray(scopes) ? (scopes as string[]) : undefined,
    lambda: objectOrUndefined(raw.lambda),
    iam: objectOrUndefined(raw.iam),
  };
}

/** VPC Lattice: the caller's IAM identity is `requestContext.identity`. */
export function latticeAuthorizer(identity: unknown): LambdaAuthorizer | undefined {
  return isObject(identity) ? { raw: identity, iam: identity } : undefined;
}

function objectOrUndefined(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}
