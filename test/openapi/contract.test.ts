import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createApp } from '../../src';
import { openapi, type OpenApiDocument } from '../../src/openapi';
import { createPostalApp } from '../../example/src/app';
import type { PostalStore } from '../../example/src/store/postal-store';
import { apiCases } from '../../example/test/support/api-cases';
import { httpClient, type ApiClient } from '../../example/test/support/client';
import { postalEntries, sharedEmbeddedStore, tiny } from '../../example/test/support/data';
import { MapStore } from '../../example/test/support/map-store';
import { BINARY, MiscController, UsersController } from '../conformance/fixtures';
import { Contract, type Exchange } from './support/contract';

/** A server on a loopback port, the document it serves, and every exchange sent to it. */
interface Served {
  server: Server;
  origin: string;
  contract: Contract;
  exchanges: Exchange[];
  send(request: {
    method?: string;
    url: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  }): Promise<Exchange>;
}

/** The example's App comes from the published build (dist), the conformance app's from src. */
interface Listening {
  listen(port: number, host: string): Promise<Server>;
}

async function serve(app: Listening, documentPath = '/api/openapi.json'): Promise<Served> {
  const server = await app.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const document = (await (await fetch(origin + documentPath)).json()) as OpenApiDocument;
  // The server the document names, relative to where it is served (OpenAPI 3.1 §4.8.5).
  const base = new URL(document.servers![0]!.url, origin + documentPath).pathname.replace(/\/$/, '');
  const exchanges: Exchange[] = [];
  return {
    server,
    origin,
    contract: new Contract(document, base),
    exchanges,
    async send({ method = 'GET', url, headers, body }) {
      const response = await fetch(origin + url, { method, headers, body, redirect: 'manual' });
      const exchange: Exchange = {
        method,
        url,
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        body: Buffer.from(await response.arrayBuffer()),
      };
      exchanges.push(exchange);
      return exchange;
    },
  };
}

