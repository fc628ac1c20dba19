import { expect } from 'chai';
import fc from 'fast-check';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { IsInt, IsString } from 'class-validator';
import { Body, Controller, Cookie, createApp, Get, Header, Param, Post, Query } from '../../src';
import { FUZZ_RUNS, FUZZ_SEED } from './fuzz-settings';

class Item {
  @IsString() name!: string;
  @IsInt() qty!: number;
}

@Controller('/items')
class FuzzController {
  @Get('/:id') show(
    @Param('id') id: number,
    @Query('tag', { type: [String] }) tags: string[],
    @Header('x-n') n: number,
  ) {
    return { id, tags, n };
  }
  @Post('/') create(@Body() item: Item, @Cookie('session') session: string) {
    return { item, session };
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'get', 'G ET', 'CONNECT', 'TRACE', ''];
const PATHS = [
  '/items/1',
  '/items/abc',
  '/items/',
  '/items',
  '/',
  '*',
  '/items/%zz',
  '/items/%C0%AF',
  '/../etc/passwd',
  'http://x/items/1',
];

/** One raw HTTP/1.1 exchange built from random parts, sometimes broken on purpose. */
const rawRequest = fc
  .record({
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string({ maxLength: 8 })),
    path: fc.oneof(
      fc.constantFrom(...PATHS),
      fc.string({ maxLength: 40 }).map((s) => `/items/${s}`),
      fc.webPath(),
    ),
    query: fc.oneof(
      fc.constant(''),
      fc.webQueryParameters().map((q) => `?${q}`),
      fc.string({ maxLength: 30 }).map((s) => `?${s}`),
    ),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', ''),
    headers: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('x-n', 'cookie', 'content-type', 'content-length', 'transfer-encoding', 'host'),
          fc.string({ maxLength: 12 }),
        ),
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.constantFrom('application/json', 'chunked', '-1', '99999999999', 'session=%zz'),
        ),
      ),
      { maxLength: 6 },
    ),
    body: fc.oneof(fc.constant(''), fc.json({ maxDepth: 3 }), fc.string({ maxLength: 60 })),
    pipeline: fc.boolean(),
    disconnectEarly: fc.boolean(),
  })
  .map(({ method, path, query, version, headers, body, pipeline, disconnectEarly }) => {
    const head = `${method} ${path}${query} ${version}\r\nhost: 127.0.0.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}`;
    const one = `${head}\r\n${body}`;
    return { payload: pipeline ? `${one}GET /items/2 HTTP/1.1\r\nhost: x\r\n\r\n` : one, disconnectEarly };
  });

function exchange(port: number, payload: string, disconnectEarly: boolean): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.on('error', () => undefined);
    if (disconnectEarly) {
      socket.write(payload.slice(0, Math.max(1, payload.length >> 1)));
      socket.destroy();
    } else {
      socket.end(payload);
    }
  });
}

describe('fuzzing over node:http', function () {
  this.timeout(300_000);
  let server: Server;
  let port: number;
  before(async () => {
    server = await createApp({ controllers: [FuzzController], bodyLimit: 4096 }).listen(0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  it(`answers ${FUZZ_RUNS} random raw requests with well-formed, non-5xx responses and stays up`, async () => {
    await fc.assert(
      fc.asyncProperty(rawRequest, async ({ payload, disconnectEarly }) => {
        const reply = await exchange(port, payload, disconnectEarly);
        if (disconnectEarly || reply === '') return;
        for (const status of reply.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)) {
          expect(Number(status[1]), reply.slice(0, 300)).to.be.within(200, 499);
        }
        expect(reply).to.match(/^HTTP\/1\.1 \d{3} /);
        expect(reply).not.to.match(/at .+\.js:\d+/);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    const health = await fetch(`http://127.0.0.1:${port}/items/1?tag=a`);
    expect(health.status).to.equal(200);
  });
});
