import { expect } from 'chai';
import { hasListSeparator, isSerializedOrigin, isTokenList } from '../../src/http/header-syntax';

describe('header syntax', () => {
  describe('isSerializedOrigin', () => {
    const cases: Array<[string, boolean]> = [
      ['https://app.example', true],
      ['http://localhost:8080', true],
      ['http://[::1]:3000', true],
      ['http://192.0.2.1', true],
      ['chrome-extension://abcdefghijklmnop', true],
      ['null', true],
      ['https://あ.example.com', false],
      ['https://xn--l8j.example.com', true],
      ['https://x\u0001.example.com', false],
      ['https://a.example, https://b.example', false],
      ['https://app.example/', false],
      ['https://app.example/path', false],
      ['https://user@app.example', false],
      ['https://app.example:123456', false],
      ['app.example', false],
      ['', false],
      ['https://ã\u0081\u0082.example.com', false],
    ];
    for (const [value, valid] of cases) {
      it(`${valid ? 'accepts' : 'refuses'} ${JSON.stringify(value)}`, () => {
        expect(isSerializedOrigin(value)).to.equal(valid);
      });
    }
  });

  describe('isTokenList', () => {
    const cases: Array<[string, boolean]> = [
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
    ];
    for (const [value, valid] of cases) {
      it(`${valid ? 'accepts' : 'refuses'} ${JSON.stringify(value)}`, () => {
        expect(isTokenList(value)).to.equal(valid);
      });
    }
  });

  describe('hasListSeparator', () => {
    const cases: Array<[string, boolean]> = [
      ['application/json', false],
      ['application/json,text/plain', true],
      ['application/json; charset=utf-8, text/plain', true],
      ['multipart/form-data; boundary="a,b"', false],
      ['text/plain; x="a\\",b", y', true],
      ['text/plain; x="unterminated,', false],
    ];
    for (const [value, separated] of cases) {
      it(`${separated ? 'finds' : 'finds no'} list separator in ${JSON.stringify(value)}`, () => {
        expect(hasListSeparator(value)).to.equal(separated);
      });
    }
  });
});
