import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compress, Controller, createApp, ErrorCodes, Get, HttpResponse, type App } from '../../src';
import { albEvent, lambdaContext, readLambdaResult } from '../../src/testing';
import { BUFFERED_SOURCES } from '../lambda/support/buffered-sources';
import { createPostalApp } from '../../example/src/app';
import { EmbeddedStore } from '../../example/src/store/embedded-store';
import { ALB_RESULT_LIMIT, LAMBDA_RESULT_LIMIT } from '../../src/transports/lambda/result-parts';
import { jsonOfSize, LARGE } from './support/fixtures';

// Over ALB's 1 MB as JSON, a tenth of it gzipped (what a page of API records is like).
const OVER_ALB = jsonOfSize(ALB_RESULT_LIMIT + 200_000);
// Over Lambda's 6 MB as JSON.
const OVER_LAMBDA = jsonOfSize(LAMBDA_RESULT_LIMIT + 500_000);

async function* ndjson(value: { items: unknown[] }): AsyncGenerator<string> {
  for (let i = 0; i < value.items.length; i += 1000) {
    yield value.items
      .slice(i, i + 1000)
      .map((item) => `${JSON.stringify(item)}\n`)
      .join('');
  }
}

@Controller()
class LargeAnswers {
  @Get('/large')
  large() {
    return LARGE;
  }

  @Get('/over-alb')
  overAlb() {
    return OVER_ALB;
  }

  @Get('/over-lambda')
  overLambda() {
    return OVER_LAMBDA;
  }

  @Get('/over-alb-stream')
  overAlbStream() {
    return HttpResponse.stream(ndjson(OVER_ALB), { headers: { 'content-type': 'application/x-ndjson' } });
  }
}

const asJson = (value: { items: unknown[] }): string => JSON.stringify(value);

describe('compress() on buffered Lambda results', () => {
  const app: App = createApp({ controllers: [LargeAnswers], middleware: [compress()] });
  const handler = app.lambda();

  for (const { name, platform, event } of BUFFERED_SOURCES) {
    describe(`when the source is ${name}`, () => {
      const invoke = async (url: string, acceptEncoding?: string) => {
        const headers: Record<string, string> =
          acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
        const result = (await handler(event({ url, headers }), lambdaContext())) as unknown as Record<string, unknown>;
        return { result, view: readLambdaResult(result, platform) };
      };

      it('sends the compressed bytes base64-encoded, with isBase64Encoded: true', async () => {
        const { result, view } = await invoke('/large', 'gzip');
        expect(result.isBase64Encoded).to.equal(true);
        expect(view.headers['content-encoding']).to.equal('gzip');
        expect(gunzipSync(Buffer.from(result.body as string, 'base64')).toString('utf8')).to.equal(
          JSON.stringify(LARGE),
        );
      });

      it('sends the same answer as text when the client does not accept a coding', async () => {
        const { result } = await invoke('/large');
        expect(result.isBase64Encoded).to.equal(false);
        expect(result.body).to.equal(JSON.stringify(LARGE));
      });

      const limit = platform.startsWith('alb') ? ALB_RESULT_LIMIT : LAMBDA_RESULT_LIMIT;
      const overPath = platform.startsWith('alb') ? '/over-alb' : '/over-lambda';
      const over = platform.startsWith('alb') ? OVER_ALB : OVER_LAMBDA;

      it(`serves an answer over the ${limit}-byte limit compressed, since it fits so`, async () => {
        const { result, view } = await invoke(overPath, 'gzip');
        expect(view.statusCode).to.equal(200);
        expect(view.headers['content-encoding']).to.equal('gzip');
        expect(gunzipSync(view.rawBody).toString('utf8')).to.equal(asJson(over));
        expect(JSON.stringify(result).length).to.be.below(limit);
      });

      it(`answers ${ErrorCodes.RESPONSE_TOO_LARGE} when it does not fit uncompressed`, async () => {
        const { view } = await invoke(overPath, 'identity');
        expect(view.statusCode).to.equal(500);
        expect(JSON.parse(view.body)).to.include({ code: ErrorCodes.RESPONSE_TOO_LARGE });
      });
    });
  }

  describe('when a streamed answer is buffered for ALB', () => {
    it('collects the compressed stream, which fits where the plain one does not', async () => {
      const send = async (acceptEncoding: string) =>
        readLambdaResult(
          await handler(
            albEvent({ url: '/over-alb-stream', headers: { 'accept-encoding': acceptEncoding } }),
            lambdaContext(),
          ),
          'alb-single',
        );
      const compressed = await send('gzip');
      expect(compressed.statusCode).to.equal(200);
      expect(gunzipSync(compressed.rawBody).toString('utf8')).to.equal(
        OVER_ALB.items.map((item) => `${JSON.stringify(item)}\n`).join(''),
      );
      const plain = await send('identity');
      expect(plain.statusCode).to.equal(500);
      expect(JSON.parse(plain.body)).to.include({ code: ErrorCodes.RESPONSE_TOO_LARGE });
    });
  });
});

