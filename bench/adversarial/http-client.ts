import { connect, type Socket } from 'node:net';
import type { BenchRequest } from './classes';
import { WATCHDOG_MS } from './protocol';

/** The request as bytes on the wire (HTTP/1.1, keep-alive). */
export function requestBytes(request: BenchRequest): Buffer {
  const lines = [`${request.method} ${request.url} HTTP/1.1`, 'host: bench'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  if (body === undefined) return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (request.chunkSize === undefined) {
    lines.push(`content-length: ${body.length}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
  }
  lines.push('transfer-encoding: chunked');
  const parts = [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')];
  for (let at = 0; at < body.length; at += request.chunkSize) {
    const chunk = body.subarray(at, at + request.chunkSize);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/**
 * A keep-alive client that pipelines a batch of identical requests (RFC 9112 §9.3.2) and counts
 * the answers, reading each one's status and Content-Length (crest answers every buffered
 * request with one). Pipelining spares the server an idle wake-up per request, whose cost would
 * otherwise hide crest's own. After an answer that closes the connection it reconnects and sends
 * the rest again.
 */
export class RawHttpClient {
  private socket: Socket | undefined;
  private statuses: number[] = [];
  private closesAfter = false;
  private pendingHead: Buffer = Buffer.alloc(0);
  private bodyLeft = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly port: number) {}

  /** Sends `bytes` `count` times, resolves with the statuses. */
  async sendMany(bytes: Buffer, count: number): Promise<number[]> {
    const statuses: number[] = [];
    while (statuses.length < count) {
      if (this.socket === undefined) await this.open();
      const socket = this.socket!;
      const wanted = count - statuses.length;
      this.statuses = [];
      // One write: the requests arrive in full segments, as a pipelining client sends them.
      socket.write(wanted === 1 ? bytes : Buffer.concat(Array.from({ length: wanted }, () => bytes)));
      const deadline = Date.now() + WATCHDOG_MS;
      while (this.statuses.length < wanted && this.socket === socket && !this.closesAfter) {
        if (Date.now() > deadline) throw new Error(`no answer within ${WATCHDOG_MS} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (this.statuses.length === 0) throw new Error('the server closed the connection without answering');
      statuses.push(...this.statuses);
      if (this.closesAfter || this.socket !== socket) this.close();
    }
    return statuses;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Promise<void> {
    this.pendingHead = Buffer.alloc(0);
    this.bodyLeft = 0;
    this.closesAfter = false;
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => {
        if (this.socket === socket) this.read(chunk);
      });
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        this.wake?.();
      });
      socket.on('error', reject);
      socket.once('connect', () => {
        this.socket = socket;
        resolve();
      });
    });
  }

  /** Consumes answer bytes: heads are parsed, bodies skipped by their length. */
  private read(chunk: Buffer): void {
    let rest = chunk;
    while (rest.length > 0 && !this.closesAfter) {
      if (this.bodyLeft > 0) {
        const taken = Math.min(this.bodyLeft, rest.length);
        this.bodyLeft -= taken;
        rest = rest.subarray(taken);
        if (this.bodyLeft === 0) this.wake?.();
        continue;
      }
      const buffered = this.pendingHead.length === 0 ? rest : Buffer.concat([this.pendingHead, rest]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) {
        this.pendingHead = buffered;
        return;
      }
      this.pendingHead = Buffer.alloc(0);
      const head = buffered.subarray(0, end).toString('latin1');
      const status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length === null && status !== 204 && status !== 304 && !/\r\nconnection: *close/i.test(head)) {
        throw new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`);
      }
      this.statuses.push(status);
      this.closesAfter = /\r\nconnection: *close/i.test(head);
      this.bodyLeft = length === null ? 0 : Number(length[1]);
      rest = buffered.subarray(end + 4);
      if (this.bodyLeft === 0) this.wake?.();
    }
  }
}