/** An ApiClient for the example's table that records what it sends and receives. */
function recordingClient(served: Served): ApiClient {
  const client = httpClient(served.origin);
  return async (request) => {
    const response = await client(request);
    served.exchanges.push({
      method: request.method ?? 'GET',
      url: request.url,
      status: response.status,
      contentType: response.headers['content-type'],
      body: response.body,
    });
    return response;
  };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Checks the exchanges recorded since the last check. */
function expectNoViolations(served: Served): void {
  const exchanges = served.exchanges.splice(0);
  expect(exchanges.length).to.be.greaterThan(0);
  expect(exchanges.flatMap((exchange) => served.contract.violations(exchange))).to.deep.equal([]);
}

/** A store whose backend is down: every store route answers 503 STORE_UNAVAILABLE. */
const downStore: PostalStore = {
  lookup: () => Promise.reject(new Error('connection refused')),
  lookupMany: () => Promise.reject(new Error('connection refused')),
  searchPrefix: () => Promise.reject(new Error('connection refused')),
  countLookup: () => Promise.reject(new Error('connection refused')),
  lookupCount: () => Promise.reject(new Error('connection refused')),
  status: () => Promise.reject(new Error('connection refused')),
  close: async () => {},
};

/** Every store route once, valid requests only (their errors come from the store). */
const STORE_ROUTES = [
  '/api/postal_code?code=1000001',
  '/api/postal_code/lookups?code=1000001',
  '/api/postal_codes?prefix=100',
  '/api/postal_codes/batch?code=1000001',
  '/api/postal_codes/export?prefix=100',
  '/api/health',
];

describe('the OpenAPI document as a contract', function () {
  this.timeout(30_000);

  describe('when the example serves its API table on a loopback port (embedded store)', () => {
    let served: Served;
    before(async () => {
      served = await serve(createPostalApp(sharedEmbeddedStore()));
    });
    after(() => close(served.server));

    it('answers every request of the API table as the document it serves says', async () => {
      const client = recordingClient(served);
      for (const testCase of apiCases) {
        await testCase.run(client, { store: 'embedded', codes: postalEntries().length });
      }
      expectNoViolations(served);
    });

    it('answers HEAD like the documented GET and OPTIONS with an empty 204, on every path', async () => {
      for (const url of STORE_ROUTES) {
        await served.send({ method: 'HEAD', url });
        await served.send({ method: 'OPTIONS', url });
      }
      expectNoViolations(served);
    });

    it('answers methods and paths it does not serve with documented problems', async () => {
      await served.send({ method: 'POST', url: '/api/postal_code?code=1000001' });
      await served.send({ url: '/api/postal%ZZcode' });
      await served.send({ url: '/api/nothing' });
      expectNoViolations(served);
    });
  });

  describe('when the store is down, empty or small', () => {
    for (const [name, store, status] of [
      ['is down', downStore, 503],
      ['is empty', new MapStore([]), 200],
      ['holds five codes', new MapStore(tiny), 200],
    ] as const) {
      it(`answers every store route as documented when the store ${name}`, async () => {
        const served = await serve(createPostalApp(store));
        try {
          for (const url of STORE_ROUTES) await served.send({ url });
          expect(served.exchanges.map((exchange) => exchange.status)).to.include(status);
          expectNoViolations(served);
        } finally {
          await close(served.server);
        }
      });
    }
  });

  describe('when the conformance app serves its routes', () => {
    let served: Served;
    before(async () => {
      const app = createApp({
        controllers: [UsersController, MiscController],
        prefix: '/api',
        bodyLimit: 1024,
        openapi: openapi({ docsPath: false }),
      });
      served = await serve(app);
    });
    after(() => close(served.server));

    const json = { 'content-type': 'application/json' };
    const requests: Array<Parameters<Served['send']>[0]> = [
      { url: '/api' },
      { url: '/api/users/42' },
      { url: '/api/users/abc' },
      { url: '/api/users/%ZZ' },
      { method: 'POST', url: '/api/users', headers: json, body: '{"name":"Ada","age":36,"address":{"city":"London"}}' },
      { method: 'POST', url: '/api/users', headers: json, body: '{"name":"Ada","age":36,"address":null}' },
      { method: 'POST', url: '/api/users', headers: json, body: '{"name":7,"age":200,"admin":true}' },
      { method: 'POST', url: '/api/users', headers: json, body: '{"name":' },
      { method: 'POST', url: '/api/users', headers: { 'content-type': 'text/plain' }, body: 'name=Ada' },
      { method: 'POST', url: '/api/users', headers: json, body: JSON.stringify({ name: 'x'.repeat(2048), age: 1 }) },
      { method: 'DELETE', url: '/api/users/3' },
      { method: 'DELETE', url: '/api/users/0' },
      { method: 'PUT', url: '/api/users/1' },
      { method: 'OPTIONS', url: '/api/users/1' },
      { method: 'HEAD', url: '/api/users/7' },
      { url: '/api/profile' },
      { url: '/api/search?q=crest&tag=b&tag=a' },
      { url: '/api/headers', headers: { 'x-multi': 'a, b' } },
      { url: '/api/cookies', headers: { cookie: 'session=s1' } },
      { url: '/api/set-cookies' },
      { url: '/api/text' },
      { url: '/api/binary' },
      { url: '/api/files/a%20b' },
      { url: '/api/boom' },
      { url: '/api/redirect' },
      { url: '/api/stream' },
      { method: 'POST', url: '/api/raw', headers: { 'content-type': 'application/octet-stream' }, body: BINARY },
      {
        method: 'POST',
        url: '/api/raw',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(2048),
      },
      { url: '/api/repeat-header' },
      { url: '/api/nowhere' },
    ];

    it('reports what the document does not admit: a status, a content type, a body', () => {
      const problem = (code: string, extra: object = {}) =>
        Buffer.from(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, code, ...extra }));
      const wrong: Exchange[] = [
        {
          method: 'GET',
          url: '/api/profile',
          status: 200,
          contentType: 'application/json',
          body: Buffer.from('{"name":1}'),
        },
        { method: 'GET', url: '/api/profile', status: 200, contentType: 'text/html', body: Buffer.from('{}') },
        { method: 'GET', url: '/api/users/1', status: 418, contentType: undefined, body: Buffer.alloc(0) },
        // A validation problem must list its errors; a malformed path is not a validation problem.
        {
          method: 'GET',
          url: '/api/users/1',
          status: 400,
          contentType: 'application/problem+json',
          body: problem('CREST_VALIDATION'),
        },
        {
          method: 'GET',
          url: '/api/search',
          status: 400,
          contentType: 'application/problem+json',
          body: problem('CREST_BAD_URL'),
        },
        { method: 'GET', url: '/api/redirect', status: 302, contentType: 'text/plain', body: Buffer.from('moved') },
        { method: 'HEAD', url: '/api/users/1', status: 200, contentType: 'application/json', body: Buffer.from('{}') },
      ];
      for (const exchange of wrong) {
        expect(served.contract.violations(exchange), `${exchange.method} ${exchange.url}`).to.have.length.greaterThan(
          0,
        );
      }
      const valid = problem('CREST_BAD_URL');
      const badUrl: Exchange = {
        method: 'GET',
        url: '/api/users/%ZZ',
        status: 400,
        contentType: 'application/problem+json',
        body: valid,
      };
      expect(served.contract.violations(badUrl)).to.deep.equal([]);
    });

    it('answers success and error requests to every route as the document it serves says', async () => {
      for (const request of requests) await served.send(request);
      const statuses = new Set(served.exchanges.map((exchange) => exchange.status));
      expect([...statuses].sort()).to.include.members([200, 201, 204, 302, 400, 404, 405, 409, 413, 415, 500]);
      expectNoViolations(served);
    });
  });
});
