import { expect } from 'chai';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Controller, createApp, ErrorCodes, Get, HttpRequest, Req } from '../../src';
import { capturingLogger } from '../conformance/capturing-logger';

/*
 * node:http over a real socket: a client that goes away while the request's waitUntil work is
 * pending cancels neither the work nor the shutdown's wait for it, and crashes nothing.
 */

const events: string[] = [];
let release: () => void = () => {};

@Controller()
class Audited {
  @Get('/slow')
  async slow(@Req() req: HttpRequest) {
    req.waitUntil(
      new Promise<void>((resolve) => (release = resolve)).then(() => {
        events.push('work done');
        throw new Error('the audit store went away too');
      }),
    );
    // Answer only once the client has gone.
    await new Promise((resolve) => req.signal.addEventListener('abort', resolve));
    events.push('handler saw the disconnect');
    return { ok: true };
  }
}

describe('waitUntil on node:http', () => {
  describe('when the client disconnects while work is pending', () => {
    it('finishes the work, logs its failure, and app.shutdown() waits for it', async () => {
      const logger = capturingLogger();
      const app = createApp({ controllers: [Audited], logger });
      const server = await app.listen(0, '127.0.0.1');
      try {
        const { port } = server.address() as AddressInfo;
        const socket = connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write('GET /slow HTTP/1.1\r\nhost: localhost\r\n\r\n');
        await new Promise((resolve) => setTimeout(resolve, 50));
        socket.destroy();
        for (let waited = 0; !events.includes('handler saw the disconnect') && waited < 2000; waited += 10) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const shutdown = app.shutdown().then(() => events.push('shut down'));
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(events).to.deep.equal(['handler saw the disconnect']);
        release();
        await shutdown;
        expect(events).to.deep.equal(['handler saw the disconnect', 'work done', 'shut down']);
        const failure = logger.lines.find((line) => line.fields.code === ErrorCodes.WAIT_UNTIL_FAILED);
        const request = logger.lines.find((line) => line.fields.status !== undefined);
        expect(failure?.fields.requestId).to.be.a('string').and.equal(request?.fields.requestId);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
