import type { HttpResponse } from '../../http/response';
import { joinedHeaders, listHeaders, statusDescription } from './result-headers';
import { responseToResultBody } from './result-body';
import type { AlbResult } from './types';

export interface AlbResultOptions {
  /** The target group has multi-value headers on (the event carried `multiValueHeaders`). */
  multiValue: boolean;
  /** Told about the `Set-Cookie` values single-value mode cannot send. */
  onDroppedCookies?: (dropped: string[]) => void;
}

/**
 * An {@link HttpResponse} as an ALB result, in the header mode of the target group: the ELB docs
 * say to use `multiValueHeaders` when it is on and `headers` otherwise, and ALB ignores the other
 * map, so only one is sent (Hono 0e4dfe58, serverless-http 5a093ca). `statusDescription` is
 * required by the ELB docs and missing from most adapters.
 *
 * Single-value mode can carry one `Set-Cookie`: the first is sent intact and the rest reported,
 * never comma-joined into one broken cookie (Hono GHSA fix 7ae7cbae) nor silently dropped
 * (serverless-http#276). Other repeated headers are comma-joined, which HTTP allows.
 */
export function responseToAlbResult(response: HttpResponse, method: string, options: AlbResultOptions): AlbResult {
  const { body, isBase64Encoded } = responseToResultBody(response, method);
  const result: AlbResult = {
    statusCode: response.status,
    statusDescription: statusDescription(response.status),
    body,
    isBase64Encoded,
  };
  if (options.multiValue) {
    // ALB is reported to reverse multi-value order on output (serverless-http#244); unverified,
    // so values go out in the order the app set them.
    result.multiValueHeaders = listHeaders(response);
  } else {
    const headers = joinedHeaders(response);
    const cookies = response.cookies;
    if (cookies.length > 0) {
      headers['set-cookie'] = cookies[0]!;
      if (cookies.length > 1) options.onDroppedCookies?.(cookies.slice(1));
    }
    result.headers = headers;
  }
  return result;
}
