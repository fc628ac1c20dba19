import { expect } from 'chai';
import { IsInt, IsString } from 'class-validator';
import { Body, Controller, Cookie, createApp, Get, Param, Post, Query, Req, type HttpRequest } from '../../src';

class Person {
  @IsString() name!: string;
  @IsInt() age!: number;
}

@Controller()
class InputController {
  @Get('/q') q(@Query('q') q: string) {
    return { q };
  }
  @Get('/c') c(@Cookie('session') session: string) {
    return { session };
  }
  @Get('/p/:name') p(@Param('name') name: string) {
    return { name };
  }
  @Post('/person') person(@Body() person: Person) {
    return person;
  }
  @Post('/any') any(@Body() body: Record<string, unknown>, @Req() req: HttpRequest) {
    return { polluted: ({} as Record<string, unknown>).polluted ?? null, keys: Object.keys(body), q: req.query };
  }
}

const app = createApp({ controllers: [InputController], maxUrlLength: 2048 });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('hostile input', () => {
  describe('when percent-encoding is malformed', () => {
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['/p/%C0%AF', {}, 400, 'CREST_BAD_URL'],
      ['/p/%zz', {}, 400, 'CREST_BAD_URL'],
      ['/c', { cookie: 'session=%zz' }, 400, 'CREST_VALIDATION'],
    ];
    for (const [url, headers, status, code] of cases) {
      it(`answers ${status} ${code} for ${url} ${JSON.stringify(headers)}`, async () => {
        const response = await app.inject({ url, headers });
        expect(response.statusCode).to.equal(status);
        expect(response.json()).to.include({ code });
      });
    }

    // REST APIs and VPC Lattice deliver the query decoded, so no stricter rule holds everywhere.
    const queries: Array<[string, string]> = [
      ['/q?q=%', '%'],
      ['/q?q=%zz', '%zz'],
      ['/q?q=%%URL%%', '%%URL%%'],
      ['/q?q=%C0%AF', '\ufffd\ufffd'],
      ['/q?q=a&other=%E0%80', 'a'],
    ];
    for (const [url, q] of queries) {
      it(`reads ${url} as URLSearchParams does`, async () => {
        const response = await app.inject({ url });
        expect(response.statusCode).to.equal(200);
        expect(response.json()).to.deep.equal({ q });
      });
    }

    it('ignores a malformed cookie it was not asked for', async () => {
      const response = await app.inject({ url: '/c', headers: { cookie: 'tracker=%zz; session=ok%20go' } });
      expect(response.json()).to.deep.equal({ session: 'ok go' });
    });

    it('keeps path traversal literal inside a parameter', async () => {
      expect((await app.inject({ url: '/p/..%2F..%2Fetc%2Fpasswd' })).json()).to.deep.equal({
        name: '../../etc/passwd',
      });
    });
  });

  describe('when JSON is hostile', () => {
    const deepArray = `{"name":"a","age":1,"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const deepObject = `{"name":"a","age":1,"x":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    const cases: Array<[string, string, number, string]> = [
      ['nested 50,000 arrays deep', deepArray, 400, 'CREST_INVALID_JSON'],
      ['nested 20,000 objects deep', deepObject, 400, 'CREST_INVALID_JSON'],
      ['a number too large for an integer', '{"name":"a","age":1e400}', 400, 'CREST_VALIDATION'],
      ['a huge integer', `{"name":"a","age":${'9'.repeat(400)}}`, 400, 'CREST_VALIDATION'],
      ['__proto__ at the top', '{"__proto__":{"polluted":true},"name":"a","age":1}', 400, 'CREST_INVALID_JSON'],
      [
        'constructor.prototype',
        '{"name":"a","age":1,"constructor":{"prototype":{"polluted":true}}}',
        400,
        'CREST_INVALID_JSON',
      ],
      ['nested __proto__', '{"name":"a","age":1,"x":{"__proto__":{"polluted":true}}}', 400, 'CREST_INVALID_JSON'],
      [
        '__proto__ spelled with escapes',
        '{"name":"a","age":1,"\\u005f_proto\\u005f_":{"x":1}}',
        400,
        'CREST_INVALID_JSON',
      ],
      ['__proto__ inside an array', '{"name":"a","age":1,"x":[{"__proto__":{}}]}', 400, 'CREST_INVALID_JSON'],
      ['truncated', '{"name":"a","age":', 400, 'CREST_INVALID_JSON'],
      ['a bare string', '"hello"', 400, 'CREST_VALIDATION'],
      ['an array', '[1,2]', 400, 'CREST_VALIDATION'],
      ['null', 'null', 400, 'CREST_VALIDATION'],
    ];
    for (const [name, body, status, code] of cases) {
      it(`answers ${status} ${code} for ${name}`, async () => {
        const response = await app.inject({ method: 'POST', url: '/person', headers: JSON_TYPE, body });
        expect(response.statusCode).to.equal(status);
        expect(response.json()).to.include({ code });
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      });
    }

    it('keeps the last of duplicate keys, as JSON.parse does', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/person',
        headers: JSON_TYPE,
        body: '{"name":"a","name":"b","age":1}',
      });
      expect(response.json()).to.deep.equal({ name: 'b', age: 1 });
    });

    it('accepts bodies that only mention the forbidden names', async () => {
      const body = '{"name":"constructor.prototype \\u00e9","age":1,"proto":{"constructor":"x"}}';
      const response = await app.inject({ method: 'POST', url: '/any', headers: JSON_TYPE, body });
      expect(response.statusCode).to.equal(200);
    });

    it('never lets __proto__ in a query string reach a prototype', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/any?__proto__[polluted]=1&__proto__=x',
        headers: JSON_TYPE,
        body: '{"a":1}',
      });
      const body = response.json<{ polluted: unknown; q: Record<string, string[]> }>();
      expect(body.polluted).to.equal(null);
      expect(body.q).to.deep.equal({ '__proto__[polluted]': ['1'], ['__proto__']: ['x'] });
    });
  });

  describe('when a DTO body has the wrong content type', () => {
    const cases: Array<[string, Record<string, string>, number]> = [
      ['no content type', {}, 415],
      ['text/plain', { 'content-type': 'text/plain' }, 415],
      ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['latin-1 JSON', { 'content-type': 'application/json; charset=iso-8859-1' }, 415],
      ['utf-8 JSON', { 'content-type': 'application/json; charset=UTF-8' }, 200],
      ['a +json type', { 'content-type': 'application/merge-patch+json' }, 200],
    ];
    for (const [name, headers, status] of cases) {
      it(`answers ${status} for ${name}`, async () => {
        const response = await app.inject({ method: 'POST', url: '/person', headers, body: '{"name":"a","age":1}' });
        expect(response.statusCode).to.equal(status);
        if (status === 415) expect(response.json()).to.include({ code: 'CREST_UNSUPPORTED_MEDIA_TYPE' });
      });
    }

    it('answers 400 for a missing DTO body', async () => {
      const response = await app.inject({ method: 'POST', url: '/person', headers: JSON_TYPE });
      expect(response.statusCode).to.equal(400);
      expect(response.json<{ errors: unknown[] }>().errors).to.deep.equal([
        { in: 'body', path: '', code: 'required', message: 'a JSON request body is required' },
      ]);
    });
  });

  describe('when the URL is too long', () => {
    it('answers 414 past maxUrlLength', async () => {
      const response = await app.inject({ url: `/q?q=${'x'.repeat(3000)}` });
      expect(response.statusCode).to.equal(414);
      expect(response.json()).to.include({ code: 'CREST_URI_TOO_LONG' });
    });

    it('answers 414 for a path parameter past maxParamLength', async () => {
      expect((await app.inject({ url: `/p/${'x'.repeat(600)}` })).statusCode).to.equal(414);
    });
  });
});
