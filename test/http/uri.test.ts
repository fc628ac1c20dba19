import { expect } from 'chai';
import { encodeUrlPath, encodeUrlQuery } from '../../src/http/uri';

describe('URL encoding', () => {
  describe('encodeUrlPath', () => {
    const cases: Array<[string, string, boolean, string]> = [
      ['an encoded path', '/a%20b/%E6%9D%B1', false, '/a%20b/%E6%9D%B1'],
      ['raw non-ASCII', '/x/あ/', false, '/x/%E3%81%82/'],
      ['an astral character', '/😀', false, '/%F0%9F%98%80'],
      ['a lone surrogate', '/x\ud800y', false, '/x%EF%BF%BDy'],
      ['?, # and a space', '/a?b#c d', false, '/a%3Fb%23c%20d'],
      ['a bare %', '/100%', false, '/100%25'],
      ['a malformed escape, percent kept', '/%zz', true, '/%zz'],
      ['sub-delims, : and @', "/a!$&'()*+,;=:@b~_.-", false, "/a!$&'()*+,;=:@b~_.-"],
      ['quotes, brackets and controls', '/"<>\\^`{|}\t', false, '/%22%3C%3E%5C%5E%60%7B%7C%7D%09'],
    ];
    for (const [name, path, keepPercent, expected] of cases) {
      it(`encodes ${name}`, () => {
        expect(encodeUrlPath(path, keepPercent)).to.equal(expected);
      });
    }
  });

  describe('encodeUrlQuery', () => {
    const cases: Array<[string, string, string]> = [
      ['a form-encoded query', 'a=1&b=x+y&c=%2C', 'a=1&b=x+y&c=%2C'],
      ['raw non-ASCII', 'q=あ', 'q=%E3%81%82'],
      ['? and / (allowed in a query)', 'next=/a?b', 'next=/a?b'],
      ['# and a bare %', 'a=#&b=%zz', 'a=%23&b=%25zz'],
    ];
    for (const [name, query, expected] of cases) {
      it(`encodes ${name}`, () => {
        expect(encodeUrlQuery(query)).to.equal(expected);
      });
    }
  });
});
