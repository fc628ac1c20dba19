import { Writable } from 'node:stream';
import type { StreamingHandler } from '../../../src';
import type { LambdaStreamingRuntime, ResponseStreamPrelude } from '../../../src/lambda';

/** The content type `HttpResponseStream.from` gives the invocation response (RIC). */
export const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
const STREAMING_MARK = Symbol.for('aws.lambda.runtime.handler.streaming');

/**
 * The response stream the Node.js runtime hands a streaming handler, reimplemented after the
 * documented contract (aws-lambda-nodejs-runtime-interface-client `ResponseStream.js` and
 * `HttpResponseStream.js`): a Writable whose first `write` call first runs the hook that
 * `HttpResponseStream.from` installed (prelude JSON, then 8 NUL bytes). Writes are acknowledged
 * asynchronously with a small buffer, so a handler that ignores backpressure is caught.
 */
export class LocalResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType: string | undefined;
  /** Writes made while the stream had asked the writer to wait for `drain`. */
  writesIgnoringBackpressure = 0;
  onBeforeFirstWrite: ((write: (chunk: string | Uint8Array) => void) => void) | undefined;
  private firstWriteDone = false;

  constructor(highWaterMark = 16) {
    super({ highWaterMark });
  }

  setContentType(type: string): void {
    this.contentType = type;
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (this.writableNeedDrain) this.writesIgnoringBackpressure++;
    if (!this.firstWriteDone) {
      this.firstWriteDone = true;
      this.onBeforeFirstWrite?.((bytes) => super.write(bytes));
    }
    return super.write(chunk, encoding as BufferEncoding, callback as (error?: Error | null) => void);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    setImmediate(callback);
  }
}

/** The `awslambda` global's streaming half, as the Node.js runtime implements it. */
/** A response stream whose client goes away after `writes` writes (a small buffer forces drains). */
export function disconnectingStream(writes = 5): LocalResponseStream {
  const stream = new LocalResponseStream(16);
  stream.on('error', () => {});
  let count = 0;
  const write = stream.write.bind(stream);
  stream.write = ((chunk: Buffer) => {
    if (++count === writes) setImmediate(() => stream.destroy());
    return write(chunk);
  }) as typeof stream.write;
  return stream;
}

export const localStreamingRuntime: LambdaStreamingRuntime = {
  streamifyResponse(handler) {
    (handler as unknown as Record<symbol, string>)[STREAMING_MARK] = 'response';
    return handler;
  },
  HttpResponseStream: {
    from(stream, prelude) {
      const local = stream as LocalResponseStream;
      local.setContentType(PRELUDE_CONTENT_TYPE);
      const json = JSON.stringify(prelude);
      local.onBeforeFirstWrite = (write) => {
        write(json);
        write(new Uint8Array(DELIMITER.length));
      };
      return stream;
    },
  },
};

/** What the runtime sent for one streamed invocation. */
export interface StreamedInvocation {
  /** Undefined when nothing was ever written (no prelude: the platform would answer 200 with no headers). */
  prelude: ResponseStreamPrelude | undefined;
  body: Buffer;
  contentType: string | undefined;
  /** The stream was ended normally. */
  ended: boolean;
  /** The stream was destroyed with this error (the client or the platform went away). */
  error: Error | undefined;
  writesIgnoringBackpressure: number;
}

/**
 * Invokes a streaming handler on a {@link LocalResponseStream} and splits the wire bytes. Rejects
 * when the handler rejects: the real runtime then ends the upload with error trailers, which only
 * the aws-lambda-ric suite (example/test/lambda-runtime.test.ts) can see.
 */
export async function invokeStreaming(
  handler: StreamingHandler,
  event: unknown,
  context: Parameters<StreamingHandler>[2],
  highWaterMark?: number,
): Promise<StreamedInvocation> {
  const stream = new LocalResponseStream(highWaterMark);
  let error: Error | undefined;
  stream.on('error', (cause) => (error = cause));
  // 'close' follows 'finish' or 'error' (autoDestroy), so every outcome has been observed by then;
  // `stream.closed` turns true before the 'error' event is emitted, so the event itself is awaited.
  const closed = new Promise<void>((resolve) => stream.once('close', resolve));
  await handler(event, stream, context);
  await closed;
  return { ...readWire(stream), ended: stream.writableFinished, error };
}

/** What the runtime has sent on `stream` so far: the prelude (when written) and the body bytes after it. */
export function readWire(
  stream: LocalResponseStream,
): Pick<StreamedInvocation, 'prelude' | 'body' | 'contentType' | 'writesIgnoringBackpressure'> {
  const wire = Buffer.concat(stream.chunks);
  let prelude: ResponseStreamPrelude | undefined;
  let body = wire;
  if (stream.contentType === PRELUDE_CONTENT_TYPE && wire.length > 0) {
    const end = wire.indexOf(DELIMITER);
    if (end === -1) throw new Error('no 8-NUL delimiter after the prelude');
    prelude = JSON.parse(wire.subarray(0, end).toString('utf8')) as ResponseStreamPrelude;
    body = wire.subarray(end + DELIMITER.length);
  }
  return {
    prelude,
    body,
    contentType: stream.contentType,
    writesIgnoringBackpressure: stream.writesIgnoringBackpressure,
  };
}
