import { expect } from 'chai';
import {
  Body,
  Controller,
  createApp,
  Ctx,
  ErrorCodes,
  Get,
  HttpRequest,
  HttpResponse,
  NotHttpEventError,
  Post,
  Req,
  type LambdaContext,
  type LambdaRuntimeContext,
  type Logger,
} from '../../src';
import {
  albEvent,
  functionUrlEvent,
  httpApiEvent,
  lambdaContext,
  latticeEvent,
  readLambdaResult,
  restApiEvent,
} from '../../src/testing';
import { bareInternalProblem } from '../../src/http/problem';
import { awsEvent } from './support/aws-events';
import { convert } from './support/convert';

@Controller()
class EchoController {
  @Post('/echo')
  echo(@Req() req: HttpRequest) {
    return {
      length: req.headers['content-length'],
      size: req.body.length,
      requestId: req.requestId,
      amzn: req.headers['x-amzn-requestid'],
    };
  }

  @Get('/ctx')
  ctx(@Ctx() ctx: LambdaContext) {
    return { source: ctx.source, remaining: ctx.context.getRemainingTimeInMillis(), claims: ctx.authorizer?.claims };
  }

  @Get('/big')
  big(@Req() req: HttpRequest) {
    const size = Number(req.query.size![0]);
    return req.query.binary
      ? HttpResponse.binary(Buffer.alloc(size, 7), { headers: { 'content-type': 'image/png' } })
      : HttpResponse.text('x'.repeat(size));
  }

  @Get('/stream')
  stream(@Req() req: HttpRequest) {
    const size = Number(req.query.size![0]);
    return HttpResponse.stream(
      (async function* () {
        for (let sent = 0; sent < size; sent += 65536) yield Buffer.alloc(Math.min(65536, size - sent), 1);
      })(),
    );
  }

  @Get('/broken-stream')
  brokenStream() {
    return HttpResponse.stream(
      (async function* () {
        yield 'partial';
        throw new Error('source failed');
      })(),
    );
  }

  @Get('/cookies')
  cookies() {
    return HttpResponse.json({}, { cookies: ['a=1', 'b=2; Expires=Tue, 01 Jan 2030 00:00:00 GMT'] });
  }

  @Post('/json')
  json(@Body() body: Record<string, unknown>) {
    return body;
  }
}

function recordingLogger(): Logger & { warnings: object[]; errors: object[] } {
  const warnings: object[] = [];
  const errors: object[] = [];
  return { warnings, errors, info: () => {}, warn: (o) => warnings.push(o), error: (o) => errors.push(o) };
}

const problemCode = (result: { body: string }) => (JSON.parse(result.body) as { code: string }).code;

