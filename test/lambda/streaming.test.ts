import { expect } from 'chai';
import {
  Controller,
  createApp,
  ErrorCodes,
  Get,
  Head,
  HttpRequest,
  HttpResponse,
  NotHttpEventError,
  Req,
  type StreamingHandler,
} from '../../src';
import { functionUrlEvent, lambdaContext, restApiEvent } from '../../src/testing';
import {
  invokeStreaming,
  disconnectingStream,
  localStreamingRuntime,
  LocalResponseStream,
  PRELUDE_CONTENT_TYPE,
  readWire,
} from './support/local-streaming-runtime';
import { withUnprintableHeader } from './support/unprintable';

/** Records what happened to a stream source, for the cancellation tests. */
class SourceProbe {
  finished = false;
  produced = 0;
  source(chunks: number, size: number, failAt = -1): AsyncIterable<Uint8Array> {
    return produce(this, chunks, size, failAt);
  }
}

async function* produce(probe: SourceProbe, chunks: number, size: number, failAt: number): AsyncIterable<Uint8Array> {
  try {
    for (let i = 0; i < chunks; i++) {
      if (i === failAt) throw new Error('source failed');
      probe.produced++;
      yield Buffer.alloc(size, i % 256);
    }
  } finally {
    probe.finished = true;
  }
}

/** `after` chunks, then a wait that never ends and ignores cancellation (a dependency that hangs). */
async function* stalling(after: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < after; i++) yield Buffer.alloc(10, i);
  await new Promise<never>(() => {});
}

function streamingApp(probe: SourceProbe): StreamingHandler {
  @Controller()
  class Streams {
    @Get('/chunks')
    chunks(@Req() req: HttpRequest) {
      return HttpResponse.stream(probe.source(Number(req.query.n?.[0] ?? 200), 1024), {
        headers: { 'content-type': 'application/octet-stream', 'x-list': ['a', 'b'] },
        cookies: ['a=1; HttpOnly', 'b=2; Expires=Tue, 01 Jan 2030 00:00:00 GMT'],
      });
    }

    @Head('/chunks')
    headChunks() {
      return HttpResponse.stream(probe.source(10, 10));
    }

    @Get('/fail-first')
    failFirst() {
      return HttpResponse.stream(probe.source(3, 10, 0));
    }

    @Get('/fail-later')
    failLater() {
      return HttpResponse.stream(probe.source(3, 10, 2));
    }

    @Get('/stall-first')
    stallFirst() {
      return HttpResponse.stream(stalling(0));
    }

    @Get('/stall-later')
    stallLater() {
      return HttpResponse.stream(stalling(1));
    }

    @Get('/nothing')
    nothing() {
      return HttpResponse.stream(probe.source(0, 0));
    }

    @Get('/empty')
    empty() {
      return HttpResponse.empty();
    }

    @Get('/json')
    json() {
      return HttpResponse.json({ hello: 'λ' }, { status: 201 });
    }
  }
  return createApp({ controllers: [Streams] }).lambdaStreaming({ runtime: localStreamingRuntime });
}

