import { expect } from 'chai';
import { Readable } from 'node:stream';
import {
  All,
  Controller,
  cors,
  createApp,
  CrestBootError,
  Get,
  Head,
  HttpError,
  HttpResponse,
  Param,
  Post,
  Delete,
  type Logger,
} from '../../src';

describe('createApp', () => {
  describe('when controllers have dependencies', () => {
    class Greeter {
      greet(name: string) {
        return `hello ${name}`;
      }
    }
    @Controller()
    class GreetController {
      constructor(private readonly greeter: Greeter) {}
      @Get('/greet/:name') greet(@Param('name') name: string) {
        return this.greeter.greet(name);
      }
    }

    it('builds them with the factory, once, and calls methods with the right this', async () => {
      let built = 0;
      const app = createApp({
        controllers: [GreetController],
        factory: (controller) => {
          built++;
          expect(controller).to.equal(GreetController);
          return new GreetController(new Greeter());
        },
      });
      expect((await app.inject({ url: '/greet/ada' })).body).to.equal('hello ada');
      expect((await app.inject({ url: '/greet/bob' })).body).to.equal('hello bob');
      expect(built).to.equal(1);
    });
  });

  it('keeps two apps in one process apart', async () => {
    @Controller()
    class Counter {
      count = 0;
      @Post('/count') increment() {
        return { count: ++this.count };
      }
    }
    const one = createApp({ controllers: [Counter], prefix: '/one' });
    const two = createApp({ controllers: [Counter], prefix: '/two' });
    await one.inject({ method: 'POST', url: '/one/count' });
    expect((await one.inject({ method: 'POST', url: '/one/count' })).json()).to.deep.equal({ count: 2 });
    expect((await two.inject({ method: 'POST', url: '/two/count' })).json()).to.deep.equal({ count: 1 });
    expect((await two.inject({ method: 'POST', url: '/one/count' })).statusCode).to.equal(404);
  });

  describe('routing', () => {
    @Controller()
    class RoutesController {
      @Get('/n/:id(^\\d+)') numeric(@Param('id') id: number) {
        return { numeric: id };
      }
      @Get('/n/:name') named(@Param('name') name: string) {
        return { named: name };
      }
      @Get('/static/*') files(@Param('*') rest: string) {
        return { rest };
      }
      @Get('/page') page() {
        return 'page';
      }
      @Head('/page') pageHead() {
        return HttpResponse.empty({ status: 200, headers: { 'x-head': 'explicit' } });
      }
      @All('/any') any() {
        return 'any';
      }
      @Post('/any') postAny() {
        return 'post';
      }
    }
    const app = createApp({ controllers: [RoutesController] });
    const cases: Array<[string, string, number, string]> = [
      ['GET', '/n/42', 200, '{"numeric":42}'],
      ['GET', '/n/ada', 200, '{"named":"ada"}'],
      ['GET', '/static/css/site.css', 200, '{"rest":"css/site.css"}'],
      ['HEAD', '/page', 200, ''],
      ['PATCH', '/any', 200, 'any'],
      ['DELETE', '/any', 200, 'any'],
      ['POST', '/any', 200, 'post'],
      ['GET', '/page/', 404, ''],
      ['GET', '/n/%zz', 400, ''],
      ['GET', `/n/${'x'.repeat(600)}`, 414, ''],
    ];
    for (const [method, url, status, body] of cases) {
      it(`${method} ${url.slice(0, 40)} → ${status}`, async () => {
        const response = await app.inject({ method, url });
        expect(response.statusCode).to.equal(status);
        if (status === 200) expect(response.body).to.equal(body);
      });
    }

    it('uses an explicit HEAD handler over the GET one', async () => {
      expect((await app.inject({ method: 'HEAD', url: '/page' })).headers['x-head']).to.equal('explicit');
    });

    it('serves HEAD from GET in an app that declares no HEAD or ALL route', async () => {
      @Controller()
      class GetOnly {
        @Get('/doc/:id') doc(@Param('id') id: string) {
          return HttpResponse.text(`doc ${id}`, { headers: { 'x-doc': id } });
        }
        @Delete('/doc/:id') remove(@Param('id') id: string) {
          return { removed: id };
        }
        @Post('/form') submit() {}
      }
      const getOnly = createApp({ controllers: [GetOnly] });
      const head = await getOnly.inject({ method: 'HEAD', url: '/doc/7' });
      expect([head.statusCode, head.headers['x-doc'], head.headers['content-length'], head.body]).to.deep.equal([
        200,
        '7',
        '5',
        '',
      ]);
      const refused = await getOnly.inject({ method: 'PUT', url: '/doc/7' });
      expect([refused.statusCode, refused.headers.allow]).to.deep.equal([405, 'GET, DELETE, HEAD, OPTIONS']);
      const postOnly = await getOnly.inject({ method: 'HEAD', url: '/form' });
      expect([postOnly.statusCode, postOnly.headers.allow]).to.deep.equal([405, 'POST, OPTIONS']);
      expect((await getOnly.inject({ method: 'HEAD', url: '/nope' })).statusCode).to.equal(404);
    });

    it('ignores a trailing slash when asked to', async () => {
      const lenient = createApp({ controllers: [RoutesController], trailingSlash: 'ignore' });
      expect((await lenient.inject({ url: '/page/' })).body).to.equal('page');
    });

    it('redirects to the declared path when asked to, keeping the query', async () => {
      const redirecting = createApp({ controllers: [RoutesController], trailingSlash: 'redirect', prefix: '/api' });
      const response = await redirecting.inject({ url: '/api/page/?a=1&a=2' });
      expect(response.statusCode).to.equal(308);
      // Relative, so it stays right behind an API Gateway stage or base path.
      expect(response.headers.location).to.equal('../page?a=1&a=2');
      expect(new URL(response.headers.location as string, 'https://x.test/prod/api/page/').pathname).to.equal(
        '/prod/api/page',
      );
    });

    it('never redirects to another host', async () => {
      @Controller()
      class Pairs {
        @Get('/:a/:b') pair(@Param('a') a: string, @Param('b') b: string) {
          return { a, b };
        }
      }
      const redirecting = createApp({ controllers: [Pairs], trailingSlash: 'redirect' });
      const response = await redirecting.inject({ url: '//evil.com/' });
      expect(response.statusCode).to.equal(308);
      expect(new URL(response.headers.location as string, 'https://x.test//evil.com/').host).to.equal('x.test');
    });
  });

  describe('return values', () => {
    @Controller()
    class Values {
      @Get('/null') nil() {
        return null;
      }
      @Get('/number') number() {
        return 42;
      }
      @Get('/bytes') bytes() {
        return new Uint8Array([1, 2]);
      }
      @Get('/readable') readable() {
        return Readable.from(['a', 'b']);
      }
      @Get('/async') async later() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { later: true };
      }
      @Get('/cycle') cycle() {
        const value: Record<string, unknown> = {};
        value.self = value;
        return value;
      }
      @Get('/rejects') async rejects() {
        throw new HttpError(503, 'maintenance', { headers: { 'retry-after': '60' } });
      }
    }
    const app = createApp({ controllers: [Values] });
    const cases: Array<[string, number, string | undefined, string]> = [
      ['/null', 200, 'application/json; charset=utf-8', 'null'],
      ['/number', 200, 'application/json; charset=utf-8', '42'],
      ['/bytes', 200, 'application/octet-stream', '\u0001\u0002'],
      ['/readable', 200, 'application/octet-stream', 'ab'],
      ['/async', 200, 'application/json; charset=utf-8', '{"later":true}'],
    ];
    for (const [url, status, type, body] of cases) {
      it(`maps ${url}`, async () => {
        const response = await app.inject({ url });
        expect([response.statusCode, response.headers['content-type'], response.body]).to.deep.equal([
          status,
          type,
          body,
        ]);
      });
    }

    it('answers 500 for a value JSON cannot represent', async () => {
      expect((await app.inject({ url: '/cycle' })).statusCode).to.equal(500);
    });

    it('keeps the headers of a rejected HttpError', async () => {
      const response = await app.inject({ url: '/rejects' });
      expect(response.statusCode).to.equal(503);
      expect(response.headers['retry-after']).to.equal('60');
    });
  });

  describe('errors', () => {
    @Controller()
    class Failing {
      @Get('/boom') boom() {
        throw new Error('the database password is hunter2');
      }
      @Get('/teapot') teapot() {
        throw new HttpError(418);
      }
    }

    it('shows each error to the hook once, before the response', async () => {
      const seen: unknown[] = [];
      const app = createApp({ controllers: [Failing], onError: (error) => void seen.push(error) });
      const response = await app.inject({ url: '/boom' });
      expect(response.statusCode).to.equal(500);
      expect(seen).to.have.length(1);
      expect((seen[0] as Error).message).to.include('hunter2');
      expect(response.body).not.to.include('hunter2');
    });

    it('lets the hook replace the response', async () => {
      const app = createApp({
        controllers: [Failing],
        onError: (error) => (error instanceof HttpError ? undefined : HttpResponse.text('custom', { status: 502 })),
      });
      expect((await app.inject({ url: '/boom' })).statusCode).to.equal(502);
      expect((await app.inject({ url: '/teapot' })).json()).to.include({ status: 418, title: "I'm a Teapot" });
    });

    it('shows message and stack in debug mode only', async () => {
      const app = createApp({ controllers: [Failing], debug: true });
      const body = (await app.inject({ url: '/boom' })).json<{ detail: string; stack: string }>();
      expect(body.detail).to.include('hunter2');
      expect(body.stack).to.include('boom');
    });
  });

  describe('logging', () => {
    it('is off by default and logs one line per request, and each 5xx cause once, when on', async () => {
      const lines: Array<[string, Record<string, unknown>]> = [];
      const logger: Logger = {
        info: (object) => lines.push(['info', object as Record<string, unknown>]),
        warn: (object) => lines.push(['warn', object as Record<string, unknown>]),
        error: (object) => lines.push(['error', object as Record<string, unknown>]),
      };
      @Controller()
      class Logged {
        @Get('/ok') ok() {
          return 'ok';
        }
        @Get('/boom') boom() {
          throw new Error('cause');
        }
      }
      const app = createApp({ controllers: [Logged], logger });
      await app.inject({ url: '/ok', headers: { 'x-request-id': 'req-1' } });
      await app.inject({ url: '/boom' });
      expect(lines).to.have.length(2);
      expect(lines[0]![0]).to.equal('info');
      expect(lines[0]![1]).to.include({ method: 'GET', path: '/ok', status: 200, requestId: 'req-1' });
      expect(lines[0]![1].durationMs).to.be.a('number');
      expect(lines[1]![0]).to.equal('error');
      expect((lines[1]![1].err as { message: string }).message).to.equal('cause');
    });
  });

  describe('cors', () => {
    it('refuses credentials with origin *', () => {
      expect(() => cors({ credentials: true })).to.throw(CrestBootError, /credentials/);
    });

    it('varies on Origin and allows credentials for listed origins', async () => {
      @Controller()
      class C {
        @Get('/x') x() {
          return 'x';
        }
      }
      const app = createApp({
        controllers: [C],
        middleware: [cors({ origin: /\.example$/, credentials: true, exposedHeaders: ['x-total'] })],
      });
      const allowed = await app.inject({ url: '/x', headers: { origin: 'https://a.example' } });
      expect(allowed.headers).to.include({
        'access-control-allow-origin': 'https://a.example',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'x-total',
        vary: 'Origin',
      });
      const refused = await app.inject({ url: '/x', headers: { origin: 'https://evil.test' } });
      expect(refused.headers['access-control-allow-origin']).to.equal(undefined);
    });

    it('refuses at boot a method or header name it would write into every answer', () => {
      for (const options of [
        { methods: ['GET', 'P OST'] },
        { allowedHeaders: ['x-あ'] },
        { exposedHeaders: ['a\r\nb'] },
      ]) {
        expect(() => cors(options), JSON.stringify(options)).to.throw(CrestBootError, /not a token/);
      }
    });

    it('never shows the origin matcher a value that is not a serialized origin', async () => {
      @Controller()
      class C {
        @Get('/x') x() {
          return 'x';
        }
      }
      const seen: string[] = [];
      const app = createApp({
        controllers: [C],
        middleware: [cors({ origin: (origin) => (seen.push(origin), true) })],
      });
      for (const origin of [
        'https://x\u0001.example',
        'https://a.example\r\nx: y',
        'https://あ.example',
        'https://ok.example',
      ]) {
        await app.inject({ url: '/x', headers: { origin } });
      }
      expect(seen).to.deep.equal(['https://ok.example']);
    });
  });
});
