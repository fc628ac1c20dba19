import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import {
  Body,
  Controller,
  cors,
  createApp,
  CrestBootError,
  Get,
  HttpCode,
  HttpError,
  HttpResponse,
  Param,
  Post,
  Query,
  SetHeader,
  Timeout,
  Use,
  type Middleware,
} from '../../src';
import { isLambdaEnvironment } from '../../src/lambda';

class Empty {}

@Controller()
class ProtocolController {
  @Get('/realm') realm(@Query('realm') realm: string) {
    throw new HttpError(401, 'no', { headers: { 'www-authenticate': `Bearer realm="${realm}"` } });
  }
  @Post('/empty') empty(@Body() body: Empty) {
    return { body };
  }
  @Get('/n/:n') n(@Param('n') n: number) {
    return { n };
  }
  @Get('/not-modified') notModified() {
    return HttpResponse.json({ cached: true }, { status: 304 });
  }
  @Get('/garbage')
  @Use((() => 42) as unknown as Middleware)
  garbage() {
    return 'never';
  }
  @Get('/fails-at-once') failsAtOnce() {
    return HttpResponse.stream(
      // eslint-disable-next-line require-yield
      (async function* () {
        throw new HttpError(403, 'not yours');
      })(),
    );
  }
  @Get('/cleanup-throws') cleanupThrows() {
    return HttpResponse.stream(
      (async function* () {
        try {
          yield 'a';
          await new Promise((resolve) => setTimeout(resolve, 10_000));
        } finally {
          // eslint-disable-next-line no-unsafe-finally
          throw new Error('cursor already closed');
        }
      })(),
    );
  }
}

describe('protocol details', () => {
  const app = createApp({ controllers: [ProtocolController] });

  it('drops an error header built from client input instead of crashing', async () => {
    const response = await app.inject({ url: '/realm?realm=x%0d%0aset-cookie:%20evil=1' });
    expect(response.statusCode).to.equal(401);
    expect(response.headers['www-authenticate']).to.equal(undefined);
    expect(response.cookies).to.deep.equal([]);
  });

  it('refuses a body for a DTO class-validator knows nothing about, like class-validator', async () => {
    const response = await app.inject({ method: 'POST', url: '/empty', body: {} });
    expect(response.statusCode).to.equal(400);
  });

  describe('when a number parameter is not plain decimal', () => {
    const cases: Array<[string, number]> = [
      ['16', 200],
      ['-2.5', 200],
      ['1e3', 200],
      ['0x10', 400],
      ['0b11', 400],
      ['%201%20', 400],
      ['9007199254740993', 400],
      ['9007199254740991', 200],
    ];
    for (const [value, status] of cases) {
      it(`answers ${status} for ${value}`, async () => {
        expect((await app.inject({ url: `/n/${value}` })).statusCode).to.equal(status);
      });
    }
  });

  it('sends no Content-Length and no body with a 304', async () => {
    const server = await app.listen(0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/not-modified`);
      expect(response.status).to.equal(304);
      expect(response.headers.get('content-length')).to.equal(null);
    } finally {
      server.close();
    }
    expect((await app.inject({ url: '/not-modified' })).headers['content-length']).to.equal(undefined);
  });

  it('answers 500 when a middleware returns something that is not a response', async () => {
    expect((await app.inject({ url: '/garbage' })).statusCode).to.equal(500);
  });

  it('answers a stream that fails before its first byte with its error, on every transport', async () => {
    expect((await app.inject({ url: '/fails-at-once' })).statusCode).to.equal(403);
    const server = await app.listen(0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/fails-at-once`);
      expect(response.status).to.equal(403);
      expect(await response.json()).to.include({ detail: 'not yours' });
    } finally {
      server.close();
    }
  });

  it('survives a stream whose cleanup throws after the client left', async () => {
    const server = await app.listen(0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${port}/cleanup-throws`, { signal: controller.signal });
      await response.body!.getReader().read();
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await fetch(`http://127.0.0.1:${port}/n/1`)).status).to.equal(200);
    } finally {
      server.close();
    }
  });

  describe('response checks', () => {
    const cases: Array<[string, () => unknown]> = [
      ['a non-Latin-1 header value', () => HttpResponse.text('x').header('x-name', '日本')],
      ['a 1xx status', () => HttpResponse.text('x', { status: 103 })],
      ['a status past 599', () => HttpResponse.text('x', { status: 700 })],
    ];
    for (const [name, build] of cases) {
      it(`refuses ${name}`, () => expect(build).to.throw());
    }

    it('keeps the default status when init.status is undefined', () => {
      expect(HttpResponse.redirect('/x', { status: undefined }).status).to.equal(302);
      expect(HttpResponse.empty({ status: undefined }).status).to.equal(204);
    });
  });

  describe('boot checks', () => {
    it('refuses @SetHeader for Set-Cookie', () => {
      @Controller()
      class C {
        @Get('/') @SetHeader('Set-Cookie', 'a=1') x() {
          return 'x';
        }
      }
      expect(() => createApp({ controllers: [C] })).to.throw(CrestBootError, /cookie/);
    });

    it('refuses @HttpCode outside 200-599 and timeouts setTimeout cannot hold', () => {
      @Controller()
      class Early {
        @Get('/') @HttpCode(103) x() {
          return 'x';
        }
      }
      @Controller()
      class Forever {
        @Get('/') @Timeout(2 ** 31) x() {
          return 'x';
        }
      }
      expect(() => createApp({ controllers: [Early] })).to.throw(CrestBootError);
      expect(() => createApp({ controllers: [Forever] })).to.throw(CrestBootError);
      expect(() => createApp({ controllers: [], timeout: 2 ** 31 })).to.throw(CrestBootError);
    });
  });

  describe('CORS and caches', () => {
    @Controller()
    class Shared {
      static readonly response = HttpResponse.json({ shared: true });
      @Get('/shared') shared() {
        return Shared.response;
      }
      @Get('/fresh') fresh() {
        return { fresh: true };
      }
    }
    const corsApp = createApp({ controllers: [Shared], middleware: [cors({ origin: ['https://a.test'] })] });

    it('adds Vary: Origin once, even to a response object reused across requests', async () => {
      for (let i = 0; i < 5; i++) await corsApp.inject({ url: '/shared', headers: { origin: 'https://a.test' } });
      expect(Shared.response.headers.vary).to.equal('Origin');
    });

    it('varies on Origin also when the origin is refused', async () => {
      const response = await corsApp.inject({ url: '/fresh', headers: { origin: 'https://evil.test' } });
      expect(response.headers.vary).to.equal('Origin');
      expect(response.headers['access-control-allow-origin']).to.equal(undefined);
    });
  });

  describe('isLambdaEnvironment', () => {
    const cases: Array<[NodeJS.ProcessEnv, boolean]> = [
      [{ _HANDLER: 'index.handler', AWS_LAMBDA_FUNCTION_NAME: 'fn' }, true],
      [{ _HANDLER: 'index.handler', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' }, true],
      [{ _HANDLER: 'index.handler', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' }, true],
      // A Lambda extension process: every Lambda variable but the runtime's _HANDLER.
      [
        {
          AWS_LAMBDA_FUNCTION_NAME: 'fn',
          AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
        },
        false,
      ],
      [{ AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE' }, false],
      [{ _HANDLER: 'index.handler' }, false],
      [{}, false],
    ];
    for (const [env, expected] of cases) {
      it(`is ${expected} for ${JSON.stringify(env)}`, () => expect(isLambdaEnvironment(env)).to.equal(expected));
    }
  });
});
