import { expect } from 'chai';
import { Controller, createApp, ErrorCodes, Get, HttpRequest, HttpResponse, Req, type App } from '../../src';
import { functionUrlEvent, lambdaContext, restApiEvent } from '../../src/testing';
import { capturingLogger, type LogLine } from '../conformance/capturing-logger';
import { transports } from '../conformance/transports';
import {
  disconnectingStream,
  LocalResponseStream,
  localStreamingRuntime,
} from '../lambda/support/local-streaming-runtime';

/*
 * waitUntil has one meaning per transport (README, "Work after the response"): node:http and
 * inject answer first and the work goes on (app.shutdown() waits for it); both Lambda handlers
 * finish the work before the invocation ends, the streaming one after ending the stream.
 */

/** A promise the test opens when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** What the background work of the last request did, shared by the controller and the test. */
const world = { gate: gate(), events: [] as string[] };

async function slowWork(): Promise<void> {
  await world.gate.opened;
  world.events.push('work done');
}

async function* threeChunks(): AsyncIterable<string> {
  yield 'a';
  yield 'b';
  yield 'c';
}

@Controller()
class Background {
  @Get('/audit')
  audit(@Req() req: HttpRequest) {
    req.waitUntil(slowWork());
    return { requestId: req.requestId };
  }

  @Get('/throws')
  throws(@Req() req: HttpRequest) {
    req.waitUntil(Promise.reject(new Error('the audit store is down')));
    // Work that registers more work, which also fails.
    req.waitUntil(Promise.resolve().then(() => req.waitUntil(Promise.reject(new Error('and so is the retry')))));
    return { requestId: req.requestId };
  }

  @Get('/never')
  never(@Req() req: HttpRequest) {
    req.waitUntil(new Promise(() => {}));
    return { ok: true };
  }

  @Get('/stream')
  stream(@Req() req: HttpRequest) {
    req.waitUntil(slowWork());
    return HttpResponse.stream(threeChunks());
  }

  @Get('/long-stream')
  longStream(@Req() req: HttpRequest) {
    req.waitUntil(slowWork());
    return HttpResponse.stream(
      (async function* () {
        for (let i = 0; i < 1000; i++) yield 'x'.repeat(64);
      })(),
    );
  }
}

const answersFirst = new Set(['inject', 'node:http']);

function codes(lines: LogLine[], code: string): LogLine[] {
  return lines.filter((line) => line.fields.code === code);
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('waitUntil', () => {
  beforeEach(() => {
    world.gate = gate();
    world.events = [];
  });
  afterEach(() => world.gate.open());

  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      let app: App;
      let logger: ReturnType<typeof capturingLogger>;
      beforeEach(() => {
        logger = capturingLogger();
        app = createApp({ controllers: [Background], logger, waitUntilTimeout: 300 });
      });

      if (answersFirst.has(transport.name)) {
        describe('when the work is slow', () => {
          it('answers first, lets the work go on, and app.shutdown() waits for it', async () => {
            const client = await transport.start(app);
            try {
              const response = await client.send({ url: '/audit' });
              expect(response.statusCode).to.equal(200);
              world.events.push('answered');
              const shutdown = app.shutdown().then(() => world.events.push('shut down'));
              await tick(20);
              expect(world.events).to.deep.equal(['answered']);
              world.gate.open();
              await shutdown;
              expect(world.events).to.deep.equal(['answered', 'work done', 'shut down']);
            } finally {
              await client.close();
            }
          });
        });
      } else {
        describe('when the work is slow', () => {
          it('finishes the work before the invocation returns', async () => {
            const client = await transport.start(app);
            try {
              const sending = client.send({ url: '/audit' }).then((response) => {
                world.events.push('answered');
                return response;
              });
              await tick(20);
              expect(world.events).to.deep.equal([]);
              world.gate.open();
              expect((await sending).statusCode).to.equal(200);
              expect(world.events).to.deep.equal(['work done', 'answered']);
            } finally {
              await client.close();
            }
          });
        });
      }

      describe('when the work throws', () => {
        it('keeps the answer and logs each failure with the request id', async () => {
          const client = await transport.start(app);
          try {
            const response = await client.send({ url: '/throws' });
            expect(response.statusCode).to.equal(200);
            const { requestId } = JSON.parse(response.body) as { requestId: string };
            await app.shutdown();
            const failures = codes(logger.lines, ErrorCodes.WAIT_UNTIL_FAILED);
            expect(failures.map((line) => line.fields.requestId)).to.deep.equal([requestId, requestId]);
            expect(failures.map((line) => line.level)).to.deep.equal(['error', 'error']);
          } finally {
            await client.close();
          }
        });
      });

      describe('when the work outlives its time budget', () => {
        it('gives up on it after waitUntilTimeout and says so', async () => {
          const client = await transport.start(app);
          try {
            const response = await client.send({ url: '/never' });
            expect(response.statusCode).to.equal(200);
            await app.shutdown();
            const late = codes(logger.lines, ErrorCodes.WAIT_UNTIL_TIMEOUT);
            expect(late).to.have.length(1);
            expect(late[0]!.fields.budgetMs).to.equal(300);
          } finally {
            await client.close();
          }
        });
      });
    });
  }

  describe('on the buffered Lambda handler', () => {
    describe('when the invocation deadline comes before waitUntilTimeout', () => {
      it('bounds the work by the deadline, less the margin an answer needs', async () => {
        const logger = capturingLogger();
        const handler = createApp({ controllers: [Background], logger }).lambda();
        const result = (await handler(restApiEvent({ url: '/never' }), lambdaContext({ timeoutMs: 400 }))) as {
          statusCode: number;
        };
        expect(result.statusCode).to.equal(200);
        const late = codes(logger.lines, ErrorCodes.WAIT_UNTIL_TIMEOUT);
        expect(late).to.have.length(1);
        expect(late[0]!.fields.budgetMs).to.be.within(1, 150);
      });
    });
  });

  describe('on the streaming Lambda handler', () => {
    const handler = () =>
      createApp({ controllers: [Background], logger: capturingLogger() }).lambdaStreaming({
        runtime: localStreamingRuntime,
      });

    describe('when the work is slow', () => {
      it('ends the stream first, then waits for the work before the invocation ends', async () => {
        const stream = new LocalResponseStream();
        stream.once('finish', () => world.events.push('stream ended'));
        const invocation = handler()(functionUrlEvent({ url: '/stream' }), stream, lambdaContext()).then(() =>
          world.events.push('invocation ended'),
        );
        await new Promise((resolve) => stream.once('finish', resolve));
        await tick(20);
        expect(world.events).to.deep.equal(['stream ended']);
        world.gate.open();
        await invocation;
        expect(world.events).to.deep.equal(['stream ended', 'work done', 'invocation ended']);
      });
    });

    describe('when the client disconnects while work is pending', () => {
      it('still finishes the work before the invocation ends', async () => {
        const stream = disconnectingStream(3);
        const invocation = handler()(functionUrlEvent({ url: '/long-stream' }), stream, lambdaContext()).then(
          () => world.events.push('invocation ended'),
          () => world.events.push('invocation failed'),
        );
        await new Promise((resolve) => stream.once('close', resolve));
        await tick(20);
        expect(world.events).to.deep.equal([]);
        world.gate.open();
        await invocation;
        expect(world.events).to.deep.equal(['work done', 'invocation failed']);
      });
    });
  });
});
