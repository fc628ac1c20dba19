import type { HttpResponse } from '../../http/response';
import { joinedHeaders, statusDescription } from './result-headers';
import { responseToResultBody } from './result-body';
import type { LatticeResult } from './types';

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
