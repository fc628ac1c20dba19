import { expect } from 'chai';
import { Expose, Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import {
  Body,
  Controller,
  cors,
  createApp,
  Get,
  Header,
  Param,
  Post,
  Query,
  type App,
  type CorsOptions,
} from '../../src';
import {
  httpTransport,
  transports,
  type Client,
  type ClientRequest,
  type ClientResponse,
  type Transport,
} from './transports';

class Note {
  @IsString() text!: string;
}

/** `@Expose` renames a key: class-transformer builds the instance, not crest. */
class RenamedNote {
  @Expose({ name: 'note_text' }) @IsString() text!: string;
}

/** class-validator's `@ArrayUnique()` compares every pair of items. */
class Tags {
  @IsArray() @ArrayUnique() tags!: number[];
}

class TagGroups {
  @ValidateNested({ each: true }) @Type(() => Tags) groups!: Tags[];
}

/** crest builds this one itself, free-form object included. */
class TaggedNote {
  @IsString() text!: string;
  @IsOptional() @IsObject() tags?: object;
}

@Controller()
class EdgeController {
  @Post('/notes') note(@Body() note: Note) {
    return note;
  }
  @Post('/renamed-notes') renamedNote(@Body() note: RenamedNote) {
    return note;
  }
  @Post('/tags') tags(@Body() body: Tags) {
    return { tags: body.tags.length };
  }
  @Post('/tag-groups') tagGroups(@Body() body: TagGroups) {
    return { groups: body.groups.length };
  }
  @Post('/tagged-notes') taggedNote(@Body() note: TaggedNote) {
    return { tags: Object.keys(note.tags ?? {}).length };
  }
  @Get('/q') query(@Query('q') q: string) {
    return { q };
  }
  @Get('/p/:name') param(@Param('name') name: string) {
    return { name };
  }
  @Get('/file/:name') file(@Param('name') name: string) {
    return { name };
  }
  @Get('/auth') auth(@Header('authorization') authorization: string) {
    return { authorization };
  }
}

type OriginOption = NonNullable<CorsOptions['origin']>;
const ORIGINS: Record<string, OriginOption> = {
  pattern: /^https:\/\/[^/]+\.example\.com$/,
  list: ['https://app.example.com', 'https://あ.example.com', 'https://x\u0001.example.com'],
  predicate: () => true,
};

interface Case {
  name: string;
  request: ClientRequest;
  /** Which `cors()` origin option the app uses (default `pattern`). */
  origins?: keyof typeof ORIGINS;
  status: number;
  /** Why a transport cannot carry this request at all, if it cannot. */
  cannotCarry?: (transport: Transport) => string | undefined;
  expect?(response: ClientResponse): void;
}

const json = (response: ClientResponse) => JSON.parse(response.body) as Record<string, unknown>;
const noCorsGrant = (response: ClientResponse) => {
  for (const name of Object.keys(response.headers)) expect(name).not.to.match(/^access-control-allow-/);
};
const keepsOnlyLastValue = (transport: Transport) =>
  transport.singleValue === true
    ? 'ALB single-value mode delivers only the last value of a repeated header'
    : undefined;
const decodesPath = (transport: Transport) =>
  transport.decodesPath === true ? 'HTTP API decodes the path before Lambda sees it' : undefined;
const asciiTargetsOnly = (transport: Transport) =>
  transport === httpTransport
    ? "node:http's parser refuses raw non-ASCII in the request target (its own 400)"
    : undefined;
const noControlCharacters = (transport: Transport) =>
  transport === httpTransport ? 'node:http refuses control characters in a header value' : undefined;

const POST_NOTE = { method: 'POST', url: '/notes', body: '{"text":"hi"}' };
const JSON_TYPE = { 'content-type': 'application/json' };
/** `"k0":1,"k1":1,…`: `count` members. */
const members = (count: number) => Array.from({ length: count }, (_, i) => `"k${i}":1`).join(',');
const problemCode = (code: string) => (res: ClientResponse) => expect(json(res).code).to.equal(code);
const preflight = (origin: string, headers: Record<string, string> = {}): ClientRequest => ({
  method: 'OPTIONS',
  url: '/q',
  headers: { origin, 'access-control-request-method': 'GET', ...headers },
});

const numbers = (count: number) => Array.from({ length: count }, (_, i) => i).join(',');

const cases: Case[] = [
  {
    name: 'an @ArrayUnique() array of 1,001 items',
    request: { method: 'POST', url: '/tags', headers: JSON_TYPE, body: `{"tags":[${numbers(1001)}]}` },
    status: 400,
    expect: problemCode('CREST_TOO_MANY_ITEMS'),
  },
  {
    name: 'an @ArrayUnique() array of 1,001 items in a nested DTO',
    request: {
      method: 'POST',
      url: '/tag-groups',
      headers: JSON_TYPE,
      body: `{"groups":[{"tags":[1]},{"tags":[${numbers(1001)}]}]}`,
    },
    status: 400,
    expect: (res) => {
      expect(json(res).code).to.equal('CREST_TOO_MANY_ITEMS');
      expect(json(res).detail).to.include('groups.1.tags');
    },
  },
  {
    name: 'an @ArrayUnique() array of 1,000 items',
    request: { method: 'POST', url: '/tags', headers: JSON_TYPE, body: `{"tags":[${numbers(1000)}]}` },
    status: 200,
    expect: (res) => expect(json(res).tags).to.equal(1000),
  },
  {
    name: 'an @Expose DTO body of 1,001 members (class-transformer would compare every pair)',
    request: { method: 'POST', url: '/renamed-notes', headers: JSON_TYPE, body: `{"note_text":"a",${members(1000)}}` },
    status: 400,
    expect: problemCode('CREST_TOO_MANY_KEYS'),
  },
  {
    name: 'an @Expose DTO body with an unknown key holding 1,001 members',
    request: {
      method: 'POST',
      url: '/renamed-notes',
      headers: JSON_TYPE,
      body: `{"note_text":"a","x":{${members(1001)}}}`,
    },
    status: 400,
    expect: problemCode('CREST_TOO_MANY_KEYS'),
  },
  {
    name: 'an @Expose DTO body of 1,001 members, one name repeated (counted each time)',
    request: {
      method: 'POST',
      url: '/renamed-notes',
      headers: JSON_TYPE,
      body: `{${Array.from({ length: 1001 }, () => '"note_text":"a"').join(',')}}`,
    },
    status: 400,
    expect: problemCode('CREST_TOO_MANY_KEYS'),
  },
  {
    name: 'an @Expose DTO body of 1,000 members: its unknown keys listed by class-validator',
    request: { method: 'POST', url: '/renamed-notes', headers: JSON_TYPE, body: `{"note_text":"a",${members(999)}}` },
    status: 400,
    expect: (res) => {
      expect(json(res).code).to.equal('CREST_VALIDATION');
      expect(json(res).omittedErrors).to.equal(979);
    },
  },
  {
    name: 'a DTO crest builds itself, with a free-form object of 5,000 members (no cap)',
    request: {
      method: 'POST',
      url: '/tagged-notes',
      headers: JSON_TYPE,
      body: `{"text":"a","tags":{${members(5000)}}}`,
    },
    status: 200,
    expect: (res) => expect(json(res).tags).to.equal(5000),
  },
  {
    name: 'Content-Type sent twice, JSON first',
    request: { ...POST_NOTE, headers: { 'content-type': ['application/json', 'text/plain'] } },
    status: 400,
    cannotCarry: keepsOnlyLastValue,
    expect: (res) => expect(json(res).code).to.equal('CREST_BAD_HEADER'),
  },
  {
    name: 'Content-Type sent twice, JSON last',
    request: { ...POST_NOTE, headers: { 'content-type': ['text/plain', 'application/json'] } },
    status: 400,
    cannotCarry: keepsOnlyLastValue,
    expect: (res) => expect(json(res).code).to.equal('CREST_BAD_HEADER'),
  },
  {
    name: 'a Content-Type listing two media types',
    request: { ...POST_NOTE, headers: { 'content-type': 'application/json, text/plain' } },
    status: 400,
    expect: (res) => expect(json(res).code).to.equal('CREST_BAD_HEADER'),
  },
  {
    name: 'Authorization sent twice (node:http kept only the first)',
    request: { url: '/auth', headers: { authorization: ['Bearer a', 'Bearer b'] } },
    status: 200,
    cannotCarry: (transport) =>
      keepsOnlyLastValue(transport) ??
      (transport.joinsRequestHeaders === true ? 'HTTP API and Function URLs join repeats with "," alone' : undefined),
    expect: (res) => expect(json(res).authorization).to.equal('Bearer a, Bearer b'),
  },
  {
    name: 'Host sent twice (RFC 9112 §3.2: a 400, whichever one a proxy routed by)',
    request: { url: '/q?q=1', headers: { host: ['api.example.com', 'evil.example'] } },
    status: 400,
    cannotCarry: keepsOnlyLastValue,
    expect: (res) => expect(json(res).code).to.equal('CREST_BAD_HEADER'),
  },
  {
    name: 'a Content-Type with a comma inside a quoted parameter',
    request: { ...POST_NOTE, headers: { 'content-type': 'application/json; note="a,b"' } },
    status: 200,
  },
  {
    name: '?q= and 3,000 literal commas (REST and Lattice re-encode them to 9,000 characters)',
    request: { url: `/q?q=${','.repeat(3000)}` },
    status: 200,
    expect: (res) => expect(json(res).q).to.equal(','.repeat(3000)),
  },
  {
    name: '?q= and 3,000 encoded commas (9,000 characters as sent)',
    request: { url: `/q?q=${'%2C'.repeat(3000)}` },
    status: 200,
  },
  {
    name: 'a query of 9,000 characters',
    request: { url: `/q?q=${'x'.repeat(9000)}` },
    status: 414,
    expect: (res) => expect(json(res).code).to.equal('CREST_URI_TOO_LONG'),
  },
  {
    name: 'a malformed escape in the path (%zz)',
    request: { url: '/p/%zz' },
    status: 400,
    cannotCarry: decodesPath,
    expect: (res) => expect(json(res).code).to.equal('CREST_BAD_URL'),
  },
  {
    name: 'a malformed escape in the query (%zz), read as URLSearchParams does',
    request: { url: '/q?q=%zz' },
    status: 200,
    expect: (res) => expect(json(res).q).to.equal('%zz'),
  },
  {
    name: 'escaped bytes that are not UTF-8 in the query',
    request: { url: '/q?q=%E3%81' },
    status: 200,
    expect: (res) => expect(json(res).q).to.equal('\ufffd'),
  },
  {
    name: 'a preflight asking for a header name that is not a token (x-あ)',
    request: preflight('https://app.example.com', { 'access-control-request-headers': 'x-あ' }),
    status: 204,
    expect: noCorsGrant,
  },
  {
    name: 'a preflight asking for token headers',
    request: preflight('https://app.example.com', { 'access-control-request-headers': 'x-a, content-type' }),
    status: 204,
    expect: (res) => {
      expect(res.headers['access-control-allow-origin']).to.equal('https://app.example.com');
      expect(res.headers['access-control-allow-headers']).to.equal('x-a, content-type');
    },
  },
  ...(['pattern', 'list', 'predicate'] as const).flatMap((origins): Case[] => [
    {
      name: `a non-ASCII origin matched by a ${origins} (https://あ.example.com)`,
      request: { url: '/q?q=1', headers: { origin: 'https://あ.example.com' } },
      origins,
      status: 200,
      expect: noCorsGrant,
    },
    {
      name: `a preflight from a non-ASCII origin matched by a ${origins}`,
      request: preflight('https://あ.example.com'),
      origins,
      status: 204,
      expect: noCorsGrant,
    },
    {
      name: `an origin with a control character matched by a ${origins}`,
      request: { url: '/q?q=1', headers: { origin: 'https://x\u0001.example.com' } },
      origins,
      status: 200,
      cannotCarry: noControlCharacters,
      expect: noCorsGrant,
    },
  ]),
  {
    name: 'a trailing-slash redirect from a non-ASCII path (/file/あ/)',
    request: { url: '/file/あ/' },
    status: 308,
    cannotCarry: asciiTargetsOnly,
    expect: (res) => expect(res.headers.location).to.equal('../%E3%81%82'),
  },
  {
    name: 'a trailing-slash redirect from /file/あ/ with a non-ASCII query value',
    request: { url: '/file/あ/?q=あ&r=a%20b' },
    status: 308,
    cannotCarry: asciiTargetsOnly,
    expect: (res) => {
      expect(res.headers.location).to.equal('../%E3%81%82?q=%E3%81%82&r=a%20b');
      expect(new URL(res.headers.location as string, 'https://api.test/stage/file/x/').href).to.equal(
        'https://api.test/stage/file/%E3%81%82?q=%E3%81%82&r=a%20b',
      );
    },
  },
];

function edgeApp(origins: keyof typeof ORIGINS): App {
  return createApp({
    controllers: [EdgeController],
    trailingSlash: 'redirect',
    middleware: [cors({ origin: ORIGINS[origins]! })],
  });
}

describe('every transport gives the same answer at the edges', () => {
  for (const transport of transports) {
    describe(`over ${transport.name}`, () => {
      const clients = new Map<string, Client>();
      const client = async (origins: keyof typeof ORIGINS): Promise<Client> => {
        let started = clients.get(origins);
        if (started === undefined) clients.set(origins, (started = await transport.start(edgeApp(origins))));
        return started;
      };
      after(async () => {
        for (const started of clients.values()) await started.close();
      });

      for (const scenario of cases) {
        const reason = scenario.cannotCarry?.(transport);
        if (reason !== undefined) {
          it.skip(`${scenario.name} (${reason})`);
          continue;
        }
        it(`answers ${scenario.status} for ${scenario.name}`, async () => {
          const response = await (await client(scenario.origins ?? 'pattern')).send(scenario.request);
          expect(response.statusCode, response.body).to.equal(scenario.status);
          scenario.expect?.(response);
        });
      }
    });
  }
});
