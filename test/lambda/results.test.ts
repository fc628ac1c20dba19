import { expect } from 'chai';
import { HttpResponse } from '../../src';
import { responseToAlbResult } from '../../src/transports/lambda/sources/alb';
import { responseToLatticeResult } from '../../src/transports/lambda/sources/lattice';
import { isTextualType, responseToResultBody } from '../../src/transports/lambda/result-body';
import { responseToV1Result } from '../../src/transports/lambda/sources/rest-api';
import { responseToV2Result } from '../../src/transports/lambda/sources/http-api';
import { awsEvent } from './support/aws-events';

const COOKIES = ['a=1; Path=/; HttpOnly', 'b=2; Expires=Tue, 01 Jan 2030 00:00:00 GMT; Secure'];

/** A response with one single header, one repeated header and two cookies. */
function mixedResponse(): HttpResponse {
  return HttpResponse.json({ ok: true }, { headers: { 'x-one': '1', 'x-list': ['a', 'b'] }, cookies: COOKIES });
}

/** Header names lower-cased, every value a list: how a client compares header sets. */
function headerSet(...maps: Array<Record<string, unknown> | undefined>): Record<string, string[]> {
  const set: Record<string, string[]> = {};
  for (const map of maps) {
    for (const [name, value] of Object.entries(map ?? {})) {
      (set[name.toLowerCase()] ??= []).push(...(Array.isArray(value) ? (value as string[]) : [value as string]));
    }
  }
  return set;
}

