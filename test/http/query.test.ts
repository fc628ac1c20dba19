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
    ['bad=%zz&pct=%&half=%E6%9D', { bad: ['%zz'], pct: ['%'], half: ['%E6%9D'] }],
    ['mixed=%41%zz%42', { mixed: ['A%zzB'] }],
    ['a==b', { a: ['=b'] }],
  ];
  for (const [input, expected] of cases) {
    it(`parses ${JSON.stringify(input)}`, () => {
      expect({ ...parseQuery(input) }).to.deep.equal(expected);
    });
  }

  it('keeps __proto__ as an ordinary key', () => {
    const query = parseQuery('__proto__=x&constructor=y');
    expect(query['__proto__']).to.deep.equal(['x']);
    expect(Object.getPrototypeOf(query)).to.equal(null);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
  });
});

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
