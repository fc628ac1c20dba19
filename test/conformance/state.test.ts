import { expect } from 'chai';
import { Controller, createApp, Get, HttpResponse, State, UnauthorizedError, Use, type Middleware } from '../../src';
import { transports } from './transports';

/*
 * Middleware hands data to handlers through `ctx.state`, read with `@State(...)`: the most
 * common case is an authentication middleware that resolves the current user.
 */

interface User {
  id: number;
  name: string;
}

const USERS: Record<string, User> = { 'token-ada': { id: 1, name: 'Ada' } };

const authenticate: Middleware = async (ctx, next) => {
  const user = USERS[(ctx.req.headers.authorization ?? '').replace(/^Bearer /, '')];
  if (user === undefined) throw new UnauthorizedError('Unknown token.');
  ctx.state.user = user;
  ctx.state.scopes = ['read'];
  return next();
};

@Controller()
class Me {
  @Get('/me')
  me(@State('user') user: User) {
    return user;
  }

  @Get('/state')
  whole(@State() state: Record<string, unknown>) {
    return HttpResponse.json({ keys: Object.keys(state).sort() });
  }

  @Get('/nobody')
  nobody(@State('user') user: User | undefined) {
    return { user: user ?? null };
  }
}

@Controller()
@Use(authenticate)
class Guarded {
  @Get('/me')
  me(@State('user') user: User) {
    return user;
  }
}

describe('@State', () => {
  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      describe('when app middleware sets the user', () => {
        it('hands the user to the handler', async () => {
          const client = await transport.start(createApp({ controllers: [Me], middleware: [authenticate] }));
          try {
            const response = await client.send({ url: '/me', headers: { authorization: 'Bearer token-ada' } });
            expect(response.statusCode).to.equal(200);
            expect(JSON.parse(response.body)).to.deep.equal({ id: 1, name: 'Ada' });
            const whole = await client.send({ url: '/state', headers: { authorization: 'Bearer token-ada' } });
            expect(JSON.parse(whole.body)).to.deep.equal({ keys: ['scopes', 'user'] });
            const refused = await client.send({ url: '/me', headers: { authorization: 'Bearer forged' } });
            expect(refused.statusCode).to.equal(401);
          } finally {
            await client.close();
          }
        });
      });

      describe('when the middleware is on the route (@Use)', () => {
        it('hands the user to the handler too', async () => {
          const client = await transport.start(createApp({ controllers: [Guarded] }));
          try {
            const response = await client.send({ url: '/me', headers: { authorization: 'Bearer token-ada' } });
            expect(JSON.parse(response.body)).to.deep.equal({ id: 1, name: 'Ada' });
          } finally {
            await client.close();
          }
        });
      });

      describe('when no middleware set the key', () => {
        it('hands undefined', async () => {
          const client = await transport.start(createApp({ controllers: [Me] }));
          try {
            const response = await client.send({ url: '/nobody' });
            expect(JSON.parse(response.body)).to.deep.equal({ user: null });
          } finally {
            await client.close();
          }
        });
      });
    });
  }
});
