import { expect } from 'chai';
import { decodeComponent, parseQuery, stringifyQuery } from '../../src/http/query';

describe('parseQuery', () => {
  const cases: Array<[string, Record<string, string[]>]> = [
    ['', {}],
    ['a=1', { a: ['1'] }],
    ['a=1&a=2&b=3', { a: ['1', '2'], b: ['3'] }],
    ['flag=&other', { flag: [''], other: [''] }],
    ['a=1&&b=2&', { a: ['1'], b: ['2'] }],
    ['q=a+b%2Bc', { q: ['a b+c'] }],
    ['k%20ey=v%3Dw', { 'k ey': ['v=w'] }],
    ['x=%E6%9D%B1', { x: ['東'] }],
    ['bad=%zz&pct=%&half=%E6%9D', { bad: ['%zz'], pct: ['%'], half: ['\ufffd'] }],
    ['overlong=%C0%AF', { overlong: ['\ufffd\ufffd'] }],
    ['mixed=%41%zz%42', { mixed: ['A%zzB'] }],
    ['a==b', { a: ['=b'] }],
    ['=x&a=1=2&+k+=+v+', { '': ['x'], a: ['1=2'], ' k ': [' v '] }],
    ['%zz=1&k%3D=v&&&', { '%zz': ['1'], 'k=': ['v'] }],
  ];
  for (const [input, expected] of cases) {
    it(`parses ${JSON.stringify(input)}`, () => {
      expect({ ...parseQuery(input) }).to.deep.equal(expected);
    });
  }

  it('decodes as URLSearchParams does on generated input', () => {
    const pieces = ['a', 'b', '=', '&', '+', '%', '%4', '%41', '%zz', '%E6%9D%B1', '%E6', '__proto__', 'x y'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let run = 0; run < 3000; run++) {
      let input = '';
      for (let i = random(10); i > 0; i--) input += pieces[random(pieces.length)];
      expect(Object.entries(parseQuery(input)), JSON.stringify(input)).to.deep.equal(referenceParse(input));
    }
  });

  it('keeps __proto__ as an ordinary key', () => {
    const query = parseQuery('__proto__=x&constructor=y');
    expect(query['__proto__']).to.deep.equal(['x']);
    expect('toString' in query || 'hasOwnProperty' in query).to.equal(false);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
  });
});

/** WHATWG's parser, grouped by key in first-seen order. */
function referenceParse(query: string): Array<[string, string[]]> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(query)) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  return [...grouped];
}

describe('decodeComponent', () => {
  it('never throws on malformed input', () => {
    for (const input of ['%', '%%URL%%', '%C0%AF', '%E0%80%80', '%ff', 'a%2']) {
      expect(() => decodeComponent(input)).not.to.throw();
    }
  });
});

describe('stringifyQuery', () => {
  it('round-trips through parseQuery', () => {
    const query = { 'a b': ['1&2', ''], x: ['東京'] };
    expect({ ...parseQuery(stringifyQuery(query)) }).to.deep.equal(query);
  });
});
