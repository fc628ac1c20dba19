import type { HttpResponse } from '../../http/response';
import { joinedHeaders } from './result-headers';
import { responseToResultBody } from './result-body';
import type { V2Result } from './types';

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
