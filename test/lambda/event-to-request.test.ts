import { expect } from 'chai';
import type { LambdaContext } from '../../src';
import { detectSource } from '../../src/transports/lambda/sources';
import { awsEvent } from './support/aws-events';
import { convert } from './support/convert';

const LIVE_BODY = '{"message":"hello from the public internet","unicode":"lambda-λ"}';
const LIVE_QUERY = {
  empty: [''],
  encodedPlus: ['a+b'],
  literalPlus: ['a b'],
  redirect: ['https://example.com/a/b'],
  repeat: ['one', 'two'],
};

interface Expected {
  source: string;
  method: string;
  rawPath: string;
  path: string;
  query: Record<string, string[]>;
  cookies: Record<string, string>;
  body: string;
  ip: string;
  requestId: string | undefined;
  /** Headers the request must have, with these exact combined values. */
  headers: Record<string, string | undefined>;
}

/** The same curl request, captured live through four sources, and the AWS doc-style samples. */
const cases: Array<[string, Expected]> = [
  [
    'rest-v1-live-capture-stage-encoded-path.json',
    {
      source: 'apigw-v1',
      method: 'POST',
      rawPath: '/capture/space%20value',
      path: '/capture/space value',
      query: LIVE_QUERY,
      cookies: { session: 'abc123', theme: 'dark' },
      body: LIVE_BODY,
      ip: '68.8.83.18',
      requestId: '7c2af7db-31f3-42b5-8a6d-9ffc74e3b9e0',
      headers: {
        host: '5h7pqvr9u4.execute-api.us-west-2.amazonaws.com',
        'x-voker-probe': 'first, second',
        'content-length': '66',
        'x-amzn-requestid': '7c2af7db-31f3-42b5-8a6d-9ffc74e3b9e0',
      },
    },
  ],
  [
    'http-api-v2-live-capture-decoded-rawpath.json',
    {
      source: 'apigw-v2',
      method: 'POST',
      rawPath: '/capture/space%20value',
      path: '/capture/space value',
      query: LIVE_QUERY,
      cookies: { session: 'abc123', theme: 'dark' },
      body: LIVE_BODY,
      ip: '68.8.83.18',
      requestId: 'ATfSmjLgPHcESJw=',
      headers: {
        cookie: 'session=abc123; theme=dark',
        'x-voker-probe': 'first,second',
        'content-length': '66',
        'x-amzn-requestid': 'ATfSmjLgPHcESJw=',
      },
    },
  ],
  [
    'function-url-live-capture-cookies-and-cookie-header.json',
    {
      source: 'function-url',
      method: 'POST',
      rawPath: '/capture/space%20value',
      path: '/capture/space value',
      query: LIVE_QUERY,
      cookies: { session: 'abc123', theme: 'dark' },
      body: LIVE_BODY,
      ip: '68.8.83.18',
      requestId: 'd16a6b55-dea9-4b23-8499-eb85c3d2d904',
      headers: { cookie: 'session=abc123; theme=dark', 'x-voker-probe': 'first,second', 'content-length': '66' },
    },
  ],
  [
    'alb-multivalue-live-capture-encoded-query.json',
    {
      source: 'alb',
      method: 'POST',
      rawPath: '/capture/space%20value',
      path: '/capture/space value',
      query: LIVE_QUERY,
      cookies: { session: 'abc123', theme: 'dark' },
      body: LIVE_BODY,
      ip: '68.8.83.18',
      // ALB events carry no id of their own; the trace root may be the client's (see handler.test.ts).
      requestId: undefined,
      headers: {
        'x-voker-probe': 'first, second',
        'content-length': '66',
        'x-amzn-requestid': undefined,
        'x-amzn-trace-id': 'Root=1-6a5145a7-5c3686ff7df3149177a89157',
      },
    },
  ],
  [
    'rest-v1-real-prod-stage-null-body.json',
    {
      source: 'apigw-v1',
      method: 'POST',
      rawPath: '/no-auth',
      path: '/no-auth',
      query: {},
      cookies: {},
      body: '',
      ip: '15.248.3.126',
      requestId: 'f88e38e3-2060-4a56-93c0-9efbc6a659a0',
      headers: { 'x-forwarded-for': '15.248.3.126, 130.176.209.21', 'content-length': undefined },
    },
  ],
  [
    'rest-v1-proxy-plus-docs-style.json',
    {
      source: 'apigw-v1',
      method: 'POST',
      rawPath: '/hello/world',
      path: '/hello/world',
      query: { name: ['me'] },
      cookies: {},
      body: '{\r\n\t"a": 1\r\n}',
      ip: '192.168.196.186',
      requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
      headers: { 'content-type': 'application/json', headername: 'headerValue', 'content-length': '13' },
    },
  ],
  [
    'http-api-v2-jwt-authorizer.json',
    {
      source: 'apigw-v2',
      method: 'GET',
      rawPath: '/my/path',
      path: '/my/path',
      query: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
      cookies: {},
      body: '{\r\n\t"a": 1\r\n}',
      ip: 'IP',
      requestId: 'id',
      headers: { header1: 'value1', header2: 'value2', cookie: 'cookie1; cookie2' },
    },
  ],
  [
    'alb-single-value-headers.json',
    {
      source: 'alb',
      method: 'GET',
      rawPath: '/',
      path: '/',
      query: { key: ['hello'] },
      cookies: {},
      body: '',
      ip: '25.12.198.67',
      requestId: undefined,
      headers: {
        'x-myheader': '123',
        'content-length': undefined,
        'x-amzn-trace-id': 'Root=1-5c34e93e-4dea0086f9763ac0667b115a',
      },
    },
  ],
  [
    'alb-health-check.json',
    {
      source: 'alb',
      method: 'GET',
      rawPath: '/',
      path: '/',
      query: {},
      cookies: {},
      body: '',
      ip: '',
      requestId: undefined,
      headers: { 'user-agent': 'ELB-HealthChecker/2.0', host: undefined },
    },
  ],
  [
    'vpc-lattice-v2-base.json',
    {
      source: 'lattice',
      method: 'GET',
      rawPath: '/newpath',
      path: '/newpath',
      query: { 'order-id': ['1'] },
      cookies: {},
      body: '{"message": "Hello from Lambda!"}',
      ip: '10.213.229.10',
      requestId: undefined,
      headers: { user_agent: 'curl/7.64.1', 'content-length': '33' },
    },
  ],
];

