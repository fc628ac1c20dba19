import { POSTAL_CODE, type Address, type PostalEntry } from '../postal/address';
import { PackedPostal, packPostalEntries } from '../postal/packed-postal';
import { readPackedPostal } from '../postal/postal-data';
import { LookupCounts } from './lookup-counts';
import type { PostalPage, PostalStore, PrefixQuery, StoreStatus } from './postal-store';

const PREFIX = /^\d{1,7}$/;
const CODE_DIGITS = 7;

/**
 * Slots for the decoded addresses of recently looked-up codes, one slot per code value modulo
 * this: a hot code is then one array read, as when the store held every code as objects, for at
 * most about 1 MB of heap.
 */
const CACHE_SLOTS = 4096;

/**
 * The data set in memory, packed (`src/postal/packed-postal.ts`): a lookup is a binary search
 * and a short walk, a prefix page one search and a short scan, and only the entries answered are
 * turned into objects (the addresses of recently looked-up codes are kept).
 */
export class EmbeddedStore implements PostalStore {
  private readonly data: PackedPostal;
  private readonly cachedCodes = new Int32Array(CACHE_SLOTS).fill(-1);
  private readonly cachedAddresses: Array<readonly Address[]> = new Array(CACHE_SLOTS);
  private readonly lookups = new LookupCounts();

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
    if (!PREFIX.test(prefix) || (after !== undefined && !POSTAL_CODE.test(after))) {
      throw new RangeError(`a prefix is 1 to 7 digits and a cursor 7: ${prefix}, ${after}`);
    }
    // The codes of a prefix are one numeric range: "100" is 1000000 up to (not including) 1010000.
    const scale = 10 ** (CODE_DIGITS - prefix.length);
    const low = Number(prefix) * scale;
    const from = after === undefined ? low : Math.max(low, Number(after) + 1);
    const { entries, more } = this.data.range(from, low + scale, limit);
    return more ? { entries, nextCursor: entries[limit - 1]!.code } : { entries };
  }

  async countLookup(code: string): Promise<void> {
    this.lookups.add(code);
  }

  async lookupCount(code: string): Promise<number> {
    return this.lookups.of(code);
  }

  async status(): Promise<StoreStatus> {
    return { store: 'embedded', codes: this.data.size };
  }

  async close(): Promise<void> {}

  /** Every entry, in code order (for the Redis loader). */
  entries(): PostalEntry[] {
    return this.data.range(0, 10 ** CODE_DIGITS, this.data.size).entries;
  }

  /** {@link lookup} without the Promise: the embedded store needs no I/O (the bench calls this). */
  addressesOf(code: string): readonly Address[] | undefined {
    if (!POSTAL_CODE.test(code)) return undefined;
    const value = Number(code);
    const slot = value % CACHE_SLOTS;
    if (this.cachedCodes[slot] === value) return this.cachedAddresses[slot];
    const addresses = this.data.addressesOf(value);
    if (addresses !== undefined) {
      this.cachedCodes[slot] = value;
      this.cachedAddresses[slot] = addresses;
    }
    return addresses;
  }
}
