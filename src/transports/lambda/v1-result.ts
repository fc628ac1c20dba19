import type { HttpResponse } from '../../http/response';
import { splitHeaders } from './result-headers';
import { responseToResultBody } from './result-body';
import type { V1Result } from './types';

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
