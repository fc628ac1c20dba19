import { expect } from 'chai';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createPostalApp } from '../src/app';
import type { PostalStore } from '../src/store/postal-store';
import { loadRedis } from '../src/store/redis-loader';
import { RedisStore } from '../src/store/redis-store';
import { freePort } from './support/free-port';
import { digits, postalEntries, sharedEmbeddedStore, tiny } from './support/data';
import { hasRedisServer, startRedisServer, type RedisServer } from './support/redis-server';

describe('postal stores', function () {
  this.timeout(30_000);
  let server: RedisServer | undefined;
  let redis: Redis;

  before(async function () {
    if (!hasRedisServer()) {
      console.warn('    skipped: redis-server is not installed (.ci/run installs it: apt-get install redis-server)');
      this.skip();
    }
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  describe('when Redis holds the whole data set', () => {
    let store: RedisStore;
    before(async () => {
      await loadRedis(redis, postalEntries(), { keyPrefix: 'full:' });
      store = RedisStore.connect(server!.url, 'full:');
    });
    after(() => store.close());

    it('answers every prefix page exactly as the embedded store does', async () => {
      const embedded = sharedEmbeddedStore();
      await fc.assert(
        fc.asyncProperty(
          digits(1, 7),
          fc.option(digits(7, 7), { nil: undefined }),
          fc.integer({ min: 1, max: 100 }),
          async (prefix, after, limit) => {
            const query = { prefix, after, limit };
            expect(await store.searchPrefix(query)).to.deep.equal(await embedded.searchPrefix(query));
          },
        ),
        { numRuns: 200 },
      );
    });

    it('answers lookups of existing and missing codes as the embedded store does', async () => {
      const embedded = sharedEmbeddedStore();
      const sample = postalEntries()
        .filter((_, i) => i % 997 === 0)
        .map((entry) => entry.code);
      const codes = [...sample, '9999999', '0000000'];
      expect(await store.lookupMany(codes)).to.deep.equal(await embedded.lookupMany(codes));
      for (const code of codes) expect(await store.lookup(code)).to.deep.equal(await embedded.lookup(code));
    });
  });

  describe('when the loader runs', () => {
    it('reports progress per batch and records what it loaded', async () => {
      const progress: Array<[number, number]> = [];
      await loadRedis(redis, tiny, {
        keyPrefix: 'tiny:',
        batchSize: 2,
        source: 'test',
        onProgress: (...p) => progress.push(p),
      });
      expect(progress).to.deep.equal([
        [2, 5],
        [4, 5],
        [5, 5],
      ]);
      const meta = await redis.hgetall('tiny:meta');
      expect(meta).to.include({ count: '5', source: 'test' });
      expect(await redis.exists('tiny:loading:addresses', 'tiny:loading:codes')).to.equal(0);
    });

    it('replaces a previous load whole, leaving no stale code', async () => {
      await loadRedis(redis, tiny, { keyPrefix: 'swap:' });
      await loadRedis(redis, tiny.slice(0, 2), { keyPrefix: 'swap:' });
      const store = RedisStore.connect(server!.url, 'swap:');
      try {
        expect(await store.lookup('1010000')).to.equal(undefined);
        expect((await store.searchPrefix({ prefix: '1', limit: 10 })).entries.map((e) => e.code)).to.deep.equal([
          '1000001',
        ]);
        expect(await store.status()).to.deep.equal({ store: 'redis', codes: 2 });
      } finally {
        await store.close();
      }
    });
  });

  describe('when the Redis store cannot answer', () => {
    async function health(store: PostalStore): Promise<{ status: number; code: unknown }> {
      const response = await createPostalApp(store).inject({ url: '/api/health' });
      return { status: response.statusCode, code: response.json<{ code: unknown }>().code };
    }

    it('reports an empty store as 503 STORE_EMPTY', async () => {
      const store = RedisStore.connect(server!.url, 'nothing-loaded:');
      try {
        expect(await health(store)).to.deep.equal({ status: 503, code: 'STORE_EMPTY' });
      } finally {
        await store.close();
      }
    });

    it('answers health and lookups with 503 STORE_UNAVAILABLE while Redis is unreachable', async () => {
      const port = await freePort();
      const client = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => {});
      const store = new RedisStore(client);
      try {
        expect(await health(store)).to.deep.equal({ status: 503, code: 'STORE_UNAVAILABLE' });
        const app = createPostalApp(store);
        for (const url of [
          '/api/postal_code?code=1000001',
          '/api/postal_codes?prefix=1',
          '/api/postal_codes/batch?code=1000001',
        ]) {
          const response = await app.inject({ url });
          expect(response.statusCode, url).to.equal(503);
          expect(response.json<{ code: string }>().code, url).to.equal('STORE_UNAVAILABLE');
        }
      } finally {
        client.disconnect();
      }
    });
  });
});
