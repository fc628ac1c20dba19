/**
 * The hostile input classes: each builds a request whose hostile part has a given size. Sizes
 * run 1×, 4× and 16× a base chosen so that 16× sits at the limit that bounds the class: the
 * 6 MB body limit, the 8,192-character URL, node's 16 KB of request headers, the 500-character
 * path parameter.
 */

/** How a request reaches crest; `json-parse` is no transport but JSON.parse alone, for reference. */
export type Transport = 'inject' | 'rest' | 'http-api' | 'alb' | 'node' | 'json-parse';
const IN_PROCESS: readonly Transport[] = ['inject', 'rest', 'http-api', 'alb'];
const EVERY: readonly Transport[] = [...IN_PROCESS, 'node'];
// Bodies reach crest the same way from REST and HTTP API events (a string, or base64): the
// body classes skip HTTP API to keep the run within minutes.
const BODY_TRANSPORTS: readonly Transport[] = ['inject', 'rest', 'alb'];
// A JSON body class also times JSON.parse by itself on the same bytes: the part no framework avoids.
const JSON_TRANSPORTS: readonly Transport[] = [...BODY_TRANSPORTS, 'json-parse'];

/** A request as a client sends it. */
export interface BenchRequest {
  method: string;
  /** Path and query, percent-encoded as sent. */
  url: string;
  /** In order; a name may repeat. */
  headers: Array<[string, string]>;
  /** Text is sent as it is; bytes (which may not be UTF-8) base64-encoded on Lambda. */
  body?: string | Buffer;
  /** node:http only: the body in chunked encoding, this many bytes a chunk. */
  chunkSize?: number;
}

export interface HostileClass {
  name: string;
  /** What grows with the size. */
  what: string;
  /** The 1× size. */
  base: number;
  transports: readonly Transport[];
  build(size: number): BenchRequest;
}

export const SCALES = [1, 4, 16] as const;

const BODY = 375_000; // × 16 = 6,000,000 bytes, under the 6 MiB default body limit
const URL = 500; // × 16 = 8,000 characters, under maxUrlLength (8,192)
const HEADER = 937; // × 16 = 14,992 bytes, under node's 16 KB of request headers
const PARAM = 31; // × 16 = 496 characters, under maxParamLength (500)

/** `head` + pieces (`piece(i)`, joined by `separator`) + `tail`, about `size` characters long. */
function repeatTo(size: number, head: string, piece: (i: number) => string, separator: string, tail: string): string {
  const parts: string[] = [];
  let length = head.length + tail.length;
  for (let i = 0; length < size; i++) {
    const next = piece(i);
    parts.push(next);
    length += next.length + separator.length;
  }
  return head + parts.join(separator) + tail;
}

const json = (url: string, body: string | Buffer, contentType = 'application/json'): BenchRequest => ({
  method: 'POST',
  url,
  headers: [['content-type', contentType]],
  body,
});
const get = (url: string, headers: Array<[string, string]> = []): BenchRequest => ({ method: 'GET', url, headers });
/** A long digit run ending in a non-digit: the worst case for a backtracking number pattern. */
const digits = (size: number): string => `${'1'.repeat(Math.max(0, size - 1))}x`;
/** The widest object crest hands class-transformer: its unique-keys step costs keys² per object. */
const WIDEST_OBJECT = `{${Array.from({ length: 1000 }, (_, i) => `"k${i}":1`).join(',')}}`;
const THOUSAND_NUMBERS = `{"ids":[${Array.from({ length: 1000 }, (_, i) => i).join(',')}]}`;
const GOOD_ITEMS = Array.from({ length: 1000 }, () => '{"name":"a","qty":1}').join(',');
const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** A JSON body class, sized up to the body limit. */
const jsonBody = (name: string, url: string, body: (size: number) => string | Buffer): HostileClass => ({
  name,
  what: 'body bytes',
  base: BODY,
  transports: JSON_TRANSPORTS,
  build: (size) => json(url, body(size)),
});

