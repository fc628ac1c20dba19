import type { Redis } from 'ioredis';
import type { PostalEntry } from '../postal/address';
import { redisKeys } from './redis-keys';

export interface LoadOptions {
  keyPrefix?: string;
  /** Codes per pipeline flush (default 5,000): bounds client memory, paces progress reports. */
  batchSize?: number;
  /** Called after each flushed batch. */
  onProgress?: (loaded: number, total: number) => void;
  /** Recorded in the meta hash. */
  source?: string;
}

/**
 * Writes `entries` with pipelined writes into staging keys, then swaps them in with one
 * MULTI/EXEC RENAME: readers see the old data set or the new one, never half of one.
 */
export async function loadRedis(
  redis: Redis,
  entries: readonly PostalEntry[],
  options: LoadOptions = {},
): Promise<void> {
  const keys = redisKeys(options.keyPrefix);
  const staging = redisKeys(`${options.keyPrefix ?? 'postal:'}loading:`);
  const batchSize = options.batchSize ?? 5000;
  await redis.del(staging.addresses, staging.codes);
  for (let start = 0; start < entries.length; start += batchSize) {
    const batch = entries.slice(start, start + batchSize);
    const pipeline = redis.pipeline();
    for (const { code, addresses } of batch) {
      pipeline.hset(staging.addresses, code, JSON.stringify(addresses));
      pipeline.zadd(staging.codes, 0, code);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
    options.onProgress?.(start + batch.length, entries.length);
  }
  const swap = redis.multi();
  if (entries.length === 0) swap.del(keys.addresses, keys.codes);
  else swap.rename(staging.addresses, keys.addresses).rename(staging.codes, keys.codes);
  swap.del(keys.meta).hset(keys.meta, {
    count: String(entries.length),
    source: options.source ?? 'unknown',
    loadedAt: new Date().toISOString(),
  });
  await swap.exec();
}
