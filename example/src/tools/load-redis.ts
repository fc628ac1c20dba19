import { Redis } from 'ioredis';
import { DATA_SOURCE } from '../postal/postal-data';
import { EmbeddedStore } from '../store/embedded-store';
import { loadRedis } from '../store/redis-loader';
import { DEFAULT_KEY_PREFIX } from '../store/redis-keys';

/** `npm run example:load-redis`: fills `$REDIS_URL` (default redis://127.0.0.1:6379) with the data set. */
async function main(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const keyPrefix = process.env.REDIS_KEY_PREFIX ?? DEFAULT_KEY_PREFIX;
  const started = performance.now();
  // The packed data set the embedded store serves (npm run build:all writes it), so both stores hold the same codes.
  const entries = EmbeddedStore.fromJpPostal().entries();
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    process.stderr.write(`loading ${entries.length} postal codes into ${url} (keys ${keyPrefix}*)\n`);
    let reported = -1;
    await loadRedis(redis, entries, {
      keyPrefix,
      source: DATA_SOURCE,
      onProgress(loaded, total) {
        const percent = Math.floor((loaded / total) * 100);
        if (percent >= reported + 10 || loaded === total) {
          reported = percent;
          process.stderr.write(`  ${loaded}/${total} (${percent}%)\n`);
        }
      },
    });
    process.stderr.write(`done in ${Math.round(performance.now() - started)} ms\n`);
  } finally {
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`load-redis failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
