import { EmbeddedStore } from './embedded-store';
import type { PostalStore } from './postal-store';
import type * as RedisStoreModule from './redis-store';

/** Redis when `REDIS_URL` is set (keys under `REDIS_KEY_PREFIX`), else the embedded data set. */
export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): PostalStore {
  const url = env.REDIS_URL;
  if (url !== undefined && url !== '') {
    // Loaded only for Redis: requiring ioredis costs about 20 MB and more time at start than
    // opening the whole embedded store. The bundles keep this module and ioredis in a file of
    // their own, redis-store.cjs, that only this require reads (src/tools/bundle.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { RedisStore } = require('./redis-store') as typeof RedisStoreModule;
    return RedisStore.connect(url, env.REDIS_KEY_PREFIX);
  }
  return EmbeddedStore.fromJpPostal(env);
}
