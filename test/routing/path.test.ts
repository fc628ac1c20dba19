import { expect } from 'chai';
import { joinPaths, stripPrefix } from '../../src/http/path';

describe('joinPaths', () => {
  const cases: Array<[string[], string]> = [
    [['', ''], '/'],
    [['/users', '/'], '/users'],
    [['/users', ':id'], '/users/:id'],
    [['users/', '/:id/'], '/users/:id'],
    [['', '/health'], '/health'],
  ];
  for (const [parts, expected] of cases) {
    it(`joins ${JSON.stringify(parts)} into ${expected}`, () => expect(joinPaths(...parts)).to.equal(expected));
  }
});

describe('stripPrefix', () => {
  const cases: Array<[string, string, string | null]> = [
    ['/api/users', '/api', '/users'],
    ['/api', '/api', '/'],
    ['/api/', '/api', '/'],
    ['/apix', '/api', null],
    ['/v1/api/x', '/api', null],
    ['/anything', '', '/anything'],
  ];
  for (const [path, prefix, expected] of cases) {
    it(`strips ${JSON.stringify(prefix)} from ${path}`, () => expect(stripPrefix(path, prefix)).to.equal(expected));
  }
});
