import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from 'crest';
import { Redis } from 'ioredis';
import { createPostalApp } from '../src/app';
import { loadRedis } from '../src/store/redis-loader';
import { RedisStore } from '../src/store/redis-store';
import { apiCases, type CaseContext } from './support/api-cases';
import { httpClient, injectClient, type ApiClient } from './support/client';
import { postalEntries, sharedEmbeddedStore } from './support/data';
import { hasRedisServer, startRedisServer, type RedisServer } from './support/redis-server';

/** Runs the whole table through `app.inject` and through a real listening server. */
function describeTransports(getApp: () => App, context: () => CaseContext): void {
  describe('through app.inject', () => {
    let client: ApiClient;
    before(() => {
      client = injectClient(getApp());
    });
    for (const testCase of apiCases) it(testCase.name, () => testCase.run(client, context()));
  });

  describe('through a listening node:http server', () => {
    let server: Server;
    let client: ApiClient;
    before(async () => {
      server = await getApp().listen(0, '127.0.0.1');
      client = httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
    after(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    for (const testCase of apiCases) it(testCase.name, () => testCase.run(client, context()));
  });
}

describe('postal-code API', () => {
  describe('when backed by the embedded store', () => {
    let app: App;
    before(() => {
      app = createPostalApp(sharedEmbeddedStore());
    });
    describeTransports(
      () => app,
      () => ({ store: 'embedded', codes: postalEntries().length }),
    );
  });

  describe('when backed by Redis', function () {
    this.timeout(30_000);
    let redis: RedisServer | undefined;
    let store: RedisStore;
    let app: App;
    before(async function () {
      if (!hasRedisServer()) {
        console.warn('    skipped: redis-server is not installed (.ci/run installs it: apt-get install redis-server)');
        this.skip();
      }
      redis = await startRedisServer();
      store = RedisStore.connect(redis.url, 'test:');
      const loader = new Redis(redis.url);
      await loadRedis(loader, postalEntries(), { keyPrefix: 'test:' });
      loader.disconnect();
      app = createPostalApp(store);
    });
    after(async () => {
      await store?.close();
      await redis?.stop();
    });
    describeTransports(
      () => app,
      () => ({ store: 'redis', codes: postalEntries().length }),
    );
  });
});
