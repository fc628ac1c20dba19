import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { DOCS_UI_FILES } from 'crest/openapi';
import { functionUrlEvent, httpApiEvent, lambdaContext, readLambdaResult, restApiEvent } from 'crest/testing';
import type { BundleResult } from '../src/tools/bundle';
import { createZip } from '../src/tools/zip';
import { loadRedis } from '../src/store/redis-loader';
import { sharedBundle } from './support/bundle';
import { postalEntries } from './support/data';
import { hasRedisServer, startRedisServer, type RedisServer } from './support/redis-server';
import { EXAMPLE_DIR } from './support/offline';

/**
 * The handler bundle's bound: 460 kB at its first ES module build (crest 215 kB, ioredis with its
 * dependencies 150 kB), about 300 kB since ioredis went to redis-store.cjs; the CommonJS bundle it
 * replaced was 961 kB, 408 kB of it libphonenumber-js and validator, which this bound keeps out.
 */
const MAX_HANDLER_BYTES = 350_000;

interface ZipFile {
  name: string;
  data: Buffer;
  mode: number;
  /** MS-DOS date (high 16 bits) and time (low 16 bits), as the central directory holds them. */
  dosDateTime: number;
}

/** Reads a zip through its central directory, checking sizes and CRCs: what Lambda does. */
function readZip(archive: Buffer): ZipFile[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end, 'end of central directory').to.be.at.least(0);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).to.equal(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    const mode = archive.readUInt32LE(at + 38) >>> 16;
    const dosDateTime = archive.readUInt32LE(at + 12);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    expect(archive.readUInt32LE(local)).to.equal(0x04034b50);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(start, start + compressed);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(data.length, name).to.equal(size);
    expect(crc32(data), name).to.equal(crc);
    files.push({ name, data, mode, dosDateTime });
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

interface FakeStream {
  prelude?: { statusCode: number; headers: Record<string, string>; cookies?: string[] };
  body: Buffer;
}

/** Stands in for the Lambda runtime's `awslambda` global while the bundle is loaded. */
function installFakeStreamingRuntime(): () => FakeStream {
  const captured: FakeStream = { body: Buffer.alloc(0) };
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse: (handler: unknown) => handler,
    HttpResponseStream: {
      from(stream: Writable, prelude: FakeStream['prelude']) {
        captured.prelude = prelude;
        return stream;
      },
    },
  };
  return () => captured;
}

/** The bundled module, as the Lambda runtime loads it: `import()` of an ES module. */
async function loadBundle(bundle: BundleResult): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(bundle.handlerFile).href)) as Record<string, unknown>;
}

