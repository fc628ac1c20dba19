import { bodyTooLarge } from '../errors';
import { collectStream, contentLength, omitsBody, payloadBytes } from '../http/payload';
import { HttpRequest, type HeaderListMap, type HeaderMap } from '../http/request';
import type { HttpResponse } from '../http/response';
import type { AppCore } from '../core/core';
import { now } from '../clock';

export interface InjectOptions {
  method?: string;
  /** Path and query, e.g. `/users/1?full=true`. */
  url: string;
  headers?: Record<string, string | number | string[]>;
  /** A string or bytes are sent as they are; anything else as JSON (with its content type). */
  body?: string | Uint8Array | object;
  /** The client address `req.ip` reports (default 127.0.0.1). */
  remoteAddress?: string;
}

/** What a client would have received. */
export interface InjectResponse {
  statusCode: number;
  /** Lower-case names; a repeated header is an array. */
  headers: Record<string, string | string[]>;
  /** The `Set-Cookie` strings. */
  cookies: string[];
  /** The body as UTF-8 text. */
  body: string;
  rawBody: Buffer;
  json<T = unknown>(): T;
}

/** Runs the whole pipeline in-process, with the same limits as a real transport. */
export async function inject(core: AppCore, options: InjectOptions): Promise<InjectResponse> {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: HeaderMap = Object.create(null) as HeaderMap;
  const lists: HeaderListMap = Object.create(null) as HeaderListMap;
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const key = name.toLowerCase();
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    lists[key] = values;
    headers[key] = values.join(key === 'cookie' ? '; ' : ', ');
  }
  let body: Buffer | undefined;
  if (typeof options.body === 'string') body = Buffer.from(options.body, 'utf8');
  else if (options.body instanceof Uint8Array) body = Buffer.from(options.body);
  else if (options.body !== undefined) {
    body = Buffer.from(JSON.stringify(options.body), 'utf8');
    headers['content-type'] ??= 'application/json';
    lists['content-type'] ??= [headers['content-type']];
  }
  if (body !== undefined) {
    headers['content-length'] = String(body.length);
    lists['content-length'] = [headers['content-length']];
  }
  const hash = options.url.indexOf('#');
  const url = hash === -1 ? options.url : options.url.slice(0, hash);
  const question = url.indexOf('?');
  const req = new HttpRequest({
    method,
    rawPath: question === -1 ? url : url.slice(0, question),
    rawQuery: question === -1 ? '' : url.slice(question + 1),
    headers,
    headerLists: lists,
    body,
    ip: options.remoteAddress ?? '127.0.0.1',
    source: 'inject',
    raw: { source: 'inject' },
  });
  return core.within(req, answer, core, req, body);
}

async function answer(core: AppCore, req: HttpRequest, body: Buffer | undefined): Promise<InjectResponse> {
  const started = now();
  let response =
    body !== undefined && body.length > core.limits.bodyLimit
      ? core.fail(req, bodyTooLarge(core.limits.bodyLimit))
      : await core.handle(req);
  let rawBody: Buffer;
  if (omitsBody(req.method, response)) {
    rawBody = Buffer.alloc(0);
  } else if (response.body.kind === 'stream') {
    try {
      rawBody = await collectStream(response.body.source);
    } catch (error) {
      // As on node:http and Lambda, a source failing before its first byte is an error answer.
      response = core.fail(req, error);
      rawBody = payloadBytes(response);
    }
  } else {
    rawBody = payloadBytes(response);
  }
  core.responded(req, response, started);
  // waitUntil under inject is node:http's: the caller has the answer, the work goes on, and
  // app.shutdown() waits for it.
  void core.settled(req);
  return toInjectResponse(response, rawBody);
}

function toInjectResponse(response: HttpResponse, rawBody: Buffer): InjectResponse {
  const headers: Record<string, string | string[]> = { ...response.headers };
  const length = response.body.kind === 'stream' ? undefined : contentLength(response);
  if (length !== undefined) headers['content-length'] = String(length);
  if (response.cookies.length > 0) headers['set-cookie'] = [...response.cookies];
  const text = rawBody.toString('utf8');
  return {
    statusCode: response.status,
    headers,
    cookies: [...response.cookies],
    body: text,
    rawBody,
    json: <T>() => JSON.parse(text) as T,
  };
}