describe('app.lambdaStreaming()', () => {
  let probe: SourceProbe;
  let handler: StreamingHandler;
  beforeEach(() => {
    probe = new SourceProbe();
    handler = streamingApp(probe);
  });

  describe('when the handler streams a body', () => {
    it('sends status, headers and every cookie in the prelude, then the bytes in order', async () => {
      const out = await invokeStreaming(handler, functionUrlEvent({ url: '/chunks?n=20' }), lambdaContext());
      expect(out.contentType).to.equal(PRELUDE_CONTENT_TYPE);
      expect(out.prelude).to.deep.equal({
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream', 'x-list': 'a, b' },
        cookies: ['a=1; HttpOnly', 'b=2; Expires=Tue, 01 Jan 2030 00:00:00 GMT'],
      });
      const expected = Buffer.concat(Array.from({ length: 20 }, (_, i) => Buffer.alloc(1024, i)));
      expect(out.body.equals(expected)).to.equal(true);
      expect(out.ended).to.equal(true);
    });

    it('waits for drain instead of writing past a full buffer', async () => {
      const out = await invokeStreaming(handler, functionUrlEvent({ url: '/chunks?n=200' }), lambdaContext(), 16);
      expect(out.writesIgnoringBackpressure).to.equal(0);
      expect(out.body.length).to.equal(200 * 1024);
    });

    it('puts REST cookies in multiValueHeaders, never a cookies key', async () => {
      const out = await invokeStreaming(handler, restApiEvent({ url: '/chunks?n=1' }), lambdaContext());
      expect(out.prelude).not.to.have.property('cookies');
      expect(out.prelude!.multiValueHeaders).to.deep.equal({
        'x-list': ['a', 'b'],
        'set-cookie': ['a=1; HttpOnly', 'b=2; Expires=Tue, 01 Jan 2030 00:00:00 GMT'],
      });
    });
  });

  describe('when there is no body', () => {
    for (const url of ['/nothing', '/empty']) {
      it(`still writes the prelude and ends the stream (${url})`, async () => {
        const out = await invokeStreaming(handler, functionUrlEvent({ url }), lambdaContext());
        expect(out.prelude!.statusCode).to.equal(url === '/empty' ? 204 : 200);
        expect(out.body.length).to.equal(0);
        expect(out.ended).to.equal(true);
      });
    }

    it('answers HEAD without consuming the source', async () => {
      const out = await invokeStreaming(handler, functionUrlEvent({ method: 'HEAD', url: '/chunks' }), lambdaContext());
      expect(out.prelude!.statusCode).to.equal(200);
      expect(out.body.length).to.equal(0);
      expect(probe.produced).to.equal(0);
    });
  });

  describe('when the response is buffered', () => {
    it('streams the serialized body after the prelude', async () => {
      const out = await invokeStreaming(handler, functionUrlEvent({ url: '/json' }), lambdaContext());
      expect(out.prelude!.statusCode).to.equal(201);
      expect(JSON.parse(out.body.toString('utf8'))).to.deep.equal({ hello: 'λ' });
    });

    it('streams a 404 problem for an unknown path', async () => {
      const out = await invokeStreaming(handler, functionUrlEvent({ url: '/missing' }), lambdaContext());
      expect(out.prelude!.statusCode).to.equal(404);
      expect(JSON.parse(out.body.toString('utf8'))).to.include({ code: ErrorCodes.NOT_FOUND });
    });
  });

  describe('when the source fails before its first chunk', () => {
    it('sends an ordinary 500 problem response', async () => {
      const out = await invokeStreaming(handler, functionUrlEvent({ url: '/fail-first' }), lambdaContext());
      expect(out.prelude!.statusCode).to.equal(500);
      expect(out.prelude!.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(JSON.parse(out.body.toString('utf8'))).to.include({ code: ErrorCodes.INTERNAL });
      expect(out.error).to.equal(undefined);
    });
  });

  describe('when a header cannot be serialized', () => {
    it('sends an ordinary 500 problem response', async () => {
      @Controller()
      class Broken {
        @Get('/')
        broken() {
          return withUnprintableHeader(HttpResponse.text('x'));
        }
      }
      const broken = createApp({ controllers: [Broken] }).lambdaStreaming({ runtime: localStreamingRuntime });
      const out = await invokeStreaming(broken, functionUrlEvent({}), lambdaContext());
      expect(out.prelude!.statusCode).to.equal(500);
      expect(out.ended).to.equal(true);
    });
  });

  describe('when the source fails after the status is out', () => {
    it('rejects with a coded error and leaves the stream to the runtime, keeping what was sent', async () => {
      const stream = new LocalResponseStream();
      const error = await handler(functionUrlEvent({ url: '/fail-later' }), stream, lambdaContext()).catch(
        (e: unknown) => e,
      );
      // The runtime sends the name as the Lambda-Runtime-Function-Error-Type trailer, the stack in the body.
      expect(error).to.include({ name: ErrorCodes.INTERNAL, code: ErrorCodes.INTERNAL });
      expect((error as Error).stack).not.to.match(/\bat\b/);
      expect(stream.destroyed, 'destroyed').to.equal(false);
      expect(stream.writableEnded, 'ended').to.equal(false);
      const out = readWire(stream);
      expect(out.prelude!.statusCode).to.equal(200);
      expect(out.body.length).to.equal(20);
      expect(probe.finished).to.equal(true);
    });
  });

  describe('when the source stalls until the invocation deadline', () => {
    it('answers a 504 problem when the first chunk never comes', async () => {
      const out = await invokeStreaming(
        handler,
        functionUrlEvent({ url: '/stall-first' }),
        lambdaContext({ timeoutMs: 800 }),
      );
      expect(out.prelude!.statusCode).to.equal(504);
      expect(JSON.parse(out.body.toString('utf8'))).to.include({ code: ErrorCodes.TIMEOUT });
    });

    it('rejects with CREST_TIMEOUT before the deadline once the status is out', async () => {
      const stream = new LocalResponseStream();
      const started = Date.now();
      const error = await handler(
        functionUrlEvent({ url: '/stall-later' }),
        stream,
        lambdaContext({ timeoutMs: 800 }),
      ).catch((e: unknown) => e);
      expect(Date.now() - started).to.be.below(800);
      expect(error).to.include({ name: ErrorCodes.TIMEOUT, code: ErrorCodes.TIMEOUT });
      expect(readWire(stream).body.length).to.equal(10);
    });
  });

  describe('when the client goes away mid-stream', () => {
    it('stops and closes the source instead of hanging on drain', async () => {
      const stream = disconnectingStream();
      const error = await handler(functionUrlEvent({ url: '/chunks?n=1000' }), stream, lambdaContext()).catch(
        (e: unknown) => e,
      );
      expect(error).to.have.property('code', ErrorCodes.INTERNAL);
      expect(probe.finished).to.equal(true);
      expect(probe.produced).to.be.below(1000);
    });
  });

  describe('when the event is not HTTP', () => {
    it('rejects with NotHttpEventError', async () => {
      const error = await invokeStreaming(handler, { Records: [] }, lambdaContext()).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(NotHttpEventError);
    });

    it('hands the event and the raw stream to onNonHttpEvent', async () => {
      const withHook = createApp({ controllers: [] }).lambdaStreaming({
        runtime: localStreamingRuntime,
        onNonHttpEvent: (_event, stream) => {
          stream.end('ok');
        },
      });
      const out = await invokeStreaming(withHook, { direct: true }, lambdaContext());
      expect(out.body.toString()).to.equal('ok');
    });
  });

  describe('when there is no Lambda runtime', () => {
    it('rejects each call with a clear error instead of failing at import', async () => {
      const outside = createApp({ controllers: [] }).lambdaStreaming();
      const error = await invokeStreaming(outside, functionUrlEvent({}), lambdaContext()).catch((e: unknown) => e);
      expect((error as Error).message).to.match(/awslambda/);
    });
  });

  describe('when the runtime marks the handler', () => {
    it('returns what streamifyResponse returned', () => {
      expect(Object.getOwnPropertySymbols(handler).map(String)).to.include(
        'Symbol(aws.lambda.runtime.handler.streaming)',
      );
    });
  });
});
