import { expect } from 'chai';
import { Controller, createApp, CrestBootError, Get, Param, Query, Body, Post, Req, type HttpRequest } from '../../src';
import type { Class } from '../../src/metadata/metadata';
import { bootError } from './support/boot-error';

/** A controller decorated by hand, as esbuild/tsx output would be: no design:paramtypes. */
function withoutMetadata(decorate: (proto: object) => void): Class {
  class Untyped {
    show(_value: unknown) {
      return {};
    }
  }
  Controller('/u')(Untyped);
  decorate(Untyped.prototype);
  return Untyped;
}

describe('createApp boot checks', () => {
  it('refuses a class without @Controller', () => {
    class Plain {}
    expect(bootError([Plain]).code).to.equal('CREST_NOT_A_CONTROLLER');
  });

  it('refuses two handlers for the same method and path, naming them', () => {
    @Controller('/a')
    class A {
      @Get('/:id') one(@Param('id') id: string) {
        return id;
      }
    }
    @Controller()
    class B {
      @Get('/a/:key') two(@Param('key') key: string) {
        return key;
      }
    }
    const error = bootError([A, B]);
    expect(error.code).to.equal('CREST_DUPLICATE_ROUTE');
    expect(error.message).to.include('B.two').and.include('GET /a/:key');
  });

  it('refuses a path parameter no @Param receives', () => {
    @Controller()
    class C {
      @Get('/x/:id') show() {
        return {};
      }
    }
    const error = bootError([C]);
    expect(error.code).to.equal('CREST_UNBOUND_PARAM');
    expect(error.message).to.include('C.show').and.include(':id');
  });

  it('accepts a path parameter read through @Req()', () => {
    @Controller()
    class C {
      @Get('/x/:id') show(@Req() req: HttpRequest) {
        return req.params;
      }
    }
    expect(() => createApp({ controllers: [C] })).not.to.throw();
  });

  describe("when a path uses more of find-my-way's pattern syntax", () => {
    // The parameter names come from find-my-way itself: what it will match is what is checked.
    const cases: Array<[string, string[], string, Record<string, string>]> = [
      ['/a/:x/b/:y', ['x', 'y'], '/a/1/b/2', { x: '1', y: '2' }],
      ['/files/:name.:ext', ['name', 'ext'], '/files/a.txt', { name: 'a', ext: 'txt' }],
      ['/range/:from-:to', ['from', 'to'], '/range/3-9', { from: '3', to: '9' }],
      ['/n/:id(^\\d+)', ['id'], '/n/42', { id: '42' }],
      ['/n/:id(^(?:a|b)\\)x)/:z', ['id', 'z'], '/n/a)x/9', { id: 'a)x', z: '9' }],
      ['/static/*', ['*'], '/static/css/site.css', { '*': 'css/site.css' }],
      ['/time/12::30', [], '/time/12:30', {}],
      // find-my-way registers an optional last parameter twice, with and without it.
      ['/opt/:id?', ['id'], '/opt/7', { id: '7' }],
    ];
    for (const [pattern, names, url, expected] of cases) {
      it(`accepts ${pattern} with @Param for ${JSON.stringify(names)}, and no fewer`, async () => {
        const app = createApp({ controllers: [paramsController(pattern, names)] });
        const response = await app.inject({ url });
        expect(response.statusCode).to.equal(200);
        expect(response.json()).to.deep.equal(expected);
        if (names.length > 0) {
          expect(bootError([paramsController(pattern, names.slice(1))]).code).to.equal('CREST_UNBOUND_PARAM');
        }
      });
    }
  });

  it('refuses @Param naming no path parameter', () => {
    @Controller()
    class C {
      @Get('/x') show(@Param('id') id: string) {
        return id;
      }
    }
    expect(bootError([C]).code).to.equal('CREST_UNKNOWN_PARAM');
  });

  describe('when decorator metadata is missing', () => {
    const cases: Array<[string, (proto: object) => void]> = [
      ['@Query', (proto) => Query('q')(proto, 'show', 0)],
      ['@Body', (proto) => Body()(proto, 'show', 0)],
      ['@Param', (proto) => Param('id')(proto, 'show', 0)],
    ];
    for (const [name, decorateParam] of cases) {
      it(`fails at boot for ${name} without an explicit type, naming class and method`, () => {
        const Untyped = withoutMetadata((proto) => {
          decorateParam(proto);
          Get(name === '@Param' ? '/:id' : '/')(proto, 'show', Object.getOwnPropertyDescriptor(proto, 'show')!);
        });
        const error = bootError([Untyped]);
        expect(error.code).to.equal('CREST_MISSING_TYPE');
        expect(error.message).to.include('Untyped.show');
      });
    }

    it('works when the type is given explicitly', async () => {
      const Untyped = withoutMetadata((proto) => {
        Param('id', { type: Number })(proto, 'show', 0);
        Get('/:id')(proto, 'show', Object.getOwnPropertyDescriptor(proto, 'show')!);
      });
      (Untyped.prototype as { show: (id: unknown) => unknown }).show = (id) => ({ id, type: typeof id });
      const app = createApp({ controllers: [Untyped] });
      expect((await app.inject({ url: '/u/5' })).json()).to.deep.equal({ id: 5, type: 'number' });
    });
  });

  it('refuses a parameter type it cannot coerce', () => {
    class Thing {}
    @Controller()
    class C {
      @Get('/x') show(@Query('t') t: Thing) {
        return t;
      }
    }
    expect(bootError([C]).code).to.equal('CREST_UNSUPPORTED_TYPE');
  });

  it('refuses an invalid route pattern', () => {
    @Controller()
    class C {
      @Post('/x/:id(') show(@Param('id') id: string) {
        return id;
      }
    }
    expect(bootError([C]).code).to.equal('CREST_INVALID_ROUTE');
  });

  it('refuses invalid options', () => {
    expect(() => createApp({ controllers: [], bodyLimit: -1 })).to.throw(CrestBootError, /bodyLimit/);
  });
});

/** A controller serving `pattern` whose handler binds `names` with @Param and answers them. */
function paramsController(pattern: string, names: string[]): Class {
  class Params {
    show(...values: string[]) {
      return Object.fromEntries(names.map((name, index) => [name, values[index]]));
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Params.prototype, 'show')!;
  names.forEach((name, index) => Param(name, { type: String })(Params.prototype, 'show', index));
  Get(pattern)(Params.prototype, 'show', descriptor);
  Controller()(Params);
  return Params;
}
