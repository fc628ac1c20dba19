import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src';
import { functionUrlEvent, lambdaContext, readLambdaResult, type ResultPlatform } from '../../src/testing';
import { bufferedSource } from '../lambda/support/buffered-sources';
import { invokeStreaming, localStreamingRuntime } from '../lambda/support/local-streaming-runtime';

/** A request as a client writes it. */
export interface ClientRequest {
  method?: string;
  /** Path and query as sent on the wire (percent-encoded). */
  url: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** What the client received, whatever the transport. */
export interface ClientResponse {
  statusCode: number;
  /** Lower-case names; repeated headers as arrays; set-cookie excluded (see `cookies`). */
  headers: Record<string, string | string[]>;
  cookies: string[];
  body: string;
  rawBody: Buffer;
}

export interface Client {
  send(request: ClientRequest): Promise<ClientResponse>;
  close(): Promise<void>;
}

/** One way of reaching an app: in-process, over a socket, through a Lambda event source. */
export interface Transport {
  name: string;
  /**
   * The transport keeps only one value per query key and header, and one Set-Cookie (ALB in
   * single-value mode); scenarios about repeated values are skipped for it.
   */
  singleValue?: boolean;
  /**
   * Repeated request headers reach the app as one comma-joined value (`one,two`): HTTP API and
   * Function URLs join them before Lambda sees the event, and a comma inside a value makes the
   * join irreversible.
   */
  joinsRequestHeaders?: boolean;
  /**
   * The app receives the path already decoded (HTTP API): an encoded `/` (`%2F`) arrives as a
   * real `/`, so it cannot be kept literal.
   */
  decodesPath?: boolean;
  start(app: App): Promise<Client>;
}

export const injectTransport: Transport = {
  name: 'inject',
  async start(app) {
    return {
      async send(request) {
        const response = await app.inject({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: request.body,
        });
        const headers = { ...response.headers };
        delete headers['set-cookie'];
        return {
          statusCode: response.statusCode,
          headers,
          cookies: response.cookies,
          body: response.body,
          rawBody: response.rawBody,
        };
      },
      close: async () => {},
    };
  },
};

export const httpTransport: Transport = {
  name: 'node:http',
  async start(app) {
    const server = await app.listen(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    return {
      send: (request) =>
        new Promise<ClientResponse>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method: request.method ?? 'GET',
              path: request.url,
              // node's client refuses a list for Host; the flat [name, value, …] form sends each line.
              headers: Array.isArray(request.headers?.host)
                ? Object.entries(utf8HeaderBytes(request.headers)!).flatMap(([name, value]) =>
                    (Array.isArray(value) ? value : [value]).flatMap((one) => [name, one]),
                  )
                : utf8HeaderBytes(request.headers),
              agent: false,
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('error', reject);
              res.on('end', () => {
                const rawBody = Buffer.concat(chunks);
                const headers: Record<string, string | string[]> = {};
                for (const [name, values] of Object.entries(res.headersDistinct)) {
                  if (name === 'set-cookie' || name === 'date' || name === 'connection' || name === 'keep-alive')
                    continue;
                  if (values !== undefined) headers[name] = values.length === 1 ? values[0]! : values;
                }
                resolve({
                  statusCode: res.statusCode ?? 0,
                  headers,
                  cookies: res.headersDistinct['set-cookie'] ?? [],
                  body: rawBody.toString('utf8'),
                  rawBody,
                });
              });
            },
          );
          req.on('error', reject);
          req.end(request.body);
        }),
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  },
};

/**
 * Header values as a client puts them on the wire, UTF-8 encoded: node:http's client takes a
 * string per byte (Latin-1) and refuses characters beyond U+00FF.
 */
function utf8HeaderBytes(headers: ClientRequest['headers']): ClientRequest['headers'] {
  if (headers === undefined) return undefined;
  const bytes: Record<string, string | string[]> = {};
  const encode = (value: string) => Buffer.from(value, 'utf8').toString('latin1');
  for (const [name, value] of Object.entries(headers))
    bytes[name] = Array.isArray(value) ? value.map(encode) : encode(value);
  return bytes;
}

/**
 * A Lambda event source: the request becomes the event that source sends (crest/testing
 * builders, modelled on the captures in test/fixtures/aws-events), and the result is read back the way
 * the platform reads it (only its header map, base64 decoded, 502 on what it would refuse).
 */
function lambdaTransport(
  platform: ResultPlatform,
  limits: Pick<Transport, 'singleValue' | 'joinsRequestHeaders' | 'decodesPath'> = {},
): Transport {
  const { name, event } = bufferedSource(platform);
  return {
    name: `Lambda ${name}`,
    ...limits,
    async start(app) {
      const handler = app.lambda();
      return {
        async send(request) {
          const result = await handler(event(request), lambdaContext());
          return readLambdaResult(result, platform);
        },
        close: async () => {},
      };
    },
  };
}

export const restApiTransport = lambdaTransport('rest-api');
export const httpApiTransport = lambdaTransport('http-api', { joinsRequestHeaders: true, decodesPath: true });
export const functionUrlTransport = lambdaTransport('function-url', { joinsRequestHeaders: true });
export const albSingleTransport = lambdaTransport('alb-single', { singleValue: true });
export const albMultiTransport = lambdaTransport('alb-multi');
export const latticeTransport = lambdaTransport('lattice');

/**
 * A Function URL in RESPONSE_STREAM mode, through a local implementation of the runtime's
 * streaming contract: the response is read from the prelude and the bytes after it.
 */
export const functionUrlStreamingTransport: Transport = {
  name: 'Lambda Function URL, response streaming',
  joinsRequestHeaders: true,
  async start(app) {
    const handler = app.lambdaStreaming({ runtime: localStreamingRuntime });
    return {
      async send(request) {
        const streamed = await invokeStreaming(handler, functionUrlEvent(request), lambdaContext());
        if (streamed.error !== undefined) throw streamed.error;
        if (streamed.prelude === undefined) throw new Error('the handler never wrote the prelude');
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(streamed.prelude.headers)) headers[name.toLowerCase()] = value;
        return {
          statusCode: streamed.prelude.statusCode,
          headers,
          cookies: streamed.prelude.cookies ?? [],
          body: streamed.body.toString('utf8'),
          rawBody: streamed.body,
        };
      },
      close: async () => {},
    };
  },
};

/** Every transport the conformance suite runs. */
export const transports: Transport[] = [
  injectTransport,
  httpTransport,
  restApiTransport,
  httpApiTransport,
  functionUrlTransport,
  albSingleTransport,
  albMultiTransport,
  latticeTransport,
  functionUrlStreamingTransport,
];
