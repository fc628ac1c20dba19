import { expect } from 'chai';
import { Controller, createApp, Get, HttpResponse, requestContext, type Middleware } from '../../src';
import { capturingLogger } from './capturing-logger';
import { transports } from './transports';

/*
 * With `context: true`, code far below the handler (a repository, a stream's producer, work
 * handed to waitUntil) knows its request without being handed it, on every transport.
 */

/** A repository that is never given the request. */
function findOrders(): { requestId: string | undefined; user: unknown } {
  const current = requestContext();
  current?.logger.info({ table: 'orders' }, 'query');
  return { requestId: current?.requestId, user: current?.state.user };
}

async function* producedBelow(): AsyncIterable<string> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  yield JSON.stringify({ requestId: requestContext()?.requestId });
}

const identify: Middleware = (ctx, next) => {
  ctx.state.user = ctx.req.headers['x-user'];
  return next();
};

@Controller()
class Orders {
  @Get('/orders')
  async list() {
    await new Promise((resolve) => setTimeout(resolve, 2));
    requestContext()?.waitUntil(Promise.resolve().then(() => requestContext()?.logger.info({}, 'audit')));
    return findOrders();
  }

  @Get('/stream')
  stream() {
    return HttpResponse.stream(producedBelow());
  }
}

describe('requestContext()', () => {
  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      describe('when the app runs with context: true', () => {
        it('gives each of concurrent requests its own id, state and logger, below the handler', async () => {
          const logger = capturingLogger();
          const app = createApp({ controllers: [Orders], middleware: [identify], logger, context: true });
          const client = await transport.start(app);
          try {
            const users = ['ada', 'grace', 'edsger'];
            const responses = await Promise.all(
              users.map((user) => client.send({ url: '/orders', headers: { 'x-user': user } })),
            );
            await app.shutdown();
            for (const [index, response] of responses.entries()) {
              const body = JSON.parse(response.body) as { requestId: string; user: string };
              expect(body.user).to.equal(users[index]);
              const mine = logger.lines.filter((line) => line.fields.requestId === body.requestId);
              expect(mine.map((line) => line.message).sort()).to.deep.equal(['audit', 'query', 'request completed']);
            }
            expect(new Set(responses.map((response) => response.body)).size).to.equal(3);
          } finally {
            await client.close();
          }
        });

        it('reaches a stream body produced after the handler returned', async () => {
          const app = createApp({ controllers: [Orders], context: true });
          const client = await transport.start(app);
          try {
            const response = await client.send({ url: '/stream' });
            const { requestId } = JSON.parse(response.body) as { requestId?: string };
            expect(requestId).to.be.a('string').and.not.equal('');
          } finally {
            await client.close();
          }
        });
      });

      describe('when the app runs without context', () => {
        it('is undefined', async () => {
          const client = await transport.start(createApp({ controllers: [Orders] }));
          try {
            const body = JSON.parse((await client.send({ url: '/orders' })).body) as Record<string, unknown>;
            expect(body).to.deep.equal({});
          } finally {
            await client.close();
          }
        });
      });
    });
  }

  describe('outside a request', () => {
    it('is undefined', () => {
      createApp({ controllers: [Orders], context: true });
      expect(requestContext()).to.equal(undefined);
    });
  });
});