describe("the example's large answers through ALB", () => {
  // The real data set, packed by `npm run build:all`.
  const example = createPostalApp(EmbeddedStore.fromJpPostal({}));
  const handler = example.lambda();
  const viaAlb = async (url: string, acceptEncoding?: string) => {
    const headers: Record<string, string> = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    return readLambdaResult(
      await handler(albEvent({ url, headers }, { multiValueHeaders: true }), lambdaContext()),
      'alb-multi',
    );
  };

  describe('when the NDJSON export of prefix 4 (1.7 MB) is asked for', () => {
    it('is a 500 problem without compression: 1.7 MB does not fit in 1 MB', async () => {
      const view = await viaAlb('/api/postal_codes/export?prefix=4');
      expect(view.statusCode).to.equal(500);
      expect(JSON.parse(view.body)).to.include({ code: ErrorCodes.RESPONSE_TOO_LARGE });
    });

    it('is served gzipped, every line of it, as node:http serves it', async () => {
      const view = await viaAlb('/api/postal_codes/export?prefix=4', 'gzip');
      expect(view.statusCode).to.equal(200);
      expect(view.headers['content-encoding']).to.equal('gzip');
      const local = await example.inject({ url: '/api/postal_codes/export?prefix=4' });
      expect(local.rawBody.length).to.be.above(ALB_RESULT_LIMIT);
      expect(gunzipSync(view.rawBody).equals(local.rawBody)).to.equal(true);
    });
  });

  describe('when the docs bundle (swagger-ui-bundle.js, 1.7 MB) is asked for', () => {
    const bundle = readFileSync(join(require.resolve('swagger-ui-dist/package.json'), '..', 'swagger-ui-bundle.js'));

    it('is a 500 problem without compression', async () => {
      const view = await viaAlb('/api/docs/swagger-ui-bundle.js');
      expect(view.statusCode).to.equal(500);
      expect(JSON.parse(view.body)).to.include({ code: ErrorCodes.RESPONSE_TOO_LARGE });
    });

    it('is served gzipped (its own precompressed copy, left as it is by compress())', async () => {
      const view = await viaAlb('/api/docs/swagger-ui-bundle.js', 'gzip, deflate, br');
      expect(view.statusCode).to.equal(200);
      expect(view.headers['content-encoding']).to.equal('gzip');
      expect(gunzipSync(view.rawBody).equals(bundle)).to.equal(true);
    });

    it('is brotli-compressed by compress() for a client that takes only br', async () => {
      const view = await viaAlb('/api/docs/swagger-ui-bundle.js', 'br');
      expect(view.statusCode).to.equal(200);
      expect(view.headers['content-encoding']).to.equal('br');
      expect(view.headers.etag).to.match(/^W\//);
    });
  });
});
