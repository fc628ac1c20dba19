import { expect } from 'chai';
import { joinPaths, pathParamNames, stripPrefix } from '../../src/http/path';

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

describe('pathParamNames', () => {
  const cases: Array<[string, string[]]> = [
    ['/users/:id', ['id']],
    ['/a/:x/b/:y', ['x', 'y']],
    ['/files/:name.:ext', ['name', 'ext']],
    ['/n/:id(^\\d+)', ['id']],
    ['/n/:id(^(a|b)\\)x)/:z', ['id', 'z']],
    ['/static/*', ['*']],
    ['/time/12::30', []],
  ];
  for (const [pattern, expected] of cases) {
    it(`finds ${JSON.stringify(expected)} in ${pattern}`, () =>
      expect(pathParamNames(pattern)).to.deep.equal(expected));
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
