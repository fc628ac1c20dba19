import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Controller, Get, HttpResponse, Post, Query } from '../../../src';
import type { ClientResponse } from '../../conformance/transports';

const CITIES = ['東京', 'Osaka', 'Sapporo', 'Fukuoka'];
const CITY_BYTES = CITIES.map((city) => Buffer.byteLength(city));

/** A JSON answer of about `size` bytes, compressible as real API answers are (repeated keys, varied values). */
export function jsonOfSize(size: number): { items: Array<{ id: number; name: string; city: string }> } {
  const items: Array<{ id: number; name: string; city: string }> = [];
  let length = 11;
  for (let id = 0; length < size; id++) {
    const name = `user ${id.toString(36)}`;
    items.push({ id, name, city: CITIES[id % 4]! });
    // {"id":…,"name":"…","city":"…"} and the comma after it
    length += 28 + String(id).length + name.length + CITY_BYTES[id % 4]!;
  }
  return { items };
}

export const LARGE = jsonOfSize(10 * 1024);
export const SMALL = { hello: 'world' };
export const NDJSON_LINES = Array.from(
  { length: 50 },
  (_, i) => `${JSON.stringify({ line: i, text: 'x'.repeat(40) })}\n`,
);

async function* lines(): AsyncGenerator<string> {
  for (const line of NDJSON_LINES) yield line;
}

/** How /tagged-stream's sources ended: ran to the end, or were stopped early. */
export const streamEnds = { finished: 0, stopped: 0 };

/** NDJSON_LINES as a source that counts how it ended (an async generator not yet started would not notice `return()`). */
function probedLines(): AsyncIterable<string> {
  let next = 0;
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<string>> => {
        if (next < NDJSON_LINES.length) return { done: false, value: NDJSON_LINES[next++]! };
        streamEnds.finished++;
        return { done: true, value: undefined };
      },
      return: async (): Promise<IteratorResult<string>> => {
        streamEnds.stopped++;
        return { done: true, value: undefined };
      },
    }),
  };
}

/** Routes the compression and ETag tests share, on every transport. */
@Controller()
export class RepresentationController {
  @Get('/large')
  large() {
    return LARGE;
  }

  @Get('/small')
  small() {
    return SMALL;
  }

  /** Exactly `n` bytes of text: the threshold's edge. */
  @Get('/text')
  text(@Query('n') n: number) {
    return HttpResponse.text('a'.repeat(n));
  }

  /** 4 kB of repetitive bytes under the given Content-Type. */
  @Get('/typed')
  typed(@Query('type') type: string) {
    return HttpResponse.binary(Buffer.from('0123456789abcdef'.repeat(256)), { headers: { 'content-type': type } });
  }

  @Get('/encoded')
  encoded() {
    return HttpResponse.binary(Buffer.from('already gzip, trust me'.repeat(100)), {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
  }

  @Get('/no-transform')
  noTransform() {
    return HttpResponse.json(LARGE, { headers: { 'cache-control': 'public, no-transform' } });
  }

  @Get('/varied')
  varied() {
    return HttpResponse.json(LARGE, { headers: { vary: 'Origin' } });
  }

  @Get('/tagged')
  tagged() {
    return HttpResponse.json(LARGE, { headers: { etag: '"v1"', 'cache-control': 'max-age=60' } });
  }

  @Get('/dated')
  dated() {
    return HttpResponse.json(SMALL, { headers: { 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' } });
  }

  @Get('/empty')
  empty() {
    return undefined;
  }

  @Get('/stream')
  stream() {
    return HttpResponse.stream(lines(), { headers: { 'content-type': 'application/x-ndjson' } });
  }

  @Get('/tagged-stream')
  taggedStream() {
    return HttpResponse.stream(probedLines(), { headers: { 'content-type': 'application/x-ndjson', etag: '"s1"' } });
  }

  @Post('/large')
  postLarge() {
    return LARGE;
  }
}

/** The body as the client reads it once it has undone `content-encoding`. */
export function decoded(response: ClientResponse): Buffer {
  const encoding = response.headers['content-encoding'];
  switch (encoding) {
    case undefined:
      return response.rawBody;
    case 'gzip':
      return gunzipSync(response.rawBody);
    case 'br':
      return brotliDecompressSync(response.rawBody);
    case 'deflate':
      return inflateSync(response.rawBody);
    default:
      throw new Error(`unexpected content-encoding ${JSON.stringify(encoding)}`);
  }
}

/** The Vary header's field names, lower-case. */
export function varyNames(response: ClientResponse): string[] {
  const vary = response.headers.vary;
  const values = vary === undefined ? [] : typeof vary === 'string' ? [vary] : vary;
  return values.flatMap((value) => value.split(',')).map((name) => name.trim().toLowerCase());
}
