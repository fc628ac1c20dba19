import { ServiceUnavailableError } from 'crest';
import type { PostalStore } from './postal-store';

/** The 503 every store route may answer, as `@Doc({ problems })` documents it. */
export const STORE_UNAVAILABLE = {
  description: 'The postal-code store is not reachable; the request may be retried.',
  codes: ['STORE_UNAVAILABLE'],
};

/**
 * The store as the controllers see it: a backend failure (Redis down, a dropped connection)
 * reaches the client as a 503 `STORE_UNAVAILABLE` problem, which a client may retry, rather than
 * as a generic 500. The cause stays on the error for logs.
 */
export function guardStore(store: PostalStore): PostalStore {
  const unavailable = (cause: unknown): never => {
    throw new ServiceUnavailableError('The postal-code store is not reachable.', {
      code: STORE_UNAVAILABLE.codes[0],
      cause,
    });
  };
  return {
    lookup: (code) => store.lookup(code).catch(unavailable),
    lookupMany: (codes) => store.lookupMany(codes).catch(unavailable),
    searchPrefix: (query) => store.searchPrefix(query).catch(unavailable),
    status: () => store.status().catch(unavailable),
    close: () => store.close(),
  };
}
