import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { App, Logger } from 'crest';
import { httpApiEvent, lambdaContext, readLambdaResult } from 'crest/testing';
import { Redis } from 'ioredis';
import { createPostalApp } from '../src/app';
import { EmbeddedStore } from '../src/store/embedded-store';
import { loadRedis } from '../src/store/redis-loader';
import { RedisStore } from '../src/store/redis-store';
import { httpClient, injectClient, type ApiClient, type ApiResponse } from './support/client';
import { tiny } from './support/data';
import { hasRedisServer, startRedisServer, type RedisServer } from './support/redis-server';

interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string | undefined;
  fields: Record<string, unknown>;
}

/** A logger that keeps its lines, as pino would write them (no `child`: crest merges the id in). */
function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: object, msg?: string): void => {
      lines.push({ level, msg, fields: fields as Record<string, unknown> });
    };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** The embedded store over `tiny`, whose counting waits until the test opens it. */
class GatedCountStore extends EmbeddedStore {
  private openGate!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.openGate = resolve;
  });

  constructor() {
    super(tiny);
  }

  open(): void {
    this.openGate();
  }

  override async countLookup(code: string): Promise<void> {
    await this.gate;
    return super.countLookup(code);
  }
}

/** The embedded store over `tiny`, whose every call but counting fails (its backend is down). */
class DownStore extends EmbeddedStore {
  constructor(private readonly failing: 'lookup' | 'countLookup') {
    super(tiny);
  }

  override lookup(code: string) {
    return this.failing === 'lookup' ? Promise.reject(new Error('connection refused')) : super.lookup(code);
  }

  override countLookup(code: string) {
    return this.failing === 'countLookup' ? Promise.reject(new Error('connection refused')) : super.countLookup(code);
  }
}

/** One GET through the buffered Lambda handler (HTTP API event). */
function lambdaClient(app: App): ApiClient {
  const handler = app.lambda();
  return async ({ url }) => {
    const view = readLambdaResult(await handler(httpApiEvent({ url }), lambdaContext()), 'http-api');
    const body = Buffer.from(view.body);
    return {
      status: view.statusCode,
      headers: view.headers,
      cookies: [],
      body,
      json: <T>() => JSON.parse(body.toString()) as T,
    } as ApiResponse;
  };
}

