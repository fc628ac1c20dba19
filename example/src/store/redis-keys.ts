/**
 * The Redis layout, shared by the store and the loader:
 * - `<ns>addresses`: hash, code → JSON array of addresses (one HGET per lookup);
 * - `<ns>codes`: sorted set of every code, all with score 0, so ZRANGEBYLEX pages through a prefix;
 * - `<ns>meta`: hash describing the load (count, source, loadedAt);
 * - `<ns>lookups`: hash, code → how many times the API answered it (HINCRBY; the loader leaves it).
 */
export interface RedisKeys {
  addresses: string;
  codes: string;
  meta: string;
  lookups: string;
}

/** Default namespace; `REDIS_KEY_PREFIX` changes it (tests use their own). */
export const DEFAULT_KEY_PREFIX = 'postal:';

export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  return {
    addresses: `${prefix}addresses`,
    codes: `${prefix}codes`,
    meta: `${prefix}meta`,
    lookups: `${prefix}lookups`,
  };
}
