import { expect } from 'chai';
import { Controller, createApp, Get, HttpRequest, HttpResponse, Req } from '../../src';
import { albEvent, functionUrlEvent, lambdaContext, restApiEvent } from '../../src/testing';
import { invokeStreaming, localStreamingRuntime } from './support/local-streaming-runtime';
import { withUnprintableHeader } from './support/unprintable';
import { capturingLogger } from '../conformance/capturing-logger';

async function* chunks(count: number, size: number, failAt = -1): AsyncIterable<Uint8Array> {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error('source failed');
    yield Buffer.alloc(size, 1);
  }
}

@Controller()
class Responses {
  @Get('/text')
  text(@Req() req: HttpRequest) {
    return HttpResponse.text('x'.repeat(Number(req.query.size?.[0] ?? 2)));
  }

  @Get('/stream')
  stream(@Req() req: HttpRequest) {
    return HttpResponse.stream(chunks(Number(req.query.n?.[0] ?? 2), 65536, Number(req.query.fail?.[0] ?? -1)));
  }

  @Get('/unprintable')
  unprintable() {
    return withUnprintableHeader(HttpResponse.text('x'));
  }
}

describe('the Lambda request log', () => {
  describe('when the buffered handler settles the response after the app', () => {
    const cases: Array<[string, () => object, number]> = [
      ['an ordinary response', () => restApiEvent({ url: '/text' }), 200],
      ['a result over the ALB limit', () => albEvent({ url: '/text?size=1100000' }), 500],
      ['a result over the 6 MB limit', () => restApiEvent({ url: '/text?size=7000000' }), 500],
      ['a stream over the ALB limit', () => albEvent({ url: '/stream?n=20' }), 500],
      ['a stream that fails while collected', () => restApiEvent({ url: '/stream?n=3&fail=1' }), 500],
      ['a stream that fails at once', () => restApiEvent({ url: '/stream?n=3&fail=0' }), 500],
      ['a header that cannot be serialized', () => restApiEvent({ url: '/unprintable' }), 500],
      ['a malformed event', () => ({ ...restApiEvent({ url: '/text' }), body: 42 }), 400],
    ];
    for (const [name, event, status] of cases) {
      it(`writes one line with the final status ${status} for ${name}`, async () => {
        const logger = capturingLogger();
        const result = await createApp({ controllers: [Responses], logger }).lambda()(event(), lambdaContext());
        expect(result.statusCode).to.equal(status);
        expect(logger.lines.map((line) => line.fields.status)).to.deep.equal([status]);
        expect(logger.lines[0]!.message).to.equal(status >= 500 ? 'request failed' : 'request completed');
      });
    }
  });

  describe('when the streaming handler settles the response after the app', () => {
    const cases: Array<[string, string, number]> = [
      ['an ordinary stream', '/stream', 200],
      ['a stream that fails before its first chunk', '/stream?fail=0', 500],
      ['a header that cannot go in the prelude', '/unprintable', 500],
    ];
    for (const [name, url, status] of cases) {
      it(`writes one line with the final status ${status} for ${name}`, async () => {
        const logger = capturingLogger();
        const handler = createApp({ controllers: [Responses], logger }).lambdaStreaming({
          runtime: localStreamingRuntime,
        });
        const out = await invokeStreaming(handler, functionUrlEvent({ url }), lambdaContext());
        expect(out.prelude!.statusCode).to.equal(status);
        expect(logger.lines.map((line) => line.fields.status)).to.deep.equal([status]);
      });
    }
  });
});
