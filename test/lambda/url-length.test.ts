import { expect } from 'chai';
import { Controller, createApp, Get, HttpRequest, Req } from '../../src';
import { encodedQueryString } from '../../src/transports/lambda/request-parts';
import { transports, type Client } from '../conformance/transports';

@Controller()
class QueryController {
  @Get('/q')
  query(@Req() req: HttpRequest) {
    return { queryString: req.queryString, query: req.query };
  }
}

/** `/q?a=xxx…`: `/q` (2 characters) plus a query string of `length` characters. */
const urlOfLength = (length: number) => `/q?a=${'x'.repeat(length - 2 - 2)}`;

describe('maxUrlLength on every transport', () => {
  // The limit counts the path and the query string; sources that deliver only decoded query
  // maps (REST v1, VPC Lattice) must count their query too.
  const cases: Array<[string, string, number]> = [
    ['a URL of exactly maxUrlLength', urlOfLength(100), 200],
    ['a URL one character over maxUrlLength', urlOfLength(101), 414],
    ['a 200-character query string', urlOfLength(202), 414],
  ];
  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      let client: Client;
      before(async () => {
        client = await transport.start(createApp({ controllers: [QueryController], maxUrlLength: 100 }));
      });
      after(async () => {
        await client.close();
      });
      for (const [name, url, status] of cases) {
        it(`answers ${status} for ${name}`, async () => {
          const response = await client.send({ url });
          expect(response.statusCode).to.equal(status);
          if (status === 414) expect(JSON.parse(response.body)).to.include({ code: 'CREST_URI_TOO_LONG' });
        });
      }

      it('gives req.queryString as an encoded query string', async () => {
        const response = await client.send({ url: '/q?t=a%20b&p=%2B&k%C3%A9y=%E6%9D%B1' });
        const body = JSON.parse(response.body) as { queryString: string; query: Record<string, string[]> };
        expect(body.query).to.deep.equal({ t: ['a b'], p: ['+'], kéy: ['東'] });
        expect(body.queryString).to.equal('t=a%20b&p=%2B&k%C3%A9y=%E6%9D%B1');
      });
    });
  }
});

describe('encodedQueryString', () => {
  const cases: Array<[string, Record<string, string[]>, string]> = [
    ['repeated keys, in order', { tag: ['b', 'a', ''] }, 'tag=b&tag=a&tag='],
    ['reserved characters', { 'a&b': ['c=d', '1+1', 'x y'] }, 'a%26b=c%3Dd&a%26b=1%2B1&a%26b=x%20y'],
    ['non-ASCII', { kéy: ['東京'] }, 'k%C3%A9y=%E6%9D%B1%E4%BA%AC'],
    ['a lone surrogate (encodeURIComponent throws on it)', { s: ['a\ud800b'] }, 's=a%EF%BF%BDb'],
    ['nothing', {}, ''],
  ];
  for (const [name, query, expected] of cases) {
    it(`encodes ${name}`, () => {
      expect(encodedQueryString(Object.assign(Object.create(null), query) as Record<string, string[]>)).to.equal(
        expected,
      );
    });
  }
});