describe('eventToRequest', () => {
  for (const [file, expected] of cases) {
    describe(`when given ${file}`, () => {
      const event = awsEvent(file);
      const req = convert(event);

      it(`detects ${expected.source}`, () => {
        expect(detectSource(event)).to.equal(expected.source);
        expect(req.source).to.equal(expected.source);
      });

      it('keeps the method and the encoded path, stage-less', () => {
        expect(req.method).to.equal(expected.method);
        expect(req.rawPath).to.equal(expected.rawPath);
        expect(req.path).to.equal(expected.path);
      });

      it('keeps every query value, decoded once, empty values included', () => {
        expect({ ...req.query }).to.deep.equal(expected.query);
      });

      it('reads cookies once', () => {
        expect({ ...req.cookies }).to.deep.equal(expected.cookies);
      });

      it('decodes the body to its exact bytes', () => {
        expect(req.text()).to.equal(expected.body);
      });

      it('takes the client IP and request id from the event', () => {
        expect(req.ip).to.equal(expected.ip);
        if (expected.requestId !== undefined) expect(req.requestId).to.equal(expected.requestId);
        else expect(req.requestId).to.be.a('string').and.not.equal('');
      });

      it('lower-cases header names and combines repeated values', () => {
        for (const [name, value] of Object.entries(expected.headers)) expect(req.headers[name], name).to.equal(value);
      });

      it('gives @Ctx() the source, the raw event and the Lambda context', () => {
        // Converted now, not when the file was loaded: its 30 s deadline must not have run out.
        const ctx = convert(event).raw as LambdaContext;
        expect(ctx.source).to.equal(expected.source);
        expect(ctx.event).to.equal(event);
        expect(ctx.context.getRemainingTimeInMillis()).to.be.above(0);
      });
    });
  }

  describe('when the four live captures of one request are compared', () => {
    it('normalizes them identically', () => {
      const views = [
        'rest-v1-live-capture-stage-encoded-path.json',
        'http-api-v2-live-capture-decoded-rawpath.json',
        'function-url-live-capture-cookies-and-cookie-header.json',
        'alb-multivalue-live-capture-encoded-query.json',
      ].map((file) => {
        const req = convert(awsEvent(file));
        return {
          method: req.method,
          rawPath: req.rawPath,
          query: { ...req.query },
          cookies: { ...req.cookies },
          body: req.body.toString('hex'),
          ip: req.ip,
          json: req.json(),
        };
      });
      for (const view of views.slice(1)) expect(view).to.deep.equal(views[0]);
    });
  });

  describe('when reading repeated headers', () => {
    it('keeps every value of a REST multi-value header separately', () => {
      const req = convert(awsEvent('rest-v1-live-capture-stage-encoded-path.json'));
      expect(req.headerValues('x-voker-probe')).to.deep.equal(['first', 'second']);
    });

    it('never merges the REST single-value map into the multi-value one', () => {
      const event = awsEvent('rest-v1-live-capture-stage-encoded-path.json');
      (event.headers as Record<string, string>)['X-Forwarded-For'] = '10.0.0.1';
      (event.multiValueHeaders as Record<string, string[]>)['X-Forwarded-For'] = ['203.0.113.1', '10.0.0.1'];
      const req = convert(event);
      expect(req.headerValues('x-forwarded-for')).to.deep.equal(['203.0.113.1', '10.0.0.1']);
      expect(req.headers['x-forwarded-for']).to.equal('203.0.113.1, 10.0.0.1');
    });

    it('joins HTTP/2 cookie fields of a REST event with "; "', () => {
      const event = awsEvent('rest-v1-live-capture-stage-encoded-path.json');
      (event.multiValueHeaders as Record<string, string[]>).cookie = ['a=1', 'b=2'];
      expect({ ...convert(event).cookies }).to.deep.equal({ a: '1', b: '2' });
    });

    it('joins ALB multi-value headers with ", " and cookies with "; "', () => {
      const event = awsEvent('alb-multivalue-live-capture-encoded-query.json');
      (event.multiValueHeaders as Record<string, string[]>).cookie = ['a=1', 'b=2'];
      const req = convert(event);
      expect(req.headers.cookie).to.equal('a=1; b=2');
      expect(req.headers['x-voker-probe']).to.equal('first, second');
    });

    it('merges REST header names that differ only by case', () => {
      const event = awsEvent('rest-v1-real-prod-stage-null-body.json');
      (event.multiValueHeaders as Record<string, string[]>)['accept'] = ['text/html'];
      expect(convert(event).headerValues('accept')).to.deep.equal(['*/*', 'text/html']);
    });
  });

  describe('when a hand-written 1.0 event sends empty multi-value maps beside full single ones', () => {
    it('reads the single maps instead of losing every header and query key', () => {
      const event = awsEvent('rest-v1-proxy-plus-docs-style.json');
      event.multiValueHeaders = {};
      event.multiValueQueryStringParameters = {};
      const req = convert(event);
      expect(req.headers['content-type']).to.equal('application/json');
      expect({ ...req.query }).to.deep.equal({ name: ['me'] });
    });

    it('does the same for an ALB event', () => {
      const event = awsEvent('alb-single-value-headers.json');
      event.multiValueHeaders = {};
      expect(convert(event).headers['user-agent']).to.equal((event.headers as Record<string, string>)['user-agent']);
    });
  });

  describe('when a header value is not ASCII', () => {
    it('passes it through unchanged (Hono 38f756dd percent-encodes it)', () => {
      const event = awsEvent('http-api-v2-live-capture-decoded-rawpath.json');
      (event.headers as Record<string, string>)['x-name'] = 'λ 世界';
      expect(convert(event).headers['x-name']).to.equal('λ 世界');
    });
  });

  describe('when a Lattice path carries the query string', () => {
    it('splits it off and decodes it like any query string', () => {
      const event = awsEvent('vpc-lattice-v2-base.json');
      event.path = '/newpath?order-id=2&tag=a+b&tag=c';
      const req = convert(event);
      expect(req.rawPath).to.equal('/newpath');
      expect({ ...req.query }).to.deep.equal({ 'order-id': ['2'], tag: ['a b', 'c'] });
    });
  });

  describe('when a body comes with any method', () => {
    it('keeps an ALB PATCH body (Powertools PR #5260) and a GET body (Powertools #5673)', () => {
      for (const method of ['PATCH', 'GET', 'DELETE']) {
        const event = awsEvent('alb-multivalue-live-capture-encoded-query.json');
        event.httpMethod = method;
        expect(convert(event).json()).to.deep.equal({ message: 'hello from the public internet', unicode: 'lambda-λ' });
      }
    });
  });

  describe('when the client sends its own x-amzn-requestid', () => {
    it('replaces it with API Gateway request id on REST and HTTP APIs', () => {
      const rest = awsEvent('rest-v1-live-capture-stage-encoded-path.json');
      (rest.multiValueHeaders as Record<string, string[]>)['X-Amzn-RequestId'] = ['spoofed'];
      expect(convert(rest).headers['x-amzn-requestid']).to.equal('7c2af7db-31f3-42b5-8a6d-9ffc74e3b9e0');
      const http = awsEvent('http-api-v2-live-capture-decoded-rawpath.json');
      (http.headers as Record<string, string>)['x-amzn-requestid'] = 'spoofed';
      expect(convert(http).headers['x-amzn-requestid']).to.equal('ATfSmjLgPHcESJw=');
    });
  });

  describe('when the ALB X-Forwarded-For holds a client-supplied chain', () => {
    it('takes the last entry, the one ALB appended', () => {
      const event = awsEvent('alb-single-value-headers.json');
      (event.headers as Record<string, string>)['x-forwarded-for'] = '1.2.3.4, 25.12.198.67';
      expect(convert(event).ip).to.equal('25.12.198.67');
    });
  });

  describe('when the query is unusual', () => {
    it('decodes ALB values once, with form semantics', () => {
      const event = awsEvent('alb-single-value-headers.json');
      event.queryStringParameters = { s: 'a%20b+c', t: '%2525', 'k%20ey': 'x%2By' };
      expect({ ...convert(event).query }).to.deep.equal({ s: ['a b c'], t: ['%25'], 'k ey': ['x+y'] });
    });

    it('keeps an empty value (?flag=) from every source', () => {
      const alb = awsEvent('alb-single-value-headers.json');
      alb.queryStringParameters = { flag: '' };
      expect({ ...convert(alb).query }).to.deep.equal({ flag: [''] });
      const rest = awsEvent('rest-v1-real-prod-stage-null-body.json');
      rest.multiValueQueryStringParameters = { flag: [''] };
      rest.queryStringParameters = { flag: '' };
      expect({ ...convert(rest).query }).to.deep.equal({ flag: [''] });
    });

    it('never reads the comma-joined single map of a 2.0 event', () => {
      const event = awsEvent('http-api-v2-live-capture-decoded-rawpath.json');
      event.rawQueryString = 'v=a%2Cb&v=c';
      event.queryStringParameters = { v: 'a,b,c' };
      expect({ ...convert(event).query }).to.deep.equal({ v: ['a,b', 'c'] });
    });

    it('uses the single REST map when the multi-value map is absent', () => {
      const event = awsEvent('rest-v1-real-prod-stage-null-body.json');
      event.queryStringParameters = { a: '1' };
      expect({ ...convert(event).query }).to.deep.equal({ a: ['1'] });
    });

    it('keeps __proto__ an ordinary query key', () => {
      const event = awsEvent('rest-v1-real-prod-stage-null-body.json');
      event.multiValueQueryStringParameters = JSON.parse('{"__proto__":["x"]}') as Record<string, string[]>;
      const query = convert(event).query;
      expect(query['__proto__']).to.deep.equal(['x']);
      expect('toString' in query || 'hasOwnProperty' in query).to.equal(false);
    });
  });

  describe('when the event carries an authorizer', () => {
    it('lifts HTTP API JWT claims and scopes', () => {
      const ctx = convert(awsEvent('http-api-v2-jwt-authorizer.json')).raw as LambdaContext;
      expect(ctx.authorizer?.claims).to.deep.equal({ claim1: 'value1', claim2: 'value2' });
      expect(ctx.authorizer?.scopes).to.deep.equal(['scope1', 'scope2']);
    });

    it('lifts a REST Lambda authorizer principal and context', () => {
      const ctx = convert(awsEvent('rest-v1-proxy-plus-docs-style.json')).raw as LambdaContext;
      expect(ctx.authorizer?.principalId).to.equal('admin');
      expect(ctx.authorizer?.lambda).to.include({ clientName: 'Exata' });
    });

    it('lifts REST Cognito user pool claims', () => {
      const event = awsEvent('rest-v1-real-prod-stage-null-body.json');
      (event.requestContext as Record<string, unknown>).authorizer = { claims: { sub: 'user-1', email: 'a@b.c' } };
      const ctx = convert(event).raw as LambdaContext;
      expect(ctx.authorizer?.claims).to.deep.equal({ sub: 'user-1', email: 'a@b.c' });
    });

    it('gives the Lattice caller identity as iam', () => {
      const ctx = convert(awsEvent('vpc-lattice-v2-base.json')).raw as LambdaContext;
      expect(ctx.authorizer?.iam).to.include({ type: 'AWS_IAM' });
    });

    it('leaves authorizer undefined when there is none', () => {
      const ctx = convert(awsEvent('rest-v1-live-capture-stage-encoded-path.json')).raw as LambdaContext;
      expect(ctx.authorizer).to.equal(undefined);
    });
  });
});
