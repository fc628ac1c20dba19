import { expect } from 'chai';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transform } from 'node:stream';
import {
  brotliDecompressSync,
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  gunzipSync,
  inflateSync,
} from 'node:zlib';
import { compress, Controller, createApp, Get, HttpResponse, type App } from '../../src';
import { functionUrlEvent, lambdaContext, restApiEvent } from '../../src/testing';
import { LocalResponseStream, localStreamingRuntime, readWire } from '../lambda/support/local-streaming-runtime';

const EVENTS = 5;
const sseEvent = (i: number): string => `id: ${i}\nevent: tick\ndata: {"tick":${i},"pad":"${'.'.repeat(30)}"}\n\n`;
const ndjsonLine = (i: number): string => `${JSON.stringify({ line: i, pad: '.'.repeat(30) })}\n`;

/**
 * A source that produces one event, then waits until the test has seen it arrive before it
 * produces the next: a response that holds events back (a compressor waiting for more input)
 * never gets past the first.
 */
class EventGate {
  produced = 0;
  stopped = false;
  private release: (() => void) | undefined;

  async *events(format: (i: number) => string): AsyncGenerator<string> {
    try {
      for (let i = 0; i < EVENTS; i++) {
        if (i > 0) await new Promise<void>((resolve) => (this.release = resolve));
        this.produced = i + 1;
        yield format(i);
      }
    } finally {
      if (this.produced < EVENTS) this.stopped = true;
    }
  }

  next(): void {
    this.release?.();
  }
}

function eventsApp(gate: () => EventGate): App {
  @Controller()
  class Events {
    @Get('/sse')
    sse() {
      return HttpResponse.stream(gate().events(sseEvent), {
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      });
    }

    @Get('/ndjson')
    ndjson() {
      return HttpResponse.stream(gate().events(ndjsonLine), { headers: { 'content-type': 'application/x-ndjson' } });
    }
  }
  return createApp({ controllers: [Events], middleware: [compress()] });
}

/** Polls `seen` until it holds `expected`, failing after two seconds. */
async function arrival(seen: () => string, expected: string, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!seen().includes(expected)) {
    if (Date.now() > deadline) throw new Error(`${what} did not arrive before the next one was produced`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Decodes as much of a compressed prefix as it holds (what a client has decoded so far). */
function decodePrefix(coding: string | undefined, bytes: Buffer): string {
  if (bytes.length === 0) return '';
  if (coding === 'gzip') return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  if (coding === 'deflate') return inflateSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  if (coding === 'br') {
    return brotliDecompressSync(bytes, { finishFlush: constants.BROTLI_OPERATION_FLUSH }).toString('utf8');
  }
  throw new Error(`unexpected content-encoding ${String(coding)}`);
}

function decoderFor(coding: string | undefined): Transform {
  if (coding === 'gzip') return createGunzip();
  if (coding === 'deflate') return createInflate();
  if (coding === 'br') return createBrotliDecompress();
  throw new Error(`unexpected content-encoding ${String(coding)}`);
}

const ROUTES: Array<[path: string, format: (i: number) => string]> = [
  ['/sse', sseEvent],
  ['/ndjson', ndjsonLine],
];

describe('compress() on streamed answers', () => {
  let gate: EventGate;
  beforeEach(() => {
    gate = new EventGate();
  });
  const app = eventsApp(() => gate);

  describe('when served by node:http over a socket', () => {
    let port: number;
    let close: () => Promise<void>;
    before(async () => {
      const server = await app.listen(0, '127.0.0.1');
      port = (server.address() as AddressInfo).port;
      close = () => new Promise((resolve) => server.close(() => resolve()));
    });
    after(() => close());

    const open = (path: string, coding: string): Promise<IncomingMessage> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': coding }, agent: false });
        req.on('response', resolve).on('error', reject).end();
      });

    for (const coding of ['gzip', 'br', 'deflate']) {
      for (const [path, format] of ROUTES) {
        it(`delivers ${path} event by event, ${coding}-compressed`, async () => {
          const res = await open(path, coding);
          expect(res.headers['content-encoding']).to.equal(coding);
          expect(res.headers['transfer-encoding']).to.equal('chunked');
          let text = '';
          const ended = new Promise<void>((resolve, reject) => {
            const decoder = decoderFor(coding);
            decoder.on('data', (bytes: Buffer) => (text += bytes.toString('utf8')));
            decoder.on('end', resolve).on('error', reject);
            res.pipe(decoder);
          });
          for (let i = 0; i < EVENTS; i++) {
            await arrival(() => text, format(i), `event ${i}`);
            expect(gate.produced).to.equal(i + 1);
            gate.next();
          }
          await ended;
          expect(text).to.equal(Array.from({ length: EVENTS }, (_, i) => format(i)).join(''));
        });
      }
    }

    it('stops the source when the client goes away mid-stream', async () => {
      const res = await open('/ndjson', 'gzip');
      await new Promise((resolve) => res.once('data', resolve));
      res.destroy();
      const deadline = Date.now() + 2000;
      while (!gate.stopped && Date.now() < deadline) {
        gate.next();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(gate.stopped).to.equal(true);
    });
  });

  const lambdaSources: Array<[name: string, event: (url: string, coding: string) => object]> = [
    ['a Function URL', (url, coding) => functionUrlEvent({ url, headers: { 'accept-encoding': coding } })],
    ['a REST API', (url, coding) => restApiEvent({ url, headers: { 'accept-encoding': coding } })],
  ];
  for (const [name, event] of lambdaSources) {
    describe(`when served by Lambda response streaming from ${name}`, () => {
      const handler = app.lambdaStreaming({ runtime: localStreamingRuntime });

      for (const coding of ['gzip', 'br']) {
        for (const [path, format] of ROUTES) {
          it(`delivers ${path} event by event, ${coding}-compressed`, async () => {
            const stream = new LocalResponseStream();
            const done = handler(event(path, coding), stream, lambdaContext());
            const seen = (): string => {
              const wire = readWire(stream);
              return wire.prelude === undefined ? '' : decodePrefix(coding, wire.body);
            };
            for (let i = 0; i < EVENTS; i++) {
              await arrival(seen, format(i), `event ${i}`);
              expect(gate.produced).to.equal(i + 1);
              gate.next();
            }
            await done;
            const wire = readWire(stream);
            const encoding =
              wire.prelude!.headers['content-encoding'] ?? wire.prelude!.multiValueHeaders?.['content-encoding']?.[0];
            expect(encoding).to.equal(coding);
            expect(decodePrefix(coding, wire.body)).to.equal(
              Array.from({ length: EVENTS }, (_, i) => format(i)).join(''),
            );
          });
        }
      }
    });
  }
});