/** A client over each transport the example serves buffered answers on, and its cleanup. */
const TRANSPORTS: Array<[string, (app: App) => Promise<{ client: ApiClient; close(): Promise<void> }>]> = [
  ['app.inject', async (app) => ({ client: injectClient(app), close: async () => {} })],
  [
    'a listening node:http server',
    async (app) => {
      const server = await app.listen(0, '127.0.0.1');
      return {
        client: httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  ],
  ['the buffered Lambda handler', async (app) => ({ client: lambdaClient(app), close: async () => {} })],
];

/** The lines logged for one request: crest's own line names it with the same request id. */
function linesOf(lines: LogLine[], message: string): { line: LogLine; requestLine: LogLine | undefined } {
  const line = lines.find((candidate) => candidate.msg === message);
  expect(line, `a "${message}" line in ${JSON.stringify(lines)}`).to.not.equal(undefined);
  const requestId = line!.fields.requestId;
  expect(requestId).to.be.a('string').and.not.equal('');
  const requestLine = lines.find((candidate) => candidate !== line && candidate.fields.path !== undefined);
  return { line: line!, requestLine };
}

describe('the example app over a request’s whole life', () => {
  for (const [transport, serve] of TRANSPORTS) {
    describe(`through ${transport}`, () => {
      describe('when the store fails a lookup', () => {
        it('logs the failed store call with the request id, the one on crest’s line for the request', async () => {
          const { logger, lines } = recordingLogger();
          const { client, close } = await serve(createPostalApp(new DownStore('lookup'), { logger }));
          try {
            expect((await client({ url: '/api/postal_code?code=1000001' })).status).to.equal(503);
          } finally {
            await close();
          }
          const { line, requestLine } = linesOf(lines, 'postal store failed');
          expect(line.level).to.equal('warn');
          expect(line.fields).to.include({ operation: 'lookup', cause: 'connection refused' });
          expect(requestLine?.fields).to.include({ requestId: line.fields.requestId, status: 503 });
        });
      });

      describe('when a code is looked up', () => {
        it('counts the lookup with waitUntil: the answer does not wait for it, the work is finished', async () => {
          const store = new GatedCountStore();
          const app = createPostalApp(store);
          const { client, close } = await serve(app);
          try {
            const answered = client({ url: '/api/postal_code?code=1000001' });
            if (transport === 'the buffered Lambda handler') {
              // Lambda sends nothing before the handler returns: it returns only once the count is written.
              let returned = false;
              void answered.then(() => (returned = true));
              await new Promise((resolve) => setTimeout(resolve, 50));
              expect(returned, 'returned before its waitUntil work finished').to.equal(false);
              store.open();
              expect((await answered).status).to.equal(200);
              expect(await store.lookupCount('1000001')).to.equal(1);
            } else {
              expect((await answered).status).to.equal(200);
              expect(await store.lookupCount('1000001'), 'counted before the count could run').to.equal(0);
              store.open();
              // shutdown() waits for the work still running, as run() does on SIGTERM.
              expect(await app.shutdown()).to.equal(true);
              expect(await store.lookupCount('1000001')).to.equal(1);
            }
            expect((await client({ url: '/api/postal_code/lookups?code=1000001' })).json()).to.deep.equal({
              code: '1000001',
              lookups: 1,
            });
          } finally {
            await close();
          }
        });

        it('answers although the count fails, and logs the failure with the request id', async () => {
          const { logger, lines } = recordingLogger();
          const app = createPostalApp(new DownStore('countLookup'), { logger });
          const { client, close } = await serve(app);
          try {
            expect((await client({ url: '/api/postal_code?code=1000001' })).status).to.equal(200);
            await app.shutdown();
          } finally {
            await close();
          }
          const { line } = linesOf(lines, 'postal store failed');
          expect(line.fields).to.include({ operation: 'countLookup' });
          const failed = lines.find((candidate) => candidate.fields.code === 'CREST_WAIT_UNTIL_FAILED');
          expect(failed?.fields.requestId).to.equal(line.fields.requestId);
        });
      });
    });
  }

  describe('when a CSV file is uploaded', () => {
    it('writes an audit line with the request id', async () => {
      const { logger, lines } = recordingLogger();
      const form = new FormData();
      form.append('codes', new Blob(['code\n1000001\n9999999\n'], { type: 'text/csv' }), 'codes.csv');
      const encoded = new Response(form);
      const response = await createPostalApp(new EmbeddedStore(tiny), { logger }).inject({
        url: '/api/postal_codes/upload',
        method: 'POST',
        headers: { 'content-type': encoded.headers.get('content-type')!, 'x-request-id': 'upload-1' },
        body: Buffer.from(await encoded.arrayBuffer()),
      });
      expect(response.statusCode).to.equal(200);
      const { line } = linesOf(lines, 'postal codes uploaded');
      expect(line.fields).to.deep.equal({ requestId: 'upload-1', file: 'codes.csv', codes: 2, missing: 1 });
    });
  });

  describe('when backed by Redis', function () {
    this.timeout(30_000);
    let server: RedisServer | undefined;
    let reader: Redis;

    before(async function () {
      if (!hasRedisServer()) {
        console.warn('    skipped: redis-server is not installed (.ci/run installs it: apt-get install redis-server)');
        this.skip();
      }
      server = await startRedisServer();
      reader = new Redis(server.url);
      await loadRedis(reader, tiny, { keyPrefix: 'life:' });
    });
    after(async () => {
      reader?.disconnect();
      await server?.stop();
    });

    it('has each lookup counted in Redis before the buffered Lambda handler returns', async () => {
      const client = new Redis(server!.url);
      const app = createPostalApp(new RedisStore(client, 'life:'));
      try {
        const handler = app.lambda();
        for (const expected of ['1', '2']) {
          const result = await handler(httpApiEvent({ url: '/api/postal_code?code=1000002' }), lambdaContext());
          expect(readLambdaResult(result, 'http-api').statusCode).to.equal(200);
          // Read on another connection: only a count already written can be seen there.
          expect(await reader.hget('life:lookups', '1000002')).to.equal(expected);
        }
      } finally {
        await app.shutdown();
      }
    });

    it('closes the Redis connection on shutdown, after the counts still being written', async () => {
      const client = new Redis(server!.url);
      const app = createPostalApp(new RedisStore(client, 'life:'));
      const lookups = await Promise.all(
        ['1000010', '1000010', '1010000'].map((code) => app.inject({ url: `/api/postal_code?code=${code}` })),
      );
      expect(lookups.map((response) => response.statusCode)).to.deep.equal([200, 200, 200]);
      expect(client.status).to.equal('ready');
      expect(await app.shutdown()).to.equal(true);
      expect(client.status).to.equal('end');
      expect(await reader.hmget('life:lookups', '1000010', '1010000')).to.deep.equal(['2', '1']);
    });
  });
});
