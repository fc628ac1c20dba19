import { expect } from 'chai';
import { HttpResponse } from '../../src';
import {
  albEvent,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  readLambdaResult,
  restApiEvent,
} from '../../src/testing';
import { awsEvent, pathMatrix } from '../lambda/support/aws-events';
import { responseToV1Result } from '../../src/transports/lambda/sources/rest-api';
import { contentLength } from '../../src/http/payload';

const keys = (value: unknown) => Object.keys(value as Record<string, unknown>).sort();

describe('crest/testing event builders', () => {
  describe('restApiEvent', () => {
    const event = restApiEvent(
      {
        method: 'POST',
        url: '/capture/space%20value?repeat=one&repeat=two&empty=&plus=a+b',
        headers: { 'x-probe': ['first', 'second'], 'content-length': '5' },
        body: 'hello',
      },
      { stage: 'live' },
    );
    const context = event.requestContext;

    it('has the top-level fields of the live capture', () => {
      expect(keys(event)).to.deep.equal(keys(awsEvent('rest-v1-live-capture-stage-encoded-path.json')));
    });

    it('keeps the path encoded and the stage only in requestContext.path', () => {
      expect(event.path).to.equal('/capture/space%20value');
      expect(context.path).to.equal('/live/capture/space%20value');
      expect(context.stage).to.equal('live');
    });

    it('decodes both query maps, the single one holding the last value', () => {
      expect(event.multiValueQueryStringParameters).to.deep.equal({
        repeat: ['one', 'two'],
        empty: [''],
        plus: ['a b'],
      });
      expect(event.queryStringParameters).to.deep.equal({ repeat: 'two', empty: '', plus: 'a b' });
    });

    it('keeps the last header value in headers, all of them in multiValueHeaders, and drops Content-Length', () => {
      expect((event.headers as Record<string, string>)['x-probe']).to.equal('second');
      expect((event.multiValueHeaders as Record<string, string[]>)['x-probe']).to.deep.equal(['first', 'second']);
      expect(event.headers).not.to.have.property('content-length');
    });

    it('base64-encodes a byte body', () => {
      const binary = restApiEvent({ method: 'POST', body: Buffer.from([0, 255]) });
      expect(binary).to.include({ body: 'AP8=', isBase64Encoded: true });
    });

    it('sends null maps and body when there are none', () => {
      expect(restApiEvent()).to.include({
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        body: null,
      });
    });
  });

  describe('httpApiEvent', () => {
    it('has the top-level fields of the live capture', () => {
      const event = httpApiEvent({ method: 'POST', url: '/a?x=1', headers: { cookie: 'a=1' }, body: 'x' });
      expect(keys(event)).to.deep.equal(
        keys(awsEvent('http-api-v2-live-capture-decoded-rawpath.json')).filter(
          (k) => k !== 'pathParameters' && k !== 'stageVariables',
        ),
      );
    });

    for (const observation of pathMatrix()) {
      if (observation.httpAPIPath === undefined) continue;
      it(`decodes ${observation.sentPath} the way HTTP API did live`, () => {
        expect(httpApiEvent({ url: observation.sentPath }).rawPath).to.equal(observation.httpAPIPath);
      });
    }

    it('joins repeated headers with "," and moves cookies to cookies[]', () => {
      const event = httpApiEvent({ headers: { 'X-Probe': ['first', 'second'], cookie: 'session=abc123; theme=dark' } });
      expect((event.headers as Record<string, string>)['x-probe']).to.equal('first,second');
      expect(event.cookies).to.deep.equal(['session=abc123', 'theme=dark']);
      expect(event.headers).not.to.have.property('cookie');
    });

    it('prefixes a named stage and keeps the raw query string', () => {
      const event = httpApiEvent({ url: '/users?repeat=one&repeat=two' }, { stage: 'dev' });
      expect(event.rawPath).to.equal('/dev/users');
      expect(event.rawQueryString).to.equal('repeat=one&repeat=two');
      expect(event.queryStringParameters).to.deep.equal({ repeat: 'one,two' });
    });
  });

  describe('functionUrlEvent', () => {
    const event = functionUrlEvent({
      url: '/capture/space%20value',
      headers: { cookie: 'session=abc123; theme=dark' },
    });

    it('has the top-level fields of the live capture', () => {
      expect(keys(event)).to.deep.equal(
        keys(awsEvent('function-url-live-capture-cookies-and-cookie-header.json')).filter(
          (k) => !['pathParameters', 'stageVariables', 'queryStringParameters', 'body'].includes(k),
        ),
      );
    });

    it('keeps rawPath encoded, decodes http.path, and sends cookies both ways', () => {
      expect(event.rawPath).to.equal('/capture/space%20value');
      expect(event.requestContext.http.path).to.equal('/capture/space value');
      expect(event.cookies).to.deep.equal(['session=abc123', 'theme=dark']);
      expect((event.headers as Record<string, string>).cookie).to.equal('session=abc123; theme=dark');
    });
  });

  describe('albEvent', () => {
    it('builds the multi-value shape of the live capture, query undecoded', () => {
      const event = albEvent(
        {
          method: 'POST',
          url: '/capture/space%20value?encodedPlus=a%2Bb&literalPlus=a+b&repeat=one&repeat=two&empty=',
          body: '{}',
          headers: { 'content-type': 'application/json' },
        },
        { multiValueHeaders: true },
      );
      // The capture logs the single maps as null (a typed Go struct: SOURCES.md); ALB sends the multi-value ones only.
      const capture = awsEvent('alb-multivalue-live-capture-encoded-query.json');
      expect(keys(event)).to.deep.equal(keys(capture).filter((key) => capture[key] !== null));
      expect(event.multiValueQueryStringParameters).to.deep.equal({
        encodedPlus: ['a%2Bb'],
        literalPlus: ['a+b'],
        repeat: ['one', 'two'],
        empty: [''],
      });
      expect(event).not.to.have.any.keys('headers', 'queryStringParameters');
      expect(event.isBase64Encoded).to.equal(false);
    });

    it('builds the single-value shape, last value winning', () => {
      const event = albEvent({ url: '/?key=a&key=hello', headers: { 'x-a': ['1', '2'] } });
      expect(keys(event)).to.deep.equal(keys(awsEvent('alb-single-value-headers.json')));
      expect(event.queryStringParameters).to.deep.equal({ key: 'hello' });
      expect((event.headers as Record<string, string>)['x-a']).to.equal('2');
      expect(event.body).to.equal('');
    });

    it('appends the client address to X-Forwarded-For', () => {
      const event = albEvent({ headers: { 'x-forwarded-for': '1.2.3.4' }, sourceIp: '25.12.198.67' });
      expect((event.headers as Record<string, string>)['x-forwarded-for']).to.equal('1.2.3.4, 25.12.198.67');
    });

    it('base64-encodes a body whose type ALB does not pass as text', () => {
      expect(
        albEvent({ method: 'POST', body: 'abc', headers: { 'content-type': 'application/octet-stream' } }),
      ).to.include({
        body: 'YWJj',
        isBase64Encoded: true,
      });
      expect(albEvent({ method: 'POST', body: 'abc', headers: { 'content-type': 'text/plain' } })).to.include({
        body: 'abc',
        isBase64Encoded: false,
      });
    });
  });

  describe('latticeEvent', () => {
    it('has the fields of the Lattice v2 fixture', () => {
      const event = latticeEvent({ url: '/newpath?order-id=1', body: '{}' });
      expect(keys(event)).to.deep.equal(keys(awsEvent('vpc-lattice-v2-base.json')));
      expect(event.queryStringParameters).to.deep.equal({ 'order-id': ['1'] });
    });
  });
});

