import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../src';

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
              headers: request.headers,
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

/** Every transport the conformance suite runs; the Lambda adapter adds its event sources here. */
export const transports: Transport[] = [injectTransport, httpTransport];
