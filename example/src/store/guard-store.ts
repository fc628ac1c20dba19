import { requestContext, ServiceUnavailableError } from 'crest';
import type { PostalStore } from './postal-store';

/** The 503 every store route may answer, as `@Doc({ problems })` documents it. */
export const STORE_UNAVAILABLE = {
  description: 'The postal-code store is not reachable; the request may be retried.',
  codes: ['STORE_UNAVAILABLE'],
};

/**
 * The store as the controllers see it: a backend failure (Redis down, a dropped connection)
 * reaches the client as a 503 `STORE_UNAVAILABLE` problem, which a client may retry, rather than
 * as a generic 500. The cause stays on the error, and is logged with the store call it failed.
 */
export function guardStore(store: PostalStore): PostalStore {
  const unavailable =
    (operation: keyof PostalStore) =>
    (cause: unknown): never => {
      // Code below the handler has no `req`: the request context's logger still puts the
      // request id on the line, so it joins crest's own line for the failed request.
      requestContext()?.logger.warn(
        { operation, cause: cause instanceof Error ? cause.message : String(cause) },
        'postal store failed',
      );
      throw new ServiceUnavailableError('The postal-code store is not reachable.', {
        code: STORE_UNAVAILABLE.codes[0],
        cause,
      });
    };
  return {
    lookup: (code) => store.lookup(code).catch(unavailable('lookup')),
    lookupMany: (codes) => store.lookupMany(codes).catch(unavailable('lookupMany')),
    searchPrefix: (query) => store.searchPrefix(query).catch(unavailable('searchPrefix')),
    countLookup: (code) => store.countLookup(code).catch(unavailable('countLookup')),
    lookupCount: (code) => store.lookupCount(code).catch(unavailable('lookupCount')),
    status: () => store.status().catch(unavailable('status')),
    close: () => store.close(),
  };
}