describe('lambdaContext', () => {
  it('counts the remaining time down from timeoutMs', () => {
    const context = lambdaContext({ timeoutMs: 2000, functionName: 'mine' });
    expect(context.getRemainingTimeInMillis()).to.be.within(1, 2000);
    expect(context.functionName).to.equal('mine');
    expect(context.invokedFunctionArn).to.match(/:function:mine$/);
  });

  describe("when a handler calls the runtime's deprecated callbacks", () => {
    it('throws, so that a result handed to them cannot vanish', () => {
      const context = lambdaContext();
      expect(() => context.succeed('x')).to.throw(/context\.succeed\(\) is a deprecated callback/);
      expect(() => context.fail('x')).to.throw(/context\.fail\(\)/);
      expect(() => context.done()).to.throw(/context\.done\(\)/);
    });

    it('calls the ones given instead', () => {
      const seen: unknown[] = [];
      lambdaContext({ succeed: (result: unknown) => seen.push(result) }).succeed({ ok: true });
      expect(seen).to.deep.equal([{ ok: true }]);
    });
  });
});

describe('readLambdaResult', () => {
  it('refuses a REST result with cookies, as API Gateway does (502)', () => {
    expect(() => readLambdaResult({ statusCode: 200, body: '', cookies: ['a=1'] }, 'rest-api')).to.throw(/502/);
  });

  it('refuses a non-string header value and a non-integer status', () => {
    expect(() => readLambdaResult({ statusCode: 200, headers: { a: 1 }, body: '' }, 'http-api')).to.throw(/502/);
    expect(() => readLambdaResult({ statusCode: '200', body: '' }, 'http-api')).to.throw(/502/);
  });

  describe('when a payload 2.0 result is a string or has no statusCode', () => {
    it('reads it as a 200 JSON body, as HTTP APIs and Function URLs do', () => {
      for (const platform of ['http-api', 'function-url'] as const) {
        const text = readLambdaResult('"hello"', platform);
        expect(text).to.include({ statusCode: 200, body: '"hello"' });
        expect(text.headers).to.include({ 'content-type': 'application/json' });
        expect(readLambdaResult({ message: 'hi' }, platform)).to.include({ statusCode: 200, body: '{"message":"hi"}' });
      }
    });

    it('refuses it on the platforms that infer nothing (502)', () => {
      for (const platform of ['rest-api', 'alb-single', 'alb-multi', 'lattice'] as const) {
        expect(() => readLambdaResult('hello', platform)).to.throw(/502/);
        expect(() => readLambdaResult({ body: 'hello' }, platform)).to.throw(/502/);
      }
    });
  });

  it('reads only the header map the ALB mode uses', () => {
    const result = {
      statusCode: 200,
      statusDescription: '200 OK',
      headers: { a: '1' },
      multiValueHeaders: { b: ['2'] },
      body: '',
    };
    expect(readLambdaResult(result, 'alb-single').headers).to.include({ a: '1' }).and.not.have.property('b');
    expect(readLambdaResult(result, 'alb-multi').headers).to.include({ b: '2' }).and.not.have.property('a');
  });

  describe('when giving Content-Length', () => {
    for (const status of [200, 201, 204, 205, 304, 404]) {
      it(`agrees with the core's contentLength for a ${status}`, () => {
        const response = HttpResponse.text('hi', { status });
        const expected = contentLength(response);
        const view = readLambdaResult(responseToV1Result(response, 'GET'), 'rest-api');
        expect(view.headers['content-length']).to.equal(expected === undefined ? undefined : String(expected));
      });
    }

    for (const statusCode of [100, 101]) {
      it(`sends none for a ${statusCode}`, () => {
        expect(readLambdaResult({ statusCode, body: '' }, 'http-api').headers).not.to.have.property('content-length');
      });
    }
  });

  it('merges REST headers and multiValueHeaders and decodes base64', () => {
    const result = responseToV1Result(
      HttpResponse.binary(Buffer.from([1, 2]), { headers: { 'x-a': ['1', '2'] }, cookies: ['c=1', 'd=2'] }),
      'GET',
    );
    const view = readLambdaResult(result, 'rest-api');
    expect(view.headers['x-a']).to.deep.equal(['1', '2']);
    expect(view.cookies).to.deep.equal(['c=1', 'd=2']);
    expect([...view.rawBody]).to.deep.equal([1, 2]);
  });
});
