import type { HttpResponse, StreamSource } from './response';

/** Statuses that never carry a body (RFC 9110 §6.4.1). */
export function isBodylessStatus(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

/** Whether the response must go out without a body: HEAD, 1xx, 204, 304. */
export function omitsBody(method: string, response: HttpResponse): boolean {
  return method === 'HEAD' || isBodylessStatus(response.status);
}

/** The buffered body as bytes (strings as UTF-8); empty for no body. */
export function payloadBytes(response: HttpResponse): Buffer {
  const payload = response.payload();
  if (payload === undefined) return EMPTY;
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

/** Reads a whole stream source into one buffer, stopping with an error past `limit` bytes. */
export async function collectStream(source: StreamSource, limit = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > limit) throw new RangeError(`stream exceeds ${limit} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

const EMPTY = Buffer.alloc(0);
