import { expect } from 'chai';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, createApp, ErrorCodes, Post, UploadedFile } from '../../src';
import { BOUNDARY, multipartBody, MULTIPART_TYPE, NOT_UTF8 } from '../uploads/support/multipart-body';
import { openSocket, statusOf, until } from './support/raw-client';

const FILE_LIMIT = 256 * 1024;

@Controller()
class UploadController {
  handled = 0;

  @Post('/upload')
  upload(@UploadedFile('file', { maxFileSize: FILE_LIMIT, required: true }) file: UploadedFile) {
    this.handled++;
    return { fileName: file.fileName, size: file.size, hex: file.bytes.subarray(0, 16).toString('hex') };
  }
}

const head = (length?: number) =>
  `POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: ${MULTIPART_TYPE}\r\n` +
  (length === undefined ? 'transfer-encoding: chunked\r\n' : `content-length: ${length}\r\n`) +
  '\r\n';
const partHead = (fileName: string) =>
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\n` +
  'content-type: application/octet-stream\r\n\r\n';

describe('uploads over node:http', () => {
  let server: Server;
  let port: number;
  let controller: UploadController;

  beforeEach(async () => {
    controller = new UploadController();
    const app = createApp({
      controllers: [UploadController],
      factory: () => controller,
      multipart: { totalSize: 1024 * 1024 },
    });
    server = await app.listen(0, '127.0.0.1');
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends `body` with node's client, as `pieces` writes (chunked when `chunked`). */
  function send(body: Buffer, { chunked = false, pieces = 1 } = {}) {
    return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/upload',
          headers: chunked
            ? { 'content-type': MULTIPART_TYPE }
            : { 'content-type': MULTIPART_TYPE, 'content-length': body.length },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
        },
      );
      req.on('error', reject);
      const size = Math.ceil(body.length / pieces);
      const writeFrom = (offset: number): void => {
        if (offset >= body.length) return void req.end();
        req.write(body.subarray(offset, offset + size));
        setImmediate(() => writeFrom(offset + size));
      };
      writeFrom(0);
    });
  }

  const upload = multipartBody([
    {
      name: 'file',
      fileName: 'ä.bin',
      contentType: 'application/octet-stream',
      content: Buffer.concat([NOT_UTF8, Buffer.alloc(100_000, 7)]),
    },
  ]);

  describe('when a client sends a whole upload', () => {
    it('parses a Content-Length body', async () => {
      const res = await send(upload);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        fileName: 'ä.bin',
        size: NOT_UTF8.length + 100_000,
        hex: Buffer.concat([NOT_UTF8, Buffer.alloc(7, 7)]).toString('hex'),
      });
    });

    it('parses a chunked body sent in many pieces', async () => {
      const res = await send(upload, { chunked: true, pieces: 97 });
      expect(res.status).to.equal(200);
      expect(res.body.size).to.equal(NOT_UTF8.length + 100_000);
    });
  });

  describe('when a file is over its limit', () => {
    for (const mode of ['content-length', 'chunked'] as const) {
      it(`answers 413 and closes the connection before the client has sent the rest (${mode})`, async () => {
        const rest = Buffer.alloc(512 * 1024, 'r');
        const first = Buffer.concat([Buffer.from(partHead('big.bin')), Buffer.alloc(FILE_LIMIT + 1, 'x')]);
        const total = first.length + rest.length + `\r\n--${BOUNDARY}--\r\n`.length;
        const open = await openSocket(port);
        open.socket.write(head(mode === 'chunked' ? undefined : total));
        open.socket.write(
          mode === 'chunked'
            ? Buffer.concat([Buffer.from(`${first.length.toString(16)}\r\n`), first, Buffer.from('\r\n')])
            : first,
        );
        // The rest of the body is never sent: the answer cannot have waited for it.
        await until(() => open.received().includes('\r\n\r\n{'), 5000, 'the 413 answer');
        expect(statusOf(open.received())).to.equal(413);
        expect(open.received()).to.match(/\r\nconnection: close\r\n/i);
        expect(open.received()).to.include(`"code":"${ErrorCodes.FILE_TOO_LARGE}"`);
        await open.closed;
        expect(controller.handled).to.equal(0);
      });
    }

    it('answers 413 at once to a Content-Length over the multipart total, reading none of the body', async () => {
      const open = await openSocket(port);
      open.socket.write(head(1024 * 1024 + 1));
      await until(() => open.received().includes('\r\n\r\n{'), 5000, 'the 413 answer');
      expect(statusOf(open.received())).to.equal(413);
      expect(open.received()).to.include(`"code":"${ErrorCodes.BODY_TOO_LARGE}"`);
      await open.closed;
    });
  });

  describe('when a boundary inside the file cuts it', () => {
    it(`answers 400 ${ErrorCodes.INVALID_MULTIPART}, the boundary split across the chunks it arrives in`, async () => {
      const cut = multipartBody([
        {
          name: 'file',
          fileName: 'a.bin',
          contentType: 'application/octet-stream',
          content: Buffer.concat([Buffer.from(`x\r\n--${BOUNDARY}\r\n`), NOT_UTF8, Buffer.alloc(1000, 1)]),
        },
      ]);
      const res = await send(cut, { chunked: true, pieces: 400 });
      expect([res.status, res.body.code]).to.deep.equal([400, ErrorCodes.INVALID_MULTIPART]);
      expect(controller.handled).to.equal(0);
    });
  });

  describe('when the client disconnects mid-upload', () => {
    it('drops the upload without calling the handler and keeps serving', async () => {
      const open = await openSocket(port);
      open.socket.write(head(upload.length));
      open.socket.write(upload.subarray(0, 50_000));
      await new Promise((resolve) => setTimeout(resolve, 50));
      open.socket.destroy();
      await open.closed;
      const res = await send(upload);
      expect(res.status).to.equal(200);
      expect(controller.handled).to.equal(1);
    });
  });
});
