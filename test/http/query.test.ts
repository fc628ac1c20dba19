import { expect } from 'chai';
import { HttpError } from '../../src/errors';
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
    ['=x&a=1=2&+k+=+v+', { '': ['x'], a: ['1=2'], ' k ': [' v '] }],
    ['%zz=1&k%3D=v&&&', { '%zz': ['1'], 'k=': ['v'] }],
  ];
  for (const [input, expected] of cases) {
    it(`parses ${JSON.stringify(input)}`, () => {
      expect({ ...parseQuery(input) }).to.deep.equal(expected);
    });
  }

  it('rejects a malformed escape in a key or a value in strict mode', () => {
    for (const input of ['a=%zz', '%zz=a', 'a=1&b=%E0%80', 'ok&%']) {
      expect(() => parseQuery(input, true), input).to.throw(HttpError);
    }
    expect({ ...parseQuery('a=%41+b&c%20d', true) }).to.deep.equal({ a: ['A b'], 'c d': [''] });
  });

  it('agrees with a split-and-decode reference on generated input', () => {
    const pieces = ['a', 'b', '=', '&', '+', '%', '%4', '%41', '%zz', '%E6%9D%B1', '%E6', '__proto__', 'x y'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let run = 0; run < 3000; run++) {
      let input = '';
      for (let i = random(10); i > 0; i--) input += pieces[random(pieces.length)];
      for (const strict of [false, true]) {
        const expected = outcome(() => referenceParse(input, strict));
        expect(
          outcome(() => parseQuery(input, strict)),
          `${JSON.stringify(input)} strict=${strict}`,
        ).to.deep.equal(expected);
      }
    }
  });

  it('keeps __proto__ as an ordinary key', () => {
    const query = parseQuery('__proto__=x&constructor=y');
    expect(query['__proto__']).to.deep.equal(['x']);
    expect('toString' in query || 'hasOwnProperty' in query).to.equal(false);
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
  });
});

/** The straightforward parse: split on `&`, then on the first `=`, decode both sides. */
function referenceParse(query: string, strict: boolean): Record<string, string[]> {
  const decode = (text: string): string => {
    const spaced = text.replace(/\+/g, ' ');
    if (!strict) return decodeComponent(spaced);
    try {
      return decodeURIComponent(spaced);
    } catch {
      throw new HttpError(400, 'bad');
    }
  };
  const result = Object.create(null) as Record<string, string[]>;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    (result[key] ??= []).push(value);
  }
  return result;
}

function outcome(parse: () => Record<string, string[]>): unknown {
  try {
    return { entries: Object.entries(parse()) };
  } catch (error) {
    return { status: (error as HttpError).status };
  }
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
