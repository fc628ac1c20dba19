import { ServiceUnavailableError } from 'crest';
import type { PostalStore } from './postal-store';

/**
 * The store as the controllers see it: a backend failure (Redis down, a dropped connection)
 * reaches the client as a 503 `STORE_UNAVAILABLE` problem, which a client may retry, rather than
 * as a generic 500. The cause stays on the error for logs.
 */
export function guardStore(store: PostalStore): PostalStore {
  const unavailable = (cause: unknown): never => {
    throw new ServiceUnavailableError('The postal-code store is not reachable.', { code: 'STORE_UNAVAILABLE', cause });
  };
  return {
    lookup: (code) => store.lookup(code).catch(unavailable),
    lookupMany: (codes) => store.lookupMany(codes).catch(unavailable),
    searchPrefix: (query) => store.searchPrefix(query).catch(unavailable),
    status: () => store.status().catch(unavailable),
    close: () => store.close(),
  };
}
