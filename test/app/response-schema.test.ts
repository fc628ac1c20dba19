import { expect } from 'chai';
import { IsInt, IsString } from 'class-validator';
import { Controller, createApp, Get, HttpCode, HttpResponse, Post, ResponseSchema } from '../../src';

class PublicUser {
  @IsInt() id!: number;
  @IsString() name!: string;
}

class Plain {
  id!: number;
}

const record = { id: 7, name: 'Ada', passwordHash: '$2b$10$…' };

describe('a route with @ResponseSchema', () => {
  @Controller()
  class UsersController {
    @Get('/user')
    @ResponseSchema(PublicUser)
    user() {
      return record;
    }

    @Get('/users')
    @ResponseSchema(PublicUser, { isArray: true })
    users() {
      return [record, { ...record, id: 8 }];
    }

    @Post('/users')
    @HttpCode(201)
    @ResponseSchema(PublicUser, { status: 201 })
    create() {
      return Promise.resolve(record);
    }

    @Get('/explicit')
    @ResponseSchema(PublicUser)
    explicit() {
      return HttpResponse.json(record);
    }

    @Get('/other-status')
    @ResponseSchema(PublicUser, { status: 404 })
    otherStatus() {
      return record;
    }

    @Get('/plain')
    @ResponseSchema(Plain)
    plain() {
      return record;
    }

    @Get('/cycle')
    @ResponseSchema(PublicUser)
    cycle() {
      const value: Record<string, unknown> = { id: 1 };
      value.name = value;
      return value;
    }
  }
  const app = createApp({ controllers: [UsersController] });

  describe('when the handler returns a value', () => {
    it('sends only the declared properties, in declared order', async () => {
      expect((await app.inject({ url: '/user' })).body).to.equal('{"id":7,"name":"Ada"}');
    });

    it('applies isArray to every element', async () => {
      expect((await app.inject({ url: '/users' })).json()).to.deep.equal([
        { id: 7, name: 'Ada' },
        { id: 8, name: 'Ada' },
      ]);
    });

    it('applies the schema documented for the @HttpCode status, after an async handler', async () => {
      const response = await app.inject({ method: 'POST', url: '/users' });
      expect(response.statusCode).to.equal(201);
      expect(response.json()).to.deep.equal({ id: 7, name: 'Ada' });
    });

    it('answers 500 for a value JSON cannot represent, as without a schema', async () => {
      const response = await app.inject({ url: '/cycle' });
      expect(response.statusCode).to.equal(500);
      expect(response.json()).to.include({ code: 'CREST_INTERNAL' });
    });
  });

  describe('when the schema does not apply', () => {
    const cases: Array<[string, string]> = [
      ['the handler builds its own HttpResponse', '/explicit'],
      ['the schema documents another status', '/other-status'],
      ['the class declares no class-validator rules', '/plain'],
    ];
    for (const [name, url] of cases) {
      it(`sends the value as JSON.stringify writes it when ${name}`, async () => {
        expect((await app.inject({ url })).body).to.equal(JSON.stringify(record));
      });
    }
  });
});
