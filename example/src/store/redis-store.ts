import { Redis, type Result } from 'ioredis';
import type { Address, PostalEntry } from '../postal/address';
import type { PostalPage, PostalStore, PrefixQuery, StoreStatus } from './postal-store';
import { redisKeys, type RedisKeys } from './redis-keys';

// One round trip per page: the range and the addresses it needs are read server-side.
const PREFIX_PAGE_SCRIPT = `
local codes = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
if #codes == 0 then return {} end
local addresses = redis.call('HMGET', KEYS[2], unpack(codes))
local page = {}
for i, code in ipairs(codes) do
  page[2 * i - 1] = code
  page[2 * i] = addresses[i]
end
return page
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    postalPrefixPage(
      codesKey: string,
      addressesKey: string,
      min: string,
      max: string,
      count: number,
    ): Result<string[], Context>;
  }
}

/**
 * Reads the data the loader wrote (`npm run example:load-redis`). Every call is one round trip.
 */
export class RedisStore implements PostalStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix?: string,
  ) {
    this.keys = redisKeys(keyPrefix);
    redis.defineCommand('postalPrefixPage', { numberOfKeys: 2, lua: PREFIX_PAGE_SCRIPT });
  }

  /** A store on a new connection to `url` (`redis://host:port/db`). */
  static connect(url: string, keyPrefix?: string): RedisStore {
    // While Redis is away a command fails after one reconnection attempt instead of waiting for ever.
    return new RedisStore(new Redis(url, { maxRetriesPerRequest: 1 }), keyPrefix);
  }

  async lookup(code: string): Promise<readonly Address[] | undefined> {
    const json = await this.redis.hget(this.keys.addresses, code);
    return json === null ? undefined : parseAddresses(json);
  }

  async lookupMany(codes: readonly string[]): Promise<Array<readonly Address[] | undefined>> {
    if (codes.length === 0) return [];
    const values = await this.redis.hmget(this.keys.addresses, ...codes);
    return values.map((json) => (json === null ? undefined : parseAddresses(json)));
  }

  async searchPrefix({ prefix, after, limit }: PrefixQuery): Promise<PostalPage> {
    // Codes are digits, so "~" sorts after every code that starts with the prefix.
    const min = after !== undefined && after >= prefix ? `(${after}` : `[${prefix}`;
    const flat = await this.redis.postalPrefixPage(this.keys.codes, this.keys.addresses, min, `[${prefix}~`, limit + 1);
    const entries: PostalEntry[] = [];
    for (let i = 0; i < flat.length && entries.length < limit; i += 2) {
      entries.push({ code: flat[i]!, addresses: parseAddresses(flat[i + 1]!) });
    }
    return flat.length > limit * 2 ? { entries, nextCursor: entries[limit - 1]!.code } : { entries };
  }

  async countLookup(code: string): Promise<void> {
    await this.redis.hincrby(this.keys.lookups, code, 1);
  }

  async lookupCount(code: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.lookups, code)) ?? 0);
  }

  async status(): Promise<StoreStatus> {
    return { store: 'redis', codes: await this.redis.hlen(this.keys.addresses) };
  }

  /** Sends QUIT after the commands still due and resolves once the connection is closed. */
  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    // QUIT's reply comes before the socket closes: wait for the close, so a process that exits
    // next leaves no half-closed connection behind.
    const ended = new Promise((resolve) => this.redis.once('end', resolve));
    await this.redis.quit();
    await ended;
  }
}

function parseAddresses(json: string): Address[] {
  return JSON.parse(json) as Address[];
}
