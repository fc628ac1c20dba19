import { expect } from 'chai';
import { compress, createApp, CrestBootError, ErrorCodes, type App, type CompressOptions } from '../../src';
import { negotiateEncoding } from '../../src/http/accept-encoding';
import {
  functionUrlStreamingTransport,
  transports,
  type Client,
  type ClientRequest,
  type ClientResponse,
} from '../conformance/transports';
import { decoded, LARGE, NDJSON_LINES, RepresentationController, SMALL, varyNames } from './support/fixtures';

/** `Accept-Encoding` → the coding crest picks with the default offer (br, gzip, deflate); `undefined`: none. */
const NEGOTIATION: Array<[header: string | undefined, coding: string | undefined, why: string]> = [
  ['gzip', 'gzip', 'the one coding listed'],
  ['gzip, deflate, br', 'br', 'equal q-values: the server prefers br'],
  ['deflate, gzip', 'gzip', 'equal q-values: gzip before deflate, whatever the client order'],
  ['br;q=0.5, gzip', 'gzip', 'the higher q-value wins'],
  ['deflate', 'deflate', 'deflate alone'],
  ['x-gzip', 'gzip', 'x-gzip is gzip (RFC 9110 §8.4.1.3)'],
  ['GZIP', 'gzip', 'codings are case-insensitive'],
  ['gzip;q=0', undefined, 'q=0 refuses a coding'],
  ['br;q=0, gzip;q=0, deflate;q=0', undefined, 'every coding refused'],
  ['*', 'br', '* accepts every coding'],
  ['*;q=0.1, br;q=0', 'gzip', 'a coding listed with q=0 is not covered by *'],
  ['identity', undefined, 'identity only'],
  ['gzip;q=0.5, identity', undefined, 'identity ranked above gzip'],
  ['identity;q=0.5, gzip', 'gzip', 'gzip ranked above identity'],
  ['', undefined, 'an empty value asks for no coding'],
  [undefined, undefined, 'no header: no coding'],
  ['gzip;q=abc', undefined, 'a malformed q-value drops its entry'],
  ['gzip;q=1.5', undefined, 'a q-value over 1 is malformed'],
  ['gzip; q=0.001', 'gzip', 'the smallest positive q-value'],
  ['zstd', undefined, 'a coding crest cannot produce'],
  ['zstd, gzip;q=0.8', 'gzip', 'the best coding crest can produce'],
];

function appWith(options?: CompressOptions): App {
  return createApp({ controllers: [RepresentationController], middleware: [compress(options)] });
}

