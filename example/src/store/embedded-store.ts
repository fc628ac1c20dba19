import type { Address, PostalEntry } from '../postal/address';
import { PackedPostal, packPostalEntries } from '../postal/packed-postal';
import { readPackedPostal } from '../postal/postal-data';
import type { PostalPage, PostalStore, PrefixQuery, StoreStatus } from './postal-store';

const CODE_DIGITS = 7;

/**
 * The data set in memory, packed (`src/postal/packed-postal.ts`): a lookup is a binary search
 * over the sorted codes, a prefix page a binary search and a short scan, and only the entries
 * answered are turned into objects.
 */
export class EmbeddedStore implements PostalStore {
  private readonly data: PackedPostal;

  /** Over the packed data set, or over `entries` (sorted by code), packed here: small data sets in tests. */
  constructor(data: PackedPostal | readonly PostalEntry[]) {
    this.data = data instanceof PackedPostal ? data : PackedPostal.fromBytes(packPostalEntries(data));
  }

  /** The store over the packed Japan Post data set (`$POSTAL_DATA_FILE` or postal.bin). */
  static fromJpPostal(env: NodeJS.ProcessEnv = process.env): EmbeddedStore {
    return new EmbeddedStore(readPackedPostal(env));
  }

  async lookup(code: string): Promise<readonly Address[] | undefined> {
    return this.addressesOf(code);
  }

  async lookupMany(codes: readonly string[]): Promise<Array<readonly Address[] | undefined>> {
    return codes.map((code) => this.addressesOf(code));
  }

  async searchPrefix({ prefix, after, limit }: PrefixQuery): Promise<PostalPage> {
    // The codes of a prefix are one numeric range: "100" is 1000000 up to (not including) 1010000.
    const scale = 10 ** (CODE_DIGITS - prefix.length);
    const data = this.data;
    let start = data.lowerBound(Number(prefix) * scale);
    if (after !== undefined) start = Math.max(start, data.lowerBound(Number(after) + 1));
    const end = data.lowerBound((Number(prefix) + 1) * scale);
    const entries: PostalEntry[] = [];
    for (let i = start; i < end && entries.length < limit; i++) entries.push(data.entryAt(i));
    return end - start > limit ? { entries, nextCursor: entries[limit - 1]!.code } : { entries };
  }

  async status(): Promise<StoreStatus> {
    return { store: 'embedded', codes: this.data.size };
  }

  async close(): Promise<void> {}

  /** Every entry in code order, one at a time (for the Redis loader). */
  *entries(): IterableIterator<PostalEntry> {
    for (let i = 0; i < this.data.size; i++) yield this.data.entryAt(i);
  }

  private addressesOf(code: string): readonly Address[] | undefined {
    const i = this.data.indexOf(code);
    return i < 0 ? undefined : this.data.addressesAt(i);
  }
}
