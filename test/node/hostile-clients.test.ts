import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Body,
  Controller,
  createApp,
  Ctx,
  Get,
  Header,
  HttpResponse,
  Post,
  Req,
  type App,
  type HttpRequest,
  type NodeContext,
  type ServerOptions,
} from '../../src';
import { openSocket, rawRequest, statusOf, until } from './support/raw-client';

/** What a handler saw of its own fate. */
interface Fate {
  aborted: boolean;
  sourceReturned: boolean;
  context?: NodeContext;
}

const PIECE = Buffer.alloc(64 * 1024, 'x');

@Controller()
class HostileController {
  fates: Fate[] = [];
  gate = Promise.resolve();

  private fate(req: HttpRequest, context?: NodeContext): Fate {
    const fate: Fate = { aborted: false, sourceReturned: false, context };
    req.signal.addEventListener('abort', () => {
      fate.aborted = true;
    });
    this.fates.push(fate);
    return fate;
  }

  @Get('/flood') flood(@Req() req: HttpRequest, @Ctx() context: NodeContext) {
    const fate = this.fate(req, context);
    return HttpResponse.stream(
      (async function* () {
        try {
          for (;;) yield PIECE;
        } finally {
          fate.sourceReturned = true;
        }
      })(),
    );
  }

  @Get('/big') big(@Req() req: HttpRequest, @Ctx() context: NodeContext) {
    this.fate(req, context);
    return HttpResponse.binary(Buffer.alloc(32 * 1024 * 1024));
  }

  @Get('/three-mb') threeMb() {
    return HttpResponse.binary(Buffer.alloc(3 * 1024 * 1024, 'y'));
  }

  @Get('/trickle') trickle() {
    return HttpResponse.stream(
      (async function* () {
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          yield `tick ${i}\n`;
        }
      })(),
    );
  }

  @Get('/gated') async gated() {
    await this.gate;
    return 'finished';
  }

  @Get('/gated-stream') gatedStream() {
    const gate = this.gate;
    return HttpResponse.stream(
      (async function* () {
        yield 'first\n';
        await gate;
        yield 'last\n';
      })(),
    );
  }

  @Post('/echo') echo(@Body() body: Buffer) {
    return HttpResponse.binary(body);
  }

  @Post('/last-header') lastHeader(@Header('x-last') last: string, @Body() body: Buffer) {
    return { last, body: body.toString() };
  }
}

