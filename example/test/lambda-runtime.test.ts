import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { functionUrlEvent } from 'crest/testing';
import { createPostalApp } from '../src/app';
import { apiCases, type CaseContext } from './support/api-cases';
import { sharedBundle } from './support/bundle';
import { httpClient, type ApiClient, type ApiResponse } from './support/client';
import { postalEntries, sharedEmbeddedStore } from './support/data';
import {
  bufferedClient,
  hasErrorTrailers,
  PRELUDE_CONTENT_TYPE,
  PRELUDE_DELIMITER,
  splitStreamed,
  startFunction,
  streamingClient,
  type LambdaFunction,
} from './support/lambda-function';
import { HAS_RIC, RIC_INSTALL } from './support/ric';
import type { InvocationRecord } from './support/runtime-api';

/**
 * Requests beyond the API table: the OpenAPI document and the docs page with its assets, asked
 * for uncompressed (fetch, the local client, would otherwise ask for gzip and undo it itself).
 */
const DOCS_URLS = ['/api/openapi.json', '/api/docs', '/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js'];

/** Headers that belong to the connection or the framing, which differ by transport by design. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** What must agree between two transports: status, headers, cookies and the body bytes (a problem's requestId aside). */
function comparable(response: ApiResponse): unknown {
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !TRANSPORT_HEADERS.has(name)));
  const problem = /^application\/problem\+json/.test(response.headers['content-type'] ?? '');
  // Each transport has its own request id (Lambda: the event's), and the problem names it.
  const body = problem ? { ...response.json<object>(), requestId: '…' } : response.body.toString('base64');
  return { status: response.status, headers, cookies: response.cookies, body };
}

/**
 * Sends each request to both clients, asserts the answers agree, and hands the table the Lambda one.
 * Both are asked for uncompressed answers: fetch, the local client, would otherwise ask for gzip
 * and undo it itself, while the Lambda client hands over the bytes the function sent.
 */
function comparedWith(local: ApiClient, lambda: ApiClient): ApiClient {
  return async (request) => {
    request = { ...request, headers: { 'accept-encoding': 'identity', ...request.headers } };
    const [expected, actual] = await Promise.all([local(request), lambda(request)]);
    expect(comparable(actual), request.url).to.deep.equal(comparable(expected));
    return actual;
  };
}

/** The runtime is still running and never sent the Runtime API anything unexpected. */
function expectServing(fn: LambdaFunction, exitCode = fn.ric.exitCode()): void {
  expect(fn.api.unexpected, 'requests the Runtime API refused').to.deep.equal([]);
  expect(
    fn.api.initErrors.map((error) => error.body.toString()),
    'init errors',
  ).to.deep.equal([]);
  expect(exitCode, fn.ric.output()).to.equal(null);
}

function errorTrailers(record: InvocationRecord): { type: string | undefined; body: unknown } {
  const body = record.trailers['lambda-runtime-function-error-body'];
  return {
    type: record.trailers['lambda-runtime-function-error-type'],
    body: body === undefined ? undefined : JSON.parse(Buffer.from(body, 'base64').toString('utf8')),
  };
}

/**
 * The example's bundle run by the runtime AWS ships for Node.js (aws-lambda-ric 4.0.2) against
 * a Runtime API emulator on 127.0.0.1: every answer, buffered and streamed, must be the one the
 * example's node:http server gives, and a stream that fails must end its upload the way AWS
 * documents (error trailers) with the execution environment still serving.
 */
