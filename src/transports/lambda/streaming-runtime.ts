import type { Writable } from 'node:stream';
import type { LambdaRuntimeContext } from './types';

/** The metadata `HttpResponseStream.from` writes before the body. */
export interface ResponseStreamPrelude {
  statusCode: number;
  headers: Record<string, string>;
  /** REST API streaming only. */
  multiValueHeaders?: Record<string, string[]>;
  /** Function URLs: each becomes a `Set-Cookie` (a flat `headers` map would drop all but one: hono#2921). */
  cookies?: string[];
}

export type StreamingHandler = (
  event: unknown,
  responseStream: Writable,
  context: LambdaRuntimeContext,
) => Promise<void>;

/**
 * The part of the Lambda Node.js runtime's `awslambda` global that response streaming uses.
 * Older @types/aws-lambda versions do not declare the global and newer ones declare it with
 * their own types, so crest declares only the shape it needs and reads it from `globalThis`:
 * its published types then clash with neither.
 *
 * The runtime contract (RIC `HttpResponseStream.js`): `from(stream, prelude)` sets the content
 * type `application/vnd.awslambda.http-integration-response` and, on the first write, sends
 * `JSON.stringify(prelude)` then 8 NUL bytes; the body follows. Without a first write no prelude
 * is ever sent. A handler that rejects makes the runtime end the upload with the
 * `Lambda-Runtime-Function-Error-Type`/`-Body` trailers (the error's name, and its name, message
 * and stack as base64 JSON) and go on to the next invocation; crest never destroys the stream,
 * which in aws-lambda-ric 4 rejects an internal promise nothing handles, ending the process.
 */
export interface LambdaStreamingRuntime {
  streamifyResponse(handler: StreamingHandler): unknown;
  HttpResponseStream: { from(stream: Writable, prelude: ResponseStreamPrelude): Writable };
}

/** The runtime's `awslambda` global, when running on Lambda. */
export function globalStreamingRuntime(): LambdaStreamingRuntime | undefined {
  const runtime = (globalThis as unknown as { awslambda?: Partial<LambdaStreamingRuntime> }).awslambda;
  return runtime !== undefined &&
    typeof runtime.streamifyResponse === 'function' &&
    typeof runtime.HttpResponseStream?.from === 'function'
    ? (runtime as LambdaStreamingRuntime)
    : undefined;
}