describe('compress()', () => {
  describe('negotiateEncoding', () => {
    for (const [header, coding, why] of NEGOTIATION) {
      it(`${JSON.stringify(header)} → ${coding ?? 'no coding'} (${why})`, () => {
        expect(negotiateEncoding(header, ['br', 'gzip', 'deflate']).coding).to.equal(coding);
      });
    }

    it('reports identity refused by identity;q=0 or by *;q=0 without identity', () => {
      expect(negotiateEncoding('gzip, identity;q=0', ['br', 'gzip']).identityRefused).to.equal(true);
      expect(negotiateEncoding('*;q=0', ['br', 'gzip'])).to.deep.equal({ coding: undefined, identityRefused: true });
      expect(negotiateEncoding('*;q=0, identity', ['br', 'gzip']).identityRefused).to.equal(false);
      expect(negotiateEncoding('gzip', ['br', 'gzip']).identityRefused).to.equal(false);
    });

    it('reads a header of 100,000 entries in linear time', () => {
      const header = `${'zstd;q=0.5, '.repeat(100_000)}gzip`;
      expect(negotiateEncoding(header, ['br', 'gzip']).coding).to.equal('gzip');
    });
  });

  describe('when the options are invalid', () => {
    const cases: Array<[string, CompressOptions]> = [
      ['an unknown coding', { encodings: ['zstd' as 'gzip'] }],
      ['no coding', { encodings: [] }],
      ['a repeated coding', { encodings: ['gzip', 'gzip'] }],
      ['a negative threshold', { threshold: -1 }],
      ['a brotli quality over 11', { brotliQuality: 12 }],
    ];
    for (const [name, options] of cases) {
      it(`refuses ${name} at boot`, () => {
        expect(() => compress(options))
          .to.throw(CrestBootError)
          .with.property('code', ErrorCodes.INVALID_OPTION);
      });
    }
  });

  for (const transport of transports) {
    describe(`on ${transport.name}`, () => {
      let client: Client;
      let plain: Client;
      before(async () => {
        client = await transport.start(appWith());
        plain = await transport.start(createApp({ controllers: [RepresentationController] }));
      });
      after(async () => {
        await client.close();
        await plain.close();
      });
      const get = (url: string, acceptEncoding?: string, extra: Partial<ClientRequest> = {}): Promise<ClientResponse> =>
        client.send({
          url,
          headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
          ...extra,
        });

      describe('when negotiating Accept-Encoding', () => {
        for (const [header, coding, why] of NEGOTIATION) {
          it(`answers ${JSON.stringify(header)} with ${coding ?? 'no coding'} (${why})`, async () => {
            const response = await get('/large', header);
            expect(response.statusCode).to.equal(200);
            expect(response.headers['content-encoding']).to.equal(coding);
            expect(varyNames(response)).to.include('accept-encoding');
            expect(decoded(response).toString('utf8')).to.equal(JSON.stringify(LARGE));
          });
        }
      });

      describe('when the answer is compressed', () => {
        it('sends bytes that decompress to exactly the uncompressed answer', async () => {
          const uncompressed = await plain.send({ url: '/large' });
          for (const coding of ['br', 'gzip', 'deflate']) {
            const response = await get('/large', coding);
            expect(response.headers['content-encoding']).to.equal(coding);
            expect(response.rawBody.length).to.be.below(uncompressed.rawBody.length / 3);
            expect(decoded(response).equals(uncompressed.rawBody)).to.equal(true);
          }
        });

        it('never announces the uncompressed length (Content-Length counts the bytes sent, when there is one)', async () => {
          const response = await get('/large', 'gzip');
          const length = response.headers['content-length'];
          // A streamed Lambda answer has none: the runtime sends it chunked.
          if (transport !== functionUrlStreamingTransport) expect(length).to.equal(String(response.rawBody.length));
          else expect(length).to.equal(undefined);
        });

        it('keeps the content type and appends to an existing Vary', async () => {
          const response = await get('/varied', 'gzip');
          expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
          expect(varyNames(response)).to.deep.equal(['origin', 'accept-encoding']);
        });

        it("weakens the handler's strong ETag", async () => {
          const response = await get('/tagged', 'gzip');
          expect(response.headers['content-encoding']).to.equal('gzip');
          expect(response.headers.etag).to.equal('W/"v1"');
        });

        it('compresses a stream whatever its size, the bytes decompressing to every line', async () => {
          const response = await get('/stream', 'gzip');
          expect(response.headers['content-encoding']).to.equal('gzip');
          expect(decoded(response).toString('utf8')).to.equal(NDJSON_LINES.join(''));
        });
      });

      describe('when the body is under the threshold', () => {
        it('sends it as it is, with Vary: Accept-Encoding', async () => {
          const response = await get('/small', 'gzip, br');
          expect(response.headers['content-encoding']).to.equal(undefined);
          expect(varyNames(response)).to.include('accept-encoding');
          expect(JSON.parse(response.body)).to.deep.equal(SMALL);
        });

        it('compresses from 1024 bytes (the default threshold) on', async () => {
          expect((await get('/text?n=1023', 'gzip')).headers['content-encoding']).to.equal(undefined);
          expect((await get('/text?n=1024', 'gzip')).headers['content-encoding']).to.equal('gzip');
        });

        it('compresses it anyway when the client refuses identity', async () => {
          const response = await get('/small', 'gzip, identity;q=0');
          expect(response.headers['content-encoding']).to.equal('gzip');
          expect(JSON.parse(decoded(response).toString('utf8'))).to.deep.equal(SMALL);
        });
      });

      describe('when the type does not compress', () => {
        const types: Array<[string, boolean]> = [
          ['image/png', false],
          ['image/jpeg', false],
          ['video/mp4', false],
          ['audio/mpeg', false],
          ['application/zip', false],
          ['application/gzip', false],
          ['font/woff2', false],
          ['application/octet-stream', false],
          ['image/svg+xml', true],
          ['text/csv; charset=utf-8', true],
          ['application/vnd.api+json', true],
        ];
        for (const [type, compressed] of types) {
          it(`${compressed ? 'compresses' : 'leaves alone'} ${type}`, async () => {
            const response = await get(`/typed?type=${encodeURIComponent(type)}`, 'gzip');
            expect(response.headers['content-encoding']).to.equal(compressed ? 'gzip' : undefined);
            expect(varyNames(response).includes('accept-encoding')).to.equal(compressed);
            expect(decoded(response).toString('utf8')).to.equal('0123456789abcdef'.repeat(256));
          });
        }
      });

      describe('when compressing is not for crest to do', () => {
        it('leaves an answer the handler encoded as it is, Vary included', async () => {
          const response = await get('/encoded', 'br, gzip');
          expect(response.headers['content-encoding']).to.equal('gzip');
          expect(response.rawBody.toString('utf8')).to.equal('already gzip, trust me'.repeat(100));
          expect(varyNames(response)).to.deep.equal([]);
        });

        it('leaves an answer marked Cache-Control: no-transform alone', async () => {
          const response = await get('/no-transform', 'gzip');
          expect(response.headers['content-encoding']).to.equal(undefined);
          expect(response.body).to.equal(JSON.stringify(LARGE));
        });

        it('answers HEAD without a coding, but with Vary', async () => {
          const response = await get('/large', 'gzip', { method: 'HEAD' });
          expect(response.statusCode).to.equal(200);
          expect(response.headers['content-encoding']).to.equal(undefined);
          expect(varyNames(response)).to.include('accept-encoding');
          expect(response.rawBody.length).to.equal(0);
        });

        it('answers 204 without a coding', async () => {
          const response = await get('/empty', 'gzip');
          expect(response.statusCode).to.equal(204);
          expect(response.headers['content-encoding']).to.equal(undefined);
          expect(response.rawBody.length).to.equal(0);
        });
      });
    });
  }

  describe('with options', () => {
    it('offers only the listed encodings, in their order', async () => {
      const app = appWith({ encodings: ['deflate', 'gzip'] });
      expect(
        (await app.inject({ url: '/large', headers: { 'accept-encoding': 'br, gzip, deflate' } })).headers,
      ).to.have.property('content-encoding', 'deflate');
      expect((await app.inject({ url: '/large', headers: { 'accept-encoding': 'br' } })).headers).not.to.have.property(
        'content-encoding',
      );
    });

    it('compresses from the given threshold on', async () => {
      const app = appWith({ threshold: 10 });
      const response = await app.inject({ url: '/small', headers: { 'accept-encoding': 'gzip' } });
      expect(response.headers['content-encoding']).to.equal('gzip');
    });

    it('compresses harder at a higher brotli quality', async () => {
      const sizes = await Promise.all(
        [1, 11].map(async (brotliQuality) => {
          const app = appWith({ brotliQuality });
          return (await app.inject({ url: '/large', headers: { 'accept-encoding': 'br' } })).rawBody.length;
        }),
      );
      expect(sizes[1]).to.be.below(sizes[0]!);
    });

    it('asks the compressible predicate about each type', async () => {
      const app = appWith({ compressible: (type) => type === 'application/octet-stream' });
      const response = await app.inject({
        url: '/typed?type=application/octet-stream',
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(response.headers['content-encoding']).to.equal('gzip');
    });
  });
});