describe('responseToV1Result', () => {
  describe('when the response has repeated headers and cookies', () => {
    const result = responseToV1Result(mixedResponse(), 'GET');

    it('puts single values in headers and repeated ones and Set-Cookie in multiValueHeaders', () => {
      expect(result.headers).to.deep.equal({ 'content-type': 'application/json; charset=utf-8', 'x-one': '1' });
      expect(result.multiValueHeaders).to.deep.equal({ 'x-list': ['a', 'b'], 'set-cookie': COOKIES });
    });

    it('never sends a cookies key (REST answers it with 502)', () => {
      expect(result).not.to.have.property('cookies');
    });

    it('never puts one header in both maps', () => {
      const both = Object.keys(result.headers).filter((name) => name in (result.multiValueHeaders ?? {}));
      expect(both).to.deep.equal([]);
    });
  });

  describe('when given the gzip result fixture (Powertools sample)', () => {
    it('produces the same body, encoding flag and header set', () => {
      const fixture = awsEvent('result-rest-v1-gzip-base64-multivalue.json');
      const response = HttpResponse.binary(Buffer.from(fixture.body as string, 'base64'), {
        status: 200,
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      const result = responseToV1Result(response, 'GET');
      expect(result.statusCode).to.equal(fixture.statusCode);
      expect(result.body).to.equal(fixture.body);
      expect(result.isBase64Encoded).to.equal(true);
      expect(headerSet(result.headers, result.multiValueHeaders)).to.deep.equal(
        headerSet(fixture.multiValueHeaders as Record<string, string[]>),
      );
    });
  });

  describe('when the response has no multi-value header', () => {
    it('leaves multiValueHeaders out', () => {
      expect(responseToV1Result(HttpResponse.text('hi'), 'GET')).not.to.have.property('multiValueHeaders');
    });
  });
});

describe('responseToV2Result', () => {
  describe('when the response has repeated headers and cookies', () => {
    const result = responseToV2Result(mixedResponse(), 'GET');

    it('comma-joins repeated headers and sends every cookie in cookies[]', () => {
      expect(result.headers).to.deep.equal({
        'content-type': 'application/json; charset=utf-8',
        'x-one': '1',
        'x-list': 'a, b',
      });
      expect(result.cookies).to.deep.equal(COOKIES);
    });

    it('never sends multiValueHeaders or a set-cookie header', () => {
      expect(result).not.to.have.property('multiValueHeaders');
      expect(result.headers).not.to.have.property('set-cookie');
    });
  });

  describe('when given the Function URL result fixture (aws-lambda-go sample)', () => {
    it('produces the same result', () => {
      const fixture = awsEvent('result-function-url-cookies.json');
      const response = HttpResponse.text(fixture.body as string, {
        status: 201,
        headers: fixture.headers as Record<string, string>,
        cookies: fixture.cookies as string[],
      });
      const result = responseToV2Result(response, 'POST');
      expect({ ...result, headers: headerSet(result.headers) }).to.deep.equal({
        ...fixture,
        headers: headerSet(fixture.headers as Record<string, string>),
      });
    });
  });
});

describe('responseToAlbResult', () => {
  const fixture = awsEvent('result-alb-statusdescription.json');
  const fixtureResponse = () =>
    HttpResponse.text(fixture.body as string, {
      headers: { 'content-type': 'application/json' },
      cookies: (fixture.multiValueHeaders as Record<string, string[]>)['Set-cookie'],
    });

  describe('when the target group is in multi-value mode', () => {
    const result = responseToAlbResult(fixtureResponse(), 'GET', { multiValue: true });

    it('matches the aws-lambda-go result fixture, multiValueHeaders only', () => {
      expect(result.statusCode).to.equal(200);
      expect(result.statusDescription).to.equal('200 OK');
      expect(result.body).to.equal('Hello from Lambda');
      expect(headerSet(result.multiValueHeaders)).to.deep.equal(
        headerSet(fixture.multiValueHeaders as Record<string, string[]>),
      );
      expect(result).not.to.have.property('headers');
    });
  });

  describe('when the target group is in single-value mode', () => {
    const dropped: string[][] = [];
    const result = responseToAlbResult(fixtureResponse(), 'GET', {
      multiValue: false,
      onDroppedCookies: (cookies) => dropped.push(cookies),
    });

    it('sends headers only, with one intact Set-Cookie, never comma-joined', () => {
      expect(result).not.to.have.property('multiValueHeaders');
      expect(result.headers!['set-cookie']).to.equal('cookie-name=cookie-value;Domain=myweb.com;Secure;HttpOnly');
    });

    it('reports the cookies it could not send', () => {
      expect(dropped).to.deep.equal([['cookie-name=cookie-value;Expires=May 8, 2019']]);
    });
  });

  describe('when serializing leaves the response to be used again', () => {
    it('never hands out or mutates the response arrays (serverless-http combineHeaders)', () => {
      const response = mixedResponse();
      const result = responseToAlbResult(response, 'GET', { multiValue: true });
      result.multiValueHeaders!['x-list']!.push('c');
      result.multiValueHeaders!['set-cookie']!.push('z=9');
      expect(response.headers['x-list']).to.deep.equal(['a', 'b']);
      expect(response.cookies).to.deep.equal(COOKIES);
    });
  });

  describe('when the status is an error', () => {
    it('describes it the way the ELB docs show ("404 Not Found")', () => {
      const result = responseToAlbResult(HttpResponse.empty({ status: 404 }), 'GET', { multiValue: false });
      expect(result.statusDescription).to.equal('404 Not Found');
    });
  });
});

describe('responseToLatticeResult', () => {
  it('sends repeated cookies as an array and a statusDescription', () => {
    const result = responseToLatticeResult(mixedResponse(), 'GET');
    expect(result.headers['set-cookie']).to.deep.equal(COOKIES);
    expect(result.headers['x-list']).to.equal('a, b');
    expect(result.statusDescription).to.equal('200 OK');
  });
});

describe('responseToResultBody', () => {
  describe('when deciding between text and base64', () => {
    const cases: Array<[string, HttpResponse, boolean]> = [
      ['JSON', HttpResponse.json({ a: 1 }), false],
      ['text/plain', HttpResponse.text('hi'), false],
      ['problem+json', HttpResponse.text('{}', { headers: { 'content-type': 'application/problem+json' } }), false],
      ['image/svg+xml', HttpResponse.text('<svg/>', { headers: { 'content-type': 'image/svg+xml' } }), false],
      [
        'text/event-stream',
        HttpResponse.text('data: x\n\n', { headers: { 'content-type': 'text/event-stream' } }),
        false,
      ],
      ['text/markdown', HttpResponse.text('# hi', { headers: { 'content-type': 'text/markdown' } }), false],
      [
        'image/png bytes',
        HttpResponse.binary(Buffer.from([0x89, 0x50]), { headers: { 'content-type': 'image/png' } }),
        true,
      ],
      ['application/pdf text', HttpResponse.text('%PDF', { headers: { 'content-type': 'application/pdf' } }), true],
      ['octet-stream', HttpResponse.binary(Buffer.from('abc')), true],
      [
        'gzip JSON',
        HttpResponse.binary(Buffer.from([0x1f, 0x8b]), {
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        }),
        true,
      ],
      ['br text', HttpResponse.text('x', { headers: { 'content-encoding': 'br' } }), true],
      ['zstd text', HttpResponse.text('x', { headers: { 'content-encoding': 'zstd' } }), true],
      ['identity text', HttpResponse.text('x', { headers: { 'content-encoding': 'identity' } }), false],
      [
        'UTF-8 bytes labelled text',
        HttpResponse.binary(Buffer.from('λ'), { headers: { 'content-type': 'text/plain' } }),
        false,
      ],
      [
        'latin-1 bytes labelled text',
        HttpResponse.binary(Buffer.from([0xe9]), { headers: { 'content-type': 'text/plain; charset=latin1' } }),
        true,
      ],
    ];
    for (const [name, response, base64] of cases) {
      it(`${base64 ? 'base64-encodes' : 'keeps as text'} ${name}`, () => {
        const body = responseToResultBody(response, 'GET');
        expect(body.isBase64Encoded).to.equal(base64);
        const bytes = Buffer.from(body.body, base64 ? 'base64' : 'utf8');
        const payload = response.payload()!;
        expect(bytes.equals(typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload))).to.equal(true);
      });
    }
  });

  describe('when the response must not carry a body', () => {
    const cases: Array<[string, string, HttpResponse]> = [
      ['HEAD', 'HEAD', HttpResponse.text('x'.repeat(100))],
      ['204', 'GET', new HttpResponse({ kind: 'text', text: 'x' }, { status: 204 })],
      ['304', 'GET', new HttpResponse({ kind: 'text', text: 'x' }, { status: 304 })],
      ['an empty body', 'GET', HttpResponse.empty()],
    ];
    for (const [name, method, response] of cases) {
      it(`sends "" for ${name}`, () => {
        expect(responseToResultBody(response, method)).to.deep.equal({ body: '', isBase64Encoded: false });
      });
    }
  });
});

describe('isTextualType', () => {
  it('reads the media type without parameters and case-insensitively', () => {
    expect(isTextualType('Application/JSON; charset=utf-8')).to.equal(true);
    expect(isTextualType('application/vnd.api+json')).to.equal(true);
    expect(isTextualType('application/x-www-form-urlencoded')).to.equal(true);
    expect(isTextualType('application/octet-stream')).to.equal(false);
    expect(isTextualType(undefined)).to.equal(false);
  });
});

describe('result headers', () => {
  describe('when a handler set values that are not strings or platform headers', () => {
    const response = HttpResponse.text('x');
    (response.headers as Record<string, unknown>)['x-count'] = 5;
    response.headers['content-length'] = '999';
    response.headers['connection'] = 'close';

    it('stringifies values and leaves Content-Length and Connection to the platform', () => {
      for (const result of [responseToV1Result(response, 'GET'), responseToV2Result(response, 'GET')]) {
        expect(result.headers['x-count']).to.equal('5');
        expect(result.headers).not.to.have.any.keys('content-length', 'connection');
      }
    });
  });
});