describe('app.lambda()', () => {
  const handler = createApp({ controllers: [EchoController], bodyLimit: 1024 }).lambda();

  describe('when the event is not an HTTP request', () => {
    const events: Array<[string, unknown]> = [
      ['SQS', { Records: [{ eventSource: 'aws:sqs', body: 'x' }] }],
      [
        'an EventBridge event that is not a schedule',
        { 'detail-type': 'Object Created', source: 'aws.s3', detail: {} },
      ],
      ['a direct invoke', { hello: 'world' }],
      ['null', null],
      ['a string', 'ping'],
    ];
    for (const [name, event] of events) {
      it(`rejects ${name} with NotHttpEventError`, async () => {
        const error = await handler(event, lambdaContext()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(NotHttpEventError);
        expect((error as NotHttpEventError).code).to.equal(ErrorCodes.NOT_HTTP_EVENT);
      });
    }

    it('hands it to onNonHttpEvent when given, and returns its result', async () => {
      const seen: unknown[] = [];
      const withHook = createApp({ controllers: [EchoController] }).lambda({
        onNonHttpEvent: async (event) => {
          seen.push(event);
          return { batchItemFailures: [] };
        },
      });
      expect(await withHook({ Records: [] }, lambdaContext())).to.deep.equal({ batchItemFailures: [] });
      expect(seen).to.deep.equal([{ Records: [] }]);
    });

    it('serves the next HTTP event normally', async () => {
      await handler({ Records: [] }, lambdaContext()).catch(() => undefined);
      const result = await handler(restApiEvent({ method: 'POST', url: '/echo', body: 'hi' }), lambdaContext());
      expect(result.statusCode).to.equal(200);
    });
  });

  describe('when the event is malformed', () => {
    const malformed: Array<[string, () => Record<string, unknown>]> = [
      [
        'REST headers that are a string',
        () => ({ ...awsEvent('rest-v1-real-prod-stage-null-body.json'), headers: 'x', multiValueHeaders: null }),
      ],
      [
        'a REST multi-value header that is not a list',
        () => ({ ...awsEvent('rest-v1-real-prod-stage-null-body.json'), multiValueHeaders: { a: { b: 1 } } }),
      ],
      ['a body that is a number', () => ({ ...awsEvent('rest-v1-real-prod-stage-null-body.json'), body: 42 })],
      [
        'a body that is not base64',
        () => ({ ...awsEvent('rest-v1-real-prod-stage-null-body.json'), body: 'not base64!', isBase64Encoded: true }),
      ],
      [
        'an httpMethod that is a number',
        () => ({ ...awsEvent('rest-v1-real-prod-stage-null-body.json'), httpMethod: 7 }),
      ],
      ['a relative path', () => ({ ...awsEvent('rest-v1-real-prod-stage-null-body.json'), path: 'no-slash' })],
      [
        'an unknown payload version',
        () => ({ ...awsEvent('http-api-v2-live-capture-decoded-rawpath.json'), version: '3.0' }),
      ],
      [
        'cookies that are not a list',
        () => ({ ...awsEvent('http-api-v2-live-capture-decoded-rawpath.json'), cookies: 'a=1' }),
      ],
      [
        'a header value that is a number',
        () => ({ ...awsEvent('http-api-v2-live-capture-decoded-rawpath.json'), headers: { a: 1 } }),
      ],
      [
        'a query map that is a list',
        () => ({ ...awsEvent('alb-single-value-headers.json'), queryStringParameters: ['a'] }),
      ],
    ];
    for (const [name, build] of malformed) {
      it(`answers 400 CREST_INVALID_EVENT for ${name}, never throwing`, async () => {
        const result = await handler(build(), lambdaContext());
        expect(result.statusCode).to.equal(400);
        expect(problemCode(result)).to.equal(ErrorCodes.INVALID_EVENT);
      });
    }

    it('answers in the format of the source (ALB keeps its header mode and statusDescription)', async () => {
      const event = { ...awsEvent('alb-multivalue-live-capture-encoded-query.json'), body: { not: 'a string' } };
      const result = readLambdaResult(await handler(event, lambdaContext()), 'alb-multi');
      expect(result.statusCode).to.equal(400);
      expect(result.headers['content-type']).to.match(/^application\/problem\+json/);
    });

    it('keeps the request id of the malformed event in the problem', async () => {
      const event = { ...awsEvent('rest-v1-real-prod-stage-null-body.json'), body: 42 };
      const result = await handler(event, lambdaContext());
      expect(JSON.parse(result.body)).to.include({ requestId: 'f88e38e3-2060-4a56-93c0-9efbc6a659a0' });
    });
  });

  describe('when the request body is over bodyLimit (1024 bytes)', () => {
    it('answers 413 for 1025 bytes of text, counting UTF-8 bytes', async () => {
      for (const body of ['x'.repeat(1025), 'λ'.repeat(513)]) {
        const result = await handler(restApiEvent({ method: 'POST', url: '/echo', body }), lambdaContext());
        expect(result.statusCode).to.equal(413);
        expect(problemCode(result)).to.equal(ErrorCodes.BODY_TOO_LARGE);
      }
    });

    it('counts decoded bytes for base64: 1024 bytes pass though their base64 is 1368 characters', async () => {
      const fits = await handler(
        httpApiEvent({ method: 'POST', url: '/echo', body: Buffer.alloc(1024, 0xff) }),
        lambdaContext(),
      );
      expect(JSON.parse(fits.body)).to.include({ size: 1024 });
      const over = await handler(
        httpApiEvent({ method: 'POST', url: '/echo', body: Buffer.alloc(1025, 0xff) }),
        lambdaContext(),
      );
      expect(over.statusCode).to.equal(413);
    });

    it('answers 413 on every source', async () => {
      const body = Buffer.alloc(2048, 1);
      for (const event of [
        restApiEvent({ method: 'POST', url: '/echo', body }),
        httpApiEvent({ method: 'POST', url: '/echo', body }),
        functionUrlEvent({ method: 'POST', url: '/echo', body }),
        albEvent({ method: 'POST', url: '/echo', body }),
        albEvent({ method: 'POST', url: '/echo', body }, { multiValueHeaders: true }),
        latticeEvent({ method: 'POST', url: '/echo', body }),
      ]) {
        expect((await handler(event, lambdaContext())).statusCode).to.equal(413);
      }
    });
  });

  describe('when the client sends Content-Length twice, or one that is not a length', () => {
    // node:http's parser answers these 400 itself (RFC 9112 §6.3); Lambda sources must agree.
    const body = 'hi';
    const cases: Array<[string, () => object]> = [
      [
        'HTTP API (repeats joined with a comma)',
        () => withHeader(httpApiEvent({ method: 'POST', url: '/echo', body }), '2,2'),
      ],
      ['a Function URL', () => withHeader(functionUrlEvent({ method: 'POST', url: '/echo', body }), 'abc')],
      [
        'ALB multi-value',
        () => withList(albEvent({ method: 'POST', url: '/echo', body }, { multiValueHeaders: true }), ['2', '3']),
      ],
      ['VPC Lattice', () => withList(latticeEvent({ method: 'POST', url: '/echo', body }), ['2', '2'])],
    ];
    function withHeader<E extends { headers?: object | null }>(event: E, value: string): E {
      (event.headers as Record<string, string>)['content-length'] = value;
      return event;
    }
    function withList<E extends { headers?: object | null; multiValueHeaders?: object | null }>(
      event: E,
      values: string[],
    ): E {
      const headers = event.multiValueHeaders ?? event.headers;
      (headers as Record<string, string[]>)['content-length'] = values;
      return event;
    }
    for (const [name, event] of cases) {
      it(`answers 400 CREST_BAD_HEADER on ${name}`, async () => {
        const result = await handler(event(), lambdaContext());
        expect(result.statusCode).to.equal(400);
        expect(problemCode(result)).to.equal('CREST_BAD_HEADER');
      });
    }
  });

  describe('when the client understates Content-Length', () => {
    it('recomputes it from the decoded bytes', async () => {
      const event = httpApiEvent({ method: 'POST', url: '/echo', body: Buffer.from('0123456789') });
      (event.headers as Record<string, string>)['content-length'] = '1';
      expect(JSON.parse((await handler(event, lambdaContext())).body)).to.include({ length: '10', size: 10 });
    });

    it('adds it to REST events, which carry none', async () => {
      const result = await handler(restApiEvent({ method: 'POST', url: '/echo', body: 'hello' }), lambdaContext());
      expect(JSON.parse(result.body)).to.include({ length: '5' });
    });
  });

  describe('when reading the request id', () => {
    it('uses the platform id and overrides a client x-amzn-requestid', async () => {
      const event = restApiEvent({
        method: 'POST',
        url: '/echo',
        headers: { 'x-amzn-requestid': 'spoofed' },
        requestId: 'real-id',
      });
      expect(JSON.parse((await handler(event, lambdaContext())).body)).to.include({
        requestId: 'real-id',
        amzn: 'real-id',
      });
    });

    describe('when an ALB request carries a client-chosen X-Amzn-Trace-Id (ALB keeps a valid one)', () => {
      const chosen = ['Root=1-67891233-victims-id', 'Self=1-1-1;Root=<img src=x>;Sampled=1'];
      for (const multiValueHeaders of [false, true]) {
        for (const trace of chosen) {
          it(`uses the invocation's awsRequestId, not ${JSON.stringify(trace)} (${multiValueHeaders ? 'multi' : 'single'}-value)`, async () => {
            const event = albEvent({ method: 'POST', url: '/echo' }, { multiValueHeaders });
            if (multiValueHeaders) (event.multiValueHeaders as Record<string, string[]>)['x-amzn-trace-id'] = [trace];
            else (event.headers as Record<string, string>)['x-amzn-trace-id'] = trace;
            const context = lambdaContext({ awsRequestId: 'invocation-id' });
            expect(JSON.parse((await handler(event, context)).body)).to.include({ requestId: 'invocation-id' });
          });
        }
      }

      it('puts the awsRequestId in problem bodies too', async () => {
        const event = albEvent({ url: '/missing' });
        (event.headers as Record<string, string>)['x-amzn-trace-id'] = 'Root=1-67891233-victims-id';
        const result = await handler(event, lambdaContext({ awsRequestId: 'invocation-id' }));
        expect(JSON.parse(result.body)).to.include({ status: 404, requestId: 'invocation-id' });
      });
    });

    const spoofed = { 'x-request-id': 'client-chosen', 'x-amzn-requestid': 'client-chosen' };
    const withoutPlatformId: Array<[string, () => object]> = [
      ['VPC Lattice (its events carry none)', () => latticeEvent({ method: 'POST', url: '/echo', headers: spoofed })],
      [
        'an ALB health check (no X-Amzn-Trace-Id)',
        () => ({ ...awsEvent('alb-health-check.json'), httpMethod: 'POST', path: '/echo', headers: spoofed }),
      ],
      [
        'a REST event without requestContext.requestId',
        () => {
          const event = restApiEvent({ method: 'POST', url: '/echo', headers: spoofed });
          Reflect.deleteProperty(event.requestContext, 'requestId');
          return event;
        },
      ],
      [
        'an HTTP API event without requestContext.requestId',
        () => {
          const event = httpApiEvent({ method: 'POST', url: '/echo', headers: spoofed });
          Reflect.deleteProperty(event.requestContext, 'requestId');
          return event;
        },
      ],
      ['a malformed event', () => ({ ...latticeEvent({ method: 'POST', url: '/echo', headers: spoofed }), body: 42 })],
    ];
    for (const [name, event] of withoutPlatformId) {
      it(`falls back to the invocation's awsRequestId, never x-request-id, for ${name}`, async () => {
        const context = lambdaContext({ awsRequestId: 'invocation-id' });
        const body = JSON.parse((await handler(event(), context)).body) as Record<string, unknown>;
        expect(body.requestId).to.equal('invocation-id');
        // API Gateway sources also carry it in x-amzn-requestid (DESIGN.md); elsewhere that header is the client's.
        if (name.includes('API')) expect(body.amzn).to.equal('invocation-id');
      });
    }

    it('makes one up, never taking x-request-id, when the context has no awsRequestId either', async () => {
      const context = { ...lambdaContext(), awsRequestId: undefined } as unknown as LambdaRuntimeContext;
      const event = latticeEvent({ method: 'POST', url: '/echo', headers: spoofed });
      const { requestId } = JSON.parse((await handler(event, context)).body) as { requestId: string };
      expect(requestId).to.match(/^[0-9a-f-]{36}$/);
    });
  });

  describe('when a handler asks for @Ctx()', () => {
    it('gives the source, the remaining time and the authorizer claims', async () => {
      const event = httpApiEvent({ url: '/ctx' }, { authorizer: { jwt: { claims: { sub: 'user-1' }, scopes: [] } } });
      const body = JSON.parse((await handler(event, lambdaContext({ timeoutMs: 5000 }))).body);
      expect(body.source).to.equal('apigw-v2');
      expect(body.remaining).to.be.within(1, 5000);
      expect(body.claims).to.deep.equal({ sub: 'user-1' });
    });
  });

  describe('when the result is over the platform limit', () => {
    it('answers a 500 CREST_RESPONSE_TOO_LARGE problem for 7 MB of text', async () => {
      const result = await handler(restApiEvent({ url: '/big?size=7000000' }), lambdaContext());
      expect(result.statusCode).to.equal(500);
      expect(problemCode(result)).to.equal(ErrorCodes.RESPONSE_TOO_LARGE);
    });

    it('counts base64 growth: 4.5 MB of binary is 6 MB of base64', async () => {
      const over = await handler(httpApiEvent({ url: '/big?binary=1&size=4800000' }), lambdaContext());
      expect(problemCode(over)).to.equal(ErrorCodes.RESPONSE_TOO_LARGE);
      const fits = await handler(httpApiEvent({ url: '/big?binary=1&size=4000000' }), lambdaContext());
      expect(fits.statusCode).to.equal(200);
      expect(Buffer.from(fits.body, 'base64').length).to.equal(4000000);
    });

    it('applies the 1 MB limit on ALB', async () => {
      const result = await handler(albEvent({ url: '/big?size=1100000' }), lambdaContext());
      expect(result.statusCode).to.equal(500);
      expect(problemCode(result)).to.equal(ErrorCodes.RESPONSE_TOO_LARGE);
      expect((await handler(albEvent({ url: '/big?size=900000' }), lambdaContext())).statusCode).to.equal(200);
    });

    it('measures the exact JSON size near the limit (escapes count)', async () => {
      @Controller()
      class Escapes {
        @Get('/')
        escapes() {
          return HttpResponse.text('\u0001'.repeat(1_100_000));
        }
      }
      const result = await createApp({ controllers: [Escapes] }).lambda()(restApiEvent({}), lambdaContext());
      expect(problemCode(result)).to.equal(ErrorCodes.RESPONSE_TOO_LARGE);
    });

    it('sends HEAD without the body, so it fits (DataBiosphere/azul#6514)', async () => {
      const result = await handler(restApiEvent({ method: 'HEAD', url: '/big?size=7000000' }), lambdaContext());
      expect(result.statusCode).to.equal(200);
      expect(result.body).to.equal('');
    });
  });

  describe('when the response is a stream', () => {
    it('collects it into the buffered result', async () => {
      const result = await handler(functionUrlEvent({ url: '/stream?size=200000' }), lambdaContext());
      expect(result.isBase64Encoded).to.equal(true);
      expect(Buffer.from(result.body, 'base64').equals(Buffer.alloc(200000, 1))).to.equal(true);
    });

    it('stops collecting at the platform limit and answers a problem', async () => {
      const result = await handler(albEvent({ url: '/stream?size=2000000' }), lambdaContext());
      expect(result.statusCode).to.equal(500);
      expect(problemCode(result)).to.equal(ErrorCodes.RESPONSE_TOO_LARGE);
    });

    it('does not produce the stream for HEAD', async () => {
      let produced = 0;
      @Controller()
      class Lazy {
        @Get('/')
        lazy() {
          return HttpResponse.stream(
            (async function* () {
              produced++;
              yield 'x';
            })(),
          );
        }
      }
      const result = await createApp({ controllers: [Lazy] }).lambda()(
        restApiEvent({ method: 'HEAD', url: '/' }),
        lambdaContext(),
      );
      expect(result).to.include({ statusCode: 200, body: '' });
      expect(produced).to.equal(0);
    });

    it('answers 500 when the stream fails', async () => {
      const result = await handler(restApiEvent({ url: '/broken-stream' }), lambdaContext());
      expect(result.statusCode).to.equal(500);
      expect(problemCode(result)).to.equal(ErrorCodes.INTERNAL);
    });
  });

  describe('when ALB single-value mode gets two cookies', () => {
    it('sends the first intact and logs a warning', async () => {
      const logger = recordingLogger();
      const albHandler = createApp({ controllers: [EchoController], logger }).lambda();
      const result = await albHandler(albEvent({ url: '/cookies' }), lambdaContext());
      expect(readLambdaResult(result, 'alb-single').cookies).to.deep.equal(['a=1']);
      expect(logger.warnings).to.have.length(1);
      expect(logger.warnings[0]).to.include({ dropped: 1 });
    });
  });

  describe('when a response cannot be serialized', () => {
    /** A response with a header value that throws when stringified. */
    const unprintable = () => {
      const response = HttpResponse.text('x');
      (response.headers as Record<string, unknown>)['x-bad'] = {
        toString() {
          throw new Error('unprintable');
        },
      };
      return response;
    };
    @Controller()
    class Broken {
      @Get('/')
      broken() {
        return unprintable();
      }
    }

    it('answers an ordinary 500 problem', async () => {
      const broken = createApp({ controllers: [Broken] }).lambda();
      const result = await broken(restApiEvent({}), lambdaContext());
      expect(result.statusCode).to.equal(500);
      expect(problemCode(result)).to.equal(ErrorCodes.INTERNAL);
    });

    it('returns a bare 500 in the source format when not even the problem can be, and logs', async () => {
      const logger = recordingLogger();
      const broken = createApp({ controllers: [Broken], logger, onError: unprintable }).lambda();
      const alb = readLambdaResult(
        await broken(albEvent({}, { multiValueHeaders: true }), lambdaContext()),
        'alb-multi',
      );
      expect(alb.statusCode).to.equal(500);
      expect(alb.body).to.equal(bareInternalProblem());
      expect(JSON.parse(alb.body)).to.include({ code: ErrorCodes.INTERNAL });
      const rest = readLambdaResult(await broken(restApiEvent({}), lambdaContext()), 'rest-api');
      expect(rest.headers['content-type']).to.equal('application/problem+json');
      expect(logger.errors.length).to.be.at.least(2);
    });
  });

  describe('when invocations run concurrently in one process', () => {
    it('keeps each one to its own request', async () => {
      const ids = Array.from({ length: 50 }, (_, i) => `req-${i}`);
      const results = await Promise.all(
        ids.map((id, i) => {
          const request = { method: 'POST', url: '/echo', body: id, requestId: id };
          return handler(i % 2 ? restApiEvent(request) : httpApiEvent(request), lambdaContext());
        }),
      );
      expect(results.map((r) => JSON.parse(r.body).requestId)).to.deep.equal(ids);
    });
  });

  describe('when an ALB query holds a malformed escape', () => {
    it('keeps it literal like the local server (URLSearchParams), never a crash', async () => {
      const result = await handler(albEvent({ url: '/big?size=3&note=100%' }), lambdaContext());
      expect(result.statusCode).to.equal(200);
      expect({ ...convert(albEvent({ url: '/big?note=100%' })).query }).to.deep.equal({ note: ['100%'] });
    });
  });

  describe('when a JSON body arrives base64-encoded', () => {
    it('decodes the bytes and parses them', async () => {
      const body = Buffer.from(JSON.stringify({ name: 'λ世界' }));
      const event = restApiEvent({
        method: 'POST',
        url: '/json',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(JSON.parse((await handler(event, lambdaContext())).body)).to.deep.equal({ name: 'λ世界' });
    });
  });
});