describe('the bundled Lambda under the AWS runtime interface client', function () {
  this.timeout(60_000);
  const context: CaseContext = { store: 'embedded', codes: 0 };
  let server: Server | undefined;
  let local: ApiClient;
  let taskRoot: string;

  before(async function () {
    if (!HAS_RIC) {
      // CI installs it: a missing install there is a broken CI, not a reason to skip.
      if (process.env.CI === 'true') throw new Error(`aws-lambda-ric is not installed; run: ${RIC_INSTALL}`);
      console.warn(`    skipped: aws-lambda-ric is not installed; run: ${RIC_INSTALL}`);
      this.skip();
    }
    context.codes = postalEntries().length;
    ({ directory: taskRoot } = await sharedBundle());
    server = await createPostalApp(sharedEmbeddedStore()).listen(0, '127.0.0.1');
    local = httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  after(
    () =>
      new Promise<void>((resolve) => {
        if (server === undefined) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  /**
   * Starts the function for the describe block and checks, after it, that the runtime never
   * failed; or, `fresh`, starts one per test, so that a test killing the runtime cannot fail the
   * next (a failing `afterEach` would skip the rest: each such test checks the runtime itself).
   */
  function useFunction(handler: () => [string, string], fresh = false): () => LambdaFunction {
    let fn: LambdaFunction | undefined;
    (fresh ? beforeEach : before)(async () => {
      fn = await startFunction(...handler());
    });
    (fresh ? afterEach : after)(async () => {
      const stopping = fn;
      fn = undefined;
      if (stopping === undefined) return;
      const exitCode = stopping.ric.exitCode();
      await stopping.stop();
      if (!fresh) expectServing(stopping, exitCode);
    });
    return () => fn!;
  }

  /** The example's API table and its docs pages through `lambda`, each answer compared with node:http's. */
  function itAnswersAsNodeHttp(lambda: () => ApiClient): void {
    let client: ApiClient;
    before(() => {
      client = comparedWith(local, lambda());
    });
    for (const testCase of apiCases) {
      if (testCase.stateful) it(testCase.name, () => testCase.run(lambda(), context));
      else it(`${testCase.name}, as node:http answers it`, () => testCase.run(client, context));
    }
    it("serves the NDJSON export gzip-compressed, the bytes decompressing to node:http's answer", async () => {
      const url = '/api/postal_codes/export?prefix=1';
      const compressed = await lambda()({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(compressed.headers['content-encoding']).to.equal('gzip');
      const expected = await local({ url, headers: { 'accept-encoding': 'identity' } });
      expect(gunzipSync(compressed.body).equals(expected.body)).to.equal(true);
    });
    it('serves the OpenAPI document and the docs page as node:http does', async () => {
      for (const url of DOCS_URLS) {
        expect((await client({ url, headers: { 'accept-encoding': 'identity' } })).status, url).to.equal(200);
      }
    });
  }

  describe('when the buffered handler answers HTTP API events (index.handler)', () => {
    const fn = useFunction(() => [taskRoot, 'index.handler']);
    itAnswersAsNodeHttp(() => bufferedClient(fn()));

    it('reports a non-HTTP event on /error, then serves the next invocation', async () => {
      const record = await fn().invoke({ Records: [] });
      expect(record.outcome).to.equal('error');
      // The RIC's native client (aws-lambda-cpp) names the type in the body only, with no error-type header.
      expect(JSON.parse(record.body.toString('utf8'))).to.include({ errorType: 'NotHttpEventError' });
      expect((await fn().invoke(functionUrlEvent({ url: '/api/health' }))).outcome).to.equal('response');
    });

    it('posts the result as one JSON body, not a stream', async () => {
      const record = await fn().invoke(functionUrlEvent({ url: '/api/health' }));
      expect(record).to.include({ outcome: 'response', streamed: false, complete: true });
      expect(JSON.parse(record.body.toString('utf8'))).to.include({ statusCode: 200 });
    });
  });

  describe('when the streaming handler answers Function URL events (index.streamingHandler)', () => {
    const fn = useFunction(() => [taskRoot, 'index.streamingHandler']);
    itAnswersAsNodeHttp(() => streamingClient(fn()));

    it("uploads AWS's wire format: streaming headers, prelude JSON, 8 NUL bytes, the body, no error trailers", async () => {
      const record = await fn().invoke(functionUrlEvent({ url: '/api/postal_codes/export?prefix=1000' }));
      expect(record.headers).to.include({
        'lambda-runtime-function-response-mode': 'streaming',
        'content-type': PRELUDE_CONTENT_TYPE,
        'transfer-encoding': 'chunked',
        trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      });
      expect(record.complete).to.equal(true);
      expect(record.trailers).to.deep.equal({});
      const { prelude, body } = splitStreamed(record);
      expect(prelude).to.deep.equal({
        statusCode: 200,
        headers: { 'content-type': 'application/x-ndjson; charset=utf-8', vary: 'Accept-Encoding' },
      });
      const expected = await local({ url: '/api/postal_codes/export?prefix=1000' });
      expect(
        record.body.equals(Buffer.concat([Buffer.from(JSON.stringify(prelude)), PRELUDE_DELIMITER, expected.body])),
      ).to.equal(true);
      expect(body.equals(expected.body)).to.equal(true);
    });
  });

  describe('when a streamed body fails (stream-faults.streamingHandler)', function () {
    // Built by tsc beside this file's support code; it imports crest as the example does.
    this.timeout(10_000);
    const fn = useFunction(() => [join(__dirname, 'support'), 'stream-faults.streamingHandler'], true);
    const healthy = async (): Promise<void> => {
      const record = await fn().invoke(functionUrlEvent({ url: '/lines?n=2' }));
      expect(hasErrorTrailers(record), 'error trailers').to.equal(false);
      expect(splitStreamed(record).body.toString()).to.equal('{"line":0}\n{"line":1}\n');
      expectServing(fn());
    };

    it('after its first chunk: ends the upload with the error trailers, then serves the next invocation', async () => {
      const record = await fn().invoke(functionUrlEvent({ url: '/fail-after-first' }));
      expect(record.complete, 'the closing chunk was sent').to.equal(true);
      const { prelude, body } = splitStreamed(record);
      expect(prelude.statusCode).to.equal(200);
      expect(body.toString()).to.equal('{"line":0}\n');
      const trailers = errorTrailers(record);
      expect(trailers.type).to.equal('CREST_INTERNAL');
      expect(trailers.body).to.include({ errorType: 'CREST_INTERNAL' });
      // What the invoker sees names no file of the function and not the source's own message.
      expect(JSON.stringify(trailers.body)).not.to.match(/\.js:|store went away/);
      await healthy();
    });

    it('before its first chunk: answers an ordinary 500 problem without trailers', async () => {
      const record = await fn().invoke(functionUrlEvent({ url: '/fail-before-first' }));
      expect(hasErrorTrailers(record)).to.equal(false);
      const { prelude, body } = splitStreamed(record);
      expect(prelude.statusCode).to.equal(500);
      expect(JSON.parse(body.toString())).to.include({ status: 500, code: 'CREST_INTERNAL' });
      await healthy();
    });

    it('stalling after its first chunk: ends with CREST_TIMEOUT trailers before the deadline, then serves the next', async () => {
      const record = await fn().invoke(functionUrlEvent({ url: '/stalls-after-first' }), { timeoutMs: 1500 });
      expect(record.endedAt).to.be.below(record.deadline);
      expect(record.complete).to.equal(true);
      expect(splitStreamed(record).body.toString()).to.equal('{"line":0}\n');
      expect(errorTrailers(record).type).to.equal('CREST_TIMEOUT');
      await healthy();
    });

    it('stalling before its first chunk: answers a 504 problem before the deadline', async () => {
      const record = await fn().invoke(functionUrlEvent({ url: '/stalls-before-first' }), { timeoutMs: 1500 });
      expect(record.endedAt).to.be.below(record.deadline);
      const { prelude, body } = splitStreamed(record);
      expect(prelude.statusCode).to.equal(504);
      expect(JSON.parse(body.toString())).to.include({ code: 'CREST_TIMEOUT' });
      await healthy();
    });
  });
});
