import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { apiCases } from './support/api-cases';
import { sharedBundle } from './support/bundle';
import { httpClient, type ApiClient } from './support/client';
import { postalEntries } from './support/data';
import { EXAMPLE_DIR, HAS_OFFLINE_TOOLS, startOffline, type OfflineApi, type OfflineServer } from './support/offline';

/**
 * The bundled zip (npm run example:bundle) behind serverless-offline, REST API and HTTP API
 * each in its own osls process, called with real HTTP: the same table as the local tests.
 */
describe('the bundled Lambda behind serverless-offline', function () {
  this.timeout(90_000);
  const servers = new Map<OfflineApi, OfflineServer>();

  before(async function () {
    if (!HAS_OFFLINE_TOOLS) {
      console.warn('    skipped: the serverless-offline tools are not installed; run: npm ci --prefix example/offline');
      this.skip();
    }
    await sharedBundle();
    const started = await Promise.allSettled((['rest', 'http'] as const).map((api) => startOffline(api, 60_000)));
    started.forEach((result, i) => {
      if (result.status === 'fulfilled') servers.set(i === 0 ? 'rest' : 'http', result.value);
    });
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  });

  after(async () => {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    rmSync(join(EXAMPLE_DIR, '.serverless-offline'), { recursive: true, force: true });
  });

  for (const api of ['rest', 'http'] as const) {
    describe(`when called through the ${api === 'rest' ? 'REST API (payload v1)' : 'HTTP API (payload v2)'}`, () => {
      let client: ApiClient;
      before(() => {
        client = httpClient(servers.get(api)!.baseUrl);
      });
      for (const testCase of apiCases) {
        it(testCase.name, () => testCase.run(client, { store: 'embedded', codes: postalEntries().length }));
      }
    });
  }
});
