import type { Address, PostalEntry } from '../postal/address';

/** One page of a prefix search, in code order. */
export interface PostalPage {
  entries: PostalEntry[];
  /** Pass as `after` for the next page; absent on the last one. */
  nextCursor?: string;
}

export interface PrefixQuery {
  /** 1 to 7 digits. */
  prefix: string;
  /** A 7-digit code: codes up to and including it are skipped (the previous page's `nextCursor`). */
  after?: string;
  limit: number;
}

export interface StoreStatus {
  store: 'embedded' | 'redis';
  codes: number;
}

/** Where the API reads postal codes from. Both backends answer identically. */
export interface PostalStore {
  /** The addresses of a 7-digit code, or undefined when no such code exists. */
  lookup(code: string): Promise<readonly Address[] | undefined>;
  /** `lookup` for several codes in one go, in the order given. */
  lookupMany(codes: readonly string[]): Promise<Array<readonly Address[] | undefined>>;
  searchPrefix(query: PrefixQuery): Promise<PostalPage>;
  /** Adds one to the lookups of `code` (the API calls it through `waitUntil`, after its answer). */
  countLookup(code: string): Promise<void>;
  /** How many times `code` was looked up: per process for the embedded store, shared in Redis. */
  lookupCount(code: string): Promise<number>;
  /** Throws when the backend cannot answer. */
  status(): Promise<StoreStatus>;
  close(): Promise<void>;
}
