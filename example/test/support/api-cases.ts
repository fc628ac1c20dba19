import { expect } from 'chai';
import type { ApiClient, ApiResponse } from './client';
import { codesWithPrefix } from './data';

/** One row of the table: a request and what any store, over any transport, must answer. */
export interface ApiCase {
  name: string;
  /**
   * Its answers depend on what earlier requests did to this deployment's store (a counter), so two
   * deployments answer it differently: it is run against each, never compared between them.
   */
  stateful?: true;
  run(client: ApiClient, context: CaseContext): Promise<void>;
}

export interface CaseContext {
  store: 'embedded' | 'redis';
  /** The data set's size. */
  codes: number;
}

interface Problem {
  status: number;
  code: string;
  detail?: string;
  errors?: Array<{ in: string; path: string; code: string }>;
}

const CHIYODA = { prefecture: '東京都', locality: '千代田区千代田', address: '東京都千代田区千代田' };

function expectJson(response: ApiResponse, status = 200): void {
  expect(response.status, response.body.toString()).to.equal(status);
  expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
}

function expectProblem(response: ApiResponse, status: number, code: string): Problem {
  expect(response.status, response.body.toString()).to.equal(status);
  expect(response.headers['content-type']).to.match(/^application\/problem\+json/);
  const problem = response.json<Problem>();
  expect(problem).to.include({ status, code });
  return problem;
}

async function badQuery(client: ApiClient, url: string, paths: string[]): Promise<void> {
  const problem = expectProblem(await client({ url }), 400, 'CREST_VALIDATION');
  expect(problem.errors!.map((issue) => issue.path)).to.include.members(paths);
  expect(problem.errors!.every((issue) => issue.in === 'query')).to.equal(true);
}

function parseSetCookie(header: string): { pair: string; attributes: string[] } {
  const [pair, ...attributes] = header.split(/;\s*/);
  // serverless-offline (hapi) re-serializes cookies, adding an Expires derived from Max-Age.
  const kept = attributes.map((attribute) => attribute.toLowerCase()).filter((a) => !a.startsWith('expires='));
  return { pair: pair!, attributes: kept.sort() };
}

/** A POST of one file as a browser sends it: encoded by the platform's own FormData. */
async function multipartUpload(url: string, field: string, content: string, fileName: string, type = 'text/csv') {
  const form = new FormData();
  form.append(field, new Blob([content], { type }), fileName);
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  return { url, method: 'POST', headers: { 'content-type': encoded.headers.get('content-type')! }, body };
}

const badCodes = ['100001', '10000011', 'abcdefg', '100-0001', '１０００００１', ''];

