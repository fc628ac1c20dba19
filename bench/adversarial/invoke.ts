import type { App } from '../../src';
import { albEvent, httpApiEvent, lambdaContext, restApiEvent, type TestRequest } from '../../src/testing';
import type { BenchRequest, Transport } from './classes';

/** One request, ready to go: everything built beforehand, so only crest's work is timed. */
export type Invocation = () => Promise<number>;

type HeaderRecord = Record<string, string | string[]>;

/** Repeated names as lists, as the builders and inject() take them. */
function headerRecord(headers: Array<[string, string]>): HeaderRecord {
  const record: HeaderRecord = {};
  for (const [name, value] of headers) {
    const current = record[name];
    if (current === undefined) record[name] = value;
    else if (Array.isArray(current)) current.push(value);
    else record[name] = [current, value];
  }
  return record;
}

/** Builds the invocations of one request for an in-process transport. */
export function createInvoker(app: App, transport: Exclude<Transport, 'node'>): (request: BenchRequest) => Invocation {
  if (transport === 'inject') {
    return (request) => {
      const options = {
        method: request.method,
        url: request.url,
        headers: headerRecord(request.headers),
        body: request.body,
      };
      return async () => (await app.inject(options)).statusCode;
    };
  }
  if (transport === 'json-parse') {
    // What crest's req.json() does before any check of its own: the bytes to text, then parse.
    return (request) => {
      const bytes = Buffer.from(request.body ?? '');
      return async () => {
        try {
          JSON.parse(bytes.toString('utf8'));
          return 200;
        } catch {
          return 400;
        }
      };
    };
  }
  const handler = app.lambda();
  const build = (init: TestRequest): { body?: string | null; isBase64Encoded?: boolean } =>
    transport === 'rest' ? restApiEvent(init) : transport === 'http-api' ? httpApiEvent(init) : albEvent(init);
  return (request) => {
    const bytes = Buffer.isBuffer(request.body) ? request.body : undefined;
    const event = build({
      method: request.method,
      url: request.url,
      headers: headerRecord(request.headers),
      body: bytes === undefined ? request.body : '',
    });
    // Bytes that may not be UTF-8 arrive base64-encoded, whatever their content type says.
    if (bytes !== undefined) {
      event.body = bytes.toString('base64');
      event.isBase64Encoded = true;
    }
    const context = lambdaContext({ timeoutMs: 900_000 });
    return async () => ((await handler(event, context)) as { statusCode: number }).statusCode;
  };
}