describe('npm run example:bundle', function () {
  this.timeout(30_000);
  let bundle: BundleResult;
  before(async () => {
    bundle = await sharedBundle();
  });

  describe('the zip', () => {
    it('holds index.mjs, the Redis store, the data set and the docs page files, world-readable, and checks out', () => {
      const files = readZip(readFileSync(bundle.zip));
      expect(files.map((file) => file.name)).to.deep.equal([
        'index.mjs',
        'redis-store.cjs',
        'postal.bin',
        ...DOCS_UI_FILES.map((file) => `swagger-ui/${file}`),
      ]);
      expect(files.every((file) => file.mode === 0o100644)).to.equal(true);
      expect(files[0]!.data.equals(readFileSync(bundle.handlerFile))).to.equal(true);
      expect(bundle.zipBytes).to.be.within(100_000, 5 * 1024 * 1024);
    });

    it('is smaller than the zip that carried a CommonJS bundle (1,583 kB)', () => {
      expect(bundle.zipBytes).to.be.below(1_583 * 1024);
    });

    it('round-trips empty, repetitive and random entries with their modes (zip writer)', () => {
      const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 7919) % 251));
      const files = readZip(
        createZip([
          { name: 'empty', data: Buffer.alloc(0) },
          { name: 'dir/repeated.txt', data: Buffer.alloc(10_000, 'a') },
          { name: 'ünïcode', data: random, mode: 0o755 },
        ]),
      );
      expect(files.map((file) => [file.name, file.data.length, file.mode & 0o777])).to.deep.equal([
        ['empty', 0, 0o644],
        ['dir/repeated.txt', 10_000, 0o644],
        ['ünïcode', 64, 0o755],
      ]);
    });

    it('is reproducible: every entry dated 1980-01-01 00:00 whatever the clock and time zone', () => {
      const entries = [{ name: 'a.txt', data: Buffer.from('a') }];
      expect(createZip(entries).equals(createZip(entries))).to.equal(true);
      const dosDate = (0 << 9) | (1 << 5) | 1;
      expect(readZip(readFileSync(bundle.zip)).map((file) => file.dosDateTime)).to.satisfy((dates: number[]) =>
        dates.every((date) => date === dosDate << 16),
      );
    });
  });

  describe('the handler module', () => {
    it('is one ES module exporting both handlers (index.mjs: the runtime imports it as one)', () => {
      expect(relative(bundle.directory, bundle.handlerFile)).to.equal('index.mjs');
      const source = readFileSync(bundle.handlerFile, 'utf8');
      expect(source).to.match(/export\s*\{[^}]*\bhandler\b[^}]*\}\s*;?\s*$/);
      expect(source).to.match(/export\s*\{[^}]*\bstreamingHandler\b[^}]*\}\s*;?\s*$/);
      expect(source).not.to.match(/\bmodule\.exports\s*=/);
    });

    it("keeps only what the example uses of class-validator's ES module build: no libphonenumber-js, validator's matches alone", () => {
      const inputs = Object.keys(bundle.modules);
      const classValidator = inputs.filter((input) => input.includes('node_modules/class-validator/'));
      expect(classValidator).to.not.be.empty;
      expect(classValidator.filter((input) => !input.includes('node_modules/class-validator/esm5/'))).to.deep.equal([]);
      expect(inputs.filter((input) => input.includes('node_modules/libphonenumber-js/'))).to.deep.equal([]);
      // @Matches (postal-queries.ts) is the only decorator of the example that calls validator.
      expect(inputs.filter((input) => input.includes('node_modules/validator/')).sort()).to.deep.equal([
        'node_modules/validator/lib/matches.js',
        'node_modules/validator/lib/util/assertString.js',
      ]);
    });

    it('leaves ioredis to redis-store.cjs beside it, which only REDIS_URL loads', () => {
      const inputs = Object.keys(bundle.modules);
      expect(inputs.filter((input) => /node_modules\/(@ioredis|ioredis)\//.test(input))).to.deep.equal([]);
      expect(readFileSync(join(bundle.directory, 'redis-store.cjs'), 'utf8')).to.contain('ioredis');
    });

    it('answers its first lookup in a fresh process without loading node:zlib or node:http', () => {
      // Both load at their first use (crest's src/builtins.ts): a cold start that needs neither
      // does not pay the milliseconds each takes to load.
      const run = spawnSync(
        process.execPath,
        [
          '-e',
          `import(process.argv[1]).then(({ handler }) => handler(JSON.parse(process.argv[2]), {})).then(
             (result) => process.stdout.write(JSON.stringify({ statusCode: result.statusCode,
               loaded: ['zlib', 'http'].filter((name) => process.moduleLoadList.includes('NativeModule ' + name)) })),
             (error) => { console.error(error); process.exitCode = 1; })`,
          pathToFileURL(bundle.handlerFile).href,
          JSON.stringify(httpApiEvent({ url: '/api/postal_code?code=1000001' })),
        ],
        { env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 15_000 },
      );
      expect(run.status, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal({ statusCode: 200, loaded: [] });
    });

    it(`stays under ${MAX_HANDLER_BYTES / 1000} kB`, () => {
      expect(statSync(bundle.handlerFile).size).to.be.below(MAX_HANDLER_BYTES);
    });
  });

  describe('the bundled handlers', () => {
    type Handler = (event: unknown, context: unknown) => Promise<unknown>;
    type Streaming = (event: unknown, stream: Writable, context: unknown) => Promise<void>;
    let handler: Handler;
    let streamingHandler: Streaming;
    let streamed: () => FakeStream;

    before(async () => {
      streamed = installFakeStreamingRuntime();
      // esbuild output is self-contained: no crest, no node_modules, only postal.bin beside it.
      const bundled = (await loadBundle(bundle)) as { handler: Handler; streamingHandler: Streaming };
      ({ handler, streamingHandler } = bundled);
    });
    after(() => {
      delete (globalThis as Record<string, unknown>).awslambda;
    });

    it('answers REST API and HTTP API events', async () => {
      const url = '/api/postal_code?code=1000001';
      const rest = readLambdaResult(await handler(restApiEvent({ url }), lambdaContext()), 'rest-api');
      const http = readLambdaResult(await handler(httpApiEvent({ url }), lambdaContext()), 'http-api');
      for (const view of [rest, http]) {
        expect(view.statusCode).to.equal(200);
        expect(JSON.parse(view.body.toString())).to.have.property('code', '1000001');
      }
    });

    it('serves the OpenAPI document and the docs page with its files from the zip', async () => {
      const get = async (url: string) =>
        readLambdaResult(await handler(restApiEvent({ url }), lambdaContext()), 'rest-api');
      const document = await get('/api/openapi.json');
      expect(JSON.parse(document.body.toString())).to.have.property('openapi', '3.1.0');
      expect((await get('/api/docs')).body.toString()).to.contain('docs/swagger-ui-bundle.js');
      const icon = await get('/api/docs/favicon-32x32.png');
      expect(icon.headers['content-type']).to.equal('image/png');
      expect(icon.rawBody.equals(readFileSync(join(bundle.directory, 'swagger-ui/favicon-32x32.png')))).to.equal(true);
    });

    it('streams the NDJSON export through a Function URL in RESPONSE_STREAM mode', async () => {
      const stream = new PassThrough();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      await streamingHandler(
        functionUrlEvent({ url: '/api/postal_codes/export?prefix=1000' }),
        stream,
        lambdaContext(),
      );
      const { prelude } = streamed();
      expect(prelude).to.include({ statusCode: 200 });
      expect(prelude!.headers['content-type']).to.equal('application/x-ndjson; charset=utf-8');
      const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
      expect(lines.length).to.be.greaterThan(10);
      expect(JSON.parse(lines[1]!)).to.have.property('code', '1000001');
    });
  });

  describe('when REDIS_URL is set', () => {
    let redis: RedisServer | undefined;
    const loaded = postalEntries().filter((entry) => entry.code.startsWith('100'));

    before(async function () {
      if (!hasRedisServer()) {
        console.warn('    skipped: redis-server is not installed (.ci/run installs it: apt-get install redis-server)');
        this.skip();
      }
      redis = await startRedisServer();
      const client = new Redis(redis.url);
      await loadRedis(client, loaded);
      client.disconnect();
    });
    after(() => redis?.stop());

    it('reads Redis through the ioredis of redis-store.cjs beside the bundle', () => {
      // A fresh process: the bundle picks its store when it is loaded, as on a Lambda cold start.
      const invoke = (url: string) => {
        const run = spawnSync(
          process.execPath,
          [
            '-e',
            `import(process.argv[1]).then(({ handler }) => handler(JSON.parse(process.argv[2]), {})).then(
               (result) => { process.stdout.write(JSON.stringify(result)); process.exit(0); },
               (error) => { console.error(error); process.exit(1); })`,
            pathToFileURL(bundle.handlerFile).href,
            JSON.stringify(httpApiEvent({ url })),
          ],
          { env: { PATH: process.env.PATH, REDIS_URL: redis!.url }, encoding: 'utf8', timeout: 15_000 },
        );
        expect(run.status, run.stderr).to.equal(0);
        return readLambdaResult(JSON.parse(run.stdout), 'http-api');
      };
      const health = invoke('/api/health');
      expect(JSON.parse(health.body.toString())).to.deep.equal({ status: 'ok', store: 'redis', codes: loaded.length });
      const lookup = invoke('/api/postal_codes?prefix=1000&limit=2');
      expect(JSON.parse(lookup.body.toString())).to.have.nested.property('items[1].code', '1000001');
    });
  });

  describe('the deployment descriptions', () => {
    it('name handlers the bundle exports', async () => {
      const bundled = await loadBundle(bundle);
      const template = readFileSync(join(EXAMPLE_DIR, 'template.yaml'), 'utf8');
      const serverless = readFileSync(join(EXAMPLE_DIR, 'serverless.yml'), 'utf8');
      const handlers = [...`${template}\n${serverless}`.matchAll(/^\s*[Hh]andler: index\.(\w+)\s*$/gm)].map(
        (m) => m[1]!,
      );
      expect(handlers).to.have.members(['handler', 'streamingHandler', 'handler']);
      for (const name of handlers) expect(bundled[name], name).to.be.a('function');
      expect(template).to.contain('CodeUri: .build/crest-example.zip').and.to.contain('InvokeMode: RESPONSE_STREAM');
      expect(serverless).to.contain('artifact: .build/crest-example.zip');
    });
  });
});
