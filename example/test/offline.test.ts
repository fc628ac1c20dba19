import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { apiCases } from './support/api-cases';
import { sharedBundle } from './support/bundle';
import { httpClient, type ApiClient } from './support/client';
import { postalEntries } from './support/data';
import {
  HAS_OFFLINE_TOOLS,
  OSLS_BIN,
  oslsEnv,
  startOffline,
  type OfflineApi,
  type OfflineServer,
} from './support/offline';

/**
 * The bundled zip (npm run example:bundle) behind serverless-offline, REST API and HTTP API
 * each in its own osls process, called with real HTTP: the same table as the local tests.
 */
describe('the bundled Lambda behind serverless-offline', function () {
  this.timeout(90_000);
  const servers = new Map<OfflineApi, OfflineServer>();
  let serviceDir: string;

  before(async function () {
    if (!HAS_OFFLINE_TOOLS) {
      console.warn('    skipped: the serverless-offline tools are not installed; run: npm ci --prefix example/offline');
      this.skip();
    }
    ({ serviceDir } = await sharedBundle());
    const started = await Promise.allSettled(
      (['rest', 'http'] as const).map((api) => startOffline(api, serviceDir, 60_000)),
    );
    started.forEach((result, i) => {
      if (result.status === 'fulfilled') servers.set(i === 0 ? 'rest' : 'http', result.value);
    });
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  });

  after(async () => {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  });

  it('packages serverless.yml for deployment: both APIs in front of the zip', () => {
    const out = mkdtempSync(join(tmpdir(), 'crest-example-package-'));
    try {
      const run = spawnSync(process.execPath, [OSLS_BIN, 'package', '--stage', 'prod', '--package', out], {
        cwd: serviceDir,
        env: oslsEnv(),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, `${run.stdout}${run.stderr}`).to.equal(0);
      const template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const resources = Object.values(template.Resources);
      const types = resources.map((resource) => resource.Type);
      expect(types).to.include.members(['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api', 'AWS::Lambda::Function']);
      const fn = resources.find((resource) => resource.Type === 'AWS::Lambda::Function')!;
      expect(fn.Properties).to.include({ Handler: 'index.handler', Runtime: 'nodejs20.x' });
      const restApi = resources.find((resource) => resource.Type === 'AWS::ApiGateway::RestApi')!;
      expect(restApi.Properties.BinaryMediaTypes).to.deep.equal(['*/*']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
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
