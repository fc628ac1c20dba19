import { expect } from 'chai';
import fc from 'fast-check';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Body, Controller, createApp, ErrorCodes, Post, UploadedFile, UploadedFiles, type App } from '../../src';
import { httpApiEvent, lambdaContext, readLambdaResult, restApiEvent } from '../../src/testing';
import { BOUNDARY, multipartBody, MULTIPART_TYPE, NOT_UTF8, type PartSpec } from '../uploads/support/multipart-body';
import { FUZZ_RUNS, FUZZ_SEED } from './fuzz-settings';

/** Socket exchanges cost more than in-process ones: a tenth of FUZZ_RUNS, at least 500. */
const SOCKET_RUNS = Math.max(500, Math.ceil(FUZZ_RUNS / 10));

@Controller('/up')
class FuzzUploads {
  @Post('/')
  upload(
    @UploadedFile('doc', { maxFileSize: 2048 }) doc: UploadedFile | undefined,
    @UploadedFiles('pics', { maxCount: 2, contentTypes: ['image/*'] }) pics: UploadedFile[],
    @Body() fields: object,
  ) {
    return { doc: doc?.size ?? null, pics: pics.length, fields: Object.keys(fields).length };
  }
}

const LIMITS = { fields: 8, parts: 16, fieldSize: 512, totalSize: 8192 };

const part: fc.Arbitrary<PartSpec> = fc.record(
  {
    name: fc.oneof(fc.constantFrom('doc', 'pics', 'title', 'other', ''), fc.string({ maxLength: 6 })),
    fileName: fc.oneof(fc.constantFrom('a.csv', '日本.csv', '', '../x', 'a"b'), fc.string({ maxLength: 8 })),
    fileNameStar: fc.constantFrom('ü.png', '郵便.csv'),
    // Raw Content-Disposition values: filename* before and after filename, ext-values crest cannot
    // decode, no name, no form-data.
    disposition: fc.constantFrom(
      `form-data; name="doc"; filename*=UTF-8''%E9%83%B5.csv; filename="a.csv"`,
      `form-data; name="doc"; filename*=Shift_JIS''%93%FA.csv; filename="a.csv"`,
      `form-data; name="doc"; filename*=UTF-8''%zz`,
      `form-data; name="doc"; filename*=UTF-8''%FF`,
      `form-data; name="doc"; filename*="UTF-8''a.csv`,
      'form-data; filename="a.csv"',
      'attachment; name="doc"',
      null,
    ),
    contentType: fc.constantFrom(
      'text/csv',
      'image/png',
      'application/octet-stream',
      'text/plain; charset=shift_jis',
      '',
    ),
    content: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(NOT_UTF8, `x\r\n--${BOUNDARY}\r\ny`, `--${BOUNDARY}--`, 'a'.repeat(3000)),
    ),
  },
  { requiredKeys: ['content'] },
);

type Mutation = (body: Buffer) => Buffer;