export const apiCases: ApiCase[] = [
  {
    name: 'looks up a code: GET /api/postal_code?code=1000001',
    async run(client) {
      const response = await client({ url: '/api/postal_code?code=1000001' });
      expectJson(response);
      expect(response.json()).to.deep.equal({ code: '1000001', addresses: [CHIYODA] });
    },
  },
  {
    name: 'lists every address of a code that spans two prefectures',
    async run(client) {
      const response = await client({ url: '/api/postal_code?code=4980000' });
      expectJson(response);
      expect(response.json()).to.deep.equal({
        code: '4980000',
        addresses: [
          { prefecture: '愛知県', locality: '弥富市', address: '愛知県弥富市' },
          { prefecture: '三重県', locality: '桑名郡木曽岬町', address: '三重県桑名郡木曽岬町' },
        ],
      });
    },
  },
  {
    name: 'keeps leading zeros (Hokkaido codes)',
    async run(client) {
      const response = await client({ url: '/api/postal_code?code=0600000' });
      expectJson(response);
      expect(response.json<{ addresses: Array<{ prefecture: string }> }>().addresses[0]!.prefecture).to.equal('北海道');
    },
  },
  {
    name: 'answers a malformed code with a 400 problem naming the query field',
    async run(client) {
      for (const code of badCodes)
        await badQuery(client, `/api/postal_code?code=${encodeURIComponent(code)}`, ['code']);
      await badQuery(client, '/api/postal_code', ['code']);
      await badQuery(client, '/api/postal_code?code=1000001&code=1000002', ['code']);
    },
  },
  {
    name: 'answers an unknown code with a 404 problem',
    async run(client) {
      const problem = expectProblem(await client({ url: '/api/postal_code?code=9999999' }), 404, 'UNKNOWN_POSTAL_CODE');
      expect(problem.detail).to.contain('9999999');
    },
  },
  {
    name: 'counts the answered lookups of a code, not the unknown ones: GET /api/postal_code/lookups',
    stateful: true,
    async run(client) {
      const count = async (code: string): Promise<unknown> => {
        const response = await client({ url: `/api/postal_code/lookups?code=${code}` });
        expectJson(response);
        return response.json<{ lookups: number }>().lookups;
      };
      const before = await count('1000002');
      expectJson(await client({ url: '/api/postal_code?code=1000002' }));
      expectProblem(await client({ url: '/api/postal_code?code=9999999' }), 404, 'UNKNOWN_POSTAL_CODE');
      // The count is written after the answer (waitUntil); the next request's read follows it
      // (the embedded store counts at once, Redis runs one connection's commands in order).
      expect(await count('1000002')).to.equal(Number(before) + 1);
      expect(await count('9999999')).to.equal(0);
    },
  },
  {
    name: 'rejects query parameters the API does not know',
    async run(client) {
      await badQuery(client, '/api/postal_code?code=1000001&verbose=1', ['verbose']);
    },
  },
  {
    name: 'searches by prefix, in code order, one page at a time',
    async run(client) {
      const first = await client({ url: '/api/postal_codes?prefix=100&limit=3' });
      expectJson(first);
      const page = first.json<{ prefix: string; items: Array<{ code: string }>; nextCursor: string | null }>();
      expect(page.prefix).to.equal('100');
      expect(page.items.map((item) => item.code)).to.deep.equal(['1000000', '1000001', '1000002']);
      expect(page.items[1]).to.deep.equal({ code: '1000001', addresses: [CHIYODA] });
      expect(page.nextCursor).to.equal('1000002');
      const second = await client({ url: `/api/postal_codes?prefix=100&limit=3&cursor=${page.nextCursor}` });
      expectJson(second);
      expect(second.json<{ items: Array<{ code: string }> }>().items.map((item) => item.code)).to.deep.equal(
        codesWithPrefix('100').slice(3, 6),
      );
    },
  },
  {
    name: 'pages through a whole prefix without gaps or repeats',
    async run(client) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/postal_codes?prefix=060&limit=100${cursor === null ? '' : `&cursor=${cursor}`}`;
        const response = await client({ url });
        expectJson(response);
        const page = response.json<{ items: Array<{ code: string }>; nextCursor: string | null }>();
        seen.push(...page.items.map((item) => item.code));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).to.deep.equal(codesWithPrefix('060'));
    },
  },
  {
    name: 'defaults the page size to 20 and ends with a null cursor',
    async run(client) {
      const full = await client({ url: '/api/postal_codes?prefix=10000' });
      expect(full.json<{ items: unknown[] }>().items).to.have.length(Math.min(20, codesWithPrefix('10000').length));
      const exact = await client({ url: '/api/postal_codes?prefix=1000001' });
      expect(exact.json()).to.deep.equal({
        prefix: '1000001',
        items: [{ code: '1000001', addresses: [CHIYODA] }],
        nextCursor: null,
      });
      const none = await client({ url: '/api/postal_codes?prefix=0000' });
      expect(none.json()).to.deep.equal({ prefix: '0000', items: [], nextCursor: null });
    },
  },
  {
    name: 'validates the search query',
    async run(client) {
      await badQuery(client, '/api/postal_codes', ['prefix']);
      await badQuery(client, '/api/postal_codes?prefix=10a', ['prefix']);
      await badQuery(client, '/api/postal_codes?prefix=12345678', ['prefix']);
      await badQuery(client, '/api/postal_codes?prefix=100&limit=0', ['limit']);
      await badQuery(client, '/api/postal_codes?prefix=100&limit=101', ['limit']);
      await badQuery(client, '/api/postal_codes?prefix=100&limit=ten', ['limit']);
      await badQuery(client, '/api/postal_codes?prefix=100&cursor=12', ['cursor']);
    },
  },
  {
    name: 'looks up several codes given as repeated query keys',
    async run(client) {
      const response = await client({ url: '/api/postal_codes/batch?code=1000001&code=9999999&code=1000001' });
      expectJson(response);
      expect(response.json()).to.deep.equal({
        items: [{ code: '1000001', addresses: [CHIYODA] }],
        missing: ['9999999'],
      });
      const single = await client({ url: '/api/postal_codes/batch?code=1000001' });
      expect(single.json<{ items: unknown[] }>().items).to.have.length(1);
      await badQuery(client, '/api/postal_codes/batch?code=1000001&code=12', ['code']);
      await badQuery(client, `/api/postal_codes/batch?${Array.from({ length: 51 }, () => 'code=1000001').join('&')}`, [
        'code',
      ]);
    },
  },
  {
    name: 'looks up the codes of an uploaded CSV file (multipart/form-data)',
    async run(client) {
      const csv = 'code,note\r\n100-0001,東京\r\n9999999,x\r\n1000001,again\r\n';
      const response = await client(await multipartUpload('/api/postal_codes/upload', 'codes', csv, '郵便番号.csv'));
      expectJson(response);
      expect(response.json()).to.deep.equal({
        items: [{ code: '1000001', addresses: [CHIYODA] }],
        missing: ['9999999'],
      });
      const refused = await client(
        await multipartUpload('/api/postal_codes/upload', 'codes', 'x', 'a.png', 'image/png'),
      );
      expectProblem(refused, 415, 'CREST_UNSUPPORTED_FILE_TYPE');
      const unexpected = await client(await multipartUpload('/api/postal_codes/upload', 'other', csv, 'a.csv'));
      expect(expectProblem(unexpected, 400, 'CREST_VALIDATION').errors).to.deep.include({
        in: 'body',
        path: 'other',
        code: 'unexpectedFile',
        message: 'file field "other" is not expected',
      });
    },
  },
  {
    name: 'exports every code under a prefix as NDJSON',
    async run(client) {
      const response = await client({ url: '/api/postal_codes/export?prefix=100' });
      expect(response.status).to.equal(200);
      expect(response.headers['content-type']).to.equal('application/x-ndjson; charset=utf-8');
      const lines = response.body.toString('utf8').split('\n');
      expect(lines.pop()).to.equal('');
      const entries = lines.map((line) => JSON.parse(line) as { code: string });
      expect(entries.map((entry) => entry.code)).to.deep.equal(codesWithPrefix('100'));
      expect(entries[1]).to.deep.equal({ code: '1000001', addresses: [CHIYODA] });
      await badQuery(client, '/api/postal_codes/export', ['prefix']);
    },
  },
  {
    name: 'reports health with the store and its size',
    async run(client, context) {
      const response = await client({ url: '/api/health' });
      expectJson(response);
      expect(response.json()).to.deep.equal({ status: 'ok', store: context.store, codes: context.codes });
    },
  },
  {
    name: 'answers unknown paths with a 404 problem',
    async run(client) {
      expectProblem(await client({ url: '/api/nothing' }), 404, 'CREST_NOT_FOUND');
      expectProblem(await client({ url: '/apix/postal_code?code=1000001' }), 404, 'CREST_NOT_FOUND');
    },
  },
  {
    name: 'demo: hands repeated query keys to the app in order',
    async run(client) {
      const response = await client({ url: '/api/demo/query?tag=b&tag=a&tag=b&one=1&empty=' });
      expectJson(response);
      expect(response.json()).to.deep.equal({ tag: ['b', 'a', 'b'], one: ['1'], empty: [''] });
    },
  },
  {
    name: 'demo: reads cookies and sets two',
    async run(client) {
      const response = await client({ url: '/api/demo/cookies', headers: { cookie: 'visits=41; theme=dark' } });
      expectJson(response);
      expect(response.json()).to.deep.equal({ visits: 42, theme: 'dark' });
      // API Gateway emulation reorders attributes; what matters is each cookie whole.
      expect(response.cookies.map(parseSetCookie)).to.deep.equal([
        { pair: 'visits=42', attributes: ['httponly', 'path=/', 'samesite=lax'] },
        { pair: 'seen=yes', attributes: ['max-age=3600', 'path=/'] },
      ]);
    },
  },
  {
    name: 'demo: returns binary bytes intact',
    async run(client) {
      const response = await client({ url: '/api/demo/bytes?size=300' });
      expect(response.status).to.equal(200);
      expect(response.headers['content-type']).to.equal('application/octet-stream');
      expect([...response.body]).to.deep.equal(Array.from({ length: 300 }, (_, i) => i % 256));
    },
  },
];
