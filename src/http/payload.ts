import type { HttpResponse, StreamSource } from './response';

/** Statuses that never carry a body (RFC 9110 §6.4.1). */
export function isBodylessStatus(status: number): boolean {
  return status < 200 || status === 204 || status === 205 || status === 304;
}

/**
 * The Content-Length a buffered response carries: the payload's size (also for HEAD, RFC 9110
 * §9.3.2), and none for 1xx/204/205/304, where RFC 9110 §8.6 forbids a wrong one.
 */
export function contentLength(response: HttpResponse): number | undefined {
  if (isBodylessStatus(response.status)) return undefined;
  const payload = response.payload();
  if (payload === undefined) return 0;
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
}

/**
 * Pulls a stream's first chunk before anything is sent, so that a source failing at once
 * becomes an ordinary error response on every transport (Lambda streaming does the same).
 */
export async function primeStream(
  source: StreamSource,
): Promise<{ iterator: AsyncIterator<Uint8Array | string>; first: IteratorResult<Uint8Array | string> }> {
  const iterator = source[Symbol.asyncIterator]();
  return { iterator, first: await iterator.next() };
}

/** Stops a stream source, swallowing what its cleanup throws: the answer is already decided. */
export function cancelStream(iterator: AsyncIterator<unknown> | undefined): void {
  try {
    void iterator?.return?.()?.then(undefined, () => undefined);
  } catch {
    // A synchronous throw from return() is as irrelevant as a rejection.
  }
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

/** Reads a whole stream source into one buffer (its callers bound the size themselves). */
export async function collectStream(source: StreamSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

const EMPTY = Buffer.alloc(0);
