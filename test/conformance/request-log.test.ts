import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { Body, Controller, createApp, Get, HttpResponse, Post, type HttpRequest } from '../../src';
import { functionUrlStreamingTransport, httpTransport, transports } from './transports';
import { capturingLogger, type LogLine } from './capturing-logger';

/*
 * What a transport reports about a request must match what its client received: one log line,
 * with the status that went out, and the app's onError hook seeing each error exactly once,
 * whether the app made the answer or the transport did (a body over the limit, a stream that
 * fails before its first byte).
 */

class Quantity {
  @IsInt()
  qty!: number;
}

async function* failing(afterChunks: number): AsyncIterable<string> {
  for (let i = 0; i < afterChunks; i++) yield 'x'.repeat(10);
  throw new Error('the source failed');
}

@Controller()
class Lifecycle {
  @Get('/ok')
  ok() {
    return { ok: true };
  }

  @Get('/throws')
  throws(): never {
    throw new Error('the handler failed');
  }

  @Get('/stream-fails-at-once')
  streamFailsAtOnce() {
    return HttpResponse.stream(failing(0));
  }

  @Get('/stream-fails-later')
  streamFailsLater() {
    return HttpResponse.stream(failing(3));
  }

  @Post('/quantity')
  quantity(@Body() body: Quantity) {
    return body;
  }
}

/** node:http logs once the connection is done with the answer, which may be just after the client has it. */
async function requestLines(logger: { lines: LogLine[] }): Promise<LogLine[]> {
  for (let waited = 0; waited < 2000; waited += 5) {
    const lines = logger.lines.filter((line) => line.fields.status !== undefined);
    if (lines.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return logger.lines.filter((line) => line.fields.status !== undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return [];
}

const cases: Array<{
  name: string;
  request: { method?: string; url: string; body?: string; headers?: Record<string, string> };
  status: number;
  errors: number;
}> = [
  { name: 'an ordinary answer', request: { url: '/ok' }, status: 200, errors: 0 },
  { name: 'no route', request: { url: '/nowhere' }, status: 404, errors: 1 },
  { name: 'a handler that throws', request: { url: '/throws' }, status: 500, errors: 1 },
  { name: 'a stream failing before its first byte', request: { url: '/stream-fails-at-once' }, status: 500, errors: 1 },
  {
    name: 'a body failing validation',
    request: {
      method: 'POST',
      url: '/quantity',
      body: '{"qty":"many"}',
      headers: { 'content-type': 'application/json' },
    },
    status: 400,
    errors: 1,
  },
  {
    name: 'a body over the limit (refused by the transport)',
    request: {
      method: 'POST',
      url: '/quantity',
      body: JSON.stringify({ qty: 1, pad: 'x'.repeat(2000) }),
      headers: { 'content-type': 'application/json' },
    },
    status: 413,
    errors: 1,
  },
];

describe('every transport logs what its client received', () => {
  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      for (const { name, request, status, errors } of cases) {
        it(`writes one line with status ${status}, and onError sees ${errors} error(s), for ${name}`, async () => {
          const logger = capturingLogger();
          const seen: unknown[] = [];
          const app = createApp({
            controllers: [Lifecycle],
            logger,
            bodyLimit: 1024,
            onError: (error: unknown, _req: HttpRequest) => void seen.push(error),
          });
          const client = await transport.start(app);
          try {
            const response = await client.send(request);
            expect(response.statusCode).to.equal(status);
            const lines = await requestLines(logger);
            expect(lines.map((line) => line.fields.status)).to.deep.equal([status]);
            expect(lines[0]!.level).to.equal(status >= 500 ? 'error' : 'info');
            expect(seen).to.have.length(errors);
          } finally {
            await client.close();
          }
        });
      }
    });
  }
});

describe('every transport logs a stream that fails after it started', () => {
  for (const transport of transports) {
    it(`over ${transport.name}: one line, with what the client got`, async () => {
      const logger = capturingLogger();
      const seen: unknown[] = [];
      const app = createApp({ controllers: [Lifecycle], logger, onError: (error: unknown) => void seen.push(error) });
      const client = await transport.start(app);
      try {
        const answer = await client.send({ url: '/stream-fails-later' }).then(
          (response) => response.statusCode,
          () => 'cut short' as const,
        );
        const lines = await requestLines(logger);
        expect(lines).to.have.length(1);
        expect(lines[0]!.level).to.equal('error');
        const streams = transport === httpTransport || transport === functionUrlStreamingTransport;
        expect(answer).to.equal(streams ? 'cut short' : 500);
        if (streams) {
          // Streaming transports: the status was out when the source failed; the client saw the
          // answer end early, and the line says so, with the status that went out and the cause.
          expect(lines[0]!.fields.status).to.equal(200);
          expect(lines[0]!.message).to.equal('response cut short');
          expect(lines[0]!.fields.err).to.deep.include({ message: 'the source failed' });
        } else {
          // Buffering transports collect the stream first: the failure is a 500 problem, seen by onError.
          expect(lines[0]!.fields.status).to.equal(500);
          expect(seen).to.have.length(1);
        }
      } finally {
        await client.close();
      }
    });
  }
});
