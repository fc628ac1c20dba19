import { expect } from 'chai';
import { Controller, createApp, Get, HttpRequest, Post, Req } from '../../src';
import { escapeDecodedPath, stripStage } from '../../src/transports/lambda/request-parts';
import { functionUrlEvent, httpApiEvent, lambdaContext, readLambdaResult, restApiEvent } from '../../src/testing';
import { awsEvent, pathMatrix } from './support/aws-events';
import { convert } from './support/convert';

/** What crest hands the core for each path HTTP API delivered in the live matrix. */
const ESCAPED: Record<string, string> = {
  '/capture/plain': '/capture/plain',
  '/capture/space value': '/capture/space%20value',
  '/capture/question': '/capture/question',
  '/capture/hash#value': '/capture/hash%23value',
  '/capture/slash/value': '/capture/slash/value',
  '/capture/unicode-λ-世界': '/capture/unicode-%CE%BB-%E4%B8%96%E7%95%8C',
  '/capture/literal/value': '/capture/literal/value',
  '/capture/literal?value': '/capture/literal%3Fvalue',
  '/capture/literal%value': '/capture/literal%25value',
};

function httpApiCapture(rawPath: string): Record<string, unknown> {
  const event = awsEvent('http-api-v2-live-capture-decoded-rawpath.json');
  event.rawPath = rawPath;
  return event;
}

