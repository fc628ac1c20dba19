import { expect } from 'chai';
import { compress, createApp, etag } from '../../src';
import { ifNoneMatchMatches, isUnmodifiedSince } from '../../src/http/conditional';
import { transports, type Client, type ClientRequest, type ClientResponse } from '../conformance/transports';
import { decoded, LARGE, RepresentationController, SMALL, streamEnds, varyNames } from './support/fixtures';

const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';

/** `If-None-Match` against the tag `W/"abc"`: weak comparison (RFC 9110 §13.1.2, §8.8.3.2). */
const MATCHING: Array<[header: string, matches: boolean]> = [
  ['W/"abc"', true],
  ['"abc"', true],
  ['"xyz", W/"abc"', true],
  ['"x,y", "abc"', true],
  ['*', true],
  ['"abcd"', false],
  ['"ab"', false],
  ['abc', false],
  ['W/abc', false],
  ['"abc', false],
  ['', false],
];

describe('etag()', () => {
  describe('ifNoneMatchMatches', () => {
    for (const [header, matches] of MATCHING) {
      it(`${JSON.stringify(header)} ${matches ? 'matches' : 'does not match'} W/"abc"`, () => {
        expect(ifNoneMatchMatches(header, 'W/"abc"')).to.equal(matches);
      });
    }

    it('compares a strong tag weakly too', () => {
      expect(ifNoneMatchMatches('W/"v1"', '"v1"')).to.equal(true);
    });

    it('reads 100,000 entries in linear time', () => {
      expect(ifNoneMatchMatches(`${'"nope", '.repeat(100_000)}"abc"`, '"abc"')).to.equal(true);
      expect(ifNoneMatchMatches('W/'.repeat(100_000), '"abc"')).to.equal(false);
    });
  });

  describe('isUnmodifiedSince', () => {
    it('compares HTTP-dates to the second', () => {
      expect(isUnmodifiedSince(LAST_MODIFIED, LAST_MODIFIED)).to.equal(true);
      expect(isUnmodifiedSince(LAST_MODIFIED, 'Wed, 21 Oct 2015 07:28:01 GMT')).to.equal(true);
      expect(isUnmodifiedSince(LAST_MODIFIED, 'Wed, 21 Oct 2015 07:27:59 GMT')).to.equal(false);
      expect(isUnmodifiedSince(LAST_MODIFIED, 'Wednesday, 21-Oct-15 07:28:00 GMT')).to.equal(true);
      expect(isUnmodifiedSince(LAST_MODIFIED, 'Wed Oct 21 07:28:00 2015')).to.equal(true);
    });

    it('reads an unreadable date as "changed"', () => {
      expect(isUnmodifiedSince(LAST_MODIFIED, 'yesterday')).to.equal(false);
      expect(isUnmodifiedSince('soon', LAST_MODIFIED)).to.equal(false);
      expect(isUnmodifiedSince(LAST_MODIFIED, `${LAST_MODIFIED}${' '.repeat(100)}`)).to.equal(false);
    });
  });

  for (const transport of transports) {
    describe(`on ${transport.name}`, () => {
      let client: Client;
      let both: Client;
      let etagFirst: Client;
      before(async () => {
        etagFirst = await transport.start(
          createApp({ controllers: [RepresentationController], middleware: [etag(), compress()] }),
        );
        client = await transport.start(createApp({ controllers: [RepresentationController], middleware: [etag()] }));
        both = await transport.start(
          createApp({ controllers: [RepresentationController], middleware: [compress(), etag()] }),
        );
      });
      after(async () => {
        await client.close();
        await both.close();
        await etagFirst.close();
      });
      const get = (url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<ClientResponse> =>
        client.send({ url, headers, method } satisfies ClientRequest);
      const tagOf = async (url: string): Promise<string> => {
        const tag = (await get(url)).headers.etag;
        expect(tag).to.be.a('string');
        return tag as string;
      };

      describe('when the answer is buffered', () => {
        it('tags it with a weak ETag that changes with the body', async () => {
          const large = await tagOf('/large');
          expect(large).to.match(/^W\/"[\w-]{27}"$/);
          expect(await tagOf('/large')).to.equal(large);
          expect(await tagOf('/small')).not.to.equal(large);
        });

        it("keeps the handler's own ETag", async () => {
          expect(await tagOf('/tagged')).to.equal('"v1"');
        });

        it('tags HEAD as it tags GET', async () => {
          const head = await get('/large', {}, 'HEAD');
          expect(head.headers.etag).to.equal(await tagOf('/large'));
        });

        it('tags no POST answer', async () => {
          const response = await client.send({ method: 'POST', url: '/large' });
          expect(response.headers.etag).to.equal(undefined);
        });

        it('tags no error', async () => {
          const response = await get('/missing');
          expect(response.statusCode).to.equal(404);
          expect(response.headers.etag).to.equal(undefined);
        });
      });

      describe('when If-None-Match matches', () => {
        it('answers 304 with no body, keeping ETag, Cache-Control and Vary and dropping Content-Type', async () => {
          const response = await get('/tagged', { 'if-none-match': 'W/"v1"' });
          expect(response.statusCode).to.equal(304);
          expect(response.rawBody.length).to.equal(0);
          expect(response.headers.etag).to.equal('"v1"');
          expect(response.headers['cache-control']).to.equal('max-age=60');
          expect(response.headers['content-type']).to.equal(undefined);
        });

        it('answers 304 to a list holding the tag, and to *', async () => {
          const tag = await tagOf('/large');
          expect((await get('/large', { 'if-none-match': `"other", ${tag}` })).statusCode).to.equal(304);
          expect((await get('/large', { 'if-none-match': '*' })).statusCode).to.equal(304);
        });

        it('answers HEAD with 304 too', async () => {
          const tag = await tagOf('/large');
          const response = await get('/large', { 'if-none-match': tag }, 'HEAD');
          expect(response.statusCode).to.equal(304);
        });

        it('answers a tagged stream with 304 and stops its source', async () => {
          const stopped = streamEnds.stopped;
          const response = await get('/tagged-stream', { 'if-none-match': '"s1"' });
          expect(response.statusCode).to.equal(304);
          expect(response.rawBody.length).to.equal(0);
          expect(streamEnds.stopped).to.equal(stopped + 1);
        });
      });

      describe('when If-None-Match does not match', () => {
        it('answers 200 with the body', async () => {
          const response = await get('/large', { 'if-none-match': 'W/"stale"' });
          expect(response.statusCode).to.equal(200);
          expect(JSON.parse(response.body)).to.deep.equal(LARGE);
        });

        it('ignores If-Modified-Since beside it (RFC 9110 §13.1.3)', async () => {
          const response = await get('/dated', { 'if-none-match': 'W/"stale"', 'if-modified-since': LAST_MODIFIED });
          expect(response.statusCode).to.equal(200);
        });
      });

      describe('when the handler set Last-Modified', () => {
        it('answers If-Modified-Since at or after it with 304', async () => {
          const response = await get('/dated', { 'if-modified-since': LAST_MODIFIED });
          expect(response.statusCode).to.equal(304);
          expect(response.headers.etag).to.match(/^W\//);
        });

        it('answers an earlier If-Modified-Since with 200', async () => {
          const response = await get('/dated', { 'if-modified-since': 'Tue, 20 Oct 2015 07:28:00 GMT' });
          expect(response.statusCode).to.equal(200);
          expect(JSON.parse(response.body)).to.deep.equal(SMALL);
        });

        it('answers an unreadable If-Modified-Since with 200', async () => {
          expect((await get('/dated', { 'if-modified-since': 'not a date' })).statusCode).to.equal(200);
        });
      });

      describe('when a stream has no ETag', () => {
        it('leaves it untagged and whole', async () => {
          const response = await get('/stream', { 'if-none-match': '*' });
          expect(response.statusCode).to.equal(200);
          expect(response.headers.etag).to.equal(undefined);
        });
      });

      describe('when compress() comes first', () => {
        const send = (url: string, headers: Record<string, string>) => both.send({ url, headers });

        it('gives every coding the one ETag of the uncompressed answer', async () => {
          const identity = await send('/large', {});
          const gzip = await send('/large', { 'accept-encoding': 'gzip' });
          expect(gzip.headers['content-encoding']).to.equal('gzip');
          expect(gzip.headers.etag).to.equal(identity.headers.etag);
          expect(decoded(gzip).equals(identity.rawBody)).to.equal(true);
        });

        it('answers a match with a 304 that keeps Vary: Accept-Encoding', async () => {
          const tag = (await send('/large', { 'accept-encoding': 'gzip' })).headers.etag as string;
          const response = await send('/large', { 'accept-encoding': 'gzip', 'if-none-match': tag });
          expect(response.statusCode).to.equal(304);
          expect(response.headers['content-encoding']).to.equal(undefined);
          expect(varyNames(response)).to.include('accept-encoding');
        });
      });

      describe('when etag() comes first', () => {
        const send = (url: string, headers: Record<string, string>) => etagFirst.send({ url, headers });

        it('tags each coding apart and answers its own tag with a 304', async () => {
          const identity = await send('/large', {});
          const gzip = await send('/large', { 'accept-encoding': 'gzip' });
          expect(gzip.headers.etag).not.to.equal(identity.headers.etag);
          const tag = gzip.headers.etag as string;
          expect((await send('/large', { 'accept-encoding': 'gzip', 'if-none-match': tag })).statusCode).to.equal(304);
        });

        it('stops the source of a compressed stream it answers with a 304', async () => {
          const stopped = streamEnds.stopped;
          const response = await send('/tagged-stream', { 'accept-encoding': 'gzip', 'if-none-match': 'W/"s1"' });
          expect(response.statusCode).to.equal(304);
          expect(streamEnds.stopped).to.equal(stopped + 1);
        });
      });
    });
  }
});
