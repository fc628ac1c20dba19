import type { Transform } from 'node:stream';
import { cancelStream } from '../http/payload';
import type { StreamSource } from '../http/response';

/** A zlib or brotli compressor, as node:zlib's `create*` functions make them. */
export type Compressor = Transform & { flush(kind: number, callback: () => void): void };

/**
 * Compresses a streamed body as it flows: each chunk of `source` is written to a compressor and
 * flushed (`flushKind`: `Z_SYNC_FLUSH`, or brotli's `BROTLI_OPERATION_FLUSH`), so every chunk the
 * handler produces (an SSE event, an NDJSON line) reaches the client as soon as it is made,
 * decodable on its own, instead of waiting in zlib's window for more input. Pulled one chunk at
 * a time, so the transport's backpressure reaches the source; stopping the iteration (a client
 * gone, a 304 made of the answer) stops the source, even before the first chunk, and frees the
 * compressor, which is only made when the first chunk is asked for.
 */
export function compressStream(
  source: StreamSource,
  createCompressor: () => Compressor,
  flushKind: number,
): AsyncIterable<Buffer> {
  const input = source[Symbol.asyncIterator]();
  const output = compressChunks(input, createCompressor, flushKind);
  let started = false;
  const iterator: AsyncIterator<Buffer> = {
    next: () => {
      started = true;
      return output.next();
    },
    // An async generator stopped before it started never runs its cleanup: the source is told here.
    return: (value?: unknown) => {
      if (!started) cancelStream(input);
      return output.return(value);
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

async function* compressChunks(
  input: AsyncIterator<Uint8Array | string>,
  createCompressor: () => Compressor,
  flushKind: number,
): AsyncGenerator<Buffer> {
  const compressor = createCompressor();
  const output: Buffer[] = [];
  let failure: Error | undefined;
  // Flowing mode: zlib pushes its output before it calls back, so a flush's bytes are here when
  // its callback runs (and a slow reader never stalls zlib on a full readable buffer).
  compressor.on('data', (bytes: Buffer) => output.push(bytes));
  compressor.on('error', (error: Error) => (failure = error));
  const taken = (): Buffer => {
    if (failure !== undefined) throw failure;
    const bytes = output.length === 1 ? output[0]! : Buffer.concat(output);
    output.length = 0;
    return bytes;
  };
  try {
    for await (const chunk of { [Symbol.asyncIterator]: () => input }) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (bytes.byteLength === 0) continue;
      compressor.write(bytes);
      await new Promise<void>((resolve) => compressor.flush(flushKind, resolve));
      const compressed = taken();
      if (compressed.byteLength > 0) yield compressed;
    }
    await new Promise<void>((resolve, reject) => {
      compressor.once('end', resolve);
      compressor.once('error', reject);
      compressor.end();
    });
    const rest = taken();
    if (rest.byteLength > 0) yield rest;
  } finally {
    compressor.destroy();
  }
}
