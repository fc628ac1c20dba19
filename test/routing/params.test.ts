import { expect } from 'chai';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Controller, Cookie, createApp, Ctx, Get, Header, Param, Query, Req, type HttpRequest } from '../../src';

class Page {
  @IsOptional() @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @IsIn(['asc', 'desc']) order?: string;
}

/** All-string query DTO: served by the compiled fast path. */
class Lookup {
  @IsString() @Matches(/^\d{7}$/) code!: string;
  @IsOptional() @IsIn(['ja', 'en']) lang?: string;
}

@Controller()
class CoercionController {
  @Get('/lookup') lookup(@Query() query: Lookup) {
    return { query, isLookup: query instanceof Lookup };
  }
  @Get('/n/:n') number(@Param('n') n: number) {
    return { n };
  }
  @Get('/b') bool(@Query('flag') flag: boolean) {
    return { flag };
  }
  @Get('/d') date(@Query('at') at: Date) {
    return { at: at?.toISOString() };
  }
  @Get('/nums') nums(@Query('n', { type: [Number] }) n: number[]) {
    return { n };
  }
  @Get('/req') required(@Query('q', { required: true }) q: string) {
    return { q };
  }
  @Get('/first') first(@Query('a') a: string) {
    return { a };
  }
  @Get('/h') header(@Header('X-Count') count: number, @Header('accept', { type: [String] }) accept: string[]) {
    return { count, accept };
  }
  @Get('/c') cookie(@Cookie('n') n: number) {
    return { n };
  }
  @Get('/page') page(@Query() page: Page) {
    return { page, isPage: page instanceof Page };
  }
  @Get('/all') all(@Query() query: Record<string, string[]>) {
    return query;
  }
  @Get('/ctx') ctx(@Ctx() ctx: { source: string }, @Req() req: HttpRequest) {
    return { source: ctx.source, same: req.raw === ctx };
  }
}

describe('parameter coercion', () => {
  const app = createApp({ controllers: [CoercionController] });
  const cases: Array<[string, Record<string, string>, number, unknown]> = [
    ['/n/12.5', {}, 200, { n: 12.5 }],
    ['/n/-3', {}, 200, { n: -3 }],
    ['/n/1e3', {}, 200, { n: 1000 }],
    ['/n/abc', {}, 400, [{ in: 'path', path: 'n', code: 'type' }]],
    ['/n/Infinity', {}, 400, [{ in: 'path', path: 'n', code: 'type' }]],
    ['/b?flag=true', {}, 200, { flag: true }],
    ['/b?flag=0', {}, 200, { flag: false }],
    ['/b', {}, 200, {}],
    ['/b?flag=yes', {}, 400, [{ in: 'query', path: 'flag', code: 'type' }]],
    ['/d?at=2026-01-02T03:04:05Z', {}, 200, { at: '2026-01-02T03:04:05.000Z' }],
    ['/d?at=tomorrow', {}, 400, [{ in: 'query', path: 'at', code: 'type' }]],
    ['/nums?n=1&n=2&n=3', {}, 200, { n: [1, 2, 3] }],
    ['/nums?n=1&n=x', {}, 400, [{ in: 'query', path: 'n', code: 'type' }]],
    ['/req', {}, 400, [{ in: 'query', path: 'q', code: 'required' }]],
    ['/req?q=', {}, 200, { q: '' }],
    ['/first?a=1&a=2', {}, 200, { a: '1' }],
    ['/h', { 'x-count': '7', accept: 'a/b' }, 200, { count: 7, accept: ['a/b'] }],
    ['/h', { 'x-count': 'seven' }, 400, [{ in: 'header', path: 'x-count', code: 'type' }]],
    ['/c', { cookie: 'n=4' }, 200, { n: 4 }],
    ['/c', { cookie: 'n=four' }, 400, [{ in: 'cookie', path: 'n', code: 'type' }]],
    ['/page?limit=10&order=asc', {}, 200, { page: { limit: 10, order: 'asc' }, isPage: true }],
    ['/page?limit=0', {}, 400, [{ in: 'query', path: 'limit', code: 'min' }]],
    ['/page?sort=x', {}, 400, [{ in: 'query', path: 'sort', code: 'whitelistValidation' }]],
    ['/page?__proto__=x', {}, 400, [{ in: 'query', path: '__proto__', code: 'forbidden' }]],
    ['/all?a=1&a=2&b=', {}, 200, { a: ['1', '2'], b: [''] }],
    ['/lookup?code=1000001&lang=ja', {}, 200, { query: { code: '1000001', lang: 'ja' }, isLookup: true }],
    ['/lookup?code=100001', {}, 400, [{ in: 'query', path: 'code', code: 'matches' }]],
    [
      '/lookup?code=1000001&code=1000002',
      {},
      400,
      [
        { in: 'query', path: 'code', code: 'matches' },
        { in: 'query', path: 'code', code: 'isString' },
      ],
    ],
    ['/lookup?code=1000001&lang=fr', {}, 400, [{ in: 'query', path: 'lang', code: 'isIn' }]],
    ['/lookup?code=1000001&x=1', {}, 400, [{ in: 'query', path: 'x', code: 'whitelistValidation' }]],
    ['/ctx', {}, 200, { source: 'inject', same: true }],
  ];
  for (const [url, headers, status, expected] of cases) {
    it(`GET ${url} ${JSON.stringify(headers)} → ${status}`, async () => {
      const response = await app.inject({ url, headers });
      expect(response.statusCode).to.equal(status);
      if (status === 200) {
        expect(response.json()).to.deep.equal(expected);
      } else {
        const errors = response.json<{ errors: Array<Record<string, string>> }>().errors;
        expect(errors.map(({ in: where, path, code }) => ({ in: where, path, code }))).to.deep.equal(expected);
      }
    });
  }

  it('reports every bad parameter at once', async () => {
    const response = await app.inject({ url: '/h', headers: { 'x-count': 'x' } });
    expect(response.json<{ errors: unknown[] }>().errors).to.have.length(1);
  });

  it('gives @Ctx() the node:http objects on a real server', async () => {
    const server = await app.listen(0, '127.0.0.1');
    try {
      const { port } = server.address() as { port: number };
      const body = (await (await fetch(`http://127.0.0.1:${port}/ctx`)).json()) as Record<string, unknown>;
      expect(body).to.deep.equal({ source: 'http', same: true });
    } finally {
      server.close();
    }
  });
});
