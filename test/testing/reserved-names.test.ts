import { expect } from 'chai';
import { albEvent, httpApiEvent, latticeEvent, restApiEvent } from '../../src/testing';

describe('crest/testing event builders', () => {
  describe('when query keys or header names are Object.prototype names', () => {
    const url = '/x?constructor=1&__proto__=2&toString=3';
    // JSON.parse makes __proto__ an own key, as a real client's header map would have it.
    const headers = JSON.parse('{"constructor":"a","__proto__":"b","tostring":"c"}') as Record<string, string>;
    const cases: Array<[string, () => unknown]> = [
      ['REST v1', () => restApiEvent({ url, headers })],
      ['HTTP API v2', () => httpApiEvent({ url, headers })],
      ['ALB single-value', () => albEvent({ url, headers })],
      ['ALB multi-value', () => albEvent({ url, headers }, { multiValueHeaders: true })],
      ['Lattice', () => latticeEvent({ url, headers })],
    ];
    for (const [name, build] of cases) {
      it(`builds a ${name} event that keeps them as ordinary keys`, () => {
        const event = JSON.parse(JSON.stringify(build())) as Record<string, unknown>;
        const text = JSON.stringify(event);
        expect(text).to.include('constructor').and.include('__proto__');
      });
    }
  });
});
