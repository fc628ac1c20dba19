import { expect } from 'chai';
import { HttpError } from '../../src';
import { MAX_JSON_DEPTH, parseJsonBody, scanJson, itemSample, type JsonKeyLevel } from '../../src/http/json-body';

function level(keys: Record<string, JsonKeyLevel | null>): JsonKeyLevel {
  const map = new Map(Object.entries(keys));
  return { keys: map, encoded: [...map.keys()].map((key) => ({ key, bytes: Buffer.from(key) })) };
}

const item = level({ qty: null });
const order = level({ name: null, items: item, owner: level({ city: null }), meta: null });

function unknownOf(json: string, listed = 20) {
  const found = scanJson(Buffer.from(json), order, listed);
  return (
    found && { count: found.count, paths: found.first.map(({ parent, key }) => (parent ? `${parent}.${key}` : key)) }
  );
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof HttpError ? error.code : 'not an HttpError';
  }
  return undefined;
}

describe('scanJson', () => {
  describe('when given the keys of a DTO', () => {
    const cases: Array<[string, string, number, string[]]> = [
      ['declared keys only', '{"name":"a","items":[{"qty":1}],"owner":{"city":"x"}}', 0, []],
      [
        'unknown keys at every level',
        '{"a":1,"items":[{"qty":1},{"b":2}],"owner":{"c":[{"d":1}]}}',
        3,
        ['a', 'items.1.b', 'owner.c'],
      ],
      ['keys inside a free-form value', '{"meta":{"a":{"b":1}},"name":"x"}', 0, []],
      ['keys inside an unknown value', '{"x":{"a":1,"b":[{"c":1}]}}', 1, ['x']],
      ['an escaped declared key', '{"n\\u0061me":"a","\\"q\\"":1}', 1, ['"q"']],
      [
        'brackets, quotes and backslashes in strings',
        '{"name":"{[\\"\\\\","x\\\\":"]}","owner":{"city":"\\\\"}}',
        1,
        ['x\\'],
      ],
      ['a multi-byte key', '{"名前":1,"name":"é"}', 1, ['名前']],
      ['whitespace everywhere', ' {\n "items" : [ { "qty" : 1 , "z" : 2 } ] } ', 1, ['items.0.z']],
      ['a top-level array', '[{"a":1}]', 0, []],
    ];
    for (const [name, json, count, paths] of cases) {
      it(`finds ${count} in ${name}`, () => {
        expect(unknownOf(json)).to.deep.equal({ count, paths });
      });
    }

    it('lists only the first few, and counts them all', () => {
      const keys = Array.from({ length: 100 }, (_, i) => `"k${i}":1`).join(',');
      const found = unknownOf(`{${keys}}`, 3);
      expect(found).to.deep.equal({ count: 100, paths: ['k0', 'k1', 'k2'] });
    });

    for (const broken of ['{"a":1', '{"a":"1}', '{"a":1}}', ']', '{"\\u00zz":1}']) {
      it(`leaves ${broken} to JSON.parse`, () => {
        expect(unknownOf(broken)).to.equal(undefined);
      });
    }
  });

  describe('when asked for the first items of a top-level array', () => {
    const sampleOf = (json: string, wanted = 2) => {
      const sample = itemSample(wanted);
      const found = scanJson(Buffer.from(json), order, 20, { samples: new Map([['items', sample]]) });
      const { occurrences, isArray, count, ranges } = sample;
      return found && { occurrences, isArray, count, items: ranges.map(([start, end]) => json.slice(start, end)) };
    };
    const cases: Array<[string, string, ReturnType<typeof sampleOf>]> = [
      [
        'items of every kind',
        '{"name":"a","items":[{"qty":1,"x":[1,2]}, "s,]" ,[3,{}],4]}',
        { occurrences: 1, isArray: true, count: 4, items: ['{"qty":1,"x":[1,2]}', ' "s,]" '] },
      ],
      ['an empty array', '{"items":[ ]}', { occurrences: 1, isArray: true, count: 0, items: [] }],
      ['a value that is no array', '{"items":{"qty":1}}', { occurrences: 1, isArray: false, count: 0, items: [] }],
      [
        'the key twice (JSON.parse keeps the last)',
        '{"items":[1,2,3],"items":[4]}',
        { occurrences: 2, isArray: true, count: 1, items: ['4'] },
      ],
      [
        'the key below the top level',
        '{"owner":{"items":[1]}}',
        { occurrences: 0, isArray: false, count: 0, items: [] },
      ],
    ];
    for (const [name, json, expected] of cases) {
      it(`finds ${name}`, () => {
        expect(sampleOf(json)).to.deep.equal(expected);
      });
    }

    it('keeps a few items spread evenly over the rest of a long array', () => {
      const spreadOf = (length: number) => {
        const items = Array.from({ length }, (_, i) => `{"qty":${i}}`);
        const json = `{"items":[${items.join(',')}]}`;
        const sample = itemSample(2);
        scanJson(Buffer.from(json), order, 20, { samples: new Map([['items', sample]]) });
        return sample.spread.map(([start, end, index]) => [json.slice(start, end), index]);
      };
      expect(spreadOf(5)).to.deep.equal([
        ['{"qty":2}', 2],
        ['{"qty":3}', 3],
        ['{"qty":4}', 4],
      ]);
      // At most 2 × wanted, twice as far apart each time they would be more.
      expect(spreadOf(20).map(([, index]) => index)).to.deep.equal([2, 10, 18]);
      const many = spreadOf(100_000).map(([, index]) => index as number);
      expect(many.length).to.be.within(2, 4);
      expect(many.at(-1)).to.be.above(50_000);
    });
  });

  describe('when objects are capped at a number of members', () => {
    const members = (count: number, name = (i: number) => `k${i}`) =>
      `{${Array.from({ length: count }, (_, i) => `"${name(i)}":"v"`).join(',')}}`;
    const cases: Array<[string, string, string | undefined]> = [
      ['as many members as allowed', members(10), undefined],
      ['one more', members(11), 'CREST_TOO_MANY_KEYS'],
      ['one more, one name repeated', members(11, () => 'k'), 'CREST_TOO_MANY_KEYS'],
      ['one more in a nested object', `{"a":[${members(11)}]}`, 'CREST_TOO_MANY_KEYS'],
      ['many values in an array', `[${Array.from({ length: 50 }, () => '"k"').join(',')}]`, undefined],
      ['ten objects of ten', `[${Array.from({ length: 10 }, () => members(10)).join(',')}]`, undefined],
    ];
    for (const [name, json, code] of cases) {
      it(`${code === undefined ? 'accepts' : 'refuses'} ${name}`, () => {
        for (const root of [null, order]) {
          expect(codeOf(() => scanJson(Buffer.from(json), root, 20, { maxKeys: 10 }))).to.equal(code);
        }
      });
    }
  });

  describe('when JSON nests deeply', () => {
    it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
      const nested = (depth: number) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
      expect(scanJson(nested(MAX_JSON_DEPTH), null, 0)).to.deep.equal({ count: 0, first: [] });
      expect(codeOf(() => scanJson(nested(MAX_JSON_DEPTH + 1), null, 0))).to.equal('CREST_INVALID_JSON');
    });

    it('does not count brackets inside strings', () => {
      const text = `{"a":"${'['.repeat(2000)}","b":["${'{'.repeat(2000)}"]}`;
      expect(scanJson(Buffer.from(text), null, 0)).to.deep.equal({ count: 0, first: [] });
    });
  });
});

describe('parseJsonBody', () => {
  const cases: Array<[string, Buffer, string | undefined]> = [
    ['valid UTF-8', Buffer.from('{"name":"é名"}'), undefined],
    [
      'bytes FF FE in a string',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      'CREST_INVALID_JSON',
    ],
    ['an overlong encoding', Buffer.from([0x22, 0xc0, 0xaf, 0x22]), 'CREST_INVALID_JSON'],
    ['a lone surrogate encoded', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 'CREST_INVALID_JSON'],
    [
      'nesting past the limit',
      Buffer.from(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`),
      'CREST_INVALID_JSON',
    ],
    ['an empty body', Buffer.alloc(0), 'CREST_BODY_REQUIRED'],
  ];
  for (const [name, body, code] of cases) {
    it(`${code === undefined ? 'parses' : `refuses (${code})`} ${name}`, () => {
      expect(codeOf(() => parseJsonBody(body))).to.equal(code);
    });
  }
});
