import type { Transform } from 'node:stream';
import type { StreamSource } from '../http/response';

/**
 * Compresses a streamed body as it flows: each chunk of `source` is written to `compressor` and
 * flushed (`flushKind`: `Z_SYNC_FLUSH`, or brotli's `BROTLI_OPERATION_FLUSH`), so every chunk the
 * handler produces (an SSE event, an NDJSON line) reaches the client as soon as it is made,
 * decodable on its own, instead of waiting in zlib's window for more input. Pulled one chunk at
 * a time, so the transport's backpressure reaches the source; stopping the iteration (a client
 * gone) stops the source and frees the compressor.
 */
export async function* compressStream(
  source: StreamSource,
  compressor: Transform & { flush(kind: number, callback: () => void): void },
  flushKind: number,
): AsyncGenerator<Buffer> {
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
    for await (const chunk of source) {
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