/** A class about request parsing, through every transport. */
const parsed = (name: string, what: string, base: number, build: (size: number) => BenchRequest): HostileClass => ({
  name,
  what,
  base,
  transports: EVERY,
  build,
});

export const CLASSES: readonly HostileClass[] = [
  jsonBody('unknown keys → DTO', '/item', (size) =>
    repeatTo(size, '{"name":"a","qty":1,', (i) => `"k${i}":1`, ',', '}'),
  ),
  jsonBody('unknown keys → @Expose DTO (class-transformer builds it)', '/exposed', (size) =>
    repeatTo(size, '{"item_name":"a","qty":1,', (i) => `"k${i}":1`, ',', '}'),
  ),
  jsonBody('objects of 1,000 keys under an unknown key → DTO', '/item', (size) =>
    repeatTo(size, '{"name":"a","qty":1,"x":[', () => WIDEST_OBJECT, ',', ']}'),
  ),
  jsonBody('objects of 1,000 keys under an unknown key → @Expose DTO', '/exposed', (size) =>
    repeatTo(size, '{"item_name":"a","qty":1,"x":[', () => WIDEST_OBJECT, ',', ']}'),
  ),
  jsonBody('objects of 1,000 keys under an unknown key → discriminated nested DTO', '/pet', (size) =>
    repeatTo(size, '{"pet":{"kind":"cat","name":"a","x":[', () => WIDEST_OBJECT, ',', ']}}'),
  ),
  // Each level names its class last: the scan reads at most 4 KiB of an object for it.
  jsonBody('discriminated values nested 500 deep, each named last', '/tree', (size) => {
    const open = '{"root":' + '{"child":'.repeat(500) + '{"kind":"branch","name":"';
    const close = '"}' + ',"kind":"branch"}'.repeat(500) + '}';
    return `${open}${'a'.repeat(Math.max(0, size - open.length - close.length))}${close}`;
  }),
  jsonBody('distinct numbers in an @ArrayUnique() array', '/unique-ids', (size) =>
    repeatTo(size, '{"ids":[', (i) => String(i), ',', ']}'),
  ),
  jsonBody('@ArrayUnique() arrays of 1,000 distinct numbers in nested items', '/unique-id-groups', (size) =>
    repeatTo(size, '{"groups":[', () => THOUSAND_NUMBERS, ',', ']}'),
  ),
  jsonBody('bad nested items after 1,000 good ones', '/order', (size) =>
    repeatTo(size, `{"items":[${GOOD_ITEMS},`, () => '{"name":1,"qty":"x"}', ',', ']}'),
  ),
  jsonBody('one known key repeated → DTO', '/item', (size) =>
    repeatTo(size, '{', () => '"name":"a"', ',', ',"qty":1}'),
  ),
  jsonBody('wrong types in nested items', '/order', (size) =>
    repeatTo(size, '{"items":[', () => '{"name":1,"qty":"x"}', ',', ']}'),
  ),
  jsonBody('long number in a DTO field', '/item', (size) => `{"name":"a","qty":${'1'.repeat(size - 20)}}`),
  jsonBody('deep JSON, fast DTO plan', '/tags', (size) => `{"name":"a","tags":${deep((size - 20) >> 1)}}`),
  jsonBody(
    'deep JSON, class-validator path',
    '/tags-checked',
    (size) => `{"name":"a","tags":${deep((size - 20) >> 1)}}`,
  ),
  jsonBody('wide JSON (empty arrays), fast DTO plan', '/tags', (size) =>
    repeatTo(size, '{"name":"a","tags":[', () => '[]', ',', ']}'),
  ),
  jsonBody('invalid UTF-8 in a JSON string', '/item', (size) =>
    Buffer.concat([Buffer.from('{"name":"'), Buffer.alloc(size - 20, 0xff), Buffer.from('","qty":1}')]),
  ),
  jsonBody('large valid body (array of DTO items)', '/order', (size) =>
    repeatTo(size, '{"items":[', () => '{"name":"a","qty":1}', ',', ']}'),
  ),
  jsonBody('large valid body with one \\u escape (reviver path)', '/order', (size) =>
    repeatTo(size, '{"items":[{"name":"\\u0061","qty":1},', () => '{"name":"a","qty":1}', ',', ']}'),
  ),
  parsed('Content-Type with many parameters', 'header bytes', HEADER, (size) =>
    json(
      '/item',
      '{"name":"a","qty":1}',
      repeatTo(size, 'application/json', () => '; p=1', '', ''),
    ),
  ),
  parsed('long number in @Param', 'parameter characters', PARAM, (size) => get(`/number/${digits(size)}`)),
  parsed('long number in @Query', 'query characters', URL, (size) => get(`/number-query?n=${digits(size - 16)}`)),
  parsed('long number in @Header', 'header bytes', HEADER, (size) => get('/number-header', [['x-n', digits(size)]])),
  parsed('long number in @Cookie', 'header bytes', HEADER, (size) =>
    get('/number-cookie', [['cookie', `n=${digits(size - 2)}`]]),
  ),
  parsed('many query pairs → list', 'query characters', URL, (size) =>
    get(repeatTo(size, '/tag-list?', () => 'tag=a', '&', '')),
  ),
  parsed('many unknown query keys → DTO', 'query characters', URL, (size) =>
    get(repeatTo(size, '/search?', (i) => `k${i}=1`, '&', '')),
  ),
  parsed('many distinct headers', 'header bytes', HEADER, (size) => {
    const headers: Array<[string, string]> = [];
    for (let i = 0, length = 0; length < size; i++, length += `x-h${i}: 1\r\n`.length) headers.push([`x-h${i}`, '1']);
    return get('/header', [...headers, ['x-r', 'v']]);
  }),
  parsed('one header repeated', 'header bytes', HEADER, (size) =>
    get(
      '/header',
      Array.from({ length: Math.ceil(size / 8) }, (): [string, string] => ['x-r', '1']),
    ),
  ),
  parsed('many cookies', 'header bytes', HEADER, (size) =>
    get('/cookie', [['cookie', repeatTo(size, '', (i) => `c${i}=1`, '; ', '')]]),
  ),
  parsed('long path parameter', 'parameter characters', PARAM, (size) => get(`/segment/${'a'.repeat(size)}`)),
  parsed('many path segments', 'path characters', URL, (size) => get(repeatTo(size, '/wild/', () => 'a', '/', ''))),
  parsed('percent-encoded path', 'path characters', URL, (size) => get(repeatTo(size, '/wild/', () => '%41', '', ''))),
  parsed('CORS preflight, many request headers', 'header bytes', HEADER, (size) => ({
    method: 'OPTIONS',
    url: '/header',
    headers: [
      ['origin', 'https://app.example'],
      ['access-control-request-method', 'GET'],
      ['access-control-request-headers', repeatTo(size, '', (i) => `x-a${i}`, ', ', '')],
    ],
  })),
  parsed('CORS, long unlisted Origin', 'header bytes', HEADER, (size) =>
    get('/header', [['origin', `https://${'a'.repeat(size - 20)}.example`]]),
  ),
  {
    name: 'body in 1-byte chunks',
    what: 'body bytes',
    base: 16_384,
    transports: ['node'],
    build: (size) => ({
      method: 'POST',
      url: '/bytes',
      headers: [['content-type', 'application/octet-stream']],
      body: Buffer.alloc(size, 'a'),
      chunkSize: 1,
    }),
  },
];

/** The cheapest request, for each transport's fixed cost per request. */
export const BASELINE: HostileClass = {
  name: 'baseline: GET /ping',
  what: '—',
  base: 1,
  transports: EVERY,
  build: () => get('/ping'),
};

export function findClass(name: string): HostileClass {
  const found = [BASELINE, ...CLASSES].find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no hostile class named ${JSON.stringify(name)}`);
  return found;
}
