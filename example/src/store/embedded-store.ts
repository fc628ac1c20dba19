import type { Address, PostalEntry } from '../postal/address';
import { readPostalEntries } from '../postal/postal-data';
import type { PostalPage, PostalStore, PrefixQuery, StoreStatus } from './postal-store';

/**
 * The whole data set in memory: a map for lookups and the codes sorted, so that a prefix
 * search is a binary search and a short scan.
 */
export class EmbeddedStore implements PostalStore {
  private readonly byCode: Map<string, readonly Address[]>;
  private readonly sorted: readonly PostalEntry[];

  /** `entries` sorted by code, as {@link readPostalEntries} gives them. */
  constructor(entries: readonly PostalEntry[]) {
    this.byCode = new Map(entries.map((entry) => [entry.code, entry.addresses]));
    this.sorted = entries;
  }

  /** The store over the Japan Post data set. */
  static fromJpPostal(env: NodeJS.ProcessEnv = process.env): EmbeddedStore {
    return new EmbeddedStore(readPostalEntries(env));
  }

  async lookup(code: string): Promise<readonly Address[] | undefined> {
    return this.byCode.get(code);
  }

  async lookupMany(codes: readonly string[]): Promise<Array<readonly Address[] | undefined>> {
    return codes.map((code) => this.byCode.get(code));
  }

  async searchPrefix({ prefix, after, limit }: PrefixQuery): Promise<PostalPage> {
    const sorted = this.sorted;
    const start =
      after !== undefined && after >= prefix ? firstAbove(sorted, after, true) : firstAbove(sorted, prefix, false);
    const entries: PostalEntry[] = [];
    for (let i = start; i < sorted.length && sorted[i]!.code.startsWith(prefix); i++) {
      if (entries.length === limit) return { entries, nextCursor: entries[limit - 1]!.code };
      entries.push(sorted[i]!);
    }
    return { entries };
  }

  async status(): Promise<StoreStatus> {
    return { store: 'embedded', codes: this.sorted.length };
  }

  async close(): Promise<void> {}
}

/** The first index whose code is above `key` (`exclusive`) or at least `key`. */
function firstAbove(sorted: readonly PostalEntry[], key: string, exclusive: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const code = sorted[middle]!.code;
    if (code < key || (exclusive && code === key)) low = middle + 1;
    else high = middle;
  }
  return low;
}
