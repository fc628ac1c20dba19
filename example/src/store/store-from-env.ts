import { EmbeddedStore } from './embedded-store';
import type { PostalStore } from './postal-store';
import { RedisStore } from './redis-store';

/** Redis when `REDIS_URL` is set (keys under `REDIS_KEY_PREFIX`), else the embedded data set. */
export function storeFromEnv(env: NodeJS.ProcessEnv = process.env): PostalStore {
  const url = env.REDIS_URL;
  if (url !== undefined && url !== '') return RedisStore.connect(url, env.REDIS_KEY_PREFIX);
  return EmbeddedStore.fromJpPostal(env);
}
