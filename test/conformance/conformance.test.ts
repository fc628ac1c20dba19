import { expect } from 'chai';
import { cors, createApp, type App } from '../../src';
import { BINARY, MiscController, UsersController } from './fixtures';
import { transports, type Client, type ClientRequest, type ClientResponse } from './transports';

interface Scenario {
  name: string;
  request: ClientRequest;
  /** Skipped on transports that keep one value per key (ALB single-value mode). */
  multiValue?: boolean;
  /** Skipped where the platform joins repeated request headers with `,` (HTTP API, Function URL). */
  repeatedRequestHeaders?: boolean;
  /** Skipped where the platform hands over an already decoded path (HTTP API). */
  encodedPath?: boolean;
  expect(response: ClientResponse): void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const problem = (response: ClientResponse) => {
  expect(response.headers['content-type']).to.match(/^application\/problem\+json/);
  expect(response.headers['x-content-type-options']).to.equal('nosniff');
  return JSON.parse(response.body) as Record<string, unknown> & { errors?: Array<Record<string, string>> };
};

const scenarios: Scenario[] = [
  {
    name: 'coerces a path parameter and answers JSON',
    request: { url: '/api/users/42' },
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(JSON.parse(res.body)).to.deep.equal({ id: 42 });
    },
  },
  {
    name: 'reaches the root route at the bare prefix',
    request: { url: '/api' },
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(JSON.parse(res.body)).to.deep.equal({ root: true });
    },
  },
  {
    name: 'reaches the root route at the prefix with a slash',
    request: { url: '/api/' },
    expect(res) {
      expect(JSON.parse(res.body)).to.deep.equal({ root: true });
    },
  },
  {
    name: 'strips the prefix only at a segment boundary',
    request: { url: '/apix/users/1' },
    expect(res) {
      expect(res.statusCode).to.equal(404);
      expect(problem(res).code).to.equal('CREST_NOT_FOUND');
    },
  },
  {
    name: 'does not find the prefix inside the path',
    request: { url: '/v1/api/users/1' },
    expect(res) {
      expect(res.statusCode).to.equal(404);
    },
  },
  {
    name: "sends only what the route's @ResponseSchema declares",
    request: { url: '/api/profile' },
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(res.body).to.equal('{"name":"Ada \\"the Countess\\"","address":{"city":"東京"}}');
    },
  },
  {
    name: 'keeps repeated query keys in order',
    request: { url: '/api/search?q=crest&tag=b&tag=a&tag=' },
    multiValue: true,
    expect(res) {
      expect(JSON.parse(res.body)).to.deep.equal({ q: 'crest', tags: ['b', 'a', ''] });
    },
  },
  {
    name: 'decodes query values with form semantics',
    request: { url: '/api/search?q=a+b%2Bc%26d&tag=%E6%9D%B1%E4%BA%AC' },
    expect(res) {
      expect(JSON.parse(res.body)).to.deep.equal({ q: 'a b+c&d', tags: ['東京'] });
    },
  },
  {
    name: 'keeps every value of a repeated header',
    request: { url: '/api/headers', headers: { 'x-multi': ['one', 'two'] } },
    multiValue: true,
    repeatedRequestHeaders: true,
    expect(res) {
      expect(JSON.parse(res.body)).to.deep.equal({ multi: ['one', 'two'], joined: 'one, two' });
    },
  },
  {
    name: 'reads cookies',
    request: { url: '/api/cookies', headers: { cookie: 'session=abc%20def; theme=dark' } },
    expect(res) {
      expect(JSON.parse(res.body)).to.deep.equal({ session: 'abc def', all: { session: 'abc def', theme: 'dark' } });
    },
  },
  {
    name: 'sends several Set-Cookie values intact',
    request: { url: '/api/set-cookies' },
    multiValue: true,
    expect(res) {
      expect(res.cookies).to.deep.equal([
        'a=1; Path=/; HttpOnly',
        'b=2; Expires=Tue, 01 Jan 2030 00:00:00 GMT; Secure',
      ]);
    },
  },
  {
    name: 'validates a DTO body and answers with @HttpCode',
    request: {
      method: 'POST',
      url: '/api/users',
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: 'Ada', age: 36, address: { city: 'London' } }),
    },
    expect(res) {
      expect(res.statusCode).to.equal(201);
      expect(JSON.parse(res.body)).to.deep.equal({ name: 'Ada', age: 36, address: { city: 'London' } });
    },
  },
  {
    name: 'lists every validation problem with its location and dotted path',
    request: {
      method: 'POST',
      url: '/api/users',
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: 7, age: 200, address: { city: 1 }, admin: true }),
    },
    expect(res) {
      expect(res.statusCode).to.equal(400);
      const body = problem(res);
      expect(body.code).to.equal('CREST_VALIDATION');
      const found = body.errors!.map((e) => `${e.in}:${e.path}:${e.code}`).sort();
      expect(found).to.deep.equal([
        'body:address.city:isString',
        'body:admin:whitelistValidation',
        'body:age:max',
        'body:name:isString',
      ]);
    },
  },
  {
    name: 'answers 400 for a parameter that does not coerce',
    request: { url: '/api/users/abc' },
    expect(res) {
      expect(res.statusCode).to.equal(400);
      expect(problem(res).errors).to.deep.equal([
        { in: 'path', path: 'id', code: 'type', message: 'id must be a number' },
      ]);
    },
  },
  {
    name: 'answers 400 for malformed JSON',
    request: { method: 'POST', url: '/api/users', headers: JSON_HEADERS, body: '{"name": "Ada",' },
    expect(res) {
      expect(res.statusCode).to.equal(400);
      expect(problem(res).code).to.equal('CREST_INVALID_JSON');
    },
  },
  {
    name: 'refuses prototype poisoning in a JSON body',
    request: {
      method: 'POST',
      url: '/api/users',
      headers: JSON_HEADERS,
      body: '{"name":"a","age":1,"__proto__":{"admin":true}}',
    },
    expect(res) {
      expect(res.statusCode).to.equal(400);
      expect(problem(res).code).to.equal('CREST_INVALID_JSON');
    },
  },
  {
    name: 'answers 415 for a DTO body that is not JSON',
    request: { method: 'POST', url: '/api/users', headers: { 'content-type': 'text/plain' }, body: 'name=Ada' },
    expect(res) {
      expect(res.statusCode).to.equal(415);
      expect(problem(res).code).to.equal('CREST_UNSUPPORTED_MEDIA_TYPE');
    },
  },
  {
    name: 'answers 405 with Allow for a known path and the wrong method',
    request: { method: 'PUT', url: '/api/users/1' },
    expect(res) {
      expect(res.statusCode).to.equal(405);
      expect(res.headers.allow).to.equal('GET, DELETE, HEAD, OPTIONS');
      expect(problem(res).code).to.equal('CREST_METHOD_NOT_ALLOWED');
    },
  },
  {
    name: 'answers OPTIONS with Allow',
    request: { method: 'OPTIONS', url: '/api/users/1' },
    expect(res) {
      expect(res.statusCode).to.equal(204);
      expect(res.headers.allow).to.equal('GET, DELETE, HEAD, OPTIONS');
      expect(res.body).to.equal('');
    },
  },
  {
    name: 'serves HEAD from GET without a body',
    request: { method: 'HEAD', url: '/api/users/7' },
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(res.body).to.equal('');
    },
  },
  {
    name: 'answers 204 for a handler returning nothing',
    request: { method: 'DELETE', url: '/api/users/3' },
    expect(res) {
      expect(res.statusCode).to.equal(204);
      expect(res.body).to.equal('');
    },
  },
  {
    name: 'turns an HttpError into a problem with its detail',
    request: { method: 'DELETE', url: '/api/users/0' },
    expect(res) {
      expect(res.statusCode).to.equal(409);
      const body = problem(res);
      expect(body).to.include({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'user 0 cannot be deleted',
      });
      expect(body.code).to.equal('CREST_HTTP_ERROR');
    },
  },
  {
    name: 'hides the message and stack of an unexpected error',
    request: { url: '/api/boom' },
    expect(res) {
      expect(res.statusCode).to.equal(500);
      const body = problem(res);
      expect(body.code).to.equal('CREST_INTERNAL');
      expect(res.body).not.to.match(/secret|at .*\.js/);
    },
  },
  {
    name: 'answers text with @SetHeader headers',
    request: { url: '/api/text' },
    expect(res) {
      expect(res.headers['content-type']).to.equal('text/plain; charset=utf-8');
      expect(res.headers['x-served-by']).to.equal('crest');
      expect(res.body).to.equal('hello, world');
    },
  },
  {
    name: 'sends binary bytes intact',
    request: { url: '/api/binary' },
    expect(res) {
      expect(res.headers['content-type']).to.equal('image/png');
      expect(res.rawBody.equals(BINARY)).to.equal(true);
    },
  },
  {
    name: 'receives binary bytes intact',
    request: { method: 'POST', url: '/api/raw', headers: { 'content-type': 'application/octet-stream' }, body: BINARY },
    expect(res) {
      expect(res.rawBody.equals(BINARY)).to.equal(true);
    },
  },
  {
    name: 'decodes an encoded path parameter once and keeps traversal literal',
    request: { url: '/api/files/a%20b..%2F..%2Fetc' },
    encodedPath: true,
    expect(res) {
      expect(JSON.parse(res.body)).to.deep.equal({
        name: 'a b../../etc',
        path: '/api/files/a b../../etc',
        rawPath: '/api/files/a%20b..%2F..%2Fetc',
      });
    },
  },
  {
    name: 'redirects with 302 and Location',
    request: { url: '/api/redirect' },
    expect(res) {
      expect(res.statusCode).to.equal(302);
      expect(res.headers.location).to.equal('/api/text');
    },
  },
  {
    name: 'streams an async generator',
    request: { url: '/api/stream' },
    expect(res) {
      expect(res.statusCode).to.equal(200);
      expect(res.body).to.equal('one,two,three');
    },
  },
  {
    name: 'sends a repeated response header with all its values',
    request: { url: '/api/repeat-header' },
    multiValue: true,
    expect(res) {
      const value = res.headers['x-list'];
      expect(Array.isArray(value) ? value.join(', ') : value).to.equal('a, b');
    },
  },
  {
    name: 'answers 413 for a body over the limit',
    request: {
      method: 'POST',
      url: '/api/raw',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(2048, 1),
    },
    expect(res) {
      expect(res.statusCode).to.equal(413);
      expect(problem(res).code).to.equal('CREST_BODY_TOO_LARGE');
    },
  },
  {
    name: 'answers a CORS preflight',
    request: {
      method: 'OPTIONS',
      url: '/api/users',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    },
    expect(res) {
      expect(res.statusCode).to.equal(204);
      expect(res.headers['access-control-allow-origin']).to.equal('https://app.example');
      expect(res.headers['access-control-allow-methods']).to.include('POST');
    },
  },
  {
    name: 'adds CORS headers to error responses',
    request: { url: '/api/nowhere', headers: { origin: 'https://app.example' } },
    expect(res) {
      expect(res.statusCode).to.equal(404);
      expect(res.headers['access-control-allow-origin']).to.equal('https://app.example');
    },
  },
];

function conformanceApp(): App {
  return createApp({
    controllers: [UsersController, MiscController],
    prefix: '/api',
    bodyLimit: 1024,
    middleware: [cors({ origin: ['https://app.example'] })],
  });
}

describe('conformance', () => {
  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      let client: Client;
      before(async () => {
        client = await transport.start(conformanceApp());
      });
      after(async () => {
        await client.close();
      });
      for (const scenario of scenarios) {
        const skip =
          (scenario.multiValue === true && transport.singleValue === true) ||
          (scenario.repeatedRequestHeaders === true && transport.joinsRequestHeaders === true) ||
          (scenario.encodedPath === true && transport.decodesPath === true);
        (skip ? it.skip : it)(scenario.name, async () => {
          scenario.expect(await client.send(scenario.request));
        });
      }
    });
  }
});