/** Ways a client or an attacker breaks a well-formed body. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>((body) => body),
  fc.nat().map(
    (n): Mutation =>
      (body) =>
        body.subarray(0, n % (body.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([n, byte]): Mutation => (body) => {
    const copy = Buffer.from(body);
    if (copy.length > 0) copy[n % copy.length] = byte;
    return copy;
  }),
  fc
    .tuple(fc.nat(), fc.constantFrom(`\r\n--${BOUNDARY}\r\n`, `--${BOUNDARY}--`, '\r\n\r\n', '"', ';'))
    .map(([n, text]): Mutation => (body) => {
      const at = n % (body.length + 1);
      return Buffer.concat([body.subarray(0, at), Buffer.from(text), body.subarray(at)]);
    }),
);

const contentType = fc.oneof(
  fc.constant(MULTIPART_TYPE),
  fc.constantFrom(
    'multipart/form-data',
    `multipart/form-data; boundary="${BOUNDARY}"`,
    `multipart/form-data; boundary=${BOUNDARY}; boundary=x`,
    'multipart/form-data; boundary=',
    `MULTIPART/FORM-DATA; BOUNDARY=${BOUNDARY}`,
    `multipart/form-data; boundary=${'b'.repeat(80)}`,
  ),
);

const upload = fc.record({
  parts: fc.array(part, { maxLength: 24 }),
  mutate: mutation,
  contentType,
});

const build = ({ parts, mutate }: { parts: PartSpec[]; mutate: Mutation }) =>
  mutate(multipartBody(parts.map((p) => (p.contentType === '' ? { ...p, contentType: undefined } : p))));

function expectAnswer(status: number, body: string): void {
  expect(status, body.slice(0, 300)).to.be.within(200, 499);
  expect(body).not.to.match(/at .+\.js:\d+/);
}

function exchange(port: number, payload: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.on('error', () => undefined);
    socket.end(payload);
  });
}

describe('fuzzing multipart/form-data uploads', function () {
  this.timeout(300_000);
  let app: App;
  before(() => {
    app = createApp({ controllers: [FuzzUploads], bodyLimit: 8192, multipart: LIMITS });
  });

  it(`answers ${FUZZ_RUNS} random and broken uploads in-process (inject) with non-5xx problems`, async () => {
    await fc.assert(
      fc.asyncProperty(upload, async (input) => {
        const res = await app.inject({
          method: 'POST',
          url: '/up',
          headers: { 'content-type': input.contentType },
          body: build(input),
        });
        expectAnswer(res.statusCode, res.body);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });

  it(`answers ${FUZZ_RUNS} of them as base64 Lambda bodies (REST, HTTP API) with the status inject gives`, async () => {
    const handler = app.lambda();
    await fc.assert(
      fc.asyncProperty(upload, fc.boolean(), async (input, rest) => {
        const request = {
          method: 'POST',
          url: '/up',
          headers: { 'content-type': input.contentType },
          body: build(input),
        };
        const local = await app.inject(request);
        const result = rest
          ? readLambdaResult(await handler(restApiEvent(request), lambdaContext()), 'rest-api')
          : readLambdaResult(await handler(httpApiEvent(request), lambdaContext()), 'http-api');
        expectAnswer(result.statusCode, result.body);
        expect(result.statusCode).to.equal(local.statusCode);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });

  describe('over node:http', () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = await app.listen(0, '127.0.0.1');
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it(`answers ${SOCKET_RUNS} of them with the status inject gives, and stays up`, async () => {
      await fc.assert(
        fc.asyncProperty(upload, async (input) => {
          const body = build(input);
          const local = await app.inject({
            method: 'POST',
            url: '/up',
            headers: { 'content-type': input.contentType },
            body,
          });
          const head = `POST /up HTTP/1.1\r\nhost: x\r\ncontent-type: ${input.contentType}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
          const reply = await exchange(port, Buffer.concat([Buffer.from(head, 'latin1'), body]));
          const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(reply)?.[1]);
          expectAnswer(status, reply);
          expect(status).to.equal(local.statusCode);
        }),
        { numRuns: SOCKET_RUNS, seed: FUZZ_SEED },
      );
      const healthy = multipartBody([{ name: 'doc', fileName: 'a.csv', content: 'x' }]);
      const res = await fetch(`http://127.0.0.1:${port}/up`, {
        method: 'POST',
        headers: { 'content-type': MULTIPART_TYPE },
        body: healthy,
      });
      expect(res.status).to.equal(200);
    });
  });

  it(`refuses ${FUZZ_RUNS} files cut by a boundary line inside their content, on inject and Lambda alike`, async () => {
    const handler = app.lambda();
    // Bytes without CR: what follows the false boundary never completes a part header.
    const noCr = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 13)));
    await fc.assert(
      fc.asyncProperty(noCr, noCr, async (before, after) => {
        const content = Buffer.concat([before, Buffer.from(`\r\n--${BOUNDARY}\r\n`), after]);
        const request = {
          method: 'POST',
          url: '/up',
          headers: { 'content-type': MULTIPART_TYPE },
          body: multipartBody([{ name: 'doc', fileName: 'a.bin', content }]),
        };
        const local = await app.inject(request);
        expect([local.statusCode, local.json<{ code: string }>().code]).to.deep.equal([
          400,
          ErrorCodes.INVALID_MULTIPART,
        ]);
        const result = readLambdaResult(await handler(httpApiEvent(request), lambdaContext()), 'http-api');
        expect(result.statusCode).to.equal(400);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });

  describe('when a body holds 10,000 tiny parts', () => {
    const headerless = Buffer.from(`${`--${BOUNDARY}\r\n\r\nx\r\n`.repeat(10_000)}--${BOUNDARY}--\r\n`);
    const cases: Array<[string, Buffer, string]> = [
      [
        'text fields',
        multipartBody(Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, content: '' }))),
        ErrorCodes.TOO_MANY_FIELDS,
      ],
      ['parts without headers (skipped, but counted)', headerless, ErrorCodes.TOO_MANY_PARTS],
    ];
    for (const [label, body, code] of cases) {
      it(`answers 413 ${code} for ${label}, parsing no further than the limit`, async () => {
        const defaults = createApp({ controllers: [FuzzUploads] });
        const res = await defaults.inject({
          method: 'POST',
          url: '/up',
          headers: { 'content-type': MULTIPART_TYPE },
          body,
        });
        expect([res.statusCode, res.json<{ code: string }>().code]).to.deep.equal([413, code]);
      });
    }
  });
});
