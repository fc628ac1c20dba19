import { expect } from 'chai';
import { Controller, createApp, ErrorCodes, Get, Head, HttpResponse } from '../../src';
import { type LambdaResult } from '../../src/lambda';
import { albEvent, functionUrlEvent, lambdaContext, restApiEvent } from '../../src/testing';
import { disconnectingStream, invokeStreaming, localStreamingRuntime } from './support/local-streaming-runtime';
import { withUnprintableHeader } from './support/unprintable';

/** A source whose iterator's `return()` rejects: its cleanup fails however it is stopped. */
function rejectingCleanup(): AsyncIterable<string> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: async () => ({ done: false, value: 'x' }),
      return: () => Promise.reject(new Error('cleanup failed')),
    }),
  };
}

/** A generator whose `finally` throws: `return()` on it rejects once it has started. */
async function* throwingFinally(chunks: number, size: number): AsyncIterable<Uint8Array> {
  try {
    for (let i = 0; i < chunks; i++) yield Buffer.alloc(size, 1);
  } finally {
    // eslint-disable-next-line no-unsafe-finally
    throw new Error('cleanup failed');
  }
}

@Controller()
class Streams {
  @Head('/rejecting')
  rejecting() {
    return HttpResponse.stream(rejectingCleanup());
  }

  @Get('/unprintable')
  unprintable() {
    return withUnprintableHeader(HttpResponse.stream(throwingFinally(3, 10)));
  }

  @Get('/long')
  long() {
    return HttpResponse.stream(throwingFinally(1000, 1024));
  }

  @Get('/huge')
  huge() {
    return HttpResponse.stream(throwingFinally(2000, 1024));
  }
}

const app = createApp({ controllers: [Streams] });
const buffered = app.lambda();
const streaming = app.lambdaStreaming({ runtime: localStreamingRuntime });

/** Runs `run` and reports the promise rejections nobody handled meanwhile. */
async function unhandledRejectionsDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    await run();
    // Unhandled rejections are reported after the microtask queue drains.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

const problemCode = (result: LambdaResult) => (JSON.parse(result.body) as { code: string }).code;

describe('stream cleanup on Lambda', () => {
  describe('when a source fails to clean up', () => {
    const cases: Array<[string, () => Promise<void>]> = [
      [
        'buffered HEAD: the source is cancelled unread',
        async () => {
          const result = await buffered(restApiEvent({ method: 'HEAD', url: '/rejecting' }), lambdaContext());
          expect(result).to.include({ statusCode: 200, body: '' });
        },
      ],
      [
        'buffered, over the ALB limit: collection stops',
        async () => {
          const result = await buffered(albEvent({ url: '/huge' }), lambdaContext());
          expect(result.statusCode).to.equal(500);
          expect(problemCode(result)).to.equal(ErrorCodes.RESPONSE_TOO_LARGE);
        },
      ],
      [
        'streaming HEAD: the source is cancelled unread',
        async () => {
          const out = await invokeStreaming(
            streaming,
            functionUrlEvent({ method: 'HEAD', url: '/rejecting' }),
            lambdaContext(),
          );
          expect(out.prelude!.statusCode).to.equal(200);
        },
      ],
      [
        'streaming, a header that cannot be serialized after the first chunk was read',
        async () => {
          const out = await invokeStreaming(streaming, functionUrlEvent({ url: '/unprintable' }), lambdaContext());
          expect(out.prelude!.statusCode).to.equal(500);
        },
      ],
      [
        'streaming, the client going away mid-stream',
        async () => {
          const stream = disconnectingStream();
          const error = await streaming(functionUrlEvent({ url: '/long' }), stream, lambdaContext()).catch(
            (e: unknown) => e,
          );
          expect(error).to.have.property('code', ErrorCodes.INTERNAL);
          expect(stream.destroyed).to.equal(true);
        },
      ],
    ];
    for (const [name, run] of cases) {
      it(`answers and leaves no unhandled rejection (${name})`, async () => {
        expect(await unhandledRejectionsDuring(run)).to.deep.equal([]);
      });
    }
  });
});
