import { readLambdaResult, functionUrlEvent, httpApiEvent } from 'crest/testing';
import type { ApiClient, ApiResponse } from './client';
import { startRic, type RicProcess } from './ric';
import { RuntimeApiEmulator, type InvocationRecord, type InvokeOptions } from './runtime-api';

/** `HttpResponseStream.from`'s content type, and the 8 NUL bytes between its JSON prelude and the body. */
export const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
export const PRELUDE_DELIMITER = Buffer.alloc(8);

/** One execution environment: a Runtime API of its own and the RIC process polling it. */
export interface LambdaFunction {
  invoke(event: unknown, options?: InvokeOptions): Promise<InvocationRecord>;
  api: RuntimeApiEmulator;
  ric: RicProcess;
  stop(): Promise<void>;
}

export async function startFunction(taskRoot: string, handler: string): Promise<LambdaFunction> {
  const api = await RuntimeApiEmulator.start();
  const ric = startRic({ runtimeApi: api.address, taskRoot, handler });
  return {
    api,
    ric,
    // A runtime that dies mid-invocation never answers: fail with what it printed instead of timing out.
    invoke: (event, options) =>
      new Promise((resolve, reject) => {
        void api.invoke(event, options).then(resolve);
        void ric.exited().then(() => reject(new Error(`the RIC exited (${ric.exitCode()}):\n${ric.output()}`)));
      }),
    async stop() {
      await ric.stop();
      await api.close();
    },
  };
}

/** The prelude and the body of a streamed answer, split at the first 8 NUL bytes (JSON escapes NUL, so it cannot hold them). */
export function splitStreamed(record: InvocationRecord): { prelude: StreamPrelude; body: Buffer } {
  const end = record.body.indexOf(PRELUDE_DELIMITER);
  if (record.headers['content-type'] !== PRELUDE_CONTENT_TYPE || end === -1) {
    throw new Error(`not an HTTP integration response: ${record.body.toString('latin1').slice(0, 200)}`);
  }
  return {
    prelude: JSON.parse(record.body.subarray(0, end).toString('utf8')) as StreamPrelude,
    body: record.body.subarray(end + PRELUDE_DELIMITER.length),
  };
}

export interface StreamPrelude {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** Sends through an HTTP API (payload 2.0) to a buffered handler, read back as API Gateway would. */
export function bufferedClient(fn: LambdaFunction): ApiClient {
  return async ({ url, method, headers, body }) => {
    const record = await fn.invoke(httpApiEvent({ url, method, headers, body }));
    if (record.outcome !== 'response' || record.streamed)
      throw new Error(`not a buffered answer: ${summarize(record)}`);
    const view = readLambdaResult(JSON.parse(record.body.toString('utf8')), 'http-api');
    return apiResponse(view.statusCode, view.headers, view.cookies, view.rawBody);
  };
}

/** Sends through a Function URL in RESPONSE_STREAM mode, read back from the prelude and the bytes after it. */
export function streamingClient(fn: LambdaFunction): ApiClient {
  return async ({ url, method, headers, body: payload }) => {
    const record = await fn.invoke(functionUrlEvent({ url, method, headers, body: payload }));
    if (record.outcome !== 'response' || !record.streamed || !record.complete || hasErrorTrailers(record)) {
      throw new Error(`not a complete stream: ${summarize(record)}`);
    }
    const { prelude, body } = splitStreamed(record);
    return apiResponse(prelude.statusCode, prelude.headers ?? {}, prelude.cookies ?? [], body);
  };
}

export function hasErrorTrailers(record: InvocationRecord): boolean {
  return Object.keys(record.trailers).some((name) => name.startsWith('lambda-runtime-function-error-'));
}

function apiResponse(
  status: number,
  headers: Record<string, string | string[]>,
  cookies: string[],
  body: Buffer,
): ApiResponse {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status, headers: flat, cookies, body, json: <T>() => JSON.parse(body.toString('utf8')) as T };
}

function summarize(record: InvocationRecord): string {
  const { body, ...rest } = record;
  return `${JSON.stringify(rest)} ${body.toString('latin1').slice(0, 300)}`;
}
