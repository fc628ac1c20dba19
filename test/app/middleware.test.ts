import { expect } from 'chai';
import { Controller, createApp, Get, HttpError, HttpResponse, Param, Use, type Middleware } from '../../src';

function tracer(name: string, log: string[]): Middleware {
  return async (_ctx, next) => {
    log.push(`${name}:in`);
    const response = await next();
    log.push(`${name}:out`);
    response.appendHeader('x-trace', name);
  };
}

describe('middleware', () => {
  describe('when layered on the app, the class and the method', () => {
    const log: string[] = [];
    @Controller()
    @Use(tracer('class1', log), tracer('class2', log))
    class C {
      @Get('/x')
      @Use(tracer('method', log))
      x() {
        log.push('handler');
        return { ok: true };
      }
    }
    const app = createApp({ controllers: [C], middleware: [tracer('app', log)] });

    it('runs in onion order, outermost first, and decorates the response', async () => {
      const response = await app.inject({ url: '/x' });
      expect(log).to.deep.equal([
        'app:in',
        'class1:in',
        'class2:in',
        'method:in',
        'handler',
        'method:out',
        'class2:out',
        'class1:out',
        'app:out',
      ]);
      expect(response.headers['x-trace']).to.deep.equal(['method', 'class2', 'class1', 'app']);
    });
  });

  it('can short-circuit like a guard', async () => {
    let reached = false;
    const guard: Middleware = (ctx, next) =>
      ctx.req.headers.authorization === 'Bearer ok' ? next() : HttpResponse.json({ denied: true }, { status: 401 });
    @Controller()
    class C {
      @Get('/secret')
      @Use(guard)
      secret() {
        reached = true;
        return 'secret';
      }
    }
    const app = createApp({ controllers: [C] });
    expect((await app.inject({ url: '/secret' })).statusCode).to.equal(401);
    expect(reached).to.equal(false);
    expect((await app.inject({ url: '/secret', headers: { authorization: 'Bearer ok' } })).body).to.equal('secret');
  });

  it('passes state from middleware to later middleware, with the matched route', async () => {
    const seen: unknown[] = [];
    @Controller('/users')
    @Use(async (ctx, next) => {
      seen.push(ctx.state.user, ctx.route?.path, ctx.route?.handler);
      return next();
    })
    class Users {
      @Get('/:id') show(@Param('id') id: string) {
        return { id };
      }
    }
    const app = createApp({
      controllers: [Users],
      middleware: [
        async (ctx, next) => {
          ctx.state.user = 'ada';
          return next();
        },
      ],
    });
    expect((await app.inject({ url: '/users/1' })).json()).to.deep.equal({ id: '1' });
    expect(seen).to.deep.equal(['ada', '/users/:id', 'show']);
  });

  it('lets app middleware see 404 answers and errors as responses', async () => {
    const statuses: number[] = [];
    @Controller()
    class C {
      @Get('/fail') fail() {
        throw new HttpError(418);
      }
    }
    const app = createApp({
      controllers: [C],
      middleware: [
        async (_ctx, next) => {
          const response = await next();
          statuses.push(response.status);
          return response;
        },
      ],
    });
    await app.inject({ url: '/nowhere' });
    await app.inject({ url: '/fail' });
    expect(statuses).to.deep.equal([404, 418]);
  });

  it('turns a throwing middleware into a problem response', async () => {
    @Controller()
    class C {
      @Get('/x')
      @Use(() => {
        throw new HttpError(403, 'nope');
      })
      x() {
        return 'x';
      }
    }
    const response = await createApp({ controllers: [C] }).inject({ url: '/x' });
    expect(response.statusCode).to.equal(403);
    expect(response.json()).to.include({ detail: 'nope' });
  });

  it('answers 500 when a middleware neither responds nor calls next', async () => {
    @Controller()
    class C {
      @Get('/x')
      @Use(() => undefined)
      x() {
        return 'x';
      }
    }
    const response = await createApp({ controllers: [C] }).inject({ url: '/x' });
    expect(response.statusCode).to.equal(500);
    expect(response.json()).to.include({ code: 'CREST_NO_RESPONSE' });
  });
});