describe('node:http server against hostile clients', () => {
  let app: App;
  let controller: HostileController;
  const servers: Server[] = [];

  async function start(options: ServerOptions = {}): Promise<number> {
    const server = await app.listen(0, '127.0.0.1', options);
    servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  beforeEach(() => {
    controller = new HostileController();
    app = createApp({ controllers: [HostileController], bodyLimit: 1000, factory: () => controller });
  });
  afterEach(() => {
    for (const server of servers.splice(0)) {
      if (server.listening) server.close();
      server.closeAllConnections();
    }
  });

  describe('when a client stops reading', () => {
    const stalled: Array<[string, string, (fate: Fate) => boolean]> = [
      ['a stream (its source cancelled, req.signal aborted)', '/flood', (fate) => fate.sourceReturned],
      ['a large buffered answer (req.signal aborted)', '/big', () => true],
    ];
    for (const [what, path, cleanedUp] of stalled) {
      it(`closes the connection of ${what} after sendTimeout`, async () => {
        const port = await start({ sendTimeout: 200 });
        const client = await openSocket(port);
        client.socket.pause();
        client.socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
        await until(() => controller.fates.length === 1, 2000, 'the request');
        const [fate] = controller.fates;
        await until(
          () => fate!.context!.request.socket.destroyed && fate!.aborted && cleanedUp(fate!),
          5000,
          'the connection closed',
        );
        client.socket.destroy();
      });
    }

    it('keeps sending to a client that pauses for less than sendTimeout at a time', async () => {
      const port = await start({ sendTimeout: 400 });
      const client = await openSocket(port);
      let received = 0;
      let nextPause = 512 * 1024;
      client.socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received < nextPause) return;
        nextPause += 512 * 1024;
        client.socket.pause();
        setTimeout(() => client.socket.resume(), 150);
      });
      client.socket.write('GET /three-mb HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
      await client.closed;
      expect(statusOf(client.received())).to.equal(200);
      expect(client.received().endsWith('y'.repeat(1000))).to.equal(true);
      expect(received).to.be.greaterThan(3 * 1024 * 1024);
    });

    it('waits for a slow source however long it takes', async () => {
      const port = await start({ sendTimeout: 100 });
      const raw = await rawRequest(port, 'GET /trickle HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
      expect(raw).to.include('tick 0\n').and.include('tick 2\n');
    });
  });

  describe('when the server closes', () => {
    it('closes connections that sent nothing or half a request head at once, and drains in-flight requests', async () => {
      let release: () => void = () => {};
      controller.gate = new Promise((resolve) => (release = resolve));
      const port = await start();
      const server = servers[0]!;
      const silent = await openSocket(port);
      const halfHead = await openSocket(port);
      halfHead.socket.write('GET /gated HTTP/1.1\r\nhost: x\r\n');
      const inFlight = fetch(`http://127.0.0.1:${port}/gated`).then((response) => response.text());
      await new Promise((resolve) => setTimeout(resolve, 100));
      let closed = false;
      server.close(() => (closed = true));
      // On node's own close() both would stay open until the client gave up.
      await Promise.all([silent.closed, halfHead.closed]);
      expect(silent.received()).to.equal('');
      expect(halfHead.received()).to.equal('');
      expect(closed).to.equal(false);
      release();
      expect(await inFlight).to.equal('finished');
      await until(() => closed, 2000, 'close()');
    });

    it('ends a keep-alive stream answer in flight at close() once it is sent', async () => {
      let release: () => void = () => {};
      controller.gate = new Promise((resolve) => (release = resolve));
      const port = await start({ keepAliveTimeout: 60_000 });
      const server = servers[0]!;
      const client = await openSocket(port);
      client.socket.write('GET /gated-stream HTTP/1.1\r\nhost: x\r\n\r\n');
      await until(() => client.received().includes('first\n'), 2000, 'the first chunk');
      let closed = false;
      server.close(() => (closed = true));
      release();
      await client.closed;
      expect(client.received()).to.include('last\n');
      await until(() => closed, 2000, 'close()');
    });
  });

  describe('when a request expects 100-continue', () => {
    it('answers 413 at once, without inviting a body over bodyLimit', async () => {
      const port = await start();
      const client = await openSocket(port);
      client.socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\nexpect: 100-continue\r\n\r\n');
      await client.closed;
      expect(client.received()).not.to.include('100 Continue');
      expect(statusOf(client.received())).to.equal(413);
      expect(client.received()).to.include('CREST_BODY_TOO_LARGE');
    });

    it('invites a body within bodyLimit with 100 Continue and serves it', async () => {
      const port = await start();
      const client = await openSocket(port);
      client.socket.write(
        'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-type: text/plain\r\nconnection: close\r\nexpect: 100-continue\r\n\r\n',
      );
      await until(() => client.received().length > 0, 2000, '100 Continue');
      expect(client.received()).to.equal('HTTP/1.1 100 Continue\r\n\r\n');
      client.socket.write('hello');
      await client.closed;
      expect(statusOf(client.received().slice('HTTP/1.1 100 Continue\r\n\r\n'.length))).to.equal(200);
      expect(client.received().endsWith('hello')).to.equal(true);
    });
  });

  describe('when a request has more than 2,000 headers', () => {
    it('keeps every header, and reads the body its Content-Length announces, as Lambda does', async () => {
      const port = await start();
      const filler = 'a: 1\r\n'.repeat(2100);
      const raw = await rawRequest(
        port,
        `POST /last-header HTTP/1.1\r\nhost: x\r\n${filler}connection: close\r\ncontent-type: text/plain\r\nx-last: kept\r\ncontent-length: 4\r\n\r\nbody`,
      );
      expect(statusOf(raw)).to.equal(200);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).to.deep.equal({ last: 'kept', body: 'body' });
    });
  });

  describe('when a body arrives in more pieces than any client needs', () => {
    const chunked = (pieces: number): string =>
      `POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n${'1\r\na\r\n'.repeat(pieces)}0\r\n\r\n`;

    it('answers 413 once the body has arrived in more than 16,384 pieces (6 MB / 384)', async () => {
      app = createApp({ controllers: [HostileController], factory: () => controller });
      const port = await start();
      const client = await openSocket(port);
      client.socket.write(chunked(20_000));
      await client.closed;
      expect(statusOf(client.received())).to.equal(413);
      expect(client.received()).to.include('CREST_BODY_TOO_LARGE');
    });

    it('reads a body of 16,000 pieces', async () => {
      app = createApp({ controllers: [HostileController], factory: () => controller });
      const port = await start();
      const raw = await rawRequest(port, chunked(16_000).replace('host: x', 'host: x\r\nconnection: close'));
      expect(statusOf(raw)).to.equal(200);
      expect(raw.endsWith('a'.repeat(16_000))).to.equal(true);
    });
  });

  describe('when a body arrives in many small chunks', () => {
    it('reads every byte in order', async () => {
      const port = await start();
      const body = Array.from({ length: 999 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
      let chunked = '';
      for (let at = 0, size = 1; at < body.length; at += size, size = (size % 7) + 1) {
        const piece = body.slice(at, at + size);
        chunked += `${piece.length.toString(16)}\r\n${piece}\r\n`;
      }
      const raw = await rawRequest(
        port,
        `POST /echo HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n${chunked}0\r\n\r\n`,
      );
      expect(statusOf(raw)).to.equal(200);
      expect(raw.slice(raw.indexOf('\r\n\r\n') + 4)).to.equal(body);
    });
  });
});
