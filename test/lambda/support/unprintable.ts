import type { HttpResponse } from '../../../src';

/** Gives `response` a header whose value throws when turned into a string; returns it. */
export function withUnprintableHeader(response: HttpResponse): HttpResponse {
  (response.headers as Record<string, unknown>)['x-bad'] = {
    toString() {
      throw new Error('unprintable');
    },
  };
  return response;
}