describe('escapeDecodedPath', () => {
  for (const observation of pathMatrix()) {
    if (observation.httpAPIPath === undefined) continue;
    const delivered = observation.httpAPIPath;
    describe(`when HTTP API delivers ${JSON.stringify(delivered)} (sent ${observation.sentPath})`, () => {
      const req = convert(httpApiCapture(delivered));

      it('gives the core an encoded path that decodes to exactly what AWS delivered', () => {
        expect(req.rawPath).to.equal(ESCAPED[delivered]);
        expect(req.path).to.equal(delivered);
      });

      it('never lets ?, #, a space or a bare % through unescaped', () => {
        expect(req.rawPath).not.to.match(/[?# ]|%(?![0-9A-F]{2})|[^\x21-\x7e]/);
      });
    });
  }

  describe('when the path is already encoded (a Function URL)', () => {
    for (const observation of pathMatrix()) {
      it(`keeps ${observation.sentPath} as sent`, () => {
        expect(escapeDecodedPath(observation.sentPath)).to.equal(observation.sentPath);
        const event = awsEvent('function-url-live-capture-cookies-and-cookie-header.json');
        event.rawPath = observation.sentPath;
        expect(convert(event).rawPath).to.equal(observation.sentPath);
      });
    }
  });

  describe('when the path holds characters a URL cannot carry literally', () => {
    it('escapes quotes, brackets, controls and a lone surrogate', () => {
      expect(escapeDecodedPath('/a"b<c>d\\e^f`g{h|i}j')).to.equal('/a%22b%3Cc%3Ed%5Ce%5Ef%60g%7Bh%7Ci%7Dj');
      expect(escapeDecodedPath('/tab\there')).to.equal('/tab%09here');
      expect(escapeDecodedPath('/x\ud800y')).to.equal('/x%EF%BF%BDy');
      expect(escapeDecodedPath('/emoji-😀')).to.equal('/emoji-%F0%9F%98%80');
    });

    it("keeps RFC 3986 sub-delimiters, ':' and '@' literal", () => {
      expect(escapeDecodedPath("/a!$&'()*+,;=:@b~_.-")).to.equal("/a!$&'()*+,;=:@b~_.-");
    });

    it('returns the same string when nothing needs escaping', () => {
      const path = '/users/42/files';
      expect(escapeDecodedPath(path)).to.equal(path);
    });
  });

  describe('when a decoded # or ? reaches a route', () => {
    it('stays inside the path parameter, never a fragment or a query', async () => {
      @Controller()
      class Files {
        @Post('/files/:name')
        show(@Req() req: HttpRequest) {
          return { name: req.params.name, query: { ...req.query } };
        }
      }
      const handler = createApp({ controllers: [Files] }).lambda();
      for (const name of ['hash#value', 'literal?value']) {
        const result = await handler(httpApiCapture(`/files/${name}`), lambdaContext());
        expect(JSON.parse(result.body)).to.deep.equal({ name, query: awsQuery() });
      }
    });
  });
});

/** The live capture's query, which the path tests above leave in place. */
function awsQuery() {
  return {
    repeat: ['one', 'two'],
    redirect: ['https://example.com/a/b'],
    literalPlus: ['a b'],
    encodedPlus: ['a+b'],
    empty: [''],
  };
}

describe('stripStage', () => {
  describe('when an HTTP API has a named stage', () => {
    it('removes it at a segment boundary on the execute-api host', () => {
      const host = 'abc.execute-api.us-east-1.amazonaws.com';
      expect(stripStage('/dev/users', 'dev', host)).to.equal('/users');
      expect(stripStage('/dev', 'dev', host)).to.equal('/');
      expect(stripStage('/devices', 'dev', host)).to.equal('/devices');
      expect(stripStage('/users', '$default', host)).to.equal('/users');
    });

    it('leaves the path alone behind a custom domain, where the stage is not in the URL', () => {
      expect(stripStage('/dev/users', 'dev', 'api.example.com')).to.equal('/dev/users');
    });
  });

  describe('when routing through a named stage', () => {
    it('reaches the app routes with the stage removed and the app prefix kept', async () => {
      @Controller('/users')
      class Users {
        @Get('/:id')
        show(@Req() req: HttpRequest) {
          return { id: req.params.id, rawPath: req.rawPath };
        }
      }
      const handler = createApp({ controllers: [Users], prefix: '/api' }).lambda();
      const result = await handler(httpApiEvent({ url: '/api/users/7' }, { stage: 'dev' }), lambdaContext());
      expect(JSON.parse(readLambdaResult(result, 'http-api').body)).to.deep.equal({ id: '7', rawPath: '/api/users/7' });
      const rest = await handler(restApiEvent({ url: '/api/users/7' }, { stage: 'dev' }), lambdaContext());
      expect(JSON.parse(rest.body)).to.deep.equal({ id: '7', rawPath: '/api/users/7' });
      const url = await handler(functionUrlEvent({ url: '/api/users/7' }), lambdaContext());
      expect(JSON.parse(url.body)).to.deep.equal({ id: '7', rawPath: '/api/users/7' });
    });
  });

  describe('when an HTTP API sends payload 1.0 with a named stage', () => {
    it('removes the stage and escapes the path; a REST event (no version) is taken as sent', () => {
      const event = awsEvent('rest-v1-real-prod-stage-null-body.json');
      event.version = '1.0';
      event.path = '/prod/no auth';
      (event.requestContext as Record<string, unknown>).domainName = 'abc.execute-api.eu-west-1.amazonaws.com';
      expect(convert(event).rawPath).to.equal('/no%20auth');
      delete event.version;
      event.path = '/prod/no-auth';
      expect(convert(event).rawPath).to.equal('/prod/no-auth');
    });
  });

  describe('when a REST API custom domain passes its base path through', () => {
    it('strips the configured basePath at a segment boundary only', async () => {
      @Controller()
      class Echo {
        @Get('/*')
        echo(@Req() req: HttpRequest) {
          return { rawPath: req.rawPath };
        }
      }
      const handler = createApp({ controllers: [Echo] }).lambda({ basePath: '/v1/' });
      const paths = [];
      // serverless-http's removeBasePath used indexOf and stripped it anywhere in the path.
      for (const url of ['/v1/users', '/v1', '/v10/users', '/x/v1/users']) {
        paths.push(JSON.parse((await handler(restApiEvent({ url }), lambdaContext())).body).rawPath);
      }
      expect(paths).to.deep.equal(['/users', '/', '/v10/users', '/x/v1/users']);
      const bare = createApp({ controllers: [Echo] }).lambda({ basePath: 'v1' });
      expect(JSON.parse((await bare(restApiEvent({ url: '/v1/x' }), lambdaContext())).body)).to.deep.equal({
        rawPath: '/x',
      });
    });
  });
});
