import { expect } from 'chai';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Controller, createApp, ErrorCodes, Get, HttpRequest, HttpResponse, Req, Timeout, type App } from '../../src';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults', () => {
  const aborted: unknown[] = [];

  @Controller()
  class FaultController {
    @Get('/throws') throws() {
      throw new TypeError('undefined is not a function');
    }
    @Get('/rejects') async rejects() {
      await sleep(1);
      throw new Error('async failure');
    }
    @Get('/never') never(@Req() req: HttpRequest) {
      req.signal.addEventListener('abort', () => aborted.push(req.signal.reason));
      return new Promise(() => {});
    }
    @Get('/slow') @Timeout(30) async slow(@Req() req: HttpRequest) {
      await sleep(200);
      return { late: req.signal.aborted };
    }
    @Get('/late-listener') async lateListener(@Req() req: HttpRequest) {
      await sleep(60);
      // The client left before the handler first looked: the signal is aborted already.
      aborted.push(req.signal.aborted ? req.signal.reason : 'not aborted');
      return 'late';
    }
    @Get('/quick') async quick() {
      await sleep(1);
      return 'quick';
    }
    @Get('/hang-stream') hangStream(@Req() req: HttpRequest) {
      return HttpResponse.stream(
        (async function* () {
          yield 'first chunk\n';
          await new Promise((resolve) => req.signal.addEventListener('abort', resolve));
          aborted.push('stream source cancelled');
        })(),
      );
    }
    @Get('/broken-stream') brokenStream() {
      return HttpResponse.stream(
        (async function* () {
          yield 'partial';
          throw new Error('source failed');
        })(),
      );
    }
  }

  let app: App;
  let server: Server;
  let port: number;
  before(async () => {
    app = createApp({ controllers: [FaultController], timeout: 100 });
    server = await app.listen(0, '127.0.0.1', {
      headersTimeout: 300,
      requestTimeout: 500,
      connectionsCheckingInterval: 50,
    });
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);

  const cases: Array<[string, number, string]> = [
    ['/throws', 500, 'CREST_INTERNAL'],
    ['/rejects', 500, 'CREST_INTERNAL'],
    ['/never', 504, 'CREST_TIMEOUT'],
    ['/slow', 504, 'CREST_TIMEOUT'],
  ];
  for (const [path, status, code] of cases) {
    it(`answers ${path} with ${status} ${code} and serves the next request`, async () => {
      const response = await get(path);
      expect(response.status).to.equal(status);
      expect(await response.json()).to.include({ code });
      expect(await (await get('/quick')).text()).to.equal('quick');
    });
  }

  it('aborts req.signal when the handler times out', async () => {
    aborted.length = 0;
    await get('/never');
    expect(aborted).to.have.length(1);
    expect((aborted[0] as { code: string }).code).to.equal('CREST_TIMEOUT');
  });

  describe('when the client disconnects before the answer', () => {
    const disconnectDuring = async (path: string): Promise<void> => {
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
      await sleep(20);
      socket.destroy();
      await sleep(80);
    };

    it('aborts req.signal for a handler listening to it', async () => {
      aborted.length = 0;
      await disconnectDuring('/never');
      expect(aborted).to.have.length(1);
      expect(aborted[0]).to.include({ code: ErrorCodes.CLIENT_GONE });
    });

    it('gives an aborted signal to a handler that reads it only after the client left', async () => {
      aborted.length = 0;
      await disconnectDuring('/late-listener');
      expect(aborted).to.have.length(1);
      expect(aborted[0]).to.include({ code: ErrorCodes.CLIENT_GONE });
    });
  });

  it('honours the Lambda deadline carried by the request', async () => {
    @Controller()
    class Deadline {
      @Get('/wait') async wait() {
        await sleep(1000);
        return 'too late';
      }
    }
    const started = Date.now();
    const response = await createApp({ controllers: [Deadline] }).handle(
      new HttpRequest({ method: 'GET', rawPath: '/wait', headers: {}, source: 'inject', deadline: Date.now() + 400 }),
    );
    expect(response.status).to.equal(504);
    expect(Date.now() - started).to.be.below(400);
  });

  it('cancels the stream source when the client disconnects mid-stream', async () => {
    aborted.length = 0;
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/hang-stream`, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).to.equal('first chunk\n');
    controller.abort();
    await sleep(100);
    expect(aborted).to.deep.equal(['stream source cancelled']);
    expect(await (await get('/quick')).text()).to.equal('quick');
  });

  it('cuts the response short when a stream fails after its first byte', async () => {
    const error = await get('/broken-stream')
      .then((response) => response.text())
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).to.be.instanceOf(Error);
    expect(await (await get('/quick')).text()).to.equal('quick');
  });

  it('cuts off a client that sends its headers too slowly (slowloris)', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /quick HTTP/1.1\r\nhost: x\r\n');
    const started = Date.now();
    const timer = setInterval(() => socket.writable && socket.write('x-drip: 1\r\n'), 50);
    const reply = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    clearInterval(timer);
    expect(Date.now() - started).to.be.below(2000);
    expect(reply).to.match(/^HTTP\/1\.1 408/);
  });
});
