import { expect } from 'chai';
import { hasListSeparator, isSerializedOrigin, isTokenList } from '../../src/http/header-syntax';

/** One `it` per value: `check(value)` must give `expected`. */
function table(check: (value: string) => boolean, cases: Array<[string, boolean]>): void {
  for (const [value, expected] of cases) {
    it(`${expected ? 'holds' : 'does not hold'} for ${JSON.stringify(value)}`, () => {
      expect(check(value)).to.equal(expected);
    });
  }
}

describe('header syntax', () => {
  describe('isSerializedOrigin', () => {
    table(isSerializedOrigin, [
      ['https://app.example', true],
      ['http://localhost:8080', true],
      ['http://[::1]:3000', true],
      ['http://192.0.2.1', true],
      ['chrome-extension://abcdefghijklmnop', true],
      ['null', true],
      ['https://xn--l8j.example.com', true],
      ['https://あ.example.com', false],
      ['https://ã\u0081\u0082.example.com', false],
      ['https://x\u0001.example.com', false],
      ['https://a.example, https://b.example', false],
      ['https://app.example/', false],
      ['https://app.example/path', false],
      ['https://user@app.example', false],
      ['https://app.example:123456', false],
      ['app.example', false],
      ['', false],
    ]);
  });

  describe('isTokenList', () => {
    table(isTokenList, [
      ['content-type', true],
      ['x-a,x-b', true],
      ['x-a, x-b ,\tx-c', true],
      ['x-a,,x-b,', true],
      ['', true],
      ['x-あ', false],
      ['x-a b', false],
      ['x-a;q=1', false],
      ['x-a\r\nx-b', false],
      ['"x-a"', false],
    ]);
  });

  describe('hasListSeparator', () => {
    table(hasListSeparator, [
      ['application/json', false],
      ['application/json,text/plain', true],
      ['application/json; charset=utf-8, text/plain', true],
      ['multipart/form-data; boundary="a,b"', false],
      ['text/plain; x="a\\",b", y', true],
      ['text/plain; x="unterminated,', false],
    ]);
  });
});
