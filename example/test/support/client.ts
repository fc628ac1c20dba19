import type { App } from 'crest';

/** What a client saw, whatever carried the request. */
export interface ApiResponse {
  status: number;
  /** Lower-case names, values joined; `set-cookie` is in `cookies`. */
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
  json<T = unknown>(): T;
}

export interface ApiRequest {
  url: string;
  /** GET unless given. */
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

/** Sends requests to the example app, in-process or over a socket. */
export type ApiClient = (request: ApiRequest) => Promise<ApiResponse>;

export function injectClient(app: App): ApiClient {
  return async ({ url, method, headers, body }) => {
    const response = await app.inject({ url, method, headers, body });
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (name !== 'set-cookie') flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return toApiResponse(response.statusCode, flat, response.cookies, response.rawBody);
  };
}

/** Real HTTP with fetch against `baseUrl` (`http://127.0.0.1:1234`, or a stage path under it). */
export function httpClient(baseUrl: string): ApiClient {
  return async ({ url, method, headers, body: payload }) => {
    const response = await fetch(baseUrl + url, {
      method,
      headers,
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    const flat: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') flat[name] = value;
    });
    const body = Buffer.from(await response.arrayBuffer());
    return toApiResponse(response.status, flat, response.headers.getSetCookie(), body);
  };
}

function toApiResponse(status: number, headers: Record<string, string>, cookies: string[], body: Buffer): ApiResponse {
  return { status, headers, cookies, body, json: <T>() => JSON.parse(body.toString('utf8')) as T };
}
